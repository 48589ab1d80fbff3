//! Ingest: raw files -> mapping -> validation -> one warehouse commit.
//!
//! Nothing is lost. Every raw record is written, rejected (with file, line,
//! column and reason) or excluded by the mapping's own filter, and the counts
//! are reported. A value the mapping cannot read is an execution error in
//! DataFusion; the ingest then narrows the failing rows down, chunk by chunk,
//! by running the mapping (planned once) over parts of the input, guided by
//! the value the error quotes, so one bad line rejects one line, not the file.
//! Rows that pass the mapping are then checked against the canonical table:
//! required values, allowed values, the district and year asked for, and the
//! table's key within the ingest.

pub mod mapping;
pub mod pseudonym;
pub mod raw;
mod validate;
pub use validate::check_district_id;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use datafusion::arrow::array::{RecordBatch, UInt32Array};
use datafusion::arrow::compute::take_record_batch;
use datafusion::catalog::TableProvider;
use datafusion::datasource::MemTable;
use datafusion::error::DataFusionError;
use datafusion::execution::context::SQLOptions;
use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_plan::collect;
use datafusion::prelude::SessionContext;

use crate::engine;
use crate::error::{Error, Result};
use crate::warehouse::{ReplaceScope, Warehouse};
use mapping::Mapping;
use raw::RawInput;

/// What to ingest and how.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// the mapping to apply
    pub mapping: Mapping,
    /// raw files
    pub files: Vec<PathBuf>,
    /// district of every row, when the mapping does not say
    pub district: Option<String>,
    /// school year of every row, when the mapping does not say
    pub year: Option<i32>,
    /// where to write rejected and excluded records (default: `rejects/` here)
    pub rejects_path: Option<PathBuf>,
    /// stop without writing when more records than this are rejected
    pub max_rejects: u64,
    /// the district's key for pseudonymising raw student ids
    pub pseudonym_key: Option<pseudonym::PseudonymKey>,
}

/// The outcome of one ingest.
#[derive(Debug, Clone)]
pub struct IngestReport {
    /// table written
    pub table: &'static str,
    /// mapping used
    pub mapping: String,
    /// id stamped on every row
    pub load_id: String,
    /// records read from the files
    pub rows_read: u64,
    /// rows written to the warehouse
    pub rows_written: u64,
    /// records rejected
    pub rows_rejected: u64,
    /// records the mapping filtered out (known when it keeps `source_line`)
    pub rows_excluded: Option<u64>,
    /// district-years replaced
    pub district_years: usize,
    /// Delta version written
    pub version: u64,
    /// where rejected and excluded records were written, if any
    pub rejects_file: Option<PathBuf>,
    /// wall time
    pub elapsed: Duration,
}

/// One rejected or excluded record.
#[derive(Debug, Clone)]
pub struct Reject {
    /// raw file name
    pub file: String,
    /// line the record starts on (0 when unknown)
    pub line: u64,
    /// raw column (number and name) or canonical column at fault
    pub column: String,
    /// `rejected` or `excluded`
    pub kind: &'static str,
    /// why
    pub reason: String,
    /// the record as CSV text
    pub record: String,
}

/// Runs one ingest end to end: one commit.
pub async fn ingest(warehouse: &Warehouse, opts: IngestOptions) -> Result<IngestReport> {
    let mut reports = ingest_many(warehouse, vec![opts]).await?;
    reports
        .pop()
        .ok_or_else(|| Error::Internal("an ingest of one job reported nothing".into()))
}

/// Ingests several jobs of one mapping (each its files, district and year)
/// in one commit: every job is read, mapped and checked first, and when any
/// fails nothing is written. A state's districts load this way in one
/// version instead of one per district-year. Reports the whole as one.
pub async fn ingest_many(
    warehouse: &Warehouse,
    jobs: Vec<IngestOptions>,
) -> Result<Vec<IngestReport>> {
    let started = Instant::now();
    let load_id = uuid::Uuid::new_v4().to_string();
    let Some(first) = jobs.first() else {
        return Ok(Vec::new());
    };
    let mapping = first.mapping.clone();
    if let Some(other) = jobs.iter().find(|j| j.mapping.name != mapping.name) {
        return Err(Error::Usage(format!(
            "one commit takes one mapping: {} and {}",
            mapping.name, other.mapping.name
        )));
    }
    let mut batches = Vec::new();
    let mut years = DistrictYears::new();
    let (mut rows_read, mut rows_written, mut rejected) = (0u64, 0u64, 0u64);
    let mut rows_excluded = Some(0u64);
    let mut rejects_files = Vec::new();
    let mut files = Vec::new();
    let several = jobs.len() > 1;
    for (n, job) in jobs.iter().enumerate() {
        // jobs of one load share its id; their default rejects files must not
        let short = &load_id[..8];
        let tag = if several {
            format!("{short}-{}", n + 1)
        } else {
            short.to_string()
        };
        let one = prepare(job, &load_id, &tag).await?;
        batches.extend(one.batches);
        for (year, districts) in one.district_years {
            years.entry(year).or_default().extend(districts);
        }
        rows_read += one.rows_read;
        rows_written += one.rows_written;
        rejected += one.rejected;
        rows_excluded = rows_excluded.zip(one.rows_excluded).map(|(a, b)| a + b);
        rejects_files.extend(one.rejects_file);
        files.extend(job.files.iter().map(|f| raw::file_name(f)));
    }
    let scope = ReplaceScope {
        years,
        source: mapping
            .target
            .layout
            .replaces_by_source()
            .then(|| mapping.source.clone()),
    };
    let metadata = HashMap::from([
        ("resmap.load_id".to_string(), load_id.clone().into()),
        ("resmap.mapping".to_string(), mapping.name.clone().into()),
        ("resmap.source".to_string(), mapping.source.clone().into()),
        ("resmap.files".to_string(), serde_json::json!(files)),
        ("resmap.rows_read".to_string(), rows_read.into()),
        ("resmap.rows_written".to_string(), rows_written.into()),
        ("resmap.rows_rejected".to_string(), rejected.into()),
    ]);
    let committed = warehouse
        .replace(&mapping.target, batches, &scope, metadata)
        .await?;
    Ok(vec![IngestReport {
        table: mapping.target.name,
        mapping: mapping.name.clone(),
        load_id,
        rows_read,
        rows_written,
        rows_rejected: rejected,
        rows_excluded,
        district_years: scope.district_years(),
        version: committed.version,
        rejects_file: rejects_files.first().cloned(),
        elapsed: started.elapsed(),
    }])
}

/// One job read, mapped and checked, ready to commit.
struct Prepared {
    batches: Vec<RecordBatch>,
    district_years: DistrictYears,
    rows_read: u64,
    rows_written: u64,
    rejected: u64,
    rows_excluded: Option<u64>,
    rejects_file: Option<PathBuf>,
}

/// Reads, maps and checks one job; writes its rejects file; commits nothing.
async fn prepare(opts: &IngestOptions, load_id: &str, tag: &str) -> Result<Prepared> {
    let load_id = load_id.to_string();
    let mapping = &opts.mapping;
    // Fail before reading anything when raw student ids would have no key.
    if student_id_column(mapping).is_some()
        && !mapping.ids_pseudonymous
        && opts.pseudonym_key.is_none()
    {
        return Err(missing_key(mapping));
    }
    let raw = raw::read_files(&opts.files, mapping).await?;
    log::debug!(
        "read {} records from {} file(s) for {}",
        raw.rows_read(),
        raw.files.len(),
        mapping.target.name
    );
    let rejects_path = opts
        .rejects_path
        .clone()
        .unwrap_or_else(|| default_rejects_path(mapping.target.name, tag));

    let mut rejects: Vec<Reject> = raw
        .rejects
        .iter()
        .map(|r| Reject {
            file: r.file.clone(),
            line: r.line,
            column: r.column.clone(),
            kind: "rejected",
            reason: r.reason.clone(),
            record: r.record.clone(),
        })
        .collect();

    let runner = Runner::new(mapping, &raw, opts, &load_id).await?;
    let rows: Vec<u32> = (0..raw.batch.num_rows() as u32).collect();
    let cap = mapping
        .max_rejects
        .map_or(opts.max_rejects, |m| m.min(opts.max_rejects));
    let budget = cap.saturating_sub(rejects.len() as u64);
    let outcome = runner.run_isolating(rows, budget).await?;
    for (row, reason) in &outcome.bad {
        let row = *row as usize;
        let (file, line) = raw.location(row);
        let column = quoted_value(reason)
            .map(|v| raw.columns_holding(row, &v).join(", "))
            .unwrap_or_default();
        rejects.push(Reject {
            file,
            line,
            column,
            kind: "rejected",
            reason: reason.clone(),
            record: raw.record_text(row),
        });
    }
    let Some(batches) = outcome.batches else {
        // Too many rows failed: stop before checking the rest.
        write_rejects(&rejects_path, &rejects)?;
        return Err(too_many(&rejects, cap, &rejects_path));
    };

    // Raw student ids never reach the warehouse: hash them with the key.
    let batches = match student_id_column(mapping) {
        Some(_) if mapping.ids_pseudonymous => batches,
        Some(name) => {
            let key = opts
                .pseudonym_key
                .as_ref()
                .ok_or_else(|| missing_key(mapping))?;
            batches
                .iter()
                .map(|b| match b.schema().index_of(name) {
                    Ok(i) => key.apply(b, i),
                    Err(_) => Ok(b.clone()),
                })
                .collect::<Result<Vec<_>>>()?
        }
        None => batches,
    };
    let checked = validate::check_rows(batches, &mapping.target, opts, &raw)?;
    rejects.extend(checked.rejects);
    let rejected = rejects.len() as u64;
    let rows_written: u64 = checked.batches.iter().map(|b| b.num_rows() as u64).sum();
    let excluded = excluded_records(&raw, &rejects, checked.lines.as_ref());
    let rows_excluded = excluded.as_ref().map(|e| e.len() as u64);
    if let Some(e) = excluded {
        rejects.extend(e);
    }
    // The rejects file is written before anything is committed: if it cannot
    // be written, the warehouse is not touched.
    let rejects_file = if rejects.is_empty() {
        None
    } else {
        write_rejects(&rejects_path, &rejects)?;
        Some(rejects_path.clone())
    };
    if rejected > cap {
        return Err(too_many(&rejects, cap, &rejects_path));
    }
    if rows_written == 0 {
        let listed = rejects_file
            .as_ref()
            .map(|p| format!("; every record is listed in {}", p.display()))
            .unwrap_or_default();
        return Err(Error::Mapping {
            mapping: mapping.origin.clone(),
            message: format!(
                "no rows to write from {} records read ({rejected} rejected, {} excluded); \
                 nothing was written{listed}",
                raw.rows_read(),
                rows_excluded.map_or("some".to_string(), |n| n.to_string()),
            ),
        });
    }

    Ok(Prepared {
        batches: checked.batches,
        district_years: checked.district_years,
        rows_read: raw.rows_read(),
        rows_written,
        rejected,
        rows_excluded,
        rejects_file,
    })
}

fn too_many(rejects: &[Reject], limit: u64, path: &Path) -> Error {
    let rejected: Vec<&Reject> =
        rejects.iter().filter(|r| r.kind == "rejected").collect();
    let mut examples = rejected
        .iter()
        .take(5)
        .map(|r| format!("  {}:{}: {}", r.file, r.line, r.reason))
        .collect::<Vec<_>>()
        .join("\n");
    examples.push_str(&format!("\nrejected records so far: {}", path.display()));
    Error::TooManyRejects {
        rejected: rejected.len() as u64,
        limit,
        examples,
    }
}

/// Records neither written nor rejected: those the mapping's WHERE left out.
/// Known only when every written row carries its `source_line`.
fn excluded_records(
    raw: &RawInput,
    rejects: &[Reject],
    written_lines: Option<&HashSet<(String, u64)>>,
) -> Option<Vec<Reject>> {
    let written = written_lines?;
    let rejected: HashSet<(&str, u64)> =
        rejects.iter().map(|r| (r.file.as_str(), r.line)).collect();
    let mut out = Vec::new();
    for row in 0..raw.batch.num_rows() {
        let (file, line) = raw.location(row);
        if rejected.contains(&(file.as_str(), line))
            || written.contains(&(file.clone(), line))
        {
            continue;
        }
        out.push(Reject {
            file,
            line,
            column: String::new(),
            kind: "excluded",
            reason: "left out by the mapping's filter".into(),
            record: raw.record_text(row),
        });
    }
    Some(out)
}

fn default_rejects_path(table: &str, tag: &str) -> PathBuf {
    PathBuf::from("rejects").join(format!("{table}-{tag}.csv"))
}

fn write_rejects(path: &Path, rejects: &[Reject]) -> Result<()> {
    let mut rejects: Vec<&Reject> = rejects.iter().collect();
    rejects.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut w = csv::Writer::from_path(path).map_err(|e| Error::io(path, e.into()))?;
    let io = |e: csv::Error| Error::io(path, e.into());
    w.write_record(["file", "line", "column", "kind", "reason", "record"])
        .map_err(io)?;
    for r in rejects {
        w.write_record([
            r.file.as_str(),
            &r.line.to_string(),
            r.column.as_str(),
            r.kind,
            r.reason.as_str(),
            r.record.as_str(),
        ])
        .map_err(io)?;
    }
    w.flush().map_err(|e| Error::io(path, e))?;
    Ok(())
}

/// The first quoted value in an error message: `"x"` (our functions) or `'x'`
/// (Arrow's casts).
fn quoted_value(message: &str) -> Option<String> {
    for quote in ['"', '\''] {
        if let Some(start) = message.find(quote) {
            let rest = &message[start + 1..];
            let mut value = String::new();
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if quote == '"' => {
                        if let Some(n) = chars.next() {
                            value.push(n);
                        }
                    }
                    c if c == quote => return Some(value),
                    c => value.push(c),
                }
            }
        }
    }
    None
}

/// Runs the mapping over subsets of the raw rows. The mapping is planned
/// once; each run puts other rows into the `raw` table and executes the same
/// plan, so narrowing down failing rows costs executions, not plannings.
struct Runner<'a> {
    ctx: SessionContext,
    mapping: &'a Mapping,
    raw: &'a RawInput,
    table: Arc<MemTable>,
    plan: LogicalPlan,
}

/// Rows per chunk when looking for the rows a mapping fails on.
const ISOLATION_CHUNK: usize = 1024;

/// What running the mapping over the raw rows gave.
struct Outcome {
    /// the rows written, or `None` when more rows failed than allowed
    batches: Option<Vec<RecordBatch>>,
    /// rows that fail the mapping on their own, with the error
    bad: Vec<(u32, String)>,
}

impl<'a> Runner<'a> {
    async fn new(
        mapping: &'a Mapping,
        raw: &'a RawInput,
        opts: &IngestOptions,
        load_id: &str,
    ) -> Result<Runner<'a>> {
        let ctx = engine::base_session()?;
        let table = Arc::new(MemTable::try_new(raw.batch.schema(), vec![vec![]])?);
        ctx.register_table("raw", Arc::clone(&table) as Arc<dyn TableProvider>)?;
        let options = SQLOptions::new()
            .with_allow_ddl(false)
            .with_allow_dml(false)
            .with_allow_statements(false);
        let df = ctx
            .sql_with_options(&mapping.sql, options)
            .await
            .map_err(|e| mapping_error(mapping, raw, &e))?;
        validate::refuse_text_to_number_casts(df.logical_plan(), mapping)?;
        let project = validate::projection(df.schema(), mapping, opts, load_id)?;
        let plan = df
            .select(project)
            .and_then(|df| df.into_optimized_plan())
            .map_err(|e| mapping_error(mapping, raw, &e))?;
        Ok(Runner {
            ctx,
            mapping,
            raw,
            table,
            plan,
        })
    }

    async fn run(&self, rows: &[u32]) -> std::result::Result<Vec<RecordBatch>, String> {
        let batch = if rows.len() == self.raw.batch.num_rows() {
            self.raw.batch.clone()
        } else {
            take_record_batch(&self.raw.batch, &UInt32Array::from(rows.to_vec()))
                .map_err(|e| e.to_string())?
        };
        *self.table.batches[0].write().await = vec![batch];
        let root = |e: DataFusionError| e.find_root().message().trim().to_string();
        let physical = self
            .ctx
            .state()
            .create_physical_plan(&self.plan)
            .await
            .map_err(root)?;
        collect(physical, self.ctx.task_ctx()).await.map_err(root)
    }

    /// Runs the mapping over `rows`; when it fails, finds the rows that make it
    /// fail, sets them aside with the error, and runs over the rest. Gives up
    /// after `budget` failing rows.
    async fn run_isolating(&self, rows: Vec<u32>, budget: u64) -> Result<Outcome> {
        let first = match self.run(&rows).await {
            Ok(batches) => {
                return Ok(Outcome {
                    batches: Some(batches),
                    bad: Vec::new(),
                });
            }
            Err(first) => first,
        };
        // A mapping that fails on no rows at all is wrong as written.
        if let Err(e) = self.run(&[]).await {
            return Err(Error::Mapping {
                mapping: self.mapping.origin.clone(),
                message: format!("the mapping fails whatever the rows: {e}"),
            });
        }
        log::info!("the mapping fails on some rows ({first}); isolating them");
        let mut good: Vec<u32> = Vec::new();
        let mut bad: Vec<(u32, String)> = Vec::new();
        // Look in chunks: a run copies its rows, so narrowing down inside a
        // small chunk is cheap where re-running the whole input would not be.
        let mut queue: Vec<Vec<u32>> = rows
            .chunks(ISOLATION_CHUNK)
            .rev()
            .map(<[u32]>::to_vec)
            .collect();
        let mut runs = 0u64;
        while let Some(set) = queue.pop() {
            runs += 1;
            match self.run(&set).await {
                Ok(_) => good.extend(set),
                Err(msg) if set.len() == 1 => {
                    bad.push((set[0], msg));
                    if bad.len() as u64 > budget {
                        return Ok(Outcome { batches: None, bad });
                    }
                }
                Err(msg) => {
                    // Rows holding the value the error quotes are the likely
                    // culprits: try the others together first.
                    let suspects: Vec<u32> = match quoted_value(&msg) {
                        Some(v) => set
                            .iter()
                            .copied()
                            .filter(|r| {
                                !self.raw.columns_holding(*r as usize, &v).is_empty()
                            })
                            .collect(),
                        None => Vec::new(),
                    };
                    if !suspects.is_empty() && suspects.len() < set.len() {
                        let s: HashSet<u32> = suspects.iter().copied().collect();
                        let rest: Vec<u32> =
                            set.into_iter().filter(|r| !s.contains(r)).collect();
                        queue.push(rest);
                        queue.push(suspects);
                    } else {
                        let mid = set.len() / 2;
                        let (a, b) = set.split_at(mid);
                        queue.push(b.to_vec());
                        queue.push(a.to_vec());
                    }
                }
            }
        }
        log::info!("isolated {} failing rows in {runs} runs", bad.len());
        good.sort_unstable();
        match self.run(&good).await {
            Ok(batches) => Ok(Outcome {
                batches: Some(batches),
                bad,
            }),
            Err(msg) => Err(Error::Mapping {
                mapping: self.mapping.origin.clone(),
                message: format!(
                    "the mapping fails on a combination of rows, not on any one row: {msg}"
                ),
            }),
        }
    }
}

fn mapping_error(mapping: &Mapping, raw: &RawInput, e: &DataFusionError) -> Error {
    let message = e.find_root().message().trim().to_string();
    // A column the mapping reads and the file lacks is the file's problem:
    // name the file and what it has.
    let missing = message
        .strip_prefix("No field named ")
        .and_then(|m| m.split(['.', ' ']).nth(1).map(|c| c.trim_end_matches('.')))
        .filter(|_| message.starts_with("No field named raw."));
    if let Some(column) = missing {
        let files: Vec<String> = raw
            .files
            .iter()
            .map(|f| f.0.display().to_string())
            .collect();
        let has: Vec<String> = raw
            .batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .filter(|n| !n.starts_with('_'))
            .collect();
        return Error::Usage(format!(
            "{}: no column {column:?}, which mapping {} reads (the file has: {})",
            files.join(", "),
            mapping.name,
            has.join(", ")
        ));
    }
    Error::Mapping {
        mapping: mapping.origin.clone(),
        message,
    }
}

/// District-years seen in written rows.
pub(crate) type DistrictYears = BTreeMap<i32, BTreeSet<String>>;

/// The student id column of the mapping's target table, if it has one.
fn student_id_column(mapping: &Mapping) -> Option<&'static str> {
    mapping
        .target
        .all_columns()
        .iter()
        .any(|c| c.name == "student_id")
        .then_some("student_id")
}

fn missing_key(mapping: &Mapping) -> Error {
    Error::Usage(format!(
        "mapping {} loads student ids into {}: give the district's pseudonym key \
         (--pseudonym-key-file FILE or {}) so that raw ids never reach the warehouse, \
         or mark a mapping whose ids are already pseudonymous with \
         `-- student-ids: pseudonymous`",
        mapping.name,
        mapping.target.name,
        pseudonym::KEY_ENV
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_value_an_error_quotes() {
        assert_eq!(
            quoted_value(
                "parse_money: cannot read \"Purplicious\" as money: not a number"
            ),
            Some("Purplicious".into())
        );
        assert_eq!(
            quoted_value(
                "Cast error: Cannot cast string '3/16/2019' to value of Date32 type"
            ),
            Some("3/16/2019".into())
        );
        assert_eq!(quoted_value("say \"a \\\"b\\\"\""), Some("a \"b\"".into()));
        assert_eq!(quoted_value("nothing quoted"), None);
    }
}

/// The mapping step under arbitrary values: every demo mapping, fed rows
/// whose fields are drawn from number-, date-, marker- and free-text-like
/// strings (the CSV itself well formed, so the values reach the mapping's SQL
/// and the validation), never panics; an ingest that succeeds accounts for
/// every record (read = written + rejected + excluded), and one that fails
/// commits nothing. Cases per run: PROPTEST_CASES (default 24); a long run:
/// `PROPTEST_CASES=3000 cargo test --lib mapping_fuzz`.
#[cfg(test)]
mod mapping_fuzz {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;

    /// The demo mappings and the header of a fixture file each reads.
    fn mappings() -> Vec<(Mapping, Vec<String>)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dq_example");
        let mut out = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("DQ01_"))
            })
            .collect();
        files.sort();
        for path in files {
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            let table = stem.trim_start_matches("DQ01_2024_");
            let mapping =
                Mapping::load(&format!("demo_{table}")).expect("bundled mapping");
            let header = csv::Reader::from_path(&path)
                .expect("fixture")
                .headers()
                .expect("header")
                .iter()
                .map(str::to_string)
                .collect();
            out.push((mapping, header));
        }
        out
    }

    /// A field value: numbers in the forms exports write them, dates in
    /// several orders (some impossible), the markers of missing values, and
    /// any short text.
    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            "-?[0-9]{1,22}(\\.[0-9]{0,4})?",
            "\\(?\\$?[0-9]{1,3}(,[0-9]{3}){0,6}\\.[0-9]{2}\\)? ?",
            "[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}",
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
            prop::sample::select(vec![
                "",
                " ",
                "N.A.",
                "#DIV/0!",
                "s",
                "-",
                "NULL",
                "1e309",
                "-0",
                "Y",
                "N",
                "TOR",
                "YR",
                "ACT",
                "BUD",
                "1.000",
                "0.5000",
                "99999999999999999999.99",
                "02/29/2023",
                "13/45/2020",
                "06/31/2024",
                "TEACHER",
                "ela",
                "gened",
            ])
            .prop_map(str::to_string),
            "\\PC{0,12}",
        ]
    }

    fn runtime() -> &'static tokio::runtime::Runtime {
        static RT: std::sync::OnceLock<tokio::runtime::Runtime> =
            std::sync::OnceLock::new();
        RT.get_or_init(|| tokio::runtime::Runtime::new().expect("runtime"))
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24),
            ..ProptestConfig::default()
        })]
        #[test]
        fn any_values_through_any_demo_mapping(
            pick in any::<prop::sample::Index>(),
            cells in prop::collection::vec(field(), 1..120),
        ) {
            let all = mappings();
            let (mapping, header) = all[pick.index(all.len())].clone();
            let dir = tempfile::tempdir().expect("temp dir");
            let file = dir.path().join("raw.csv");
            let mut w = csv::Writer::from_path(&file).expect("raw file");
            w.write_record(&header).expect("header");
            let mut records = 0u64;
            for row in cells.chunks(header.len()) {
                let mut r: Vec<String> = row.to_vec();
                r.resize(header.len(), String::new());
                // a record of blanks only is not a record (the reader skips it)
                if r.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                w.write_record(&r).expect("record");
                records += 1;
            }
            w.flush().expect("flush");
            drop(w);
            let warehouse = Warehouse::new(dir.path().join("wh").to_str().unwrap()).expect("warehouse");
            let table = mapping.target.name;
            let outcome = runtime().block_on(ingest(&warehouse, IngestOptions {
                mapping,
                files: vec![file],
                district: Some("FZ01".into()),
                year: Some(2024),
                rejects_path: Some(dir.path().join("rejects.csv")),
                max_rejects: u64::MAX,
                pseudonym_key: None,
            }));
            match outcome {
                Ok(report) => {
                    prop_assert_eq!(report.rows_read, records);
                    // (the demo mappings carry source lines, so exclusions
                    // are counted)
                    let excluded = report.rows_excluded.expect("excluded rows counted");
                    prop_assert_eq!(
                        report.rows_read,
                        report.rows_written + report.rows_rejected + excluded
                    );
                }
                Err(_) => {
                    // nothing committed: the table has no version
                    let opened = runtime().block_on(warehouse.open(table)).expect("open");
                    prop_assert!(opened.is_none(), "a failed ingest committed {}", table);
                }
            }
        }
    }
}
