-- One row per district-year of the headline resource figures, from the
-- district's own records (the demo's headline). Exact; round for display.
CREATE VIEW district_overview AS
WITH enr AS (
    SELECT s.district_id, s.school_year, count(*) AS schools, max(d.enrollment) AS students
    FROM school_enrollment s
    JOIN district_enrollment d ON d.district_id = s.district_id AND d.school_year = s.school_year
    GROUP BY s.district_id, s.school_year
), tch AS (
    SELECT district_id, school_year, sum(teacher_fte) AS teacher_fte
    FROM school_teacher_fte
    GROUP BY district_id, school_year
), cls AS (
    SELECT
        district_id,
        school_year,
        CAST(sum(students) AS DECIMAL(20, 4)) / count(*) AS class_size_section_weighted,
                CAST(sum(students * students) AS DECIMAL(20, 4)) / NULLIF(sum(students), 0) AS class_size_student_weighted
    FROM section_size
    WHERE students > 0
    GROUP BY district_id, school_year
), tl AS (
    SELECT district_id, school_year, CAST(sum(students) AS DECIMAL(20, 4)) / count(*) AS teacher_load
    FROM teacher_load
    GROUP BY district_id, school_year
), gl AS (
    SELECT
        district_id,
        school_year,
        sum(current_expenditure) AS current_expenditure,
        sum(current_personnel) AS current_personnel
    FROM gl_district_totals
    GROUP BY district_id, school_year
)
SELECT
    enr.district_id,
    enr.school_year,
    enr.schools,
    enr.students,
    tch.teacher_fte,
        CAST(enr.students AS DECIMAL(20, 4)) / NULLIF(tch.teacher_fte, 0) AS students_per_teacher,
    cls.class_size_section_weighted,
    cls.class_size_student_weighted,
    tl.teacher_load,
    gl.current_expenditure,
        gl.current_expenditure / NULLIF(enr.students, 0) AS current_per_pupil,
    gl.current_personnel / NULLIF(gl.current_expenditure, 0) AS personnel_share
FROM enr
LEFT JOIN tch ON tch.district_id = enr.district_id AND tch.school_year = enr.school_year
LEFT JOIN cls ON cls.district_id = enr.district_id AND cls.school_year = enr.school_year
LEFT JOIN tl ON tl.district_id = enr.district_id AND tl.school_year = enr.school_year
LEFT JOIN gl ON gl.district_id = enr.district_id AND gl.school_year = enr.school_year;

-- Per-pupil spending by district and year from every source that gives it,
-- each row saying which definition and denominator made it:
--   F-33 current expenditure / fall membership (district_per_pupil);
--   a publication's own per-pupil figure (New Jersey, Kansas), as published;
--   the district's ledger: NCES current expenditure / October 1 enrollment.
CREATE VIEW per_pupil_spending AS
SELECT
    district_id, school_year, source, definition,
    'fall_membership' AS denominator, enrollment, current_expenditure AS spending,
    current_per_pupil AS per_pupil
FROM district_per_pupil
UNION ALL
SELECT
    district_id, school_year, source, per_pupil_definition AS definition,
    enrollment_kind AS denominator, enrollment,
    COALESCE(total_expenditure, current_expenditure) AS spending,
    per_pupil_published AS per_pupil
FROM district_profile
WHERE per_pupil_published IS NOT NULL
UNION ALL
SELECT
    g.district_id, g.school_year, 'gl_line' AS source,
    'NCES current expenditure from the ledger (gl_line_classified.is_current)' AS definition,
    'october_1_enrollment' AS denominator,
    CAST(e.students AS DECIMAL(20, 8)) AS enrollment,
    g.current_expenditure AS spending,
        g.current_expenditure / NULLIF(e.students, 0) AS per_pupil
FROM (
    SELECT district_id, school_year, sum(current_expenditure) AS current_expenditure
    FROM gl_district_totals
    WHERE current_expenditure IS NOT NULL
    GROUP BY district_id, school_year
) g
JOIN (
    SELECT district_id, school_year, enrollment AS students FROM district_enrollment
) e ON e.district_id = g.district_id AND e.school_year = g.school_year
WHERE e.students > 0;
