//! Seeded data flaws for the data-quality rules: `resmap generate --flaws`
//! changes the generated export files so that each rule of
//! data/reference/dq_rule.csv has a known number of new findings per
//! district-year, and writes `flaws.csv`, the findings `resmap check` must
//! add (rule, district, year and the finding's key), so tests can prove each
//! rule finds exactly what was injected.
//!
//! With no rate each rule gets one flaw per district-year. With a rate `r`,
//! a rule gets `round(r x n)` flaws (at least one), where `n` counts what the
//! rule checks: ledger purchases, teachers, sections, students, schools ...
//! Rules about one figure of the district-year (DQ-F05, F10) get one; DQ-P05
//! gets at most one in twenty-five of its classification, because outliers
//! above about 5% of a group raise its standard deviation enough to hide
//! each other (a z-score's limit, not a generator's).

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::{Error, Result};

/// One injected flaw, as the finding it must produce.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Flaw {
    /// the rule that must find it
    pub rule_id: &'static str,
    /// district
    pub district: String,
    /// ending school year
    pub year: i32,
    /// the finding's `entity_key`
    pub key: String,
}

type Table = (Vec<String>, Vec<Vec<String>>);

fn read(path: &Path) -> Result<Table> {
    let mut r = csv::Reader::from_path(path)
        .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?;
    let header = r
        .headers()
        .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.map(|rec| rec.iter().map(str::to_string).collect()))
        .collect::<std::result::Result<Vec<Vec<String>>, _>>()
        .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?;
    Ok((header, rows))
}

fn write(path: &Path, (header, rows): &Table) -> Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_path(path)
        .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?;
    let fail = |e: csv::Error| Error::Internal(format!("{}: {e}", path.display()));
    w.write_record(header).map_err(fail)?;
    for r in rows {
        w.write_record(r).map_err(fail)?;
    }
    w.flush().map_err(|e| Error::io(path, e))
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .expect("generator column")
}

/// "1,234.50" or "(12.50)" as the warehouse prints the decimal.
fn money_text(s: &str) -> String {
    let t = s.trim().replace(['$', ','], "");
    match t.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some(inner) => format!("-{inner}"),
        None => t,
    }
}

/// Money text as cents.
fn cents(s: &str) -> i64 {
    let t = money_text(s);
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, t),
    };
    let (whole, frac) = t.split_once('.').unwrap_or((&t, "0"));
    let frac = format!("{frac:0<2}");
    let c =
        whole.parse::<i64>().unwrap_or(0) * 100 + frac[..2].parse::<i64>().unwrap_or(0);
    if neg { -c } else { c }
}

/// Cents as the warehouse prints a decimal(18,2).
fn decimal(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        c.unsigned_abs() / 100,
        c.unsigned_abs() % 100
    )
}

/// MM/DD/YYYY as YYYY-MM-DD.
fn iso(date: &str) -> String {
    let p: Vec<&str> = date.split('/').collect();
    format!("{}-{:0>2}-{:0>2}", p[2], p[0], p[1])
}

/// How many flaws a rule gets from a pool of `pool` things it checks.
fn count(rate: Option<f64>, pool: usize) -> usize {
    match rate {
        None => 1,
        Some(r) => ((r * pool as f64).round() as usize).clamp(1, pool.max(1)),
    }
}

/// The flaws of one district-year, as they are injected.
struct Injector<'a> {
    out: &'a Path,
    district: &'a str,
    year: i32,
    rate: Option<f64>,
    flaws: Vec<Flaw>,
}

impl Injector<'_> {
    fn file(&self, table: &str) -> std::path::PathBuf {
        self.out
            .join(format!("{}_{}_{table}.csv", self.district, self.year))
    }

    fn flaw(&mut self, rule_id: &'static str, key: String) {
        self.flaws.push(Flaw {
            rule_id,
            district: self.district.to_string(),
            year: self.year,
            key,
        });
    }

    fn n(&self, pool: usize) -> usize {
        count(self.rate, pool)
    }
}

/// Injects the flaws into the files of `district` `year` in `out`.
fn district_year(
    out: &Path,
    district: &str,
    year: i32,
    first_year: bool,
    rate: Option<f64>,
) -> Result<Vec<Flaw>> {
    let mut f = Injector {
        out,
        district,
        year,
        rate,
        flaws: Vec::new(),
    };
    ledger(&mut f, first_year)?;
    people(&mut f)?;
    schedule(&mut f)?;
    students(&mut f)?;
    Ok(f.flaws)
}

/// Ledger flaws (F01-F10, P01, A04), each on its own lines.
fn ledger(f: &mut Injector, first_year: bool) -> Result<()> {
    let mut gl = read(&f.file("gl"))?;
    let mut chart = read(&f.file("accounts"))?;
    let (acc, date, amount, kind, journal) = (
        col(&gl.0, "Account"),
        col(&gl.0, "PostingDate"),
        col(&gl.0, "Amount"),
        col(&gl.0, "EntryType"),
        col(&gl.0, "Journal"),
    );
    let listed: BTreeSet<String> = chart.1.iter().map(|r| r[0].clone()).collect();
    let add_account = |chart: &mut Table, account: &str| {
        if !listed.contains(account) {
            chart
                .1
                .push(vec![account.to_string(), "added by a flaw".into()]);
        }
    };
    // purchases: actual lines in the general fund, paid through AP, the
    // smallest first (a duplicate of a small order moves the totals least)
    let mut purchases: Vec<Vec<String>> = gl
        .1
        .iter()
        .filter(|r| {
            r[kind] == "ACT" && r[journal].starts_with("AP") && r[acc].starts_with("10-")
        })
        .cloned()
        .collect();
    purchases.sort_by_key(|r| (cents(&r[amount]), r[acc].clone(), r[date].clone()));
    let pool = purchases.len();
    let supply_accounts: Vec<String> = purchases
        .iter()
        .map(|r| r[acc].clone())
        .filter(|a| a.starts_with("10-1000-610-"))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let schools = read(&f.file("schools"))?;
    let codes: Vec<String> = schools.1.iter().map(|r| r[0].clone()).collect();
    let mut extra: Vec<Vec<String>> = Vec::new();
    let line = |account: &str, day: &str, cents_: i64, j: String, what: &str| {
        vec![
            account.to_string(),
            day.to_string(),
            if cents_ < 0 {
                format!("({})", decimal(-cents_))
            } else {
                decimal(cents_)
            },
            "ACT".to_string(),
            j,
            what.to_string(),
            "VFLAW".to_string(),
        ]
    };
    let mid_year = format!("01/20/{}", f.year);

    // F04: the smallest purchases twice.
    for p in purchases.iter().take(f.n(pool)) {
        f.flaw(
            "DQ-F04",
            format!(
                "{} {} {} {}",
                p[acc],
                money_text(&p[amount]),
                iso(&p[date]),
                p[journal]
            ),
        );
        extra.push(p.clone());
    }
    // F01: lines in funds no crosswalk knows (901, 902 ...).
    for i in 0..f.n(pool) {
        let fund = format!("9{:02}", i + 1);
        extra.push(line(
            &format!("{fund}-2710-510-000-000"),
            &mid_year,
            10_000,
            format!("APF01{i:03}"),
            "Misposted fund",
        ));
        f.flaw("DQ-F01", format!("fund {fund} (chart nces)"));
    }
    // F02: an account of valid codes the chart does not list: a function
    // this district never uses, for one of its schools.
    let unused = [
        "2110", "2140", "2190", "2210", "2290", "2310", "2330", "2490", "2520", "2530",
        "2540", "2560", "2570", "2630", "2640", "2660", "2720", "2900",
    ];
    let mut combos = codes
        .iter()
        .flat_map(|c| unused.iter().map(move |u| format!("10-{u}-610-000-{c}")))
        .filter(|a| !listed.contains(a));
    for i in 0..f.n(pool) {
        let account = combos.next().expect("an account the chart lacks");
        extra.push(line(
            &account,
            &mid_year,
            10_000,
            format!("APF02{i:03}"),
            "Supplies",
        ));
        f.flaw("DQ-F02", format!("account {account}"));
    }
    // F03: credits with no original, 2.51, 2.52 ... on supply accounts.
    for i in 0..f.n(pool) {
        let account = &supply_accounts[i % supply_accounts.len()];
        let c = -(251 + i as i64);
        extra.push(line(
            account,
            &mid_year,
            c,
            format!("CMF03{i:03}"),
            "Credit",
        ));
        f.flaw(
            "DQ-F03",
            format!("{account} {} {}-01-20", decimal(c), f.year),
        );
    }
    // F06: supplies lines above the capitalization threshold.
    let n = f.n(supply_accounts.len());
    for (i, account) in supply_accounts.iter().enumerate().take(n) {
        let c = 600_000 + i as i64;
        extra.push(line(
            account,
            &mid_year,
            c,
            format!("APF06{i:03}"),
            "Laptops",
        ));
        f.flaw(
            "DQ-F06",
            format!("{account} {} {}-01-20", decimal(c), f.year),
        );
    }
    // F07: a federal project (584) charged to the general fund.
    for (i, supplies) in supply_accounts.iter().enumerate().take(n) {
        let account = format!("{supplies}-584");
        add_account(&mut chart, &account);
        extra.push(line(
            &account,
            &mid_year,
            10_000,
            format!("APF07{i:03}"),
            "Title I supplies",
        ));
        f.flaw("DQ-F07", format!("account {account}"));
    }
    // F08: spending at a school the school table lacks (codes 981 ...).
    for i in 0..f.n(codes.len()) {
        let school = format!("98{}", i + 1);
        let account = format!("10-2620-430-000-{school}");
        add_account(&mut chart, &account);
        extra.push(line(
            &account,
            &mid_year,
            10_000,
            format!("APF08{i:03}"),
            "Repairs",
        ));
        f.flaw("DQ-F08", format!("school {school}"));
    }
    // F09: purchases dated after the fiscal year.
    let after = format!("07/15/{}", f.year);
    for i in 0..f.n(pool) {
        let account = &supply_accounts[i % supply_accounts.len()];
        let c = 10_000 + i as i64;
        extra.push(line(
            account,
            &after,
            c,
            format!("APF09{i:03}"),
            "Late invoice",
        ));
        f.flaw(
            "DQ-F09",
            format!("{account} {} {}-07-15", decimal(c), f.year),
        );
    }
    // F10 (a year with a year before it): 150,000.00 of other instructional
    // programs (program 300), a category the district never had.
    let mut jump = 0;
    if !first_year {
        let account = "10-1000-300-300-000";
        add_account(&mut chart, account);
        jump = 15_000_000;
        extra.push(line(
            account,
            &mid_year,
            jump,
            "APF10".into(),
            "Summer program",
        ));
        f.flaw("DQ-F10", "category teaching_other".into());
    }
    // A04: supplies for schools that have no students (codes 991 ...).
    let mut schools = schools;
    for i in 0..f.n(codes.len()) {
        let school = format!("99{}", i + 1);
        let account = format!("10-1000-610-000-{school}");
        add_account(&mut chart, &account);
        extra.push(line(
            &account,
            &mid_year,
            50_000,
            format!("APA04{i:03}"),
            "Supplies",
        ));
        let mut row = schools.1[0].clone();
        row[0] = school.clone();
        row[1] = format!("Closed Annex {}", i + 1);
        schools.1.push(row);
        f.flaw("DQ-A04", format!("school {school}"));
    }
    write(&f.file("schools"), &schools)?;
    // P01: one teacher salary line doubled at some schools.
    let mut doubled = BTreeSet::new();
    let n = f.n(codes.len());
    for r in gl.1.iter_mut() {
        if !(r[kind] == "ACT"
            && r[acc].starts_with("10-1000-101-100-")
            && r[journal].starts_with("PR"))
        {
            continue;
        }
        let location = r[acc].rsplit('-').next().unwrap_or_default().to_string();
        if doubled.len() == n || doubled.contains(&location) {
            continue;
        }
        doubled.insert(location);
        r[amount] = decimal(cents(&r[amount]) * 2);
    }
    for location in &doubled {
        f.flaw("DQ-P01", format!("fund 1 function 1000 at {location}"));
    }
    gl.1.extend(extra);
    write(&f.file("gl"), &gl)?;
    write(&f.file("accounts"), &chart)?;
    // F05: the state's published current expenditure 5% above the ledger
    // (after the F10 line, which it counts).
    let mut state = read(&f.file("state_district"))?;
    let spent = col(&state.0, "CurrentExpenditure");
    for r in state.1.iter_mut() {
        let c = cents(&r[spent]) + jump;
        r[spent] = decimal(c + c / 20);
    }
    write(&f.file("state_district"), &state)?;
    f.flaw(
        "DQ-F05",
        format!("district {} against demo_state_report", f.district),
    );
    Ok(())
}

/// HR and payroll flaws (P02-P07), each on its own teachers.
fn people(f: &mut Injector) -> Result<()> {
    let mut assignments = read(&f.file("assignments"))?;
    let (emp, class, fte, position, salary) = (
        col(&assignments.0, "EmployeeID"),
        col(&assignments.0, "JobClass"),
        col(&assignments.0, "FTE"),
        col(&assignments.0, "PositionNo"),
        col(&assignments.0, "AnnualSalary"),
    );
    let teachers: Vec<Vec<String>> = assignments
        .1
        .iter()
        .filter(|r| r[class] == "TEACHER" && r[fte] == "1.000")
        .cloned()
        .collect();
    let all_teachers = assignments
        .1
        .iter()
        .filter(|r| r[class] == "TEACHER")
        .count();
    let k = f.n(teachers.len());
    let mut next = teachers.iter();
    let mut take = |k: usize| -> Vec<Vec<String>> {
        (0..k)
            .map(|_| next.next().expect("enough teachers").clone())
            .collect()
    };
    // P03: a second, half-time assignment (at half the salary).
    for t in take(k) {
        let mut extra = t.clone();
        extra[position] = format!("PFLAW{}", t[position]);
        extra[fte] = "0.500".into();
        extra[salary] = decimal(cents(&t[salary]) / 2);
        assignments.1.push(extra);
        f.flaw("DQ-P03", format!("staff {}", t[emp]));
    }
    // P05: a salary five times the scale's.
    for t in take(k.min((all_teachers / 25).max(1))) {
        for r in assignments.1.iter_mut() {
            if r[emp] == t[emp] && r[position] == t[position] {
                r[salary] = decimal(cents(&t[salary]) * 5);
            }
        }
        f.flaw(
            "DQ-P05",
            format!("staff {} assignment {}", t[emp], t[position]),
        );
    }
    write(&f.file("assignments"), &assignments)?;

    let mut payroll = read(&f.file("payroll"))?;
    let (pemp, pacc, gross, benefits, earn) = (
        col(&payroll.0, "EmployeeID"),
        col(&payroll.0, "Account"),
        col(&payroll.0, "Gross"),
        col(&payroll.0, "EmployerBenefits"),
        col(&payroll.0, "EarnType"),
    );
    // P02: employer benefits equal to pay.
    for t in take(k) {
        for r in payroll.1.iter_mut().filter(|r| r[pemp] == t[emp]) {
            r[benefits] = r[gross].clone();
        }
        f.flaw("DQ-P02", format!("staff {}", t[emp]));
    }
    // P07: a 100.00 stipend charged to a school the teacher is not at.
    let schools: Vec<String> = read(&f.file("schools"))?
        .1
        .iter()
        .map(|r| r[0].clone())
        .filter(|c| !c.starts_with("99"))
        .collect();
    let template = payroll.1[0].clone();
    for t in take(k) {
        let at = &t[col(&assignments.0, "SchoolCode")];
        let other = schools.iter().find(|c| *c != at).expect("another school");
        let mut stipend = template.clone();
        stipend[pemp] = t[emp].clone();
        stipend[pacc] = format!("10-1000-101-100-{other}");
        stipend[earn] = "STIPEND".into();
        stipend[gross] = "100.00".into();
        stipend[benefits] = "25.00".into();
        payroll.1.push(stipend);
        f.flaw("DQ-P07", format!("staff {} at {other}", t[emp]));
    }
    // P04: pay for people with no assignment.
    for i in 0..k {
        let mut ghost = template.clone();
        ghost[pemp] = format!("EFLAWPAID{i}");
        ghost[gross] = "100.00".into();
        ghost[benefits] = "0.00".into();
        payroll.1.push(ghost);
        f.flaw("DQ-P04", format!("staff EFLAWPAID{i}"));
    }
    write(&f.file("payroll"), &payroll)?;

    // P06: seventy years of experience.
    let mut staff = read(&f.file("staff"))?;
    let (semp, years) = (
        col(&staff.0, "EmployeeID"),
        col(&staff.0, "YearsExperience"),
    );
    for t in take(k) {
        for r in staff.1.iter_mut().filter(|r| r[semp] == t[emp]) {
            r[years] = "70".into();
        }
        f.flaw("DQ-P06", format!("staff {}", t[emp]));
    }
    write(&f.file("staff"), &staff)
}

/// Schedule flaws (S01-S09), each on its own sections.
fn schedule(f: &mut Injector) -> Result<()> {
    let mut sections = read(&f.file("sections"))?;
    let (sec, sschool, minutes, room, period, course, program) = (
        col(&sections.0, "SectionID"),
        col(&sections.0, "SchoolCode"),
        col(&sections.0, "MinutesPerWeek"),
        col(&sections.0, "RoomCapacity"),
        col(&sections.0, "Period"),
        col(&sections.0, "CourseCode"),
        col(&sections.0, "Program"),
    );
    let room_id = col(&sections.0, "Room");
    let mut staffing = read(&f.file("section_staff"))?;
    let (ssec, semp, share) = (
        col(&staffing.0, "SectionID"),
        col(&staffing.0, "EmployeeID"),
        col(&staffing.0, "Share"),
    );
    let mut rosters = read(&f.file("rosters"))?;
    let (rsec, rst) = (col(&rosters.0, "SectionID"), col(&rosters.0, "StudentID"));
    let size =
        |id: &str, rosters: &Table| rosters.1.iter().filter(|r| r[rsec] == id).count();
    // secondary gened sections with one teacher, in file order
    let single: Vec<(String, String, String)> = sections
        .1
        .iter()
        .filter(|r| r[program] == "gened" && !r[course].starts_with("HR"))
        .filter_map(|r| {
            let on: Vec<&Vec<String>> =
                staffing.1.iter().filter(|s| s[ssec] == r[sec]).collect();
            (on.len() == 1 && on[0][share] == "1.0000")
                .then(|| (r[sec].clone(), r[sschool].clone(), on[0][semp].clone()))
        })
        .collect();
    let k = f.n(single.len());
    let mut used: BTreeSet<String> = BTreeSet::new();
    let pick = |used: &mut BTreeSet<String>| -> (String, String, String) {
        let s = single
            .iter()
            .find(|s| !used.contains(&s.0))
            .expect("enough sections")
            .clone();
        used.insert(s.0.clone());
        s
    };
    let set = |sections: &mut Table, id: &str, c: usize, v: &str| {
        for r in sections.1.iter_mut().filter(|r| r[sec] == id) {
            r[c] = v.to_string();
        }
    };
    let mut untimed: Vec<String> = Vec::new();
    for _ in 0..k {
        // S01: no staff; S02: a half share; S03: a room of one seat;
        // S06: no minutes.
        let (s01, _, _) = pick(&mut used);
        staffing.1.retain(|s| s[ssec] != s01);
        f.flaw("DQ-S01", format!("section {s01}"));
        let (s02, _, _) = pick(&mut used);
        for s in staffing.1.iter_mut().filter(|s| s[ssec] == s02) {
            s[share] = "0.5000".into();
        }
        f.flaw("DQ-S02", format!("section {s02}"));
        let (s03, _, _) = pick(&mut used);
        set(&mut sections, &s03, room, "1");
        f.flaw("DQ-S03", format!("section {s03}"));
        let (s06, _, _) = pick(&mut used);
        set(&mut sections, &s06, minutes, "");
        f.flaw("DQ-S06", format!("section {s06}"));
        untimed.push(s06);
    }
    // students in a section without minutes (their week is DQ-S06's, not
    // DQ-S07's)
    let unknown_week: BTreeSet<String> = rosters
        .1
        .iter()
        .filter(|r| untimed.contains(&r[rsec]))
        .map(|r| r[rst].clone())
        .collect();
    let (rstart, rend) = (col(&rosters.0, "StartDate"), col(&rosters.0, "EndDate"));
    let mut double_booked: BTreeSet<String> = BTreeSet::new();
    for i in 0..k {
        // S04 and S07: a student of section A put into section B of the
        // same school and period (another teacher, another room) as well:
        // double-booked, and a week one section longer than the school's.
        let (a, school, teacher) = pick(&mut used);
        let in_a: BTreeSet<&String> = rosters
            .1
            .iter()
            .filter(|r| r[rsec] == a)
            .map(|r| &r[rst])
            .collect();
        let b = single
            .iter()
            .find(|s| {
                s.1 == school
                    && s.2 != teacher
                    && !used.contains(&s.0)
                    && size(&s.0, &rosters) < 30
                    && !rosters
                        .1
                        .iter()
                        .any(|r| r[rsec] == s.0 && in_a.contains(&r[rst]))
            })
            .expect("a second section")
            .clone();
        used.insert(b.0.clone());
        let label = format!("F{i}");
        set(&mut sections, &a, period, &label);
        set(&mut sections, &b.0, period, &label);
        // (a student on the roster all year from before October 1, and
        // not moved already, so the census-day week shows it)
        let mut moved = rosters
            .1
            .iter()
            .find(|r| {
                r[rsec] == a
                    && !unknown_week.contains(&r[rst])
                    && !double_booked.contains(&r[rst])
                    && r[rend].is_empty()
                    && iso(&r[rstart]) <= format!("{}-10-01", f.year - 1)
            })
            .expect("a student")
            .clone();
        let student = moved[rst].clone();
        double_booked.insert(student.clone());
        moved[rsec] = b.0.clone();
        rosters.1.push(moved);
        let (lo, hi) = if a < b.0 { (&a, &b.0) } else { (&b.0, &a) };
        f.flaw(
            "DQ-S04",
            format!("student {student} in sections {lo} and {hi}"),
        );
        f.flaw("DQ-S07", format!("student {student} at {school}"));
    }
    // S05: a teacher's two sections in one period, in different rooms.
    // S09: a teacher's two sections in one period and room, small enough
    // together to be one co-taught class.
    let by_teacher = |t: &str| -> Vec<String> {
        staffing
            .1
            .iter()
            .filter(|s| s[semp] == t)
            .map(|s| s[ssec].clone())
            .collect()
    };
    let teachers: Vec<String> = single
        .iter()
        .map(|s| s.2.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let k = f.n(teachers.len());
    let (mut done, mut s09) = (0, 0);
    for t in &teachers {
        if done == k && s09 == k {
            break;
        }
        let mine: Vec<String> = by_teacher(t)
            .into_iter()
            .filter(|s| single.iter().any(|x| &x.0 == s) && !used.contains(s))
            .collect();
        if mine.len() < 2 {
            continue;
        }
        if done < k {
            let label = format!("T{done}");
            set(&mut sections, &mine[0], period, &label);
            set(&mut sections, &mine[1], period, &label);
            set(&mut sections, &mine[1], room_id, &format!("RM-FLAW{done}"));
            f.flaw("DQ-S05", format!("staff {t} period {label}"));
            done += 1;
        } else {
            let (a, b) = (&mine[0], &mine[1]);
            if size(a, &rosters) + size(b, &rosters) > 40 {
                continue;
            }
            let label = format!("C{s09}");
            set(&mut sections, a, period, &label);
            set(&mut sections, b, period, &label);
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            f.flaw("DQ-S09", format!("sections {lo} and {hi}"));
            s09 += 1;
        }
        used.extend(mine);
    }
    assert_eq!((done, s09), (k, k), "teachers for DQ-S05 and DQ-S09");
    write(&f.file("section_staff"), &staffing)?;

    // S08: students put into a section at a school not theirs.
    let mut enrollment = read(&f.file("enrollment"))?;
    let (est, esch) = (
        col(&enrollment.0, "StudentID"),
        col(&enrollment.0, "SchoolCode"),
    );
    let fresh: Vec<&(String, String, String)> =
        single.iter().filter(|s| !used.contains(&s.0)).collect();
    let n08 = f.n(enrollment.1.len());
    for i in 0..n08 {
        let target = fresh[i % fresh.len()];
        let student = enrollment
            .1
            .iter()
            .filter(|r| r[esch] != target.1)
            .nth(i)
            .expect("a student elsewhere")[est]
            .clone();
        let mut wrong = rosters.1[0].clone();
        wrong[rsec] = target.0.clone();
        wrong[rst] = student.clone();
        rosters.1.push(wrong);
        f.flaw(
            "DQ-S08",
            format!("student {student} in section {}", target.0),
        );
    }
    write(&f.file("rosters"), &rosters)?;
    write(&f.file("sections"), &sections)?;

    // T01: students enrolled all year also enrolled at a second school from
    // November 1 (after the count date, so the schools' October 1 counts,
    // DQ-T02's, stay as they were), from the end of the file (S08 took from
    // the start).
    let schools: Vec<String> = enrollment
        .1
        .iter()
        .map(|r| r[esch].clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let n01 = f.n(enrollment.1.len());
    let exit = col(&enrollment.0, "ExitDate");
    let entry = col(&enrollment.0, "EntryDate");
    let twice: Vec<Vec<String>> = enrollment
        .1
        .iter()
        .rev()
        .filter(|r| r[exit].is_empty())
        .take(n01)
        .cloned()
        .collect();
    for mut row in twice {
        row[entry] = format!("11/01/{}", f.year - 1);
        let other = schools
            .iter()
            .find(|c| **c != row[esch])
            .expect("another school")
            .clone();
        f.flaw("DQ-T01", format!("student {}", row[est]));
        row[esch] = other;
        enrollment.1.push(row);
    }
    write(&f.file("enrollment"), &enrollment)
}

/// Student and published-count flaws (T02-T04).
fn students(f: &mut Injector) -> Result<()> {
    // T02: the state's published count of some schools a tenth too high.
    let mut published = read(&f.file("state_schools"))?;
    let (pschool, pcount) = (
        col(&published.0, "SchoolCode"),
        col(&published.0, "Oct1Enrollment"),
    );
    let k = f.n(published.1.len());
    for row in published.1.iter_mut().take(k) {
        let count: u64 = row[pcount].parse().unwrap_or(0);
        row[pcount] = (count + count / 10 + 1).to_string();
        f.flaw("DQ-T02", format!("school {}", row[pschool]));
    }
    write(&f.file("state_schools"), &published)?;
    // T03: service minutes for students without an IEP flag.
    let mut students = read(&f.file("students"))?;
    let (sid, iep, mins) = (
        col(&students.0, "StudentID"),
        col(&students.0, "IEP"),
        col(&students.0, "SpedMinutes"),
    );
    let k = f.n(students.1.len());
    for r in students.1.iter_mut().filter(|r| r[iep] == "N").take(k) {
        r[mins] = "60".into();
        f.flaw("DQ-T03", format!("student {}", r[sid]));
    }
    write(&f.file("students"), &students)?;
    // T04: test results for nobody.
    let mut tests = read(&f.file("assessments"))?;
    let subject = tests.1[0][col(&tests.0, "Subject")].to_lowercase();
    for i in 0..k {
        let mut nobody = tests.1[0].clone();
        nobody[col(&tests.0, "StudentID")] = format!("SFLAWNOBODY{i}");
        tests.1.push(nobody);
        f.flaw("DQ-T04", format!("student SFLAWNOBODY{i} {subject}"));
    }
    write(&f.file("assessments"), &tests)
}

/// Refuses a flaw rate outside (0, 0.05].
pub fn check_rate(rate: Option<f64>) -> Result<()> {
    match rate {
        Some(r) if !(r > 0.0 && r <= 0.05) => Err(Error::Usage(format!(
            "--flaw-rate {r}: give a share above 0 and at most 0.05 (beyond it flaws \
             overlap: two in one student's schedule, outliers hiding each other)"
        ))),
        _ => Ok(()),
    }
}

/// Injects the flaws into every district-year of the demo files in `out`
/// (one per rule, or `rate` of what each rule checks) and writes
/// `flaws.csv`.
pub fn inject(out: &Path, rate: Option<f64>) -> Result<Vec<Flaw>> {
    check_rate(rate)?;
    let mut all = Vec::new();
    for plan in super::DEMO_DISTRICTS.iter() {
        for (i, year) in super::DEMO_YEARS.iter().enumerate() {
            all.extend(district_year(out, &plan.id, *year, i == 0, rate)?);
        }
    }
    all.sort();
    let manifest = out.join("flaws.csv");
    let mut w = csv::Writer::from_path(&manifest)
        .map_err(|e| Error::Internal(format!("{}: {e}", manifest.display())))?;
    let fail = |e: csv::Error| Error::Internal(format!("flaws.csv: {e}"));
    w.write_record(["rule_id", "district_id", "school_year", "entity_key"])
        .map_err(fail)?;
    for f in &all {
        w.write_record([
            f.rule_id,
            f.district.as_str(),
            &f.year.to_string(),
            f.key.as_str(),
        ])
        .map_err(fail)?;
    }
    w.flush().map_err(|e| Error::io(&manifest, e))?;
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_gives_a_share_of_the_pool_and_at_least_one() {
        assert_eq!(count(None, 500), 1);
        assert_eq!(count(Some(0.02), 500), 10);
        assert_eq!(count(Some(0.02), 10), 1);
        assert_eq!(count(Some(0.05), 0), 1);
    }

    #[test]
    fn money_text_round_trips_through_cents() {
        assert_eq!(cents("1,234.50"), 123_450);
        assert_eq!(cents("(12.5)"), -1_250);
        assert_eq!(cents("$7"), 700);
        assert_eq!(decimal(-1_250), "-12.50");
        assert_eq!(decimal(5), "0.05");
    }
}
