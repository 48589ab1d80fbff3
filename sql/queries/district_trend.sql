-- name: district_trend
-- description: A district's published figures year by year: per-pupil spending and average teacher salary (nominal and in constant dollars of base_year), total expenditure per pupil, enrollment and pupil-teacher ratio, with year-over-year change and compound annual growth of spending over the span
-- param: district text | district id
-- param: from_year int = null | first ending school year; from the first published when omitted
-- param: to_year int = null | last ending school year; to the last published when omitted
-- param: base_year int = 2021 | school year whose dollars the constant-dollar column is in (CPI-U, data/reference/cpi_u_annual.csv)
-- rounding: dollars half-up to the cent (round_half_up); ratios and growth to 4 decimals (round)
WITH y AS (
    SELECT
        m.school_year,
        m.school_year_label,
        max(m.district_name) AS district_name,
        max(m.per_pupil) AS per_pupil,
        max(m.per_pupil_definition) AS per_pupil_definition,
        max(m.pupil_teacher_ratio) AS pupil_teacher_ratio,
        max(m.total_per_pupil) AS total_per_pupil,
        max(m.avg_teacher_salary) AS avg_teacher_salary,
        max(m.enrollment) AS enrollment,
        string_agg(DISTINCT m.source, ', ') AS sources
    FROM district_metric_year m
    WHERE m.district_id = $district
      AND ($from_year IS NULL OR m.school_year >= $from_year)
      AND ($to_year IS NULL OR m.school_year <= $to_year)
    GROUP BY m.school_year, m.school_year_label
),
priced AS (
    SELECT
        y.*,
        round_half_up(y.per_pupil * CAST(b.cpi_u AS DECIMAL(12, 4)) / CAST(c.cpi_u AS DECIMAL(12, 4)), 6) AS per_pupil_constant,
        round_half_up(y.avg_teacher_salary * CAST(b.cpi_u AS DECIMAL(12, 4)) / CAST(c.cpi_u AS DECIMAL(12, 4)), 6) AS avg_teacher_salary_constant,
        c.cpi_u
    FROM y
    LEFT JOIN cpi_school_year c ON c.school_year = y.school_year
    LEFT JOIN cpi_school_year b ON b.school_year = $base_year
),
guard AS (
    SELECT reject_unless(
        (SELECT count(*) FROM cpi_school_year WHERE school_year = $base_year) > 0,
        'base_year ' || CAST($base_year AS VARCHAR) || ' has no CPI-U in data/reference/cpi_u_annual.csv (school years '
        || (SELECT CAST(min(school_year) AS VARCHAR) || '-' || CAST(max(school_year) AS VARCHAR) FROM cpi_school_year) || ')'
    ) AND reject_unless(
        (SELECT count(*) FROM y) > 0,
        'district ' || CAST($district AS VARCHAR) || ' has no published figures in those years'
    ) AS ok
),
span AS (
    SELECT
        min(school_year) FILTER (WHERE per_pupil IS NOT NULL) AS first_year,
        max(school_year) FILTER (WHERE per_pupil IS NOT NULL) AS last_year
    FROM priced
),
result AS (
SELECT
    p.school_year,
    p.school_year_label,
    p.district_name,
    round_half_up(p.per_pupil, 2) AS per_pupil,
    round_half_up(p.per_pupil_constant, 2) AS per_pupil_constant,
    -- change over the year before only: a gap in the years gives NULL, not a
    -- two-year change labelled as one
    CASE WHEN lag(p.school_year) OVER (ORDER BY p.school_year) = p.school_year - 1 THEN
        round(CAST(p.per_pupil / lag(p.per_pupil) OVER (ORDER BY p.school_year) - 1 AS DOUBLE), 4)
    END AS per_pupil_yoy,
    CASE WHEN lag(p.school_year) OVER (ORDER BY p.school_year) = p.school_year - 1 THEN
        round(CAST(p.per_pupil_constant / lag(p.per_pupil_constant) OVER (ORDER BY p.school_year) - 1 AS DOUBLE), 4)
    END AS per_pupil_constant_yoy,
    p.pupil_teacher_ratio,
    CAST(round(p.enrollment) AS BIGINT) AS enrollment,
    round_half_up(p.total_per_pupil, 2) AS total_per_pupil,
    round_half_up(p.avg_teacher_salary, 2) AS avg_teacher_salary,
    round_half_up(p.avg_teacher_salary_constant, 2) AS avg_teacher_salary_constant,
    round(power(CAST(l.per_pupil / f.per_pupil AS DOUBLE), 1.0 / CAST(NULLIF(s.last_year - s.first_year, 0) AS DOUBLE)) - 1, 4) AS per_pupil_cagr,
    round(power(CAST(l.per_pupil_constant / f.per_pupil_constant AS DOUBLE), 1.0 / CAST(NULLIF(s.last_year - s.first_year, 0) AS DOUBLE)) - 1, 4) AS per_pupil_constant_cagr,
    p.per_pupil_definition,
    p.sources
FROM priced p
CROSS JOIN span s

LEFT JOIN priced f ON f.school_year = s.first_year
LEFT JOIN priced l ON l.school_year = s.last_year
),
checked AS (
    SELECT * FROM result
    -- the guard's own branch runs even when there are no rows, so a bad
    -- district or base year is an error, never an empty table
    UNION ALL
    SELECT r.* FROM guard LEFT JOIN result r ON false WHERE NOT guard.ok
)
SELECT * FROM checked ORDER BY school_year
