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
//
// TODO: a stage is computed for every district and year in the warehouse even
// when the query asks for one district, because filters are not pushed into
// the stage's own query. Fine for a district's warehouse; a state-wide
// warehouse (issue 7) needs the filters on district_id and school_year passed
// into the stage query and a cache keyed by them.

use std::borrow::Cow;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::{DataFusionError, Result as DfResult};
use datafusion::datasource::{MemTable, TableType};
use datafusion::execution::context::SessionState;
use datafusion::logical_expr::{Expr, LogicalPlan, TableProviderFilterPushDown};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::SessionContext;
use tokio::sync::OnceCell;

/// A view whose rows are computed on first scan and kept for the session.
#[derive(Debug)]
pub struct MaterializedView {
    name: String,
    sql: String,
    schema: SchemaRef,
    rows: OnceCell<Arc<MemTable>>,
}

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
            rows: OnceCell::new(),
        })
    }

    async fn rows(&self, state: &dyn Session) -> DfResult<Arc<MemTable>> {
        self.rows
            .get_or_try_init(|| async {
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
                let batches = ctx.sql(&self.sql).await?.collect().await?;
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
        self.rows(state)
            .await?
            .scan(state, projection, filters, limit)
            .await
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> DfResult<Vec<TableProviderFilterPushDown>> {
        Ok(vec![
            TableProviderFilterPushDown::Unsupported;
            filters.len()
        ])
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
