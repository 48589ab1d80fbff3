-- name: student_cost_by_group
-- description: Mean cost per full-year student by subgroup (poverty, English learners, disability, race, prior math quartile), optionally by spending category; groups under min_group students suppressed (the complementary cell that could reveal one is not yet: issue 5)
-- param: district text | district id
-- param: year int = null | ending school year; all years when omitted
-- param: definition text(essa_ppe,nces_current) = essa_ppe | spending definition: essa_ppe or nces_current
-- param: min_group int = 10 | groups with fewer students print as suppressed; 0 shows every group
-- param: by_category bool = false | one row per group, spending category and fund source
-- rounding: half-up to the cent (round_half_up)
SELECT
    school_year,
    grouping,
    group_value,
    category,
    fund_source,
    CASE WHEN students < $min_group THEN NULL ELSE students END AS students,
    CASE WHEN students < $min_group THEN NULL ELSE round_half_up(cost_per_fte_year, 2) END AS cost_per_student,
    students < $min_group AS suppressed
FROM (
    SELECT school_year, grouping, group_value, 'all' AS category, 'all' AS fund_source, students, cost_per_fte_year
    FROM student_cost_by_group
    WHERE district_id = $district AND definition_id = $definition AND NOT $by_category
    UNION ALL
    SELECT school_year, grouping, group_value, category, fund_source, students, cost_per_fte_year
    FROM student_cost_by_group_category
    WHERE district_id = $district AND definition_id = $definition AND $by_category
) g
WHERE ($year IS NULL OR school_year = $year)
ORDER BY school_year, grouping, group_value, category, fund_source
