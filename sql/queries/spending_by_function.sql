-- name: spending_by_function
-- description: A district's actual spending by NCES function group in each of its years, with each group's share of the year
-- param: district text | district id
-- rounding: half-up: dollars to the cent, shares to 0.001 (round_half_up)
--
-- Lines coded to another chart of accounts than NCES's show as 'Unclassified
-- (chart X)' until a crosswalk maps them; until then that group holds every
-- actual line of the chart, revenue and balance-sheet accounts included.
WITH g AS (
    SELECT
        school_year,
        COALESCE(function_group, 'Unclassified (chart ' || COALESCE(chart, 'not stated') || ')') AS function_group,
        sum(amount) AS spending
    FROM gl_line_classified
    WHERE district_id = $district AND line_type = 'actual'
    GROUP BY school_year, 2
)
SELECT
    school_year,
    function_group,
    round_half_up(spending, 2) AS spending,
        round_half_up(spending / NULLIF(sum(spending) OVER (PARTITION BY school_year), 0), 3) AS share_of_year
FROM g
ORDER BY school_year, spending DESC
