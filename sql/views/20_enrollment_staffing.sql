-- Enrollment and staffing from the district's own records, counted on the
-- count date: October 1 of the school year (2023-10-01 for 2024).

-- Enrollment spells that cover the count date (primary enrollments).
-- exit_date is the last day enrolled, so a student moving schools on the
-- count date is on both schools' rolls that day.
CREATE VIEW enrolled_on_count_date AS
SELECT e.district_id, e.school_year, e.school_id, e.student_id, e.grade
FROM student_enrollment e
WHERE e.entry_date <= make_date(e.school_year - 1, 10, 1)
  AND (e.exit_date IS NULL OR e.exit_date >= make_date(e.school_year - 1, 10, 1))
  AND (e.is_primary IS NULL OR e.is_primary);

-- Students enrolled at each school on the count date.
CREATE VIEW school_enrollment AS
SELECT district_id, school_year, school_id, count(DISTINCT student_id) AS enrollment
FROM enrolled_on_count_date
GROUP BY district_id, school_year, school_id;

-- Students enrolled anywhere in the district on the count date, each once.
CREATE VIEW district_enrollment AS
SELECT district_id, school_year, count(DISTINCT student_id) AS enrollment
FROM enrolled_on_count_date
GROUP BY district_id, school_year;

-- Teacher FTE at each school on the count date: classroom, special-education
-- and English-learner teachers.
CREATE VIEW school_teacher_fte AS
SELECT
    a.district_id,
    a.school_year,
    a.school_id,
    sum(a.fte) AS teacher_fte
FROM staff_assignment a
WHERE a.classification IN ('teacher', 'sped_teacher', 'el_teacher')
  AND a.school_id IS NOT NULL
  AND (a.begin_date IS NULL OR a.begin_date <= make_date(a.school_year - 1, 10, 1))
  AND (a.end_date IS NULL OR a.end_date >= make_date(a.school_year - 1, 10, 1))
GROUP BY a.district_id, a.school_year, a.school_id;

-- Students per teacher: enrollment / teacher FTE, exact (NULL without teachers).
CREATE VIEW school_students_per_teacher AS
SELECT
    e.district_id,
    e.school_year,
    e.school_id,
    e.enrollment,
    t.teacher_fte,
        CAST(e.enrollment AS DECIMAL(20, 4)) / NULLIF(t.teacher_fte, 0) AS students_per_teacher
FROM school_enrollment e
JOIN school_teacher_fte t
  ON t.district_id = e.district_id AND t.school_year = e.school_year AND t.school_id = e.school_id;
