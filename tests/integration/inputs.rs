//! The messy inputs of issue 5, one by one, through the real binary: for
//! each, the right value is loaded or the row is rejected with its reason,
//! and rows read = written + rejected + excluded, always. (Encodings, lines
//! and keys have their own tests in cli.rs.)

use std::path::Path;

use crate::common::{csv_rows, resmap, scratch, stdout};

const GL_HEADER: &str = "Account,PostingDate,Amount,EntryType,Journal,Description,Vendor";

/// Ingests `bytes` as one demo ledger file into a fresh warehouse: the exit
/// code, the (read, written, rejected, excluded) counts from the summary, the
/// rejects file's rows, and the warehouse.
fn ingest(
    name: &str,
    mapping: &str,
    bytes: &[u8],
) -> (i32, Option<[u64; 4]>, Vec<Vec<String>>, String) {
    let dir = scratch(&format!("input-{name}"));
    let file = dir.join(format!("{name}.csv"));
    std::fs::write(&file, bytes).unwrap();
    let wh = dir.join("warehouse");
    let rejects = dir.join("rejects.csv");
    let out = resmap()
        .args([
            "ingest",
            "-w",
            wh.to_str().unwrap(),
            "-m",
            mapping,
            "-d",
            "D1",
            "-y",
            "2024",
        ])
        .arg("--rejects")
        .arg(&rejects)
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string()
        + &String::from_utf8_lossy(&out.stderr);
    let counts = text.find(": read ").map(|at| {
        let nums: Vec<u64> = text[at..]
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .take(4)
            .map(|s| s.parse().unwrap())
            .collect();
        [nums[0], nums[1], nums[2], nums[3]]
    });
    if let Some([read, written, rejected, excluded]) = counts {
        assert_eq!(read, written + rejected + excluded, "{name}: {text}");
    }
    let rejected = if Path::new(&rejects).exists() {
        csv_rows(&std::fs::read_to_string(&rejects).unwrap())
            .into_iter()
            .skip(1)
            .collect()
    } else {
        Vec::new()
    };
    (
        out.status.code().unwrap_or(-1),
        counts,
        rejected,
        wh.to_str().unwrap().to_string(),
    )
}

fn values(wh: &str, sql: &str) -> Vec<Vec<String>> {
    csv_rows(&stdout(&["-w", wh, "--format", "csv", "-c", sql]))
        .into_iter()
        .skip(1)
        .collect()
}

fn gl(lines: &[&str]) -> Vec<u8> {
    format!("{GL_HEADER}\n{}\n", lines.join("\n")).into_bytes()
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_first_column() {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(gl(&[
        "10-1000-610-000-S1,09/10/2023,12.50,ACT,J1,Supplies,V1",
    ]));
    let (code, counts, _, wh) = ingest("bom", "demo_gl", &bytes);
    assert_eq!((code, counts), (0, Some([1, 1, 0, 0])));
    assert_eq!(
        values(&wh, "SELECT account_id, amount FROM gl_line")[0],
        ["10-1000-610-000-S1", "12.50"]
    );
}

#[test]
fn a_ragged_row_is_rejected_with_its_field_count() {
    let (code, counts, rejected, _) = ingest(
        "ragged",
        "demo_gl",
        &gl(&[
            "10-1000-610-000-S1,09/10/2023,12.50,ACT,J1",
            "10-1000-610-000-S1,09/10/2023,1.00,ACT,J2,x,V",
        ]),
    );
    assert_eq!((code, counts), (0, Some([2, 1, 1, 0])));
    assert_eq!(rejected[0][1], "2");
    assert!(rejected[0][4].contains("expected 7 fields as in the header, found 5"));
}

#[test]
fn quotes_and_newlines_inside_a_field_are_kept() {
    let (code, counts, _, wh) = ingest(
        "quotes",
        "demo_gl",
        &gl(&[
            "10-1000-610-000-S1,09/10/2023,12.50,ACT,J1,\"Line one\nline two, with \"\"quotes\"\"\",V1",
        ]),
    );
    assert_eq!((code, counts), (0, Some([1, 1, 0, 0])));
    assert_eq!(
        values(&wh, "SELECT description FROM gl_line")[0][0],
        "Line one\nline two, with \"quotes\""
    );
}

#[test]
fn thousands_separators_currency_signs_and_parentheses_read_exactly() {
    let (code, counts, _, wh) = ingest(
        "money",
        "demo_gl",
        &gl(&[
            "10-1000-610-000-S1,09/10/2023,\"1,234.56\",ACT,J1,a,V",
            "10-1000-610-000-S1,09/10/2023,\"$1,234.56\",ACT,J1,b,V",
            "10-1000-610-000-S1,09/10/2023,(12.50),ACT,J1,c,V",
        ]),
    );
    assert_eq!((code, counts), (0, Some([3, 3, 0, 0])));
    let got = values(
        &wh,
        "SELECT description, amount FROM gl_line ORDER BY description",
    );
    assert_eq!(
        got,
        [["a", "1234.56"], ["b", "1234.56"], ["c", "-12.50"]]
            .map(|r| r.map(String::from).to_vec())
    );
}

#[test]
fn marker_values_are_rejected_with_the_value_quoted() {
    let (code, counts, rejected, _) = ingest(
        "markers",
        "demo_gl",
        &gl(&[
            "10-1000-610-000-S1,09/10/2023,N.A.,ACT,J1,a,V",
            "10-1000-610-000-S1,09/10/2023,#DIV/0!,ACT,J1,b,V",
            "10-1000-610-000-S1,09/10/2023,s,ACT,J1,c,V",
            "10-1000-610-000-S1,09/10/2023,1.00,ACT,J1,d,V",
        ]),
    );
    assert_eq!((code, counts), (0, Some([4, 1, 3, 0])));
    for (r, marker) in rejected.iter().zip(["N.A.", "#DIV/0!", "s"]) {
        assert_eq!(r[2], "3 (amount)");
        assert!(
            r[4].contains(&format!("cannot read \"{marker}\" as money")),
            "{r:?}"
        );
    }
}

#[test]
fn dates_in_several_formats_read_as_one() {
    let (code, counts, _, wh) = ingest(
        "dates",
        "demo_gl",
        &gl(&[
            "10-1000-610-000-S1,2023-09-10,1.00,ACT,J1,a,V",
            "10-1000-610-000-S1,9/10/2023,1.00,ACT,J1,b,V",
            "10-1000-610-000-S1,09/10/23,1.00,ACT,J1,c,V",
        ]),
    );
    assert_eq!((code, counts), (0, Some([3, 3, 0, 0])));
    let got = values(
        &wh,
        "SELECT DISTINCT CAST(posting_date AS VARCHAR) FROM gl_line",
    );
    assert_eq!(got, [["2023-09-10".to_string()]]);
}

#[test]
fn a_value_too_large_for_money_is_rejected() {
    let (code, counts, rejected, _) = ingest(
        "huge",
        "demo_gl",
        &gl(&[
            "10-1000-610-000-S1,09/10/2023,99999999999999999.99,ACT,J1,a,V",
            "10-1000-610-000-S1,09/10/2023,1.00,ACT,J1,b,V",
        ]),
    );
    assert_eq!((code, counts), (0, Some([2, 1, 1, 0])));
    assert!(rejected[0][4].contains("too large for 18 significant digits"));
}

#[test]
fn empty_files_write_nothing_and_say_why() {
    let (code, _, _, wh) = ingest(
        "header_only",
        "demo_gl",
        format!("{GL_HEADER}\n").as_bytes(),
    );
    assert_eq!(code, 1);
    assert!(!Path::new(&wh).join("gl_line").exists());
    let (code, _, _, _) = ingest("nothing", "demo_gl", b"");
    assert_eq!(code, 1);
}

#[test]
fn leading_zeros_are_kept_and_a_repeated_key_is_rejected() {
    let (code, counts, rejected, wh) = ingest(
        "schools",
        "demo_schools",
        b"SchoolCode,SchoolName,Level,LowGrade,HighGrade,TitleI,SqFt\n\
          007,Bond Elementary,elementary,K,5,N,1000\n\
          007,Bond Again,elementary,K,5,N,1000\n\
          0101,Other,middle,6,8,N,2000\n",
    );
    assert_eq!((code, counts), (0, Some([3, 2, 1, 0])));
    let ids = values(&wh, "SELECT school_id FROM school ORDER BY school_id");
    assert_eq!(ids, [["007".to_string()], ["0101".to_string()]]);
    assert!(rejected[0][4].contains("school_id"), "{rejected:?}");
}
