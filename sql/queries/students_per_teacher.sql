-- name: students_per_teacher
-- description: Students per teacher by school: October 1 enrollment over teacher FTE (classroom, special-education and English-learner teachers)
-- param: district text | district id
-- param: year int = null | ending school year; all years when omitted
-- rounding: half-up to 0.1 (round_half_up)
SELECT
    p.school_year,
    p.school_id,
    s.school_name,
    p.enrollment,
    round_half_up(p.teacher_fte, 1) AS teacher_fte,
    round_half_up(p.students_per_teacher, 1) AS students_per_teacher
FROM school_students_per_teacher p
LEFT JOIN school s
  ON s.district_id = p.district_id AND s.school_year = p.school_year AND s.school_id = p.school_id
WHERE p.district_id = $district
  AND ($year IS NULL OR p.school_year = $year)
ORDER BY p.school_year, p.school_id
