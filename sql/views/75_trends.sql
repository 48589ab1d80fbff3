-- Trends across years: a school year's price level, and the published
-- district figures year by year in nominal and constant dollars
-- (docs/metrics.md).

-- The CPI-U of a school year (ending year Y = July Y-1 to June Y): the mean
-- of the annual averages of the two calendar years it spans
-- (data/reference/cpi_u_annual.csv). NULL when either year is missing, so a
-- year is never priced with a neighbour's index.
CREATE VIEW cpi_school_year AS
SELECT
    b.year AS school_year,
    CAST(a.year AS VARCHAR) || '-' || substr(CAST(b.year AS VARCHAR), 3, 2) AS school_year_label,
    (a.cpi_u + b.cpi_u) / 2 AS cpi_u
FROM cpi_u_annual a
JOIN cpi_u_annual b ON b.year = a.year + 1;

-- Published district figures, one row per district, school year and
-- source: per-pupil spending (as published, with its definition; else
-- current expenditure / enrollment), total expenditure per pupil,
-- pupil-teacher ratio, average teacher salary, enrollment, poverty share.
CREATE VIEW district_metric_year AS
SELECT
    district_id,
    school_year,
    CAST(school_year - 1 AS VARCHAR) || '-' || substr(CAST(school_year AS VARCHAR), 3, 2) AS school_year_label,
    source,
    district_name,
    state,
    org_level,
    enrollment,
    enrollment_kind,
    COALESCE(per_pupil_published, round_half_up(current_expenditure / NULLIF(enrollment, 0), 6)) AS per_pupil,
    COALESCE(per_pupil_definition, CASE WHEN current_expenditure IS NOT NULL THEN 'current_expenditure / enrollment' END) AS per_pupil_definition,
    round_half_up(total_expenditure / NULLIF(enrollment, 0), 6) AS total_per_pupil,
    pupil_teacher_ratio,
    avg_teacher_salary,
    econ_disadv_share,
    urbanicity
FROM district_profile;
