-- name: student_cost_by_group
-- description: Mean cost per full-year student by subgroup (poverty, English learners, disability, race, prior math quartile), optionally by spending category; groups under min_group students suppressed, with the complementary group that would reveal one
-- param: district text | district id
-- param: year int = null | ending school year; all years when omitted
-- param: definition text(essa_ppe,nces_current) = essa_ppe | spending definition: essa_ppe or nces_current
-- param: min_group int = 10 | groups with fewer students print as suppressed; lower values (0 shows every group) are logged as a warning
-- param: by_category bool = false | one row per group, spending category and fund source
-- rounding: half-up to the cent (round_half_up)
--
-- Suppression: a group under min_group students is suppressed. When only one
-- group of a grouping (say disability = yes) is suppressed, it could be worked
-- out from the "all" row and the other groups, so the smallest other group of
-- that grouping (the complementary cell) is suppressed too; and when a hidden
-- group is the only group of its grouping in a category (by category a group
-- can be the only one with that spending), the "all" row of that category is
-- hidden as well, and with it every group of that category (any grouping
-- would add up to it).
-- The year is filtered in each branch of the union, not after it: the
-- branches' types differ, and DataFusion 55 cannot push a filter through the
-- union's coercion into the stages, which would then compute every year.
WITH g AS (
    SELECT school_year, grouping, group_value, 'all' AS category, 'all' AS fund_source, students, cost_per_fte_year
    FROM student_cost_by_group
    WHERE district_id = $district AND definition_id = $definition AND NOT $by_category
      AND ($year IS NULL OR school_year = $year)
    UNION ALL
    SELECT school_year, grouping, group_value, category, fund_source, students, cost_per_fte_year
    FROM student_cost_by_group_category
    WHERE district_id = $district AND definition_id = $definition AND $by_category
      AND ($year IS NULL OR school_year = $year)
),
marked AS (
    SELECT
        *,
        students < $min_group AS small,
        sum(CASE WHEN students < $min_group THEN 1 ELSE 0 END)
            OVER (PARTITION BY school_year, grouping, category, fund_source) AS small_in_grouping,
        row_number() OVER (
            PARTITION BY school_year, grouping, category, fund_source, students < $min_group
            ORDER BY students, group_value
        ) AS rank_among_kept
    FROM g
),
hidden AS (
    SELECT
        *,
        small OR (grouping <> 'all' AND NOT small AND small_in_grouping = 1 AND rank_among_kept = 1) AS hide
    FROM marked
),
-- A grouping with a single group present (in a category, a group may be the
-- only one with that spending) is its "all" row: when that group is hidden,
-- the "all" row would give it away, so it is hidden too.
whole AS (
    SELECT
        *,
        hide AND count(*) OVER (PARTITION BY school_year, grouping, category, fund_source) = 1
            AS grouping_hidden
    FROM hidden
),
suppressed AS (
    SELECT
        *,
        hide OR (grouping = 'all' AND bool_or(grouping <> 'all' AND grouping_hidden)
            OVER (PARTITION BY school_year, category, fund_source)) AS hide_all
    FROM whole
),
-- Every grouping adds up to the "all" row: once that is hidden, any other
-- grouping's visible groups would rebuild it, so the whole category goes.
final AS (
    SELECT
        *,
        hide_all OR bool_or(grouping = 'all' AND hide_all)
            OVER (PARTITION BY school_year, category, fund_source) AS hide_final
    FROM suppressed
)
SELECT
    school_year,
    grouping,
    group_value,
    category,
    fund_source,
    CASE WHEN hide_final THEN NULL ELSE students END AS students,
    CASE WHEN hide_final THEN NULL ELSE round_half_up(cost_per_fte_year, 2) END AS cost_per_student,
    hide_final AS suppressed
FROM final
ORDER BY school_year, grouping, group_value, category, fund_source
