-- target: payroll_line
-- source: ut_alpine_payroll
-- description: Alpine School District (Utah) annual employee compensation export (Utah Transparent): one employee's salary or benefits per fund, site and salary object for a fiscal year
-- column-case: lower
--
-- The export (transparent.utah.gov, pseudonymized: employee_id = EMP_<hash>,
-- stable across years) has one row per employee, fund, site and category for a
-- whole fiscal year (July-June; fiscal_year 2022 = school year 2022). There is
-- no pay date, no function code, no hours or FTE. Columns: fund1 is the fund
-- group ('10 General Fund (Maintenance and Operation)', '20 Special Revenue
-- Funds', '49 School Food Services Fund', '60 Internal Service Funds') and fund2
-- the sub-fund where there is one ('21 Student Activity Fund', '23 Non K-12
-- Programs (...)', '25 Supplemental Programs', '66 (assigned by district)');
-- fund3, fund4, org3, org4 and cat4 are always empty. org1 is the site-type
-- range ('700 - 799 High Schools'), org2 the site ('704 - American Fork High').
-- cat1 is '100 SALARIES' or '200 EMPLOYEE BENEFITS'; salary rows carry the
-- Utah salary object in cat2 ('130 Instructional Salaries') and cat3 ('131
-- Salaries - Teachers'); benefit rows have no further breakdown. description
-- repeats cat1: REGULAR WAGES (cat1 100) or EMPLOYEE BENEFITS (cat1 200).
--
-- Choices:
-- - one raw row = one payroll_line; staff_id = employee_id; pay_date NULL (the
--   export is annual); function, hours, fte NULL (the file has none).
-- - chart 'ut_alpine': Utah's object codes are not NCES's (Utah 131 is teacher
--   salaries, NCES 130 overtime); data/crosswalks/ut_alpine.csv maps them.
-- - fund = the most specific fund code: the sub-fund from fund2 when present
--   ('21', '23', '25', '66'), else the fund from fund1 ('10', '49', '60').
-- - object = the 3-digit code of cat3 (e.g. '131'), else of cat1 ('200' on
--   benefit rows); cat2 must be cat3's parent and cat1 its series.
-- - location_id = the 3-digit site code that begins org2 ('704').
-- - account_id = fund-object-location, e.g. '10-131-704'.
-- - earnings_type: REGULAR WAGES -> 'regular', EMPLOYEE BENEFITS -> 'benefits';
--   any other description is rejected so a new one is noticed.
-- - money: salary rows give gross = net_amount, employer_benefits = 0.00;
--   benefit rows gross = 0.00, employer_benefits = net_amount. Amounts are
--   plain decimals, some negative (adjustments), no separators. A few (7 in
--   FY2022, 9 in FY2023) were written from binary floats, e.g.
--   '547.4799999999999': those, and only those within 0.000001 of a whole
--   cent, are read as that cent (parse_decimal(x, 2)); any other value with
--   fractions of a cent is rejected, and everything else goes through
--   parse_money unchanged.
-- - school_year is read from fiscal_year, so a file given with the wrong
--   --year is rejected rather than loaded into another year.
WITH r AS (
    SELECT
        *,
        split_part(fund1, ' ', 1) AS fund_group,
        NULLIF(split_part(fund2, ' ', 1), '') AS sub_fund,
        split_part(org2, ' - ', 1) AS site,
        split_part(cat1, ' ', 1) AS series,
        NULLIF(split_part(cat2, ' ', 1), '') AS object_parent,
        NULLIF(split_part(cat3, ' ', 1), '') AS object_detail,
        regexp_like(net_amount, '^-?[0-9]+\.[0-9]{3,}$') AS float_text
    FROM raw
),
c AS (
    SELECT
        *,
        COALESCE(sub_fund, fund_group) AS fund_code,
        COALESCE(object_detail, series) AS object_code,
        CASE
            WHEN float_text THEN parse_decimal(net_amount, 2)
            ELSE parse_money(net_amount)
        END AS amount
    FROM r
)
SELECT
    _file AS source_file,
    _line AS source_line,
    CAST(fiscal_year AS INT) AS school_year,
    employee_id AS staff_id,
    CAST(NULL AS DATE) AS pay_date,
    'ut_alpine' AS chart,
    fund_code || '-' || object_code || '-' || site AS account_id,
    fund_code AS fund,
    CAST(NULL AS VARCHAR) AS function,
    object_code AS object,
    site AS location_id,
    CASE description
        WHEN 'REGULAR WAGES' THEN 'regular'
        WHEN 'EMPLOYEE BENEFITS' THEN 'benefits'
    END AS earnings_type,
    CASE WHEN series = '100' THEN amount ELSE parse_money('0.00') END AS gross,
    CASE WHEN series = '200' THEN amount ELSE parse_money('0.00') END AS employer_benefits
FROM c
WHERE reject_unless(entity_name = 'Alpine School District',
        'entity_name ' || entity_name || ' is not Alpine School District')
  AND reject_unless(regexp_like(fund_group, '^[0-9]{2}$')
        AND (sub_fund IS NULL OR regexp_like(sub_fund, '^[0-9]{2}$')),
        'fund1/fund2 do not begin with a 2-digit fund code: ' || fund1 || ' / ' || fund2)
  AND reject_unless(regexp_like(site, '^[0-9]{3}$'),
        'org2 does not begin with a 3-digit site code: ' || org2)
  AND reject_unless(
        (series = '100' AND description = 'REGULAR WAGES'
            AND regexp_like(object_detail, '^1[0-9]{2}$')
            AND object_parent = substr(object_detail, 1, 2) || '0')
        OR (series = '200' AND description = 'EMPLOYEE BENEFITS'
            AND object_parent IS NULL AND object_detail IS NULL),
        'unexpected category/description: ' || cat1 || ' / ' || cat2 || ' / ' || cat3 || ' / ' || description)
  AND reject_unless(NOT float_text OR parse_decimal(net_amount, 6) = parse_decimal(net_amount, 2),
        'net_amount ' || net_amount || ' has fractions of a cent')
