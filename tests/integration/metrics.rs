//! Metrics on the real files through the canned queries: the NYC class-size
//! report by school, grade and subject; equity statistics of Texas campus
//! spending against poverty; a Kansas district's 15-year trend in nominal and
//! constant dollars.

use crate::common::{self, csv_rows, stdout};

fn run(args: &[&str]) -> Vec<Vec<String>> {
    let Some(wh) = common::real_warehouse() else {
        return Vec::new();
    };
    let mut all = vec!["run", "-w", wh.to_str().unwrap(), "--format", "csv", "-q"];
    all.extend_from_slice(args);
    csv_rows(&stdout(&all))
}

/// SOURCES.md's verification case 1: every one of the 26,127 rows of the
/// 2010-11 report that has numbers publishes students / sections rounded
/// half up to 0.1.
#[test]
fn nyc_class_size_by_school_grade_and_subject_equals_the_published_averages() {
    let rows = run(&["class_size_published"]);
    if rows.is_empty() {
        return;
    }
    let matches = rows[0].iter().position(|h| h == "matches").unwrap();
    assert_eq!(rows.len() - 1, 26_127);
    assert!(rows[1..].iter().all(|r| r[matches] == "true"));
}

/// Texas campuses' school-leadership spending per student against their
/// economically disadvantaged share, every district with at least 10
/// reporting campuses in one query. Independent figures: `python3
/// tests/scripts/tx_campus_equity.py ../shared/data/real 101912
/// school_leadership` (plain sums over the raw file) prints campuses=271
/// pupils=175925 mean=1169.73 cv=0.4838 gini=0.2268 mcloone=0.7350
/// corr=0.4228 slope=924.67 for Houston ISD; the same reading of the file
/// counts 176 districts with 10 or more such campuses.
#[test]
fn texas_campus_spending_equity_against_poverty_for_every_large_district() {
    let rows = run(&[
        "school_spending_equity",
        "--param",
        "category=school_leadership",
    ]);
    if rows.is_empty() {
        return;
    }
    assert_eq!(rows.len() - 1, 176);
    let houston = rows.iter().find(|r| r[0] == "101912").expect("Houston ISD");
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let value = |name: &str| houston[col(name)].parse::<f64>().unwrap();
    assert_eq!(houston[col("schools")], "271");
    assert_eq!(houston[col("students")], "175925");
    for (name, want) in [
        ("mean_per_student", 1169.73),
        ("cv", 0.4838),
        ("gini", 0.2268),
        ("mcloone", 0.7350),
        ("corr_with_poverty", 0.4228),
        ("slope_per_poverty_share", 924.67),
    ] {
        assert!((value(name) - want).abs() < 1e-9, "{name}: {}", value(name));
    }
}

/// Wichita (USD 259) over 2007-08 to 2021-22. By hand: 2007-08 spending per
/// FTE pupil 12,133.168333 (the raw file's total_expend_per_pupil); CPI-U of
/// school year 2008 = (207.342 + 215.303) / 2 = 211.3225 and of 2021 =
/// (258.811 + 270.970) / 2 = 264.8905, so in 2020-21 dollars 12,133.168333 x
/// 264.8905 / 211.3225 = 15,208.80; growth 2008-2021: (16,347.20 /
/// 12,133.17)^(1/13) - 1 = 0.0232 a year nominal, 0.0056 in constant dollars.
#[test]
fn kansas_district_trend_in_nominal_and_constant_dollars() {
    let rows = run(&["district_trend", "--param", "district=D0259"]);
    if rows.is_empty() {
        return;
    }
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    assert_eq!(rows.len() - 1, 15, "2008 to 2022: {rows:?}");
    let first = &rows[1];
    assert_eq!(first[col("school_year_label")], "2007-08");
    assert_eq!(first[col("per_pupil")], "12133.17");
    assert_eq!(first[col("per_pupil_constant")], "15208.80");
    assert_eq!(first[col("pupil_teacher_ratio")], "15.400000");
    assert_eq!(first[col("per_pupil_cagr")], "0.0232");
    assert_eq!(first[col("per_pupil_constant_cagr")], "0.0056");
    let y2021 = rows.iter().find(|r| r[0] == "2021").unwrap();
    // the base year's dollars are its own
    assert_eq!(y2021[col("per_pupil")], y2021[col("per_pupil_constant")]);
    // 2021-22 has a ratio but no spending figure: no constant dollars invented
    let y2022 = rows.iter().find(|r| r[0] == "2022").unwrap();
    assert_eq!(y2022[col("per_pupil")], "");
    assert_eq!(y2022[col("pupil_teacher_ratio")], "15.500000");
}

/// Wichita against a list of four Kansas districts on 2020-21 spending per
/// FTE pupil (the raw file's figures: Olathe 16,516.23, Wichita 16,347.20,
/// Kansas City 16,024.27, Blue Valley 15,894.65, Shawnee Mission 14,172.77).
/// By hand: Wichita ranks 2nd of 5, percent rank (5 - 2) / (5 - 1) = 0.75,
/// the peer median is the 3rd value, Kansas City's.
#[test]
fn a_district_ranked_against_the_peers_it_names() {
    let rows = run(&[
        "peer_benchmark",
        "--param",
        "district=D0259",
        "--param",
        "year=2021",
        "--param",
        "source=ks_expenditures_per_pupil",
        "--param",
        "peer_by=list",
        "--param",
        "peers=D0500,D0233,D0229,D0512",
    ]);
    if rows.is_empty() {
        return;
    }
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let order: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(order, ["D0233", "D0259", "D0500", "D0229", "D0512"]);
    let wichita = &rows[2];
    assert_eq!(wichita[col("rank_high_to_low")], "2");
    assert_eq!(wichita[col("percent_rank")], "0.75");
    assert_eq!(wichita[col("is_district")], "true");
    assert_eq!(wichita[col("peers")], "5");
    assert!(wichita[col("peer_median")].starts_with("16024.268"));
}

/// Houston ISD's average teacher salary among Texas districts in the same
/// poverty band (75% and more economically disadvantaged). Independently,
/// with Python over the raw district file: 318 districts in that band
/// publish a salary; 5 pay more than Houston's $73,604 and 312 less, so it
/// ranks 6th with percent rank 312 / 317 = 0.9842; the pupil-free median
/// (the 159th of 318 sorted values) is $58,949.
#[test]
fn a_district_ranked_against_its_poverty_band() {
    let rows = run(&[
        "peer_benchmark",
        "--param",
        "district=101912",
        "--param",
        "year=2025",
        "--param",
        "source=tx_tapr_district",
        "--param",
        "metric=avg_teacher_salary",
        "--param",
        "peer_by=poverty",
    ]);
    if rows.is_empty() {
        return;
    }
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let houston = rows.iter().find(|r| r[0] == "101912").expect("Houston");
    assert_eq!(houston[col("peers")], "318");
    assert_eq!(houston[col("rank_high_to_low")], "6");
    assert_eq!(houston[col("percent_rank")], "0.9842");
    assert_eq!(houston[col("peer_median")], "58949.0");
    assert_eq!(houston[col("poverty_band")], "75% and over");
}

/// From `python3 tests/scripts/ny_osc_totals.py ../shared/data/real`, which
/// reads OSC's own total-expenditure columns (the mapping sums the detail
/// columns instead) with Python's csv module and Decimal: districts,
/// enrollment and total expenditures by school year, FY2015-FY2022 (FY2012-14
/// have no header line; see the mapping).
const NY_BY_YEAR: &str = "\
2015,691,1607224,39611346915.00
2016,691,1590950,40133002785.00
2017,691,1581353,41575893545.00
2018,691,1573347,43056846273.00
2019,691,1558647,44670445798.00
2020,690,1547400,45436118218.00
2021,689,1505363,45626798914.00
2022,689,1491099,48128663655.00
";

/// New York's district finance file as a source of state peers: every year
/// equals the independent reading, and Buffalo City SD's 2021-22 total
/// expenditure per pupil is 1,163,588,968 / 37,204 = 31,275.910332 (by hand
/// from the script's Buffalo line).
#[test]
fn new_york_district_finance_by_year_and_a_state_peer_rank() {
    let Some(wh) = common::real_warehouse() else {
        return;
    };
    let out = stdout(&[
        "-w",
        wh.to_str().unwrap(),
        "--format",
        "csv",
        "-c",
        "SELECT school_year, count(*), CAST(sum(enrollment) AS BIGINT), sum(total_expenditure) \
         FROM district_profile WHERE source = 'ny_osc_finance' GROUP BY 1 ORDER BY 1",
    ]);
    let body: String = out.lines().skip(1).map(|l| format!("{l}\n")).collect();
    assert_eq!(body, NY_BY_YEAR);
    let rows = run(&[
        "peer_benchmark",
        "--param",
        "district=140507000000",
        "--param",
        "year=2022",
        "--param",
        "source=ny_osc_finance",
        "--param",
        "metric=total_per_pupil",
        "--param",
        "peer_by=state",
    ]);
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let buffalo = rows
        .iter()
        .find(|r| r[0] == "140507000000")
        .expect("Buffalo");
    assert_eq!(buffalo[col("value")], "31275.910332");
    // every district with pupils and spending that year is a peer: 689, less
    // the 4 that report no pupils and Wainscott, which filed for 0 months
    // (all amounts zero, loaded as no figure): 684
    assert_eq!(buffalo[col("peers")], "684");
}

/// Aleutian Region SD's student-teacher ratio among Alaska's rural districts
/// (DistrictsNodes.csv's Rural flag, the one bundled file that says
/// urbanicity). With Python over the raw file: 45 rural districts publish a
/// ratio; Aleutian Region's 7.25 is the lowest (rank 45, percent rank 0);
/// the median (23rd of 45 sorted) is 13.62.
#[test]
fn a_district_ranked_against_its_urbanicity() {
    let rows = run(&[
        "peer_benchmark",
        "--param",
        "district=0200010",
        "--param",
        "year=2020",
        "--param",
        "source=ak_deed_district_nodes",
        "--param",
        "metric=pupil_teacher_ratio",
        "--param",
        "peer_by=urbanicity",
    ]);
    if rows.is_empty() {
        return;
    }
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let aleutian = rows
        .iter()
        .find(|r| r[0] == "0200010")
        .expect("Aleutian Region");
    assert_eq!(aleutian[col("urbanicity")], "rural");
    assert_eq!(aleutian[col("peers")], "45");
    assert_eq!(aleutian[col("rank_high_to_low")], "45");
    assert_eq!(aleutian[col("percent_rank")], "0.0");
    assert_eq!(aleutian[col("peer_median")], "13.62");
}

/// A district's own need weights replace the defaults for its district-year.
/// WX02 (tests/fixtures/resource_example): 15 of 120 students have IEPs, no
/// poverty or English learners. Default weighted-pupil need 1 + 0.90 x
/// 15/120 = 1.1125; with the district's weight 0.5 for IEPs: 1 + 0.5 x
/// 15/120 = 1.0625 (by hand).
#[test]
fn a_district_sets_its_own_need_weights() {
    let dir = common::scratch("need-weights");
    let wh = dir.join("warehouse");
    let w = wh.to_str().unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/resource_example");
    let ingest = |mapping: &str, file: &std::path::Path| {
        common::run_expect(
            &[
                "ingest",
                "-q",
                "-w",
                w,
                "-m",
                mapping,
                "-d",
                "WX02",
                "-y",
                "2024",
                file.to_str().unwrap(),
            ],
            0,
        );
    };
    for table in ["students", "enrollment"] {
        ingest(
            &format!("demo_{table}"),
            &src.join(format!("WX02_2024_{table}.csv")),
        );
    }
    let need = || {
        csv_rows(&stdout(&[
            "-w",
            w,
            "--format",
            "csv",
            "-c",
            "SELECT need FROM school_need_index WHERE method = 'weighted_pupil'",
        ]))[1][0]
            .clone()
    };
    assert_eq!(need(), "1.1125");
    let weights = dir.join("weights.csv");
    std::fs::write(
        &weights,
        "method,factor,weight\nweighted_pupil,econ_disadv,0.4\nweighted_pupil,el,0.25\n\
         weighted_pupil,swd,0.5\n",
    )
    .unwrap();
    ingest("need_weight", &weights);
    assert_eq!(need(), "1.0625");
}

/// Kansas's statewide row (D0999, org_level state) is no district's peer,
/// and a district the source does not have is an error, not an empty table.
#[test]
fn peers_are_districts_and_a_missing_district_is_an_error() {
    let Some(wh) = common::real_warehouse() else {
        return;
    };
    let rows = run(&[
        "peer_benchmark",
        "--param",
        "district=D0259",
        "--param",
        "year=2010",
        "--param",
        "source=ks_pupil_teacher_ratio",
        "--param",
        "metric=enrollment",
        "--param",
        "peer_by=state",
    ]);
    assert_eq!(
        rows[1][0], "D0259",
        "Wichita is the largest district: {:?}",
        rows[1]
    );
    assert!(rows.iter().all(|r| r[0] != "D0999"));
    let out = common::resmap()
        .args([
            "run",
            "-w",
            wh.to_str().unwrap(),
            "peer_benchmark",
            "--param",
            "district=NOPE",
            "--param",
            "year=2010",
            "--param",
            "source=ks_pupil_teacher_ratio",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("district NOPE has no per_pupil in ks_pupil_teacher_ratio for 2010"),
        "{err}"
    );
}

/// Census state totals exist for 2022 and 2024 only: Alabama's change is
/// not shown as a one-year change across the gap, and growth is over the two
/// years: (13,926.12 / 12,063.32)^(1/2) - 1 = 0.0744 (by hand).
#[test]
fn a_gap_in_the_years_is_not_a_year_over_year_change() {
    let rows = run(&["district_trend", "--param", "district=AL"]);
    if rows.is_empty() {
        return;
    }
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2][col("school_year")], "2024");
    assert_eq!(rows[2][col("per_pupil_yoy")], "");
    assert_eq!(rows[2][col("per_pupil_cagr")], "0.0744");
}
