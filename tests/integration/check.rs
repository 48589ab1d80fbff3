//! `resmap check` end to end: every data-quality rule finds exactly its
//! seeded flaws in tests/fixtures/dq_example (make_dq_example.py lists them,
//! with the reasoning, in its flaws.csv) and nothing in the clean district it
//! was made from; the generator's flaws, one per rule or at a rate, are found
//! exactly; `--fail-on` sets the exit code; `--out` writes every finding.

use std::collections::BTreeSet;

use crate::common::{self, csv_rows, resmap, run_expect, scratch};

/// The fixture's flaws.csv: (rule, severity, key).
fn seeded() -> BTreeSet<Vec<String>> {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dq_example/flaws.csv");
    csv_rows(&std::fs::read_to_string(file).unwrap())
        .into_iter()
        .skip(1)
        .collect()
}

#[test]
fn each_rule_finds_its_seeded_flaws_and_nothing_else() {
    let wh = common::dq_fixture_warehouse();
    let rows = csv_rows(&common::stdout(&[
        "-w",
        wh.to_str().unwrap(),
        "--format",
        "csv",
        "-c",
        "SELECT rule_id, severity, entity_key FROM dq_finding",
    ]));
    let got: BTreeSet<Vec<String>> = rows.into_iter().skip(1).collect();
    assert_eq!(got, seeded());
    // every rule but DQ-F10 (it needs a year before: the generator's flaws
    // test has it) is seeded
    let rules: BTreeSet<&str> = got.iter().map(|r| r[0].as_str()).collect();
    let all: BTreeSet<&str> = ::resmap::warehouse::schema::DQ_RULES
        .iter()
        .copied()
        .filter(|r| *r != "DQ-F10")
        .collect();
    assert_eq!(rules, all);
    // and check's summary counts them by rule and severity
    let out = run_expect(
        &["check", "-w", wh.to_str().unwrap(), "--format", "csv", "-q"],
        0,
    );
    let summary = csv_rows(&String::from_utf8_lossy(&out.stdout));
    let f03: Vec<&Vec<String>> = summary.iter().filter(|r| r[0] == "DQ-F03").collect();
    assert_eq!(f03.len(), 2, "{summary:?}");
    assert!(f03.iter().any(|r| r[1] == "error" && r[3] == "1"));
    assert!(f03.iter().any(|r| r[1] == "warn" && r[3] == "2"));
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
    let seeded = seeded();
    let errors = seeded.iter().filter(|r| r[1] == "error").count();
    assert_eq!(errors, 11, "make_dq_example.py's errors");
    assert!(
        err.contains(&format!(
            "{errors} finding(s) at error or above (--fail-on error)"
        )),
        "{err}"
    );
    let findings = csv_rows(&std::fs::read_to_string(&file).unwrap());
    assert_eq!(findings.len(), 1 + seeded.len());
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
    // all but the one info finding (DQ-F09)
    let warn = format!("{} finding(s) at warn or above", seeded.len() - 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains(&warn));
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

/// The reconciliation report: the seeded ledger shortfall shows as 148,000.00
/// of payroll against 141,000.00 of ledger salaries, one cell apart
/// (make_dq_example.py: 62,000 + 70,000 + 10,000 + 5,000 + R's 1,000 at S2
/// paid, 55,000 + 70,000 + 15,000 + 1,000 booked); the demo's sources agree
/// everywhere (its generator writes the ledger from payroll and the state
/// report from enrollment).
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
        ["148000.00", "ledger salaries", "141000.00", "7000.00", "1"].map(String::from)
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
        demo[1..].iter().all(|r| r[7] == "0.00" && r[8] == "0"),
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
    load_thresholds(w, &file, 0);
    let rows = csv_rows(&common::stdout(&[
        "check", "-w", w, "--format", "csv", "-q",
    ]));
    assert!(rows.iter().all(|r| r[0] != "DQ-P01"), "{rows:?}");
    let p02 = rows.iter().find(|r| r[0] == "DQ-P02").expect("DQ-P02");
    assert_eq!(p02[1], "error");
    // an unknown rule id is refused, and the file with it
    std::fs::write(&file, "rule_id,severity,low,high\nDQ-X99,warn,,\n").unwrap();
    load_thresholds(w, &file, 1);
}

/// Loads a thresholds file for DQ01 2024 through `dq_threshold`, expecting
/// `code`.
fn load_thresholds(warehouse: &str, file: &std::path::Path, code: i32) {
    run_expect(
        &[
            "ingest",
            "-q",
            "-w",
            warehouse,
            "-m",
            "dq_threshold",
            "-d",
            "DQ01",
            "-y",
            "2024",
            file.to_str().unwrap(),
        ],
        code,
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

/// `resmap generate --flaws` injects one flaw per rule per district-year
/// (31 rules x 4 district-years, less DQ-F10 in the two first years: 122),
/// or with `--flaw-rate` a share of what each rule checks, and lists the
/// findings they must make in flaws.csv. The clean files have no finding;
/// the flawed ones exactly those listed: no miss and no false alarm.
#[test]
fn every_injected_flaw_is_found_and_nothing_else() {
    let dir = scratch("flaws");
    let clean = dir.join("clean");
    run_expect(&["generate", "-q", "--out", clean.to_str().unwrap()], 0);
    let wc = dir.join("wh-clean");
    common::ingest_export_dir(&clean, &wc);
    assert_eq!(finding_set(&wc), BTreeSet::new());
    for (name, rate, expected) in [("one", None, Some(122)), ("rate", Some("0.02"), None)]
    {
        let flawed = dir.join(name);
        let mut args = vec![
            "generate",
            "-q",
            "--flaws",
            "--out",
            flawed.to_str().unwrap(),
        ];
        if let Some(r) = rate {
            args.extend(["--flaw-rate", r]);
        }
        run_expect(&args, 0);
        let wf = dir.join(format!("wh-{name}"));
        common::ingest_export_dir(&flawed, &wf);
        let injected: Vec<Vec<String>> =
            csv_rows(&std::fs::read_to_string(flawed.join("flaws.csv")).unwrap())
                .into_iter()
                .skip(1)
                .collect();
        if let Some(n) = expected {
            assert_eq!(injected.len(), n);
        } else {
            // a rate puts more than one flaw on the rules with large pools
            let s08 = injected.iter().filter(|f| f[0] == "DQ-S08").count();
            assert!(s08 > 4, "{s08}");
        }
        let set: BTreeSet<Vec<String>> = injected.iter().cloned().collect();
        assert_eq!(set.len(), injected.len(), "each flaw its own finding");
        let found = finding_set(&wf);
        let missed: Vec<_> = set.difference(&found).collect();
        let extra: Vec<_> = found.difference(&set).collect();
        assert!(
            missed.is_empty() && extra.is_empty(),
            "{name}: missed {missed:?}, extra {extra:?}"
        );
    }
    // a rate beyond 5% is refused
    let out = resmap()
        .args(["generate", "--flaws", "--flaw-rate", "0.5", "--out"])
        .arg(dir.join("too-many"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Flaws a break-it pass found the first rules missed, each now found: a
/// salary far off in a classification of four, a second void of one payment,
/// two overlapping spells at one school (a duplicate record, and the days
/// after them in a section), a student enrolled in no section, and a school
/// a report publishes that the records lack.
#[test]
fn small_groups_double_voids_overlapping_spells_and_missing_students() {
    let dir = scratch("break-it");
    let wh = dir.join("warehouse");
    let files: [(&str, &str); 6] = [
        (
            "assignments",
            "EmployeeID,PositionNo,SchoolCode,Department,JobClass,Subject,FTE,StartDate,EndDate,AnnualSalary\n\
             P1,A1,S1,,PRINCIPAL,,1.000,08/21/2023,,\"$100,000.00\"\n\
             P2,A2,S1,,PRINCIPAL,,1.000,08/21/2023,,\"$102,000.00\"\n\
             P3,A3,S1,,PRINCIPAL,,1.000,08/21/2023,,\"$98,000.00\"\n\
             P4,A4,S1,,PRINCIPAL,,1.000,08/21/2023,,\"$1,000,000.00\"\n",
        ),
        (
            "gl",
            "Account,PostingDate,Amount,EntryType,Journal,Description,Vendor\n\
             10-1000-610-000-S1,03/03/2024,\"4,500.00\",ACT,AP1,Payment,V1\n\
             10-1000-610-000-S1,03/05/2024,\"(4,500.00)\",ACT,VD1,Void,V1\n\
             10-1000-610-000-S1,03/06/2024,\"(4,500.00)\",ACT,VD2,Void again,V1\n",
        ),
        (
            "enrollment",
            "StudentID,SchoolCode,Grade,EntryDate,ExitDate\n\
             SA,S1,10,08/21/2023,02/01/2024\n\
             SA,S1,10,08/22/2023,02/01/2024\n\
             SB,S1,10,08/21/2023,\n\
             SC,S1,10,08/21/2023,\n\
             SD,S1,10,08/21/2023,\n\
             SE,S1,10,08/21/2023,\n",
        ),
        (
            "sections",
            "SectionID,SchoolCode,Term,CourseCode,CourseTitle,Subject,LowGrade,HighGrade,Program,MinutesPerWeek,TermStart,TermEnd,RoomCapacity,Period,Room\n\
             SEC1,S1,YR,ENG10,English 10,ela,10,10,gened,250,08/21/2023,06/05/2024,32,1,R1\n",
        ),
        (
            "rosters",
            "SectionID,StudentID,StartDate,EndDate\n\
             SEC1,SA,08/21/2023,\nSEC1,SC,08/21/2023,\nSEC1,SD,08/21/2023,\nSEC1,SE,08/21/2023,\n",
        ),
        (
            "state_schools",
            "SchoolCode,SchoolName,Oct1Enrollment,TeacherFTE,StudentsPerTeacher,AvgClassSize\n\
             S1,Example High,5,1.000,5.0,4.0\nS9,Gone School,30,2.000,15.0,15.0\n",
        ),
    ];
    let exports = dir.join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    for (table, text) in files {
        std::fs::write(exports.join(format!("BK01_2024_{table}.csv")), text).unwrap();
    }
    common::ingest_export_dir(&exports, &wh);
    let rows = csv_rows(&common::stdout(&[
        "-w",
        wh.to_str().unwrap(),
        "--format",
        "csv",
        "-c",
        "SELECT rule_id, entity_key, measured FROM dq_finding \
         WHERE rule_id IN ('DQ-F03', 'DQ-P05', 'DQ-S07', 'DQ-S08', 'DQ-T01', 'DQ-T02') \
         ORDER BY rule_id, entity_key",
    ]));
    let want: Vec<Vec<String>> = [
        // the later void has no payment left to reverse
        [
            "DQ-F03",
            "10-1000-610-000-S1 -4500.00 2024-03-06",
            "-4500.00",
        ],
        // and the account nets 4,500 - 4,500 - 4,500 below zero
        ["DQ-F03", "account 10-1000-610-000-S1", "-4500.00"],
        // the other three average 100,000 with a spread of 1,633 (population,
        // by hand), under the floor of 5% of the mean, 5,000:
        // 900,000 / 5,000 = 180 deviations
        ["DQ-P05", "staff P4 assignment A4", "180.0"],
        ["DQ-S07", "student SB at S1", "0"],
        // 2024-02-02 to 2024-06-05: 125 days in the section, not enrolled
        ["DQ-S08", "student SA in section SEC1", "125 days"],
        ["DQ-T01", "student SA", "S1 and S1"],
        ["DQ-T02", "school S9", "0"],
    ]
    .iter()
    .map(|r| r.map(String::from).to_vec())
    .collect();
    assert_eq!(rows[1..], want[..]);
}

/// A threshold that makes no sense is refused with its line; a check one
/// rule of which cannot run (a new year's ledger alone: no driver for the
/// resource map DQ-A04 needs) still reports the others and exits 3; a flaw
/// rate refused writes no file.
#[test]
fn bad_thresholds_incomplete_checks_and_refused_rates() {
    let wh = common::ingest_fixture_into("dq_example", "dq-incomplete");
    let w = wh.to_str().unwrap();
    let file = wh.parent().unwrap().join("thresholds.csv");
    for (text, reason) in [
        ("DQ-P05,,,-4", "high -4.0000 is below 0"),
        ("DQ-S07,,1.2,0.8", "low 1.2000 is above high 0.8000"),
        ("DQ-F01,,5,10", "DQ-F01 has no low bound to set"),
    ] {
        std::fs::write(&file, format!("rule_id,severity,low,high\n{text}\n")).unwrap();
        let out = resmap()
            .args([
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
            ])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("thresholds.csv:2: {reason}")),
            "{err}"
        );
    }
    let gl = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dq_example/DQ01_2024_gl.csv");
    run_expect(
        &[
            "ingest",
            "-q",
            "-w",
            w,
            "-m",
            "demo_gl",
            "-d",
            "DQ01",
            "-y",
            "2025",
            gl.to_str().unwrap(),
        ],
        0,
    );
    let out = resmap()
        .args(["check", "-w", w, "--format", "csv", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("DQ-A04 could not run"), "{err}");
    let summary = csv_rows(&String::from_utf8_lossy(&out.stdout));
    assert!(summary.iter().any(|r| r[0] == "DQ-F04"), "{summary:?}");

    let target = wh.parent().unwrap().join("refused");
    let out = resmap()
        .args(["generate", "--flaws", "--flaw-rate", "0", "--out"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!target.exists());
}
