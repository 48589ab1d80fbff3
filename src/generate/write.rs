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
    let schools = plan.schools;

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
                    s.code.into(),
                    s.name.into(),
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
                    schools[e.school].code.into(),
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
                    ledger_money(s.salary * 100, true),
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
        ],
        y.sections
            .iter()
            .map(|s| {
                vec![
                    s.id.clone(),
                    schools[s.school].code.into(),
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
    Ok(out.files)
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
    use super::ledger_money;

    #[test]
    fn writes_money_as_ledgers_do() {
        assert_eq!(ledger_money(327_625, false), "3,276.25");
        assert_eq!(ledger_money(-125_050, false), "(1,250.50)");
        assert_eq!(ledger_money(5, true), "$0.05");
        assert_eq!(ledger_money(12_345_678_900, true), "$123,456,789.00");
    }
}
