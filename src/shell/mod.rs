//! The SQL shell: statements and meta commands, run interactively (rustyline),
//! from `-c`/`-f`, or one canned query at a time. All of them go through
//! [`Shell::execute_text`], so the REPL, scripts and `run` behave alike.

mod complete;
mod helper;
mod meta;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::execution::context::SQLOptions;
use datafusion::prelude::SessionContext;
use rustyline::error::ReadlineError;

use crate::engine::catalog;
use crate::error::{Error, Result, closest};
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
    /// `\x`: rows as blocks of `column | value` lines (table format)
    pub expanded: bool,
    /// the last result, for `\last`
    last: Option<(SchemaRef, Vec<RecordBatch>)>,
    /// `\o FILE`: results go to this file until `\o` alone
    output_file: Option<(PathBuf, std::fs::File)>,
    /// `\once FILE`: the next result goes to this file
    once_file: Option<PathBuf>,
    /// the warehouse folder, which `COPY ... TO` must not write into
    warehouse_dir: Option<PathBuf>,
    /// how much of a table result to show (a terminal's size); `None` = all,
    /// as written
    pub fit: Option<output::fit::Fit>,
    /// page results longer than the terminal through `$PAGER`
    pub pager: bool,
    /// `--no-pager`
    pub never_page: bool,
    /// `--provenance`: the warehouse tables' versions and digests, written
    /// after every result with the statement that made it
    pub provenance: Option<Vec<String>>,
    /// the statement or canned query behind the result being printed
    source: String,
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
            expanded: false,
            last: None,
            output_file: None,
            once_file: None,
            warehouse_dir: None,
            fit: None,
            pager: false,
            never_page: false,
            provenance: None,
            source: String::new(),
        }
    }

    /// Keeps `COPY ... TO` out of the warehouse folder `dir`.
    pub fn guard_warehouse(&mut self, dir: PathBuf) {
        self.warehouse_dir = Some(dir);
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
            self.execute_sql(&statement.sql, out).await.map_err(|e| {
                at_place(origin, line, &statement.sql, self.suggest_table(e))
            })?;
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
        // ... except that `COPY (query) TO 'file'` exports a result to a
        // file outside the warehouse.
        let copy = is_copy(sql);
        if copy {
            self.check_copy_target(sql)?;
        }
        let options = SQLOptions::new().with_allow_dml(copy);
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
        let batches = output::with_progress("running", df.collect()).await?;
        self.source = sql.trim().to_string();
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
        let batches = output::with_progress(&query.name, df.collect()).await?;
        self.source = format!("\\run {} {}", query.name, params.join(" "));
        self.print(&schema, &batches, started, out)?;
        if self.chatty {
            eprintln!("({}; rounding: {})", query.name, query.rounding);
            // an empty answer is most often a value the warehouse lacks
            if batches.iter().all(|b| b.num_rows() == 0) && !params.is_empty() {
                eprintln!(
                    "note: no rows for {}: values are matched exactly (district ids in \
                     their case); \\coverage lists the districts and years held",
                    params.join(" ")
                );
            }
        }
        Ok(())
    }

    fn print(
        &mut self,
        schema: &SchemaRef,
        batches: &[RecordBatch],
        started: Instant,
        out: &mut dyn Write,
    ) -> Result<()> {
        // Statements such as CREATE VIEW or SET return no columns: print nothing.
        if !schema.fields().is_empty() {
            if let Some(path) = self.once_file.take() {
                let mut f =
                    std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
                let format = file_format(&path, self.format);
                self.render_as(&mut f, schema, batches, format, false)?;
                self.stamp(&mut f, Some(&path), format)?;
                if self.chatty {
                    eprintln!("wrote {}", path.display());
                }
            } else if let Some((path, mut f)) = self.output_file.take() {
                let format = file_format(&path, self.format);
                let written = self
                    .render_as(&mut f, schema, batches, format, false)
                    .and_then(|()| self.stamp(&mut f, Some(&path), format));
                self.output_file = Some((path, f));
                written?;
            } else if self.pager && self.format == Format::Table {
                let mut text = Vec::new();
                self.render(&mut text, schema, batches)?;
                self.stamp(&mut text, None, self.format)?;
                page(&text, out)?;
            } else {
                if self.format == Format::Parquet && std::io::stdout().is_terminal() {
                    return Err(Error::Usage(
                        "Parquet is binary: send it to a file (\\o out.parquet, or > out.parquet)"
                            .into(),
                    ));
                }
                self.render(out, schema, batches)?;
                self.stamp(out, None, self.format)?;
            }
            self.last = Some((Arc::clone(schema), batches.to_vec()));
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

    /// Writes a result in the current format (rows as blocks under `\x`).
    fn render(
        &self,
        out: &mut dyn Write,
        schema: &SchemaRef,
        batches: &[RecordBatch],
    ) -> Result<()> {
        self.render_as(out, schema, batches, self.format, true)
    }

    /// Writes a result in `format` (a file's own, by its extension); cut to
    /// fit only on the `screen`, never in a file.
    fn render_as(
        &self,
        out: &mut dyn Write,
        schema: &SchemaRef,
        batches: &[RecordBatch],
        format: Format,
        screen: bool,
    ) -> Result<()> {
        let fit = if screen { self.fit } else { None };
        match (format, self.expanded, fit) {
            (Format::Table, true, _) => output::write_expanded(out, schema, batches),
            (Format::Table, false, Some(fit)) => {
                output::fit::write_fitted(out, schema, batches, fit)
            }
            _ => output::write(out, schema, batches, format),
        }
    }

    /// `--provenance`: after a result, what made it: the statement, resmap's
    /// version, the time, and each warehouse table's version and file digest.
    /// CSV gets `#` lines, Markdown a quoted block, a table plain lines; JSON
    /// stays JSON: its provenance goes to `FILE.provenance.txt` beside a file,
    /// or to stderr.
    fn stamp(
        &self,
        out: &mut dyn Write,
        file: Option<&std::path::Path>,
        format: Format,
    ) -> Result<()> {
        let Some(tables) = &self.provenance else {
            return Ok(());
        };
        // the statement line by line, as written (a `--` comment must not
        // swallow what follows it)
        let mut lines: Vec<String> = self
            .source
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    format!("query: {l}")
                } else {
                    format!("       {l}")
                }
            })
            .collect();
        lines.extend([format!(
            "resmap {} at {}",
            env!("CARGO_PKG_VERSION"),
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
        )]);
        lines.extend(tables.iter().cloned());
        let io = |e: std::io::Error| Error::io("<output>", e);
        match format {
            Format::Csv => {
                for l in &lines {
                    writeln!(out, "# {l}").map_err(io)?;
                }
            }
            Format::Markdown => {
                writeln!(out).map_err(io)?;
                for l in &lines {
                    writeln!(out, "> {l}  ").map_err(io)?;
                }
            }
            Format::Table => {
                for l in &lines {
                    writeln!(out, "{l}").map_err(io)?;
                }
            }
            Format::Json | Format::NdJson | Format::Parquet => match file {
                Some(path) => {
                    let mut side = path.as_os_str().to_owned();
                    side.push(".provenance.txt");
                    let side = PathBuf::from(side);
                    std::fs::write(&side, lines.join("\n") + "\n")
                        .map_err(|e| Error::io(&side, e))?;
                }
                None => {
                    for l in &lines {
                        eprintln!("{l}");
                    }
                }
            },
        }
        Ok(())
    }

    /// `\last`: the previous result again, whole.
    pub(crate) fn show_last(&mut self, out: &mut dyn Write) -> Result<()> {
        let Some((schema, batches)) = self.last.clone() else {
            return Err(Error::Usage("\\last: no result yet".into()));
        };
        // whole: no rows or columns cut
        let fit = self.fit.take();
        self.fit = fit.map(|_| output::fit::Fit {
            max_rows: None,
            max_width: None,
        });
        let shown = self.print(&schema, &batches, Instant::now(), out);
        self.fit = fit;
        shown
    }

    /// `\o [FILE]`: results to FILE (created afresh) until `\o` alone.
    pub(crate) fn output_to(&mut self, path: Option<&str>) -> Result<()> {
        self.output_file = None;
        if let Some(p) = path {
            self.refuse_inside_warehouse("\\o", p)?;
            let path = PathBuf::from(p);
            let f = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
            if self.chatty {
                eprintln!("results go to {} (\\o alone to stop)", path.display());
            }
            self.output_file = Some((path, f));
        }
        Ok(())
    }

    /// `\once FILE`: the next result to FILE.
    pub(crate) fn output_once(&mut self, path: &str) -> Result<()> {
        self.refuse_inside_warehouse("\\once", path)?;
        self.once_file = Some(PathBuf::from(path));
        Ok(())
    }

    /// A table the planner cannot find, with the closest one the session has;
    /// a "column" that is a double-quoted text value, with the quoting rule.
    fn suggest_table(&self, e: Error) -> Error {
        let text = e.to_string();
        if let Some(rest) = text.split("No field named \"").nth(1)
            && let Some(value) = rest.split('"').next()
        {
            return Error::Query(format!(
                "{}\nhint: \"{value}\" names a column; a text value takes single quotes: '{value}'",
                text.lines().next().unwrap_or(&text)
            ));
        }
        let Some(name) = regex::Regex::new(r"table '(?:[^'.]+\.)*([^'.]+)' not found")
            .ok()
            .and_then(|re| re.captures(&text).map(|c| c[1].to_string()))
        else {
            return e;
        };
        let tables = self
            .ctx
            .catalog("resmap")
            .and_then(|c| c.schema("public"))
            .map(|s| s.table_names())
            .unwrap_or_default();
        match closest(&name, tables.iter().map(String::as_str)) {
            Some(t) => Error::Query(format!("{text}; did you mean {t:?}?")),
            None => e,
        }
    }

    /// Refuses a `COPY ... TO` whose target lies inside the warehouse folder.
    fn check_copy_target(&self, sql: &str) -> Result<()> {
        match copy_target(sql) {
            Some(target) => self.refuse_inside_warehouse("COPY ... TO", &target),
            None => Ok(()),
        }
    }

    /// Refuses an output target (`COPY ... TO`, `\\o`, `\\once`) inside the
    /// warehouse folder, however it is written: relative, with `..`, through
    /// a symlink, or as a `file:` URL. Other URL schemes are refused outright.
    fn refuse_inside_warehouse(&self, what: &str, target: &str) -> Result<()> {
        let Some(dir) = &self.warehouse_dir else {
            return Ok(());
        };
        let refuse = || {
            Err(Error::Usage(format!(
                "{what} {target:?}: that is inside the warehouse; only `resmap ingest` \
                 writes there"
            )))
        };
        let lower = target.to_ascii_lowercase();
        let path = if lower.starts_with("file:") {
            match url::Url::parse(target)
                .ok()
                .and_then(|u| u.to_file_path().ok())
            {
                Some(p) => p,
                None => return refuse(),
            }
        } else if target.contains("://") {
            return Err(Error::Usage(format!(
                "{what} {target:?}: the shell writes local files only"
            )));
        } else {
            PathBuf::from(target)
        };
        let absolute = if path.is_absolute() {
            path
        } else {
            std::env::current_dir()
                .map_err(|e| Error::io(".", e))?
                .join(path)
        };
        let d = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
        // the target may not exist yet: resolve its nearest existing parent,
        // then put the rest back, dropping `..` against the resolved part
        let mut probe = absolute.clone();
        let mut rest: Vec<std::ffi::OsString> = Vec::new();
        while !probe.exists() {
            match probe.file_name() {
                Some(n) => rest.push(n.to_os_string()),
                None => break,
            }
            if !probe.pop() {
                break;
            }
        }
        let mut resolved = std::fs::canonicalize(&probe).unwrap_or(probe);
        for part in rest.into_iter().rev() {
            if part == ".." {
                resolved.pop();
            } else if part != "." {
                resolved.push(part);
            }
        }
        if resolved.starts_with(&d) {
            return refuse();
        }
        Ok(())
    }

    /// The interactive loop.
    pub async fn repl(&mut self, history: Option<PathBuf>) -> Result<()> {
        // TODO: the size is read once here, so a resized terminal keeps the
        // old fit; reading it before each result (or on SIGWINCH) would follow.
        if let Some((columns, rows)) = output::terminal_size(1) {
            // the table fits the terminal unless flags said otherwise
            self.fit.get_or_insert(output::fit::Fit {
                max_rows: Some(rows.saturating_sub(12).clamp(6, 40)),
                max_width: Some(columns),
            });
            self.pager = !self.never_page
                && std::env::var("RESMAP_PAGER").map_or(true, |p| p != "off");
        }
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

/// Shows `text` through `$PAGER` (`less -FRX` by default) when it is taller
/// than the terminal, else writes it to `out`.
fn page(text: &[u8], out: &mut dyn Write) -> Result<()> {
    let lines = text.iter().filter(|b| **b == b'\n').count();
    let rows = output::terminal_size(1).map_or(usize::MAX, |(_, rows)| rows);
    if lines + 2 < rows {
        return out.write_all(text).map_err(|e| Error::io("<stdout>", e));
    }
    let pager = std::env::var("RESMAP_PAGER")
        .or_else(|_| std::env::var("PAGER"))
        .unwrap_or_else(|_| "less -FRX".to_string());
    let mut words = pager.split_whitespace();
    let Some(program) = words.next() else {
        return out.write_all(text).map_err(|e| Error::io("<stdout>", e));
    };
    let child = std::process::Command::new(program)
        .args(words)
        .stdin(std::process::Stdio::piped())
        .spawn();
    match child {
        Ok(mut child) => {
            if let Some(mut stdin) = child.stdin.take() {
                // a pager quit early closes its input: not an error
                let _ = stdin.write_all(text);
            }
            let _ = child.wait();
            Ok(())
        }
        Err(_) => out.write_all(text).map_err(|e| Error::io("<stdout>", e)),
    }
}

/// The format a file's extension names (`out.parquet`, `out.csv`, `out.md`),
/// else the shell's.
fn file_format(path: &std::path::Path, current: Format) -> Format {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(|e| e.parse::<Format>().ok())
        .unwrap_or(current)
}

/// Whether a statement is a `COPY`.
fn is_copy(sql: &str) -> bool {
    let mut words = sql
        .lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .flat_map(str::split_whitespace);
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("copy"))
}

/// The target of `COPY ... TO 'target'`: the first quoted string after the
/// last ` TO `.
fn copy_target(sql: &str) -> Option<String> {
    let upper = sql.to_ascii_uppercase();
    let at = upper.rfind(" TO ")?;
    let rest = &sql[at + 4..];
    let start = rest.find('\'')? + 1;
    let end = rest[start..].find('\'')? + start;
    Some(rest[start..end].to_string())
}

/// The error at `origin:line[:column]`, with the statement's offending line
/// and a caret under the token when the parser (`at Line: L, Column: C`) or
/// the planner (a diagnostic's span) says where it is.
fn at_place(origin: &str, line: usize, sql: &str, e: Error) -> Error {
    let text = e.to_string();
    // (line, column, width) within the statement
    let span = match &e {
        Error::Sql(df) => df.diagnostic().and_then(|d| d.span).and_then(|s| {
            let (l, c) = (s.start.line as usize, s.start.column as usize);
            let width = if s.end.line == s.start.line {
                (s.end.column as usize).saturating_sub(c).max(1)
            } else {
                1
            };
            (l > 0 && c > 0).then_some((l, c, width))
        }),
        _ => None,
    };
    let parsed = text.rfind(" at Line: ").and_then(|at| {
        let rest = &text[at + " at Line: ".len()..];
        let (l, c) = rest.split_once(", Column: ")?;
        let l: usize = l.trim().parse().ok()?;
        let c: usize = c
            .trim_end_matches(|ch: char| !ch.is_ascii_digit())
            .parse()
            .ok()?;
        Some((text[..at].to_string(), l, c))
    });
    // a table the planner cannot find: where its name stands
    let named = || {
        let re = regex::Regex::new(r"table '(?:[^'.]+\.)*([^'.]+)' not found").ok()?;
        let name = re.captures(&text)?[1].to_string();
        let word =
            regex::Regex::new(&format!(r"(?i)\b{}\b", regex::escape(&name))).ok()?;
        sql.lines().enumerate().find_map(|(i, l)| {
            word.find(l).map(|m| {
                (
                    i + 1,
                    l[..m.start()].chars().count() + 1,
                    name.chars().count(),
                )
            })
        })
    };
    let (message, point) = match (parsed, span) {
        (Some((message, l, c)), _) => {
            // `SQL error: ParserError("Expected: ...` -> `Expected: ...`
            let message = message
                .strip_prefix("SQL error: ParserError(\"")
                .map(|m| format!("syntax error: {m}"))
                .unwrap_or(message);
            (message, Some((l, c, 1)))
        }
        (None, Some(p)) => (text.clone(), Some(p)),
        (None, None) => (text.clone(), named()),
    };
    let Some((l, c, width)) = point else {
        return Error::At {
            place: format!("{origin}:{line}"),
            source: Box::new(e),
        };
    };
    let excerpt = sql
        .lines()
        .nth(l - 1)
        .map(|source| {
            let pad: String = source
                .chars()
                .take(c - 1)
                .map(|ch| if ch == '\t' { '\t' } else { ' ' })
                .collect();
            format!("\n  {source}\n  {pad}{}", "^".repeat(width))
        })
        .unwrap_or_default();
    // a query that cannot be planned stays a query failure (exit 1); a
    // statement that does not parse is a usage mistake (exit 2)
    let source = if e.is_usage() || text.contains(" at Line: ") {
        Error::Usage(format!("{message}{excerpt}"))
    } else {
        Error::Query(format!("{message}{excerpt}"))
    };
    Error::At {
        place: format!("{origin}:{}:{c}", line + l - 1),
        source: Box::new(source),
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
