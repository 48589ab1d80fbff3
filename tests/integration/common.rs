//! Shared helpers: the binary, the real data folder, and warehouses built once
//! per test process (the real files and the demo, each through the CLI).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The `resmap` binary under test.
pub fn resmap() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_resmap"));
    c.env_remove("RESMAP_WAREHOUSE").env("RUST_LOG", "warn");
    c
}

/// Runs the binary; panics with its output when the exit code is not `code`.
pub fn run_expect(args: &[&str], code: i32) -> Output {
    let out = resmap().args(args).output().expect("resmap runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "resmap {args:?} exited {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Stdout of a successful run.
pub fn stdout(args: &[&str]) -> String {
    String::from_utf8(run_expect(args, 0).stdout).expect("utf-8 output")
}

/// A fresh scratch folder under cargo's per-target temporary directory.
pub fn scratch(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("resmap-tests-{}", std::process::id()));
    let dir = root.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// The real public files, or `None` (with a message) when `../shared` is not
/// beside the repository. Under CI (`CI=true`) their absence is a failure.
pub fn real_data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/real");
    if dir.join("SOURCES.md").is_file() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "CI=true but the real data is missing: expected {}",
            dir.display()
        );
    }
    eprintln!(
        "skipping: real data not found at {} (../shared is not beside the repository)",
        dir.display()
    );
    None
}

/// (mapping, district, year, file under the real data folder) for every real
/// file the tests load. District ids for Alaska are the NCES LEA ids from the
/// CCD directory (e.g. 0200010 = Aleutian Region SD).
pub const REAL_INGESTS: &[(&str, Option<&str>, Option<i32>, &str)] = &[
    (
        "ak_gl_aleutian_region",
        Some("0200010"),
        Some(2019),
        "ak_district_gl/ARSD19.csv",
    ),
    (
        "ak_gl_aleutian_region",
        Some("0200010"),
        Some(2020),
        "ak_district_gl/ARSD20.csv",
    ),
    (
        "ak_gl_budget_ledger",
        Some("0200070"),
        Some(2019),
        "ak_district_gl/CRSD19.csv",
    ),
    (
        "ak_gl_budget_ledger",
        Some("0200070"),
        Some(2020),
        "ak_district_gl/CRSD20.csv",
    ),
    (
        "ak_gl_delta_greely",
        Some("0200100"),
        Some(2019),
        "ak_district_gl/DGSD19.csv",
    ),
    (
        "ak_gl_delta_greely",
        Some("0200100"),
        Some(2020),
        "ak_district_gl/DGSD20.csv",
    ),
    (
        "ak_gl_chugach_2019",
        Some("0200800"),
        Some(2019),
        "ak_district_gl/CSD19.csv",
    ),
    (
        "ak_gl_chugach_2020",
        Some("0200800"),
        Some(2020),
        "ak_district_gl/CSD20.csv",
    ),
    (
        "ak_gl_craig_city",
        Some("0200090"),
        Some(2019),
        "ak_district_gl/CraigCity19.csv",
    ),
    (
        "ak_gl_craig_city",
        Some("0200090"),
        Some(2020),
        "ak_district_gl/CraigCity20.csv",
    ),
    (
        "ak_gl_kake_city",
        Some("0200360"),
        Some(2019),
        "ak_district_gl/KakeCity19.csv",
    ),
    (
        "ak_gl_kake_city",
        Some("0200360"),
        Some(2020),
        "ak_district_gl/KakeCity20.csv",
    ),
    (
        "ak_gl_valdez_city",
        Some("0200780"),
        Some(2019),
        "ak_district_gl/Valdez19.csv",
    ),
    (
        "ak_gl_valdez_city",
        Some("0200780"),
        Some(2020),
        "ak_district_gl/Valdez20.csv",
    ),
    (
        "nces_f33_districts",
        None,
        Some(2022),
        "nces_f33_fy2022_districts/f33-districts-fy2022.csv",
    ),
    (
        "census_f33_states",
        None,
        Some(2022),
        "nces_f33_fy2022_districts/census-f33-states.csv",
    ),
    (
        "census_f33_states",
        None,
        Some(2024),
        "nces_f33_fy2022_districts/census-f33-states-fy2024.csv",
    ),
    (
        "ks_pupil_teacher_ratio",
        None,
        None,
        "ks_ksde_finance_staffing/ks_pupil_teacher_ratio_2007_2022_long.csv",
    ),
    (
        "ks_expenditures_per_pupil",
        None,
        None,
        "ks_ksde_finance_staffing/ks_expenditures_per_pupil_2007_2021_long.csv",
    ),
    (
        "nj_tges_detail",
        None,
        Some(2020),
        "nj_tges/TGES_2022/DETAIL_FY20_2022.CSV",
    ),
    (
        "nj_tges_detail",
        None,
        Some(2021),
        "nj_tges/TGES_2023/DETAIL_FY21_JULY_2023.CSV",
    ),
    (
        "nj_tges_detail",
        None,
        Some(2022),
        "nj_tges/TGES_2024/DETAIL_FY22_2024.CSV",
    ),
    (
        "nj_tges_detail",
        None,
        Some(2023),
        "nj_tges/TGES_2024/DETAIL_FY23_2024.CSV",
    ),
    (
        "ccd_school_directory",
        None,
        Some(2020),
        "ccd_school_directory_2019/ccd_school_directory_2019_20.csv",
    ),
    (
        "tx_tapr_campus",
        None,
        Some(2025),
        "tx_tapr_2024_25/tx_campus_tapr_2024_25.csv",
    ),
    (
        "tx_tapr_district",
        None,
        Some(2025),
        "tx_tapr_2024_25/tx_district_tapr_2024_25.csv",
    ),
    (
        "nyc_class_size",
        None,
        Some(2011),
        "nyc_doe_2010_11/class_size.csv",
    ),
    (
        "ny_osc_finance",
        None,
        None,
        "ny_osc_school_district_finance/leveltwo15.csv",
    ),
    (
        "ny_osc_finance",
        None,
        None,
        "ny_osc_school_district_finance/leveltwo16.csv",
    ),
    (
        "ny_osc_finance",
        None,
        None,
        "ny_osc_school_district_finance/leveltwo17.csv",
    ),
    (
        "ny_osc_finance",
        None,
        None,
        "ny_osc_school_district_finance/leveltwo18.csv",
    ),
    (
        "ny_osc_finance",
        None,
        None,
        "ny_osc_school_district_finance/leveltwo19.csv",
    ),
    (
        "ny_osc_finance",
        None,
        None,
        "ny_osc_school_district_finance/leveltwo20.csv",
    ),
    (
        "ny_osc_finance",
        None,
        None,
        "ny_osc_school_district_finance/leveltwo21.csv",
    ),
    (
        "ny_osc_finance",
        None,
        None,
        "ny_osc_school_district_finance/leveltwo22.csv",
    ),
    (
        "ak_deed_district_nodes",
        None,
        Some(2020),
        "ak_district_gl/DistrictsNodes.csv",
    ),
    (
        "ut_alpine_payroll",
        Some("4900030"),
        Some(2022),
        "ut_alpine_payroll/alpine_sd_payroll_fy2022.csv",
    ),
    (
        "ut_alpine_payroll",
        Some("4900030"),
        Some(2023),
        "ut_alpine_payroll/alpine_sd_payroll_fy2023.csv",
    ),
];

/// The Alaska district-years: their public ledgers come with no school-level
/// enrollment, staff or floor area, so no driver could spread central spending
/// over their sites; they load the bundled rule set that keeps it central.
pub const AK_DISTRICT_YEARS: &[(&str, i32)] = &[
    ("0200010", 2019),
    ("0200010", 2020),
    ("0200070", 2019),
    ("0200070", 2020),
    ("0200090", 2019),
    ("0200090", 2020),
    ("0200100", 2019),
    ("0200100", 2020),
    ("0200360", 2019),
    ("0200360", 2020),
    ("0200780", 2019),
    ("0200780", 2020),
    ("0200800", 2019),
    ("0200800", 2020),
];

/// Ingests one real file through the CLI and returns its summary line.
pub fn ingest_real(
    warehouse: &Path,
    real: &Path,
    entry: &(&str, Option<&str>, Option<i32>, &str),
) -> String {
    let (mapping, district, year, file) = entry;
    let w = warehouse.to_str().expect("utf-8 path");
    let path = real.join(file);
    let rejects = warehouse
        .parent()
        .expect("warehouse has a parent")
        .join("rejects")
        .join(format!("{}.csv", file.replace('/', "_")));
    let mut args: Vec<String> = vec![
        "ingest".into(),
        "-q".into(),
        "-w".into(),
        w.into(),
        "-m".into(),
        (*mapping).into(),
        "--rejects".into(),
        rejects.display().to_string(),
    ];
    if let Some(d) = district {
        args.extend(["-d".into(), (*d).into()]);
    }
    if let Some(y) = year {
        args.extend(["-y".into(), y.to_string()]);
    }
    args.push(path.display().to_string());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    stdout(&refs)
}

/// A warehouse holding every real file, built once per test process.
pub fn real_warehouse() -> Option<&'static Path> {
    static WAREHOUSE: OnceLock<Option<PathBuf>> = OnceLock::new();
    WAREHOUSE
        .get_or_init(|| {
            let real = real_data()?;
            let dir = scratch("real").join("warehouse");
            for entry in REAL_INGESTS {
                ingest_real(&dir, &real, entry);
            }
            let rules = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("data/rules/central_stays_central.csv");
            for (district, year) in AK_DISTRICT_YEARS {
                let year = year.to_string();
                run_expect(
                    &[
                        "ingest",
                        "-q",
                        "-w",
                        dir.to_str().expect("utf-8 path"),
                        "-m",
                        "allocation_rule",
                        "-d",
                        district,
                        "-y",
                        &year,
                        rules.to_str().expect("utf-8 path"),
                    ],
                    0,
                );
            }
            Some(dir)
        })
        .as_deref()
}

/// The demo warehouse, built once per test process by `resmap demo`.
pub fn demo_warehouse() -> &'static Path {
    static WAREHOUSE: OnceLock<PathBuf> = OnceLock::new();
    WAREHOUSE.get_or_init(|| {
        let dir = scratch("demo").join("warehouse");
        run_expect(&["demo", "-q", "-w", dir.to_str().expect("utf-8 path")], 0);
        dir
    })
}

/// Parses CSV output into rows of fields (header included).
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    r.records()
        .map(|rec| {
            rec.expect("csv output")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// The hand-worked district in `tests/fixtures/worked_example`, ingested
/// through the demo mappings once per test process.
pub fn fixture_warehouse() -> &'static Path {
    static WAREHOUSE: OnceLock<PathBuf> = OnceLock::new();
    WAREHOUSE.get_or_init(|| ingest_fixture("worked_example"))
}

/// The districts of DOMAIN.md 4.6's worked example in
/// `tests/fixtures/resource_example`, ingested once per test process.
pub fn resource_fixture_warehouse() -> &'static Path {
    static WAREHOUSE: OnceLock<PathBuf> = OnceLock::new();
    WAREHOUSE.get_or_init(|| ingest_fixture("resource_example"))
}

/// District DQ01 of `tests/fixtures/dq_example`: one seeded flaw per
/// data-quality rule, ingested once per test process.
pub fn dq_fixture_warehouse() -> &'static Path {
    static WAREHOUSE: OnceLock<PathBuf> = OnceLock::new();
    WAREHOUSE.get_or_init(|| ingest_fixture("dq_example"))
}

/// Ingests every `DISTRICT_YEAR_TABLE.csv` in `tests/fixtures/NAME` through
/// the demo mapping of that table, into a fresh warehouse.
fn ingest_fixture(name: &str) -> PathBuf {
    ingest_fixture_into(name, &format!("fixture-{name}"))
}

/// Ingests tests/fixtures/NAME into a fresh warehouse of its own, for a test
/// that changes it.
pub fn ingest_fixture_into(name: &str, scratch_name: &str) -> PathBuf {
    let dir = scratch(scratch_name).join("warehouse");
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    ingest_export_dir(&src, &dir);
    dir
}

/// Ingests every `DISTRICT_YEAR_TABLE.csv` in `exports` (the demo export
/// format: generated files and fixtures) through the demo mapping of its
/// table into `warehouse`; other files (flaws.csv) are left alone.
pub fn ingest_export_dir(exports: &Path, warehouse: &Path) {
    let w = warehouse.to_str().expect("utf-8 path");
    let mut files: Vec<PathBuf> = std::fs::read_dir(exports)
        .expect("export folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    for file in files {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file name");
        let mut parts = stem.splitn(3, '_');
        let (Some(district), Some(year), Some(table)) =
            (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let mapping = format!("demo_{table}");
        run_expect(
            &[
                "ingest",
                "-q",
                "-w",
                w,
                "-m",
                &mapping,
                "-d",
                district,
                "-y",
                year,
                file.to_str().expect("utf-8"),
            ],
            0,
        );
    }
}
