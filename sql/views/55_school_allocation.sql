-- School attribution: every dollar of a definition's spending to a school,
-- or kept central by a stated rule, to the cent (docs/resource_map.md).

-- Personnel: payroll by employee and location wins over the ledger's
-- location where the two disagree. Payroll pay by fund, function and kind
-- (salaries: gross; benefits: employer benefits) and by school (NULL = a
-- central location).
-- A payroll without function codes gives function '*', matching every
-- function of its fund.
CREATE VIEW payroll_location_share AS
SELECT
    district_id,
    school_year,
    COALESCE(nces_fund, '') AS nces_fund,
    COALESCE(nces_function, '*') AS nces_function,
    kind,
    school_id,
    sum(pay) AS pay
FROM (
    SELECT district_id, school_year, nces_fund, nces_function, 'salaries' AS kind, school_id, gross AS pay
    FROM payroll_line_mapped WHERE crosswalk_exclusion IS NULL AND unmapped_dimension IS NULL
    UNION ALL
    SELECT district_id, school_year, nces_fund, nces_function, 'benefits', school_id, employer_benefits
    FROM payroll_line_mapped WHERE crosswalk_exclusion IS NULL AND unmapped_dimension IS NULL
) p
GROUP BY district_id, school_year, COALESCE(nces_fund, ''), COALESCE(nces_function, '*'), kind, school_id;

-- Ledger personnel pay by the same fund, function, kind and school (NULL =
-- central), for comparison with payroll.
CREATE VIEW gl_pay_location AS
SELECT
    district_id,
    school_year,
    COALESCE(nces_fund, '') AS nces_fund,
    COALESCE(nces_function, '') AS nces_function,
    CASE WHEN nces_object LIKE '1%' THEN 'salaries' ELSE 'benefits' END AS kind,
    school_id,
    sum(amount) AS amount
FROM gl_line_mapped
WHERE is_personnel AND line_type = 'actual'
  AND crosswalk_exclusion IS NULL AND unmapped_dimension IS NULL
GROUP BY district_id, school_year, COALESCE(nces_fund, ''), COALESCE(nces_function, ''),
         CASE WHEN nces_object LIKE '1%' THEN 'salaries' ELSE 'benefits' END, school_id;

-- The (fund, function, kind) buckets where payroll overrides the ledger:
-- payroll has positive pay in them, and the ledger puts a different amount
-- at some location than payroll does. Where the two agree location by
-- location, the ledger lines stay as coded (and keep their program's
-- category); a function-less payroll ('*') cannot be compared and always
-- overrides.
CREATE VIEW payroll_bucket AS
WITH pay AS (
    SELECT district_id, school_year, nces_fund, nces_function, kind
    FROM payroll_location_share
    GROUP BY district_id, school_year, nces_fund, nces_function, kind
    HAVING sum(CASE WHEN pay > 0 THEN pay ELSE 0 END) > 0
),
-- Keys where payroll and the ledger put different amounts at some location:
-- each side holds one row per key and location, so the two agree where
-- payroll minus ledger nets to zero. (Written as a union, not a full join on
-- the keys, so that a filter on district or year reaches both sides.)
disagree AS (
    SELECT DISTINCT district_id, school_year, nces_fund, nces_function, kind
    FROM (
        SELECT district_id, school_year, nces_fund, nces_function, kind,
               COALESCE(school_id, '') AS location, pay AS net
        FROM payroll_location_share
        UNION ALL
        SELECT district_id, school_year, nces_fund, nces_function, kind,
               COALESCE(school_id, '') AS location, -amount AS net
        FROM gl_pay_location
    ) both_sides
    GROUP BY district_id, school_year, nces_fund, nces_function, kind, location
    HAVING sum(net) <> 0
)
SELECT pay.district_id, pay.school_year, pay.nces_fund, pay.nces_function, pay.kind
FROM pay
JOIN disagree
  ON disagree.district_id = pay.district_id AND disagree.school_year = pay.school_year
 AND disagree.nces_fund = pay.nces_fund AND disagree.kind = pay.kind
 AND (disagree.nces_function = pay.nces_function OR pay.nces_function = '*');

-- The payroll bucket covering each kind of ledger personnel spending: the
-- bucket of the same fund, kind and function, else the fund's function-less
-- bucket ('*').
CREATE VIEW payroll_bucket_match AS
SELECT district_id, school_year, nces_fund, nces_function, kind, bucket_function
FROM (
    SELECT
        c.district_id, c.school_year, c.nces_fund, c.nces_function, c.kind,
        b.nces_function AS bucket_function,
        row_number() OVER (
            PARTITION BY c.district_id, c.school_year, c.nces_fund, c.nces_function, c.kind
            ORDER BY b.is_generic
        ) AS pick
    FROM (
        SELECT DISTINCT
            district_id, school_year,
            COALESCE(nces_fund, '') AS nces_fund,
            COALESCE(nces_function, '') AS nces_function,
            CASE WHEN nces_object LIKE '1%' THEN 'salaries' ELSE 'benefits' END AS kind
        FROM gl_line_mapped
        WHERE is_personnel AND line_type = 'actual'
    ) c
    JOIN (SELECT *, nces_function = '*' AS is_generic FROM payroll_bucket) b
      ON b.district_id = c.district_id AND b.school_year = c.school_year
     AND b.nces_fund = c.nces_fund AND b.kind = c.kind
     AND (b.nces_function = c.nces_function OR b.nces_function = '*')
) ranked
WHERE pick = 1;

-- Ledger lines with the payroll bucket that covers them (personnel lines in
-- scope, school or central, whose bucket payroll fills), else NULL.
CREATE VIEW gl_line_payroll_bucket AS
SELECT
    s.*,
    CASE WHEN s.nces_object LIKE '1%' THEN 'salaries' ELSE 'benefits' END AS kind,
    b.bucket_function
FROM gl_line_scoped s
LEFT JOIN payroll_bucket_match b
  ON s.is_personnel
 AND s.level IN ('school', 'central')
 AND s.line_type = 'actual'
 AND b.district_id = s.district_id
 AND b.school_year = s.school_year
 AND b.nces_fund = COALESCE(s.nces_fund, '')
 AND b.nces_function = COALESCE(s.nces_function, '')
 AND b.kind = CASE WHEN s.nces_object LIKE '1%' THEN 'salaries' ELSE 'benefits' END;

-- Ledger personnel spending that payroll covers, spread over locations in
-- proportion to payroll pay there (exactly, by allocate). Each pool keeps the
-- ledger's category and fund source.
CREATE VIEW gl_payroll_respread AS
SELECT
    p.district_id,
    p.school_year,
    p.definition_id,
    p.nces_fund,
    p.nces_function,
    p.kind,
    p.category,
    p.fund_source,
    p.pool_id,
    w.school_id,
    allocate(p.amount, CASE WHEN w.pay > 0 THEN w.pay ELSE 0 END, p.pool_id)
        OVER (PARTITION BY p.district_id, p.school_year, p.pool_id ORDER BY w.school_id NULLS LAST) AS amount
FROM (
    SELECT
        district_id, school_year, definition_id, nces_fund, nces_function, bucket_function, kind,
        category, fund_source, sum(amount) AS amount,
        concat_ws(' / ', district_id, CAST(school_year AS VARCHAR), definition_id, 'payroll',
                  'fund ' || COALESCE(nces_fund, ''), 'function ' || COALESCE(nces_function, ''),
                  kind, category, fund_source) AS pool_id
    FROM gl_line_payroll_bucket
    WHERE bucket_function IS NOT NULL
    GROUP BY district_id, school_year, definition_id, nces_fund, nces_function, bucket_function,
             kind, category, fund_source
) p
JOIN payroll_location_share w
  ON w.district_id = p.district_id AND w.school_year = p.school_year
 AND w.nces_fund = COALESCE(p.nces_fund, '') AND w.nces_function = p.bucket_function
 AND w.kind = p.kind;

-- Every dollar of every definition after the payroll step, by where it now
-- sits: ledger lines as coded, plus payroll-respread personnel.
-- `located_by` says which: ledger or payroll.
CREATE MATERIALIZED VIEW spending_located AS
SELECT
    district_id, school_year, definition_id, level, school_id, category, fund_source,
    is_personnel, nces_function, nces_object, nces_program, amount, 'ledger' AS located_by
FROM gl_line_payroll_bucket
WHERE line_type = 'actual' AND bucket_function IS NULL
UNION ALL
SELECT
    district_id, school_year, definition_id,
    CASE WHEN school_id IS NULL THEN 'central' ELSE 'school' END AS level,
    school_id, category, fund_source, true AS is_personnel, nces_function,
    CASE kind WHEN 'salaries' THEN '100' ELSE '200' END AS nces_object,
    CAST(NULL AS VARCHAR) AS nces_program, amount, 'payroll' AS located_by
FROM gl_payroll_respread;

-- The rules in force for each district-year: its own allocation_rule rows
-- when it has any, else the bundled defaults.
CREATE VIEW allocation_rule_active AS
SELECT district_id, school_year, rule_id, priority, function_pattern, object_pattern,
       program_pattern, category_pattern, driver, 'district' AS origin
FROM allocation_rule
UNION ALL
SELECT dy.district_id, dy.school_year, d.rule_id, CAST(d.priority AS INT), d.function_pattern,
       d.object_pattern, d.program_pattern, d.category_pattern, d.driver, 'default' AS origin
FROM (SELECT DISTINCT district_id, school_year FROM gl_line) dy
CROSS JOIN allocation_rule_default d
LEFT JOIN (SELECT DISTINCT district_id, school_year FROM allocation_rule) own
  ON own.district_id = dy.district_id AND own.school_year = dy.school_year
WHERE own.district_id IS NULL;

-- The rule each kind of central spending falls under (highest priority,
-- then rule id).
CREATE VIEW central_rule_match AS
SELECT district_id, school_year, nces_function, nces_object, nces_program, category, rule_id, driver
FROM (
    SELECT
        c.*,
        r.rule_id,
        r.driver,
        row_number() OVER (
            PARTITION BY c.district_id, c.school_year, c.nces_function, c.nces_object,
                         c.nces_program, c.category
            ORDER BY r.priority DESC, r.rule_id
        ) AS pick
    FROM (
        SELECT DISTINCT
            district_id, school_year,
            COALESCE(nces_function, '') AS nces_function,
            COALESCE(nces_object, '') AS nces_object,
            COALESCE(nces_program, '') AS nces_program,
            category
        FROM spending_located
        WHERE level = 'central'
    ) c
    JOIN allocation_rule_active r
      ON r.district_id = c.district_id AND r.school_year = c.school_year
     AND (r.function_pattern IS NULL OR c.nces_function LIKE r.function_pattern)
     AND (r.object_pattern IS NULL OR c.nces_object LIKE r.object_pattern)
     AND (r.program_pattern IS NULL OR c.nces_program LIKE r.program_pattern)
     AND (r.category_pattern IS NULL OR c.category LIKE r.category_pattern)
) ranked
WHERE pick = 1;

-- Central pools: central spending by rule, category, fund source and
-- personnel, so that allocation keeps all four ESSA cells exact. A pool with
-- no rule has rule_id NULL; allocating it is an error that names it.
CREATE MATERIALIZED VIEW central_pool AS
SELECT
    s.district_id,
    s.school_year,
    s.definition_id,
    r.rule_id,
    r.driver,
    s.category,
    s.fund_source,
    s.is_personnel,
    sum(s.amount) AS amount,
    concat_ws(' / ', s.district_id, CAST(s.school_year AS VARCHAR), s.definition_id,
              COALESCE(r.rule_id, '(no rule)'), s.category, s.fund_source,
              CASE WHEN s.is_personnel THEN 'personnel' ELSE 'non-personnel' END) AS pool_id
FROM spending_located s
LEFT JOIN central_rule_match r
  ON r.district_id = s.district_id AND r.school_year = s.school_year
 AND r.nces_function = COALESCE(s.nces_function, '') AND r.nces_object = COALESCE(s.nces_object, '')
 AND r.nces_program = COALESCE(s.nces_program, '') AND r.category = s.category
WHERE s.level = 'central'
GROUP BY s.district_id, s.school_year, s.definition_id, r.rule_id, r.driver, s.category,
         s.fund_source, s.is_personnel;

-- Student days at each school in the school year (July 1 to June 30): the
-- days of each enrollment spell inside the year, exit day included.
CREATE VIEW student_school_days AS
SELECT
    district_id,
    school_year,
    school_id,
    student_id,
    sum(
        CAST(least(COALESCE(exit_date, make_date(school_year, 6, 30)), make_date(school_year, 6, 30)) AS INT)
        - CAST(greatest(entry_date, make_date(school_year - 1, 7, 1)) AS INT) + 1
    ) AS days
FROM student_enrollment
WHERE entry_date <= make_date(school_year, 6, 30)
  AND (exit_date IS NULL OR exit_date >= make_date(school_year - 1, 7, 1))
GROUP BY district_id, school_year, school_id, student_id;

-- What each school has of each driver allocation_rule can name. A value a
-- district loads into school_driver replaces the computed value of the same
-- driver for that school only; drivers nothing computes (riders, share,
-- meals ...) come from school_driver alone. A school_driver row naming a
-- school the district-year's school table does not list stops the query
-- with an error naming it.
CREATE MATERIALIZED VIEW allocation_driver AS
-- TODO: a district or year filter stops above the computed drivers'
-- GROUP BYs, so every district's drivers are computed for one district's
-- question (a few seconds at SF 10): the branches' district_id types differ
-- (the school table's is not dictionary-encoded), and DataFusion 55's
-- pushdown through the union's coercion loses the columns' qualifiers. Giving
-- every branch one type (or every table one district_id type at ingest)
-- would let it through; see student_cost's section branch.
WITH computed AS (
    SELECT district_id, school_year, school_id, 'enrollment' AS driver, CAST(enrollment AS DECIMAL(18, 6)) AS value
    FROM school_enrollment
    UNION ALL
    SELECT district_id, school_year, school_id, 'student_days', CAST(sum(days) AS DECIMAL(18, 6))
    FROM student_school_days GROUP BY district_id, school_year, school_id
    UNION ALL
    SELECT district_id, school_year, school_id, 'teacher_fte', CAST(teacher_fte AS DECIMAL(18, 6))
    FROM school_teacher_fte
    UNION ALL
    SELECT district_id, school_year, school_id, 'staff_fte', CAST(sum(fte) AS DECIMAL(18, 6))
    FROM staff_assignment
    WHERE school_id IS NOT NULL
      AND (begin_date IS NULL OR begin_date <= make_date(school_year - 1, 10, 1))
      AND (end_date IS NULL OR end_date >= make_date(school_year - 1, 10, 1))
    GROUP BY district_id, school_year, school_id
    UNION ALL
    SELECT e.district_id, e.school_year, e.school_id, g.driver, CAST(count(*) AS DECIMAL(18, 6))
    FROM enrolled_on_count_date e
    JOIN student s ON s.district_id = e.district_id AND s.school_year = e.school_year AND s.student_id = e.student_id
    CROSS JOIN (VALUES ('swd_students'), ('el_students'), ('econ_disadv_students')) g(driver)
    WHERE (g.driver = 'swd_students' AND s.is_swd)
       OR (g.driver = 'el_students' AND s.is_el)
       OR (g.driver = 'econ_disadv_students' AND s.is_econ_disadv)
    GROUP BY e.district_id, e.school_year, e.school_id, g.driver
    UNION ALL
    SELECT district_id, school_year, school_id, 'sections', CAST(count(*) AS DECIMAL(18, 6))
    FROM section GROUP BY district_id, school_year, school_id
    UNION ALL
    SELECT district_id, school_year, school_id, 'square_feet', CAST(square_feet AS DECIMAL(18, 6))
    FROM school WHERE square_feet IS NOT NULL
    UNION ALL
    SELECT district_id, school_year, school_id, 'schools', CAST(1 AS DECIMAL(18, 6))
    FROM school
),
supplied AS (
    SELECT d.district_id, d.school_year, d.school_id, d.driver, d.value
    FROM school_driver d
    LEFT JOIN (SELECT DISTINCT district_id, school_year, school_id FROM school) k
      ON k.district_id = d.district_id AND k.school_year = d.school_year AND k.school_id = d.school_id
    WHERE reject_unless(
        k.school_id IS NOT NULL,
        'school_driver names school ' || d.school_id || ' (driver ' || d.driver || ', '
        || d.source_file || ':' || CAST(d.source_line AS VARCHAR) || '), which the school table of '
        || d.district_id || ' ' || CAST(d.school_year AS VARCHAR) || ' does not list')
)
SELECT c.district_id, c.school_year, c.school_id, c.driver, c.value, 'computed' AS origin
FROM computed c
LEFT JOIN supplied o
  ON o.district_id = c.district_id AND o.school_year = c.school_year
 AND o.school_id = c.school_id AND o.driver = c.driver
WHERE o.driver IS NULL
UNION ALL
SELECT district_id, school_year, school_id, driver, value, 'school_driver' AS origin FROM supplied;

-- Each central pool spread over schools by its rule's driver, exactly: the
-- shares of a pool add up to it to the cent (allocate, largest remainder). A
-- pool without a rule, or whose driver is zero at every school, stops the
-- query with an error naming the pool. Pools whose rule is stays_central are
-- not here (see resource_map_reconciliation).
CREATE MATERIALIZED VIEW school_allocation AS
SELECT
    p.district_id,
    p.school_year,
    p.definition_id,
    p.pool_id,
    p.rule_id,
    p.driver,
    p.category,
    p.fund_source,
    p.is_personnel,
    p.amount AS pool_amount,
    d.school_id,
    d.value AS driver_value,
    allocate(p.amount, d.value, p.pool_id || ' (driver ' || p.driver || ')')
        OVER (PARTITION BY p.district_id, p.school_year, p.pool_id ORDER BY d.school_id) AS amount
FROM central_pool p
LEFT JOIN allocation_driver d
  ON d.district_id = p.district_id AND d.school_year = p.school_year AND d.driver = p.driver
WHERE reject_unless(
          p.rule_id IS NOT NULL,
          'central pool ' || p.pool_id || ' (' || CAST(p.amount AS VARCHAR)
          || ') matches no allocation rule: add one to allocation_rule')
  AND p.driver <> 'stays_central';

-- What reached each school: direct (coded to the school by the ledger or,
-- for personnel, by payroll) and allocated (a share of a central pool), by
-- category, fund source and personnel.
CREATE VIEW school_spending AS
SELECT
    district_id, school_year, definition_id, school_id,
    CASE located_by WHEN 'payroll' THEN 'direct_payroll' ELSE 'direct' END AS attribution,
    CAST(NULL AS VARCHAR) AS rule_id,
    category, fund_source, is_personnel, sum(amount) AS amount
FROM spending_located
WHERE level = 'school'
GROUP BY district_id, school_year, definition_id, school_id, located_by, category, fund_source, is_personnel
UNION ALL
SELECT
    district_id, school_year, definition_id, school_id, 'allocated' AS attribution, rule_id,
    category, fund_source, is_personnel, sum(amount) AS amount
FROM school_allocation
GROUP BY district_id, school_year, definition_id, school_id, rule_id, category, fund_source, is_personnel;

-- Does every dollar add up? Per district, year and definition: the ledger's
-- actual total = excluded + unclassified + reached schools directly +
-- allocated to schools + kept central. `difference` is that identity's
-- remainder and must be 0.00. Unclassified lines (codes no crosswalk maps)
-- cannot be allocated by rule and stay central. share_to_schools: of the
-- spending in the definition (school + central + unclassified), the part that
-- reached schools.
CREATE VIEW resource_map_reconciliation AS
WITH ledger AS (
    SELECT
        district_id, school_year, definition_id,
        sum(amount) AS ledger_total,
        sum(CASE WHEN level = 'excluded' THEN amount ELSE 0 END) AS excluded,
        sum(CASE WHEN level = 'unclassified' THEN amount ELSE 0 END) AS unclassified
    FROM gl_line_scoped
    WHERE line_type = 'actual'
    GROUP BY district_id, school_year, definition_id
),
located AS (
    SELECT
        district_id, school_year, definition_id,
        sum(CASE WHEN level = 'school' THEN amount ELSE 0 END) AS school_direct,
        sum(CASE WHEN level = 'central' THEN amount ELSE 0 END) AS central
    FROM spending_located
    GROUP BY district_id, school_year, definition_id
),
allocated AS (
    SELECT district_id, school_year, definition_id, sum(amount) AS school_allocated
    FROM school_allocation
    GROUP BY district_id, school_year, definition_id
),
kept AS (
    SELECT district_id, school_year, definition_id, sum(amount) AS stays_central
    FROM central_pool
    WHERE driver = 'stays_central'
    GROUP BY district_id, school_year, definition_id
)
SELECT
    l.district_id,
    l.school_year,
    l.definition_id,
    l.ledger_total,
    l.excluded,
    l.unclassified,
    COALESCE(o.school_direct, 0) AS school_direct,
    COALESCE(a.school_allocated, 0) AS school_allocated,
    COALESCE(k.stays_central, 0) AS stays_central,
    l.ledger_total - l.excluded - l.unclassified - COALESCE(o.school_direct, 0)
        - COALESCE(a.school_allocated, 0) - COALESCE(k.stays_central, 0) AS difference,
    (COALESCE(o.school_direct, 0) + COALESCE(a.school_allocated, 0))
        / NULLIF(COALESCE(o.school_direct, 0) + COALESCE(o.central, 0) + l.unclassified, 0)
        AS share_to_schools
FROM ledger l
LEFT JOIN located o
  ON o.district_id = l.district_id AND o.school_year = l.school_year AND o.definition_id = l.definition_id
LEFT JOIN allocated a
  ON a.district_id = l.district_id AND a.school_year = l.school_year AND a.definition_id = l.definition_id
LEFT JOIN kept k
  ON k.district_id = l.district_id AND k.school_year = l.school_year AND k.definition_id = l.definition_id;

-- Per-pupil spending of each school under each definition, with its
-- denominator, in the four ESSA cells (federal or state/local x personnel or
-- not) and split into direct and allocated. Exact decimals; canned queries
-- round for display.
CREATE VIEW school_per_pupil AS
SELECT
    s.district_id,
    s.school_year,
    s.definition_id,
    d.denominator,
    s.school_id,
    e.enrollment,
    sum(s.amount) AS spending,
    sum(CASE WHEN s.attribution <> 'allocated' THEN s.amount ELSE 0 END) AS direct,
    sum(CASE WHEN s.attribution = 'allocated' THEN s.amount ELSE 0 END) AS allocated,
    sum(CASE WHEN s.fund_source = 'federal' AND s.is_personnel THEN s.amount ELSE 0 END) AS federal_personnel,
    sum(CASE WHEN s.fund_source = 'federal' AND NOT s.is_personnel THEN s.amount ELSE 0 END) AS federal_non_personnel,
    sum(CASE WHEN s.fund_source <> 'federal' AND s.is_personnel THEN s.amount ELSE 0 END) AS state_local_personnel,
    sum(CASE WHEN s.fund_source <> 'federal' AND NOT s.is_personnel THEN s.amount ELSE 0 END) AS state_local_non_personnel,
    sum(s.amount) / CAST(NULLIF(e.enrollment, 0) AS DECIMAL(20, 0)) AS per_pupil
FROM school_spending s
JOIN spending_definition d ON d.definition_id = s.definition_id
LEFT JOIN school_enrollment e
  ON e.district_id = s.district_id AND e.school_year = s.school_year AND e.school_id = s.school_id
GROUP BY s.district_id, s.school_year, s.definition_id, d.denominator, s.school_id, e.enrollment;
