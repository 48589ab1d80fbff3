//! The simulation: students, staff, the schedule, pay and spending of one
//! district over the demo years, built so that every export agrees with the
//! others (ledger salaries = payroll = assignments; rosters fill sections
//! taught by assigned teachers).

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::Settings;
use super::rng::{Rng, mix};
use crate::error::{Error, Result};

/// Ending school years the demo covers.
pub const DEMO_YEARS: [i32; 2] = [2023, 2024];

/// Grade levels: 0 = kindergarten.
pub type Grade = i32;

/// School levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// K-5
    Elementary,
    /// 6-8
    Middle,
    /// 9-12
    High,
}

impl Level {
    /// The name used in exports.
    pub fn name(self) -> &'static str {
        match self {
            Level::Elementary => "elementary",
            Level::Middle => "middle",
            Level::High => "high",
        }
    }
}

/// The shape of one school.
#[derive(Debug, Clone)]
pub struct SchoolPlan {
    /// local school code
    pub code: Cow<'static, str>,
    /// name
    pub name: Cow<'static, str>,
    /// level
    pub level: Level,
    /// lowest grade
    pub lo: Grade,
    /// highest grade
    pub hi: Grade,
    /// students per grade in the first year
    pub per_grade: u32,
    /// poverty relative to the district's (1.0 = average)
    pub poverty: f64,
    /// building area
    pub square_feet: u32,
    /// receives Title I funds
    pub title_i: bool,
}

/// The shape of one district.
#[derive(Debug, Clone)]
pub struct DistrictPlan {
    /// district id (not an NCES id: these districts do not exist)
    pub id: Cow<'static, str>,
    /// name
    pub name: Cow<'static, str>,
    /// schools
    pub schools: Cow<'static, [SchoolPlan]>,
    /// poverty relative to the statewide share the parameters give
    pub poverty: f64,
}

/// The two demo districts: a larger one with a high- and a low-poverty
/// elementary school, and a smaller, poorer one.
pub static DEMO_DISTRICTS: [DistrictPlan; 2] = [
    DistrictPlan {
        id: Cow::Borrowed("DEMO01"),
        name: Cow::Borrowed("Maple Valley Unified"),
        poverty: 0.85,
        schools: Cow::Borrowed(&[
            SchoolPlan {
                code: Cow::Borrowed("101"),
                name: Cow::Borrowed("Maple Elementary"),
                level: Level::Elementary,
                lo: 0,
                hi: 5,
                per_grade: 70,
                poverty: 0.6,
                square_feet: 58_000,
                title_i: false,
            },
            SchoolPlan {
                code: Cow::Borrowed("102"),
                name: Cow::Borrowed("Oak Street Elementary"),
                level: Level::Elementary,
                lo: 0,
                hi: 5,
                per_grade: 60,
                poverty: 1.5,
                square_feet: 52_000,
                title_i: true,
            },
            SchoolPlan {
                code: Cow::Borrowed("201"),
                name: Cow::Borrowed("Maple Valley Middle"),
                level: Level::Middle,
                lo: 6,
                hi: 8,
                per_grade: 135,
                poverty: 1.0,
                square_feet: 96_000,
                title_i: false,
            },
            SchoolPlan {
                code: Cow::Borrowed("301"),
                name: Cow::Borrowed("Maple Valley High"),
                level: Level::High,
                lo: 9,
                hi: 12,
                per_grade: 150,
                poverty: 0.9,
                square_feet: 185_000,
                title_i: false,
            },
        ]),
    },
    DistrictPlan {
        id: Cow::Borrowed("DEMO02"),
        name: Cow::Borrowed("Cedar Hills School District"),
        poverty: 1.25,
        schools: Cow::Borrowed(&[
            SchoolPlan {
                code: Cow::Borrowed("111"),
                name: Cow::Borrowed("Cedar Hills Elementary"),
                level: Level::Elementary,
                lo: 0,
                hi: 5,
                per_grade: 55,
                poverty: 1.1,
                square_feet: 48_000,
                title_i: true,
            },
            SchoolPlan {
                code: Cow::Borrowed("211"),
                name: Cow::Borrowed("Cedar Hills Middle"),
                level: Level::Middle,
                lo: 6,
                hi: 8,
                per_grade: 90,
                poverty: 1.0,
                square_feet: 70_000,
                title_i: true,
            },
            SchoolPlan {
                code: Cow::Borrowed("311"),
                name: Cow::Borrowed("Cedar Hills High"),
                level: Level::High,
                lo: 9,
                hi: 12,
                per_grade: 95,
                poverty: 0.9,
                square_feet: 120_000,
                title_i: false,
            },
        ]),
    },
];

/// A student over the demo years.
#[derive(Debug, Clone)]
pub struct Student {
    /// pseudonymous id
    pub id: String,
    /// year of birth
    pub birth_year: i32,
    /// F or M
    pub sex: &'static str,
    /// race/ethnicity
    pub race: &'static str,
    /// economically disadvantaged
    pub econ: bool,
    /// English learner
    pub el: bool,
    /// student with a disability
    pub swd: bool,
    /// inclusion, resource or self_contained
    pub sped_setting: Option<&'static str>,
    /// IEP minutes per week
    pub sped_minutes: Option<i32>,
    /// gifted
    pub gifted: bool,
    /// latent achievement, standard normal
    pub ability: f64,
}

/// A student's year: grade, school and dates.
#[derive(Debug, Clone)]
pub struct Enrollment {
    /// index into the students
    pub student: usize,
    /// index into the district's schools
    pub school: usize,
    /// grade
    pub grade: Grade,
    /// first day
    pub entry: NaiveDate,
    /// last day, when the student left before the year ended
    pub exit: Option<NaiveDate>,
}

/// Staff roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// classroom teacher
    Teacher,
    /// special-education teacher
    SpedTeacher,
    /// English-learner teacher
    ElTeacher,
    /// Title I reading interventionist (federally funded)
    Interventionist,
    /// principal
    Principal,
    /// assistant principal
    AssistantPrincipal,
    /// counselor
    Counselor,
    /// nurse
    Nurse,
    /// librarian
    Librarian,
    /// instructional aide
    Aide,
    /// school office
    Clerical,
    /// custodian
    Custodian,
    /// central office
    CentralAdmin,
}

impl Role {
    /// Job class as the HR export writes it.
    pub fn job_class(self) -> &'static str {
        match self {
            Role::Teacher => "TEACHER",
            Role::SpedTeacher => "SPED TEACHER",
            Role::ElTeacher => "ESL TEACHER",
            Role::Interventionist => "INTERVENTIONIST",
            Role::Principal => "PRINCIPAL",
            Role::AssistantPrincipal => "ASST PRINCIPAL",
            Role::Counselor => "COUNSELOR",
            Role::Nurse => "NURSE",
            Role::Librarian => "LIBRARIAN",
            Role::Aide => "INSTR AIDE",
            Role::Clerical => "SECRETARY",
            Role::Custodian => "CUSTODIAN",
            Role::CentralAdmin => "ADMINISTRATOR",
        }
    }

    /// NCES function and salary object charged.
    pub fn account(self) -> (&'static str, &'static str) {
        match self {
            Role::Teacher
            | Role::SpedTeacher
            | Role::ElTeacher
            | Role::Interventionist => ("1000", "101"),
            Role::Aide => ("1000", "102"),
            Role::Principal | Role::AssistantPrincipal | Role::Clerical => {
                ("2410", "110")
            }
            Role::Counselor => ("2120", "110"),
            Role::Nurse => ("2130", "110"),
            Role::Librarian => ("2220", "110"),
            Role::Custodian => ("2610", "110"),
            Role::CentralAdmin => ("2320", "110"),
        }
    }

    /// Whether the role holds a teaching position.
    pub fn teaches(self) -> bool {
        matches!(
            self,
            Role::Teacher | Role::SpedTeacher | Role::ElTeacher | Role::Interventionist
        )
    }
}

/// A staff member's year.
#[derive(Debug, Clone)]
pub struct Staff {
    /// pseudonymous employee id
    pub id: String,
    /// position number
    pub position: String,
    /// year of birth
    pub birth_year: i32,
    /// first day in the district
    pub hire_date: NaiveDate,
    /// years of experience at the start of the year
    pub years: i32,
    /// BA, MA, PHD or none
    pub degree: &'static str,
    /// role
    pub role: Role,
    /// school index; `None` = central office
    pub school: Option<usize>,
    /// central department
    pub department: Option<&'static str>,
    /// teaching subject
    pub subject: Option<&'static str>,
    /// FTE in thousandths
    pub fte_milli: i64,
    /// annual base salary for 1.0 FTE, whole dollars
    pub salary: i64,
    /// fund and program charged
    pub fund: &'static str,
    /// program code
    pub program: &'static str,
}

/// One class section.
#[derive(Debug, Clone)]
pub struct Section {
    /// section id
    pub id: String,
    /// school index
    pub school: usize,
    /// course code
    pub course: String,
    /// course title
    pub title: String,
    /// subject
    pub subject: &'static str,
    /// grades
    pub grade_lo: Grade,
    /// grades
    pub grade_hi: Grade,
    /// program type
    pub program: &'static str,
    /// minutes per week
    pub minutes: i32,
    /// room seats
    pub capacity: i32,
    /// teacher of record (staff index)
    pub teacher: usize,
    /// co-teacher and share in ten-thousandths
    pub co_teacher: Option<(usize, i32)>,
    /// students (enrollment indices)
    pub students: Vec<usize>,
}

/// One ledger posting in cents.
#[derive(Debug, Clone)]
pub struct Posting {
    /// fund-function-object-program-location
    pub account: String,
    /// date
    pub date: NaiveDate,
    /// signed cents
    pub cents: i64,
    /// ACT or BUD
    pub entry_type: &'static str,
    /// journal id
    pub journal: String,
    /// text
    pub description: String,
    /// vendor
    pub vendor: String,
}

/// One pay.
#[derive(Debug, Clone)]
pub struct Pay {
    /// staff index
    pub staff: usize,
    /// pay date
    pub date: NaiveDate,
    /// account charged
    pub account: String,
    /// REG or STIPEND
    pub earn_type: &'static str,
    /// gross, cents
    pub gross: i64,
    /// employer benefits, cents
    pub benefits: i64,
}

/// One test result.
#[derive(Debug, Clone)]
pub struct Score {
    /// student index
    pub student: usize,
    /// ELA or MATH
    pub subject: &'static str,
    /// grade tested
    pub grade: Grade,
    /// date
    pub date: NaiveDate,
    /// scale score
    pub score: i32,
    /// performance level 1-4
    pub level: i32,
}

/// Everything the district's systems hold for one school year.
#[derive(Debug, Clone)]
pub struct YearData {
    /// ending school year
    pub year: i32,
    /// first day of school
    pub first_day: NaiveDate,
    /// last day of school
    pub last_day: NaiveDate,
    /// all students ever seen (indices are stable across years)
    pub students: Vec<Student>,
    /// this year's enrollments
    pub enrollments: Vec<Enrollment>,
    /// this year's staff
    pub staff: Vec<Staff>,
    /// sections
    pub sections: Vec<Section>,
    /// payroll
    pub pays: Vec<Pay>,
    /// ledger
    pub postings: Vec<Posting>,
    /// test results
    pub scores: Vec<Score>,
}

const RACES: [&str; 5] = ["Hispanic", "White", "Black", "Asian", "Two or more"];

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| Error::Internal(format!("bad date {y}-{m}-{d}")))
}

fn pseudonym(prefix: &str, district: &str, serial: u64) -> String {
    let seed = district.bytes().fold(serial, |h, b| mix(h ^ u64::from(b)));
    format!("{prefix}{:010x}", mix(seed) >> 24)
}

struct Sim<'a> {
    plan: &'a DistrictPlan,
    s: &'a Settings,
    rng: Rng,
    students: Vec<Student>,
    next_student: u64,
    next_staff: u64,
    next_section: u64,
}

/// Simulates the school years `years` (ending years, in order) of one district.
pub fn simulate(
    plan: &DistrictPlan,
    s: &Settings,
    seed: u64,
    years: &[i32],
) -> Result<Vec<YearData>> {
    let mut sim = Sim {
        plan,
        s,
        rng: Rng::new(seed),
        students: Vec::new(),
        next_student: 0,
        next_staff: 0,
        next_section: 0,
    };
    let mut out: Vec<YearData> = Vec::new();
    for &year in years {
        let prev = out.last();
        let data = sim.year(year, prev)?;
        out.push(data);
    }
    Ok(out)
}

impl Sim<'_> {
    fn new_student(
        &mut self,
        grade: Grade,
        year: i32,
        school_poverty: f64,
    ) -> Result<usize> {
        let s = self.s;
        let r = &mut self.rng;
        let poverty =
            (s.get("share_econ_disadv")? * self.plan.poverty * school_poverty).min(0.95);
        let econ = r.chance(poverty);
        let el = r.chance(
            s.get("share_eb_el")?
                * if econ { 1.3 } else { 0.6 }
                * if grade <= 5 { 1.2 } else { 0.8 },
        );
        let swd = r.chance(s.get("share_special_ed")?);
        let setting = if swd {
            Some(match r.pick(&[0.6, 0.3, 0.1]) {
                0 => "inclusion",
                1 => "resource",
                _ => "self_contained",
            })
        } else {
            None
        };
        let minutes = setting.map(|st| match st {
            "inclusion" => 60,
            "resource" => [120, 180, 240][r.between(0, 2) as usize],
            _ => 900,
        });
        let race_weights = [
            s.get("share_hispanic")?,
            s.get("share_white")?,
            s.get("share_african_american")?,
            s.get("share_asian")?,
            (1.0 - s.get("share_hispanic")?
                - s.get("share_white")?
                - s.get("share_african_american")?
                - s.get("share_asian")?)
            .max(0.01),
        ];
        let race = RACES[r.pick(&race_weights)];
        let ability =
            r.normal() - if econ { 0.35 } else { 0.0 } - if swd { 0.5 } else { 0.0 };
        let gifted =
            !swd && ability > 0.8 && r.chance(s.get("share_gifted_and_talented")? * 3.0);
        let sex = if r.chance(0.5) { "F" } else { "M" };
        self.next_student += 1;
        let id = pseudonym("S", &self.plan.id, self.next_student);
        self.students.push(Student {
            id,
            birth_year: year - 6 - grade,
            sex,
            race,
            econ,
            el,
            swd,
            sped_setting: setting,
            sped_minutes: minutes,
            gifted,
            ability,
        });
        Ok(self.students.len() - 1)
    }

    fn school_for(&self, grade: Grade, prefer: usize) -> usize {
        let schools = &self.plan.schools[..];
        if (schools[prefer].lo..=schools[prefer].hi).contains(&grade) {
            return prefer;
        }
        // Feeder pattern: the k-th of n schools of the student's level feeds
        // the school at the same place among those serving the next grade.
        let serving: Vec<usize> = (0..schools.len())
            .filter(|&i| (schools[i].lo..=schools[i].hi).contains(&grade))
            .collect();
        let peers: Vec<usize> = (0..schools.len())
            .filter(|&i| schools[i].level == schools[prefer].level)
            .collect();
        let at = peers.iter().position(|&i| i == prefer).unwrap_or(0);
        serving
            .get(at * serving.len() / peers.len().max(1))
            .copied()
            .unwrap_or(prefer)
    }

    fn year(&mut self, year: i32, prev: Option<&YearData>) -> Result<YearData> {
        let s = self.s;
        let first_day = date(
            year - 1,
            s.get("first_day_month")? as u32,
            s.get("first_day_day")? as u32,
        )?;
        let last_day = date(
            year,
            s.get("last_day_month")? as u32,
            s.get("last_day_day")? as u32,
        )?;
        let enrollments = self.enroll(year, prev, first_day, last_day)?;
        let mut staff = self.hire(year, prev, &enrollments, first_day)?;
        let returning: Vec<Staff> = prev
            .map(|p| {
                p.staff
                    .iter()
                    .filter(|st| st.role.teaches() && st.role != Role::Interventionist)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let sections =
            self.schedule(year, first_day, &enrollments, &mut staff, returning)?;
        let pays = self.pay(year, &staff)?;
        let postings = self.spend(year, &pays, &enrollments)?;
        let scores = self.test(year, &enrollments)?;
        Ok(YearData {
            year,
            first_day,
            last_day,
            students: self.students.clone(),
            enrollments,
            staff,
            sections,
            pays,
            postings,
            scores,
        })
    }

    fn enroll(
        &mut self,
        year: i32,
        prev: Option<&YearData>,
        first_day: NaiveDate,
        last_day: NaiveDate,
    ) -> Result<Vec<Enrollment>> {
        let churn = self.s.get("student_churn")?;
        let moves = self.s.get("mid_year_move")?;
        let schools = &self.plan.schools[..];
        // (student, school, grade) for this year.
        let mut roll: Vec<(usize, usize, Grade)> = Vec::new();
        match prev {
            None => {
                for (si, sc) in schools.iter().enumerate() {
                    for g in sc.lo..=sc.hi {
                        for _ in 0..sc.per_grade {
                            let st = self.new_student(g, year, sc.poverty)?;
                            roll.push((st, si, g));
                        }
                    }
                }
            }
            Some(p) => {
                // Everyone still enrolled at the end of last year moves up a
                // grade; seniors graduate; some leave and newcomers replace them.
                let mut continuing = Vec::new();
                for e in p.enrollments.iter().filter(|e| e.exit.is_none()) {
                    if e.grade >= 12 {
                        continue;
                    }
                    if self.rng.chance(churn) {
                        continue;
                    }
                    continuing.push((e.student, e.school, e.grade + 1));
                }
                for (st, school, g) in continuing {
                    let si = self.school_for(g, school);
                    if self.students[st].el && self.rng.chance(0.15) {
                        self.students[st].el = false; // reclassified as proficient
                    }
                    roll.push((st, si, g));
                }
                let mut held: std::collections::HashMap<(usize, Grade), u32> =
                    std::collections::HashMap::new();
                for (_, si, g) in &roll {
                    *held.entry((*si, *g)).or_default() += 1;
                }
                for (si, sc) in schools.iter().enumerate() {
                    for g in sc.lo..=sc.hi {
                        let have = held.get(&(si, g)).copied().unwrap_or(0);
                        let want = if g == 0 {
                            sc.per_grade
                        } else {
                            sc.per_grade.saturating_sub(2)
                        };
                        for _ in have..want {
                            let st = self.new_student(g, year, sc.poverty)?;
                            roll.push((st, si, g));
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        let span = (last_day - first_day).num_days();
        for (student, school, grade) in roll {
            let (mut entry, mut exit) = (first_day, None);
            if self.rng.chance(moves) {
                let day =
                    first_day + chrono::Duration::days(self.rng.between(30, span - 30));
                if self.rng.chance(0.5) {
                    entry = day;
                } else {
                    exit = Some(day);
                }
            }
            out.push(Enrollment {
                student,
                school,
                grade,
                entry,
                exit,
            });
        }
        Ok(out)
    }

    fn teacher_salary(&self, years: i32) -> Result<i64> {
        let bands = [
            (0, "beginning"),
            (3, "1_5_years"),
            (8, "6_10_years"),
            (15, "11_20_years"),
            (25, "21_30_years"),
            (33, "gt_30_years"),
        ];
        // Interpolate between band averages placed at band midpoints.
        let mut points = Vec::new();
        for (mid, key) in bands {
            points.push((mid, self.s.get(&format!("teacher_salary_{key}"))?));
        }
        let y = years.clamp(0, 40);
        let mut salary = points[points.len() - 1].1;
        for w in points.windows(2) {
            let ((x0, s0), (x1, s1)) = (w[0], w[1]);
            if y <= x1 {
                let t = f64::from((y - x0).max(0)) / f64::from(x1 - x0);
                salary = s0 + t * (s1 - s0);
                break;
            }
        }
        Ok(salary.round() as i64)
    }

    fn draw_experience(&mut self) -> Result<i32> {
        let ranges = [(0, 0), (1, 5), (6, 10), (11, 20), (21, 30), (31, 38)];
        let keys = [
            "beginning",
            "1_5_years",
            "6_10_years",
            "11_20_years",
            "21_30_years",
            "gt_30_years",
        ];
        let mut w = Vec::new();
        for k in keys {
            w.push(self.s.get(&format!("teacher_share_{k}"))?);
        }
        let (lo, hi) = ranges[self.rng.pick(&w)];
        Ok(self.rng.between(i64::from(lo), i64::from(hi)) as i32)
    }

    #[allow(clippy::too_many_arguments)] // one staff record has that many facts
    fn new_staff(
        &mut self,
        year: i32,
        role: Role,
        school: Option<usize>,
        department: Option<&'static str>,
        subject: Option<&'static str>,
        fte_milli: i64,
        first_day: NaiveDate,
    ) -> Result<Staff> {
        let years = if role.teaches() {
            self.draw_experience()?
        } else {
            self.rng.between(6, 25) as i32
        };
        let base = match role {
            Role::Teacher
            | Role::SpedTeacher
            | Role::ElTeacher
            | Role::Interventionist => self.teacher_salary(years)?,
            Role::Principal => (self.s.get("salary_principal")? * 1.1).round() as i64,
            Role::AssistantPrincipal => {
                (self.s.get("salary_principal")? * 0.88).round() as i64
            }
            Role::Counselor | Role::Nurse | Role::Librarian => {
                self.s.get("salary_support")?.round() as i64
            }
            Role::Aide => self.s.get("salary_aide")?.round() as i64,
            Role::Clerical => self.s.get("salary_clerical")?.round() as i64,
            Role::Custodian => self.s.get("salary_custodian")?.round() as i64,
            Role::CentralAdmin => self.s.get("salary_central_admin")?.round() as i64,
        };
        // Pay varies a little around the schedule (degrees, stipends).
        let salary = (base as f64 * (1.0 + 0.03 * self.rng.normal())).round() as i64;
        let in_district = self.rng.between(0, i64::from(years)) as i32;
        let hire_date = first_day - chrono::Duration::days(365 * i64::from(in_district));
        let degree = match self.rng.pick(&[0.55, 0.4, 0.05]) {
            0 => "BA",
            1 => "MA",
            _ => "PHD",
        };
        self.next_staff += 1;
        let (fund, program) = match role {
            Role::Interventionist => ("20", "130"),
            Role::SpedTeacher => ("10", "200"),
            Role::ElTeacher => ("10", "120"),
            _ => ("10", "100"),
        };
        Ok(Staff {
            id: pseudonym("E", &self.plan.id, self.next_staff),
            position: format!("P{:05}", self.next_staff),
            birth_year: year - 23 - years - self.rng.between(0, 8) as i32,
            hire_date,
            years,
            degree: if role.teaches()
                || matches!(
                    role,
                    Role::Principal
                        | Role::AssistantPrincipal
                        | Role::Counselor
                        | Role::CentralAdmin
                ) {
                degree
            } else {
                "none"
            },
            role,
            school,
            department,
            subject,
            fte_milli,
            salary,
            fund,
            program,
        })
    }

    /// Staff for the year: last year's staff return (a year more experienced,
    /// with the raise) and positions are filled or added as enrollment needs.
    fn hire(
        &mut self,
        year: i32,
        prev: Option<&YearData>,
        enrollments: &[Enrollment],
        first_day: NaiveDate,
    ) -> Result<Vec<Staff>> {
        let mut staff = Vec::new();
        let schools = &self.plan.schools[..];
        for (si, sc) in schools.iter().enumerate() {
            let n = enrollments.iter().filter(|e| e.school == si).count() as i64;
            let mut roles: Vec<(Role, i64)> = vec![
                (Role::Principal, 1000),
                (Role::Clerical, 1000),
                (Role::Custodian, if n > 500 { 3000 } else { 2000 }),
                (Role::Counselor, ((n * 1000) / 400).max(500)),
                (Role::Nurse, 500),
            ];
            if sc.level != Level::Elementary {
                roles.push((Role::AssistantPrincipal, 1000));
            }
            if sc.level != Level::Middle {
                roles.push((Role::Librarian, 1000));
            }
            if sc.level == Level::Elementary {
                roles.push((Role::Aide, 2000));
            }
            if sc.title_i {
                roles.push((Role::Interventionist, 1000));
            }
            // A role of more than one FTE is several people, each with a
            // position of at most 1.0 (an HR export lists people, not teams).
            for (role, fte) in roles {
                let mut left = fte;
                while left > 0 {
                    let part = left.min(1000);
                    left -= part;
                    let st = self.new_staff(
                        year,
                        role,
                        Some(si),
                        None,
                        None,
                        part,
                        first_day,
                    )?;
                    staff.push(st);
                }
            }
        }
        for dept in ["Superintendent", "Finance", "Human Resources", "Curriculum"] {
            let st = self.new_staff(
                year,
                Role::CentralAdmin,
                None,
                Some(dept),
                None,
                1000,
                first_day,
            )?;
            staff.push(st);
        }
        // Returning staff keep their ids and dates, a year older in the job.
        if let Some(p) = prev {
            let cola = self.s.get("cola_per_year")?;
            let mut returning: Vec<Staff> = p
                .staff
                .iter()
                .filter(|st| st.role == Role::Interventionist || !st.role.teaches())
                .cloned()
                .collect();
            for st in staff.iter_mut() {
                if let Some(pos) = returning.iter().position(|r| {
                    r.role == st.role
                        && r.school == st.school
                        && r.department == st.department
                }) {
                    let mut back = returning.remove(pos);
                    back.years += 1;
                    back.salary = (back.salary as f64 * (1.0 + cola)).round() as i64;
                    back.fte_milli = st.fte_milli;
                    *st = back;
                }
            }
        }
        Ok(staff)
    }

    /// Builds the schedule and the teachers it needs.
    fn schedule(
        &mut self,
        year: i32,
        first_day: NaiveDate,
        enrollments: &[Enrollment],
        staff: &mut Vec<Staff>,
        mut returning: Vec<Staff>,
    ) -> Result<Vec<Section>> {
        let cola = self.s.get("cola_per_year")?;
        let s = self.s;
        let schools = &self.plan.schools[..];
        let per_teacher = s.get("teacher_sections")? as usize;
        let sec_minutes = s.get("secondary_minutes")? as i32;
        let elem_minutes = s.get("elementary_minutes")? as i32;
        let elective_size = s.get("elective_class_size")?;
        let resource_size = s.get("resource_class_size")? as usize;
        let mut sections: Vec<Section> = Vec::new();
        // (school, subject) -> sections needing a teacher
        let mut needs: BTreeMap<(usize, &'static str), Vec<usize>> = BTreeMap::new();

        for (si, sc) in schools.iter().enumerate() {
            let here: Vec<usize> = (0..enrollments.len())
                .filter(|i| enrollments[*i].school == si)
                .collect();
            let sped_sc: Vec<usize> = here
                .iter()
                .copied()
                .filter(|i| {
                    self.students[enrollments[*i].student].sped_setting
                        == Some("self_contained")
                })
                .collect();
            let resource: Vec<usize> = here
                .iter()
                .copied()
                .filter(|i| {
                    self.students[enrollments[*i].student].sped_setting
                        == Some("resource")
                })
                .collect();
            let els: Vec<usize> = here
                .iter()
                .copied()
                .filter(|i| self.students[enrollments[*i].student].el)
                .collect();
            for g in sc.lo..=sc.hi {
                let mut grade: Vec<usize> = here
                    .iter()
                    .copied()
                    .filter(|i| enrollments[*i].grade == g && !sped_sc.contains(i))
                    .collect();
                if sc.level == Level::Elementary {
                    let key = if g == 0 {
                        "class_size_k".to_string()
                    } else {
                        format!("class_size_{g}")
                    };
                    let size = s.get(&key)?;
                    let k = ((grade.len() as f64) / size).ceil().max(1.0) as usize;
                    self.rng.shuffle(&mut grade);
                    for h in 0..k {
                        let members: Vec<usize> =
                            grade.iter().copied().skip(h).step_by(k).collect();
                        let id = sections.len();
                        sections.push(self.section(
                            si,
                            &format!("HR{g:02}"),
                            &format!("Grade {} Homeroom", grade_label(g)),
                            "self_contained",
                            g,
                            g,
                            "gened",
                            elem_minutes,
                            members,
                        ));
                        needs.entry((si, "elementary")).or_default().push(id);
                    }
                    continue;
                }
                // Secondary: four core subjects, then two electives per student.
                let core: [(&'static str, &str); 4] = [
                    ("ela", "class_size_secondary_english"),
                    ("math", "class_size_secondary_math"),
                    ("science", "class_size_secondary_science"),
                    ("social_studies", "class_size_secondary_social_studies"),
                ];
                for (subject, key) in core {
                    let mut pool = grade.clone();
                    let mut ap: Vec<usize> = Vec::new();
                    if sc.level == Level::High
                        && g >= 11
                        && matches!(subject, "ela" | "math")
                    {
                        pool.sort_by(|a, b| {
                            let (x, y) = (
                                self.students[enrollments[*a].student].ability,
                                self.students[enrollments[*b].student].ability,
                            );
                            y.total_cmp(&x)
                        });
                        ap = pool.drain(..pool.len().min(12)).collect();
                    }
                    if !ap.is_empty() {
                        let id = sections.len();
                        sections.push(self.section(
                            si,
                            &format!("{}{g:02}AP", code(subject)),
                            &format!("AP {} {}", title(subject), g),
                            subject,
                            g,
                            g,
                            "ap",
                            sec_minutes,
                            ap,
                        ));
                        needs.entry((si, subject)).or_default().push(id);
                    }
                    self.rng.shuffle(&mut pool);
                    let k = ((pool.len() as f64) / s.get(key)?).ceil().max(1.0) as usize;
                    for h in 0..k {
                        let members: Vec<usize> =
                            pool.iter().copied().skip(h).step_by(k).collect();
                        let id = sections.len();
                        sections.push(self.section(
                            si,
                            &format!("{}{g:02}", code(subject)),
                            &format!("{} {}", title(subject), g),
                            subject,
                            g,
                            g,
                            "gened",
                            sec_minutes,
                            members,
                        ));
                        needs.entry((si, subject)).or_default().push(id);
                    }
                }
                let electives: &[&'static str] = if sc.level == Level::High {
                    &["pe", "arts", "world_language", "cte"]
                } else {
                    &["pe", "arts"]
                };
                let mut seats: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
                for &i in &grade {
                    let st = &self.students[enrollments[i].student];
                    let mut picks: Vec<&'static str> = electives.to_vec();
                    self.rng.shuffle(&mut picks);
                    // Resource and EL students give up an elective for each
                    // support class, so every secondary day has six periods.
                    let support = usize::from(st.sped_setting == Some("resource"))
                        + usize::from(st.el);
                    let take = 2 - support;
                    for p in picks.into_iter().take(take) {
                        seats.entry(p).or_default().push(i);
                    }
                }
                for (subject, members) in seats {
                    let k =
                        ((members.len() as f64) / elective_size).ceil().max(1.0) as usize;
                    for h in 0..k {
                        let part: Vec<usize> =
                            members.iter().copied().skip(h).step_by(k).collect();
                        let id = sections.len();
                        let program = if subject == "cte" { "cte" } else { "gened" };
                        sections.push(self.section(
                            si,
                            &format!("{}{g:02}", code(subject)),
                            &format!("{} {}", title(subject), g),
                            subject,
                            g,
                            g,
                            program,
                            sec_minutes,
                            part,
                        ));
                        needs.entry((si, subject)).or_default().push(id);
                    }
                }
            }
            // Special education: a self-contained class, and resource rooms.
            // (classes of twelve at most, the rooms' seats)
            for class in sped_sc.chunks(12) {
                let id = sections.len();
                sections.push(self.section(
                    si,
                    "SPSC",
                    "Self-Contained Special Education",
                    "sped",
                    sc.lo,
                    sc.hi,
                    "sped_selfcontained",
                    // a full day, as the homerooms and six periods are
                    if sc.level == Level::Elementary {
                        elem_minutes
                    } else {
                        sec_minutes * 6
                    },
                    class.to_vec(),
                ));
                // a full-day class is a whole teaching load
                needs
                    .entry((si, "sped_self_contained"))
                    .or_default()
                    .push(id);
            }
            for chunk in resource.chunks(resource_size.max(1)) {
                let id = sections.len();
                sections.push(self.section(
                    si,
                    "SPRS",
                    "Resource Room",
                    "sped",
                    sc.lo,
                    sc.hi,
                    "sped_resource",
                    sec_minutes,
                    chunk.to_vec(),
                ));
                needs.entry((si, "sped")).or_default().push(id);
            }
            for chunk in els.chunks(15) {
                let id = sections.len();
                sections.push(self.section(
                    si,
                    "ESL1",
                    "English Language Development",
                    "el",
                    sc.lo,
                    sc.hi,
                    "el",
                    sec_minutes,
                    chunk.to_vec(),
                ));
                needs.entry((si, "el")).or_default().push(id);
            }
            // The Title I interventionist takes small reading groups of the
            // lowest readers in grades 1-3.
            if let Some(iv) = staff
                .iter()
                .position(|st| st.role == Role::Interventionist && st.school == Some(si))
            {
                let mut low: Vec<usize> = here
                    .iter()
                    .copied()
                    .filter(|i| (1..=3).contains(&enrollments[*i].grade))
                    .collect();
                low.sort_by(|a, b| {
                    self.students[enrollments[*a].student]
                        .ability
                        .total_cmp(&self.students[enrollments[*b].student].ability)
                });
                for chunk in low.into_iter().take(30).collect::<Vec<_>>().chunks(6) {
                    let mut sec = self.section(
                        si,
                        "RDIV",
                        "Reading Intervention",
                        "ela",
                        1,
                        3,
                        "intervention",
                        150,
                        chunk.to_vec(),
                    );
                    sec.teacher = iv;
                    sections.push(sec);
                }
            }
        }
        // Teachers: each (school, subject) gets enough teachers for its
        // sections, five a full-time teacher; returning teachers first.
        for ((si, subject), secs) in needs {
            let role = match subject {
                "sped" | "sped_self_contained" => Role::SpedTeacher,
                "el" => Role::ElTeacher,
                _ => Role::Teacher,
            };
            let load = if matches!(subject, "elementary" | "sped_self_contained") {
                1
            } else {
                per_teacher
            };
            // (the self-contained class's teacher teaches special education)
            let taught = if subject == "sped_self_contained" {
                "sped"
            } else {
                subject
            };
            for chunk in secs.chunks(load) {
                let fte = (chunk.len() as i64 * 1000 / load as i64).max(200);
                let back = returning.iter().position(|r| {
                    r.role == role && r.school == Some(si) && r.subject == Some(taught)
                });
                let st = match back {
                    Some(pos) => {
                        let mut t = returning.remove(pos);
                        let step = self.teacher_salary(t.years + 1)? as f64
                            / self.teacher_salary(t.years)? as f64;
                        t.years += 1;
                        t.salary = (t.salary as f64 * step * (1.0 + cola)).round() as i64;
                        t.fte_milli = fte;
                        t
                    }
                    None => self.new_staff(
                        year,
                        role,
                        Some(si),
                        None,
                        Some(taught),
                        fte,
                        first_day,
                    )?,
                };
                staff.push(st);
                let t = staff.len() - 1;
                for &sec in chunk {
                    sections[sec].teacher = t;
                }
            }
        }
        // A special-education teacher co-teaches the homeroom or core class
        // with the most inclusion students at each school, for 30% of it.
        for (si, _) in schools.iter().enumerate() {
            // (a resource-room teacher: a self-contained class is a full day)
            let Some(sped) = (0..staff.len()).find(|&t| {
                staff[t].role == Role::SpedTeacher
                    && staff[t].school == Some(si)
                    && !sections
                        .iter()
                        .any(|x| x.teacher == t && x.program == "sped_selfcontained")
            }) else {
                continue;
            };
            let best = (0..sections.len())
                .filter(|k| sections[*k].school == si && sections[*k].program == "gened")
                .max_by_key(|k| {
                    sections[*k]
                        .students
                        .iter()
                        .filter(|i| {
                            self.students[enrollments[**i].student].sped_setting
                                == Some("inclusion")
                        })
                        .count()
                });
            if let Some(k) = best {
                sections[k].co_teacher = Some((sped, 3000));
                // the co-teaching is part of the position: 30% of the class's
                // minutes, in loads of `per_teacher` periods
                let minutes = i64::from(sections[k].minutes) * 3 / 10;
                let load = (per_teacher as i64 * i64::from(sec_minutes)).max(1);
                let st = &mut staff[sped];
                st.fte_milli = (st.fte_milli + minutes * 1000 / load).min(1000);
            }
        }
        Ok(sections)
    }

    #[allow(clippy::too_many_arguments)] // a section has that many facts
    fn section(
        &mut self,
        school: usize,
        course: &str,
        title: &str,
        subject: &'static str,
        lo: Grade,
        hi: Grade,
        program: &'static str,
        minutes: i32,
        students: Vec<usize>,
    ) -> Section {
        // Section numbers run on across the district, like a master schedule's.
        self.next_section += 1;
        Section {
            id: format!(
                "{}-{}-{:04}",
                self.plan.schools[school].code, course, self.next_section
            ),
            school,
            course: course.to_string(),
            title: title.to_string(),
            subject,
            grade_lo: lo,
            grade_hi: hi,
            program,
            minutes,
            capacity: if program.starts_with("sped") { 12 } else { 32 },
            teacher: 0,
            co_teacher: None,
            students,
        }
    }

    /// Monthly pay, August to July, for every assignment; employer benefits at
    /// the measured rate. Cents left over by dividing by twelve go on the last pay.
    fn pay(&mut self, year: i32, staff: &[Staff]) -> Result<Vec<Pay>> {
        let rate_bp = (self.s.get("benefit_rate")? * 10_000.0).round() as i64;
        let day = self.s.get("pay_day")? as u32;
        let mut pays = Vec::new();
        for (i, st) in staff.iter().enumerate() {
            // Salary x FTE, rounded half up to the cent.
            let annual_cents = (st.salary * 100 * st.fte_milli + 500) / 1000;
            let monthly = annual_cents / 12;
            let account = account_of(self.plan, st);
            for m in 0..12 {
                let (y, month) = if m < 11 {
                    (year - 1 + (m + 7) / 12, ((m + 7) % 12 + 1) as u32)
                } else {
                    (year, 7)
                };
                let gross = if m == 11 {
                    annual_cents - monthly * 11
                } else {
                    monthly
                };
                let benefits = (gross * rate_bp + 5_000) / 10_000;
                pays.push(Pay {
                    staff: i,
                    date: date(y, month, day)?,
                    account: account.clone(),
                    earn_type: "REG",
                    gross,
                    benefits,
                });
            }
            // Some teachers coach or lead a club: a stipend paid in May.
            if st.role == Role::Teacher && self.rng.chance(0.15) {
                let gross = 150_000;
                pays.push(Pay {
                    staff: i,
                    date: date(year, 5, day)?,
                    account,
                    earn_type: "STIPEND",
                    gross,
                    benefits: (gross * rate_bp + 5_000) / 10_000,
                });
            }
        }
        Ok(pays)
    }

    /// The ledger: payroll journals that sum the pays by account and month,
    /// and the year's purchases at the measured non-personnel rate.
    fn spend(
        &mut self,
        year: i32,
        pays: &[Pay],
        enrollments: &[Enrollment],
    ) -> Result<Vec<Posting>> {
        let mut postings = Vec::new();
        let mut by_month: BTreeMap<(NaiveDate, String), (i64, i64)> = BTreeMap::new();
        let year_end = date(year, 6, 30)?;
        for p in pays {
            // July's pay finishes the year's contracts: the ledger accrues it
            // on June 30, inside the fiscal year it belongs to.
            let posted = p.date.min(year_end);
            let e = by_month.entry((posted, p.account.clone())).or_default();
            e.0 += p.gross;
            e.1 += p.benefits;
        }
        let mut personnel = 0i64;
        for ((d, account), (gross, benefits)) in &by_month {
            personnel += gross + benefits;
            let accrual = *d == year_end;
            let journal = if accrual {
                format!("PA{:04}{:02}", d.year(), d.month())
            } else {
                format!("PR{:04}{:02}", d.year(), d.month())
            };
            postings.push(Posting {
                account: account.clone(),
                date: *d,
                cents: *gross,
                entry_type: "ACT",
                journal: journal.clone(),
                description: if accrual {
                    format!("Payroll 07/{year} accrued")
                } else {
                    format!("Payroll {}", d.format("%m/%Y"))
                },
                vendor: String::new(),
            });
            let ben = benefit_account(account);
            postings.push(Posting {
                account: ben,
                date: *d,
                cents: *benefits,
                entry_type: "ACT",
                journal,
                description: if accrual {
                    format!("Employer benefits 07/{year} accrued")
                } else {
                    format!("Employer benefits {}", d.format("%m/%Y"))
                },
                vendor: String::new(),
            });
        }
        // Each district-year spends around the measured rate, not exactly at it.
        let rate = self.s.get("nonpersonnel_per_personnel_dollar")?
            * (1.0 + 0.08 * self.rng.normal());
        let pool = (personnel as f64 * rate) as i64;
        // (share of the pool, function, object, per school?, description)
        let lines: [(f64, &str, &str, bool, &str); 10] = [
            (0.12, "1000", "610", true, "Classroom supplies"),
            (0.06, "1000", "640", true, "Textbooks"),
            (0.08, "2230", "650", true, "Technology supplies"),
            (
                0.10,
                "2150",
                "320",
                false,
                "Contracted speech and therapy services",
            ),
            (0.12, "2610", "620", true, "Electricity and gas"),
            (0.10, "2620", "430", true, "Building repairs"),
            (
                0.18,
                "2710",
                "510",
                false,
                "Student transportation contract",
            ),
            (0.08, "2510", "340", false, "Audit, legal and software"),
            (0.10, "3100", "630", false, "Food service purchases"),
            (
                0.06,
                "2510",
                "520",
                false,
                "Property and liability insurance",
            ),
        ];
        let schools = &self.plan.schools[..];
        let n: Vec<i64> = (0..schools.len())
            .map(|si| enrollments.iter().filter(|e| e.school == si).count() as i64)
            .collect();
        let total_n: i64 = n.iter().sum::<i64>().max(1);
        let mut vendor_seq = 0u64;
        for (share, function, object, per_school, what) in lines {
            let amount = (pool as f64 * share) as i64;
            let targets: Vec<(&str, i64)> = if per_school {
                schools
                    .iter()
                    .zip(&n)
                    .map(|(sc, k)| (sc.code.as_ref(), amount * k / total_n))
                    .collect()
            } else {
                vec![("000", amount)]
            };
            for (loc, cents) in targets {
                vendor_seq += 1;
                let vendor = pseudonym("V", &self.plan.id, vendor_seq);
                let account = format!("10-{function}-{object}-000-{loc}");
                // Ten months of invoices; supplies and equipment-like objects
                // are bought in orders under the capitalization threshold
                // ($5,000), as a purchasing office splits them.
                let small = matches!(object, "610" | "640" | "650");
                let part = cents / 10;
                for k in 0..10 {
                    let c = if k == 9 { cents - part * 9 } else { part };
                    let month = (8 + k as u32 - 1) % 12 + 1;
                    let y = if month >= 8 { year - 1 } else { year };
                    let orders = if small { c / 450_000 + 1 } else { 1 };
                    let each = c / orders;
                    for o in 0..orders {
                        postings.push(Posting {
                            account: account.clone(),
                            date: date(y, month, 10 + k as u32)?,
                            cents: if o == orders - 1 {
                                c - each * (orders - 1)
                            } else {
                                each
                            },
                            entry_type: "ACT",
                            journal: format!("AP{:06}", self.rng.next_u64() % 1_000_000),
                            description: what.to_string(),
                            vendor: vendor.clone(),
                        });
                    }
                }
                // One invoice paid twice in March, and the void of the second
                // payment two days later (a reversal with its original).
                let twice = part.min(450_000);
                for (day, c, kind) in [(3, twice, "AP"), (5, -twice, "VD")] {
                    postings.push(Posting {
                        account: account.clone(),
                        date: date(year, 3, day)?,
                        cents: c,
                        entry_type: "ACT",
                        journal: format!("{kind}{:06}", self.rng.next_u64() % 1_000_000),
                        description: if c < 0 {
                            format!("Void of a duplicate payment: {what}")
                        } else {
                            format!("Duplicate payment: {what}")
                        },
                        vendor: vendor.clone(),
                    });
                }
                postings.push(Posting {
                    account: account.clone(),
                    date: date(year - 1, 7, 1)?,
                    cents: (cents as f64 * (1.0 + 0.03 * self.rng.normal()) / 10_000.0)
                        .round() as i64
                        * 10_000,
                    entry_type: "BUD",
                    journal: "BUDGET".into(),
                    description: format!("Adopted budget: {what}"),
                    vendor: String::new(),
                });
            }
        }
        // Outside current spending: equipment, a roof, and the bonds.
        let capital = (personnel as f64 * 0.05) as i64;
        let debt = (personnel as f64 * 0.03) as i64;
        for (cents, account, what) in [
            (
                capital / 2,
                "30-4500-730-000-000".to_string(),
                "Equipment purchase",
            ),
            (
                capital - capital / 2,
                format!("30-4700-720-000-{}", schools[0].code),
                "Building improvements",
            ),
            (
                debt,
                "40-5000-830-000-000".to_string(),
                "Bond principal and interest",
            ),
        ] {
            postings.push(Posting {
                account,
                date: date(year, 1, 15)?,
                cents,
                entry_type: "ACT",
                journal: format!("CP{:06}", self.rng.next_u64() % 1_000_000),
                description: what.to_string(),
                vendor: pseudonym("V", &self.plan.id, 900 + cents.unsigned_abs() % 97),
            });
        }
        Ok(postings)
    }

    /// Spring state tests in reading and math for grades 3-8 and 10.
    fn test(&mut self, year: i32, enrollments: &[Enrollment]) -> Result<Vec<Score>> {
        let day = date(year, 4, 15)?;
        let mut out = Vec::new();
        for e in enrollments {
            if !(matches!(e.grade, 3..=8 | 10))
                || e.entry > day
                || e.exit.is_some_and(|x| x < day)
            {
                continue;
            }
            let st = &self.students[e.student];
            for subject in ["ELA", "MATH"] {
                let penalty = if st.el && subject == "ELA" {
                    9.0
                } else if st.el {
                    4.0
                } else {
                    0.0
                };
                let score = (250.0 + 14.0 * st.ability - penalty
                    + 6.0 * self.rng.normal())
                .round() as i32;
                let level = match score {
                    i32::MIN..=234 => 1,
                    235..=249 => 2,
                    250..=264 => 3,
                    _ => 4,
                };
                out.push(Score {
                    student: e.student,
                    subject,
                    grade: e.grade,
                    date: day,
                    score,
                    level,
                });
            }
        }
        Ok(out)
    }
}

fn code(subject: &str) -> &'static str {
    match subject {
        "ela" => "ENG",
        "math" => "MTH",
        "science" => "SCI",
        "social_studies" => "SOC",
        "pe" => "PED",
        "arts" => "ART",
        "world_language" => "WLG",
        "cte" => "CTE",
        _ => "GEN",
    }
}

fn title(subject: &str) -> &'static str {
    match subject {
        "ela" => "English",
        "math" => "Mathematics",
        "science" => "Science",
        "social_studies" => "Social Studies",
        "pe" => "Physical Education",
        "arts" => "Art",
        "world_language" => "Spanish",
        "cte" => "Career and Technical Education",
        _ => "General",
    }
}

/// Grade as the exports write it.
pub fn grade_label(g: Grade) -> String {
    if g == 0 { "K".into() } else { g.to_string() }
}

/// The account a staff member's pay is charged to.
pub fn account_of(plan: &DistrictPlan, st: &Staff) -> String {
    let (function, object) = st.role.account();
    let function = match (st.role, st.department) {
        (Role::CentralAdmin, Some("Finance")) => "2510",
        (Role::CentralAdmin, Some("Human Resources")) => "2570",
        (Role::CentralAdmin, Some("Curriculum")) => "2212",
        _ => function,
    };
    let location = st.school.map_or("000", |s| plan.schools[s].code.as_ref());
    format!("{}-{function}-{object}-{}-{location}", st.fund, st.program)
}

fn benefit_account(salary_account: &str) -> String {
    let parts: Vec<&str> = salary_account.split('-').collect();
    if parts.len() == 5 {
        format!("{}-{}-200-{}-{}", parts[0], parts[1], parts[3], parts[4])
    } else {
        salary_account.to_string()
    }
}
