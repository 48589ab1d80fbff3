-- name: school_trend
-- description: Each school's per-pupil spending from the resource map, year by year, nominal and in constant dollars of base_year (CPI-U), with year-over-year change
-- param: district text | district id
-- param: definition text(essa_ppe,nces_current) = essa_ppe | spending definition: essa_ppe or nces_current
-- param: base_year int = 2024 | school year whose dollars the constant-dollar column is in
-- param: school text = null | one school; all schools when omitted
-- rounding: dollars half-up to the cent (round_half_up); change to 4 decimals (round)
WITH guard AS (
    SELECT reject_unless(
        (SELECT count(*) FROM cpi_school_year WHERE school_year = $base_year) > 0,
        'base_year ' || CAST($base_year AS VARCHAR) || ' has no CPI-U in data/reference/cpi_u_annual.csv'
    ) AS ok
),
priced AS (
    SELECT
        p.school_id,
        p.school_year,
        c.school_year_label,
        p.enrollment,
        p.per_pupil,
        p.per_pupil * CAST(b.cpi_u AS DECIMAL(12, 4)) / CAST(c.cpi_u AS DECIMAL(12, 4)) AS per_pupil_constant
    FROM school_per_pupil p
    LEFT JOIN cpi_school_year c ON c.school_year = p.school_year
    LEFT JOIN cpi_school_year b ON b.school_year = $base_year
    WHERE p.district_id = $district AND p.definition_id = $definition
      AND ($school IS NULL OR p.school_id = $school)
),
result AS (
SELECT
    school_id,
    school_year,
    school_year_label,
    enrollment,
    round_half_up(per_pupil, 2) AS per_pupil,
    round_half_up(per_pupil_constant, 2) AS per_pupil_constant,
    CASE WHEN lag(school_year) OVER (PARTITION BY school_id ORDER BY school_year) = school_year - 1 THEN
        round(CAST(per_pupil / lag(per_pupil) OVER (PARTITION BY school_id ORDER BY school_year) - 1 AS DOUBLE), 4)
    END AS per_pupil_yoy,
    CASE WHEN lag(school_year) OVER (PARTITION BY school_id ORDER BY school_year) = school_year - 1 THEN
        round(CAST(per_pupil_constant / lag(per_pupil_constant) OVER (PARTITION BY school_id ORDER BY school_year) - 1 AS DOUBLE), 4)
    END AS per_pupil_constant_yoy
FROM priced
)
SELECT * FROM result
-- the guard's own branch runs even when there are no rows
UNION ALL
SELECT r.* FROM guard LEFT JOIN result r ON false WHERE NOT guard.ok
ORDER BY school_id, school_year
