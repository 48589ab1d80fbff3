//! The SQL shell: statements and meta commands, run interactively (rustyline),
//! from `-c`/`-f`, or one canned query at a time. All of them go through
//! [`Shell::execute_text`], so the REPL, scripts and `run` behave alike.

mod complete;
mod helper;
mod meta;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::execution::context::SQLOptions;
use datafusion::prelude::SessionContext;
use rustyline::error::ReadlineError;

use crate::engine::catalog;
use crate::error::{Error, Result};
use crate::output::{self, Format};
use crate::sqlfile::{is_complete, split_statements, tokenizes};

/// A shell over one configured session.
pub struct Shell {
    ctx: SessionContext,
    /// output format
    pub format: Format,
    /// print elapsed time after each statement
    pub timing: bool,
    /// print row counts and timings to stderr (off with --quiet)
    pub chatty: bool,
    /// how many `\i` scripts are open inside one another
    includes: usize,
}

/// What a line asked the shell to do next.
pub(crate) enum Next {
    Continue,
    Quit,
}

/// How deep `\i` may nest: a script that includes itself stops here.
const MAX_INCLUDE_DEPTH: usize = 16;

impl Shell {
    /// A shell over `ctx`.
    pub fn new(ctx: SessionContext, format: Format) -> Shell {
        Shell {
            ctx,
            format,
            timing: false,
            chatty: true,
            includes: 0,
        }
    }

    /// The session.
    pub fn context(&self) -> &SessionContext {
        &self.ctx
    }

    /// Runs a script (statements and meta-command lines) and stops at the
    /// first failing statement, whose error names `origin` and its line.
    /// Returns `false` when the script asked to quit (`\q`).
    pub async fn execute_text(
        &mut self,
        text: &str,
        origin: &str,
        out: &mut dyn Write,
    ) -> Result<bool> {
        // Meta commands are lines starting with a backslash, except inside a
        // string or comment; the SQL before one runs first, so a script's
        // `\format csv` applies to the statements after it.
        let mut sql = String::new();
        let mut sql_line = 1;
        for (i, line) in text.lines().enumerate() {
            if sql.trim().is_empty() {
                sql.clear();
                sql_line = i + 1;
            }
            if line.trim_start().starts_with('\\') && tokenizes(&sql) {
                let complete = is_complete(&sql);
                if complete {
                    self.execute_statements(
                        &std::mem::take(&mut sql),
                        origin,
                        sql_line,
                        out,
                    )
                    .await?;
                }
                let next = self.meta(line.trim(), out).await.map_err(|e| Error::At {
                    place: format!("{origin}:{}", i + 1),
                    source: Box::new(e),
                })?;
                if let Next::Quit = next {
                    return Ok(false);
                }
                if !sql.is_empty() {
                    // Keep the statement's line numbers true to the script.
                    sql.push('\n');
                }
            } else {
                sql.push_str(line);
                sql.push('\n');
            }
        }
        self.execute_statements(&sql, origin, sql_line, out).await?;
        Ok(true)
    }

    async fn execute_statements(
        &mut self,
        sql: &str,
        origin: &str,
        first_line: usize,
        out: &mut dyn Write,
    ) -> Result<()> {
        for statement in split_statements(sql) {
            let line = first_line + statement.line - 1;
            self.execute_sql(&statement.sql, out)
                .await
                .map_err(|e| at_place(origin, line, e))?;
        }
        Ok(())
    }

    /// Runs a script file for `\i`, refusing to nest without end.
    pub(crate) async fn include(
        &mut self,
        path: &str,
        out: &mut dyn Write,
    ) -> Result<bool> {
        if self.includes >= MAX_INCLUDE_DEPTH {
            return Err(Error::Usage(format!(
                "\\i {path}: scripts nest more than {MAX_INCLUDE_DEPTH} deep (does one include itself?)"
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        self.includes += 1;
        let result = Box::pin(self.execute_text(&text, path, out)).await;
        self.includes -= 1;
        result
    }

    /// Runs one SQL statement and prints its result.
    pub async fn execute_sql(&mut self, sql: &str, out: &mut dyn Write) -> Result<()> {
        let started = Instant::now();
        // Writing to the warehouse goes through `resmap ingest` only.
        let options = SQLOptions::new().with_allow_dml(false);
        let df = self.ctx.sql_with_options(sql, options).await.map_err(|e| {
            if e.to_string().contains("DML not supported") {
                Error::Usage(
                    "the shell only reads the warehouse; `resmap ingest` changes it"
                        .into(),
                )
            } else {
                Error::from(e)
            }
        })?;
        let schema: SchemaRef = Arc::new(df.schema().as_arrow().clone());
        let batches = df.collect().await?;
        self.print(&schema, &batches, started, out)
    }

    /// Runs a canned query with `k=v` parameters.
    pub async fn run_canned(
        &mut self,
        name: &str,
        params: &[String],
        out: &mut dyn Write,
    ) -> Result<()> {
        let started = Instant::now();
        let query = catalog::find(name)?;
        let values = query.bind(&catalog::parse_assignments(params)?)?;
        // Lowering the small-group threshold shows student groups the default
        // hides: allowed, but on the record.
        if let Some(datafusion::common::ScalarValue::Int64(Some(n))) =
            values.get("min_group")
            && *n < catalog::MIN_GROUP
        {
            log::warn!(
                "{}: showing student groups under {} (min_group={n}): unsuppressed results, \
                 keep them inside the district",
                query.name,
                catalog::MIN_GROUP
            );
        }
        let df = query.dataframe(&self.ctx, values).await?;
        let schema: SchemaRef = Arc::new(df.schema().as_arrow().clone());
        let batches = df.collect().await?;
        self.print(&schema, &batches, started, out)?;
        if self.chatty {
            eprintln!("({}; rounding: {})", query.name, query.rounding);
        }
        Ok(())
    }

    fn print(
        &self,
        schema: &SchemaRef,
        batches: &[RecordBatch],
        started: Instant,
        out: &mut dyn Write,
    ) -> Result<()> {
        // Statements such as CREATE VIEW or SET return no columns: print nothing.
        if !schema.fields().is_empty() {
            output::write(out, schema, batches, self.format)?;
        }
        out.flush().map_err(|e| Error::io("<stdout>", e))?;
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        if self.timing {
            eprintln!(
                "{rows} row{}; {:.3} s",
                if rows == 1 { "" } else { "s" },
                started.elapsed().as_secs_f64()
            );
        }
        Ok(())
    }

    /// The interactive loop.
    pub async fn repl(&mut self, history: Option<PathBuf>) -> Result<()> {
        let names = complete::Names::gather(&self.ctx, meta::command_names()).await;
        let mut editor = helper::editor(names)?;
        if let Some(h) = &history {
            if let Some(dir) = h.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = editor.load_history(h);
        }
        eprintln!("resmap shell: end statements with `;`, \\? for help, \\q to quit");
        let mut stdout = std::io::stdout();
        loop {
            match editor.readline("resmap> ") {
                Ok(line) => {
                    if line.trim().is_empty() {
                        continue;
                    }
                    let _ = editor.add_history_entry(line.as_str());
                    if let Some(h) = &history {
                        let _ = editor.save_history(h);
                    }
                    let outcome = tokio::select! {
                        r = self.execute_text(&line, "<input>", &mut stdout) => r,
                        _ = tokio::signal::ctrl_c() => {
                            Err(Error::Usage("cancelled".into()))
                        }
                    };
                    match outcome {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => eprintln!("error: {e}"),
                    }
                }
                Err(ReadlineError::Interrupted) => continue,
                Err(ReadlineError::Eof) => break,
                Err(e) => return Err(Error::Internal(format!("line editor: {e}"))),
            }
        }
        Ok(())
    }
}

/// The error at `origin:line`; a parser error's own `at Line: L, Column: C`
/// (counted within the statement) becomes the script's line and column.
fn at_place(origin: &str, line: usize, e: Error) -> Error {
    let text = e.to_string();
    let located = text.rfind(" at Line: ").and_then(|at| {
        let rest = &text[at + " at Line: ".len()..];
        let (l, c) = rest.split_once(", Column: ")?;
        let l: usize = l.trim().parse().ok()?;
        let c: usize = c
            .trim_end_matches(|ch: char| !ch.is_ascii_digit())
            .parse()
            .ok()?;
        Some((text[..at].to_string(), l, c))
    });
    match located {
        Some((message, l, c)) => Error::At {
            place: format!("{origin}:{}:{c}", line + l - 1),
            source: Box::new(Error::Usage(message)),
        },
        None => Error::At {
            place: format!("{origin}:{line}"),
            source: Box::new(e),
        },
    }
}

/// Where the shell keeps its history: `$RESMAP_HISTORY`, else the user's state
/// directory (`~/.local/state/resmap/history` on Linux).
pub fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("RESMAP_HISTORY") {
        return (!p.is_empty()).then(|| PathBuf::from(p));
    }
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .map(|d| d.join("resmap").join("history"))
}
