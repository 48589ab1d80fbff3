//! Ingest: raw files -> mapping -> validation -> one warehouse commit.
//!
//! Nothing is lost. Every raw record is written, rejected (with file, line,
//! column and reason) or excluded by the mapping's own filter, and the counts
//! are reported. A value the mapping cannot read is an execution error in
//! DataFusion; the ingest then narrows the failing rows down by running the
//! mapping over halves of the input (guided by the value the error quotes), so
//! one bad line rejects one line, not the file.

pub mod mapping;
pub mod raw;
mod validate;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use datafusion::arrow::array::{RecordBatch, UInt32Array};
use datafusion::arrow::compute::take_record_batch;
use datafusion::dataframe::DataFrame;
use datafusion::datasource::MemTable;
use datafusion::error::DataFusionError;
use datafusion::execution::context::SQLOptions;
use datafusion::prelude::{Expr, SessionContext};

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

/// Runs one ingest end to end.
pub async fn ingest(warehouse: &Warehouse, opts: IngestOptions) -> Result<IngestReport> {
    let started = Instant::now();
    let load_id = uuid::Uuid::new_v4().to_string();
    let mapping = &opts.mapping;
    let raw = raw::read_files(&opts.files, mapping).await?;
    log::debug!(
        "read {} records from {} file(s) for {}",
        raw.rows_read(),
        raw.files.len(),
        mapping.target.name
    );

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

    let runner = Runner::new(mapping, &raw, &opts, &load_id).await?;
    let rows: Vec<u32> = (0..raw.batch.num_rows() as u32).collect();
    let (batches, bad) = runner
        .run_isolating(rows, opts.max_rejects, rejects.len() as u64)
        .await?;
    for (row, reason) in bad {
        let (file, line) = raw.location(row as usize);
        let column = quoted_value(&reason)
            .map(|v| raw.columns_holding(row as usize, &v).join(", "))
            .unwrap_or_default();
        rejects.push(Reject {
            file,
            line,
            column,
            kind: "rejected",
            reason,
            record: raw.record_text(row as usize),
        });
    }

    let checked = validate::check_rows(batches, &mapping.target, &opts, &raw)?;
    rejects.extend(checked.rejects);
    let rejected = rejects.len() as u64;
    if rejected > opts.max_rejects {
        return Err(too_many(&rejects, opts.max_rejects));
    }

    let rows_written: u64 = checked.batches.iter().map(|b| b.num_rows() as u64).sum();
    let excluded = excluded_records(&raw, &rejects, checked.lines.as_ref());
    let rows_excluded = excluded.as_ref().map(|e| e.len() as u64);
    if let Some(e) = excluded {
        rejects.extend(e);
    }
    if rows_written == 0 {
        return Err(Error::Mapping {
            mapping: mapping.origin.clone(),
            message: format!(
                "no rows to write from {} records read ({} rejected); nothing was written",
                raw.rows_read(),
                rejected
            ),
        });
    }

    let scope = ReplaceScope {
        years: checked.district_years.clone(),
        source: mapping
            .target
            .layout
            .replaces_by_source()
            .then(|| mapping.source.clone()),
    };
    let metadata =
        commit_metadata(&load_id, mapping, &opts, &raw, rows_written, rejected);
    let outcome = warehouse
        .replace(&mapping.target, checked.batches, &scope, metadata)
        .await?;

    let rejects_file = if rejects.is_empty() {
        None
    } else {
        let path = opts
            .rejects_path
            .clone()
            .unwrap_or_else(|| default_rejects_path(mapping.target.name, &load_id));
        write_rejects(&path, &rejects)?;
        Some(path)
    };
    Ok(IngestReport {
        table: mapping.target.name,
        mapping: mapping.name.clone(),
        load_id,
        rows_read: raw.rows_read(),
        rows_written,
        rows_rejected: rejected,
        rows_excluded,
        district_years: scope.district_years(),
        version: outcome.version,
        rejects_file,
        elapsed: started.elapsed(),
    })
}

fn too_many(rejects: &[Reject], limit: u64) -> Error {
    let examples = rejects
        .iter()
        .filter(|r| r.kind == "rejected")
        .take(5)
        .map(|r| format!("  {}:{}: {}", r.file, r.line, r.reason))
        .collect::<Vec<_>>()
        .join("\n");
    Error::TooManyRejects {
        rejected: rejects.iter().filter(|r| r.kind == "rejected").count() as u64,
        limit,
        examples,
    }
}

fn commit_metadata(
    load_id: &str,
    mapping: &Mapping,
    opts: &IngestOptions,
    raw: &RawInput,
    written: u64,
    rejected: u64,
) -> HashMap<String, serde_json::Value> {
    let files: Vec<String> = opts.files.iter().map(|f| raw::file_name(f)).collect();
    HashMap::from([
        ("resmap.load_id".to_string(), load_id.into()),
        ("resmap.mapping".to_string(), mapping.name.clone().into()),
        ("resmap.source".to_string(), mapping.source.clone().into()),
        ("resmap.files".to_string(), serde_json::json!(files)),
        ("resmap.rows_read".to_string(), raw.rows_read().into()),
        ("resmap.rows_written".to_string(), written.into()),
        ("resmap.rows_rejected".to_string(), rejected.into()),
    ])
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

fn default_rejects_path(table: &str, load_id: &str) -> PathBuf {
    PathBuf::from("rejects").join(format!("{table}-{}.csv", &load_id[..8]))
}

fn write_rejects(path: &Path, rejects: &[Reject]) -> Result<()> {
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

/// Runs the mapping over subsets of the raw rows.
struct Runner<'a> {
    ctx: SessionContext,
    mapping: &'a Mapping,
    raw: &'a RawInput,
    project: Vec<Expr>,
}

enum RunError {
    /// the mapping does not plan: nothing row-specific
    Plan(DataFusionError),
    /// execution failed on some row(s)
    Rows(String),
}

impl<'a> Runner<'a> {
    async fn new(
        mapping: &'a Mapping,
        raw: &'a RawInput,
        opts: &IngestOptions,
        load_id: &str,
    ) -> Result<Runner<'a>> {
        let ctx = engine::base_session()?;
        let mut runner = Runner {
            ctx,
            mapping,
            raw,
            project: Vec::new(),
        };
        // Plan once over no rows to learn the mapping's columns.
        runner.register(&[])?;
        let df = match runner.plan().await {
            Ok(df) => df,
            Err(e) => return Err(mapping_error(mapping, &e)),
        };
        runner.project = validate::projection(df.schema(), mapping, opts, load_id)?;
        Ok(runner)
    }

    fn register(&self, rows: &[u32]) -> Result<()> {
        let batch = if rows.len() == self.raw.batch.num_rows() {
            self.raw.batch.clone()
        } else {
            take_record_batch(&self.raw.batch, &UInt32Array::from(rows.to_vec()))?
        };
        let table = MemTable::try_new(batch.schema(), vec![vec![batch]])?;
        self.ctx.deregister_table("raw")?;
        self.ctx.register_table("raw", Arc::new(table))?;
        Ok(())
    }

    async fn plan(&self) -> std::result::Result<DataFrame, DataFusionError> {
        let options = SQLOptions::new()
            .with_allow_ddl(false)
            .with_allow_dml(false)
            .with_allow_statements(false);
        self.ctx.sql_with_options(&self.mapping.sql, options).await
    }

    async fn run(&self, rows: &[u32]) -> std::result::Result<Vec<RecordBatch>, RunError> {
        self.register(rows)
            .map_err(|e| RunError::Plan(DataFusionError::External(Box::new(e))))?;
        let df = self.plan().await.map_err(RunError::Plan)?;
        let df = df.select(self.project.clone()).map_err(RunError::Plan)?;
        df.collect()
            .await
            .map_err(|e| RunError::Rows(e.find_root().message().trim().to_string()))
    }

    /// Runs the mapping over `rows`; when it fails, finds the rows that make it
    /// fail, sets them aside with the error, and runs over the rest.
    async fn run_isolating(
        &self,
        rows: Vec<u32>,
        max_rejects: u64,
        already_rejected: u64,
    ) -> Result<(Vec<RecordBatch>, Vec<(u32, String)>)> {
        match self.run(&rows).await {
            Ok(batches) => return Ok((batches, Vec::new())),
            Err(RunError::Plan(e)) => return Err(mapping_error(self.mapping, &e)),
            Err(RunError::Rows(first)) => {
                log::info!("mapping failed on some rows ({first}); isolating them");
            }
        }
        let mut good: Vec<u32> = Vec::new();
        let mut bad: Vec<(u32, String)> = Vec::new();
        let mut queue: Vec<Vec<u32>> = vec![rows];
        let mut runs = 0u64;
        while let Some(set) = queue.pop() {
            runs += 1;
            match self.run(&set).await {
                Ok(_) => good.extend(set),
                Err(RunError::Plan(e)) => return Err(mapping_error(self.mapping, &e)),
                Err(RunError::Rows(msg)) if set.len() == 1 => {
                    bad.push((set[0], msg));
                    if already_rejected + bad.len() as u64 > max_rejects {
                        let examples = bad
                            .iter()
                            .take(5)
                            .map(|(r, m)| {
                                let (f, l) = self.raw.location(*r as usize);
                                format!("  {f}:{l}: {m}")
                            })
                            .collect::<Vec<_>>()
                            .join("\n");
                        return Err(Error::TooManyRejects {
                            rejected: already_rejected + bad.len() as u64,
                            limit: max_rejects,
                            examples,
                        });
                    }
                }
                Err(RunError::Rows(msg)) => {
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
        let batches = match self.run(&good).await {
            Ok(b) => b,
            Err(RunError::Plan(e)) => return Err(mapping_error(self.mapping, &e)),
            Err(RunError::Rows(msg)) => {
                return Err(Error::Mapping {
                    mapping: self.mapping.origin.clone(),
                    message: format!(
                        "the mapping fails on a combination of rows, not on any one row: {msg}"
                    ),
                });
            }
        };
        Ok((batches, bad))
    }
}

fn mapping_error(mapping: &Mapping, e: &DataFusionError) -> Error {
    Error::Mapping {
        mapping: mapping.origin.clone(),
        message: e.find_root().message().trim().to_string(),
    }
}

/// District-years seen in written rows.
pub(crate) type DistrictYears = BTreeMap<i32, BTreeSet<String>>;

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
