//! sqllogictest files (`tests/slt/**.slt`) run against resmap's session: our
//! functions, reference data, the views and the canned queries, over an empty
//! warehouse (`udf/`), a hand-worked district (`fixture/`), the demo
//! warehouse (`demo/`) or the real files (`real/`). Type letters: I integer,
//! R decimal or float, T text, and B, D or ? for booleans, dates and the rest.
//!
//! Besides SQL, a record may run a canned query through the same parameter
//! binding as the CLI: `\run NAME k=v ...`.
//!
//! Set `RESMAP_SLT_COMPLETE=1` to rewrite the expected results in place after
//! a change (then review the diff).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::array::{Array, RecordBatch};
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::prelude::SessionContext;
use resmap::engine::{self, catalog};
use resmap::warehouse::Warehouse;
use sqllogictest::{DBOutput, DefaultColumnType};

use crate::common;

#[derive(Debug)]
struct SltError(String);

impl std::fmt::Display for SltError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SltError {}

impl From<resmap::Error> for SltError {
    fn from(e: resmap::Error) -> Self {
        SltError(e.to_string())
    }
}

impl From<datafusion::error::DataFusionError> for SltError {
    fn from(e: datafusion::error::DataFusionError) -> Self {
        SltError(e.to_string())
    }
}

struct Db {
    ctx: SessionContext,
}

fn column_type(t: &DataType) -> DefaultColumnType {
    if t.is_integer() {
        DefaultColumnType::Integer
    } else if t.is_floating()
        || matches!(t, DataType::Decimal128(..) | DataType::Decimal256(..))
    {
        DefaultColumnType::FloatingPoint
    } else if matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
        || matches!(t, DataType::Dictionary(_, v) if matches!(v.as_ref(), DataType::Utf8 | DataType::Utf8View))
    {
        DefaultColumnType::Text
    } else {
        // Booleans, dates and the rest: records write B, D or ?.
        DefaultColumnType::Any
    }
}

fn rows(batches: &[RecordBatch]) -> Result<Vec<Vec<String>>, SltError> {
    let opts = FormatOptions::default().with_null("NULL");
    let mut out = Vec::new();
    for b in batches {
        let fmts = b
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| SltError(e.to_string()))?;
        for row in 0..b.num_rows() {
            out.push(
                fmts.iter()
                    .zip(b.columns())
                    .map(|(f, c)| {
                        let v = f.value(row).to_string();
                        if v.is_empty() && !c.is_null(row) {
                            "(empty)".to_string()
                        } else {
                            v
                        }
                    })
                    .collect(),
            );
        }
    }
    Ok(out)
}

#[async_trait]
impl sqllogictest::AsyncDB for Db {
    type Error = SltError;
    type ColumnType = DefaultColumnType;

    async fn run(&mut self, sql: &str) -> Result<DBOutput<DefaultColumnType>, SltError> {
        let df = match sql.trim().strip_prefix("\\run ") {
            Some(rest) => {
                let mut words = rest.split_whitespace();
                let name = words.next().unwrap_or_default();
                let params: Vec<String> = words.map(str::to_string).collect();
                let query = catalog::find(name)?;
                let values = query.bind(&catalog::parse_assignments(&params)?)?;
                query.dataframe(&self.ctx, values).await?
            }
            None => self.ctx.sql(sql).await?,
        };
        let types: Vec<DefaultColumnType> = df
            .schema()
            .fields()
            .iter()
            .map(|f| column_type(f.data_type()))
            .collect();
        let batches = df.collect().await?;
        if types.is_empty() {
            return Ok(DBOutput::StatementComplete(0));
        }
        Ok(DBOutput::Rows {
            types,
            rows: rows(&batches)?,
        })
    }

    async fn shutdown(&mut self) {}

    fn engine_name(&self) -> &str {
        "resmap"
    }
}

/// Runs one `.slt` file against a session over `warehouse`.
fn run_file(file: &str, warehouse: &Path) {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/slt")
        .join(file);
    let warehouse = warehouse.to_path_buf();
    // DataFusion plans recursively; debug builds need more than a test
    // thread's stack for the larger views.
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .thread_stack_size(64 << 20)
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let wh = Warehouse::new(warehouse.to_str().expect("utf-8"))
                    .expect("warehouse");
                let (ctx, _) = engine::open(&wh).await.expect("session");
                let ctx = Arc::new(ctx);
                let make = {
                    let ctx = Arc::clone(&ctx);
                    move || {
                        let ctx = (*ctx).clone();
                        async move { Ok::<_, SltError>(Db { ctx }) }
                    }
                };
                if std::env::var("RESMAP_SLT_COMPLETE").is_ok_and(|v| v == "1") {
                    let mut runner = sqllogictest::Runner::new(make);
                    runner
                        .update_test_file(
                            &path,
                            " ",
                            sqllogictest::default_validator,
                            sqllogictest::default_normalizer,
                            sqllogictest::default_column_validator,
                        )
                        .await
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                } else {
                    let mut runner = sqllogictest::Runner::new(make);
                    // Column types must match the record's letters exactly.
                    runner.with_column_validator(|actual, expected| actual == expected);
                    runner
                        .run_file_async(&path)
                        .await
                        .unwrap_or_else(|e| panic!("{}", e.display(true)));
                }
            });
        })
        .expect("test thread");
    if let Err(panic) = handle.join() {
        std::panic::resume_unwind(panic);
    }
}

fn empty_warehouse() -> PathBuf {
    common::scratch("empty").join("warehouse")
}

macro_rules! slt {
    ($name:ident, udf, $file:literal) => {
        #[test]
        fn $name() {
            run_file($file, &empty_warehouse());
        }
    };
    ($name:ident, demo, $file:literal) => {
        #[test]
        fn $name() {
            run_file($file, common::demo_warehouse());
        }
    };
    ($name:ident, fixture, $file:literal) => {
        #[test]
        fn $name() {
            run_file($file, common::fixture_warehouse());
        }
    };
    ($name:ident, resource_fixture, $file:literal) => {
        #[test]
        fn $name() {
            run_file($file, common::resource_fixture_warehouse());
        }
    };
    ($name:ident, real, $file:literal) => {
        #[test]
        fn $name() {
            let Some(w) = common::real_warehouse() else {
                return;
            };
            run_file($file, w);
        }
    };
}

slt!(udf_money_and_numbers, udf, "udf/money_and_numbers.slt");
slt!(udf_dates_and_codes, udf, "udf/dates_and_codes.slt");
slt!(udf_reference_data, udf, "udf/reference_data.slt");
slt!(udf_equity, udf, "udf/equity.slt");
slt!(
    fixture_worked_example,
    fixture,
    "fixture/worked_example.slt"
);
slt!(
    fixture_resource_map,
    resource_fixture,
    "fixture/resource_map.slt"
);
slt!(fixture_metrics, resource_fixture, "fixture/metrics.slt");
slt!(demo_canned_queries, demo, "demo/canned_queries.slt");
slt!(demo_consistency, demo, "demo/consistency.slt");
slt!(real_nyc_class_size, real, "real/nyc_class_size.slt");
slt!(
    real_kansas_pupil_teacher_ratio,
    real,
    "real/kansas_pupil_teacher_ratio.slt"
);
slt!(
    real_new_jersey_per_pupil,
    real,
    "real/new_jersey_per_pupil.slt"
);
slt!(real_f33_state_totals, real, "real/f33_state_totals.slt");
slt!(real_alaska_ledgers, real, "real/alaska_ledgers.slt");
slt!(
    real_directory_and_texas,
    real,
    "real/directory_and_texas.slt"
);
