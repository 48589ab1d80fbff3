-- name: district_overview
-- description: Headline resources by district and year: students, teachers, class size, teacher load, current spending per pupil
-- param: districts text[] = null | district ids, comma-separated; all districts when omitted
-- param: year int = null | ending school year; all years when omitted
-- rounding: half-up: money to the cent, ratios and sizes to 0.1, shares to 0.001 (round_half_up)
SELECT
    district_id,
    school_year,
    schools,
    students,
    round_half_up(teacher_fte, 1) AS teacher_fte,
    round_half_up(students_per_teacher, 1) AS students_per_teacher,
    round_half_up(class_size_section_weighted, 1) AS class_size,
    round_half_up(class_size_student_weighted, 1) AS class_size_student_weighted,
    round_half_up(teacher_load, 1) AS teacher_load,
    round_half_up(current_expenditure, 2) AS current_expenditure,
    round_half_up(current_per_pupil, 2) AS current_per_pupil,
    round_half_up(personnel_share, 3) AS personnel_share
FROM district_overview
WHERE ($districts IS NULL OR array_has($districts, district_id))
  AND ($year IS NULL OR school_year = $year)
ORDER BY district_id, school_year
