-- target: district_profile
-- source: ks_pupil_teacher_ratio
-- description: Kansas (KSDE Data Central) pupil-teacher ratio by USD and year: FTE enrollment, licensed and teacher FTE, published ratio
--
-- Covers 2007-08 to 2021-22: one ingest replaces every district-year it holds.
-- D0999 is the statewide row, published unrounded.
SELECT
    _file AS source_file,
    _line AS source_line,
    org_no AS district_id,
    parse_school_year(school_year) AS school_year,
    org_name AS district_name,
    'KS' AS state,
    CASE WHEN org_no = 'D0999' THEN 'state' ELSE 'district' END AS org_level,
    parse_decimal(fte_enrollment, 8) AS enrollment,
    'fte_enrollment' AS enrollment_kind,
    parse_decimal(licensed_personnel_fte, 6) AS licensed_fte,
    parse_decimal(special_ed_teachers_fte, 6) AS sped_teacher_fte,
    parse_decimal(pk12_teachers_fte, 6) AS teacher_fte,
    parse_decimal(pupil_teacher_ratio, 6) AS pupil_teacher_ratio
FROM raw
