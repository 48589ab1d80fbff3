-- name: class_size
-- description: Average class size by school, section-weighted and student-weighted, from rosters on each section's census day
-- param: district text | district id
-- param: year int = null | ending school year; all years when omitted
-- rounding: half-up to 0.1 (round_half_up)
SELECT
    c.school_year,
    c.school_id,
    s.school_name,
    c.sections,
    c.seats,
    round_half_up(c.class_size_section_weighted, 1) AS class_size,
    round_half_up(c.class_size_student_weighted, 1) AS class_size_student_weighted
FROM school_class_size c
LEFT JOIN school s
  ON s.district_id = c.district_id AND s.school_year = c.school_year AND s.school_id = c.school_id
WHERE c.district_id = $district
  AND ($year IS NULL OR c.school_year = $year)
ORDER BY c.school_year, c.school_id
