//! `resmap check` end to end: every data-quality rule finds exactly its one
//! seeded flaw in tests/fixtures/dq_example (make_dq_example.py lists them)
//! and nothing in the clean district it was made from; `--fail-on` sets the
//! exit code; `--out` writes every finding.

use crate::common::{self, csv_rows, resmap, run_expect, scratch};

const RULES: [(&str, &str); 17] = [
    ("DQ-A04", "warn"),
    ("DQ-F01", "error"),
    ("DQ-F04", "warn"),
    ("DQ-P01", "warn"),
    ("DQ-P02", "warn"),
    ("DQ-P03", "warn"),
    ("DQ-P04", "error"),
    ("DQ-P06", "error"),
    ("DQ-S01", "error"),
    ("DQ-S02", "warn"),
    ("DQ-S03", "warn"),
    ("DQ-S06", "error"),
    ("DQ-S08", "error"),
    ("DQ-T01", "error"),
    ("DQ-T02", "warn"),
    ("DQ-T03", "warn"),
    ("DQ-T04", "warn"),
];

#[test]
fn each_rule_finds_its_seeded_flaw_and_nothing_else() {
    let wh = common::dq_fixture_warehouse();
    let out = run_expect(
        &["check", "-w", wh.to_str().unwrap(), "--format", "csv", "-q"],
        0,
    );
    let rows = csv_rows(&String::from_utf8_lossy(&out.stdout));
    let got: Vec<(String, String, String)> = rows[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[3].clone()))
        .collect();
    let want: Vec<(String, String, String)> = RULES
        .iter()
        .map(|(r, s)| (r.to_string(), s.to_string(), "1".to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn the_clean_district_has_no_findings() {
    // WX02 of tests/fixtures/resource_example is what dq_example was made from.
    let wh = common::resource_fixture_warehouse();
    let out = run_expect(
        &[
            "check",
            "-w",
            wh.to_str().unwrap(),
            "-d",
            "WX02",
            "--fail-on",
            "warn",
            "--format",
            "csv",
            "-q",
        ],
        0,
    );
    let rows = csv_rows(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(rows.len(), 1, "only the header: {rows:?}");
}

#[test]
fn fail_on_sets_the_exit_code_and_out_writes_every_finding() {
    let wh = common::dq_fixture_warehouse();
    let w = wh.to_str().unwrap();
    let dir = scratch("check-out");
    let file = dir.join("findings.csv");
    let out = resmap()
        .args(["check", "-w", w, "-q", "--fail-on", "error", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    // 7 of the 15 rules are errors
    assert!(
        err.contains("7 finding(s) at error or above (--fail-on error)"),
        "{err}"
    );
    let findings = csv_rows(&std::fs::read_to_string(&file).unwrap());
    assert_eq!(findings.len(), 1 + 17);
    assert_eq!(
        findings[0][..6],
        [
            "rule_id",
            "severity",
            "table_name",
            "district_id",
            "school_year",
            "entity_key"
        ]
        .map(String::from)
    );
    let out = resmap()
        .args(["check", "-w", w, "-q", "--fail-on", "warn"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("17 finding(s) at warn or above")
    );
    // checking a district the warehouse does not hold is a mistake, not a pass
    let out = resmap()
        .args(["check", "-w", w, "-d", "NOPE", "--fail-on", "warn"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no data for district NOPE"));
    // a severity that is not one is a usage error
    let out = resmap()
        .args(["check", "-w", w, "--fail-on", "fatal"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // the same findings are a view in the shell
    let rows = csv_rows(&common::stdout(&[
        "-w",
        w,
        "--format",
        "csv",
        "-c",
        "SELECT entity_key, measured FROM dq_finding WHERE rule_id = 'DQ-P01'",
    ]));
    // 147,000 in payroll against 140,000 in the ledger (make_dq_example.py)
    assert_eq!(
        rows[1],
        ["fund 1 function 1000 at S1", "7000.00"].map(String::from)
    );
}

/// The reconciliation report: the seeded ledger shortfall shows as 147,000.00
/// of payroll against 140,000.00 of ledger salaries, one cell apart
/// (make_dq_example.py); the demo's sources agree everywhere (its generator
/// writes the ledger from payroll and the state report from enrollment).
#[test]
fn the_reconciliation_report_shows_where_sources_disagree() {
    let rows = csv_rows(&common::stdout(&[
        "run",
        "-w",
        common::dq_fixture_warehouse().to_str().unwrap(),
        "reconciliation_report",
        "--format",
        "csv",
        "-q",
    ]));
    let payroll = rows
        .iter()
        .find(|r| r[2] == "payroll_vs_ledger")
        .expect("row");
    assert_eq!(
        payroll[4..9],
        ["147000.0", "ledger salaries", "140000.0", "7000.0", "1"].map(String::from)
    );
    let demo = csv_rows(&common::stdout(&[
        "run",
        "-w",
        common::demo_warehouse().to_str().unwrap(),
        "reconciliation_report",
        "--format",
        "csv",
        "-q",
    ]));
    assert_eq!(demo.len(), 1 + 12, "3 checks x 2 districts x 2 years");
    assert!(
        demo[1..].iter().all(|r| r[7] == "0.0" && r[8] == "0"),
        "{demo:?}"
    );
}

/// A district's own thresholds replace the bundled ones for its
/// district-year: with payroll allowed 5% from the ledger, the seeded 7,000
/// of 147,000 (4.8%) is no longer a finding; benefit rates become errors.
#[test]
fn a_district_sets_its_own_thresholds() {
    let wh = common::ingest_fixture_into("dq_example", "dq-thresholds");
    let w = wh.to_str().unwrap();
    let file = wh.parent().unwrap().join("thresholds.csv");
    std::fs::write(
        &file,
        "rule_id,severity,low,high\nDQ-P01,,,0.05\nDQ-P02,error,,\n",
    )
    .unwrap();
    run_expect(
        &[
            "ingest",
            "-q",
            "-w",
            w,
            "-m",
            "dq_threshold",
            "-d",
            "DQ01",
            "-y",
            "2024",
            file.to_str().unwrap(),
        ],
        0,
    );
    let rows = csv_rows(&common::stdout(&[
        "check", "-w", w, "--format", "csv", "-q",
    ]));
    assert!(rows.iter().all(|r| r[0] != "DQ-P01"), "{rows:?}");
    let p02 = rows.iter().find(|r| r[0] == "DQ-P02").expect("DQ-P02");
    assert_eq!(p02[1], "error");
    // an unknown rule id is refused, and the file with it
    std::fs::write(&file, "rule_id,severity,low,high\nDQ-X99,warn,,\n").unwrap();
    run_expect(
        &[
            "ingest",
            "-q",
            "-w",
            w,
            "-m",
            "dq_threshold",
            "-d",
            "DQ01",
            "-y",
            "2024",
            file.to_str().unwrap(),
        ],
        1,
    );
}

/// Findings as (rule, district, year, key).
fn finding_set(wh: &std::path::Path) -> std::collections::BTreeSet<Vec<String>> {
    csv_rows(&common::stdout(&[
        "-w",
        wh.to_str().unwrap(),
        "--format",
        "csv",
        "-c",
        "SELECT rule_id, district_id, CAST(school_year AS VARCHAR), entity_key FROM dq_finding",
    ]))
    .into_iter()
    .skip(1)
    .collect()
}

/// `resmap generate --flaws` injects one flaw per rule per district-year (68
/// in all) and lists the findings they must make in flaws.csv: against the
/// same districts generated clean, the findings added are exactly those, no
/// miss and no false alarm. (The clean files' own findings are the
/// generator's multi-person aide positions, DQ-P03.)
#[test]
fn every_injected_flaw_is_found_and_nothing_else() {
    let dir = scratch("flaws");
    let (clean, flawed) = (dir.join("clean"), dir.join("flawed"));
    run_expect(&["generate", "-q", "--out", clean.to_str().unwrap()], 0);
    run_expect(
        &[
            "generate",
            "-q",
            "--flaws",
            "--out",
            flawed.to_str().unwrap(),
        ],
        0,
    );
    let (wc, wf) = (dir.join("wh-clean"), dir.join("wh-flawed"));
    common::ingest_export_dir(&clean, &wc);
    common::ingest_export_dir(&flawed, &wf);
    let before = finding_set(&wc);
    assert!(before.iter().all(|f| f[0] == "DQ-P03"), "{before:?}");
    let after = finding_set(&wf);
    assert!(before.is_subset(&after));
    let added: std::collections::BTreeSet<Vec<String>> =
        after.difference(&before).cloned().collect();
    let injected: std::collections::BTreeSet<Vec<String>> =
        csv_rows(&std::fs::read_to_string(flawed.join("flaws.csv")).unwrap())
            .into_iter()
            .skip(1)
            .collect();
    assert_eq!(injected.len(), 17 * 4, "one per rule per district-year");
    assert_eq!(added, injected);
}
