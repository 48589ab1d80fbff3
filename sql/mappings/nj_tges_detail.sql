-- target: district_profile
-- source: nj_tges_detail
-- description: New Jersey Taxpayers' Guide to Education Spending DETAIL file: total spending, ADE enrollment and published total spending per pupil
-- encoding: cp1252
-- column-case: lower
-- rename: ^exp\d\d$ => exp_total
-- rename: ^totenr\da$ => enrollment_ade
-- rename: ^pp\d\d$ => pp_total
--
-- The DETAIL columns carry the fiscal year in their names (EXP23, PP23) and
-- the enrollment column changes name between editions (TOTENR1A, TOTENR2A);
-- the renames above give them one name. Pass --year (2023 for
-- DETAIL_FY23_2024.CSV). District codes are four digits; charters have no county.
SELECT
    _file AS source_file,
    _line AS source_line,
    pad_code(dist, 4) AS district_id,
    distname AS district_name,
    'NJ' AS state,
    'district' AS org_level,
    CASE WHEN trim(coname) = '' THEN 'charter' ELSE 'district' END AS org_type,
    parse_decimal(enrollment_ade, 8) AS enrollment,
    'ade' AS enrollment_kind,
    parse_money(exp_total) AS total_expenditure,
    parse_decimal(pp_total, 6) AS per_pupil_published,
    'nj_total_spending_per_ade_pupil' AS per_pupil_definition
FROM raw
