//! Tab completion: meta commands, SQL keywords, tables, views and their
//! columns, functions, canned queries and their parameters, district ids and
//! school years. The names are gathered once when the shell starts
//! ([`Names::gather`]); [`complete`] is a pure function of the line, so it is
//! tested without a terminal.

use std::collections::BTreeSet;

use datafusion::prelude::SessionContext;

use crate::engine::catalog;

/// SQL words worth completing (DataFusion's dialect, the common ones).
const KEYWORDS: &[&str] = &[
    "ALL",
    "AND",
    "AS",
    "ASC",
    "BETWEEN",
    "BY",
    "CASE",
    "CAST",
    "COPY",
    "COUNT",
    "CREATE",
    "CROSS",
    "DESC",
    "DESCRIBE",
    "DISTINCT",
    "ELSE",
    "END",
    "EXCEPT",
    "EXISTS",
    "EXPLAIN",
    "FALSE",
    "FILTER",
    "FROM",
    "FULL",
    "GROUP",
    "HAVING",
    "ILIKE",
    "IN",
    "INNER",
    "INTERSECT",
    "INTERVAL",
    "IS",
    "JOIN",
    "LEFT",
    "LIKE",
    "LIMIT",
    "NOT",
    "NULL",
    "NULLS",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OUTER",
    "OVER",
    "PARTITION",
    "RIGHT",
    "ROWS",
    "SELECT",
    "SET",
    "SHOW",
    "TABLE",
    "THEN",
    "TO",
    "TRUE",
    "UNION",
    "USING",
    "VALUES",
    "VIEW",
    "WHEN",
    "WHERE",
    "WINDOW",
    "WITH",
];

/// A canned query's parameters: name and the values it allows (empty: any).
pub type Params = Vec<(String, Vec<String>)>;

/// Everything the shell can complete, gathered once.
#[derive(Debug, Default, Clone)]
pub struct Names {
    /// meta commands, with their backslash
    pub meta: Vec<String>,
    /// tables and views
    pub tables: BTreeSet<String>,
    /// columns of every table and view
    pub columns: BTreeSet<String>,
    /// scalar, aggregate and window functions
    pub functions: BTreeSet<String>,
    /// canned queries: name and (parameter name, its choices)
    pub queries: Vec<(String, Params)>,
    /// district ids in the warehouse
    pub districts: BTreeSet<String>,
    /// school years in the warehouse
    pub years: BTreeSet<String>,
}

impl Names {
    /// Reads the names from the session: its tables and views, their
    /// columns, its functions, the canned queries, and the districts and
    /// years of the warehouse's district-year tables.
    pub async fn gather(ctx: &SessionContext, meta: Vec<String>) -> Names {
        let mut names = Names {
            meta,
            ..Names::default()
        };
        for catalog_name in ctx.catalog_names() {
            let Some(catalog) = ctx.catalog(&catalog_name) else {
                continue;
            };
            for schema_name in catalog.schema_names() {
                let Some(schema) = catalog.schema(&schema_name) else {
                    continue;
                };
                if schema_name == "information_schema" {
                    continue;
                }
                for table in schema.table_names() {
                    if let Ok(Some(provider)) = schema.table(&table).await {
                        for field in provider.schema().fields() {
                            names.columns.insert(field.name().clone());
                        }
                    }
                    names.tables.insert(table);
                }
            }
        }
        let state = ctx.state();
        names
            .functions
            .extend(state.scalar_functions().keys().cloned());
        names
            .functions
            .extend(state.aggregate_functions().keys().cloned());
        names
            .functions
            .extend(state.window_functions().keys().cloned());
        if let Ok(all) = catalog::catalog() {
            for q in all {
                let params = q
                    .params
                    .iter()
                    .map(|p| (p.name.clone(), p.choices.clone()))
                    .collect();
                names.queries.push((q.name.clone(), params));
            }
        }
        // District ids and years from the partition columns of the tables a
        // district's exports fill (reading no data column).
        let sql = "SELECT DISTINCT CAST(district_id AS VARCHAR), CAST(school_year AS VARCHAR) FROM (\
                   SELECT district_id, school_year FROM gl_line \
                   UNION ALL SELECT district_id, school_year FROM payroll_line \
                   UNION ALL SELECT district_id, school_year FROM school \
                   UNION ALL SELECT district_id, school_year FROM student_enrollment \
                   UNION ALL SELECT CAST(district_id AS VARCHAR), school_year FROM district_profile)";
        if let Ok(df) = ctx.sql(sql).await
            && let Ok(batches) = df.collect().await
        {
            use datafusion::arrow::array::{ArrayRef, StringArray};
            use datafusion::arrow::compute::cast;
            use datafusion::arrow::datatypes::DataType;
            let text = |a: &ArrayRef| cast(a, &DataType::Utf8).ok();
            for b in batches {
                let (Some(d), Some(y)) = (text(b.column(0)), text(b.column(1))) else {
                    continue;
                };
                let (Some(d), Some(y)) = (
                    d.as_any().downcast_ref::<StringArray>(),
                    y.as_any().downcast_ref::<StringArray>(),
                ) else {
                    continue;
                };
                for i in 0..b.num_rows() {
                    if !datafusion::arrow::array::Array::is_null(d, i) {
                        names.districts.insert(d.value(i).to_string());
                    }
                    if !datafusion::arrow::array::Array::is_null(y, i) {
                        names.years.insert(y.value(i).to_string());
                    }
                }
            }
        }
        names
    }
}

/// Candidates for the word ending at `pos` in `line`: where the word starts
/// and what may replace it.
pub fn complete(line: &str, pos: usize, names: &Names) -> (usize, Vec<String>) {
    let before = &line[..pos.min(line.len())];
    let trimmed = before.trim_start();
    if trimmed.starts_with('\\') {
        return meta(before, names);
    }
    let start = word_start(before, |c| c.is_alphanumeric() || c == '_' || c == '.');
    let word = &before[start..];
    // after a dot: columns, whatever the qualifier
    // TODO: offer only the columns of the table the qualifier names (an alias
    // or table in the statement's FROM); that needs the statement parsed up to
    // the cursor, which sqlparser cannot do for an unfinished statement, so a
    // tokenizer pass over FROM/JOIN clauses would be the way.
    if let Some(dot) = word.rfind('.') {
        let prefix = &word[dot + 1..];
        return (
            start + dot + 1,
            matching(names.columns.iter().map(String::as_str), prefix),
        );
    }
    let previous = before[..start]
        .split_whitespace()
        .last()
        .unwrap_or("")
        .to_ascii_uppercase();
    let pool: Vec<&str> = if matches!(
        previous.as_str(),
        "FROM" | "JOIN" | "TABLE" | "DESCRIBE" | "INTO"
    ) {
        names.tables.iter().map(String::as_str).collect()
    } else if word.is_empty() {
        // nothing typed: keywords would flood the screen
        Vec::new()
    } else {
        let upper = word.chars().next().is_some_and(char::is_uppercase);
        let keywords = KEYWORDS.iter().map(move |k| {
            if upper {
                (*k).to_string()
            } else {
                k.to_ascii_lowercase()
            }
        });
        let mut all: Vec<&str> = names
            .tables
            .iter()
            .chain(&names.columns)
            .chain(&names.functions)
            .map(String::as_str)
            .collect();
        let keywords: Vec<String> = keywords.collect();
        let mut out = matching(keywords.iter().map(String::as_str), word);
        all.sort_unstable();
        all.dedup();
        out.extend(matching(all.into_iter(), word));
        out.dedup();
        return (start, out);
    };
    (start, matching(pool.into_iter(), word))
}

/// Completion on a meta-command line.
fn meta(before: &str, names: &Names) -> (usize, Vec<String>) {
    let start = word_start(before, |c| !c.is_whitespace());
    let word = &before[start..];
    let words: Vec<&str> = before[..start].split_whitespace().collect();
    let Some(command) = words.first() else {
        return (start, matching(names.meta.iter().map(String::as_str), word));
    };
    match *command {
        // a whole name or value is followed by a space, ready for the next
        "\\run" if words.len() == 1 => (
            start,
            spaced(matching(
                names.queries.iter().map(|(n, _)| n.as_str()),
                word,
            )),
        ),
        "\\run" => {
            let Some((_, params)) = names.queries.iter().find(|(n, _)| n == words[1])
            else {
                return (start, Vec::new());
            };
            if let Some((key, value)) = word.split_once('=') {
                let values: Vec<&str> = match params.iter().find(|(p, _)| p == key) {
                    Some((_, choices)) if !choices.is_empty() => {
                        choices.iter().map(String::as_str).collect()
                    }
                    _ if key.starts_with("district") => {
                        names.districts.iter().map(String::as_str).collect()
                    }
                    _ if key.contains("year") => {
                        names.years.iter().map(String::as_str).collect()
                    }
                    _ => Vec::new(),
                };
                // a list parameter takes several values: complete the last
                let item = value.rfind(',').map_or(0, |i| i + 1);
                let at = start + key.len() + 1 + item;
                return (at, spaced(matching(values.into_iter(), &value[item..])));
            }
            let given: BTreeSet<&str> = words[2..]
                .iter()
                .filter_map(|w| w.split_once('=').map(|(k, _)| k))
                .collect();
            let keys: Vec<String> = params
                .iter()
                .filter(|(p, _)| !given.contains(p.as_str()))
                .map(|(p, _)| format!("{p}="))
                .collect();
            (start, matching(keys.iter().map(String::as_str), word))
        }
        "\\d" | "\\describe" => (
            start,
            matching(names.tables.iter().map(String::as_str), word),
        ),
        "\\h" | "\\help" => {
            let pool: Vec<&str> = names
                .queries
                .iter()
                .map(|(n, _)| n.as_str())
                .chain(names.functions.iter().map(String::as_str))
                .collect();
            (start, matching(pool.into_iter(), word))
        }
        "\\format" | "\\pset" => (
            start,
            matching(
                ["table", "csv", "json", "ndjson", "markdown"].into_iter(),
                word,
            ),
        ),
        "\\timing" => (start, matching(["on", "off"].into_iter(), word)),
        _ => (start, Vec::new()),
    }
}

/// Candidates with a space after each.
fn spaced(names: Vec<String>) -> Vec<String> {
    names.into_iter().map(|n| n + " ").collect()
}

/// Where the word that ends `before` starts.
fn word_start(before: &str, in_word: impl Fn(char) -> bool) -> usize {
    before
        .char_indices()
        .rev()
        .take_while(|(_, c)| in_word(*c))
        .last()
        .map_or(before.len(), |(i, _)| i)
}

/// The names starting with `prefix` (ignoring case), sorted, once each.
fn matching<'a>(pool: impl Iterator<Item = &'a str>, prefix: &str) -> Vec<String> {
    let lower = prefix.to_lowercase();
    let mut out: Vec<String> = pool
        .filter(|n| n.to_lowercase().starts_with(&lower))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            meta: vec![
                "\\d".into(),
                "\\run".into(),
                "\\queries".into(),
                "\\q".into(),
            ],
            tables: ["school", "school_spending", "staff"]
                .map(String::from)
                .into(),
            columns: ["school_id", "school_year", "district_id"]
                .map(String::from)
                .into(),
            functions: ["round_half_up", "sum"].map(String::from).into(),
            queries: vec![
                (
                    "class_size".into(),
                    vec![("district".into(), vec![]), ("year".into(), vec![])],
                ),
                (
                    "school_equity".into(),
                    vec![("measure".into(), vec!["spending".into(), "staffing".into()])],
                ),
            ],
            districts: ["DEMO01", "DEMO02"].map(String::from).into(),
            years: ["2023", "2024"].map(String::from).into(),
        }
    }

    fn at_end(line: &str) -> (usize, Vec<String>) {
        complete(line, line.len(), &names())
    }

    #[test]
    fn meta_commands_and_their_arguments() {
        assert_eq!(at_end("\\q"), (0, vec!["\\q".into(), "\\queries".into()]));
        assert_eq!(at_end("\\run cl"), (5, vec!["class_size ".into()]));
        assert_eq!(
            at_end("\\run class_size "),
            (16, vec!["district=".into(), "year=".into()])
        );
        // a parameter given is not offered again
        assert_eq!(
            at_end("\\run class_size district=DEMO01 "),
            (32, vec!["year=".into()])
        );
        assert_eq!(
            at_end("\\run class_size district=DE"),
            (25, vec!["DEMO01 ".into(), "DEMO02 ".into()])
        );
        assert_eq!(
            at_end("\\run class_size year=20"),
            (21, vec!["2023 ".into(), "2024 ".into()])
        );
        // choices of a text(...) parameter
        assert_eq!(
            at_end("\\run school_equity measure=st"),
            (27, vec!["staffing ".into()])
        );
        assert_eq!(
            at_end("\\d sch"),
            (3, vec!["school".into(), "school_spending".into()])
        );
    }

    #[test]
    fn sql_words_tables_and_columns() {
        // after FROM: tables only
        assert_eq!(
            at_end("SELECT * FROM s"),
            (
                14,
                vec!["school".into(), "school_spending".into(), "staff".into()]
            )
        );
        // elsewhere: keywords in the case typed, then names
        let (start, got) = at_end("sel");
        assert_eq!((start, got), (0, vec!["select".into()]));
        let (_, got) = at_end("SELECT school_y");
        assert_eq!(got, vec!["school_year".to_string()]);
        let (_, got) = at_end("SELECT ro");
        assert_eq!(got, vec!["rows".to_string(), "round_half_up".to_string()]);
        // after a qualifier's dot: columns
        assert_eq!(at_end("SELECT s.dis"), (9, vec!["district_id".into()]));
        // nothing typed: nothing offered
        assert_eq!(at_end("SELECT ").1, Vec::<String>::new());
    }
}
