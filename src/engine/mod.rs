//! The configured DataFusion session: our functions, reference data, the
//! warehouse's tables, and every view in `sql/views/`; plus the catalog of
//! canned queries.

pub mod catalog;
pub mod materialized;
pub mod reference;

use datafusion::execution::context::SessionConfig;
use datafusion::prelude::SessionContext;

use crate::embedded;
use crate::error::{Error, Result};
use crate::warehouse::{TableStatus, Warehouse};

/// Session settings shared by every resmap session.
pub fn config() -> SessionConfig {
    let mut config = SessionConfig::new()
        .with_information_schema(true)
        .with_default_catalog_and_schema("resmap", "public")
        .with_create_default_catalog_and_schema(true);
    // Numbers written in SQL (12.50, 0.1) are exact decimals, not floats, so
    // money stays exact in analysts' own arithmetic too.
    config.options_mut().sql_parser.parse_float_as_decimal = true;
    config
}

/// A session with our functions and reference data, but no warehouse: the
/// one a mapping runs in.
pub fn base_session() -> Result<SessionContext> {
    let ctx = SessionContext::new_with_config(config());
    resmap_udfs::register_all(&ctx);
    reference::register(&ctx)?;
    Ok(ctx)
}

/// The session analysts query: base session, warehouse tables and views.
pub async fn open(warehouse: &Warehouse) -> Result<(SessionContext, Vec<TableStatus>)> {
    let ctx = base_session()?;
    let status = warehouse.register_all(&ctx).await?;
    register_views(&ctx).await?;
    Ok((ctx, status))
}

/// Runs every `sql/views/*.sql` file (each a `CREATE VIEW`), in file order.
pub async fn register_views(ctx: &SessionContext) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for (path, text) in embedded::files_in("sql/views", ".sql") {
        for statement in crate::sqlfile::split_statements(text) {
            let failed = |e| {
                Error::Internal(format!("view {path} (line {}): {e}", statement.line))
            };
            match materialized::parse(&statement.sql) {
                Some((name, query)) => {
                    let view = materialized::MaterializedView::new(ctx, &name, &query)
                        .await
                        .map_err(failed)?;
                    ctx.register_table(name.as_str(), std::sync::Arc::new(view))
                        .map_err(failed)?;
                }
                None => {
                    ctx.sql(&statement.sql).await.map_err(failed)?;
                }
            }
        }
        names.push(embedded::stem(path).to_string());
    }
    Ok(names)
}
