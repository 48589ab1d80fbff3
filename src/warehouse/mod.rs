//! The warehouse: one Delta Lake table per canonical table under one folder or
//! object-store URL. Every write is a single Delta commit that replaces exactly
//! the district-years (and, for published figures, the source) it brings.

pub mod schema;
mod store;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::DataType;
use datafusion::catalog::TableProvider;
use datafusion::common::ScalarValue;
use datafusion::datasource::MemTable;
use datafusion::prelude::{Expr, SessionContext, cast, col, lit};
use deltalake::DeltaTable;
use deltalake::kernel::transaction::CommitProperties;
use deltalake::operations::write::SchemaMode;
use deltalake::protocol::SaveMode;
use url::Url;

use crate::error::{Error, Result};
use schema::TableSpec;

/// A warehouse location.
#[derive(Debug, Clone)]
pub struct Warehouse {
    root: Url,
    as_of: Option<chrono::DateTime<chrono::Utc>>,
}

/// What one commit replaced and wrote.
#[derive(Debug, Clone)]
pub struct CommitOutcome {
    /// the table's version after the commit
    pub version: u64,
    /// rows written
    pub rows: u64,
}

/// The district-years (and source) a write replaces.
#[derive(Debug, Clone, Default)]
pub struct ReplaceScope {
    /// school year -> districts
    pub years: BTreeMap<i32, BTreeSet<String>>,
    /// only rows of this source, for published figures
    pub source: Option<String>,
}

impl ReplaceScope {
    /// One label per district-year replaced: `DISTRICT YEAR`, with the source
    /// when only its rows are replaced.
    pub fn labels(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (year, districts) in &self.years {
            for d in districts {
                out.push(match &self.source {
                    Some(s) => format!("{d} {year} ({s})"),
                    None => format!("{d} {year}"),
                });
            }
        }
        out
    }

    /// The Delta predicate matching exactly the rows this write replaces.
    pub fn predicate(&self) -> Option<Expr> {
        let mut per_year = self.years.iter().map(|(year, districts)| {
            let list: Vec<Expr> = districts.iter().map(|d| lit(d.as_str())).collect();
            col("school_year")
                .eq(lit(*year))
                .and(col("district_id").in_list(list, false))
        });
        let first = per_year.next()?;
        let years = per_year.fold(first, Expr::or);
        Some(match &self.source {
            Some(s) => col("source").eq(lit(s.as_str())).and(years),
            None => years,
        })
    }

    /// Number of district-years covered.
    pub fn district_years(&self) -> usize {
        self.years.values().map(BTreeSet::len).sum()
    }
}

impl Warehouse {
    /// A warehouse at `location`: a local folder (created on first write), a
    /// `file://` URL, or an `s3://bucket/prefix` URL (credentials, region and
    /// endpoint from the `AWS_*` environment variables).
    pub fn new(location: &str) -> Result<Warehouse> {
        let root = if location.contains("://") {
            let url = Url::parse(location)
                .map_err(|e| Error::Usage(format!("warehouse URL {location:?}: {e}")))?;
            if store::OBJECT_STORE_SCHEMES.contains(&url.scheme()) {
                store::register();
            } else if url.scheme() != "file" {
                return Err(Error::Usage(format!(
                    "warehouse {location:?}: {}:// is not a warehouse location resmap \
                     can use; use a local folder, a file:// URL or an s3:// URL",
                    url.scheme()
                )));
            }
            url
        } else {
            let path =
                std::path::absolute(location).map_err(|e| Error::io(location, e))?;
            Url::from_directory_path(&path).map_err(|()| {
                Error::Usage(format!("warehouse path {location:?} is not usable"))
            })?
        };
        let mut root = root;
        if !root.path().ends_with('/') {
            root.set_path(&format!("{}/", root.path()));
        }
        Ok(Warehouse { root, as_of: None })
    }

    /// Reads every table as it was at `time`: the versions committed by then,
    /// so an earlier answer can be reproduced after later ingests.
    pub fn as_of(mut self, time: chrono::DateTime<chrono::Utc>) -> Warehouse {
        self.as_of = Some(time);
        self
    }

    /// The warehouse's root URL.
    pub fn url(&self) -> &Url {
        &self.root
    }

    /// True when the warehouse is a local folder that does not exist yet.
    pub fn is_missing_local(&self) -> bool {
        self.root.scheme() == "file"
            && self.root.to_file_path().is_ok_and(|p| !p.exists())
    }

    fn table_url(&self, table: &str) -> Result<Url> {
        self.root
            .join(&format!("{table}/"))
            .map_err(|e| Error::Internal(format!("table URL for {table}: {e}")))
    }

    /// Opens a table; `None` when nothing has been written to it yet.
    pub async fn open(&self, table: &str) -> Result<Option<DeltaTable>> {
        let url = self.table_url(table)?;
        if url.scheme() == "file"
            && let Ok(dir) = url.to_file_path()
            && !dir.join("_delta_log").is_dir()
        {
            return Ok(None);
        }
        let mut table = match DeltaTable::try_from_url(url).await {
            Ok(t) if t.version().is_some() => t,
            Ok(_) | Err(deltalake::DeltaTableError::InvalidTableLocation(_)) => {
                return Ok(None);
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(time) = self.as_of {
            // A table first written after `time` did not exist then (Delta
            // would give its first version instead).
            use futures::StreamExt;
            let first_commit = table
                .history(None)
                .filter_map(|c| async move { c.ok().and_then(|c| c.timestamp) })
                .fold(i64::MAX, |a, b| async move { a.min(b) })
                .await;
            if first_commit > time.timestamp_millis()
                || table.load_with_datetime(time).await.is_err()
            {
                return Ok(None);
            }
        }
        Ok(Some(table))
    }

    /// Registers every canonical table in `ctx`; tables never written are
    /// registered empty with their canonical schema, so views always plan.
    pub async fn register_all(&self, ctx: &SessionContext) -> Result<Vec<TableStatus>> {
        let mut status = Vec::new();
        for spec in schema::tables() {
            let (provider, version): (Arc<dyn TableProvider>, Option<u64>) =
                match self.open(spec.name).await? {
                    Some(table) => {
                        table.update_datafusion_session(&ctx.state())?;
                        let provider = table.table_provider().await?;
                        let provider = conform(ctx, &spec, provider)?;
                        (provider, table.version())
                    }
                    None => (
                        Arc::new(MemTable::try_new(spec.arrow_schema(), vec![vec![]])?),
                        None,
                    ),
                };
            ctx.register_table(spec.name, provider)?;
            status.push(TableStatus {
                table: spec.name,
                version,
            });
        }
        Ok(status)
    }

    /// Writes `batches` to `spec`'s table in one commit, replacing the rows in
    /// `scope`. The batches must carry the table's canonical schema.
    pub async fn replace(
        &self,
        spec: &TableSpec,
        batches: Vec<RecordBatch>,
        scope: &ReplaceScope,
        metadata: HashMap<String, serde_json::Value>,
    ) -> Result<CommitOutcome> {
        let url = self.table_url(spec.name)?;
        if self.root.scheme() == "file"
            && let Ok(dir) = url.to_file_path()
        {
            std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        let rows: u64 = batches.iter().map(|b| b.num_rows() as u64).sum();
        // Each commit names the district-years it replaces, so a writer that
        // loses a race can tell whether the winner replaced the same ones.
        let mut metadata = metadata;
        let ours = scope.labels();
        metadata.insert("resmap.scope".to_string(), serde_json::json!(ours));
        // Writers that race (two ingests creating the same table, or
        // committing at once) lose the race cleanly in Delta. The loser tries
        // again when the winner wrote other district-years; when it replaced
        // the same ones, two versions of them were written at once, and the
        // loser stops and says so rather than silently overwrite the winner.
        let mut attempt = 0;
        loop {
            let table = DeltaTable::try_from_url(url.clone()).await?;
            let exists = table.version().is_some();
            let read_version = table.version();
            let commit = CommitProperties::default().with_metadata(metadata.clone());
            let mut write = table
                .write(batches.clone())
                .with_partition_columns(spec.layout.partition_columns().iter().copied())
                .with_commit_properties(commit)
                // Columns added to a canonical table since the table was created
                // are added to it; nothing else about a schema may change.
                .with_schema_mode(SchemaMode::Merge)
                .with_table_name(spec.name)
                .with_description(spec.grain);
            write = match scope.predicate() {
                Some(p) if exists => write
                    .with_save_mode(SaveMode::Overwrite)
                    .with_replace_where(p),
                _ => write.with_save_mode(SaveMode::Append),
            };
            match write.await {
                Ok(table) => {
                    let version = table.version().unwrap_or_default();
                    return Ok(CommitOutcome { version, rows });
                }
                Err(e) if attempt < COMMIT_ATTEMPTS && is_conflict(&e) => {
                    if let Some(clash) = same_scope_since(&url, read_version, &ours).await
                    {
                        return Err(Error::Conflict(format!(
                            "{}: another ingest replaced {clash} while this one ran; \
                             nothing of this ingest was written (run it again if its \
                             data should replace that)",
                            spec.name
                        )));
                    }
                    attempt += 1;
                    log::info!("{}: concurrent commit ({e}); trying again", spec.name);
                    tokio::time::sleep(std::time::Duration::from_millis(50 << attempt))
                        .await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Removes data files no table version needs: files replaced or removed
    /// more than `keep` ago, and files a killed or failed writer left behind
    /// that no commit ever named (once older than `keep`). Returns, per table,
    /// the files deleted. Versions older than `keep` can no longer be read
    /// with `--as-of` afterwards; with `keep` 0, run it only while no ingest
    /// is writing.
    pub async fn vacuum(
        &self,
        keep: chrono::Duration,
    ) -> Result<Vec<(&'static str, usize)>> {
        let mut out = Vec::new();
        for spec in schema::tables() {
            let Some(table) = self.open(spec.name).await? else {
                continue;
            };
            let (_, metrics) = table
                .vacuum()
                .with_mode(deltalake::operations::vacuum::VacuumMode::Full)
                .with_retention_period(keep)
                .with_enforce_retention_duration(false)
                .await?;
            out.push((spec.name, metrics.files_deleted.len()));
        }
        Ok(out)
    }

    /// Each written table's version, data file count and a digest of its
    /// data files' names (Delta names every file uniquely, so the digest
    /// changes when any file does): what a result was computed from.
    pub async fn provenance(&self) -> Result<Vec<(String, u64, usize, String)>> {
        let mut out = Vec::new();
        for spec in schema::tables() {
            if let Some(t) = self.open(spec.name).await? {
                let mut files: Vec<String> = t.get_file_uris()?.collect();
                files.sort();
                let mut hasher = blake3::Hasher::new();
                for f in &files {
                    // names relative to the table, so a moved warehouse agrees
                    let name = f
                        .rsplit_once(&format!("/{}/", spec.name))
                        .map_or(f.as_str(), |(_, n)| n);
                    hasher.update(name.as_bytes());
                    hasher.update(b"\n");
                }
                let digest = hasher.finalize().to_hex()[..16].to_string();
                out.push((
                    spec.name.to_string(),
                    t.version().unwrap_or(0),
                    files.len(),
                    digest,
                ));
            }
        }
        Ok(out)
    }

    /// Number of data files in a table's current version (0 when never written).
    pub async fn file_count(&self, table: &str) -> Result<usize> {
        Ok(match self.open(table).await? {
            Some(t) => t.get_file_uris()?.count(),
            None => 0,
        })
    }
}

/// The district-years (of `ours`) that commits after `read_version` replaced,
/// as one label, if any.
async fn same_scope_since(
    url: &Url,
    read_version: Option<u64>,
    ours: &[String],
) -> Option<String> {
    use futures::StreamExt;
    let table = DeltaTable::try_from_url(url.clone()).await.ok()?;
    let latest = table.version()?;
    // the commits after the one this writer read (all of them when the
    // table did not exist yet)
    let since = match read_version {
        Some(v) => latest.saturating_sub(v),
        None => latest + 1,
    };
    let commits: Vec<_> = table.history(Some(since as usize)).collect().await;
    let mut clash: Vec<String> = Vec::new();
    for c in commits.into_iter().flatten() {
        if let Some(scope) = c.info.get("resmap.scope").and_then(|v| v.as_array()) {
            for label in scope.iter().filter_map(|v| v.as_str()) {
                if ours.iter().any(|o| o == label) && !clash.iter().any(|c| c == label) {
                    clash.push(label.to_string());
                }
            }
        }
    }
    (!clash.is_empty()).then(|| clash.join(", "))
}

/// Tries of one commit before a conflict is reported.
const COMMIT_ATTEMPTS: u32 = 6;

/// Whether a write failed because another writer committed first.
fn is_conflict(e: &deltalake::DeltaTableError) -> bool {
    matches!(
        e,
        deltalake::DeltaTableError::Transaction { .. }
            | deltalake::DeltaTableError::VersionAlreadyExists(_)
    )
}

/// The table as the canonical schema describes it. A table written by an
/// older resmap may lack columns added since; they read as NULL (and the next
/// ingest adds them to the table), so views keep working on old warehouses.
fn conform(
    ctx: &SessionContext,
    spec: &TableSpec,
    provider: Arc<dyn TableProvider>,
) -> Result<Arc<dyn TableProvider>> {
    let have = provider.schema();
    let want = spec.arrow_schema();
    if want.fields().iter().all(|f| {
        have.field_with_name(f.name())
            .is_ok_and(|h| same_kind(h.data_type(), f.data_type()))
    }) {
        return Ok(provider);
    }
    let df = ctx.read_table(provider)?;
    let mut exprs = Vec::new();
    for f in want.fields() {
        let e = match have.field_with_name(f.name()) {
            Ok(_) => cast(col(format!("\"{}\"", f.name())), f.data_type().clone()),
            Err(_) => {
                log::warn!(
                    "{}: column {} is missing from the warehouse (written by an older resmap); it reads as NULL",
                    spec.name,
                    f.name()
                );
                cast(lit(ScalarValue::Null), f.data_type().clone())
            }
        };
        exprs.push(e.alias(f.name()));
    }
    Ok(df.select(exprs)?.into_view())
}

/// Whether a stored column can stand for a canonical one as it is. Delta
/// reads text as string views and partition columns as dictionaries; both
/// compare and join like text, and casting them would only cost time.
fn same_kind(stored: &DataType, canonical: &DataType) -> bool {
    let text = |t: &DataType| match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => {
            matches!(
                v.as_ref(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            )
        }
        _ => false,
    };
    let value = |t: &DataType| match t {
        DataType::Dictionary(_, v) => v.as_ref().clone(),
        other => other.clone(),
    };
    stored == canonical
        || (text(stored) && text(canonical))
        || value(stored) == *canonical
}

/// A registered table and its Delta version (`None` = never written).
#[derive(Debug, Clone)]
pub struct TableStatus {
    /// table name
    pub table: &'static str,
    /// Delta version
    pub version: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_predicate_names_each_year_and_its_districts() {
        let mut scope = ReplaceScope::default();
        scope.years.entry(2020).or_default().insert("A".into());
        scope.years.entry(2020).or_default().insert("B".into());
        scope.years.entry(2021).or_default().insert("A".into());
        let p = scope.predicate().unwrap().to_string();
        assert!(p.contains("school_year = Int32(2020)"), "{p}");
        assert!(
            p.contains("district_id IN ([Utf8(\"A\"), Utf8(\"B\")])"),
            "{p}"
        );
        assert!(p.contains("school_year = Int32(2021)"), "{p}");
        scope.source = Some("f33".into());
        assert!(
            scope
                .predicate()
                .unwrap()
                .to_string()
                .starts_with("source = Utf8(\"f33\") AND")
        );
        assert_eq!(scope.district_years(), 3);
        assert!(ReplaceScope::default().predicate().is_none());
    }
}
