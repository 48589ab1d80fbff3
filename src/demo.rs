//! `resmap demo`: the main job on bundled data. Generates the two synthetic
//! districts' exports, ingests every file through its bundled mapping (the
//! same path a district's own files take), and prints the headline figures.

use std::io::Write;
use std::path::PathBuf;

use crate::engine::{self, catalog};
use crate::error::{Error, Result};
use crate::generate::{self, DEFAULT_SEED};
use crate::ingest::{self, IngestOptions, mapping::Mapping};
use crate::output::{self, Format};
use crate::warehouse::Warehouse;

/// Builds the demo warehouse and prints the headline metrics in `format`.
pub async fn run(
    warehouse: &Warehouse,
    exports: Option<PathBuf>,
    format: Format,
    quiet: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let note = |text: String| {
        if !quiet {
            eprintln!("{text}");
        }
    };
    let (dir, temporary) = match exports {
        Some(d) => (d, false),
        None => (
            std::env::temp_dir().join(format!("resmap-demo-{}", std::process::id())),
            true,
        ),
    };
    let files = generate::write_demo(&dir, DEFAULT_SEED)?;
    note(format!(
        "generated {} export files for {} districts x {} years",
        files.len(),
        generate::DEMO_DISTRICTS.len(),
        generate::DEMO_YEARS.len()
    ));
    let mut rows = 0u64;
    for f in &files {
        let mapping = Mapping::load(f.mapping)?;
        let report = ingest::ingest(
            warehouse,
            IngestOptions {
                mapping,
                files: vec![f.path.clone()],
                district: Some(f.district.clone()),
                year: Some(f.year),
                rejects_path: Some(
                    dir.join("rejects")
                        .join(format!("{}_{}_{}.csv", f.district, f.year, f.mapping)),
                ),
                max_rejects: 0,
                // the generator's student ids are pseudonymous already
                // (its mappings say so): no key is needed
                pseudonym_key: None,
            },
        )
        .await?;
        rows += report.rows_written;
    }
    note(format!("ingested {rows} rows into {}", warehouse.url()));
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }

    let (ctx, _) = engine::open(warehouse).await?;
    let query = catalog::find("district_overview")?;
    let values = query.bind(&[])?;
    let df = query.dataframe(&ctx, values).await?;
    let schema = std::sync::Arc::new(df.schema().as_arrow().clone());
    let batches = df.collect().await?;
    output::write(out, &schema, &batches, format)?;
    out.flush().map_err(|e| Error::io("<stdout>", e))?;
    note(format!(
        "headline: canned query district_overview ({}). Explore: resmap --warehouse {}",
        query.rounding,
        warehouse
            .url()
            .to_file_path()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|()| warehouse.url().to_string())
    ));
    Ok(())
}
