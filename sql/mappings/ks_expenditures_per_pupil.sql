-- target: district_profile
-- source: ks_expenditures_per_pupil
-- description: Kansas (KSDE Data Central) total expenditures per pupil by USD and year, with FTE enrollment
--
-- Covers 2007-08 to 2020-21. The per-pupil figures arrive as long binary
-- floats (16123.78695119818); they are kept to six decimals, rounded half up.
-- The capital-outlay, bond-interest and all-other components are per pupil
-- too and have no column here; total_expend_per_pupil is their sum.
SELECT
    _file AS source_file,
    _line AS source_line,
    usd AS district_id,
    parse_school_year(school_year) AS school_year,
    usd_name AS district_name,
    'KS' AS state,
    CASE WHEN usd = 'D0999' THEN 'state' ELSE 'district' END AS org_level,
    parse_decimal(fte_enroll, 8) AS enrollment,
    'fte_enrollment' AS enrollment_kind,
    parse_decimal(total_expend_per_pupil, 6) AS per_pupil_published,
    'ks_total_expenditure_per_fte_pupil' AS per_pupil_definition
FROM raw
