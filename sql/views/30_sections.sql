-- Class size and teacher load from the master schedule and rosters.

-- Each section's size on its census day: October 1 when the section meets
-- then (or its term dates are not known), otherwise its first day. A student
-- counts when enrolled in the section on that day.
CREATE VIEW section_size AS
WITH s AS (
    SELECT
        *,
                CASE
            WHEN term_begin IS NULL
              OR (term_begin <= make_date(school_year - 1, 10, 1)
                  AND (term_end IS NULL OR term_end >= make_date(school_year - 1, 10, 1)))
            THEN make_date(school_year - 1, 10, 1)
            ELSE term_begin
        END AS census_date
    FROM section
)
SELECT
    s.district_id,
    s.school_year,
    s.school_id,
    s.section_id,
    s.subject,
    s.program_type,
    s.grade_low,
    s.grade_high,
    s.census_date,
    count(DISTINCT r.student_id) AS students
FROM s
LEFT JOIN student_section r
  ON r.district_id = s.district_id AND r.school_year = s.school_year
 AND r.section_id = s.section_id
 AND r.begin_date <= s.census_date
 AND (r.end_date IS NULL OR r.end_date >= s.census_date)
GROUP BY s.district_id, s.school_year, s.school_id, s.section_id, s.subject,
         s.program_type, s.grade_low, s.grade_high, s.census_date;

-- Average class size per school, both ways (DOMAIN.md 3.4 items 9 and 10):
-- section-weighted = sum(n) / sections; student-weighted = sum(n^2) / sum(n),
-- the size of the class the average student sits in. Sections with no
-- students on their census day are left out.
CREATE VIEW school_class_size AS
SELECT
    district_id,
    school_year,
    school_id,
    count(*) AS sections,
    sum(students) AS seats,
    CAST(sum(students) AS DECIMAL(20, 4)) / count(*) AS class_size_section_weighted,
        CAST(sum(students * students) AS DECIMAL(20, 4)) / NULLIF(sum(students), 0) AS class_size_student_weighted
FROM section_size
WHERE students > 0
GROUP BY district_id, school_year, school_id;

-- Teacher load: distinct students each teacher of record teaches in a year
-- (0 for a teacher whose sections have no students).
CREATE VIEW teacher_load AS
SELECT
    t.district_id,
    t.school_year,
    t.staff_id,
    count(DISTINCT t.section_id) AS sections,
    count(DISTINCT r.student_id) AS students
FROM staff_section t
LEFT JOIN student_section r
  ON r.district_id = t.district_id AND r.school_year = t.school_year AND r.section_id = t.section_id
WHERE t.role = 'teacher_of_record'
GROUP BY t.district_id, t.school_year, t.staff_id;
