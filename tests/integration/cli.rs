//! The binary end to end: commands, exit codes, formats, the shell, ingest
//! errors and the warehouse's behaviour on failure and re-ingest.

use std::io::Write;
use std::process::Stdio;

use crate::common::{self, csv_rows, resmap, run_expect, scratch, stdout};

fn w(path: &std::path::Path) -> &str {
    path.to_str().expect("utf-8 path")
}

const GL_HEADER: &str =
    "Account,PostingDate,Amount,EntryType,Journal,Description,Vendor\n";

/// Writes a demo-format ledger file: the header and `lines`.
fn gl_file(path: &std::path::Path, lines: &[&str]) -> std::path::PathBuf {
    std::fs::write(path, format!("{GL_HEADER}{}\n", lines.join("\n"))).unwrap();
    path.to_path_buf()
}

/// Runs the binary with `input` on its stdin and `env` set.
fn run_with_input(
    args: &[&str],
    env: (&str, &std::path::Path),
    input: &[u8],
) -> std::process::Output {
    let mut child = resmap()
        .args(args)
        .env(env.0, env.1)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("resmap starts");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// `resmap ingest` of `file` with the demo ledger mapping, expecting `code`.
fn ingest_gl(
    wh: &std::path::Path,
    district: &str,
    year: &str,
    file: &std::path::Path,
    extra: &[&str],
    code: i32,
) -> std::process::Output {
    let mut args = vec![
        "ingest",
        "-w",
        w(wh),
        "-m",
        "demo_gl",
        "-d",
        district,
        "-y",
        year,
    ];
    args.extend_from_slice(extra);
    args.push(w(file));
    run_expect(&args, code)
}

#[test]
fn help_and_version_succeed() {
    assert!(stdout(&["--help"]).contains("ingest"));
    assert!(stdout(&["--version"]).starts_with("resmap "));
}

#[test]
fn a_missing_warehouse_is_a_usage_error() {
    let out = run_expect(&["-c", "SELECT 1"], 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no warehouse: pass --warehouse")
    );
    let missing = scratch("missing").join("nothing-here");
    let out = run_expect(&["-w", w(&missing), "-c", "SELECT 1"], 2);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("ingest into it first, or run `resmap demo`")
    );
}

#[test]
fn demo_prints_the_headline_for_both_districts_and_years() {
    let dir = common::demo_warehouse();
    let out = stdout(&["-w", w(dir), "--format", "csv", "run", "district_overview"]);
    let rows = csv_rows(&out);
    assert_eq!(
        rows[0][..4],
        ["district_id", "school_year", "schools", "students"]
    );
    let keys: Vec<(String, String, String)> = rows[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect();
    // Two districts (4 and 3 schools in the generator's plan) over 2023 and 2024.
    assert_eq!(
        keys,
        vec![
            ("DEMO01".into(), "2023".into(), "4".into()),
            ("DEMO01".into(), "2024".into(), "4".into()),
            ("DEMO02".into(), "2023".into(), "3".into()),
            ("DEMO02".into(), "2024".into(), "3".into()),
        ]
    );
}

#[test]
fn demo_is_deterministic() {
    let a = scratch("demo-a").join("exports");
    let b = scratch("demo-b").join("exports");
    run_expect(&["generate", "-q", "--out", w(&a)], 0);
    run_expect(&["generate", "-q", "--out", w(&b)], 0);
    let mut names: Vec<_> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names.len(), 56, "14 exports x 2 districts x 2 years");
    for n in names {
        assert_eq!(
            std::fs::read(a.join(&n)).unwrap(),
            std::fs::read(b.join(&n)).unwrap(),
            "{n:?} differs"
        );
    }
}

#[test]
fn commands_stop_at_the_first_failing_statement() {
    let dir = common::demo_warehouse();
    let out = run_expect(
        &[
            "-w",
            w(dir),
            "--format",
            "csv",
            "-c",
            "SELECT 1 AS first",
            "-c",
            "SELECT nope",
            "-c",
            "SELECT 3 AS third",
        ],
        1,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("first") && !text.contains("third"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope"));
}

#[test]
fn a_script_splits_on_semicolons_outside_strings_and_comments() {
    let dir = common::demo_warehouse();
    let script = scratch("script").join("q.sql");
    std::fs::write(
        &script,
        "-- a comment; with a semicolon\nSELECT 'a;b' AS s; /* ; */ SELECT 2 AS n;\n\\format csv\nSELECT 3 AS m;\n",
    )
    .unwrap();
    let out = stdout(&["-w", w(dir), "-f", w(&script)]);
    assert!(out.contains("| a;b |"), "{out}");
    assert!(out.contains("| 2 |"), "{out}");
    assert!(
        out.ends_with("m\n3\n"),
        "the \\format line applies to what follows: {out}"
    );
}

#[test]
fn every_output_format_renders() {
    let dir = common::demo_warehouse();
    let q = "SELECT 'DEMO01' AS district, CAST(12.5 AS DECIMAL(10, 2)) AS amount";
    let run = |f: &str| stdout(&["-w", w(dir), "--format", f, "-c", q]);
    assert_eq!(run("csv"), "district,amount\nDEMO01,12.50\n");
    assert_eq!(
        run("ndjson"),
        "{\"district\":\"DEMO01\",\"amount\":12.50}\n"
    );
    assert_eq!(
        run("json"),
        "[{\"district\":\"DEMO01\",\"amount\":12.50}]\n"
    );
    assert_eq!(
        run("markdown"),
        "| district | amount |\n| --- | ---: |\n| DEMO01 | 12.50 |\n"
    );
    assert!(run("table").contains("| DEMO01   | 12.50  |"));
    let out = run_expect(&["-w", w(dir), "--format", "xml", "-c", q], 2);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("table, csv, json, ndjson, markdown")
    );
}

#[test]
fn canned_query_mistakes_are_usage_errors_with_suggestions() {
    let dir = common::demo_warehouse();
    let err =
        |args: &[&str]| String::from_utf8_lossy(&run_expect(args, 2).stderr).to_string();
    assert!(
        err(&["-w", w(dir), "run", "class_sise"]).contains("did you mean \"class_size\"")
    );
    assert!(
        err(&["-w", w(dir), "run", "class_size"])
            .contains("missing required parameter district (text)")
    );
    assert!(
        err(&[
            "-w",
            w(dir),
            "run",
            "class_size",
            "-p",
            "district=DEMO01",
            "-p",
            "yr=2024"
        ])
        .contains("did you mean \"year\"")
    );
    assert!(
        err(&["-w", w(dir), "run", "class_size", "-p", "district"])
            .contains("must read NAME=VALUE")
    );
    // A value is bound, never pasted into SQL: a quote is just part of the id.
    let out = stdout(&[
        "-w",
        w(dir),
        "--format",
        "csv",
        "run",
        "class_size",
        "-p",
        "district=x' OR '1'='1",
    ]);
    assert_eq!(
        out,
        "school_year,school_id,school_name,sections,seats,class_size,class_size_student_weighted\n"
    );
}

#[test]
fn queries_and_mappings_are_listed() {
    let q = stdout(&["queries"]);
    for name in [
        "per_pupil_spending",
        "spending_by_function",
        "class_size",
        "students_per_teacher",
    ] {
        assert!(
            q.contains(&format!("{name}: ")),
            "{name} missing from:\n{q}"
        );
    }
    let m = stdout(&["mappings"]);
    assert!(m.contains("nyc_class_size -> school_profile"), "{m}");
}

#[test]
fn the_warehouse_is_written_only_by_ingest() {
    let dir = common::demo_warehouse();
    let out = run_expect(&["-w", w(dir), "-c", "DELETE FROM gl_line"], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the shell only reads the warehouse; `resmap ingest` changes it"),
        "{err}"
    );
    let out = stdout(&[
        "-w",
        w(dir),
        "--format",
        "csv",
        "-c",
        "SELECT count(*) > 0 AS kept FROM gl_line",
    ]);
    assert_eq!(out, "kept\ntrue\n");
}

#[test]
fn the_shell_reads_statements_across_lines_and_meta_commands() {
    let dir = common::demo_warehouse();
    let history = scratch("shell").join("history");
    let out = run_with_input(
        &["-w", w(dir), "--interactive"],
        ("RESMAP_HISTORY", &history),
        b"\\format csv\nSELECT 40\n + 2 AS answer;\n\\d school\n\\run class_size district='DEMO02' year=2024;\n\\nope\nSELECT 'still here' AS s;\n\\q\nSELECT 'after quit';\n",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("answer\n42\n"), "{text}");
    assert!(
        text.contains("school_id,text,no,school id within the district"),
        "{text}"
    );
    assert!(text.contains("Cedar Hills High"), "{text}");
    assert!(
        text.contains("still here"),
        "the shell goes on after an error: {text}"
    );
    assert!(!text.contains("after quit"), "{text}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown command \\nope"), "{err}");
    let saved = std::fs::read_to_string(&history).unwrap_or_default();
    assert!(saved.contains("SELECT 40"), "history: {saved}");
}

#[test]
fn piped_input_is_a_script_that_stops_at_its_first_error() {
    let dir = common::demo_warehouse();
    let history = scratch("piped").join("history");
    let out = run_with_input(
        &["-w", w(dir), "--format", "csv"],
        ("RESMAP_HISTORY", &history),
        b"SELECT 1 AS one\n\\timing off\n;\nSELECT 'a\n\\q' AS s;\nSELECT nope;\nSELECT 2 AS two",
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    // A meta command inside a statement runs; a backslash inside a string is text.
    assert!(text.starts_with("one\n1\ns\n\"a\n\\q\"\n"), "{text}");
    assert!(!text.contains("two"), "{text}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error: <stdin>:6:"),
        "the error names the line: {err}"
    );
    assert!(!history.exists(), "piped input is not history");
    // The same with -c: \q stops what follows.
    let out = stdout(&[
        "-w",
        w(dir),
        "--format",
        "csv",
        "-c",
        "\\q",
        "-c",
        "SELECT 1 AS a",
    ]);
    assert_eq!(out, "");
}

#[test]
fn a_file_that_is_not_utf8_is_named_with_line_and_column() {
    let dir = scratch("not-utf8");
    let file = dir.join("schools.csv");
    std::fs::write(&file, b"SchoolCode,SchoolName,Level,LowGrade,HighGrade,TitleI,SqFt\n1,Ok,high,9,12,N,1\n2,O\x92Brien,high,9,12,N,1\n").unwrap();
    let out = run_expect(
        &[
            "ingest",
            "-w",
            w(&dir.join("wh")),
            "-m",
            "demo_schools",
            "-d",
            "D1",
            "-y",
            "2024",
            w(&file),
        ],
        1,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("schools.csv:3:2 (SchoolName): byte 0x92 is not UTF-8"),
        "{err}"
    );
    assert!(err.contains("encoding: cp1252"), "{err}");
    assert!(
        !dir.join("wh").join("school").exists(),
        "nothing may be written"
    );
}

#[test]
fn bad_rows_are_rejected_with_file_line_column_and_reason() {
    let dir = scratch("bad-rows");
    let file = gl_file(
        &dir.join("gl.csv"),
        &[
            "10-1000-610-000-S1,09/10/2023,\"3,000.00\",ACT,J1,ok,V",
            "10-1000-610-000-S1,09/11/2023,three dollars,ACT,J2,bad money,V",
            "10-1000-610-000-S1,09/12/2023,5.00,ACT,J3",
            "10-1000-610-000-S1,13/45/2023,5.00,ACT,J4,bad date,V",
            "10-1000-610-000-S1,09/14/2023,5.00,XYZ,J5,bad type,V",
            "10-1000-610-000-S1,09/15/2023,(7.25),ACT,J6,credit,V",
        ],
    );
    let rejects = dir.join("rejects.csv");
    let wh = dir.join("wh");
    let out = ingest_gl(&wh, "D1", "2024", &file, &["--rejects", w(&rejects)], 0);
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.starts_with(
            "gl_line: read 6 rows, wrote 2, rejected 4, excluded by the mapping 0;"
        ),
        "{out}"
    );
    let rows = csv_rows(&std::fs::read_to_string(&rejects).unwrap());
    assert_eq!(
        rows[0],
        ["file", "line", "column", "kind", "reason", "record"]
    );
    let by_line: Vec<(&str, &str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str(), r[4].as_str()))
        .collect();
    let has = |line: &str, column: &str, reason: &str| {
        by_line
            .iter()
            .any(|(l, c, r)| *l == line && *c == column && r.contains(reason))
    };
    assert!(
        has(
            "3",
            "3 (amount)",
            "parse_money: cannot read \"three dollars\" as money: not a number"
        ),
        "{by_line:?}"
    );
    assert!(
        has("4", "6", "expected 7 fields as in the header, found 5"),
        "{by_line:?}"
    );
    assert!(
        has(
            "5",
            "2 (postingdate)",
            "cannot read \"13/45/2023\" as a date"
        ),
        "{by_line:?}"
    );
    assert!(
        has("6", "", "entry type XYZ is not ACT, BUD or ENC"),
        "{by_line:?}"
    );
    // 3,000.00 - 7.25 = 2,992.75
    let sum = stdout(&[
        "-w",
        w(&wh),
        "--format",
        "csv",
        "-c",
        "SELECT sum(amount) AS s FROM gl_line",
    ]);
    assert_eq!(sum, "s\n2992.75\n");
}

#[test]
fn too_many_rejects_write_nothing_and_keep_the_previous_version() {
    let dir = scratch("keep-version");
    let wh = dir.join("wh");
    let good = gl_file(
        &dir.join("good.csv"),
        &["10-1000-610-000-S1,09/10/2023,1.00,ACT,J1,ok,V"],
    );
    ingest_gl(&wh, "D1", "2024", &good, &["-q"], 0);
    let bad = gl_file(
        &dir.join("bad.csv"),
        &[
            "10-1000-610-000-S1,09/10/2023,oops,ACT,J1,bad,V",
            "10-1000-610-000-S1,09/10/2023,2.00,ACT,J2,ok,V",
        ],
    );
    let out = ingest_gl(&wh, "D1", "2024", &bad, &["--max-rejects", "0"], 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 rows rejected (limit 0); nothing was written"),
        "{err}"
    );
    assert!(
        err.contains("bad.csv:2: parse_money: cannot read \"oops\""),
        "{err}"
    );
    let sum = stdout(&[
        "-w",
        w(&wh),
        "--format",
        "csv",
        "-c",
        "SELECT sum(amount) AS s, count(*) AS n FROM gl_line",
    ]);
    assert_eq!(
        sum, "s,n\n1.00,1\n",
        "the first ingest's rows are all still there"
    );
}

#[test]
fn reingesting_replaces_one_district_year_and_keeps_the_others() {
    let dir = scratch("replace");
    let wh = dir.join("wh");
    let two_lines = |name: &str, amount: &str| {
        gl_file(
            &dir.join(name),
            &[
                &format!("10-1000-610-000-S1,09/10/2023,{amount},ACT,J1,x,V"),
                &format!("10-1000-610-000-S1,09/11/2023,{amount},ACT,J2,x,V"),
            ],
        )
    };
    let a = two_lines("a.csv", "1.00");
    let b = two_lines("b.csv", "10.00");
    let a2 = two_lines("a2.csv", "100.00");
    for (d, y, f) in [
        ("A", "2023", &a),
        ("A", "2024", &a),
        ("B", "2024", &b),
        ("A", "2024", &a2),
    ] {
        ingest_gl(&wh, d, y, f, &["-q"], 0);
    }
    let out = stdout(&[
        "-w",
        w(&wh),
        "--format",
        "csv",
        "-c",
        "SELECT district_id, school_year, count(*) AS n, sum(amount) AS s FROM gl_line GROUP BY 1, 2 ORDER BY 1, 2",
    ]);
    assert_eq!(
        out,
        "district_id,school_year,n,s\nA,2023,2,2.00\nA,2024,2,200.00\nB,2024,2,20.00\n"
    );
    // Each district-year is its own folder: replacing A 2024 touched only it.
    assert!(wh.join("gl_line/school_year=2024/district_id=B").is_dir());
}

#[test]
fn mapping_mistakes_are_explained_before_anything_is_read() {
    let dir = scratch("mapping-mistakes");
    let data = dir.join("x.csv");
    std::fs::write(&data, "a,b\n1,2\n").unwrap();
    let mapping = dir.join("m.sql");
    let check = |sql: &str, expect: &str| {
        std::fs::write(&mapping, sql).unwrap();
        let out = run_expect(
            &[
                "ingest",
                "-w",
                w(&dir.join("wh")),
                "-m",
                w(&mapping),
                "-d",
                "D",
                "-y",
                "2024",
                w(&data),
            ],
            1,
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{sql}\n=> {err}");
    };
    check(
        "-- target: school\nSELECT a AS school_idd FROM raw",
        "`school_idd` is not a column of school; did you mean `school_id`?",
    );
    check(
        "-- target: school\nSELECT a AS school_name FROM raw",
        "school.school_id is required but the mapping does not yield it",
    );
    check(
        "-- target: gl_line\nSELECT a AS amount, 'actual' AS line_type FROM raw",
        "`amount` is text; read it with parse_money()",
    );
    check(
        "-- target: gl_line\nSELECT CAST(a AS DOUBLE) AS amount, 'actual' AS line_type FROM raw",
        "reads text as a number with CAST",
    );
    check(
        "-- target: gl_line\nSELECT CAST(a AS DECIMAL(18, 2)) AS amount, 'actual' AS line_type FROM raw",
        "use parse_money(x) for money",
    );
    check(
        "-- target: gl_line\nSELECT CAST(parse_decimal(a, 0) AS DOUBLE) AS amount, 'actual' AS line_type FROM raw",
        "`amount` is a float",
    );
    check(
        "-- target: section\nSELECT a AS section_id, b AS school_id, parse_decimal(a, 1) AS minutes_per_week FROM raw",
        "`minutes_per_week` is a whole number but the mapping yields 1 decimals",
    );
    check(
        "-- target: school\nSELECT c AS school_id FROM raw",
        "No field named c",
    );
    check(
        "SELECT a FROM raw",
        "the header must name the table it fills",
    );
    let out = run_expect(
        &[
            "ingest",
            "-w",
            w(&dir.join("wh")),
            "-m",
            "demo_gll",
            "-d",
            "D",
            "-y",
            "2024",
            w(&data),
        ],
        2,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean \"demo_gl\""));
    assert!(
        !dir.join("wh").exists(),
        "no mistake may create the warehouse"
    );
}

#[test]
fn parquet_files_are_read_like_csv() {
    let dir = scratch("parquet");
    let file = dir.join("schools.parquet");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let ctx = datafusion::prelude::SessionContext::new();
        let df = ctx
            .sql("SELECT * FROM (VALUES ('101', 'Parquet Elementary', 'elementary', 'K', '5', 'Y', '50000')) \
                  t(\"SchoolCode\", \"SchoolName\", \"Level\", \"LowGrade\", \"HighGrade\", \"TitleI\", \"SqFt\")")
            .await
            .unwrap();
        let opts = datafusion::dataframe::DataFrameWriteOptions::new().with_single_file_output(true);
        df.write_parquet(file.to_str().unwrap(), opts, None).await.unwrap();
    });
    let out = stdout(&[
        "ingest",
        "-w",
        w(&dir.join("wh")),
        "-m",
        "demo_schools",
        "-d",
        "P1",
        "-y",
        "2024",
        w(&file),
    ]);
    assert!(
        out.starts_with("school: read 1 rows, wrote 1, rejected 0"),
        "{out}"
    );
    let q = stdout(&[
        "-w",
        w(&dir.join("wh")),
        "--format",
        "csv",
        "-c",
        "SELECT school_name, is_title_i, source_line FROM school",
    ]);
    assert_eq!(
        q,
        "school_name,is_title_i,source_line\nParquet Elementary,true,1\n"
    );
}

#[test]
fn lines_are_counted_as_an_editor_shows_them() {
    let dir = scratch("crlf");
    let file = dir.join("gl.csv");
    // CRLF endings, a blank line, and one record whose quoted field spans two lines.
    std::fs::write(
        &file,
        "Account,PostingDate,Amount,EntryType,Journal,Description,Vendor\r\n\
         10-1000-610-000-S1,09/10/2023,1.00,ACT,J1,a,V\r\n\
         \r\n\
         10-1000-610-000-S1,09/11/2023,2.00,ACT,J2,\"two\r\nlines\",V\r\n\
         10-1000-610-000-S1,09/12/2023,3.00,ACT,J3,c,V\r\n",
    )
    .unwrap();
    let wh = dir.join("wh");
    ingest_gl(&wh, "D1", "2024", &file, &["-q"], 0);
    let out = stdout(&[
        "-w",
        w(&wh),
        "--format",
        "csv",
        "-c",
        "SELECT source_line, amount FROM gl_line ORDER BY source_line",
    ]);
    assert_eq!(out, "source_line,amount\n2,1.00\n4,2.00\n6,3.00\n");
}

#[test]
fn the_same_file_twice_is_refused_however_it_is_spelt() {
    let dir = scratch("twice");
    let file = gl_file(
        &dir.join("gl.csv"),
        &["10-1000-610-000-S1,09/10/2023,5.00,ACT,J1,a,V"],
    );
    let again = dir.join(".").join("gl.csv");
    let out = ingest_gl(&dir.join("wh"), "D1", "2024", &file, &[w(&again)], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("are the same file; give it once"), "{err}");
    assert!(!dir.join("wh").exists());
}

#[test]
fn entity_keys_are_unique_but_ledger_lines_may_repeat() {
    let dir = scratch("keys");
    let wh = dir.join("wh");
    // Two assignments with the same staff and position number: the second is refused.
    let a = dir.join("assignments.csv");
    std::fs::write(
        &a,
        "EmployeeID,PositionNo,SchoolCode,Department,JobClass,Subject,FTE,StartDate,EndDate,AnnualSalary\n\
         E1,P1,S1,,TEACHER,ela,1.000,08/21/2023,,\"$50,000.00\"\n\
         E1,P1,S1,,TEACHER,ela,1.000,08/21/2023,,\"$50,000.00\"\n",
    )
    .unwrap();
    let rejects = dir.join("rejects.csv");
    let out = stdout(&[
        "ingest",
        "-w",
        w(&wh),
        "-m",
        "demo_assignments",
        "-d",
        "D1",
        "-y",
        "2024",
        "--rejects",
        w(&rejects),
        w(&a),
    ]);
    assert!(
        out.starts_with("staff_assignment: read 2 rows, wrote 1, rejected 1"),
        "{out}"
    );
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        text.contains("duplicate key (D1, 2024, staff_id=E1, assignment_id=P1) of the row from assignments.csv line 2"),
        "{text}"
    );
    // A payroll void and reissue share staff, date, account and earnings type.
    let p = dir.join("payroll.csv");
    std::fs::write(
        &p,
        "EmployeeID,CheckDate,Account,EarnType,Gross,EmployerBenefits\n\
         E1,08/25/2023,10-1000-101-100-S1,REG,\"1,000.00\",0.00\n\
         E1,08/25/2023,10-1000-101-100-S1,REG,(250.00),0.00\n\
         E1,08/25/2023,10-1000-101-100-S1,REG,250.00,0.00\n",
    )
    .unwrap();
    let out = stdout(&[
        "ingest",
        "-w",
        w(&wh),
        "-m",
        "demo_payroll",
        "-d",
        "D1",
        "-y",
        "2024",
        w(&p),
    ]);
    assert!(
        out.starts_with("payroll_line: read 3 rows, wrote 3, rejected 0"),
        "{out}"
    );
}

#[test]
fn a_district_without_teachers_or_spending_gets_nulls_not_errors() {
    let dir = scratch("zero");
    let wh = dir.join("wh");
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let e = write(
        "enrollment.csv",
        "StudentID,SchoolCode,Grade,EntryDate,ExitDate\nX1,S1,1,08/21/2023,\n",
    );
    let a = write(
        "assignments.csv",
        "EmployeeID,PositionNo,SchoolCode,Department,JobClass,Subject,FTE,StartDate,EndDate,AnnualSalary\n\
         E1,P1,S1,,TEACHER,ela,0.000,08/21/2023,,\"$50,000.00\"\n",
    );
    let g = gl_file(
        &dir.join("gl.csv"),
        &[
            "10-1000-100-000-S1,09/10/2023,100.00,ACT,J1,a,V",
            "10-1000-100-000-S1,09/11/2023,(100.00),ACT,J2,b,V",
        ],
    );
    for (m, f) in [
        ("demo_enrollment", &e),
        ("demo_assignments", &a),
        ("demo_gl", &g),
    ] {
        stdout(&[
            "ingest",
            "-q",
            "-w",
            w(&wh),
            "-m",
            m,
            "-d",
            "Z",
            "-y",
            "2024",
            w(f),
        ]);
    }
    let out = stdout(&["-w", w(&wh), "--format", "csv", "run", "district_overview"]);
    assert_eq!(
        out,
        "district_id,school_year,schools,students,teacher_fte,students_per_teacher,class_size,\
         class_size_student_weighted,teacher_load,current_expenditure,current_per_pupil,personnel_share\n\
         Z,2024,1,1,0.0,,,,,0.00,0.00,\n"
    );
}

#[test]
fn concurrent_ingests_into_a_new_warehouse_all_commit() {
    let dir = scratch("concurrent");
    let wh = dir.join("wh");
    let file = gl_file(
        &dir.join("gl.csv"),
        &["10-1000-610-000-S1,09/10/2023,5.00,ACT,J1,a,V"],
    );
    let children: Vec<_> = ["C1", "C2", "C3", "C4"]
        .iter()
        .map(|d| {
            resmap()
                .args([
                    "ingest",
                    "-q",
                    "-w",
                    w(&wh),
                    "-m",
                    "demo_gl",
                    "-d",
                    d,
                    "-y",
                    "2024",
                    w(&file),
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = stdout(&[
        "-w",
        w(&wh),
        "--format",
        "csv",
        "-c",
        "SELECT count(DISTINCT district_id) AS n FROM gl_line",
    ]);
    assert_eq!(out, "n\n4\n");
}

#[test]
fn json_keeps_nulls_and_a_closed_pipe_is_not_an_error() {
    let dir = common::demo_warehouse();
    let out = stdout(&[
        "-w",
        w(dir),
        "--format",
        "ndjson",
        "-c",
        "SELECT 1 AS a, CAST(NULL AS INT) AS n",
    ]);
    assert_eq!(out, "{\"a\":1,\"n\":null}\n");
    let out = stdout(&[
        "-w",
        w(dir),
        "--format",
        "csv",
        "-c",
        "SELECT make_array(1, 2) AS l",
    ]);
    assert_eq!(out, "l\n\"[1, 2]\"\n");
    // `| head -1`: the reader leaves after one line of a long result.
    let mut child = resmap()
        .args([
            "-w",
            w(dir),
            "--format",
            "csv",
            "-c",
            "SELECT * FROM student_section",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    use std::io::Read;
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn as_of_reproduces_an_earlier_answer() {
    let dir = scratch("as-of");
    let wh = dir.join("wh");
    let first = gl_file(
        &dir.join("a.csv"),
        &["10-1000-610-000-S1,09/10/2023,1.00,ACT,J1,a,V"],
    );
    let second = gl_file(
        &dir.join("b.csv"),
        &["10-1000-610-000-S1,09/10/2023,100.00,ACT,J1,a,V"],
    );
    ingest_gl(&wh, "D1", "2024", &first, &["-q"], 0);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let between = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    ingest_gl(&wh, "D1", "2024", &second, &["-q"], 0);
    let q = "SELECT sum(amount) AS s FROM gl_line";
    assert_eq!(
        stdout(&["-w", w(&wh), "--format", "csv", "-c", q]),
        "s\n100.00\n"
    );
    assert_eq!(
        stdout(&[
            "-w",
            w(&wh),
            "--format",
            "csv",
            "--as-of",
            &between,
            "-c",
            q
        ]),
        "s\n1.00\n"
    );
    // Before anything was written, the table was empty.
    assert_eq!(
        stdout(&[
            "-w",
            w(&wh),
            "--format",
            "csv",
            "--as-of",
            "2000-01-01",
            "-c",
            q
        ]),
        "s\n\"\"\n",
        "a NULL sum, written as an empty CSV field"
    );
}

#[test]
fn canned_queries_can_be_added_at_run_time() {
    let dir = common::demo_warehouse();
    let queries = scratch("queries");
    std::fs::write(
        queries.join("schools_in.sql"),
        "-- name: schools_in\n-- description: Schools of a district\n\
         -- param: district text | district id\n-- rounding: none\n\
         SELECT school_id FROM school WHERE district_id = $district AND school_year = 2024 ORDER BY 1\n",
    )
    .unwrap();
    let out = resmap()
        .args([
            "-w",
            w(dir),
            "--format",
            "csv",
            "run",
            "schools_in",
            "-p",
            "district=DEMO02",
        ])
        .env("RESMAP_QUERIES", &queries)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "school_id\n111\n211\n311\n"
    );
    let listed = resmap()
        .arg("queries")
        .env("RESMAP_QUERIES", &queries)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&listed.stdout)
            .contains("schools_in: Schools of a district")
    );
}

/// A district id names a folder of the warehouse: one that reads as a path
/// or a URL is refused on the command line and rejected in a file's rows,
/// and nothing is written outside the warehouse.
#[test]
fn a_district_id_cannot_escape_the_warehouse() {
    let dir = crate::common::scratch("escape");
    let wh = dir.join("warehouse");
    let file = dir.join("enrollment.csv");
    std::fs::write(
        &file,
        "StudentID,SchoolCode,Grade,EntryDate,ExitDate\nA1,S1,10,08/21/2023,\n",
    )
    .unwrap();
    for bad in ["../../escaped", "/abs", "s3://bucket/x", ".hidden"] {
        let out = crate::common::run_expect(
            &[
                "ingest",
                "-w",
                wh.to_str().unwrap(),
                "-m",
                "demo_enrollment",
                "-d",
                bad,
                "-y",
                "2024",
                file.to_str().unwrap(),
            ],
            2,
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("may hold only letters, digits"),
            "{bad}: {err}"
        );
    }
    assert!(!wh.exists() && !dir.join("escaped").exists());
    // a mapping that yields its own district ids: the bad row is rejected
    let schools = dir.join("districts.csv");
    std::fs::write(&schools, "leaid,enrollment\n0100005,100\n../../escaped,5\n").unwrap();
    let mapping = dir.join("m.sql");
    std::fs::write(
        &mapping,
        "-- target: district_profile\nSELECT _file AS source_file, _line AS source_line, \
         leaid AS district_id, 'district' AS org_level, parse_decimal(enrollment, 0) AS enrollment FROM raw\n",
    )
    .unwrap();
    let out = crate::common::run_expect(
        &[
            "ingest",
            "-w",
            wh.to_str().unwrap(),
            "-m",
            mapping.to_str().unwrap(),
            "-y",
            "2024",
            schools.to_str().unwrap(),
        ],
        0,
    );
    let said = String::from_utf8_lossy(&out.stdout).to_string()
        + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("read 2 rows, wrote 1, rejected 1"), "{said}");
    assert!(!dir.join("escaped").exists());
}

/// Raw student ids never reach the warehouse: without the district's key the
/// ingest stops before reading; with it the ids are keyed hashes, no Parquet
/// file holds a raw id, and `resmap pseudonym` re-computes them for
/// re-linking.
#[test]
fn student_ids_are_pseudonymised_with_the_districts_key() {
    let dir = crate::common::scratch("pseudonym");
    let wh = dir.join("warehouse");
    let w = wh.to_str().unwrap();
    let file = dir.join("students.csv");
    std::fs::write(
        &file,
        "StudentID,BirthYear,Gender,Race,FRL,ELL,IEP,SpedSetting,SpedMinutes,Gifted\n\
         900123456,2010,F,White,Y,N,N,,,N\n900654321,2011,M,Black,N,N,Y,resource,120,N\n\
          ,2012,F,White,N,N,N,,,N\n",
    )
    .unwrap();
    // demo_students without its `student-ids: pseudonymous` line: raw ids
    let bundled = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sql/mappings/demo_students.sql"),
    )
    .unwrap();
    let mapping = dir.join("district_students.sql");
    std::fs::write(
        &mapping,
        bundled.replace("-- student-ids: pseudonymous\n", ""),
    )
    .unwrap();
    let args = [
        "ingest",
        "-w",
        w,
        "-m",
        mapping.to_str().unwrap(),
        "-d",
        "D1",
        "-y",
        "2024",
        file.to_str().unwrap(),
    ];
    let out = crate::common::resmap().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("give the district's pseudonym key"), "{err}");
    assert!(!wh.exists());

    let key = "a long secret phrase the district keeps";
    let out = crate::common::resmap()
        .args(args)
        .env("RESMAP_PSEUDONYM_KEY", key)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // a blank id is rejected as missing, not hashed into a made-up student
    let said = String::from_utf8_lossy(&out.stdout).to_string()
        + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("read 3 rows, wrote 2, rejected 1"), "{said}");
    let stored = csv_rows(&crate::common::stdout(&[
        "-w",
        w,
        "--format",
        "csv",
        "-c",
        "SELECT student_id FROM student ORDER BY sped_minutes_week NULLS FIRST",
    ]));
    let relinked = crate::common::resmap()
        .args(["pseudonym", "900123456", "900654321"])
        .env("RESMAP_PSEUDONYM_KEY", key)
        .output()
        .unwrap();
    let relinked = csv_rows(&String::from_utf8_lossy(&relinked.stdout));
    assert_eq!(stored[1][0], relinked[1][1]);
    assert_eq!(stored[2][0], relinked[2][1]);
    assert!(stored[1][0].starts_with('P') && stored[1][0].len() == 21);
    // no Parquet file of the warehouse holds a raw id
    let mut stack = vec![wh.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                for raw in [b"900123456".as_slice(), b"900654321".as_slice()] {
                    assert!(
                        !bytes.windows(raw.len()).any(|w| w == raw),
                        "{} holds a raw id",
                        p.display()
                    );
                }
            }
        }
    }
}

/// Asking for small student groups is allowed but logged.
#[test]
fn lowering_the_small_group_threshold_is_logged() {
    let wh = crate::common::resource_fixture_warehouse();
    let out = run_expect(
        &[
            "run",
            "-w",
            wh.to_str().unwrap(),
            "student_cost_by_group",
            "-p",
            "district=WX02",
            "-p",
            "min_group=0",
        ],
        0,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("showing student groups under 10 (min_group=0)"),
        "{err}"
    );
}

/// `\coverage` counts each table's rows per district and year as the tables
/// themselves do; `\h` explains a canned query or a function, and suggests
/// one for a typo.
#[test]
fn coverage_and_help_on_names() {
    let wh = common::demo_warehouse();
    let cov = csv_rows(&stdout(&[
        "-w",
        w(wh),
        "--format",
        "csv",
        "-c",
        "\\coverage",
    ]));
    assert_eq!(
        cov[0],
        ["district_id", "school_year", "table_name", "row_count"]
    );
    let gl = cov
        .iter()
        .find(|r| r[0] == "DEMO01" && r[1] == "2023" && r[2] == "gl_line")
        .expect("a gl_line row");
    let count = stdout(&[
        "-w",
        w(wh),
        "--format",
        "csv",
        "-c",
        "SELECT count(*) AS n FROM gl_line WHERE district_id = 'DEMO01' AND school_year = 2023",
    ]);
    assert_eq!(format!("n\n{}\n", gl[3]), count);
    // every district-year of the demo has the same tables
    let tables = |d: &str, y: &str| cov.iter().filter(|r| r[0] == d && r[1] == y).count();
    assert_eq!(tables("DEMO01", "2023"), tables("DEMO02", "2024"));

    let help = stdout(&[
        "-w",
        w(wh),
        "-c",
        "\\h class_size",
        "-c",
        "\\h round_half_up",
    ]);
    assert!(help.contains("district=text (required)"), "{help}");
    assert!(help.contains("round_half_up(value, places)"), "{help}");
    let out = resmap()
        .args(["-w", w(wh), "-c", "\\h clas_size"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did you mean \"class_size\"?"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A start-up file runs before the first statement (`--rc`); `--no-rc`
/// runs none; EXPLAIN draws a tree; a memory limit lets a sort spill
/// instead of failing, and a limit that is not a size is refused.
#[test]
fn start_up_file_explain_and_memory_limit() {
    let wh = common::demo_warehouse();
    let dir = scratch("rc");
    let rc = dir.join("resmaprc");
    std::fs::write(&rc, "\\format csv\n").unwrap();
    let out = stdout(&[
        "-w",
        w(wh),
        "--rc",
        rc.to_str().unwrap(),
        "-c",
        "SELECT 1 AS one",
    ]);
    assert_eq!(out, "one\n1\n");
    let out = stdout(&["-w", w(wh), "--no-rc", "-c", "SELECT 1 AS one"]);
    assert!(out.contains("| one |"), "{out}");
    let plan = stdout(&[
        "-w",
        w(wh),
        "-c",
        "EXPLAIN SELECT level, count(*) FROM school GROUP BY level",
    ]);
    assert!(
        plan.contains("┌") && plan.contains("AggregateExec"),
        "{plan}"
    );
    // 22,560 roster rows sorted in 4 MB: the sort spills to disk
    let sorted = stdout(&[
        "-w",
        w(wh),
        "--memory-limit",
        "4M",
        "--format",
        "csv",
        "-c",
        "SELECT count(*) AS n FROM (SELECT * FROM student_section ORDER BY student_id, section_id, begin_date) t",
    ]);
    let direct = stdout(&[
        "-w",
        w(wh),
        "--format",
        "csv",
        "-c",
        "SELECT count(*) AS n FROM student_section",
    ]);
    assert_eq!(sorted, direct);
    let out = resmap()
        .args(["-w", w(wh), "--memory-limit", "lots", "-c", "SELECT 1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `\x` shows rows as blocks, `\last` repeats the previous result, `\o` and
/// `\once` send results to files, and `COPY ... TO` exports to a file in
/// CSV, JSON or Parquet but never into the warehouse; INSERT stays refused.
#[test]
fn expanded_rows_last_result_and_output_files() {
    let wh = common::demo_warehouse();
    let dir = scratch("outputs");
    let out = stdout(&[
        "-w",
        w(wh),
        "-q",
        "-c",
        "\\x",
        "-c",
        "SELECT 'DEMO01' AS district, 7 AS schools",
    ]);
    assert_eq!(out, "-[ row 1 ]----\ndistrict | DEMO01\nschools  | 7\n");
    let once = dir.join("once.csv");
    let all = dir.join("all.csv");
    let out = stdout(&[
        "-w",
        w(wh),
        "-q",
        "--format",
        "csv",
        "-c",
        &format!("\\once {}", once.display()),
        "-c",
        "SELECT 1 AS a",
        "-c",
        "SELECT 2 AS b",
        "-c",
        "\\last",
        "-c",
        &format!("\\o {}", all.display()),
        "-c",
        "SELECT 3 AS c",
        "-c",
        "SELECT 4 AS d",
        "-c",
        "\\o",
        "-c",
        "SELECT 5 AS e",
    ]);
    assert_eq!(out, "b\n2\nb\n2\ne\n5\n");
    assert_eq!(std::fs::read_to_string(&once).unwrap(), "a\n1\n");
    assert_eq!(std::fs::read_to_string(&all).unwrap(), "c\n3\nd\n4\n");
    for (stored, name) in [
        ("CSV", "s.csv"),
        ("JSON", "s.json"),
        ("PARQUET", "s.parquet"),
    ] {
        let target = dir.join(name);
        stdout(&[
            "-w",
            w(wh),
            "-q",
            "-c",
            &format!(
                "COPY (SELECT school_id FROM school WHERE district_id = 'DEMO02') TO '{}' STORED AS {stored}",
                target.display()
            ),
        ]);
        assert!(target.metadata().unwrap().len() > 0, "{name}");
    }
    // a file reads back by its path; `\once x.parquet` writes Parquet
    let once_parquet = dir.join("once.parquet");
    let back = stdout(&[
        "-w",
        w(wh),
        "-q",
        "--format",
        "csv",
        "-c",
        &format!("\\once {}", once_parquet.display()),
        "-c",
        "SELECT school_id FROM school WHERE district_id = 'DEMO02'",
        "-c",
        &format!(
            "SELECT (SELECT count(*) FROM '{}') AS copied, (SELECT count(*) FROM '{}') AS once",
            dir.join("s.parquet").display(),
            once_parquet.display()
        ),
    ]);
    assert_eq!(back, "copied,once\n6,6\n", "3 schools x 2 years, twice");
    // a Parquet file starts and ends with its magic
    let parquet = std::fs::read(dir.join("s.parquet")).unwrap();
    assert!(parquet.starts_with(b"PAR1") && parquet.ends_with(b"PAR1"));
    let csv = std::fs::read_to_string(dir.join("s.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 6, "header and 3 schools x 2 years");
    let inside = wh.join("export.csv");
    let out = resmap()
        .args(["-w", w(wh), "-c"])
        .arg(format!(
            "COPY (SELECT 1) TO '{}' STORED AS CSV",
            inside.display()
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!inside.exists());
    assert!(String::from_utf8_lossy(&out.stderr).contains("inside the warehouse"));
    // nor by a file: URL, nor through \o or \once
    let log = wh.join("school/_delta_log/00000000000000000099.json");
    for attempt in [
        format!(
            "COPY (SELECT 1) TO 'file://{}' STORED AS JSON",
            log.display()
        ),
        format!("\\o {}", log.display()),
        format!("\\once {}", log.display()),
    ] {
        let out = resmap()
            .args(["-w", w(wh), "-c", &attempt, "-c", "SELECT 1"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{attempt}");
        assert!(!log.exists(), "{attempt}");
    }
}

/// Errors point: the statement's line with a caret under the offending
/// token, and the closest name for a misspelt table, column or function. A
/// query that cannot be planned exits 1, one that does not parse 2; a text
/// value in double quotes gets the quoting rule.
#[test]
fn errors_point_at_the_token_and_suggest_a_name() {
    let wh = common::demo_warehouse();
    let run = |sql: &str| {
        let out = resmap().args(["-w", w(wh), "-c", sql]).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, err) = run("SELECT schol_id FROM school");
    assert_eq!(code, Some(1));
    assert!(err.contains("-c #1:1:8: "), "{err}");
    assert!(err.contains("Did you mean 'school.school_id'?"), "{err}");
    assert!(
        err.contains("  SELECT schol_id FROM school\n         ^^^^^^^^\n"),
        "{err}"
    );
    let (code, err) = run("SELECT * FROM schol");
    assert_eq!(code, Some(1));
    assert!(err.contains("did you mean \"school\"?"), "{err}");
    assert!(
        err.contains("  SELECT * FROM schol\n                ^^^^^\n"),
        "{err}"
    );
    let (code, err) = run("SELECT * FROM school WHERE district_id = \"DEMO01\"");
    assert_eq!(code, Some(1));
    assert!(
        err.contains("a text value takes single quotes: 'DEMO01'"),
        "{err}"
    );
    let (code, err) = run("SELECT round_half_upp(1, 2)");
    assert_eq!(code, Some(1));
    assert!(err.contains("Did you mean 'round_half_up'?"), "{err}");
    let (code, err) = run("SELECT 1,\n  2 FROM school ORDER BY 3x");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("-c #1:2:27: syntax error: Expected: end of statement"),
        "{err}"
    );
    // the line as written (two spaces in) and the caret under the x
    let caret = format!("    2 FROM school ORDER BY 3x\n  {}^\n", " ".repeat(26));
    assert!(err.contains(&caret), "{err}");
}

/// A real terminal session on a pseudo-terminal: Tab completes a canned
/// query and a district id, a long result is cut to the terminal with a
/// note, `\last` pages it whole through `$RESMAP_PAGER`, Ctrl-C cancels a
/// running statement and the shell goes on, `\q` ends it.
#[test]
fn a_terminal_session_completes_fits_pages_and_cancels() {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let wh = common::demo_warehouse();
    let dir = scratch("pty");
    let pager = dir.join("pager.sh");
    std::fs::write(&pager, "#!/bin/sh\necho PAGED-BY-TEST\ncat > /dev/null\n").unwrap();
    std::process::Command::new("chmod")
        .args(["+x", pager.to_str().unwrap()])
        .status()
        .unwrap();
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 30,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty fills the two descriptors it is given.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: both descriptors were just opened and are owned here.
    let (master, slave) =
        unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut command = resmap();
    // the pseudo-terminal becomes the shell's controlling terminal, so
    // Ctrl-C there is a SIGINT to it, as in a real session
    // SAFETY: setsid and TIOCSCTTY are async-signal-safe calls on the child's
    // own descriptors, made between fork and exec.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    /// The shell, killed if the test fails before it quits.
    struct Shell(std::process::Child);
    impl Drop for Shell {
        fn drop(&mut self) {
            if matches!(self.0.try_wait(), Ok(None)) {
                let _ = self.0.kill();
                let _ = self.0.wait();
            }
        }
    }
    let child = command
        .args(["-w", w(wh)])
        .env("RESMAP_HISTORY", dir.join("history"))
        .env("RESMAP_PAGER", &pager)
        .env("HOME", &dir)
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave))
        .spawn()
        .unwrap();
    let mut child = Shell(child);
    let mut term = std::fs::File::from(master);
    // read what the shell writes until `want` shows, for up to 20 s
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let mut reader = term.try_clone().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = String::new();
    let expect = |want: &str, seen: &mut String| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !seen.contains(want) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(bytes) => seen.push_str(&String::from_utf8_lossy(&bytes)),
                Err(_) => panic!("waited for {want:?}; the terminal shows:\n{seen}"),
            }
        }
        let at = seen.find(want).unwrap() + want.len();
        seen.drain(..at);
    };
    expect("resmap> ", &mut seen);
    term.write_all(b"\\run class_si\t").unwrap();
    expect("class_size", &mut seen);
    term.write_all(b" district=DEMO0\t\t").unwrap();
    expect("DEMO02", &mut seen);
    // clear the line (Ctrl-U) and run a result longer than the terminal
    term.write_all(b"\x15SELECT * FROM student_section ORDER BY student_id;\r")
        .unwrap();
    expect("rows, ", &mut seen);
    expect("hidden (\\last shows them all)", &mut seen);
    expect("resmap> ", &mut seen);
    term.write_all(b"\\last\r").unwrap();
    expect("PAGED-BY-TEST", &mut seen);
    expect("resmap> ", &mut seen);
    // a statement that runs for long shows its progress after two seconds;
    // Ctrl-C cancels it, and the shell stays
    term.write_all(
        b"SELECT sum(length(a.student_id || b.section_id)) FROM student_section a, student_section b;\r",
    )
    .unwrap();
    expect("running: ", &mut seen);
    expect(" s (Ctrl-C cancels)", &mut seen);
    term.write_all(b"\x03").unwrap();
    expect("cancelled", &mut seen);
    // (the answer, not the echo of the question: the line editor may drop
    // keys typed before its prompt, so each step waits for the prompt)
    expect("resmap> ", &mut seen);
    term.write_all(b"SELECT 'still' || ' here' AS s;\r")
        .unwrap();
    expect("still here", &mut seen);
    expect("resmap> ", &mut seen);
    term.write_all(b"\\q\r").unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            panic!("the shell did not quit on \\q; the terminal shows:\n{seen}");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(status.success());
}

/// `--max-rows` and `--max-width` cut a table to a size, saying what they
/// hid, with column types under the header and money grouped by thousands;
/// `--provenance` follows a result with the statement, the version and each
/// table's version and file digest, which an ingest changes.
#[test]
fn results_fit_a_size_and_carry_their_provenance() {
    let wh = common::demo_warehouse();
    let out = stdout(&[
        "-w",
        w(wh),
        "--max-rows",
        "4",
        "--max-width",
        "70",
        "-c",
        "SELECT district_id, school_year, school_id, definition_id, enrollment, spending \
         FROM school_per_pupil ORDER BY district_id, school_year, school_id, definition_id",
    ]);
    assert!(out.contains("| text        | int         |"), "{out}");
    // 7 schools (DEMO01 has 4, DEMO02 3) x 2 years x 2 definitions = 28
    // rows, 4 shown
    assert!(
        out.contains("28 rows, 24 hidden (\\last shows them all)"),
        "{out}"
    );
    assert!(out.contains("column(s) hidden:"), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 70), "{out}");
    let money = stdout(&[
        "-w",
        w(wh),
        "--max-rows",
        "10",
        "-c",
        "SELECT CAST(1234567.5 AS DECIMAL(18, 2)) AS spending",
    ]);
    assert!(money.contains("|  1,234,567.50 |"), "{money}");
    // expanded rows group money too
    let expanded = stdout(&[
        "-w",
        w(wh),
        "-q",
        "--max-rows",
        "10",
        "-c",
        "\\x",
        "-c",
        "SELECT CAST(1234567.5 AS DECIMAL(18, 2)) AS spending",
    ]);
    assert!(expanded.contains("spending | 1,234,567.50"), "{expanded}");

    let dir = scratch("provenance");
    let copy = dir.join("warehouse");
    common::ingest_export_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/worked_example"),
        &copy,
    );
    let stamp = || {
        stdout(&[
            "-w",
            copy.to_str().unwrap(),
            "--provenance",
            "--format",
            "csv",
            "-c",
            "SELECT count(*) AS n FROM gl_line",
        ])
    };
    let first = stamp();
    assert!(first.starts_with("n\n"), "{first}");
    assert!(
        first.contains("# query: SELECT count(*) AS n FROM gl_line\n"),
        "{first}"
    );
    assert!(
        first.contains(&format!("# resmap {}", env!("CARGO_PKG_VERSION"))),
        "{first}"
    );
    let digest = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("# gl_line: version"))
            .map(str::to_string)
            .expect("a gl_line line")
    };
    assert_eq!(
        digest(&first),
        digest(&stamp()),
        "the same data, the same digest"
    );
    let gl = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/worked_example/WX01_2024_gl.csv");
    run_expect(
        &[
            "ingest",
            "-q",
            "-w",
            copy.to_str().unwrap(),
            "-m",
            "demo_gl",
            "-d",
            "WX01",
            "-y",
            "2024",
            gl.to_str().unwrap(),
        ],
        0,
    );
    assert_ne!(
        digest(&first),
        digest(&stamp()),
        "a new version, a new digest"
    );
}

/// A whole shell session over the worked example, snapshot against
/// tests/snapshots/session.out with times masked; RESMAP_SNAPSHOT_UPDATE=1
/// rewrites the snapshot for review.
#[test]
fn a_shell_session_matches_its_snapshot() {
    let wh = common::fixture_warehouse();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let out = resmap()
        .args(["-w", w(wh), "--no-rc", "-f"])
        .arg(root.join("session.sql"))
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let times = regex::Regex::new(r"\d+\.\d{3} s").unwrap();
    let text = format!(
        "--- stdout ---\n{}--- stderr ---\n{}",
        String::from_utf8_lossy(&out.stdout),
        times.replace_all(&String::from_utf8_lossy(&out.stderr), "<time> s")
    );
    let snapshot = root.join("session.out");
    if std::env::var_os("RESMAP_SNAPSHOT_UPDATE").is_some() {
        std::fs::write(&snapshot, &text).unwrap();
    }
    let want = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert_eq!(
        text, want,
        "rerun with RESMAP_SNAPSHOT_UPDATE=1 and review the diff"
    );
}
