//! Backslash commands. Their listings are record batches printed in the
//! current format, so `\d` and `\queries` honour `\format csv` like any query.

use std::io::Write;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use super::{Next, Shell};
use crate::engine::catalog;
use crate::error::{Error, Result, closest};
use crate::output::{self, Format};
use crate::warehouse::schema;

/// The meta commands' names, for completion.
pub(crate) fn command_names() -> Vec<String> {
    let mut names: Vec<String> = HELP
        .iter()
        .map(|(c, _)| c.split(' ').next().unwrap_or(c).to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

const HELP: &[(&str, &str)] = &[
    ("\\q", "quit"),
    ("\\?", "this help"),
    ("\\d", "list tables and views"),
    (
        "\\d NAME",
        "describe a table or view: columns, types, meaning",
    ),
    ("\\queries", "list canned queries and their parameters"),
    ("\\run NAME k=v ...", "run a canned query"),
    (
        "\\format FORMAT",
        "set the output format: table, csv, json, ndjson, markdown",
    ),
    (
        "\\timing [on|off]",
        "print rows and elapsed time after each statement",
    ),
    ("\\i FILE", "run the statements in FILE"),
    (
        "\\coverage",
        "which districts and years each table holds, with row counts",
    ),
    (
        "\\h NAME",
        "help on a canned query (its parameters) or a function (its syntax)",
    ),
    (
        "\\x [on|off]",
        "expanded rows: each row as column | value lines",
    ),
    ("\\last", "show the previous result again"),
    (
        "\\o [FILE]",
        "send results to FILE (in the current format); \\o alone: back to the screen",
    ),
    ("\\once FILE", "send the next result to FILE"),
];

fn text_batch(columns: &[(&str, Vec<String>)]) -> Result<(SchemaRef, RecordBatch)> {
    let schema: SchemaRef = Arc::new(Schema::new(
        columns
            .iter()
            .map(|(n, _)| Field::new(*n, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    ));
    let arrays: Vec<ArrayRef> = columns
        .iter()
        .map(|(_, v)| Arc::new(StringArray::from(v.clone())) as ArrayRef)
        .collect();
    let batch = RecordBatch::try_new(Arc::clone(&schema), arrays)?;
    Ok((schema, batch))
}

impl Shell {
    fn show(&self, columns: &[(&str, Vec<String>)], out: &mut dyn Write) -> Result<()> {
        let (schema, batch) = text_batch(columns)?;
        output::write(out, &schema, &[batch], self.format)
    }

    pub(crate) async fn meta(&mut self, line: &str, out: &mut dyn Write) -> Result<Next> {
        // A meta command ends at its line; a `;` typed out of SQL habit is
        // not part of its last argument.
        let line = line.trim_end().trim_end_matches(';');
        let mut words = line.split_whitespace();
        let command = words.next().unwrap_or_default();
        let args: Vec<String> = words.map(str::to_string).collect();
        match command {
            "\\q" | "\\quit" => return Ok(Next::Quit),
            "\\h" | "\\help" if !args.is_empty() => self.help_on(&args[0], out)?,
            "\\coverage" => self.coverage(out).await?,
            "\\x" => {
                self.expanded = match args.first().map(String::as_str) {
                    None => !self.expanded,
                    Some("on") => true,
                    Some("off") => false,
                    Some(other) => {
                        return Err(Error::Usage(format!(
                            "\\x takes on or off, not {other:?}"
                        )));
                    }
                };
                eprintln!(
                    "expanded rows are {}",
                    if self.expanded { "on" } else { "off" }
                );
            }
            "\\last" => self.show_last(out)?,
            "\\o" | "\\out" => self.output_to(args.first().map(String::as_str))?,
            "\\once" => match args.first() {
                Some(f) => self.output_once(f)?,
                None => return Err(Error::Usage("\\once needs a file".into())),
            },
            "\\?" | "\\h" | "\\help" => {
                self.show(
                    &[
                        ("command", HELP.iter().map(|(c, _)| c.to_string()).collect()),
                        ("does", HELP.iter().map(|(_, d)| d.to_string()).collect()),
                    ],
                    out,
                )?;
            }
            "\\d" => match args.first() {
                None => self.list_relations(out).await?,
                Some(name) => self.describe(name, out).await?,
            },
            "\\queries" => {
                let all = catalog::catalog()?;
                self.show(
                    &[
                        ("name", all.iter().map(|q| q.name.clone()).collect()),
                        (
                            "parameters",
                            all.iter()
                                .map(|q| {
                                    q.params
                                        .iter()
                                        .map(|p| {
                                            let opt = if p.default.is_some() {
                                                "?"
                                            } else {
                                                ""
                                            };
                                            format!("{}{opt}:{}", p.name, p.ty)
                                        })
                                        .collect::<Vec<_>>()
                                        .join(" ")
                                })
                                .collect(),
                        ),
                        (
                            "description",
                            all.iter().map(|q| q.description.clone()).collect(),
                        ),
                    ],
                    out,
                )?;
            }
            "\\run" => {
                let Some((name, params)) = args.split_first() else {
                    return Err(Error::Usage(
                        "\\run needs a canned query name; see \\queries".into(),
                    ));
                };
                self.run_canned(name, params, out).await?;
            }
            "\\format" | "\\pset" => {
                let value = args.iter().rev().find(|a| *a != "format");
                match value {
                    Some(f) => self.format = f.parse::<Format>()?,
                    None => eprintln!("format is {}", self.format),
                }
            }
            "\\timing" => {
                self.timing = match args.first().map(String::as_str) {
                    None => !self.timing,
                    Some("on") => true,
                    Some("off") => false,
                    Some(other) => {
                        return Err(Error::Usage(format!(
                            "\\timing takes on or off, not {other:?}"
                        )));
                    }
                };
                eprintln!("timing is {}", if self.timing { "on" } else { "off" });
            }
            "\\i" | "\\include" => {
                let Some(path) = args.first() else {
                    return Err(Error::Usage("\\i needs a file".into()));
                };
                if !self.include(path, out).await? {
                    return Ok(Next::Quit);
                }
            }
            other => {
                let names = HELP.iter().map(|(c, _)| c.split(' ').next().unwrap_or(c));
                let hint = closest(other, names)
                    .map(|s| format!("; did you mean {s}?"))
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "unknown command {other}{hint} (\\? for help)"
                )));
            }
        }
        Ok(Next::Continue)
    }

    /// `\coverage`: per table, district and school year, the rows held.
    async fn coverage(&mut self, out: &mut dyn Write) -> Result<()> {
        let mut parts = Vec::new();
        for spec in schema::tables() {
            let Ok(provider) = self.context().table_provider(spec.name).await else {
                continue;
            };
            let s = provider.schema();
            if s.field_with_name("district_id").is_err()
                || s.field_with_name("school_year").is_err()
            {
                continue;
            }
            parts.push(format!(
                "SELECT '{0}' AS table_name, CAST(district_id AS VARCHAR) AS district_id, \
                 school_year, count(*) AS row_count FROM {0} GROUP BY district_id, school_year",
                spec.name
            ));
        }
        let sql = format!(
            "SELECT district_id, school_year, table_name, row_count FROM ({}) \
             ORDER BY district_id, school_year, table_name",
            parts.join(" UNION ALL ")
        );
        let df = self.context().sql(&sql).await?;
        let schema = Arc::new(df.schema().as_arrow().clone());
        let batches = df.collect().await?;
        output::write(out, &schema, &batches, self.format)
    }

    /// `\h NAME`: a canned query's parameters, or a function's syntax.
    fn help_on(&mut self, name: &str, out: &mut dyn Write) -> Result<()> {
        if let Ok(q) = catalog::find(name) {
            let usage = q.usage();
            return self.show(
                &[
                    ("canned query", vec![q.name.clone()]),
                    ("does", vec![q.description.clone()]),
                    ("parameters", vec![usage.trim().replace("\n  ", "\n")]),
                    ("rounding", vec![q.rounding.clone()]),
                ],
                out,
            );
        }
        let state = self.context().state();
        let lower = name.to_ascii_lowercase();
        let doc = state
            .scalar_functions()
            .get(&lower)
            .map(|f| f.documentation().cloned())
            .or_else(|| {
                state
                    .aggregate_functions()
                    .get(&lower)
                    .map(|f| f.documentation().cloned())
            })
            .or_else(|| {
                state
                    .window_functions()
                    .get(&lower)
                    .map(|f| f.documentation().cloned())
            });
        match doc {
            Some(doc) => {
                let (does, syntax, arguments) = match doc {
                    Some(d) => (
                        d.description.clone(),
                        d.syntax_example.clone(),
                        d.arguments
                            .as_ref()
                            .map(|a| {
                                a.iter()
                                    .map(|(n, t)| format!("{n}: {t}"))
                                    .collect::<Vec<_>>()
                                    .join("\n")
                            })
                            .unwrap_or_default(),
                    ),
                    None => {
                        ("(no description)".to_string(), String::new(), String::new())
                    }
                };
                self.show(
                    &[
                        ("function", vec![lower]),
                        ("does", vec![does]),
                        ("syntax", vec![syntax]),
                        ("arguments", vec![arguments]),
                    ],
                    out,
                )
            }
            None => {
                let queries = catalog::catalog()?;
                let mut pool: Vec<String> = queries.into_iter().map(|q| q.name).collect();
                pool.extend(state.scalar_functions().keys().cloned());
                pool.extend(state.aggregate_functions().keys().cloned());
                Err(Error::NotFound {
                    kind: "canned query or function",
                    name: name.to_string(),
                    suggestion: closest(name, pool.iter().map(String::as_str)),
                })
            }
        }
    }

    async fn list_relations(&mut self, out: &mut dyn Write) -> Result<()> {
        let df = self
            .context()
            .sql(
                "SELECT table_name, table_type FROM information_schema.tables \
                 WHERE table_schema = 'public' ORDER BY table_type, table_name",
            )
            .await?;
        let batches = df.collect().await?;
        let mut names = Vec::new();
        let mut kinds = Vec::new();
        for b in &batches {
            let n = datafusion::common::cast::as_string_array(b.column(0)).map(|a| {
                a.iter()
                    .map(|v| v.unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
            });
            let k = datafusion::common::cast::as_string_array(b.column(1)).map(|a| {
                a.iter()
                    .map(|v| v.unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
            });
            names.extend(n?);
            kinds.extend(k?);
        }
        let views = crate::engine::view_docs();
        let about: Vec<String> = names
            .iter()
            .zip(&kinds)
            .map(|(n, k)| match schema::table(n) {
                Some(t) => format!("canonical: {}", t.grain),
                None if k == "VIEW" => views
                    .get(n)
                    .filter(|d| !d.is_empty())
                    .map_or_else(|| "view".to_string(), |d| format!("view: {d}")),
                None => "reference data".to_string(),
            })
            .collect();
        self.show(&[("name", names), ("kind", kinds), ("about", about)], out)
    }

    async fn describe(&mut self, name: &str, out: &mut dyn Write) -> Result<()> {
        let provider = match self.context().table_provider(name).await {
            Ok(p) => p,
            Err(_) => {
                let all = self.context().catalog_names();
                let _ = all;
                let tables = self
                    .context()
                    .catalog("resmap")
                    .and_then(|c| c.schema("public"))
                    .map(|s| s.table_names())
                    .unwrap_or_default();
                return Err(Error::NotFound {
                    kind: "table or view",
                    name: name.to_string(),
                    suggestion: closest(name, tables.iter().map(String::as_str)),
                });
            }
        };
        let spec = schema::table(name);
        let s = provider.schema();
        let mut cols = Vec::new();
        let mut types = Vec::new();
        let mut nulls = Vec::new();
        let mut docs = Vec::new();
        for f in s.fields() {
            let canonical = spec.as_ref().and_then(|t| t.column(f.name()));
            cols.push(f.name().clone());
            // Canonical tables show the documented type (text, not how Delta
            // happens to read it: string views, dictionaries).
            types.push(match &canonical {
                Some(c) => schema::type_name(&c.data_type),
                // views: the same short names the results show
                None => output::fit::type_name(f.data_type()),
            });
            nulls.push(if f.is_nullable() { "yes" } else { "no" }.to_string());
            docs.push(
                spec.as_ref()
                    .and_then(|t| t.column(f.name()))
                    .map(|c| c.doc.to_string())
                    .unwrap_or_default(),
            );
        }
        self.show(
            &[
                ("column", cols),
                ("type", types),
                ("nullable", nulls),
                ("meaning", docs),
            ],
            out,
        )
    }
}
