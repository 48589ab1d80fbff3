//! Seeded data flaws for the data-quality rules: `resmap generate --flaws`
//! changes the generated export files so that each rule of
//! data/reference/dq_rule.csv has exactly one new finding per district-year,
//! and writes `flaws.csv`, the findings `resmap check` must add (rule,
//! district, year and the finding's key), so tests can prove each rule finds
//! exactly what was injected.

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

/// MM/DD/YYYY as YYYY-MM-DD.
fn iso(date: &str) -> String {
    let p: Vec<&str> = date.split('/').collect();
    format!("{}-{:0>2}-{:0>2}", p[2], p[0], p[1])
}

/// Injects one flaw per rule into the files of `district` `year` in `out`.
fn district_year(out: &Path, district: &str, year: i32) -> Result<Vec<Flaw>> {
    let file = |t: &str| out.join(format!("{district}_{year}_{t}.csv"));
    let mut flaws = Vec::new();
    let mut flaw = |rule_id: &'static str, key: String| {
        flaws.push(Flaw {
            rule_id,
            district: district.to_string(),
            year,
            key,
        });
    };

    // Ledger: a line in a fund no crosswalk knows (F01), a purchase twice
    // (F04), one school's teacher payroll line booked twice over (P01), and
    // supplies for a school with no students (A04).
    let mut gl = read(&file("gl"))?;
    let (acc, date, amount, kind, journal) = (
        col(&gl.0, "Account"),
        col(&gl.0, "PostingDate"),
        col(&gl.0, "Amount"),
        col(&gl.0, "EntryType"),
        col(&gl.0, "Journal"),
    );
    let purchase =
        gl.1.iter()
            .find(|r| {
                r[kind] == "ACT"
                    && r[journal].starts_with("AP")
                    && !r[acc].starts_with("30")
                    && !r[acc].starts_with("40")
            })
            .cloned()
            .expect("a purchase");
    flaw(
        "DQ-F04",
        format!(
            "{} {} {}",
            purchase[acc],
            money_text(&purchase[amount]),
            iso(&purchase[date])
        ),
    );
    gl.1.push(purchase.clone());
    let salary =
        gl.1.iter_mut()
            .find(|r| r[kind] == "ACT" && r[acc].starts_with("10-1000-101-100-"))
            .expect("a teacher salary line");
    let location = salary[acc]
        .rsplit('-')
        .next()
        .unwrap_or_default()
        .to_string();
    let doubled: f64 = money_text(&salary[amount]).parse::<f64>().unwrap_or(0.0) * 2.0;
    salary[amount] = format!("{doubled:.2}");
    flaw("DQ-P01", format!("fund 1 function 1000 at {location}"));
    let mut unmapped = purchase.clone();
    unmapped[acc] = "99-2710-510-000-000".into();
    unmapped[journal] = "APFLAW1".into();
    gl.1.push(unmapped);
    flaw("DQ-F01", "fund 99 (chart nces)".into());
    let mut closed = purchase.clone();
    closed[acc] = "10-1000-610-000-999".into();
    closed[journal] = "APFLAW2".into();
    gl.1.push(closed);
    flaw("DQ-A04", "school 999".into());
    write(&file("gl"), &gl)?;
    let mut schools = read(&file("schools"))?;
    let mut school = schools.1[0].clone();
    school[0] = "999".into();
    school[1] = "Closed Annex".into();
    schools.1.push(school);
    write(&file("schools"), &schools)?;

    // HR and payroll: a teacher with a second half-time assignment (P03),
    // a teacher with employer benefits equal to pay (P02), pay for someone
    // with no assignment (P04), impossible experience (P06).
    let mut assignments = read(&file("assignments"))?;
    let (emp, class, fte, position) = (
        col(&assignments.0, "EmployeeID"),
        col(&assignments.0, "JobClass"),
        col(&assignments.0, "FTE"),
        col(&assignments.0, "PositionNo"),
    );
    let teachers: Vec<Vec<String>> = assignments
        .1
        .iter()
        .filter(|r| r[class] == "TEACHER" && r[fte] == "1.000")
        .cloned()
        .collect();
    let mut extra = teachers[0].clone();
    extra[position] = "PFLAW1".into();
    extra[fte] = "0.500".into();
    assignments.1.push(extra);
    flaw("DQ-P03", format!("staff {}", teachers[0][emp]));
    write(&file("assignments"), &assignments)?;

    let mut payroll = read(&file("payroll"))?;
    let (pemp, pacc, gross, benefits) = (
        col(&payroll.0, "EmployeeID"),
        col(&payroll.0, "Account"),
        col(&payroll.0, "Gross"),
        col(&payroll.0, "EmployerBenefits"),
    );
    let generous = &teachers[1][emp];
    for r in payroll.1.iter_mut().filter(|r| &r[pemp] == generous) {
        r[benefits] = r[gross].clone();
    }
    flaw("DQ-P02", format!("staff {generous}"));
    let template = payroll.1[0].clone();
    let mut ghost = template.clone();
    ghost[pemp] = "EFLAWPAID".into();
    ghost[pacc] = template[pacc].clone();
    ghost[gross] = "100.00".into();
    ghost[benefits] = "0.00".into();
    payroll.1.push(ghost);
    flaw("DQ-P04", "staff EFLAWPAID".into());
    write(&file("payroll"), &payroll)?;

    let mut staff = read(&file("staff"))?;
    let (semp, years) = (
        col(&staff.0, "EmployeeID"),
        col(&staff.0, "YearsExperience"),
    );
    let veteran = &teachers[2][emp];
    for r in staff.1.iter_mut().filter(|r| &r[semp] == veteran) {
        r[years] = "70".into();
    }
    flaw("DQ-P06", format!("staff {veteran}"));
    write(&file("staff"), &staff)?;

    // Schedule: a section without staff (S01), a half share (S02), a room of
    // one seat (S03), no minutes (S06); a student in a section at a school
    // not theirs (S08).
    let mut sections = read(&file("sections"))?;
    let (sec, sschool, minutes, room) = (
        col(&sections.0, "SectionID"),
        col(&sections.0, "SchoolCode"),
        col(&sections.0, "MinutesPerWeek"),
        col(&sections.0, "RoomCapacity"),
    );
    let mut staffing = read(&file("section_staff"))?;
    let (ssec, share) = (col(&staffing.0, "SectionID"), col(&staffing.0, "Share"));
    let single: Vec<String> = sections
        .1
        .iter()
        .map(|r| r[sec].clone())
        .filter(|id| {
            let on: Vec<&Vec<String>> =
                staffing.1.iter().filter(|s| &s[ssec] == id).collect();
            on.len() == 1 && on[0][share] == "1.0000"
        })
        .take(4)
        .collect();
    staffing.1.retain(|s| s[ssec] != single[0]);
    flaw("DQ-S01", format!("section {}", single[0]));
    for s in staffing.1.iter_mut().filter(|s| s[ssec] == single[1]) {
        s[share] = "0.5000".into();
    }
    flaw("DQ-S02", format!("section {}", single[1]));
    write(&file("section_staff"), &staffing)?;
    for r in sections.1.iter_mut() {
        if r[sec] == single[2] {
            r[room] = "1".into();
        }
        if r[sec] == single[3] {
            r[minutes] = String::new();
        }
    }
    flaw("DQ-S03", format!("section {}", single[2]));
    flaw("DQ-S06", format!("section {}", single[3]));
    let school_of = |id: &str| {
        sections
            .1
            .iter()
            .find(|r| r[sec] == id)
            .map(|r| r[sschool].clone())
            .unwrap_or_default()
    };
    let first_school = school_of(&single[0]);
    let elsewhere = sections
        .1
        .iter()
        .find(|r| r[sschool] != first_school)
        .map(|r| r[sec].clone())
        .expect("a section at another school");
    write(&file("sections"), &sections)?;

    // Students: one enrolled at two schools at once (T01), one in a section at
    // a school not theirs (S08), a test result for nobody (T04).
    let mut enrollment = read(&file("enrollment"))?;
    let (est, esch) = (
        col(&enrollment.0, "StudentID"),
        col(&enrollment.0, "SchoolCode"),
    );
    let at_first: Vec<Vec<String>> = enrollment
        .1
        .iter()
        .filter(|r| r[esch] == first_school)
        .take(2)
        .cloned()
        .collect();
    let other_school = school_of(&elsewhere);
    let mut twice = at_first[0].clone();
    twice[esch] = other_school.clone();
    enrollment.1.push(twice);
    flaw("DQ-T01", format!("student {}", at_first[0][est]));
    write(&file("enrollment"), &enrollment)?;
    let mut rosters = read(&file("rosters"))?;
    let mut wrong = rosters.1[0].clone();
    wrong[col(&rosters.0, "SectionID")] = elsewhere.clone();
    wrong[col(&rosters.0, "StudentID")] = at_first[1][est].clone();
    rosters.1.push(wrong);
    flaw(
        "DQ-S08",
        format!("student {} in section {elsewhere}", at_first[1][est]),
    );
    write(&file("rosters"), &rosters)?;
    // The state's published count of one school, a tenth too high (T02).
    let mut published = read(&file("state_schools"))?;
    let (pschool, pcount) = (
        col(&published.0, "SchoolCode"),
        col(&published.0, "Oct1Enrollment"),
    );
    let row = &mut published.1[0];
    let count: u64 = row[pcount].parse().unwrap_or(0);
    row[pcount] = (count + count / 10 + 1).to_string();
    flaw("DQ-T02", format!("school {}", row[pschool]));
    write(&file("state_schools"), &published)?;
    // Service minutes for a student without an IEP flag (T03).
    let mut students = read(&file("students"))?;
    let (sid, iep, mins) = (
        col(&students.0, "StudentID"),
        col(&students.0, "IEP"),
        col(&students.0, "SpedMinutes"),
    );
    let unflagged = students
        .1
        .iter_mut()
        .find(|r| r[iep] == "N")
        .expect("a student");
    unflagged[mins] = "60".into();
    flaw("DQ-T03", format!("student {}", unflagged[sid]));
    write(&file("students"), &students)?;
    let mut tests = read(&file("assessments"))?;
    let mut nobody = tests.1[0].clone();
    nobody[col(&tests.0, "StudentID")] = "SFLAWNOBODY".into();
    let subject = nobody[col(&tests.0, "Subject")].to_lowercase();
    tests.1.push(nobody);
    flaw("DQ-T04", format!("student SFLAWNOBODY {subject}"));
    write(&file("assessments"), &tests)?;
    Ok(flaws)
}

/// Injects the flaws into every district-year of the demo files in `out` and
/// writes `flaws.csv`.
pub fn inject(out: &Path) -> Result<Vec<Flaw>> {
    let mut all = Vec::new();
    for plan in super::DEMO_DISTRICTS.iter() {
        for year in super::DEMO_YEARS {
            all.extend(district_year(out, plan.id, year)?);
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
