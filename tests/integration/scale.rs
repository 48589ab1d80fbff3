//! A state's worth of districts: `generate --scale` and `ingest --manifest`.

use crate::common::{csv_rows, resmap, run_expect, scratch, stdout};

/// SF 0.3 (4 districts): every file is listed in the manifest, one ingest
/// loads them in one commit per table, the data passes every check, and the
/// metrics see the districts the generator planned.
#[test]
fn a_scaled_state_loads_from_its_manifest_and_checks_clean() {
    let dir = scratch("scale");
    let out = dir.join("exports");
    let o = out.to_str().unwrap();
    run_expect(&["generate", "-q", "--scale", "0.3", "--out", o], 0);
    let manifest = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    let lines: Vec<Vec<String>> = csv_rows(&manifest);
    assert_eq!(lines[0], ["mapping", "district", "year", "file"]);
    // 14 mappings x 4 districts x 2 years (scale.rs: SF 0.3 = round(1209 *
    // 0.003) = 4 districts)
    assert_eq!(lines.len() - 1, 14 * 4 * 2, "{manifest}");
    let files = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name() != "manifest.csv")
        .count();
    assert_eq!(files, lines.len() - 1);

    let wh = dir.join("warehouse");
    let w = wh.to_str().unwrap();
    let rejects = dir.join("rejects");
    let report = stdout(&[
        "-w",
        w,
        "ingest",
        "--manifest",
        out.join("manifest.csv").to_str().unwrap(),
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    // one commit per table, each the table's first version, 8 district-years
    let commits: Vec<&str> = report.lines().filter(|l| l.contains("replaced")).collect();
    assert_eq!(commits.len(), 14, "{report}");
    for c in &commits {
        assert!(c.contains("rejected 0"), "{c}");
        assert!(c.contains("8 district-year(s) replaced; version 0"), "{c}");
    }
    // every record of every file written: the files' lines minus headers
    let records: usize = lines[1..]
        .iter()
        .map(|l| {
            std::fs::read_to_string(out.join(&l[3]))
                .unwrap()
                .lines()
                .count()
                - 1
        })
        .sum();
    let written: usize = commits
        .iter()
        .map(|c| {
            let n = c.split("wrote ").nth(1).unwrap().split(',').next().unwrap();
            n.parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(written, records);

    run_expect(&["-w", w, "check"], 0);
    let overview = csv_rows(&stdout(&[
        "-w",
        w,
        "--format",
        "csv",
        "run",
        "district_overview",
    ]));
    assert_eq!(overview.len() - 1, 8);
    let districts: std::collections::BTreeSet<&str> =
        overview[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        districts.into_iter().collect::<Vec<_>>(),
        ["D00001", "D00002", "D00003", "D00004"]
    );

    // One district's student costs compute that district only: every stage
    // of the pipeline is materialized under the district filter, none for the
    // whole state (a union whose branches needed type coercion once stopped
    // the filter above the section route's window, and the whole state's
    // section costs were computed for one district's question). The one
    // stage read whole is the chart's list of function codes, a lookup.
    let out = resmap()
        .env("RUST_LOG", "resmap=debug")
        .args([
            "-w",
            w,
            "--format",
            "csv",
            "run",
            "student_cost_by_group",
            "--param",
            "district=D00002",
            "--param",
            "year=2024",
        ])
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    let stages: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split("materializing ").nth(1))
        .collect();
    assert!(
        stages
            .iter()
            .any(|s| s.starts_with("staff_section_cost where district_id")),
        "{log}"
    );
    let whole: Vec<&&str> = stages
        .iter()
        .filter(|s| s.ends_with("where true") && !s.starts_with("coa_code_map "))
        .collect();
    assert!(
        whole.is_empty(),
        "stages computed for the whole state: {whole:?}"
    );
}

/// A manifest line that cannot be loaded is named by file, line and column,
/// and nothing is written.
#[test]
fn a_bad_manifest_line_is_named_and_nothing_is_written() {
    let dir = scratch("scale-bad");
    let out = dir.join("exports");
    run_expect(
        &[
            "generate",
            "-q",
            "--scale",
            "0.1",
            "--out",
            out.to_str().unwrap(),
        ],
        0,
    );
    let manifest = out.join("manifest.csv");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let wh = dir.join("warehouse");
    for (bad_line, column) in [
        ("demo_gl,D00001,24,D00001_2024_gl.csv", "column 3 (year)"),
        ("demo_gl,D 1,2024,D00001_2024_gl.csv", "column 2 (district)"),
        ("demo_gl,D00001,2024,missing.csv", "column 4 (file)"),
        (
            "no_such_mapping,D00001,2024,D00001_2024_gl.csv",
            "column 1 (mapping)",
        ),
    ] {
        let broken = dir.join("broken.csv");
        let mut lines: Vec<&str> = text.lines().collect();
        lines.insert(3, bad_line);
        std::fs::write(&broken, lines.join("\n") + "\n").unwrap();
        // the broken manifest lives beside the files it names
        let beside = out.join("broken.csv");
        std::fs::copy(&broken, &beside).unwrap();
        let o = resmap()
            .args(["-w", wh.to_str().unwrap(), "ingest", "--manifest"])
            .arg(&beside)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{bad_line}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("broken.csv:4: ") && err.contains(column),
            "{err}"
        );
        assert!(!wh.exists(), "{bad_line}: the warehouse was written");
    }
    // --manifest and a mapping are one or the other
    let o = resmap()
        .args(["ingest", "--manifest", "m.csv", "-m", "demo_gl"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

/// Scale factors outside 0-1000 are refused before anything is written.
#[test]
fn a_scale_out_of_range_is_refused() {
    let dir = scratch("scale-range");
    for sf in ["0", "-2", "1e6", "nan"] {
        let o = resmap()
            .args(["generate", "--scale", sf, "--out"])
            .arg(dir.join(sf))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{sf}");
        assert!(!dir.join(sf).exists(), "{sf}");
    }
}
