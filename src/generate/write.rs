//! Writing a simulated year as the export files a district's systems produce.

use std::path::Path;

use chrono::NaiveDate;

use super::ExportFile;
use super::model::{DistrictPlan, YearData, grade_label};
use crate::error::{Error, Result};

fn us_date(d: NaiveDate) -> String {
    d.format("%m/%d/%Y").to_string()
}

/// Cents as a ledger prints them: `1,234.50`, negatives in parentheses.
pub fn ledger_money(cents: i64, dollar_sign: bool) -> String {
    let abs = cents.unsigned_abs();
    let dollars = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in dollars.chars().enumerate() {
        if i > 0 && (dollars.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if dollar_sign { "$" } else { "" };
    let body = format!("{sign}{grouped}.{:02}", abs % 100);
    if cents < 0 { format!("({body})") } else { body }
}

fn yes_no(b: bool) -> &'static str {
    if b { "Y" } else { "N" }
}

struct Out<'a> {
    dir: &'a Path,
    plan: &'a DistrictPlan,
    year: i32,
    files: Vec<ExportFile>,
}

impl Out<'_> {
    fn write(
        &mut self,
        table: &str,
        mapping: &'static str,
        header: &[&str],
        rows: Vec<Vec<String>>,
    ) -> Result<()> {
        let path = self
            .dir
            .join(format!("{}_{}_{table}.csv", self.plan.id, self.year));
        let mut w =
            csv::Writer::from_path(&path).map_err(|e| Error::io(&path, e.into()))?;
        let io = |e: csv::Error| Error::io(&path, e.into());
        w.write_record(header).map_err(io)?;
        for r in rows {
            w.write_record(&r).map_err(io)?;
        }
        w.flush().map_err(|e| Error::io(&path, e))?;
        self.files.push(ExportFile {
            path,
            district: self.plan.id.to_string(),
            year: self.year,
            mapping,
        });
        Ok(())
    }
}

/// Writes one year's files and lists them in ingest order.
pub fn year(dir: &Path, plan: &DistrictPlan, y: &YearData) -> Result<Vec<ExportFile>> {
    let mut out = Out {
        dir,
        plan,
        year: y.year,
        files: Vec::new(),
    };
    let schools = &plan.schools[..];

    out.write(
        "schools",
        "demo_schools",
        &[
            "SchoolCode",
            "SchoolName",
            "Level",
            "LowGrade",
            "HighGrade",
            "TitleI",
            "SqFt",
        ],
        schools
            .iter()
            .map(|s| {
                vec![
                    s.code.to_string(),
                    s.name.to_string(),
                    s.level.name().into(),
                    grade_label(s.lo),
                    grade_label(s.hi),
                    yes_no(s.title_i).into(),
                    s.square_feet.to_string(),
                ]
            })
            .collect(),
    )?;

    let mut seen = std::collections::BTreeSet::new();
    let mut students = Vec::new();
    for e in &y.enrollments {
        if !seen.insert(e.student) {
            continue;
        }
        let s = &y.students[e.student];
        students.push(vec![
            s.id.clone(),
            s.birth_year.to_string(),
            s.sex.into(),
            s.race.into(),
            yes_no(s.econ).into(),
            yes_no(s.el).into(),
            yes_no(s.swd).into(),
            s.sped_setting.unwrap_or_default().into(),
            s.sped_minutes.map(|m| m.to_string()).unwrap_or_default(),
            yes_no(s.gifted).into(),
        ]);
    }
    out.write(
        "students",
        "demo_students",
        &[
            "StudentID",
            "BirthYear",
            "Gender",
            "Race",
            "FRL",
            "ELL",
            "IEP",
            "SpedSetting",
            "SpedMinutes",
            "Gifted",
        ],
        students,
    )?;

    out.write(
        "enrollment",
        "demo_enrollment",
        &["StudentID", "SchoolCode", "Grade", "EntryDate", "ExitDate"],
        y.enrollments
            .iter()
            .map(|e| {
                vec![
                    y.students[e.student].id.clone(),
                    schools[e.school].code.to_string(),
                    grade_label(e.grade),
                    us_date(e.entry),
                    e.exit.map(us_date).unwrap_or_default(),
                ]
            })
            .collect(),
    )?;

    out.write(
        "staff",
        "demo_staff",
        &[
            "EmployeeID",
            "BirthYear",
            "HireDate",
            "YearsExperience",
            "Degree",
        ],
        y.staff
            .iter()
            .map(|s| {
                vec![
                    s.id.clone(),
                    s.birth_year.to_string(),
                    us_date(s.hire_date),
                    s.years.to_string(),
                    s.degree.into(),
                ]
            })
            .collect(),
    )?;

    out.write(
        "assignments",
        "demo_assignments",
        &[
            "EmployeeID",
            "PositionNo",
            "SchoolCode",
            "Department",
            "JobClass",
            "Subject",
            "FTE",
            "StartDate",
            "EndDate",
            "AnnualSalary",
        ],
        y.staff
            .iter()
            .map(|s| {
                vec![
                    s.id.clone(),
                    s.position.clone(),
                    s.school
                        .map(|i| schools[i].code.to_string())
                        .unwrap_or_default(),
                    s.department.unwrap_or_default().into(),
                    s.role.job_class().into(),
                    s.subject.unwrap_or_default().into(),
                    format!("{}.{:03}", s.fte_milli / 1000, s.fte_milli % 1000),
                    us_date(y.first_day),
                    String::new(),
                    // the assignment's salary: the scale's rate at its FTE
                    ledger_money((s.salary * 100 * s.fte_milli + 500) / 1000, true),
                ]
            })
            .collect(),
    )?;

    out.write(
        "sections",
        "demo_sections",
        &[
            "SectionID",
            "SchoolCode",
            "Term",
            "CourseCode",
            "CourseTitle",
            "Subject",
            "LowGrade",
            "HighGrade",
            "Program",
            "MinutesPerWeek",
            "TermStart",
            "TermEnd",
            "RoomCapacity",
            "Period",
            "Room",
        ],
        y.sections
            .iter()
            .map(|s| {
                vec![
                    s.id.clone(),
                    schools[s.school].code.to_string(),
                    "YR".into(),
                    s.course.clone(),
                    s.title.clone(),
                    s.subject.into(),
                    grade_label(s.grade_lo),
                    grade_label(s.grade_hi),
                    s.program.into(),
                    s.minutes.to_string(),
                    us_date(y.first_day),
                    us_date(y.last_day),
                    s.capacity.to_string(),
                    // TODO: the generator builds no timetable (it forms
                    // sections per subject, not per period), so periods are
                    // blank and the meeting-time rules (DQ-S04, S05 overlaps,
                    // S09) have nothing to check in clean demo data; a
                    // timetabler placing students by period would fill it.
                    String::new(),
                    // each teacher teaches in a room of their own
                    format!("RM-{}", y.staff[s.teacher].position),
                ]
            })
            .collect(),
    )?;

    let mut links = Vec::new();
    for s in &y.sections {
        let lead_share = s.co_teacher.map_or(10_000, |(_, share)| 10_000 - share);
        links.push(vec![
            s.id.clone(),
            y.staff[s.teacher].id.clone(),
            "TOR".into(),
            share(lead_share),
        ]);
        if let Some((t, sh)) = s.co_teacher {
            links.push(vec![
                s.id.clone(),
                y.staff[t].id.clone(),
                "CO".into(),
                share(sh),
            ]);
        }
    }
    out.write(
        "section_staff",
        "demo_section_staff",
        &["SectionID", "EmployeeID", "Role", "Share"],
        links,
    )?;

    let mut roster = Vec::new();
    for s in &y.sections {
        for &e in &s.students {
            let en = &y.enrollments[e];
            roster.push(vec![
                s.id.clone(),
                y.students[en.student].id.clone(),
                us_date(en.entry.max(y.first_day)),
                en.exit.map(us_date).unwrap_or_default(),
            ]);
        }
    }
    out.write(
        "rosters",
        "demo_rosters",
        &["SectionID", "StudentID", "StartDate", "EndDate"],
        roster,
    )?;

    out.write(
        "assessments",
        "demo_assessments",
        &[
            "StudentID",
            "TestName",
            "Subject",
            "Grade",
            "TestDate",
            "ScaleScore",
            "PerfLevel",
        ],
        y.scores
            .iter()
            .map(|t| {
                vec![
                    y.students[t.student].id.clone(),
                    "State Assessment".into(),
                    t.subject.into(),
                    grade_label(t.grade),
                    us_date(t.date),
                    t.score.to_string(),
                    t.level.to_string(),
                ]
            })
            .collect(),
    )?;

    out.write(
        "payroll",
        "demo_payroll",
        &[
            "EmployeeID",
            "CheckDate",
            "Account",
            "EarnType",
            "Gross",
            "EmployerBenefits",
        ],
        y.pays
            .iter()
            .map(|p| {
                vec![
                    y.staff[p.staff].id.clone(),
                    us_date(p.date),
                    p.account.clone(),
                    p.earn_type.into(),
                    ledger_money(p.gross, false),
                    ledger_money(p.benefits, false),
                ]
            })
            .collect(),
    )?;

    // The chart of accounts: every account string the year's ledger and
    // payroll use, as a finance system lists its valid accounts.
    let accounts: std::collections::BTreeSet<&str> = y
        .postings
        .iter()
        .map(|p| p.account.as_str())
        .chain(y.pays.iter().map(|p| p.account.as_str()))
        .collect();
    out.write(
        "accounts",
        "demo_accounts",
        &["Account", "Description"],
        accounts
            .into_iter()
            .map(|a| {
                let p: Vec<&str> = a.split('-').collect();
                let name = match p.as_slice() {
                    [fund, function, object, program, location] => format!(
                        "fund {fund} function {function} object {object} \
                         program {program} location {location}"
                    ),
                    _ => a.to_string(),
                };
                vec![a.to_string(), name]
            })
            .collect(),
    )?;

    out.write(
        "gl",
        "demo_gl",
        &[
            "Account",
            "PostingDate",
            "Amount",
            "EntryType",
            "Journal",
            "Description",
            "Vendor",
        ],
        y.postings
            .iter()
            .map(|p| {
                vec![
                    p.account.clone(),
                    us_date(p.date),
                    ledger_money(p.cents, false),
                    p.entry_type.into(),
                    p.journal.clone(),
                    p.description.clone(),
                    p.vendor.clone(),
                ]
            })
            .collect(),
    )?;
    state_report(&mut out, y)?;
    Ok(out.files)
}

/// The state's report on the district: what a state education agency would
/// publish from the district's submissions. Computed here from the simulated
/// records by the state's own rules, so the warehouse's views, which compute
/// the same figures from the district's exports, can be checked against it.
///
/// - enrollment: students enrolled on October 1;
/// - teachers: FTE of teaching positions;
/// - average class size: students per section on October 1, over sections
///   with students, rounded half up to 0.1;
/// - current expenditure: ledger postings outside facilities (function 4000s),
///   debt service (5000s), enterprise and community services (3200, 3300) and
///   property, debt, tuition and transfer objects (700s, 830s, 560s, 900s);
///   per pupil rounded half up to the dollar.
fn state_report(out: &mut Out<'_>, y: &YearData) -> Result<()> {
    let schools = &out.plan.schools[..];
    let oct1 = NaiveDate::from_ymd_opt(y.year - 1, 10, 1)
        .ok_or_else(|| Error::Internal("October 1".into()))?;
    let enrolled = |e: &super::model::Enrollment| {
        e.entry <= oct1 && e.exit.is_none_or(|x| x >= oct1)
    };
    let mut district_students = 0i64;
    let mut district_fte_milli = 0i64;
    let mut rows = Vec::new();
    for (si, sc) in schools.iter().enumerate() {
        let students = y
            .enrollments
            .iter()
            .filter(|e| e.school == si && enrolled(e))
            .count() as i64;
        let fte_milli: i64 = y
            .staff
            .iter()
            .filter(|st| st.school == Some(si) && st.role.teaches())
            .map(|st| st.fte_milli)
            .sum();
        let sizes: Vec<i64> = y
            .sections
            .iter()
            .filter(|sec| sec.school == si)
            .map(|sec| {
                sec.students
                    .iter()
                    .filter(|e| enrolled(&y.enrollments[**e]))
                    .count() as i64
            })
            .filter(|n| *n > 0)
            .collect();
        let seats: i64 = sizes.iter().sum();
        district_students += students;
        district_fte_milli += fte_milli;
        rows.push(vec![
            sc.code.to_string(),
            sc.name.to_string(),
            students.to_string(),
            thousandths(fte_milli),
            tenths_half_up(students * 1000, fte_milli),
            tenths_half_up(seats, sizes.len() as i64),
        ]);
    }
    out.write(
        "state_schools",
        "demo_state_schools",
        &[
            "SchoolCode",
            "SchoolName",
            "Oct1Enrollment",
            "TeacherFTE",
            "StudentsPerTeacher",
            "AvgClassSize",
        ],
        rows,
    )?;
    let current: i64 = y
        .postings
        .iter()
        .filter(|p| p.entry_type == "ACT" && is_current(&p.account))
        .map(|p| p.cents)
        .sum();
    let per_pupil = (current + 50 * district_students) / (100 * district_students);
    out.write(
        "state_district",
        "demo_state_district",
        &[
            "DistrictID",
            "DistrictName",
            "Oct1Enrollment",
            "TeacherFTE",
            "PupilTeacherRatio",
            "CurrentExpenditure",
            "PerPupilCurrent",
        ],
        vec![vec![
            out.plan.id.to_string(),
            out.plan.name.to_string(),
            district_students.to_string(),
            thousandths(district_fte_milli),
            tenths_half_up(district_students * 1000, district_fte_milli),
            ledger_money(current, false),
            per_pupil.to_string(),
        ]],
    )
}

/// The state's rule for current expenditure, on a fund-function-object-program-location account.
fn is_current(account: &str) -> bool {
    let parts: Vec<&str> = account.split('-').collect();
    let (function, object) = (
        parts.get(1).copied().unwrap_or(""),
        parts.get(2).copied().unwrap_or(""),
    );
    !(function.starts_with('4')
        || function.starts_with('5')
        || function == "3200"
        || function == "3300"
        || object.starts_with('7')
        || object.starts_with('9')
        || object.starts_with("83")
        || object.starts_with("56"))
}

fn thousandths(milli: i64) -> String {
    format!("{}.{:03}", milli / 1000, milli % 1000)
}

/// num / den to one decimal, rounded half up (both positive).
fn tenths_half_up(num: i64, den: i64) -> String {
    if den == 0 {
        return String::new();
    }
    let t = (num * 20 + den) / (2 * den);
    format!("{}.{}", t / 10, t % 10)
}

fn share(ten_thousandths: i32) -> String {
    format!(
        "{}.{:04}",
        ten_thousandths / 10_000,
        ten_thousandths % 10_000
    )
}

#[cfg(test)]
mod tests {
    use super::{ledger_money, tenths_half_up};

    #[test]
    fn rounds_tenths_half_up() {
        // 89 / 4 = 22.25 -> 22.3; 2 / 3 = 0.666 -> 0.7; 171.6 / 17.6 = 9.75 -> 9.8
        assert_eq!(tenths_half_up(89, 4), "22.3");
        assert_eq!(tenths_half_up(2, 3), "0.7");
        assert_eq!(tenths_half_up(1716, 176), "9.8");
        assert_eq!(tenths_half_up(1, 0), "");
    }

    #[test]
    fn writes_money_as_ledgers_do() {
        assert_eq!(ledger_money(327_625, false), "3,276.25");
        assert_eq!(ledger_money(-125_050, false), "(1,250.50)");
        assert_eq!(ledger_money(5, true), "$0.05");
        assert_eq!(ledger_money(12_345_678_900, true), "$123,456,789.00");
    }
}
