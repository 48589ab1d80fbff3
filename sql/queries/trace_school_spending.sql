-- name: trace_school_spending
-- description: Where one school's figure came from: its ledger lines (file and line), its payroll-located personnel pools and its shares of central pools (rule, driver, pool amount), for one category or all
-- param: district text | district id
-- param: year int | ending school year
-- param: school text | school id
-- param: definition text(essa_ppe,nces_current) = essa_ppe | spending definition: essa_ppe or nces_current
-- param: category text = null | one spending category; all when omitted
-- rounding: exact cents
SELECT
    'ledger line' AS source,
    source_file || ':' || CAST(source_line AS VARCHAR) AS origin,
    account_id AS detail,
    category,
    fund_source,
    is_personnel,
    CAST(amount AS DECIMAL(28, 2)) AS amount
FROM gl_line_payroll_bucket
WHERE district_id = $district AND school_year = $year AND definition_id = $definition
  AND level = 'school' AND line_type = 'actual' AND school_id = $school
  AND bucket_function IS NULL
  AND ($category IS NULL OR category = $category)
UNION ALL
SELECT
    'payroll pool' AS source,
    pool_id AS origin,
    'ledger personnel placed where payroll pays it' AS detail,
    category,
    fund_source,
    true AS is_personnel,
    CAST(amount AS DECIMAL(28, 2)) AS amount
FROM gl_payroll_respread
WHERE district_id = $district AND school_year = $year AND definition_id = $definition
  AND school_id = $school AND ($category IS NULL OR category = $category)
UNION ALL
SELECT
    'central pool' AS source,
    pool_id AS origin,
    'rule ' || rule_id || ', ' || driver || ' ' || CAST(driver_value AS VARCHAR) || ' of pool ' || CAST(pool_amount AS VARCHAR) AS detail,
    category,
    fund_source,
    is_personnel,
    CAST(amount AS DECIMAL(28, 2)) AS amount
FROM school_allocation
WHERE district_id = $district AND school_year = $year AND definition_id = $definition
  AND school_id = $school AND ($category IS NULL OR category = $category)
ORDER BY source DESC, origin
