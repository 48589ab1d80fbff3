//! The resource map end to end: the Alaska ledgers attributed to their sites
//! and the Alpine payroll to its schools, against totals computed from the raw
//! files another way; conservation on generated districts of odd shapes; and
//! the errors a pool without a rule or a driver gives.

use std::path::{Path, PathBuf};

use crate::common::{self, csv_rows, resmap, run_expect, scratch, stdout};

/// Output of `python3 tests/scripts/ak_attribution.py ../shared/data/real
/// data/crosswalks/ak_uniform.csv`: the raw ledgers read with Python's csv
/// module and Decimal, each line placed by the crosswalk alone (excluded when
/// its fund, function or object row says so, else at a school when its
/// location row names one, else central). For these ledgers every exclusion of
/// the NCES current-expenditure definition is already a crosswalk exclusion,
/// so resmap's nces_current figures must equal these; a difference would be a
/// line the crosswalk keeps that the definition drops. With no school-level
/// drivers, Alaska's central spending stays central.
const AK_ATTRIBUTION_FROM_PYTHON: &str = "\
district_id,school_year,actual_total,excluded,school_direct,central,current_total,share_to_schools
0200010,2019,1939316.62,54539.99,902522.37,982254.26,1884776.63,0.4788
0200010,2020,2115155.30,366944.08,810313.66,937897.56,1748211.22,0.4635
0200070,2019,9479720.61,944729.32,5525772.00,3009219.29,8534991.29,0.6474
0200070,2020,10111184.33,1554618.24,5339506.33,3217059.76,8556566.09,0.6240
0200090,2019,5673667.56,1705305.37,0,3968362.19,3968362.19,0.0000
0200090,2020,5885339.62,1910874.36,0,3974465.26,3974465.26,0.0000
0200100,2019,13685191.00,545905.72,7543038.85,5596246.43,13139285.28,0.5741
0200100,2020,13573390.08,-140553.26,7813684.93,5900258.41,13713943.34,0.5698
0200360,2019,4220435.13,450046.23,1836163.03,1934225.87,3770388.90,0.4870
0200360,2020,3948807.67,246584.36,1915796.56,1786426.75,3702223.31,0.5175
0200780,2019,19439649.09,3471197.72,9293658.12,6674793.25,15968451.37,0.5820
0200780,2020,19037973.39,2999276.58,8995573.40,7043123.41,16038696.81,0.5609
0200800,2019,0.00,-7885009.76,0,7885009.76,7885009.76,0.0000
0200800,2020,7662087.53,291542.48,0,7370545.05,7370545.05,0.0000
";

#[test]
fn alaska_ledgers_reconcile_to_the_cent_by_site() {
    let Some(wh) = common::real_warehouse() else {
        return;
    };
    let out = stdout(&[
        "-w",
        wh.to_str().unwrap(),
        "--format",
        "csv",
        "-c",
        "SELECT district_id, school_year, ledger_total AS actual_total, excluded, \
           school_direct + school_allocated AS school_direct, \
           stays_central + unclassified AS central, \
           ledger_total - excluded AS current_total, \
           round_half_up(share_to_schools, 4) AS share_to_schools, difference \
         FROM resource_map_reconciliation \
         WHERE definition_id = 'nces_current' AND district_id LIKE '02%' ORDER BY 1, 2",
    ]);
    let rows = csv_rows(&out);
    let expected = csv_rows(AK_ATTRIBUTION_FROM_PYTHON);
    assert_eq!(rows.len(), expected.len(), "{out}");
    for (got, want) in rows.iter().zip(&expected).skip(1) {
        // total = school + central + excluded, to the cent
        assert_eq!(got[8], "0.00", "difference in {got:?}");
        let money = |s: &str| s.parse::<f64>().expect("number");
        assert_eq!(got[..2], want[..2]);
        for i in 2..7 {
            // Both sides print exact decimals; compare them as numbers only
            // because Python prints a zero sum as 0, resmap as 0.00.
            assert_eq!(money(&got[i]), money(&want[i]), "column {i} of {got:?}");
        }
        assert_eq!(got[7], want[7], "share of {got:?}");
    }
}

/// From `python3 tests/scripts/alpine_payroll_totals.py ../shared/data/real`:
/// the raw payroll files summed with Decimal by fiscal year and site code.
/// The year totals agree with SOURCES.md ($618.0M and $701.7M).
const ALPINE_TOTALS: [(&str, &str, &str, &str); 2] = [
    ("2022", "406823554.61", "211159108.83", "617982663.44"),
    ("2023", "467915522.12", "233778258.28", "701693780.40"),
];

/// The five schools with the most compensation each year, from the same
/// script: (year, site, compensation).
const ALPINE_TOP_SCHOOLS: [(&str, &str, &str); 10] = [
    ("2022", "704", "13936952.99"),
    ("2022", "789", "13748015.49"),
    ("2022", "785", "13506834.26"),
    ("2022", "721", "13426330.81"),
    ("2022", "709", "13343158.83"),
    ("2023", "789", "17081832.36"),
    ("2023", "721", "16926052.41"),
    ("2023", "704", "15902024.31"),
    ("2023", "709", "15443958.37"),
    ("2023", "785", "15431755.10"),
];

#[test]
fn alpine_payroll_reaches_its_schools_to_the_cent() {
    let Some(wh) = common::real_warehouse() else {
        return;
    };
    let w = wh.to_str().unwrap();
    for (year, salaries, benefits, compensation) in ALPINE_TOTALS {
        let out = stdout(&[
            "run",
            "-w",
            w,
            "--format",
            "csv",
            "-q",
            "payroll_by_school",
            "--param",
            "district=4900030",
            "--param",
            &format!("year={year}"),
        ]);
        let rows = csv_rows(&out);
        let header = &rows[0];
        let col = |name: &str| header.iter().position(|h| h == name).expect(name);
        let cents = |s: &str| -> i128 {
            let (whole, frac) = s.split_once('.').expect("two decimals");
            whole.parse::<i128>().unwrap() * 100 + frac.parse::<i128>().unwrap()
        };
        let sum = |name: &str| -> i128 {
            rows.iter().skip(1).map(|r| cents(&r[col(name)])).sum()
        };
        assert_eq!(sum("salaries"), cents(salaries), "{year} salaries");
        assert_eq!(sum("benefits"), cents(benefits), "{year} benefits");
        assert_eq!(
            sum("compensation"),
            cents(compensation),
            "{year} compensation"
        );
        // The largest schools, in order, with their compensation in every
        // fund (the script sums by site, whatever the fund).
        let top = csv_rows(&stdout(&[
            "-w",
            w,
            "--format",
            "csv",
            "-c",
            &format!(
                "SELECT school_id, sum(compensation) AS compensation FROM payroll_by_school \
                 WHERE district_id = '4900030' AND school_year = {year} \
                 AND school_id IS NOT NULL GROUP BY school_id ORDER BY 2 DESC LIMIT 5"
            ),
        ]));
        let schools: Vec<(&str, &str)> = top
            .iter()
            .skip(1)
            .map(|r| (r[0].as_str(), r[1].as_str()))
            .collect();
        let expected: Vec<(&str, &str)> = ALPINE_TOP_SCHOOLS
            .iter()
            .filter(|(y, _, _)| *y == year)
            .map(|(_, s, c)| (*s, *c))
            .collect();
        assert_eq!(schools, expected, "{year}");
    }
}

/// Writes the demo generator's raw files for `seed` into a fresh folder.
fn generate(name: &str, seed: u64) -> PathBuf {
    let dir = scratch(name).join("exports");
    let seed = seed.to_string();
    run_expect(
        &[
            "generate",
            "-q",
            "--seed",
            &seed,
            "--out",
            dir.to_str().unwrap(),
        ],
        0,
    );
    dir
}

/// Keeps the header and the lines `keep` accepts (by line number, 1 = first
/// data line, and text).
fn filter_lines(path: &Path, keep: impl Fn(usize, &str) -> bool) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let mut out = String::from(lines.next().unwrap());
    out.push('\n');
    for (i, line) in lines.enumerate() {
        if keep(i + 1, line) {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::write(path, out).unwrap();
}

/// Makes odd shapes out of generated files: the first district's last school
/// in 2023 loses all its students (an empty school), every seventh section
/// loses its students, every fifth section its staff (so some staff teach
/// nothing).
fn oddify(exports: &Path) {
    let f = |name: &str| exports.join(name);
    let schools = std::fs::read_to_string(f("DEMO01_2023_schools.csv")).unwrap();
    let last_school = schools
        .lines()
        .last()
        .and_then(|l| l.split(',').next())
        .unwrap()
        .to_string();
    filter_lines(&f("DEMO01_2023_enrollment.csv"), |_, l| {
        l.split(',').nth(1) != Some(last_school.as_str())
    });
    for dy in ["DEMO01_2023", "DEMO01_2024", "DEMO02_2023", "DEMO02_2024"] {
        let sections = std::fs::read_to_string(f(&format!("{dy}_sections.csv"))).unwrap();
        let ids: Vec<String> = sections
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect();
        let empty: Vec<&String> = ids.iter().step_by(7).collect();
        let unstaffed: Vec<&String> = ids.iter().skip(3).step_by(5).collect();
        filter_lines(&f(&format!("{dy}_rosters.csv")), |_, l| {
            let id = l.split(',').next().unwrap().to_string();
            !empty.contains(&&id)
        });
        filter_lines(&f(&format!("{dy}_section_staff.csv")), |_, l| {
            let id = l.split(',').next().unwrap().to_string();
            !unstaffed.contains(&&id)
        });
    }
}

/// `SELECT ...` through the CLI as CSV rows (header first).
fn query(warehouse: &Path, sql: &str) -> Vec<Vec<String>> {
    csv_rows(&stdout(&[
        "-w",
        warehouse.to_str().unwrap(),
        "--format",
        "csv",
        "-c",
        sql,
    ]))
}

/// Conservation on generated districts, several seeds, normal and odd shapes:
/// ledger = excluded + unclassified + school + allocated + kept central, and
/// what reached schools with students = what reached their students, to the
/// cent, in every district-year and definition.
#[test]
fn every_dollar_is_conserved_on_generated_districts() {
    for (seed, odd) in [
        (7u64, false),
        (11, true),
        (2025, true),
        (99, false),
        (123, true),
    ] {
        let name = format!("conserve-{seed}");
        let exports = generate(&name, seed);
        if odd {
            oddify(&exports);
        }
        let wh = scratch(&format!("{name}-warehouse")).join("warehouse");
        common::ingest_export_dir(&exports, &wh);
        let recon = query(
            &wh,
            "SELECT district_id, school_year, definition_id, difference, ledger_total, \
             excluded + unclassified + school_direct + school_allocated + stays_central \
             FROM resource_map_reconciliation ORDER BY 1, 2, 3",
        );
        assert_eq!(recon.len(), 1 + 8, "seed {seed}: {recon:?}");
        for r in &recon[1..] {
            assert_eq!(r[3], "0.00", "seed {seed} odd {odd}: {r:?}");
            assert_eq!(r[4], r[5], "seed {seed} odd {odd}: {r:?}");
        }
        let students = query(
            &wh,
            "SELECT district_id, school_year, definition_id, difference, \
             at_schools_without_students FROM student_cost_reconciliation ORDER BY 1, 2, 3",
        );
        assert_eq!(students.len(), 1 + 8, "seed {seed}: {students:?}");
        for r in &students[1..] {
            assert_eq!(r[3], "0.00", "seed {seed} odd {odd}: {r:?}");
            // Only the emptied school keeps spending at school level.
            let emptied = odd && r[0] == "DEMO01" && r[1] == "2023";
            assert_eq!(r[4] != "0.00", emptied, "seed {seed}: {r:?}");
        }
        // Cross-check one identity the views do not state: the sum over
        // students equals the sum of school_spending at schools with
        // students, computed here from two other views.
        let cross = query(
            &wh,
            "SELECT (SELECT sum(amount) FROM student_cost WHERE definition_id = 'essa_ppe') \
             = (SELECT sum(s.amount) FROM school_spending s \
                JOIN (SELECT DISTINCT district_id, school_year, school_id FROM student_school_days) d \
                  ON d.district_id = s.district_id AND d.school_year = s.school_year \
                 AND d.school_id = s.school_id WHERE s.definition_id = 'essa_ppe')",
        );
        assert_eq!(cross[1][0], "true", "seed {seed}");
    }
}

/// WX03 2024 of the resource fixture (two schools, a central bus contract)
/// in a fresh warehouse.
fn wx03_warehouse(name: &str) -> PathBuf {
    let wh = scratch(name).join("warehouse");
    let src =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/resource_example");
    for table in ["schools", "students", "enrollment", "gl", "payroll"] {
        let file = src.join(format!("WX03_2024_{table}.csv"));
        ingest(&wh, &format!("demo_{table}"), &file, 0);
    }
    wh
}

/// `resmap ingest -m MAPPING -d WX03 -y 2024 FILE`, expecting exit `code`;
/// its stderr.
fn ingest(wh: &Path, mapping: &str, file: &Path, code: i32) -> String {
    let out = run_expect(
        &[
            "ingest",
            "-q",
            "-w",
            wh.to_str().unwrap(),
            "-m",
            mapping,
            "-d",
            "WX03",
            "-y",
            "2024",
            file.to_str().unwrap(),
        ],
        code,
    );
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Writes `text` to a file beside the warehouse.
fn write_beside(wh: &Path, name: &str, text: &str) -> PathBuf {
    let path = wh.parent().unwrap().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const RULES_HEADER: &str = "rule_id,priority,function_pattern,object_pattern,program_pattern,category_pattern,driver,note\n";

/// Loads the allocation rules in `rules` for WX03 2024 over the resource
/// fixture, then queries the reconciliation: the error it gives.
fn reconciliation_error_with_rules(name: &str, rules: &str) -> String {
    let wh = wx03_warehouse(name);
    let rules_file = write_beside(&wh, "rules.csv", rules);
    ingest(&wh, "allocation_rule", &rules_file, 0);
    let out = resmap()
        .args([
            "-w",
            wh.to_str().unwrap(),
            "-c",
            "SELECT * FROM resource_map_reconciliation",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn district_drivers_replace_computed_ones_school_by_school() {
    let wh = wx03_warehouse("drivers");
    // Buses by meals served, a driver only school_driver gives: S1 3, S2 1.
    let rules = write_beside(
        &wh,
        "rules.csv",
        &format!("{RULES_HEADER}buses,50,27%,,,,meals,meals served\n"),
    );
    ingest(&wh, "allocation_rule", &rules, 0);
    let meals = write_beside(
        &wh,
        "meals.csv",
        "school_id,driver,value\n S1 ,meals,3\nS2,meals,1\nS1,enrollment,1\n",
    );
    ingest(&wh, "school_driver", &meals, 0);
    // 12,000.00 by 3 : 1 = 9,000.00 and 3,000.00 (by hand).
    let rows = query(
        &wh,
        "SELECT school_id, amount FROM school_allocation \
         WHERE definition_id = 'essa_ppe' ORDER BY school_id",
    );
    assert_eq!(
        rows[1..],
        [vec!["S1", "9000.00"], vec!["S2", "3000.00"]]
            .map(|r| { r.iter().map(|s| s.to_string()).collect::<Vec<_>>() })
    );
    // The loaded enrollment replaces S1's computed 120 only; S2 keeps 10.
    let rows = query(
        &wh,
        "SELECT school_id, value, origin FROM allocation_driver \
         WHERE driver = 'enrollment' ORDER BY school_id",
    );
    assert_eq!(rows[1][..], ["S1", "1.000000", "school_driver"]);
    assert_eq!(rows[2][..], ["S2", "10.000000", "computed"]);
}

#[test]
fn a_driver_for_an_unknown_school_is_an_error_that_names_it() {
    let wh = wx03_warehouse("unknown-school");
    let meals = write_beside(&wh, "riders.csv", "school_id,driver,value\nS9,riders,40\n");
    ingest(&wh, "school_driver", &meals, 0);
    let out = resmap()
        .args([
            "-w",
            wh.to_str().unwrap(),
            "-c",
            "SELECT * FROM allocation_driver",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("school_driver names school S9 (driver riders, ")
            && err.contains(
                "riders.csv:2), which the school table of WX03 2024 does not list"
            ),
        "{err}"
    );
}

#[test]
fn rule_files_load_whole_or_not_at_all() {
    let wh = wx03_warehouse("whole");
    // A crosswalk row for another district, among good rows: the file is
    // refused and nothing is written.
    let crosswalk = write_beside(
        &wh,
        "crosswalk.csv",
        "chart,district_id,dimension,pattern,target,level,category,fund_source,note\n\
         nces,,location,S2,,central,,,annex run centrally\n\
         nces,WX09,fund,10,,excluded,,,meant for another district\n",
    );
    let err = ingest(&wh, "coa_crosswalk", &crosswalk, 1);
    assert!(
        err.contains("district_id \"WX09\" is not --district \"WX03\""),
        "{err}"
    );
    let rows = query(&wh, "SELECT count(*) FROM coa_crosswalk");
    assert_eq!(rows[1][0], "0");
    // A rule with a priority that is not a number stops its whole set.
    let rules = write_beside(
        &wh,
        "rules.csv",
        &format!(
            "{RULES_HEADER}buses,50,27%,,,,enrollment,\nother,high,%,,,,enrollment,\n"
        ),
    );
    ingest(&wh, "allocation_rule", &rules, 1);
    let rows = query(&wh, "SELECT count(*) FROM allocation_rule");
    assert_eq!(rows[1][0], "0");
}

#[test]
fn a_pool_without_a_rule_is_an_error_that_names_it() {
    // Rules for instruction only: the central bus contract (function 2710)
    // matches none.
    let err = reconciliation_error_with_rules(
        "no-rule",
        &format!("{RULES_HEADER}instruction,50,1%,,,,teacher_fte,\n"),
    );
    assert!(
        err.contains("central pool WX03 / 2024 / ")
            && err
                .contains(" / (no rule) / transportation / state_local / non-personnel")
            && err.contains("matches no allocation rule"),
        "{err}"
    );
}

#[test]
fn a_pool_whose_driver_is_zero_is_an_error_that_names_it() {
    // Transportation by riders, but no school_driver rows give riders.
    let err = reconciliation_error_with_rules(
        "zero-driver",
        &format!("{RULES_HEADER}buses,50,27%,,,,riders,\n"),
    );
    // (either definition's pool may be the first to fail)
    assert!(
        err.contains("pool WX03 / 2024 / ")
            && err.contains(
                " / buses / transportation / state_local / non-personnel (driver riders)"
            )
            && err.contains("has no driver to spread it by"),
        "{err}"
    );
}

/// One demo school's per-pupil figure against an independent computation from
/// the generated raw files: `resmap generate --out EXPORTS` (the demo's
/// default seed), then `python3 tests/scripts/demo_school_per_pupil.py EXPORTS
/// DEMO01 2023 101`, which reads the CSVs with Python and exact fractions and
/// applies the stated rules (crosswalk, essa_ppe exclusions, payroll step,
/// default allocation rules and count-date drivers) without resmap's code. It
/// prints direct 4,267,565.45 + allocated 1,175,107.94 (exact shares summed,
/// eight pools) = 5,442,673.39 over 417 students = 13,051.97 a pupil; state
/// and local personnel 3,518,282.05, non-personnel 1,924,391.34, no federal
/// money. resmap rounds each pool's shares to cents first, so its totals may
/// differ by a cent per pool; the per-pupil figure agrees exactly.
#[test]
fn a_demo_school_per_pupil_matches_a_hand_computation() {
    let wh = common::demo_warehouse();
    let rows = query(
        wh,
        "SELECT round_half_up(per_pupil, 2), enrollment, state_local_personnel, \
         state_local_non_personnel, federal_personnel + federal_non_personnel, spending \
         FROM school_per_pupil WHERE district_id = 'DEMO01' AND school_year = 2023 \
         AND school_id = '101' AND definition_id = 'essa_ppe'",
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][..2], ["13051.97", "417"].map(String::from));
    assert_eq!(rows[1][4], "0.00");
    let cent_per_pool = |got: &str, want: f64| {
        let got: f64 = got.parse().unwrap();
        assert!(
            (got - want).abs() < 0.01 * 8.0 + 1e-6,
            "{got} against {want}"
        );
    };
    cent_per_pool(&rows[1][2], 3_518_282.05);
    cent_per_pool(&rows[1][3], 1_924_391.34);
    cent_per_pool(&rows[1][5], 5_442_673.39);
}
