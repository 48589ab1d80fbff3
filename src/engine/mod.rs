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
    // EXPLAIN draws the physical plan as a tree of boxes (EXPLAIN FORMAT
    // INDENT for the terse form, EXPLAIN VERBOSE for every stage).
    config = config.set_str("datafusion.explain.format", "tree");
    // Keep where each name stands in a statement, so an error can point at it.
    config = config.set_bool("datafusion.sql_parser.collect_spans", true);
    config
}

/// The most memory a session's queries may hold, in bytes; set once from
/// `--memory-limit`. Sorts, joins and aggregations beyond it spill to
/// temporary files; a query that cannot spill fails with a clear error
/// instead of taking the machine.
static MEMORY_LIMIT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

/// Sets the memory limit of the sessions opened from now on.
pub fn set_memory_limit(bytes: usize) {
    let _ = MEMORY_LIMIT.set(bytes);
}

/// Reads a size: `512M`, `4G`, `1.5G`, `800000` (bytes); K, M, G, T in
/// powers of 1,024.
pub fn parse_size(text: &str) -> std::result::Result<usize, String> {
    let t = text.trim();
    let (number, unit) = match t.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&t[..i], t[i..].trim_end_matches(['b', 'B'])),
        None => (t, ""),
    };
    let scale: f64 = match unit.to_ascii_uppercase().as_str() {
        "" => 1.0,
        "K" => 1024.0,
        "M" => 1024.0 * 1024.0,
        "G" => 1024.0 * 1024.0 * 1024.0,
        "T" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return Err(format!("{text:?}: a size is a number with K, M, G or T")),
    };
    let n: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{text:?}: a size is a number with K, M, G or T"))?;
    let bytes = n * scale;
    if !(bytes >= 1024.0 * 1024.0 && bytes < usize::MAX as f64) {
        return Err(format!("{text:?}: give at least 1M"));
    }
    Ok(bytes as usize)
}

/// A session with our functions and reference data, but no warehouse: the
/// one a mapping runs in.
pub fn base_session() -> Result<SessionContext> {
    let ctx = match MEMORY_LIMIT.get() {
        Some(bytes) => {
            use datafusion::execution::memory_pool::{
                GreedyMemoryPool, TrackConsumersPool,
            };
            // Tracked, so that a query the limit stops names the operators
            // that held the memory (the five largest) in its error.
            let pool = TrackConsumersPool::new(
                GreedyMemoryPool::new(*bytes),
                std::num::NonZeroUsize::new(5).expect("5 is not zero"),
            );
            let runtime = datafusion::execution::runtime_env::RuntimeEnvBuilder::new()
                .with_memory_pool(std::sync::Arc::new(pool))
                .build_arc()?;
            SessionContext::new_with_config_rt(config(), runtime)
        }
        None => SessionContext::new_with_config(config()),
    };
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

/// Each view's description: the comment lines just above its `CREATE VIEW`
/// in `sql/views/`, joined.
pub fn view_docs() -> std::collections::HashMap<String, String> {
    let mut docs = std::collections::HashMap::new();
    for (_, text) in embedded::files_in("sql/views", ".sql") {
        let mut comment: Vec<&str> = Vec::new();
        for line in text.lines() {
            let t = line.trim();
            if let Some(c) = t.strip_prefix("--") {
                comment.push(c.trim());
                continue;
            }
            let upper = t.to_ascii_uppercase();
            let name = upper
                .strip_prefix("CREATE MATERIALIZED VIEW ")
                .or_else(|| upper.strip_prefix("CREATE VIEW "))
                .and_then(|rest| rest.split_whitespace().next());
            if let Some(name) = name {
                docs.insert(name.to_ascii_lowercase(), comment.join(" "));
            }
            comment.clear();
        }
    }
    docs
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

#[cfg(test)]
mod size_tests {
    use super::parse_size;

    #[test]
    fn sizes_read_in_powers_of_1024() {
        assert_eq!(parse_size("512M"), Ok(512 * 1024 * 1024));
        assert_eq!(parse_size("4g"), Ok(4 * 1024 * 1024 * 1024));
        assert_eq!(parse_size("1.5GB"), Ok(1536 * 1024 * 1024));
        assert!(parse_size("12").is_err());
        assert!(parse_size("lots").is_err());
        assert!(parse_size("-1G").is_err());
    }
}
