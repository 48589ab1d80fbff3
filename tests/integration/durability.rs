//! Killing an ingest at any point leaves every table readable as a complete
//! version (the previous one, or the new one when the commit had landed),
//! never a mix; `resmap vacuum` removes the files a killed writer left.

use std::path::Path;
use std::time::Duration;

use crate::common::{csv_rows, resmap, run_expect, scratch, stdout};

/// (rows, total amount) of the ledger's actual lines.
fn ledger(w: &str) -> (String, String) {
    let rows = csv_rows(&stdout(&[
        "-w",
        w,
        "--format",
        "csv",
        "-c",
        "SELECT count(*), sum(amount) FROM gl_line",
    ]));
    (rows[1][0].clone(), rows[1][1].clone())
}

/// Parquet files under the table's folder.
fn parquet_files(dir: &Path) -> usize {
    let mut n = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn a_killed_ingest_leaves_a_complete_version_and_vacuum_cleans_up() {
    let dir = scratch("kill");
    let exports = dir.join("exports");
    run_expect(&["generate", "-q", "--out", exports.to_str().unwrap()], 0);
    let small = exports.join("DEMO01_2023_gl.csv");
    // A big ledger for the same district-year: the small one 60 times over.
    let text = std::fs::read_to_string(&small).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    let big = dir.join("big_gl.csv");
    std::fs::write(&big, format!("{header}\n{}", body.repeat(60))).unwrap();
    let wh = dir.join("warehouse");
    let w = wh.to_str().unwrap();
    let ingest = |file: &Path| {
        vec![
            "ingest".to_string(),
            "-q".into(),
            "-w".into(),
            w.into(),
            "-m".into(),
            "demo_gl".into(),
            "-d".into(),
            "DEMO01".into(),
            "-y".into(),
            "2023".into(),
            file.to_str().unwrap().into(),
        ]
    };
    let small_args = ingest(&small);
    let refs: Vec<&str> = small_args.iter().map(String::as_str).collect();
    run_expect(&refs, 0);
    let before = ledger(w);
    // The complete big version, measured in a warehouse of its own.
    let other = dir.join("other");
    let mut big_args = ingest(&big);
    big_args[3] = other.to_str().unwrap().into();
    let refs: Vec<&str> = big_args.iter().map(String::as_str).collect();
    run_expect(&refs, 0);
    let after = ledger(other.to_str().unwrap());
    // Kill the big ingest at points from start-up to past its commit.
    for ms in [30u64, 120, 250, 400, 550, 700, 900, 1300] {
        // start each round from the small version
        let refs: Vec<&str> = small_args.iter().map(String::as_str).collect();
        run_expect(&refs, 0);
        let mut child = resmap()
            .args(ingest(&big))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = ledger(w);
        assert!(now == before || now == after, "killed at {ms} ms: {now:?}");
    }
    // Files a killed writer left, and replaced versions' files, go; what
    // the table reads stays.
    let shown = ledger(w);
    let out = stdout(&["vacuum", "-w", w, "--keep-hours", "0"]);
    assert!(out.starts_with("removed "), "{out}");
    assert_eq!(ledger(w), shown);
    let referenced = csv_rows(&stdout(&[
        "-w",
        w,
        "--format",
        "csv",
        "-c",
        "SELECT count(DISTINCT source_file) FROM gl_line",
    ]));
    assert_eq!(referenced[1][0], "1");
    // one data file for the one district-year left (the writer writes one)
    assert_eq!(parquet_files(&wh.join("gl_line")), 1);
}

/// Two ingests at once: of the same district-year, the version one of them
/// wrote stands whole and the other, when it lost the race, says so and
/// writes nothing; of different district-years, both land.
#[test]
fn concurrent_ingests_never_mix() {
    let dir = scratch("concurrent");
    let exports = dir.join("exports");
    run_expect(&["generate", "-q", "--out", exports.to_str().unwrap()], 0);
    let small = exports.join("DEMO01_2023_gl.csv");
    let text = std::fs::read_to_string(&small).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    let big = dir.join("big_gl.csv");
    std::fs::write(&big, format!("{header}\n{}", body.repeat(40))).unwrap();
    let wh = dir.join("warehouse");
    let w = wh.to_str().unwrap().to_string();
    let start = |district: &str, file: &Path| {
        resmap()
            .args([
                "ingest", "-q", "-w", &w, "-m", "demo_gl", "-d", district, "-y", "2023",
            ])
            .arg(file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    run_expect(
        &[
            "ingest",
            "-q",
            "-w",
            &w,
            "-m",
            "demo_gl",
            "-d",
            "DEMO01",
            "-y",
            "2023",
            small.to_str().unwrap(),
        ],
        0,
    );
    let one = ledger(&w);
    // the big version alone, for comparison
    let alone = dir.join("alone");
    run_expect(
        &[
            "ingest",
            "-q",
            "-w",
            alone.to_str().unwrap(),
            "-m",
            "demo_gl",
            "-d",
            "DEMO01",
            "-y",
            "2023",
            big.to_str().unwrap(),
        ],
        0,
    );
    let whole = ledger(alone.to_str().unwrap());
    assert_ne!(one, whole);
    for _ in 0..2 {
        let (a, b) = (start("DEMO01", &big), start("DEMO01", &big));
        let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        for o in &outs {
            if o.status.code() != Some(0) {
                assert_eq!(o.status.code(), Some(1));
                let err = String::from_utf8_lossy(&o.stderr);
                assert!(
                    err.contains(
                        "another ingest replaced DEMO01 2023 while this one ran"
                    ),
                    "{err}"
                );
            }
        }
        assert!(outs.iter().any(|o| o.status.success()));
        assert_eq!(ledger(&w), whole);
    }
    // different district-years at once: both land
    let (a, b) = (start("DEMO01", &big), start("DEMO02", &big));
    assert!(a.wait_with_output().unwrap().status.success());
    assert!(b.wait_with_output().unwrap().status.success());
    let per = csv_rows(&stdout(&[
        "-w",
        &w,
        "--format",
        "csv",
        "-c",
        "SELECT district_id, count(*) FROM gl_line GROUP BY 1 ORDER BY 1",
    ]));
    assert_eq!(per[1][1], whole.0);
    assert_eq!(per[2][1], whole.0);
}
