-- Data-quality findings (../shared/DOMAIN.md section 8): one row per flaw,
-- with its rule, severity, table, key, measured value, expected range and a
-- plain-language detail. Rules and thresholds: data/reference/dq_rule.csv.
-- `resmap check` summarises these; the shell can query them.

-- The rules in force for each district-year in the warehouse: the bundled
-- rules (data/reference/dq_rule.csv) with any severity and thresholds the
-- district loaded into dq_threshold for that year in their place.
CREATE VIEW dq_rule_in_force AS
WITH district_years AS (
    SELECT DISTINCT district_id, school_year FROM (
        SELECT district_id, school_year FROM gl_line
        UNION ALL SELECT district_id, school_year FROM payroll_line
        UNION ALL SELECT district_id, school_year FROM staff
        UNION ALL SELECT district_id, school_year FROM staff_assignment
        UNION ALL SELECT district_id, school_year FROM student
        UNION ALL SELECT district_id, school_year FROM student_enrollment
        UNION ALL SELECT district_id, school_year FROM section
        UNION ALL SELECT district_id, school_year FROM staff_section
        UNION ALL SELECT district_id, school_year FROM assessment_result
    ) all_years
)
SELECT
    y.district_id,
    y.school_year,
    r.rule_id,
    COALESCE(t.severity, r.severity) AS severity,
    t.severity IS NOT NULL AS severity_set,
    COALESCE(t.low, r.low) AS low,
    COALESCE(t.high, r.high) AS high,
    r.name
FROM district_years y
CROSS JOIN dq_rule r
LEFT JOIN dq_threshold t
  ON t.district_id = y.district_id AND t.school_year = y.school_year AND t.rule_id = r.rule_id;

-- DQ-F01: ledger codes no crosswalk maps, with the dollars they leave unclassified.
CREATE VIEW dq_f01 AS
SELECT
    'DQ-F01' AS rule_id, r.severity, 'gl_line' AS table_name, u.district_id, u.school_year,
    u.dimension || ' ' || COALESCE(NULLIF(u.code, ''), '(blank)') || ' (chart ' || u.chart || ')' AS entity_key,
    CAST(u.amount AS VARCHAR) AS measured,
    'a crosswalk row' AS expected,
    CAST(u.lines AS VARCHAR) || ' lines, ' || CAST(u.amount AS VARCHAR)
        || ' dollars unclassified: add a coa_crosswalk row for this code' AS detail
FROM coa_unmapped_code u
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F01' AND r.district_id = u.district_id AND r.school_year = u.school_year;

-- DQ-F02: ledger lines on an account the district's chart of accounts does
-- not list although each of its codes is mapped (unmapped codes are
-- DQ-F01's), in district-years that loaded a chart (chart_account).
CREATE VIEW dq_f02 AS
SELECT
    'DQ-F02' AS rule_id, r.severity, 'gl_line' AS table_name, g.district_id, g.school_year,
    'account ' || g.account_id AS entity_key,
    CAST(sum(g.amount) AS VARCHAR) AS measured,
    'an account chart_account lists' AS expected,
    CAST(count(*) AS VARCHAR) || ' lines, ' || CAST(sum(g.amount) AS VARCHAR)
        || ' dollars on an account the chart of accounts does not list (first at '
        || array_agg(g.source_file || ':' || CAST(g.source_line AS VARCHAR)
                     ORDER BY g.source_file, g.source_line)[1]
        || ')' AS detail
FROM gl_line_mapped g
JOIN (SELECT DISTINCT district_id, school_year FROM chart_account) c
  ON c.district_id = g.district_id AND c.school_year = g.school_year
LEFT JOIN chart_account a
  ON a.district_id = g.district_id AND a.school_year = g.school_year AND a.account_id = g.account_id
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F02' AND r.district_id = g.district_id AND r.school_year = g.school_year
WHERE a.account_id IS NULL AND g.account_id IS NOT NULL AND g.unmapped_dimension IS NULL
GROUP BY r.severity, g.district_id, g.school_year, g.account_id;

-- DQ-F03: spending lines below zero with no equal positive line on the
-- same account within `high` days (a refund or a reversal without its
-- original), and accounts whose year nets below zero (an error unless the
-- district set the severity).
CREATE VIEW dq_f03 AS
WITH actual AS (
    -- spending lines: not the revenue, balance-sheet, agency or capital
    -- lines a crosswalk sets aside, where credits are the normal balance
    SELECT district_id, school_year, account_id, amount, posting_date, source_file, source_line
    FROM gl_line_mapped
    WHERE line_type = 'actual' AND account_id IS NOT NULL AND crosswalk_exclusion IS NULL
),
credits AS (
    SELECT
        n.*, r.severity, r.high,
        count(*) OVER (PARTITION BY n.district_id, n.school_year, n.account_id, n.amount) AS in_group,
        row_number() OVER (
            PARTITION BY n.district_id, n.school_year, n.account_id, n.amount
            ORDER BY n.posting_date DESC NULLS FIRST, n.source_file DESC, n.source_line DESC
        ) AS latest_first
    FROM actual n
    JOIN dq_rule_in_force r
      ON r.rule_id = 'DQ-F03' AND r.district_id = n.district_id AND r.school_year = n.school_year
    WHERE n.amount < 0
),
-- positive lines by account, amount and date (one row per date keeps the
-- pairing below linear in the lines, whatever a clearing account repeats)
originals AS (
    SELECT district_id, school_year, account_id, amount, posting_date, count(*) AS lines
    FROM actual
    WHERE amount > 0
    GROUP BY district_id, school_year, account_id, amount, posting_date
),
group_originals AS (
    SELECT district_id, school_year, account_id, amount, sum(lines) AS originals
    FROM originals
    GROUP BY district_id, school_year, account_id, amount
),
near AS (
    SELECT DISTINCT c.district_id, c.school_year, c.source_file, c.source_line
    FROM credits c
    JOIN originals o
      ON o.district_id = c.district_id AND o.school_year = c.school_year
     AND o.account_id = c.account_id AND o.amount = -c.amount
     AND (c.posting_date IS NULL OR o.posting_date IS NULL
          OR abs(CAST(o.posting_date AS INT) - CAST(c.posting_date AS INT)) <= c.high)
),
-- a credit without an original near it, or one of the latest credits of an
-- amount with more credits than originals (one original reverses once)
unmatched AS (
    SELECT c.*
    FROM credits c
    LEFT JOIN group_originals g
      ON g.district_id = c.district_id AND g.school_year = c.school_year
     AND g.account_id = c.account_id AND g.amount = -c.amount
    LEFT JOIN near n
      ON n.district_id = c.district_id AND n.school_year = c.school_year
     AND n.source_file = c.source_file AND n.source_line = c.source_line
    WHERE n.source_line IS NULL OR c.latest_first <= c.in_group - COALESCE(g.originals, 0)
)
SELECT
    'DQ-F03' AS rule_id, u.severity, 'gl_line' AS table_name, u.district_id, u.school_year,
    u.account_id || ' ' || CAST(u.amount AS VARCHAR) || ' ' || COALESCE(CAST(u.posting_date AS VARCHAR), '') AS entity_key,
    CAST(u.amount AS VARCHAR) AS measured,
    'a positive line of ' || CAST(-u.amount AS VARCHAR) || ' within ' || CAST(CAST(u.high AS INT) AS VARCHAR) || ' days' AS expected,
    'a credit of ' || CAST(u.amount AS VARCHAR) || ' with no original it reverses (' || u.source_file
        || ' line ' || CAST(u.source_line AS VARCHAR) || ')' AS detail
FROM unmatched u
UNION ALL
SELECT
    'DQ-F03' AS rule_id,
    CASE WHEN r.severity_set THEN r.severity ELSE 'error' END AS severity,
    'gl_line' AS table_name, a.district_id, a.school_year,
    'account ' || a.account_id AS entity_key,
    CAST(sum(a.amount) AS VARCHAR) AS measured,
    'at least 0' AS expected,
    'the account nets ' || CAST(sum(a.amount) AS VARCHAR) || ' over ' || CAST(count(*) AS VARCHAR)
        || ' actual lines: spending below zero' AS detail
FROM actual a
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F03' AND r.district_id = a.district_id AND r.school_year = a.school_year
GROUP BY r.severity, r.severity_set, a.district_id, a.school_year, a.account_id
HAVING sum(a.amount) < 0;

-- DQ-F04: identical ledger lines: same type, account, amount, date,
-- journal, vendor and description.
CREATE VIEW dq_f04 AS
SELECT
    'DQ-F04' AS rule_id, r.severity, 'gl_line' AS table_name, g.district_id, g.school_year,
    COALESCE(g.account_id, '') || ' ' || CAST(g.amount AS VARCHAR) || ' ' || COALESCE(CAST(g.posting_date AS VARCHAR), '')
        || COALESCE(' ' || g.journal_id, '') AS entity_key,
    CAST(count(*) AS VARCHAR) AS measured,
    '1' AS expected,
    'the same line appears ' || CAST(count(*) AS VARCHAR) || ' times ('
        || string_agg(g.source_file || ':' || CAST(g.source_line AS VARCHAR), ', ' ORDER BY g.source_file, g.source_line)
        || '): a duplicate, or a void without its reversal' AS detail
FROM gl_line g
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F04' AND r.district_id = g.district_id AND r.school_year = g.school_year
GROUP BY r.severity, g.district_id, g.school_year, g.line_type, g.account_id, g.amount, g.posting_date, g.journal_id, g.vendor, g.description
HAVING count(*) > 1;

-- DQ-F05: the ledger's current expenditure (gl_district_totals) against
-- each published figure for the district-year (district_profile: F-33, a
-- state report ...).
CREATE VIEW dq_f05 AS
SELECT
    'DQ-F05' AS rule_id, r.severity, 'gl_line' AS table_name, g.district_id, g.school_year,
    'district ' || g.district_id || ' against ' || p.source AS entity_key,
    CAST(g.current_expenditure AS VARCHAR) AS measured,
    CAST(p.current_expenditure AS VARCHAR) || ' within ' || CAST(CAST(r.high * 100 AS DOUBLE) AS VARCHAR) || '%' AS expected,
    'current expenditure ' || CAST(g.current_expenditure AS VARCHAR) || ' in the ledger, '
        || CAST(p.current_expenditure AS VARCHAR) || ' in ' || p.source || ' ('
        || CAST(round(100 * (g.current_expenditure - p.current_expenditure) / p.current_expenditure, 2) AS VARCHAR)
        || '%): lines missing from the ledger, or a different definition' AS detail
FROM (
    SELECT district_id, school_year, sum(current_expenditure) AS current_expenditure
    FROM gl_district_totals
    WHERE current_expenditure IS NOT NULL
    GROUP BY district_id, school_year
) g
JOIN district_profile p
  ON p.district_id = g.district_id AND p.school_year = g.school_year
 AND p.current_expenditure IS NOT NULL AND p.current_expenditure <> 0
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F05' AND r.district_id = g.district_id AND r.school_year = g.school_year
WHERE abs(g.current_expenditure - p.current_expenditure) > r.high * abs(p.current_expenditure);

-- DQ-F06: capital in operating: a dated line of supplies, books or
-- technology supplies (objects 61x, 64x, 65x; energy and food are bought in
-- bulk) at or above the capitalization threshold (likely equipment), or
-- property bought from the general fund.
CREATE VIEW dq_f06 AS
SELECT
    'DQ-F06' AS rule_id, r.severity, 'gl_line' AS table_name, g.district_id, g.school_year,
    COALESCE(g.account_id, '') || ' ' || CAST(g.amount AS VARCHAR) || ' ' || COALESCE(CAST(g.posting_date AS VARCHAR), '') AS entity_key,
    CAST(g.amount AS VARCHAR) AS measured,
    CASE WHEN g.nces_object LIKE '7%' THEN 'property outside the general fund'
         ELSE 'supplies lines under ' || CAST(CAST(r.high AS DOUBLE) AS VARCHAR) END AS expected,
    CASE WHEN g.nces_object LIKE '7%'
         THEN 'property (object ' || g.nces_object || ') bought from the general fund: capital spending in the operating budget'
         ELSE 'supplies (object ' || g.nces_object || ') of ' || CAST(g.amount AS VARCHAR)
             || ' on one line, at or above the capitalization threshold: likely equipment' END
        || ' (' || g.source_file || ' line ' || CAST(g.source_line AS VARCHAR) || ')' AS detail
FROM gl_line_mapped g
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F06' AND r.district_id = g.district_id AND r.school_year = g.school_year
WHERE g.line_type = 'actual' AND g.unmapped_dimension IS NULL
  AND (((g.nces_object LIKE '61%' OR g.nces_object LIKE '64%' OR g.nces_object LIKE '65%')
         AND g.posting_date IS NOT NULL AND g.amount >= r.high)
       OR (g.nces_object LIKE '7%' AND g.nces_fund = '1'));

-- DQ-F07: federal coding: a federal project (400-999 on the NCES chart)
-- outside the special-revenue fund, or special-revenue lines without a
-- project where the district-year codes projects on other special-revenue
-- lines (a ledger without a project dimension is not faulted for it). One
-- finding per account.
CREATE VIEW dq_f07 AS
SELECT
    'DQ-F07' AS rule_id, r.severity, 'gl_line' AS table_name, g.district_id, g.school_year,
    'account ' || COALESCE(g.account_id, '') AS entity_key,
    CAST(sum(g.amount) AS VARCHAR) AS measured,
    CASE WHEN g.nces_fund = '2' THEN 'a project code' ELSE 'fund 2 for a federal project' END AS expected,
    CASE WHEN g.nces_fund = '2' THEN 'special-revenue (fund 2) lines without a project: '
         ELSE 'federal project ' || g.project || ' charged to fund ' || g.nces_fund || ': ' END
        || CAST(count(*) AS VARCHAR) || ' lines, ' || CAST(sum(g.amount) AS VARCHAR) || ' dollars' AS detail
FROM gl_line_mapped g
LEFT JOIN (
    SELECT DISTINCT district_id, school_year FROM gl_line_mapped
    WHERE nces_fund = '2' AND trim(project) <> ''
) p
  ON p.district_id = g.district_id AND p.school_year = g.school_year
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F07' AND r.district_id = g.district_id AND r.school_year = g.school_year
WHERE g.line_type = 'actual' AND g.unmapped_dimension IS NULL
  AND ((g.chart = 'nces' AND g.project ~ '^[4-9][0-9][0-9]$' AND g.nces_fund <> '2')
       OR (g.nces_fund = '2' AND COALESCE(trim(g.project), '') = '' AND p.district_id IS NOT NULL))
GROUP BY r.severity, g.district_id, g.school_year, g.account_id, g.nces_fund, g.project;

-- DQ-F08: location sanity: spending coded to a school the school table
-- does not have that year, and instruction (functions 1xxx) coded to no
-- school beyond a share `high` of all instruction.
CREATE VIEW dq_f08 AS
WITH unknown AS (
    SELECT g.district_id, g.school_year, g.school_id, count(*) AS lines, sum(g.amount) AS amount
    FROM gl_line_mapped g
    JOIN (SELECT DISTINCT district_id, school_year FROM school) y
      ON y.district_id = g.district_id AND y.school_year = g.school_year
    LEFT JOIN school s
      ON s.district_id = g.district_id AND s.school_year = g.school_year AND s.school_id = g.school_id
    WHERE g.line_type = 'actual' AND g.school_id IS NOT NULL AND s.school_id IS NULL
    GROUP BY g.district_id, g.school_year, g.school_id
),
instruction AS (
    SELECT
        district_id, school_year, sum(amount) AS total,
        sum(CASE WHEN school_id IS NULL THEN amount ELSE 0 END) AS central
    FROM gl_line_mapped
    WHERE line_type = 'actual' AND nces_function LIKE '1%'
      AND unmapped_dimension IS NULL AND crosswalk_exclusion IS NULL
    GROUP BY district_id, school_year
)
SELECT
    'DQ-F08' AS rule_id, r.severity, 'gl_line' AS table_name, u.district_id, u.school_year,
    'school ' || u.school_id AS entity_key,
    CAST(u.amount AS VARCHAR) AS measured, 'a school of the school table' AS expected,
    CAST(u.lines AS VARCHAR) || ' lines, ' || CAST(u.amount AS VARCHAR) || ' dollars coded to school '
        || u.school_id || ', which the school table does not list that year' AS detail
FROM unknown u
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F08' AND r.district_id = u.district_id AND r.school_year = u.school_year
UNION ALL
SELECT
    'DQ-F08' AS rule_id, r.severity, 'gl_line' AS table_name, i.district_id, i.school_year,
    'instruction at no school' AS entity_key,
    CAST(round(i.central / i.total, 4) AS VARCHAR) AS measured,
    'at most ' || CAST(CAST(r.high AS DOUBLE) AS VARCHAR) AS expected,
    CAST(i.central AS VARCHAR) || ' of ' || CAST(i.total AS VARCHAR)
        || ' instruction dollars are coded to no school' AS detail
FROM instruction i
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F08' AND r.district_id = i.district_id AND r.school_year = i.school_year
WHERE i.total > 0 AND i.central > r.high * i.total;

-- DQ-F09: lines dated outside the fiscal year (July to June, ending in the
-- school year) or posted to adjustment periods 13 and 14 (info), and files
-- whose stated fiscal year is not the school year they were loaded as (an
-- error unless the district set the severity: a label off by one moves a
-- whole year of spending).
CREATE VIEW dq_f09 AS
SELECT
    'DQ-F09' AS rule_id, r.severity, 'gl_line' AS table_name, g.district_id, g.school_year,
    COALESCE(g.account_id, '') || ' ' || CAST(g.amount AS VARCHAR) || ' ' || COALESCE(CAST(g.posting_date AS VARCHAR), '') AS entity_key,
    CASE WHEN g.posting_date < make_date(g.school_year - 1, 7, 1) OR g.posting_date > make_date(g.school_year, 6, 30)
         THEN CAST(g.posting_date AS VARCHAR) ELSE 'period ' || trim(g.fiscal_period) END AS measured,
    CAST(make_date(g.school_year - 1, 7, 1) AS VARCHAR) || ' to ' || CAST(make_date(g.school_year, 6, 30) AS VARCHAR)
        || ', periods 1 to 12' AS expected,
    CASE WHEN g.posting_date < make_date(g.school_year - 1, 7, 1) OR g.posting_date > make_date(g.school_year, 6, 30)
         THEN 'dated ' || CAST(g.posting_date AS VARCHAR) || ', outside the fiscal year'
         ELSE 'posted to adjustment period ' || trim(g.fiscal_period) END
        || ' (' || g.source_file || ' line ' || CAST(g.source_line AS VARCHAR) || ')' AS detail
FROM gl_line g
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F09' AND r.district_id = g.district_id AND r.school_year = g.school_year
WHERE g.posting_date < make_date(g.school_year - 1, 7, 1)
   OR g.posting_date > make_date(g.school_year, 6, 30)
   OR regexp_replace(upper(trim(g.fiscal_period)), '^(P|PERIOD)? *0*', '') IN ('13', '14')
UNION ALL
SELECT
    'DQ-F09' AS rule_id,
    CASE WHEN r.severity_set THEN r.severity ELSE 'error' END AS severity,
    'gl_line' AS table_name, g.district_id, g.school_year,
    'file ' || g.source_file || ' fiscal year ' || CAST(g.fiscal_year AS VARCHAR) AS entity_key,
    CAST(g.fiscal_year AS VARCHAR) AS measured, CAST(g.school_year AS VARCHAR) AS expected,
    CAST(count(*) AS VARCHAR) || ' lines state fiscal year ' || CAST(g.fiscal_year AS VARCHAR)
        || ' but were loaded as school year ' || CAST(g.school_year AS VARCHAR)
        || ': a fiscal/school-year label off by one?' AS detail
FROM gl_line g
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F09' AND r.district_id = g.district_id AND r.school_year = g.school_year
WHERE g.fiscal_year IS NOT NULL AND g.fiscal_year <> g.school_year
GROUP BY r.severity, r.severity_set, g.district_id, g.school_year, g.source_file, g.fiscal_year;

-- DQ-F10: a spending category's current expenditure (NCES definition, in
-- scope) changing from the year before by more than `low` (a share) and
-- more than `high` dollars, where the district has both years.
CREATE VIEW dq_f10 AS
WITH cat AS (
    SELECT district_id, school_year, category, sum(amount) AS amount
    FROM gl_line_scoped
    WHERE definition_id = 'nces_current' AND line_type = 'actual'
      AND exclusion IS NULL AND unmapped_dimension IS NULL
    GROUP BY district_id, school_year, category
),
years AS (SELECT DISTINCT district_id, school_year FROM cat),
pairs AS (
    SELECT
        COALESCE(c.district_id, p.district_id) AS district_id,
        COALESCE(c.school_year, p.school_year + 1) AS school_year,
        COALESCE(c.category, p.category) AS category,
        COALESCE(c.amount, 0) AS amount,
        COALESCE(p.amount, 0) AS before
    FROM cat c
    FULL JOIN cat p
      ON p.district_id = c.district_id AND p.school_year = c.school_year - 1 AND p.category = c.category
)
SELECT
    'DQ-F10' AS rule_id, r.severity, 'gl_line' AS table_name, x.district_id, x.school_year,
    'category ' || x.category AS entity_key,
    CAST(x.amount - x.before AS VARCHAR) AS measured,
    'within ' || CAST(CAST(r.low AS DOUBLE) AS VARCHAR) || ' or ' || CAST(CAST(r.high AS DOUBLE) AS VARCHAR) || ' dollars' AS expected,
    x.category || ' went from ' || CAST(x.before AS VARCHAR) || ' to ' || CAST(x.amount AS VARCHAR)
        || ': worth a look (a real change, or lines coded differently)' AS detail
FROM pairs x
JOIN years a ON a.district_id = x.district_id AND a.school_year = x.school_year
JOIN years b ON b.district_id = x.district_id AND b.school_year = x.school_year - 1
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F10' AND r.district_id = x.district_id AND r.school_year = x.school_year
WHERE abs(x.amount - x.before) > r.high
  AND (x.before = 0 OR abs(x.amount - x.before) > r.low * abs(x.before));

-- DQ-P01: payroll gross against ledger salary lines by fund, function and
-- location, where a district-year has both.
CREATE VIEW dq_p01 AS
WITH pay AS (
    SELECT district_id, school_year, nces_fund, nces_function, COALESCE(school_id, '(central)') AS location, sum(pay) AS payroll
    FROM payroll_location_share
    WHERE kind = 'salaries' AND nces_function <> '*'
    GROUP BY district_id, school_year, nces_fund, nces_function, COALESCE(school_id, '(central)')
),
ledger AS (
    SELECT district_id, school_year, nces_fund, nces_function, COALESCE(school_id, '(central)') AS location, sum(amount) AS ledger
    FROM gl_pay_location
    WHERE kind = 'salaries'
    GROUP BY district_id, school_year, nces_fund, nces_function, COALESCE(school_id, '(central)')
),
both_years AS (
    SELECT DISTINCT p.district_id, p.school_year FROM pay p
    JOIN (SELECT DISTINCT district_id, school_year FROM ledger) l
      ON l.district_id = p.district_id AND l.school_year = p.school_year
),
compared AS (
    SELECT
        COALESCE(p.district_id, l.district_id) AS district_id,
        COALESCE(p.school_year, l.school_year) AS school_year,
        COALESCE(p.nces_fund, l.nces_fund) AS nces_fund,
        COALESCE(p.nces_function, l.nces_function) AS nces_function,
        COALESCE(p.location, l.location) AS location,
        COALESCE(p.payroll, 0) AS payroll,
        COALESCE(l.ledger, 0) AS ledger
    FROM pay p
    FULL JOIN ledger l
      ON l.district_id = p.district_id AND l.school_year = p.school_year AND l.nces_fund = p.nces_fund
     AND l.nces_function = p.nces_function AND l.location = p.location
)
SELECT
    'DQ-P01' AS rule_id, r.severity, 'payroll_line' AS table_name, c.district_id, c.school_year,
    'fund ' || c.nces_fund || ' function ' || c.nces_function || ' at ' || c.location AS entity_key,
    CAST(c.payroll - c.ledger AS VARCHAR) AS measured,
    'within ' || CAST(CAST(r.high * 100 AS DOUBLE) AS VARCHAR) || '% of the larger' AS expected,
    'payroll gross ' || CAST(c.payroll AS VARCHAR) || ' against ledger salaries ' || CAST(c.ledger AS VARCHAR) AS detail
FROM compared c
JOIN both_years b ON b.district_id = c.district_id AND b.school_year = c.school_year
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-P01' AND r.district_id = c.district_id AND r.school_year = c.school_year
WHERE abs(c.payroll - c.ledger) > r.high * greatest(abs(c.payroll), abs(c.ledger));

-- DQ-P02: employer benefits against gross pay, per employee.
CREATE VIEW dq_p02 AS
SELECT
    'DQ-P02' AS rule_id, r.severity, 'payroll_line' AS table_name, p.district_id, p.school_year,
    'staff ' || p.staff_id AS entity_key,
    CAST(round(p.benefits / p.gross, 4) AS VARCHAR) AS measured,
    CAST(CAST(r.low AS DOUBLE) AS VARCHAR) || ' to ' || CAST(CAST(r.high AS DOUBLE) AS VARCHAR) AS expected,
    'employer benefits ' || CAST(p.benefits AS VARCHAR) || ' on gross pay ' || CAST(p.gross AS VARCHAR) AS detail
FROM (
    SELECT district_id, school_year, staff_id, sum(gross) AS gross, sum(employer_benefits) AS benefits
    FROM payroll_line_mapped
    WHERE crosswalk_exclusion IS NULL
    GROUP BY district_id, school_year, staff_id
) p
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-P02' AND r.district_id = p.district_id AND r.school_year = p.school_year
-- no benefits at all is an unbenefited employee (part-time, hourly), not a
-- flaw; negative benefits are
WHERE p.gross > 0 AND p.benefits <> 0
  AND (p.benefits / p.gross < r.low OR p.benefits / p.gross > r.high);

-- DQ-P03: assignment FTE per employee on the count date.
CREATE VIEW dq_p03 AS
SELECT
    'DQ-P03' AS rule_id,
    CASE WHEN a.fte > 1.2 AND NOT r.severity_set THEN 'error' ELSE r.severity END AS severity,
    'staff_assignment' AS table_name, a.district_id, a.school_year,
    'staff ' || a.staff_id AS entity_key,
    CAST(a.fte AS VARCHAR) AS measured,
    'at most ' || CAST(CAST(r.high AS DOUBLE) AS VARCHAR) AS expected,
    CAST(a.assignments AS VARCHAR) || ' assignments on October 1 add up to ' || CAST(a.fte AS VARCHAR) || ' FTE' AS detail
FROM (
    SELECT district_id, school_year, staff_id, sum(fte) AS fte, count(*) AS assignments
    FROM staff_assignment
    WHERE (begin_date IS NULL OR begin_date <= make_date(school_year - 1, 10, 1))
      AND (end_date IS NULL OR end_date >= make_date(school_year - 1, 10, 1))
    GROUP BY district_id, school_year, staff_id
) a
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-P03' AND r.district_id = a.district_id AND r.school_year = a.school_year
WHERE a.fte > r.high;

-- DQ-P04: paid without any assignment that year (district-years with HR data).
CREATE VIEW dq_p04 AS
SELECT
    'DQ-P04' AS rule_id, r.severity, 'payroll_line' AS table_name, p.district_id, p.school_year,
    'staff ' || p.staff_id AS entity_key,
    CAST(p.gross AS VARCHAR) AS measured,
    'an assignment' AS expected,
    'paid ' || CAST(p.gross AS VARCHAR) || ' gross with no staff_assignment row that year' AS detail
FROM (
    SELECT district_id, school_year, staff_id, sum(gross) AS gross
    FROM payroll_line GROUP BY district_id, school_year, staff_id
) p
JOIN (SELECT DISTINCT district_id, school_year FROM staff_assignment) hr
  ON hr.district_id = p.district_id AND hr.school_year = p.school_year
LEFT JOIN (SELECT DISTINCT district_id, school_year, staff_id FROM staff_assignment) a
  ON a.district_id = p.district_id AND a.school_year = p.school_year AND a.staff_id = p.staff_id
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-P04' AND r.district_id = p.district_id AND r.school_year = p.school_year
WHERE p.gross > 0 AND a.staff_id IS NULL;

-- DQ-P05: an assignment's salary per FTE more than `high` standard
-- deviations from the mean of the other assignments of its classification
-- in the district-year. Leaving the assignment itself out lets one outlier
-- stand out in a small group (with itself in, no z-score passes sqrt(n - 1)).
-- The spread is taken as at least 5% of the mean, so a group paid one scale
-- does not flag a salary a few dollars off it. Groups of three or more.
-- TODO: DOMAIN 8 also checks salaries against the salary schedule's
-- minimum and maximum per classification; no schedule table is loaded yet
-- (a salary_schedule table and mapping would add that half).
CREATE VIEW dq_p05 AS
WITH rate AS (
    SELECT district_id, school_year, staff_id, assignment_id, classification,
           base_salary / fte AS per_fte, CAST(base_salary / fte AS DOUBLE) AS x
    FROM staff_assignment
    WHERE fte > 0 AND base_salary > 0
),
sums AS (
    SELECT district_id, school_year, classification, count(*) AS n, sum(x) AS s1, sum(x * x) AS s2
    FROM rate
    GROUP BY district_id, school_year, classification
),
others AS (
    SELECT
        a.*, s.n - 1 AS n_others,
        (s.s1 - a.x) / (s.n - 1) AS mean
    FROM rate a
    JOIN sums s
      ON s.district_id = a.district_id AND s.school_year = a.school_year AND s.classification = a.classification
    WHERE s.n >= 3
),
spread AS (
    SELECT
        o.*,
        greatest(
            sqrt(greatest((s.s2 - o.x * o.x) / o.n_others - o.mean * o.mean, 0)),
            0.05 * abs(o.mean)
        ) AS sd
    FROM others o
    JOIN sums s
      ON s.district_id = o.district_id AND s.school_year = o.school_year AND s.classification = o.classification
)
SELECT
    'DQ-P05' AS rule_id, r.severity, 'staff_assignment' AS table_name, a.district_id, a.school_year,
    'staff ' || a.staff_id || ' assignment ' || a.assignment_id AS entity_key,
    CAST(round((a.x - a.mean) / a.sd, 1) AS VARCHAR) AS measured,
    'within ' || CAST(CAST(r.high AS DOUBLE) AS VARCHAR) || ' standard deviations' AS expected,
    'salary ' || CAST(round(a.per_fte, 2) AS VARCHAR) || ' per FTE against a mean of '
        || CAST(CAST(round(a.mean) AS BIGINT) AS VARCHAR) || ' over the other ' || CAST(a.n_others AS VARCHAR)
        || ' ' || a.classification || ' assignments' AS detail
FROM spread a
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-P05' AND r.district_id = a.district_id AND r.school_year = a.school_year
WHERE a.sd > 0 AND abs(a.x - a.mean) > CAST(r.high AS DOUBLE) * a.sd;

-- DQ-P06: experience that cannot be.
CREATE VIEW dq_p06 AS
SELECT
    'DQ-P06' AS rule_id, r.severity, 'staff' AS table_name, s.district_id, s.school_year,
    'staff ' || s.staff_id AS entity_key,
    CAST(s.years_experience AS VARCHAR) AS measured,
    COALESCE('0 to ' || CAST(s.school_year - 1 - s.birth_year - 18 AS VARCHAR), 'at least 0') AS expected,
    COALESCE('born ' || CAST(s.birth_year AS VARCHAR) || ', ', 'year of birth unknown, ')
        || CAST(s.years_experience AS VARCHAR)
        || ' years of experience in ' || CAST(s.school_year AS VARCHAR) AS detail
FROM staff s
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-P06' AND r.district_id = s.district_id AND r.school_year = s.school_year
WHERE s.years_experience < 0
   OR (s.birth_year IS NOT NULL AND s.years_experience > s.school_year - 1 - s.birth_year - 18);

-- DQ-P07: pay charged to a school (or the central office) where the
-- employee has no assignment that year; common for itinerant staff paid
-- centrally, and the reason a payroll location is not trusted blindly.
-- District-years with HR data, employees with assignments (the rest are
-- DQ-P04's).
CREATE VIEW dq_p07 AS
WITH paid AS (
    SELECT district_id, school_year, staff_id, COALESCE(school_id, '(central)') AS location,
           sum(gross) AS gross, count(*) AS lines
    FROM payroll_line_mapped
    WHERE crosswalk_exclusion IS NULL AND unmapped_dimension IS NULL
    GROUP BY district_id, school_year, staff_id, COALESCE(school_id, '(central)')
),
assigned AS (
    SELECT district_id, school_year, staff_id,
           array_to_string(array_sort(array_agg(DISTINCT COALESCE(school_id, '(central)'))), ', ') AS locations
    FROM staff_assignment
    GROUP BY district_id, school_year, staff_id
),
assigned_at AS (
    SELECT DISTINCT district_id, school_year, staff_id, COALESCE(school_id, '(central)') AS location
    FROM staff_assignment
)
SELECT
    'DQ-P07' AS rule_id, r.severity, 'payroll_line' AS table_name, p.district_id, p.school_year,
    'staff ' || p.staff_id || ' at ' || p.location AS entity_key,
    CAST(p.gross AS VARCHAR) AS measured,
    'pay where assigned (' || a.locations || ')' AS expected,
    'paid ' || CAST(p.gross AS VARCHAR) || ' gross on ' || CAST(p.lines AS VARCHAR) || ' lines at '
        || p.location || ', assigned only at ' || a.locations AS detail
FROM paid p
JOIN assigned a
  ON a.district_id = p.district_id AND a.school_year = p.school_year AND a.staff_id = p.staff_id
LEFT JOIN assigned_at x
  ON x.district_id = p.district_id AND x.school_year = p.school_year AND x.staff_id = p.staff_id
 AND x.location = p.location
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-P07' AND r.district_id = p.district_id AND r.school_year = p.school_year
WHERE x.location IS NULL AND p.gross <> 0;

-- DQ-S01: sections without a teacher of record.
CREATE VIEW dq_s01 AS
SELECT
    'DQ-S01' AS rule_id, r.severity, 'section' AS table_name, s.district_id, s.school_year,
    'section ' || s.section_id AS entity_key,
    '0' AS measured, 'a teacher of record' AS expected,
    'section ' || s.section_id || ' at school ' || s.school_id || ' has no teacher_of_record in staff_section' AS detail
FROM section s
LEFT JOIN (SELECT DISTINCT district_id, school_year, section_id FROM staff_section WHERE role = 'teacher_of_record') t
  ON t.district_id = s.district_id AND t.school_year = s.school_year AND t.section_id = s.section_id
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-S01' AND r.district_id = s.district_id AND r.school_year = s.school_year
WHERE t.section_id IS NULL;

-- DQ-S02: staff shares of a section that do not add up to one.
CREATE VIEW dq_s02 AS
SELECT
    'DQ-S02' AS rule_id, r.severity, 'staff_section' AS table_name, c.district_id, c.school_year,
    'section ' || c.section_id AS entity_key,
    CAST(c.total AS VARCHAR) AS measured,
    CAST(CAST(r.low AS DOUBLE) AS VARCHAR) || ' to ' || CAST(CAST(r.high AS DOUBLE) AS VARCHAR) AS expected,
    CAST(c.staff AS VARCHAR) || ' staff shares add up to ' || CAST(c.total AS VARCHAR) AS detail
FROM (
    SELECT district_id, school_year, section_id, sum(percentage_contribution) AS total, count(*) AS staff
    FROM staff_section
    WHERE percentage_contribution IS NOT NULL
    GROUP BY district_id, school_year, section_id
) c
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-S02' AND r.district_id = c.district_id AND r.school_year = c.school_year
WHERE c.total < r.low OR c.total > r.high;

-- DQ-S03: sections above their room or above the cap.
CREATE VIEW dq_s03 AS
SELECT
    'DQ-S03' AS rule_id, r.severity, 'section' AS table_name, z.district_id, z.school_year,
    'section ' || z.section_id AS entity_key,
    CAST(z.students AS VARCHAR) AS measured,
    'at most ' || CAST(COALESCE(least(s.room_capacity, CAST(r.high AS INT)), CAST(r.high AS INT)) AS VARCHAR) AS expected,
    CAST(z.students AS VARCHAR) || ' students on ' || CAST(z.census_date AS VARCHAR)
        || COALESCE(' in a room for ' || CAST(s.room_capacity AS VARCHAR), '') AS detail
FROM section_size z
JOIN section s ON s.district_id = z.district_id AND s.school_year = z.school_year AND s.section_id = z.section_id
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-S03' AND r.district_id = z.district_id AND r.school_year = z.school_year
WHERE z.students > r.high OR z.students > s.room_capacity;

-- DQ-S04: a student in two sections of one school that meet in the same
-- period while both the terms and the student's roster spells overlap.
-- Push-in special-education and EL sections share the period by design.
CREATE VIEW dq_s04 AS
WITH placed AS (
    SELECT
        ss.district_id, ss.school_year, ss.student_id, ss.section_id, s.school_id,
        -- periods compared as written, but for case, blanks and leading zeros
        upper(regexp_replace(trim(s.period), '^0+([0-9])', '\\1')) AS period,
        greatest(ss.begin_date, COALESCE(s.term_begin, ss.begin_date)) AS first_day,
        least(COALESCE(ss.end_date, s.term_end, make_date(ss.school_year, 6, 30)),
              COALESCE(s.term_end, make_date(ss.school_year, 6, 30))) AS last_day
    FROM student_section ss
    JOIN section s ON s.district_id = ss.district_id AND s.school_year = ss.school_year AND s.section_id = ss.section_id
    WHERE s.period IS NOT NULL AND COALESCE(s.program_type, '') NOT IN ('sped_resource', 'el')
)
SELECT
    'DQ-S04' AS rule_id, r.severity, 'student_section' AS table_name, a.district_id, a.school_year,
    'student ' || a.student_id || ' in sections ' || a.section_id || ' and ' || b.section_id AS entity_key,
    'period ' || a.period AS measured, 'one section a period' AS expected,
    'in sections ' || a.section_id || ' and ' || b.section_id || ' at school ' || a.school_id
        || ', both in period ' || a.period || ', from ' || CAST(max(greatest(a.first_day, b.first_day)) AS VARCHAR)
        || ' to ' || CAST(max(least(a.last_day, b.last_day)) AS VARCHAR) AS detail
FROM placed a
JOIN placed b
  ON b.district_id = a.district_id AND b.school_year = a.school_year AND b.student_id = a.student_id
 AND b.school_id = a.school_id AND b.period = a.period AND a.section_id < b.section_id
 AND a.first_day <= b.last_day AND b.first_day <= a.last_day
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-S04' AND r.district_id = a.district_id AND r.school_year = a.school_year
GROUP BY r.severity, a.district_id, a.school_year, a.student_id, a.section_id, b.section_id, a.school_id, a.period;

-- DQ-S05: a teacher (of record or co-teacher) in two sections of one
-- school in the same period with overlapping terms and not in the same
-- room (two records of one co-taught class share a room: DQ-S09), and a
-- teacher whose weekly minutes on October 1 (a co-teacher's at their
-- share) pass `high` per FTE of their assignments that day.
CREATE VIEW dq_s05 AS
WITH teaching AS (
    SELECT
        t.district_id, t.school_year, t.staff_id, t.section_id, t.role,
        COALESCE(t.percentage_contribution, 1) AS share, s.school_id,
        upper(regexp_replace(trim(s.period), '^0+([0-9])', '\\1')) AS period,
        upper(trim(s.room_id)) AS room_id, s.minutes_per_week,
        COALESCE(s.term_begin, make_date(t.school_year - 1, 7, 1)) AS first_day,
        COALESCE(s.term_end, make_date(t.school_year, 6, 30)) AS last_day
    FROM staff_section t
    JOIN section s ON s.district_id = t.district_id AND s.school_year = t.school_year AND s.section_id = t.section_id
    WHERE t.role IN ('teacher_of_record', 'co_teacher')
),
overlap AS (
    SELECT
        a.district_id, a.school_year, a.staff_id, a.school_id, a.period,
        count(*) AS pairs, min(a.section_id) AS first_section, max(b.section_id) AS last_section
    FROM teaching a
    JOIN teaching b
      ON b.district_id = a.district_id AND b.school_year = a.school_year AND b.staff_id = a.staff_id
     AND b.school_id = a.school_id AND b.period = a.period AND a.section_id < b.section_id
     AND a.first_day <= b.last_day AND b.first_day <= a.last_day
     AND NOT (a.room_id IS NOT NULL AND a.room_id = b.room_id)
    GROUP BY a.district_id, a.school_year, a.staff_id, a.school_id, a.period
),
week AS (
    SELECT
        district_id, school_year, staff_id, count(*) AS sections,
        sum(CASE WHEN role = 'co_teacher' THEN minutes_per_week * share ELSE CAST(minutes_per_week AS DECIMAL(10, 4)) END) AS minutes
    FROM teaching
    WHERE minutes_per_week > 0
      AND first_day <= make_date(school_year - 1, 10, 1) AND last_day >= make_date(school_year - 1, 10, 1)
    GROUP BY district_id, school_year, staff_id
),
fte AS (
    SELECT district_id, school_year, staff_id, sum(fte) AS fte
    FROM staff_assignment
    WHERE (begin_date IS NULL OR begin_date <= make_date(school_year - 1, 10, 1))
      AND (end_date IS NULL OR end_date >= make_date(school_year - 1, 10, 1))
    GROUP BY district_id, school_year, staff_id
)
SELECT
    'DQ-S05' AS rule_id, r.severity, 'staff_section' AS table_name, o.district_id, o.school_year,
    'staff ' || o.staff_id || ' period ' || o.period AS entity_key,
    CAST(o.pairs + 1 AS VARCHAR) || ' sections' AS measured, 'one room a period' AS expected,
    'teaches ' || o.first_section || ' and ' || o.last_section
        || CASE WHEN o.pairs > 1 THEN ' (and more)' ELSE '' END || ' at school ' || o.school_id
        || ' in period ' || o.period || ', in different rooms' AS detail
FROM overlap o
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-S05' AND r.district_id = o.district_id AND r.school_year = o.school_year
UNION ALL
SELECT
    'DQ-S05' AS rule_id, r.severity, 'staff_section' AS table_name, w.district_id, w.school_year,
    'staff ' || w.staff_id AS entity_key,
    CAST(round(w.minutes, 0) AS VARCHAR) || ' minutes' AS measured,
    'at most ' || CAST(round(f.fte * r.high, 0) AS VARCHAR) || ' (' || CAST(CAST(r.high AS DOUBLE) AS VARCHAR) || ' per FTE)' AS expected,
    CAST(w.sections AS VARCHAR) || ' sections take ' || CAST(round(w.minutes, 0) AS VARCHAR)
        || ' minutes a week on October 1 for ' || CAST(f.fte AS VARCHAR) || ' FTE' AS detail
FROM week w
JOIN fte f ON f.district_id = w.district_id AND f.school_year = w.school_year AND f.staff_id = w.staff_id
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-S05' AND r.district_id = w.district_id AND r.school_year = w.school_year
WHERE f.fte > 0 AND w.minutes > f.fte * r.high;

-- DQ-S06: sections without minutes.
CREATE VIEW dq_s06 AS
SELECT
    'DQ-S06' AS rule_id, r.severity, 'section' AS table_name, s.district_id, s.school_year,
    'section ' || s.section_id AS entity_key,
    COALESCE(CAST(s.minutes_per_week AS VARCHAR), 'NULL') AS measured, 'minutes per week above 0' AS expected,
    'section ' || s.section_id || ' has no meeting time: its cost and time cannot be attributed' AS detail
FROM section s
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-S06' AND r.district_id = s.district_id AND r.school_year = s.school_year
WHERE s.minutes_per_week IS NULL OR s.minutes_per_week <= 0;

-- DQ-S07: a student's scheduled minutes a week on October 1 at the school
-- where the student is enrolled that day, against the school's typical week
-- (the median over its students). Pull-out sections (resource, EL,
-- intervention) are time inside the day of a student whose class is
-- self-contained, and do not add to it. A student with a section of unknown
-- (or zero) minutes that day has an unknown week (DQ-S06 reports the
-- section); sections at other schools are DQ-S08's; a student enrolled in
-- no section at all has a week of 0 minutes.
CREATE VIEW dq_s07 AS
WITH on_day AS (
    SELECT ss.district_id, ss.school_year, ss.student_id, s.school_id, s.minutes_per_week, s.program_type, s.subject
    FROM student_section ss
    JOIN section s ON s.district_id = ss.district_id AND s.school_year = ss.school_year AND s.section_id = ss.section_id
    JOIN (SELECT DISTINCT district_id, school_year, school_id, student_id FROM enrolled_on_count_date) e
      ON e.district_id = ss.district_id AND e.school_year = ss.school_year
     AND e.school_id = s.school_id AND e.student_id = ss.student_id
    WHERE ss.begin_date <= make_date(ss.school_year - 1, 10, 1)
      AND COALESCE(ss.end_date, make_date(ss.school_year, 6, 30)) >= make_date(ss.school_year - 1, 10, 1)
      AND COALESCE(s.term_begin, make_date(ss.school_year - 1, 7, 1)) <= make_date(ss.school_year - 1, 10, 1)
      AND COALESCE(s.term_end, make_date(ss.school_year, 6, 30)) >= make_date(ss.school_year - 1, 10, 1)
),
full_day AS (
    SELECT DISTINCT district_id, school_year, student_id, school_id
    FROM on_day
    WHERE subject = 'self_contained' OR program_type = 'sped_selfcontained'
),
week AS (
    SELECT
        o.district_id, o.school_year, o.student_id, o.school_id,
        sum(CASE WHEN f.student_id IS NOT NULL AND o.program_type IN ('sped_resource', 'el', 'intervention') THEN 0
                 ELSE COALESCE(o.minutes_per_week, 0) END) AS minutes
    FROM on_day o
    LEFT JOIN full_day f
      ON f.district_id = o.district_id AND f.school_year = o.school_year
     AND f.student_id = o.student_id AND f.school_id = o.school_id
    GROUP BY o.district_id, o.school_year, o.student_id, o.school_id
    HAVING count(CASE WHEN o.minutes_per_week > 0 THEN 1 END) = count(*)
),
typical AS (
    SELECT district_id, school_year, school_id, CAST(median(minutes) AS DECIMAL(12, 2)) AS minutes
    FROM week
    GROUP BY district_id, school_year, school_id
),
-- students enrolled that day at a school with a schedule, in no section
unscheduled AS (
    SELECT DISTINCT e.district_id, e.school_year, e.student_id, e.school_id, CAST(0 AS BIGINT) AS minutes
    FROM enrolled_on_count_date e
    JOIN typical t ON t.district_id = e.district_id AND t.school_year = e.school_year AND t.school_id = e.school_id
    LEFT JOIN (SELECT DISTINCT district_id, school_year, student_id, school_id FROM on_day) o
      ON o.district_id = e.district_id AND o.school_year = e.school_year
     AND o.student_id = e.student_id AND o.school_id = e.school_id
    WHERE o.student_id IS NULL
)
SELECT
    'DQ-S07' AS rule_id, r.severity, 'student_section' AS table_name, w.district_id, w.school_year,
    'student ' || w.student_id || ' at ' || w.school_id AS entity_key,
    CAST(w.minutes AS VARCHAR) AS measured,
    CAST(round(r.low * t.minutes, 0) AS VARCHAR) || ' to ' || CAST(round(r.high * t.minutes, 0) AS VARCHAR) AS expected,
    'scheduled for ' || CAST(w.minutes AS VARCHAR) || ' minutes a week on October 1; the school''s typical week is '
        || CAST(round(t.minutes, 0) AS VARCHAR) AS detail
FROM (
    SELECT district_id, school_year, student_id, school_id, CAST(minutes AS BIGINT) AS minutes FROM week
    UNION ALL SELECT * FROM unscheduled
) w
JOIN typical t ON t.district_id = w.district_id AND t.school_year = w.school_year AND t.school_id = w.school_id
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-S07' AND r.district_id = w.district_id AND r.school_year = w.school_year
WHERE t.minutes > 0 AND (w.minutes < r.low * t.minutes OR w.minutes > r.high * t.minutes);

-- DQ-S08: students in sections at schools where they are not enrolled for
-- part or all of their time in the section: the days of each roster spell
-- (inside the section's term) that no enrollment spell at that school covers
-- (a day two overlapping spells cover counts once).
CREATE VIEW dq_s08 AS
WITH spells AS (
    SELECT
        ss.district_id, ss.school_year, ss.student_id, ss.section_id, s.school_id,
        greatest(ss.begin_date, COALESCE(s.term_begin, make_date(ss.school_year - 1, 7, 1))) AS first_day,
        least(COALESCE(ss.end_date, s.term_end, make_date(ss.school_year, 6, 30)),
              COALESCE(s.term_end, make_date(ss.school_year, 6, 30))) AS last_day
    FROM student_section ss
    JOIN section s ON s.district_id = ss.district_id AND s.school_year = ss.school_year AND s.section_id = ss.section_id
),
-- the enrollment spells at the section's school, cut to the roster spell
clipped AS (
    SELECT
        p.district_id, p.school_year, p.student_id, p.section_id, p.first_day,
        greatest(p.first_day, e.entry_date) AS s,
        least(p.last_day, COALESCE(e.exit_date, make_date(p.school_year, 6, 30))) AS e
    FROM spells p
    JOIN student_enrollment e
      ON e.district_id = p.district_id AND e.school_year = p.school_year
     AND e.student_id = p.student_id AND e.school_id = p.school_id
    WHERE p.last_day >= p.first_day
),
-- overlapping spells merged (a day covered twice counts once): a spell
-- starts a new stretch unless an earlier one reaches its first day
marked AS (
    SELECT
        c.*,
        CASE WHEN max(CAST(c.e AS INT)) OVER (
                 PARTITION BY c.district_id, c.school_year, c.student_id, c.section_id, c.first_day
                 ORDER BY c.s, c.e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
             ) >= CAST(c.s AS INT) - 1 THEN 0 ELSE 1 END AS starts
    FROM clipped c
    WHERE c.e >= c.s
),
stretches AS (
    SELECT
        m.*,
        sum(m.starts) OVER (
            PARTITION BY m.district_id, m.school_year, m.student_id, m.section_id, m.first_day
            ORDER BY m.s, m.e ROWS UNBOUNDED PRECEDING
        ) AS stretch
    FROM marked m
),
enrolled AS (
    SELECT district_id, school_year, student_id, section_id, first_day,
           sum(CAST(last_e AS INT) - CAST(first_s AS INT) + 1) AS enrolled_days
    FROM (
        SELECT district_id, school_year, student_id, section_id, first_day, stretch,
               min(s) AS first_s, max(e) AS last_e
        FROM stretches
        GROUP BY district_id, school_year, student_id, section_id, first_day, stretch
    ) merged
    GROUP BY district_id, school_year, student_id, section_id, first_day
),
covered AS (
    SELECT
        p.district_id, p.school_year, p.student_id, p.section_id, p.school_id, p.first_day, p.last_day,
        CAST(p.last_day AS INT) - CAST(p.first_day AS INT) + 1 AS days,
        COALESCE(n.enrolled_days, 0) AS enrolled_days
    FROM spells p
    LEFT JOIN enrolled n
      ON n.district_id = p.district_id AND n.school_year = p.school_year AND n.student_id = p.student_id
     AND n.section_id = p.section_id AND n.first_day = p.first_day
    WHERE p.last_day >= p.first_day
)
SELECT
    'DQ-S08' AS rule_id, r.severity, 'student_section' AS table_name, x.district_id, x.school_year,
    'student ' || x.student_id || ' in section ' || x.section_id AS entity_key,
    CAST(x.days - x.enrolled_days AS VARCHAR) || ' days' AS measured, 'enrolled at the section''s school throughout' AS expected,
    'in a section at school ' || x.school_id || ' from ' || CAST(x.first_day AS VARCHAR) || ' to '
        || CAST(x.last_day AS VARCHAR) || ', ' || CAST(x.days - x.enrolled_days AS VARCHAR)
        || ' of those days without an enrollment spell there' AS detail
FROM covered x
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-S08' AND r.district_id = x.district_id AND r.school_year = x.school_year
WHERE x.enrolled_days < x.days;

-- DQ-S09: two sections of one subject in the same room and period with
-- overlapping terms and `high` students or fewer together on the census
-- day: likely one team-taught class recorded twice (each record counts as
-- a class, halving class size).
CREATE VIEW dq_s09 AS
SELECT
    'DQ-S09' AS rule_id, r.severity, 'section' AS table_name, a.district_id, a.school_year,
    'sections ' || a.section_id || ' and ' || b.section_id AS entity_key,
    CAST(COALESCE(za.students, 0) + COALESCE(zb.students, 0) AS VARCHAR) AS measured,
    'one class, or more than ' || CAST(CAST(r.high AS INT) AS VARCHAR) || ' students together' AS expected,
    'both ' || COALESCE(a.subject, 'unknown subject') || ' in room ' || a.room_id || ' in period ' || a.period || ', with '
        || CAST(COALESCE(za.students, 0) AS VARCHAR) || ' + ' || CAST(COALESCE(zb.students, 0) AS VARCHAR)
        || ' students: likely one co-taught class counted twice' AS detail
FROM section a
JOIN section b
  ON b.district_id = a.district_id AND b.school_year = a.school_year AND b.school_id = a.school_id
 AND upper(trim(b.room_id)) = upper(trim(a.room_id))
 AND upper(regexp_replace(trim(b.period), '^0+([0-9])', '\\1')) = upper(regexp_replace(trim(a.period), '^0+([0-9])', '\\1'))
 AND COALESCE(b.subject, '') = COALESCE(a.subject, '')
 AND a.section_id < b.section_id
 AND COALESCE(a.term_begin, DATE '1900-01-01') <= COALESCE(b.term_end, DATE '2999-12-31')
 AND COALESCE(b.term_begin, DATE '1900-01-01') <= COALESCE(a.term_end, DATE '2999-12-31')
LEFT JOIN section_size za
  ON za.district_id = a.district_id AND za.school_year = a.school_year AND za.section_id = a.section_id
LEFT JOIN section_size zb
  ON zb.district_id = b.district_id AND zb.school_year = b.school_year AND zb.section_id = b.section_id
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-S09' AND r.district_id = a.district_id AND r.school_year = a.school_year
WHERE COALESCE(za.students, 0) + COALESCE(zb.students, 0) <= r.high;

-- DQ-T01: overlapping primary enrollments: at two schools, or two spells
-- at one school (a duplicate record, which would count the student's days
-- twice).
CREATE VIEW dq_t01 AS
SELECT
    'DQ-T01' AS rule_id, r.severity, 'student_enrollment' AS table_name, a.district_id, a.school_year,
    'student ' || a.student_id AS entity_key,
    a.school_id || ' and ' || b.school_id AS measured, 'one school at a time' AS expected,
    'enrolled at ' || a.school_id || ' from ' || CAST(a.entry_date AS VARCHAR) || ' and at ' || b.school_id
        || ' from ' || CAST(b.entry_date AS VARCHAR) || ', overlapping' AS detail
FROM student_enrollment a
JOIN student_enrollment b
  ON b.district_id = a.district_id AND b.school_year = a.school_year AND b.student_id = a.student_id
 -- two schools, or two spells at one school (each pair once)
 AND (a.school_id < b.school_id
      OR (a.school_id = b.school_id
          AND (a.source_file < b.source_file
               OR (a.source_file = b.source_file AND a.source_line < b.source_line))))
 AND a.entry_date <= COALESCE(b.exit_date, make_date(b.school_year, 6, 30))
 AND b.entry_date <= COALESCE(a.exit_date, make_date(a.school_year, 6, 30))
 -- a move on one day (exit = the other's entry) is not an overlap
 AND a.entry_date <> COALESCE(b.exit_date, DATE '1900-01-01')
 AND b.entry_date <> COALESCE(a.exit_date, DATE '1900-01-01')
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-T01' AND r.district_id = a.district_id AND r.school_year = a.school_year
WHERE COALESCE(a.is_primary, true) AND COALESCE(b.is_primary, true);

-- DQ-T02: a school's October 1 count in the district's records against a
-- published count for the same school and year.
CREATE VIEW dq_t02 AS
SELECT
    'DQ-T02' AS rule_id, r.severity, 'student_enrollment' AS table_name, e.district_id, e.school_year,
    'school ' || e.school_id AS entity_key,
    CAST(e.enrollment AS VARCHAR) AS measured,
    CAST(CAST(p.students AS BIGINT) AS VARCHAR) || ' (' || p.source || ') within '
        || CAST(CAST(r.high * 100 AS DOUBLE) AS VARCHAR) || '%' AS expected,
    CAST(e.enrollment AS VARCHAR) || ' students on October 1 in the records, '
        || CAST(CAST(p.students AS BIGINT) AS VARCHAR) || ' in ' || p.source AS detail
FROM school_enrollment e
JOIN school_profile p
  ON p.district_id = e.district_id AND p.school_year = e.school_year AND p.school_id = e.school_id
 AND p.category IS NULL AND p.grade IS NULL AND p.subject IS NULL AND p.students IS NOT NULL
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-T02' AND r.district_id = e.district_id AND r.school_year = e.school_year
WHERE abs(CAST(e.enrollment AS DECIMAL(20, 4)) - p.students) > r.high * p.students
UNION ALL
-- a school the report counts and the records have no one at
SELECT
    'DQ-T02' AS rule_id, r.severity, 'student_enrollment' AS table_name, p.district_id, p.school_year,
    'school ' || p.school_id AS entity_key,
    '0' AS measured,
    CAST(CAST(p.students AS BIGINT) AS VARCHAR) || ' (' || p.source || ') within '
        || CAST(CAST(r.high AS DOUBLE) AS VARCHAR) AS expected,
    'no student enrolled on October 1 in the records, ' || CAST(CAST(p.students AS BIGINT) AS VARCHAR)
        || ' in ' || p.source AS detail
FROM school_profile p
JOIN (SELECT DISTINCT district_id, school_year FROM student_enrollment) y
  ON y.district_id = p.district_id AND y.school_year = p.school_year
LEFT JOIN school_enrollment e
  ON e.district_id = p.district_id AND e.school_year = p.school_year AND e.school_id = p.school_id
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-T02' AND r.district_id = p.district_id AND r.school_year = p.school_year
WHERE p.category IS NULL AND p.grade IS NULL AND p.subject IS NULL AND p.students > 0
  AND e.school_id IS NULL;

-- DQ-T03: special-education attributes that contradict each other.
CREATE VIEW dq_t03 AS
SELECT
    'DQ-T03' AS rule_id, r.severity, 'student' AS table_name, s.district_id, s.school_year,
    'student ' || s.student_id AS entity_key,
    CASE WHEN s.is_swd THEN 'IEP flag' ELSE 'no IEP flag' END AS measured,
    CASE WHEN s.is_swd THEN 'a setting and service minutes' ELSE 'no setting or minutes' END AS expected,
    CASE
        WHEN s.is_swd THEN 'flagged with an IEP but with no special-education setting or service minutes'
        ELSE 'not flagged with an IEP but with '
            || CASE
                   WHEN s.sped_setting IS NOT NULL AND COALESCE(s.sped_minutes_week, 0) > 0
                   THEN 'a special-education setting (' || s.sped_setting || ') and '
                        || CAST(s.sped_minutes_week AS VARCHAR) || ' service minutes a week'
                   WHEN s.sped_setting IS NOT NULL
                   THEN 'a special-education setting (' || s.sped_setting || ')'
                   ELSE CAST(s.sped_minutes_week AS VARCHAR) || ' special-education service minutes a week'
               END
    END AS detail
FROM student s
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-T03' AND r.district_id = s.district_id AND r.school_year = s.school_year
WHERE (s.is_swd AND (s.sped_setting IS NULL OR COALESCE(s.sped_minutes_week, 0) <= 0))
   OR (NOT s.is_swd AND (s.sped_setting IS NOT NULL OR COALESCE(s.sped_minutes_week, 0) > 0));

-- DQ-T04: test results whose student the student table does not have.
CREATE VIEW dq_t04 AS
SELECT
    'DQ-T04' AS rule_id, r.severity, 'assessment_result' AS table_name, a.district_id, a.school_year,
    'student ' || a.student_id || ' ' || a.subject AS entity_key,
    'missing' AS measured, 'a student row' AS expected,
    'a ' || a.assessment || ' result for a student not in the student table' AS detail
FROM assessment_result a
JOIN (SELECT DISTINCT district_id, school_year FROM student) sy
  ON sy.district_id = a.district_id AND sy.school_year = a.school_year
LEFT JOIN student s ON s.district_id = a.district_id AND s.school_year = a.school_year AND s.student_id = a.student_id
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-T04' AND r.district_id = a.district_id AND r.school_year = a.school_year
WHERE s.student_id IS NULL;

-- DQ-A04: resource-map spending at schools without October 1 students
-- (ESSA definition).
CREATE VIEW dq_a04 AS
SELECT
    'DQ-A04' AS rule_id, r.severity, 'school_spending' AS table_name, p.district_id, p.school_year,
    'school ' || p.school_id AS entity_key,
    CAST(p.spending AS VARCHAR) AS measured, 'spending only where there are students' AS expected,
    CAST(p.spending AS VARCHAR) || ' reaches school ' || p.school_id || ', which has no October 1 enrollment' AS detail
FROM school_per_pupil p
-- only where the district-year has enrollment records to count
JOIN (SELECT DISTINCT district_id, school_year FROM student_enrollment) e
  ON e.district_id = p.district_id AND e.school_year = p.school_year
-- and at schools the school table lists (spending at a school it lacks is
-- DQ-F08's)
LEFT JOIN (SELECT DISTINCT district_id, school_year FROM school) y
  ON y.district_id = p.district_id AND y.school_year = p.school_year
LEFT JOIN school s
  ON s.district_id = p.district_id AND s.school_year = p.school_year AND s.school_id = p.school_id
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-A04' AND r.district_id = p.district_id AND r.school_year = p.school_year
WHERE p.definition_id = 'essa_ppe' AND COALESCE(p.enrollment, 0) = 0 AND p.spending <> 0
  AND (y.district_id IS NULL OR s.school_id IS NOT NULL);

-- Every finding.
CREATE VIEW dq_finding AS
SELECT * FROM dq_f01 UNION ALL SELECT * FROM dq_f02 UNION ALL SELECT * FROM dq_f03
UNION ALL SELECT * FROM dq_f04 UNION ALL SELECT * FROM dq_f05 UNION ALL SELECT * FROM dq_f06
UNION ALL SELECT * FROM dq_f07 UNION ALL SELECT * FROM dq_f08 UNION ALL SELECT * FROM dq_f09
UNION ALL SELECT * FROM dq_f10
UNION ALL SELECT * FROM dq_p01 UNION ALL SELECT * FROM dq_p02 UNION ALL SELECT * FROM dq_p03
UNION ALL SELECT * FROM dq_p04 UNION ALL SELECT * FROM dq_p05 UNION ALL SELECT * FROM dq_p06
UNION ALL SELECT * FROM dq_p07
UNION ALL SELECT * FROM dq_s01 UNION ALL SELECT * FROM dq_s02 UNION ALL SELECT * FROM dq_s03
UNION ALL SELECT * FROM dq_s04 UNION ALL SELECT * FROM dq_s05 UNION ALL SELECT * FROM dq_s06
UNION ALL SELECT * FROM dq_s07 UNION ALL SELECT * FROM dq_s08 UNION ALL SELECT * FROM dq_s09
UNION ALL SELECT * FROM dq_t01 UNION ALL SELECT * FROM dq_t02 UNION ALL SELECT * FROM dq_t03
UNION ALL SELECT * FROM dq_t04
UNION ALL SELECT * FROM dq_a04;

-- Reconciliation report, one row per district, year and check: what one
-- source says against what another says, the difference in units (exact
-- decimals: dollars to the cent, students whole) and, where rows are
-- compared, how many differ.
--   payroll_vs_ledger: payroll gross against ledger salary lines (objects
--     100-199, actual, in scope), in dollars; rows = fund/function/location
--     cells that differ by more than DQ-P01's tolerance;
--   enrollment_vs_published: students enrolled on October 1 in the
--     district's own records against the enrollment each publication states
--     (district_profile), in students;
--   allocated_vs_pools: central pools that have a driver against what
--     school_allocation spread (ESSA), in dollars: 0.00 by construction.
CREATE VIEW reconciliation_report AS
WITH pay AS (
    SELECT district_id, school_year, sum(pay) AS amount
    FROM payroll_location_share
    WHERE kind = 'salaries'
    GROUP BY district_id, school_year
),
ledger AS (
    SELECT district_id, school_year, sum(amount) AS amount
    FROM gl_pay_location
    WHERE kind = 'salaries'
    GROUP BY district_id, school_year
),
cells AS (
    SELECT district_id, school_year, count(*) AS differing FROM dq_p01 GROUP BY district_id, school_year
),
pools AS (
    SELECT district_id, school_year, sum(amount) AS amount
    FROM central_pool
    WHERE definition_id = 'essa_ppe' AND driver <> 'stays_central'
    GROUP BY district_id, school_year
),
spread AS (
    SELECT district_id, school_year, sum(amount) AS amount
    FROM school_allocation
    WHERE definition_id = 'essa_ppe'
    GROUP BY district_id, school_year
)
SELECT
    p.district_id, p.school_year, 'payroll_vs_ledger' AS check_name,
    'payroll gross' AS source_a, CAST(p.amount AS DECIMAL(38, 2)) AS value_a,
    'ledger salaries' AS source_b, CAST(l.amount AS DECIMAL(38, 2)) AS value_b,
    CAST(p.amount - l.amount AS DECIMAL(38, 2)) AS difference,
    COALESCE(c.differing, 0) AS rows_differing, 'dollars' AS unit
FROM pay p
JOIN ledger l ON l.district_id = p.district_id AND l.school_year = p.school_year
LEFT JOIN cells c ON c.district_id = p.district_id AND c.school_year = p.school_year
UNION ALL
SELECT
    e.district_id, e.school_year, 'enrollment_vs_published',
    'October 1 records', CAST(e.enrollment AS DECIMAL(38, 2)),
    d.source, CAST(d.enrollment AS DECIMAL(38, 2)),
    CAST(CAST(e.enrollment AS DECIMAL(38, 2)) - CAST(d.enrollment AS DECIMAL(38, 2)) AS DECIMAL(38, 2)),
    CASE WHEN CAST(e.enrollment AS DECIMAL(38, 2)) = CAST(d.enrollment AS DECIMAL(38, 2)) THEN 0 ELSE 1 END,
    'students'
FROM district_enrollment e
JOIN district_profile d
  ON d.district_id = e.district_id AND d.school_year = e.school_year AND d.enrollment IS NOT NULL
UNION ALL
SELECT
    p.district_id, p.school_year, 'allocated_vs_pools',
    'central pools', CAST(p.amount AS DECIMAL(38, 2)),
    'allocated to schools', CAST(COALESCE(s.amount, 0) AS DECIMAL(38, 2)),
    CAST(p.amount - COALESCE(s.amount, 0) AS DECIMAL(38, 2)),
    CASE WHEN p.amount = COALESCE(s.amount, 0) THEN 0 ELSE 1 END,
    'dollars'
FROM pools p
LEFT JOIN spread s ON s.district_id = p.district_id AND s.school_year = p.school_year;
