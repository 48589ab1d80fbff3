-- name: student_cost_by_group
-- description: Mean cost per full-year student by subgroup (poverty, English learners, disability, race), groups under min_group students suppressed
-- param: district text | district id
-- param: year int = null | ending school year; all years when omitted
-- param: definition text = essa_ppe | spending definition: essa_ppe or nces_current
-- param: min_group int = 10 | groups with fewer students print as suppressed; 0 shows every group
-- rounding: half-up to the cent (round_half_up)
SELECT
    school_year,
    grouping,
    group_value,
    CASE WHEN students < $min_group THEN NULL ELSE students END AS students,
    CASE WHEN students < $min_group THEN NULL ELSE round_half_up(cost_per_fte_year, 2) END AS cost_per_student,
    students < $min_group AS suppressed
FROM student_cost_by_group
WHERE district_id = $district
  AND ($year IS NULL OR school_year = $year)
  AND definition_id = $definition
ORDER BY school_year, grouping, group_value
