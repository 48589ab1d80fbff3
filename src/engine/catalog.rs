//! Canned queries: SQL files in `sql/queries/` with a header giving a name, a
//! description, typed parameters and the rounding they apply. Parameters are
//! bound as DataFusion placeholders (`$name`), never pasted into the SQL.
//!
//! ```sql
//! -- name: class_size
//! -- description: Average class size by school
//! -- param: district text | district id
//! -- param: year int = null | ending school year; all years when omitted
//! -- rounding: half-up to 0.1 (round_half_up)
//! SELECT ... WHERE district_id = $district AND ($year IS NULL OR school_year = $year)
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::ListArray;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{ParamValues, ScalarValue};
use datafusion::dataframe::DataFrame;
use datafusion::prelude::SessionContext;

use crate::embedded;
use crate::error::{Error, Result, closest};
use crate::sqlfile::SqlFile;

/// Types a parameter can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// text
    Text,
    /// integer
    Int,
    /// exact decimal
    Decimal,
    /// date, `YYYY-MM-DD`
    Date,
    /// true or false
    Bool,
    /// comma-separated list of text, bound as a list
    TextList,
}

impl ParamType {
    fn parse(s: &str) -> Option<ParamType> {
        Some(match s {
            "text" => ParamType::Text,
            "int" => ParamType::Int,
            "decimal" => ParamType::Decimal,
            "date" => ParamType::Date,
            "bool" => ParamType::Bool,
            "text[]" => ParamType::TextList,
            _ => return None,
        })
    }

    /// The value `text` as this type.
    fn value(self, text: &str) -> std::result::Result<ScalarValue, String> {
        let t = text.trim();
        let bad = |what: &str| format!("{t:?} is not {what}");
        Ok(match self {
            ParamType::Text => ScalarValue::Utf8(Some(text.to_string())),
            ParamType::Int => {
                ScalarValue::Int64(Some(t.parse().map_err(|_| bad("an integer"))?))
            }
            ParamType::Decimal => {
                let scale = t.split_once('.').map_or(0, |(_, f)| f.len()).min(18) as i8;
                let v = ScalarValue::Utf8(Some(t.to_string()))
                    .cast_to(&DataType::Decimal128(38, scale))
                    .map_err(|_| bad("a decimal number"))?;
                if v.is_null() {
                    return Err(bad("a decimal number"));
                }
                v
            }
            ParamType::Date => {
                let d = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                    .map_err(|_| bad("a date (YYYY-MM-DD)"))?;
                ScalarValue::Date32(Some(resmap_udfs_days(d)))
            }
            ParamType::Bool => {
                ScalarValue::Boolean(Some(match t.to_ascii_lowercase().as_str() {
                    "true" | "t" | "yes" | "1" => true,
                    "false" | "f" | "no" | "0" => false,
                    _ => return Err(bad("true or false")),
                }))
            }
            ParamType::TextList => {
                let items: Vec<ScalarValue> = t
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| ScalarValue::Utf8(Some(s.to_string())))
                    .collect();
                ScalarValue::List(ScalarValue::new_list_nullable(&items, &DataType::Utf8))
            }
        })
    }

    fn null(self) -> ScalarValue {
        match self {
            ParamType::Text => ScalarValue::Utf8(None),
            ParamType::Int => ScalarValue::Int64(None),
            ParamType::Decimal => ScalarValue::Decimal128(None, 38, 0),
            ParamType::Date => ScalarValue::Date32(None),
            ParamType::Bool => ScalarValue::Boolean(None),
            ParamType::TextList => {
                let item = Arc::new(Field::new_list_field(DataType::Utf8, true));
                ScalarValue::List(Arc::new(ListArray::new_null(item, 1)))
            }
        }
    }
}

fn resmap_udfs_days(d: chrono::NaiveDate) -> i32 {
    d.signed_duration_since(chrono::NaiveDate::default())
        .num_days() as i32
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParamType::Text => "text",
            ParamType::Int => "int",
            ParamType::Decimal => "decimal",
            ParamType::Date => "date",
            ParamType::Bool => "bool",
            ParamType::TextList => "text[]",
        })
    }
}

/// One declared parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// name, used as `$name` in the SQL and `name=value` on the command line
    pub name: String,
    /// type
    pub ty: ParamType,
    /// default as written; `None` = required, `Some("null")` = optional
    pub default: Option<String>,
    /// the only values allowed (`text(a,b,c)` in the header); empty = any
    pub choices: Vec<String>,
    /// what it means
    pub doc: String,
}

/// The smallest student group canned queries show by default; a query's
/// `min_group` parameter set lower is logged as a warning.
pub const MIN_GROUP: i64 = 10;

/// One canned query.
#[derive(Debug, Clone)]
pub struct CannedQuery {
    /// name
    pub name: String,
    /// one-line description
    pub description: String,
    /// parameters in declared order
    pub params: Vec<Param>,
    /// how the query rounds its figures
    pub rounding: String,
    /// the SQL
    pub sql: String,
    /// the embedded file
    pub origin: String,
}

impl CannedQuery {
    /// Parses a canned-query file.
    pub fn parse(origin: &str, text: &str) -> Result<CannedQuery> {
        let file = SqlFile::parse(text);
        let err = |m: String| Error::Usage(format!("canned query {origin}: {m}"));
        let name = file
            .get("name")
            .map(str::to_string)
            .unwrap_or_else(|| embedded::stem(origin).to_string());
        let mut params = Vec::new();
        for p in file.all("param") {
            let (decl, doc) = p.split_once('|').unwrap_or((p, ""));
            let (decl, default) = match decl.split_once('=') {
                Some((d, v)) => (d.trim(), Some(v.trim().to_string())),
                None => (decl.trim(), None),
            };
            let mut words = decl.split_whitespace();
            let (Some(pname), Some(ty), None) =
                (words.next(), words.next(), words.next())
            else {
                return Err(err(format!(
                    "param {p:?} must read `NAME TYPE [= DEFAULT] [| doc]`"
                )));
            };
            // `text(a,b,c)`: a text parameter limited to those values.
            let (ty, choices) = match ty.split_once('(') {
                Some((t, rest)) if t == "text" && rest.ends_with(')') => (
                    t,
                    rest[..rest.len() - 1]
                        .split(',')
                        .map(|c| c.trim().to_string())
                        .filter(|c| !c.is_empty())
                        .collect(),
                ),
                _ => (ty, Vec::new()),
            };
            let ty = ParamType::parse(ty)
                .ok_or_else(|| err(format!("param {pname}: unknown type {ty}")))?;
            params.push(Param {
                name: pname.to_string(),
                ty,
                default,
                choices,
                doc: doc.trim().to_string(),
            });
        }
        Ok(CannedQuery {
            name,
            description: file.get("description").unwrap_or_default().to_string(),
            rounding: file.get("rounding").unwrap_or("none").to_string(),
            params,
            sql: file.body,
            origin: origin.to_string(),
        })
    }

    /// Checks `given` (name, value) pairs against the declared parameters and
    /// returns every parameter's value, defaults filled in.
    pub fn bind(
        &self,
        given: &[(String, String)],
    ) -> Result<HashMap<String, ScalarValue>> {
        let err = |message: String| Error::Param {
            query: self.name.clone(),
            message,
        };
        let mut values = HashMap::new();
        for (k, v) in given {
            let Some(p) = self.params.iter().find(|p| &p.name == k) else {
                let known: Vec<&str> =
                    self.params.iter().map(|p| p.name.as_str()).collect();
                let hint = match closest(k, known.iter().copied()) {
                    Some(s) => format!("did you mean {s:?}? "),
                    None => String::new(),
                };
                return Err(err(format!(
                    "unknown parameter {k:?}; {hint}parameters: {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            };
            if values.contains_key(k) {
                return Err(err(format!("parameter {k:?} given twice")));
            }
            let empty_list =
                p.ty == ParamType::TextList && v.split(',').all(|s| s.trim().is_empty());
            if v.trim().is_empty() || empty_list {
                return Err(err(if p.default.is_some() {
                    format!("parameter {k:?} is empty; leave it out to use its default")
                } else {
                    format!("parameter {k:?} is empty; it needs a value")
                }));
            }
            if !p.choices.is_empty() && !p.choices.iter().any(|c| c == v.trim()) {
                let hint = match closest(v.trim(), p.choices.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean {s:?}? "),
                    None => String::new(),
                };
                return Err(err(format!(
                    "parameter {k} cannot be {:?}; {hint}it is one of: {}",
                    v.trim(),
                    p.choices.join(", ")
                )));
            }
            let value =
                p.ty.value(v)
                    .map_err(|m| err(format!("parameter {k} ({}): {m}", p.ty)))?;
            values.insert(k.clone(), value);
        }
        let mut missing = Vec::new();
        for p in &self.params {
            if values.contains_key(&p.name) {
                continue;
            }
            match p.default.as_deref() {
                None => missing.push(format!("{} ({})", p.name, p.ty)),
                Some(d) if d.eq_ignore_ascii_case("null") => {
                    values.insert(p.name.clone(), p.ty.null());
                }
                Some(d) => {
                    let v = p.ty.value(d).map_err(|m| {
                        Error::Internal(format!(
                            "{}: default of {}: {m}",
                            self.origin, p.name
                        ))
                    })?;
                    values.insert(p.name.clone(), v);
                }
            }
        }
        if !missing.is_empty() {
            return Err(err(format!(
                "missing required parameter{} {}; pass {}",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", "),
                self.params
                    .iter()
                    .filter(|p| p.default.is_none())
                    .map(|p| format!("{}=...", p.name))
                    .collect::<Vec<_>>()
                    .join(" ")
            )));
        }
        Ok(values)
    }

    /// Plans the query with `values` bound to its placeholders.
    pub async fn dataframe(
        &self,
        ctx: &SessionContext,
        values: HashMap<String, ScalarValue>,
    ) -> Result<DataFrame> {
        let df = ctx.sql(&self.sql).await?;
        // Give each value the type the planner inferred for its placeholder.
        let inferred = df.logical_plan().get_parameter_types()?;
        let mut bound = HashMap::new();
        for (name, value) in values {
            let key = format!("${name}");
            let value = match inferred.get(&key) {
                Some(Some(t)) if &value.data_type() != t && !value.is_null() => {
                    value.cast_to(t).map_err(|e| Error::Param {
                        query: self.name.clone(),
                        message: format!("parameter {name}: {e}"),
                    })?
                }
                Some(Some(t)) if value.is_null() => ScalarValue::try_from(t)?,
                _ => value,
            };
            bound.insert(name, value.into());
        }
        Ok(df.with_param_values(ParamValues::Map(bound))?)
    }

    /// One line per parameter, for help.
    pub fn usage(&self) -> String {
        self.params
            .iter()
            .map(|p| {
                let default = match p.default.as_deref() {
                    None => "required".to_string(),
                    Some(d) if d.eq_ignore_ascii_case("null") => "optional".to_string(),
                    Some(d) => format!("default {d}"),
                };
                format!("  {}={} ({default}) {}", p.name, p.ty, p.doc)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Every canned query: the bundled ones, then those in the folder named by
/// `$RESMAP_QUERIES` (a query there replaces a bundled one of the same name).
pub fn catalog() -> Result<Vec<CannedQuery>> {
    let mut all = embedded::files_in("sql/queries", ".sql")
        .into_iter()
        .map(|(path, text)| CannedQuery::parse(path, text))
        .collect::<Result<Vec<_>>>()?;
    if let Some(dir) = std::env::var_os("RESMAP_QUERIES").filter(|d| !d.is_empty()) {
        let dir = std::path::PathBuf::from(dir);
        let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let query = CannedQuery::parse(&path.display().to_string(), &text)?;
            all.retain(|q| q.name != query.name);
            all.push(query);
        }
    }
    Ok(all)
}

/// The canned query called `name`.
pub fn find(name: &str) -> Result<CannedQuery> {
    let all = catalog()?;
    let names: Vec<String> = all.iter().map(|q| q.name.clone()).collect();
    all.into_iter()
        .find(|q| q.name == name)
        .ok_or_else(|| Error::NotFound {
            kind: "canned query",
            name: name.to_string(),
            suggestion: closest(name, names.iter().map(String::as_str)),
        })
}

/// Splits `k=v` arguments.
pub fn parse_assignments(args: &[String]) -> Result<Vec<(String, String)>> {
    args.iter()
        .map(|a| {
            a.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), unquote(v).to_string()))
                .ok_or_else(|| {
                    Error::Usage(format!("parameter {a:?} must read NAME=VALUE"))
                })
        })
        .collect()
}

/// A value given as `'x'` or `"x"` is `x`.
fn unquote(v: &str) -> &str {
    for q in ['\'', '"'] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// Shared handle used by sessions that list the catalog.
pub type Catalog = Arc<Vec<CannedQuery>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn q() -> CannedQuery {
        CannedQuery::parse(
            "t.sql",
            "-- name: t\n-- description: test\n-- param: district text | a district\n\
             -- param: year int = null | a year\n-- param: n int = 5\nSELECT $district, $year, $n",
        )
        .unwrap()
    }

    #[test]
    fn every_bundled_query_parses_and_says_how_it_rounds() {
        let all = catalog().unwrap();
        assert!(all.len() >= 4);
        for query in all {
            assert!(
                !query.description.is_empty(),
                "{} lacks a description",
                query.name
            );
            assert_ne!(
                query.rounding, "none",
                "{} must say how it rounds",
                query.name
            );
        }
    }

    #[test]
    fn binds_defaults_and_reports_mistakes() {
        let v = q().bind(&[("district".into(), "0100005".into())]).unwrap();
        assert_eq!(v["district"], ScalarValue::Utf8(Some("0100005".into())));
        assert_eq!(v["year"], ScalarValue::Int64(None));
        assert_eq!(v["n"], ScalarValue::Int64(Some(5)));
        let e = q().bind(&[]).unwrap_err().to_string();
        assert!(
            e.contains("missing required parameter district (text)"),
            "{e}"
        );
        let e = q()
            .bind(&[("distrct".into(), "x".into())])
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean \"district\""), "{e}");
        let e = q()
            .bind(&[
                ("district".into(), "x".into()),
                ("year".into(), "20x".into()),
            ])
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"20x\" is not an integer"), "{e}");
        let q = CannedQuery::parse(
            "t.sql",
            "-- name: t\n-- param: metric text(per_pupil,enrollment) = per_pupil\nSELECT $metric",
        )
        .unwrap();
        let e = q
            .bind(&[("metric".into(), "per_pupill".into())])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("cannot be \"per_pupill\"; did you mean \"per_pupil\"?")
                && e.contains("one of: per_pupil, enrollment"),
            "{e}"
        );
        assert!(q.bind(&[("metric".into(), "enrollment".into())]).is_ok());
    }
}
