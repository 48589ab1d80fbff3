//! `CREATE MATERIALIZED VIEW name AS query` in `sql/views/`: a view computed
//! once per session, on first use, and then read from memory.
//!
//! The resource map is a pipeline of views that each read the one before
//! several times (the mapped ledger feeds the exclusions, the scoping, the
//! payroll step and the reconciliation). As plain views, every reference
//! inlines the whole pipeline above it, and DataFusion's optimizer then works
//! on a plan of thousands of nodes: 25 s to plan the reconciliation in a debug
//! build. A materialized stage is planned on its own, against the stages
//! before it as tables, so each plan stays small, and each stage runs once
//! however many later views read it.
//!
//! The cache lives as long as the session, which reads one warehouse version
//! (the shell never writes), so it cannot go stale.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, DataFusionError, Result as DfResult};
use datafusion::datasource::{MemTable, TableType};
use datafusion::execution::context::SessionState;
use datafusion::logical_expr::utils::conjunction;
use datafusion::logical_expr::{Expr, LogicalPlan, TableProviderFilterPushDown};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::SessionContext;
use tokio::sync::OnceCell;

/// A view whose rows are computed on first scan and kept for the session.
///
/// A scan that filters on the district or the school year (`district_id =
/// 'X'`, `school_year IN (...)`) computes only those rows: the filters go
/// into the stage's own query, where DataFusion pushes them on down to the
/// stages and tables before it, so one district's question on a state's
/// warehouse reads one district. Each set of such filters is computed once
/// and kept, beside the whole stage when a query asks for all of it.
#[derive(Debug)]
pub struct MaterializedView {
    name: String,
    sql: String,
    schema: SchemaRef,
    rows: Mutex<HashMap<String, Arc<OnceCell<Arc<MemTable>>>>>,
}

/// Columns a filter may restrict a stage's computation by. The filter goes on
/// top of the stage's query, so the rows kept are those the whole stage would
/// give; DataFusion pushes it further down only where that cannot change
/// them (through grouping by district, not through a statewide window).
const KEY_COLUMNS: [&str; 2] = ["district_id", "school_year"];

impl MaterializedView {
    /// Plans `sql` in `ctx` to learn its schema; nothing runs yet.
    pub async fn new(ctx: &SessionContext, name: &str, sql: &str) -> DfResult<Self> {
        let df = ctx.sql(sql).await?;
        // Every column nullable and without metadata: the executed plan may
        // differ from the logical schema in both, and the rows are conformed
        // to this schema when they arrive.
        let fields: Vec<Field> = df
            .schema()
            .fields()
            .iter()
            .map(|f| Field::new(f.name(), f.data_type().clone(), true))
            .collect();
        let schema = Arc::new(Schema::new(fields));
        Ok(Self {
            name: name.to_string(),
            sql: sql.to_string(),
            schema,
            rows: Mutex::new(HashMap::new()),
        })
    }

    /// Whether `filter` only restricts the district or year of the rows.
    fn is_key_filter(&self, filter: &Expr) -> bool {
        let columns = filter.column_refs();
        !columns.is_empty()
            && !filter.is_volatile()
            && columns.iter().all(|c| {
                KEY_COLUMNS.contains(&c.name.as_str())
                    && self.schema.field_with_name(&c.name).is_ok()
            })
    }

    async fn rows(
        &self,
        state: &dyn Session,
        filters: &[Expr],
    ) -> DfResult<Arc<MemTable>> {
        // the filters without their table names, as the stage's query sees them
        let mut keys: Vec<Expr> = filters
            .iter()
            .filter(|f| self.is_key_filter(f))
            .map(|f| {
                f.clone()
                    .transform(|e| {
                        Ok(match e {
                            Expr::Column(c) => Transformed::yes(Expr::Column(
                                Column::new_unqualified(c.name),
                            )),
                            other => Transformed::no(other),
                        })
                    })
                    .map(|t| t.data)
            })
            .collect::<DfResult<_>>()?;
        keys.sort_by_key(|e| e.to_string());
        keys.dedup();
        let label = keys
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" AND ");
        let cell = {
            let label = label.clone();
            let mut rows = self.rows.lock().map_err(|_| {
                DataFusionError::Internal(format!(
                    "materialized view {}: lock poisoned",
                    self.name
                ))
            })?;
            Arc::clone(rows.entry(label).or_default())
        };
        cell.get_or_try_init(|| async {
            log::debug!(
                "materializing {} where {}",
                self.name,
                if label.is_empty() { "true" } else { &label }
            );
            let state =
                state
                    .as_any()
                    .downcast_ref::<SessionState>()
                    .ok_or_else(|| {
                        DataFusionError::Internal(format!(
                            "materialized view {} scanned outside a SessionState",
                            self.name
                        ))
                    })?;
            let ctx = SessionContext::new_with_state(state.clone());
            let mut df = ctx.sql(&self.sql).await?;
            if let Some(all) = conjunction(keys) {
                df = df.filter(all)?;
            }
            // TODO: the kept rows live outside the session's memory pool, so
            // `--memory-limit` does not count them (the process can pass
            // the limit by the size of the stages a query keeps); registering
            // a reservation for them with the pool, or spilling them to a
            // temporary Parquet file when it refuses, would bound them too.
            let batches = df.collect().await?;
            let batches = batches
                .iter()
                .map(|b| conform(b, &self.schema))
                .collect::<DfResult<Vec<_>>>()?;
            let table = MemTable::try_new(Arc::clone(&self.schema), vec![batches])?;
            Ok(Arc::new(table))
        })
        .await
        .cloned()
    }
}

/// `batch` with `schema`'s field names, types and nullability.
fn conform(batch: &RecordBatch, schema: &SchemaRef) -> DfResult<RecordBatch> {
    let columns = batch
        .columns()
        .iter()
        .zip(schema.fields())
        .map(|(c, f)| {
            if c.data_type() == f.data_type() {
                Ok(Arc::clone(c))
            } else {
                Ok(cast(c, f.data_type())?)
            }
        })
        .collect::<DfResult<Vec<_>>>()?;
    Ok(RecordBatch::try_new(Arc::clone(schema), columns)?)
}

#[async_trait]
impl TableProvider for MaterializedView {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }

    fn table_type(&self) -> TableType {
        TableType::View
    }

    fn get_logical_plan(&'_ self) -> Option<Cow<'_, LogicalPlan>> {
        None
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        self.rows(state, filters)
            .await?
            .scan(state, projection, filters, limit)
            .await
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> DfResult<Vec<TableProviderFilterPushDown>> {
        // Inexact: the rows computed for a key filter are exactly those it
        // keeps, but DataFusion applies it again above the scan all the same.
        Ok(filters
            .iter()
            .map(|f| {
                if self.is_key_filter(f) {
                    TableProviderFilterPushDown::Inexact
                } else {
                    TableProviderFilterPushDown::Unsupported
                }
            })
            .collect())
    }
}

/// If `sql` is `CREATE MATERIALIZED VIEW name AS query` (any case, any
/// spacing), its name and query.
pub fn parse(sql: &str) -> Option<(String, String)> {
    // Leading `--` comment lines describe the view; they are not the statement.
    let start = sql
        .lines()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with("--"))
        .map(|l| l.len() + 1)
        .sum::<usize>()
        .min(sql.len());
    let sql = &sql[start..];
    let words: Vec<&str> = sql.split_whitespace().take(5).collect();
    if words.len() < 5
        || !words[0].eq_ignore_ascii_case("create")
        || !words[1].eq_ignore_ascii_case("materialized")
        || !words[2].eq_ignore_ascii_case("view")
        || !words[4].eq_ignore_ascii_case("as")
    {
        return None;
    }
    let name = words[3].to_string();
    // The query is what follows the first standalone AS after the name.
    let lower = sql.to_ascii_lowercase();
    let after_name = lower.find(&name.to_ascii_lowercase())? + name.len();
    let as_at = lower[after_name..].find("as")? + after_name;
    Some((name, sql[as_at + 2..].trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_statement() {
        let (name, query) =
            parse("-- what it is\nCREATE MATERIALIZED VIEW spent AS\nSELECT 1 AS a")
                .expect("parses");
        assert_eq!(name, "spent");
        assert_eq!(query, "SELECT 1 AS a");
        assert!(parse("CREATE VIEW v AS SELECT 1").is_none());
    }

    #[tokio::test]
    async fn a_district_filter_reaches_the_stage_query() {
        // District B's rows divide by zero: a scan of the whole stage fails,
        // one for district A succeeds only if its filter went into the
        // stage's query, below the division.
        let ctx = SessionContext::new();
        ctx.sql(
            "CREATE VIEW t AS SELECT * FROM (VALUES ('A', 2024, 1), ('A', 2023, 2), \
             ('B', 2024, 0)) AS v(district_id, school_year, d)",
        )
        .await
        .unwrap();
        let view = MaterializedView::new(
            &ctx,
            "stage",
            "SELECT district_id, school_year, 10 / d AS x FROM t",
        )
        .await
        .unwrap();
        ctx.register_table("stage", Arc::new(view)).unwrap();
        let one = ctx
            .sql("SELECT sum(x) AS s FROM stage WHERE district_id = 'A' AND school_year = 2024")
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        let s = datafusion::arrow::util::pretty::pretty_format_batches(&one)
            .unwrap()
            .to_string();
        assert!(s.contains("| 10 |"), "{s}");
        // both of A's years, computed apart from the first filter's rows
        let a = ctx
            .sql("SELECT sum(x) AS s FROM stage WHERE district_id = 'A'")
            .await
            .unwrap();
        let a = datafusion::arrow::util::pretty::pretty_format_batches(
            &a.collect().await.unwrap(),
        )
        .unwrap()
        .to_string();
        assert!(a.contains("| 15 |"), "{a}");
        let all = ctx
            .sql("SELECT sum(x) FROM stage")
            .await
            .unwrap()
            .collect()
            .await;
        assert!(all.is_err(), "the whole stage divides by zero");
    }

    #[tokio::test]
    async fn computes_once_and_reads_like_a_table() {
        let ctx = SessionContext::new();
        let view = MaterializedView::new(&ctx, "t", "SELECT 1 AS a UNION ALL SELECT 2")
            .await
            .unwrap();
        ctx.register_table("t", Arc::new(view)).unwrap();
        let rows = ctx.sql("SELECT sum(a) AS s FROM t").await.unwrap();
        let batches = rows.collect().await.unwrap();
        let s = datafusion::arrow::util::pretty::pretty_format_batches(&batches)
            .unwrap()
            .to_string();
        assert!(s.contains("| 3 |"), "{s}");
    }
}
