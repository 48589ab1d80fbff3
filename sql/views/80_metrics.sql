-- The metric catalogue of ../shared/DOMAIN.md 3.4 over a district's own
-- tables, one view per metric family; docs/metrics.md gives each metric's
-- formula, grain, filters, denominator and units. Every view has
-- district_id and school_year, so it serves one school, a district or many
-- districts, one year or many.

-- Class size by school, subject, program and lowest grade (items 9-11):
-- section-weighted sum(n) / sections and student-weighted sum(n^2) / sum(n),
-- on each section's census day. A co-taught section is one section, whatever
-- the number of teachers on it; sections without students are left out.
CREATE VIEW class_size_by_group AS
SELECT
    district_id,
    school_year,
    school_id,
    subject,
    program_type,
    grade_low,
    count(*) AS sections,
    sum(students) AS seats,
    CAST(sum(students) AS DECIMAL(20, 4)) / count(*) AS class_size_section_weighted,
    CAST(sum(students * students) AS DECIMAL(20, 4)) / NULLIF(sum(students), 0) AS class_size_student_weighted
FROM section_size
WHERE students > 0
GROUP BY district_id, school_year, school_id, subject, program_type, grade_low;

-- Staff FTE at each school on the count date by role, and students per FTE
-- of that role (item 13).
CREATE VIEW school_staff_ratio AS
SELECT
    a.district_id,
    a.school_year,
    a.school_id,
    a.classification,
    sum(a.fte) AS fte,
    e.enrollment,
    CAST(e.enrollment AS DECIMAL(20, 4)) / NULLIF(sum(a.fte), 0) AS students_per_fte
FROM staff_assignment a
LEFT JOIN school_enrollment e
  ON e.district_id = a.district_id AND e.school_year = a.school_year AND e.school_id = a.school_id
WHERE a.school_id IS NOT NULL
  AND (a.begin_date IS NULL OR a.begin_date <= make_date(a.school_year - 1, 10, 1))
  AND (a.end_date IS NULL OR a.end_date >= make_date(a.school_year - 1, 10, 1))
GROUP BY a.district_id, a.school_year, a.school_id, a.classification, e.enrollment;

-- Span of control (item 14) and leadership per 100 students (item 27):
-- teacher FTE per school administrator FTE (principals and assistant
-- principals).
CREATE VIEW school_leadership_ratio AS
SELECT
    district_id,
    school_year,
    school_id,
    max(enrollment) AS enrollment,
    sum(CASE WHEN classification IN ('teacher', 'sped_teacher', 'el_teacher') THEN fte ELSE 0 END) AS teacher_fte,
    sum(CASE WHEN classification IN ('principal', 'assistant_principal') THEN fte ELSE 0 END) AS administrator_fte,
    sum(CASE WHEN classification IN ('teacher', 'sped_teacher', 'el_teacher') THEN fte ELSE 0 END)
        / NULLIF(sum(CASE WHEN classification IN ('principal', 'assistant_principal') THEN fte ELSE 0 END), 0)
        AS teachers_per_administrator,
    sum(CASE WHEN classification IN ('principal', 'assistant_principal') THEN fte ELSE 0 END) * 100
        / CAST(NULLIF(max(enrollment), 0) AS DECIMAL(20, 0)) AS administrators_per_100_students
FROM school_staff_ratio
GROUP BY district_id, school_year, school_id;

-- Each teacher's FTE, experience and pay (payroll compensation at the
-- school) in a year: the base of the talent metrics.
CREATE VIEW teacher_at_school AS
SELECT
    a.district_id,
    a.school_year,
    a.school_id,
    a.staff_id,
    a.classification,
    sum(a.fte) AS fte,
    max(s.years_experience) AS years_experience,
    max(p.pay) AS compensation
FROM staff_assignment a
LEFT JOIN staff s
  ON s.district_id = a.district_id AND s.school_year = a.school_year AND s.staff_id = a.staff_id
LEFT JOIN (
    SELECT district_id, school_year, staff_id, school_id, sum(pay) AS pay
    FROM staff_pay_at_school
    GROUP BY district_id, school_year, staff_id, school_id
) p
  ON p.district_id = a.district_id AND p.school_year = a.school_year
 AND p.staff_id = a.staff_id AND p.school_id = a.school_id
WHERE a.school_id IS NOT NULL
  AND a.classification IN ('teacher', 'sped_teacher', 'el_teacher')
GROUP BY a.district_id, a.school_year, a.school_id, a.staff_id, a.classification;

-- Teacher experience and pay by school (items 22 and 6): shares of teacher
-- FTE with 0-1, 2-3, 4-9 and 10+ years, FTE-weighted mean years, mean
-- compensation, and the actual-versus-average gap: the sum over the school's
-- teachers of FTE x (their compensation - the district's mean compensation
-- per FTE for their role), the dollars average-salary budgeting hides.
CREATE VIEW school_teacher_talent AS
WITH role_mean AS (
    SELECT district_id, school_year, classification,
           sum(compensation) / NULLIF(sum(fte), 0) AS mean_comp_per_fte
    FROM teacher_at_school
    WHERE compensation IS NOT NULL
    GROUP BY district_id, school_year, classification
)
SELECT
    t.district_id,
    t.school_year,
    t.school_id,
    count(*) AS teachers,
    sum(t.fte) AS teacher_fte,
    sum(CASE WHEN t.years_experience < 2 THEN t.fte ELSE 0 END) / NULLIF(sum(t.fte), 0) AS share_0_1_years,
    sum(CASE WHEN t.years_experience >= 2 AND t.years_experience < 4 THEN t.fte ELSE 0 END) / NULLIF(sum(t.fte), 0) AS share_2_3_years,
    sum(CASE WHEN t.years_experience >= 4 AND t.years_experience < 10 THEN t.fte ELSE 0 END) / NULLIF(sum(t.fte), 0) AS share_4_9_years,
    sum(CASE WHEN t.years_experience >= 10 THEN t.fte ELSE 0 END) / NULLIF(sum(t.fte), 0) AS share_10_plus_years,
    sum(t.fte * t.years_experience) / NULLIF(sum(CASE WHEN t.years_experience IS NOT NULL THEN t.fte END), 0) AS mean_years,
    sum(t.compensation) / NULLIF(sum(CASE WHEN t.compensation IS NOT NULL THEN t.fte END), 0) AS mean_compensation_per_fte,
    sum(t.compensation - t.fte * r.mean_comp_per_fte) AS actual_vs_average_gap
FROM teacher_at_school t
LEFT JOIN role_mean r
  ON r.district_id = t.district_id AND r.school_year = t.school_year AND r.classification = t.classification
GROUP BY t.district_id, t.school_year, t.school_id;

-- Teacher load by school (item 12): mean distinct students per teacher of
-- record, and the share of teachers above 120 and 150.
CREATE VIEW school_teacher_load AS
SELECT
    a.district_id,
    a.school_year,
    a.school_id,
    count(*) AS teachers,
    avg(CAST(l.students AS DOUBLE)) AS mean_load,
    avg(CASE WHEN l.students > 120 THEN 1.0 ELSE 0.0 END) AS share_above_120,
    avg(CASE WHEN l.students > 150 THEN 1.0 ELSE 0.0 END) AS share_above_150
FROM teacher_load l
JOIN (
    SELECT DISTINCT district_id, school_year, staff_id, school_id
    FROM staff_assignment WHERE school_id IS NOT NULL
) a ON a.district_id = l.district_id AND a.school_year = l.school_year AND a.staff_id = l.staff_id
GROUP BY a.district_id, a.school_year, a.school_id;

-- Cost of a class (item 7): the staff cost of each section (its share of
-- its teachers' pay, as student attribution computes it) over the students
-- on its census day.
CREATE VIEW section_cost_of_class AS
SELECT
    c.district_id,
    c.school_year,
    c.school_id,
    c.section_id,
    z.subject,
    z.program_type,
    z.students,
    sum(c.amount) AS section_cost,
    sum(c.amount) / CAST(NULLIF(z.students, 0) AS DECIMAL(20, 0)) AS cost_per_seat
FROM staff_section_cost c
JOIN section_size z
  ON z.district_id = c.district_id AND z.school_year = c.school_year AND z.section_id = c.section_id
GROUP BY c.district_id, c.school_year, c.school_id, c.section_id, z.subject, z.program_type, z.students;

-- Each student's scheduled minutes per week by subject (items 16-17), from
-- the sections they are in on October 1 (overlapping meetings are not
-- de-duplicated: the schedule tables hold no meeting times).
CREATE VIEW student_minutes AS
SELECT
    r.district_id,
    r.school_year,
    s.school_id,
    r.student_id,
    s.subject,
    s.program_type,
    sum(s.minutes_per_week) AS minutes_per_week
FROM student_section r
JOIN section s
  ON s.district_id = r.district_id AND s.school_year = r.school_year AND s.section_id = r.section_id
WHERE r.begin_date <= make_date(r.school_year - 1, 10, 1)
  AND (r.end_date IS NULL OR r.end_date >= make_date(r.school_year - 1, 10, 1))
  AND (s.term_begin IS NULL OR s.term_begin <= make_date(r.school_year - 1, 10, 1))
  AND (s.term_end IS NULL OR s.term_end >= make_date(r.school_year - 1, 10, 1))
GROUP BY r.district_id, r.school_year, s.school_id, r.student_id, s.subject, s.program_type;

-- Student time by school (items 16-19): mean scheduled minutes per week,
-- mean core minutes (ELA, math, science, social studies and elementary
-- self-contained homerooms), the share of time in core, and the mean extra
-- minutes in intervention sections among the students who have any.
CREATE VIEW school_student_time AS
WITH per_student AS (
    SELECT
        district_id, school_year, school_id, student_id,
        sum(minutes_per_week) AS minutes,
        sum(CASE WHEN subject IN ('ela', 'math', 'science', 'social_studies', 'self_contained')
                 THEN minutes_per_week ELSE 0 END) AS core_minutes,
        sum(CASE WHEN program_type = 'intervention' THEN minutes_per_week ELSE 0 END) AS intervention_minutes
    FROM student_minutes
    GROUP BY district_id, school_year, school_id, student_id
)
SELECT
    district_id,
    school_year,
    school_id,
    count(*) AS students,
    avg(CAST(minutes AS DOUBLE)) AS mean_minutes_per_week,
    avg(CAST(core_minutes AS DOUBLE)) AS mean_core_minutes,
    sum(core_minutes) / CAST(NULLIF(sum(minutes), 0) AS DOUBLE) AS core_share,
    sum(CASE WHEN intervention_minutes > 0 THEN 1 ELSE 0 END) AS students_with_extra_time,
    avg(CASE WHEN intervention_minutes > 0 THEN CAST(intervention_minutes AS DOUBLE) END) AS mean_extra_minutes
FROM per_student
GROUP BY district_id, school_year, school_id;

-- Minutes per week by subject, averaged over each school's students who
-- take the subject and over all its students (item 17).
CREATE VIEW school_minutes_by_subject AS
SELECT
    m.district_id,
    m.school_year,
    m.school_id,
    m.subject,
    count(DISTINCT m.student_id) AS students_taking,
    sum(m.minutes_per_week) / CAST(count(DISTINCT m.student_id) AS DOUBLE) AS mean_minutes_taking,
    sum(m.minutes_per_week) / CAST(max(t.students) AS DOUBLE) AS mean_minutes_all
FROM student_minutes m
JOIN school_student_time t
  ON t.district_id = m.district_id AND t.school_year = m.school_year AND t.school_id = m.school_id
GROUP BY m.district_id, m.school_year, m.school_id, m.subject;

-- Special-education intensity by school (item 15): share of count-date
-- students with IEPs, share of those in self-contained settings, aide FTE
-- per student with an IEP, and special-education teaching dollars per
-- student with an IEP (ESSA definition, from student attribution).
CREATE VIEW school_sped_intensity AS
WITH counts AS (
    SELECT
        e.district_id, e.school_year, e.school_id,
        count(*) AS students,
        sum(CASE WHEN s.is_swd THEN 1 ELSE 0 END) AS swd,
        sum(CASE WHEN s.is_swd AND s.sped_setting = 'self_contained' THEN 1 ELSE 0 END) AS swd_self_contained
    FROM enrolled_on_count_date e
    LEFT JOIN student s ON s.district_id = e.district_id AND s.school_year = e.school_year AND s.student_id = e.student_id
    GROUP BY e.district_id, e.school_year, e.school_id
),
sped_dollars AS (
    SELECT district_id, school_year, school_id, sum(amount) AS sped_teaching
    FROM student_cost
    WHERE definition_id = 'essa_ppe' AND category = 'teaching_special_ed'
    GROUP BY district_id, school_year, school_id
),
aides AS (
    SELECT district_id, school_year, school_id, sum(fte) AS aide_fte
    FROM school_staff_ratio WHERE classification = 'aide'
    GROUP BY district_id, school_year, school_id
)
SELECT
    c.district_id,
    c.school_year,
    c.school_id,
    c.students,
    c.swd,
    CAST(c.swd AS DOUBLE) / NULLIF(c.students, 0) AS swd_share,
    CAST(c.swd_self_contained AS DOUBLE) / NULLIF(c.swd, 0) AS swd_self_contained_share,
    a.aide_fte / CAST(NULLIF(c.swd, 0) AS DECIMAL(20, 0)) AS aide_fte_per_swd,
    d.sped_teaching / CAST(NULLIF(c.swd, 0) AS DECIMAL(20, 0)) AS sped_teaching_per_swd
FROM counts c
LEFT JOIN sped_dollars d ON d.district_id = c.district_id AND d.school_year = c.school_year AND d.school_id = c.school_id
LEFT JOIN aides a ON a.district_id = c.district_id AND a.school_year = c.school_year AND a.school_id = c.school_id;

-- Inexperienced-teacher exposure gap by district (item 23): of the section
-- minutes economically disadvantaged students sit through on October 1, the
-- share taught by teachers with fewer than 2 years of experience, minus the
-- same share for other students.
CREATE VIEW inexperienced_teacher_gap AS
WITH minutes AS (
    SELECT
        r.district_id, r.school_year,
        COALESCE(st.is_econ_disadv, false) AS disadvantaged,
        CAST(s.minutes_per_week AS DOUBLE) AS minutes,
        COALESCE(f.years_experience < 2, false) AS inexperienced
    FROM student_section r
    JOIN section s ON s.district_id = r.district_id AND s.school_year = r.school_year AND s.section_id = r.section_id
    JOIN staff_section t
      ON t.district_id = r.district_id AND t.school_year = r.school_year AND t.section_id = r.section_id
     AND t.role = 'teacher_of_record'
    LEFT JOIN staff f ON f.district_id = t.district_id AND f.school_year = t.school_year AND f.staff_id = t.staff_id
    LEFT JOIN student st ON st.district_id = r.district_id AND st.school_year = r.school_year AND st.student_id = r.student_id
    WHERE r.begin_date <= make_date(r.school_year - 1, 10, 1)
      AND (r.end_date IS NULL OR r.end_date >= make_date(r.school_year - 1, 10, 1))
)
SELECT
    district_id,
    school_year,
    sum(CASE WHEN disadvantaged AND inexperienced THEN minutes ELSE 0 END)
        / NULLIF(sum(CASE WHEN disadvantaged THEN minutes ELSE 0 END), 0) AS disadvantaged_share,
    sum(CASE WHEN NOT disadvantaged AND inexperienced THEN minutes ELSE 0 END)
        / NULLIF(sum(CASE WHEN NOT disadvantaged THEN minutes ELSE 0 END), 0) AS other_share,
    sum(CASE WHEN disadvantaged AND inexperienced THEN minutes ELSE 0 END)
        / NULLIF(sum(CASE WHEN disadvantaged THEN minutes ELSE 0 END), 0)
      - sum(CASE WHEN NOT disadvantaged AND inexperienced THEN minutes ELSE 0 END)
        / NULLIF(sum(CASE WHEN NOT disadvantaged THEN minutes ELSE 0 END), 0) AS exposure_gap
FROM minutes
GROUP BY district_id, school_year;

-- Teacher turnover by school (item 26): of a year's teachers, the share not
-- on the district's staff the next year (NULL for the last year loaded).
CREATE VIEW school_teacher_turnover AS
WITH next_year AS (SELECT DISTINCT district_id, school_year FROM staff)
SELECT
    t.district_id,
    t.school_year,
    t.school_id,
    count(*) AS teachers,
    CASE WHEN max(ny.school_year) IS NULL THEN NULL
         ELSE avg(CASE WHEN n.staff_id IS NULL THEN 1.0 ELSE 0.0 END) END AS turnover
FROM teacher_at_school t
LEFT JOIN next_year ny ON ny.district_id = t.district_id AND ny.school_year = t.school_year + 1
LEFT JOIN staff n
  ON n.district_id = t.district_id AND n.school_year = t.school_year + 1 AND n.staff_id = t.staff_id
GROUP BY t.district_id, t.school_year, t.school_id;

-- District money metrics (items 2-5, 27) under each definition: spending in
-- the definition, the share reaching schools, central office and school
-- leadership dollars per pupil (all levels), the personnel share, and
-- teacher compensation per pupil (payroll of teachers at schools).
CREATE VIEW district_money_metrics AS
WITH spend AS (
    SELECT
        district_id, school_year, definition_id,
        sum(amount) AS spending,
        sum(CASE WHEN category = 'central_office' THEN amount ELSE 0 END) AS central_office,
        sum(CASE WHEN category = 'school_leadership' THEN amount ELSE 0 END) AS school_leadership,
        sum(CASE WHEN is_personnel THEN amount ELSE 0 END) AS personnel
    FROM spending_located
    WHERE level <> 'excluded'
    GROUP BY district_id, school_year, definition_id
),
teachers AS (
    SELECT district_id, school_year, sum(compensation) AS teacher_compensation
    FROM teacher_at_school
    GROUP BY district_id, school_year
)
SELECT
    s.district_id,
    s.school_year,
    s.definition_id,
    e.enrollment,
    s.spending,
    r.share_to_schools,
    s.central_office / CAST(NULLIF(e.enrollment, 0) AS DECIMAL(20, 0)) AS central_office_per_pupil,
    s.school_leadership / CAST(NULLIF(e.enrollment, 0) AS DECIMAL(20, 0)) AS school_leadership_per_pupil,
    s.personnel / NULLIF(s.spending, 0) AS personnel_share,
    t.teacher_compensation / CAST(NULLIF(e.enrollment, 0) AS DECIMAL(20, 0)) AS teacher_compensation_per_pupil
FROM spend s
LEFT JOIN district_enrollment e ON e.district_id = s.district_id AND e.school_year = s.school_year
LEFT JOIN resource_map_reconciliation r
  ON r.district_id = s.district_id AND r.school_year = s.school_year AND r.definition_id = s.definition_id
LEFT JOIN teachers t ON t.district_id = s.district_id AND t.school_year = s.school_year;
