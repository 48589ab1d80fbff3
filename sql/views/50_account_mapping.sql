-- Local account codes onto the NCES chart, and what each definition of
-- spending counts. docs/resource_map.md explains the steps; these views are
-- the steps.

-- Every crosswalk rule in force: the bundled files (data/crosswalks/*.csv,
-- one per chart; rows without a district apply to every district on that
-- chart) and a district's own rows loaded into the coa_crosswalk table for a
-- district-year. `scope` orders them: a district-year's own rows (2) beat a
-- bundled district row (1), which beats a bundled chart-wide row (0).
CREATE VIEW coa_crosswalk_rules AS
SELECT
    district_id,
    CAST(NULL AS INT) AS school_year,
    chart,
    dimension,
    pattern,
    target,
    level,
    category,
    fund_source,
    note,
    CASE WHEN district_id IS NULL THEN 0 ELSE 1 END AS scope,
    CASE WHEN strpos(pattern, '%') > 0 OR strpos(pattern, '_') > 0 THEN 0 ELSE 1 END AS is_exact,
    length(pattern) AS pattern_length
FROM coa_crosswalk_bundled
UNION ALL
SELECT
    district_id, school_year, chart, dimension, pattern, target, level, category,
    fund_source, note, 2 AS scope,
    CASE WHEN strpos(pattern, '%') > 0 OR strpos(pattern, '_') > 0 THEN 0 ELSE 1 END AS is_exact,
    length(pattern) AS pattern_length
FROM coa_crosswalk;

-- Each distinct code in use, by district-year, chart and dimension. An empty
-- or missing code is ''.
CREATE VIEW account_code AS
SELECT DISTINCT district_id, school_year, chart, dimension, code
FROM (
    SELECT district_id, school_year, COALESCE(chart, '') AS chart, 'fund' AS dimension, COALESCE(trim(fund), '') AS code FROM gl_line
    UNION ALL SELECT district_id, school_year, COALESCE(chart, ''), 'function', COALESCE(trim(function), '') FROM gl_line
    UNION ALL SELECT district_id, school_year, COALESCE(chart, ''), 'object', COALESCE(trim(object), '') FROM gl_line
    UNION ALL SELECT district_id, school_year, COALESCE(chart, ''), 'program', COALESCE(trim(program), '') FROM gl_line
    UNION ALL SELECT district_id, school_year, COALESCE(chart, ''), 'location', COALESCE(trim(location_id), '') FROM gl_line
    UNION ALL SELECT district_id, school_year, COALESCE(chart, ''), 'fund', COALESCE(trim(fund), '') FROM payroll_line
    UNION ALL SELECT district_id, school_year, COALESCE(chart, ''), 'function', COALESCE(trim(function), '') FROM payroll_line
    UNION ALL SELECT district_id, school_year, COALESCE(chart, ''), 'object', COALESCE(trim(object), '') FROM payroll_line
    UNION ALL SELECT district_id, school_year, COALESCE(chart, ''), 'location', COALESCE(trim(location_id), '') FROM payroll_line
) codes;

-- The crosswalk rule each code in use falls under: a district's own rule
-- beats a bundled one, an exact code beats a pattern, a longer pattern beats a
-- shorter one. `target` is the NCES code (the code itself when the rule names
-- none); for locations, the school id, NULL for a central location.
CREATE MATERIALIZED VIEW coa_code_map AS
SELECT district_id, school_year, chart, dimension, code, target, level, category, fund_source, pattern, note
FROM (
    SELECT
        c.district_id,
        c.school_year,
        c.chart,
        c.dimension,
        c.code,
        CASE
            WHEN c.dimension = 'location' AND COALESCE(r.level, '') <> 'school' THEN NULL
            ELSE COALESCE(r.target, c.code)
        END AS target,
        r.level,
        r.category,
        r.fund_source,
        r.pattern,
        r.note,
        row_number() OVER (
            PARTITION BY c.district_id, c.school_year, c.chart, c.dimension, c.code
            ORDER BY r.scope DESC, r.is_exact DESC, r.pattern_length DESC
        ) AS pick
    FROM account_code c
    JOIN coa_crosswalk_rules r
      ON r.chart = c.chart
     AND r.dimension = c.dimension
     AND (r.district_id IS NULL OR r.district_id = c.district_id)
     AND (r.school_year IS NULL OR r.school_year = c.school_year)
     AND CASE WHEN r.pattern = '(blank)' THEN c.code = '' ELSE c.code LIKE r.pattern END
) ranked
WHERE pick = 1;

-- Default level and category of each NCES function in use
-- (data/reference/nces_function_level.csv; the longest pattern wins).
CREATE VIEW nces_function_default AS
SELECT function, level, category
FROM (
    SELECT
        t.function,
        l.level,
        l.category,
        row_number() OVER (PARTITION BY t.function ORDER BY l.pattern_length DESC) AS pick
    FROM (SELECT DISTINCT target AS function FROM coa_code_map WHERE dimension = 'function') t
    JOIN (SELECT *, length(pattern) AS pattern_length FROM nces_function_level) l
      ON t.function LIKE l.pattern
) ranked
WHERE pick = 1;

-- Every ledger line with its NCES codes, school, spending category, fund
-- source and personnel flag. The category is the function crosswalk row's,
-- else (for instruction) the program row's, else the NCES default for the
-- function, with instruction in programs 2__ as special education and 3__ as
-- CTE. A line is site-coded when its location maps to a
-- school. `crosswalk_exclusion` says why a crosswalk keeps the line out of
-- every definition (revenue, balance sheet, transfers ...);
-- `unmapped_dimension` names the first dimension no rule maps (fund,
-- function, object or location; a program no rule maps is simply no program,
-- as many charts have none).
CREATE MATERIALIZED VIEW gl_line_mapped AS
SELECT
    g.district_id,
    g.school_year,
    g.source_file,
    g.source_line,
    g.line_type,
    g.amount,
    g.chart,
    g.account_id,
    g.fund,
    g.function,
    g.object,
    g.program,
    g.location_id,
    g.description,
    fu.target AS nces_fund,
    fn.target AS nces_function,
    ob.target AS nces_object,
    pr.target AS nces_program,
    lo.target AS school_id,
    lo.target IS NOT NULL AS site_coded,
    CASE
        WHEN fu.level = 'excluded' THEN 'crosswalk: fund ' || fu.code || COALESCE(' (' || fu.note || ')', '')
        WHEN fn.level = 'excluded' THEN 'crosswalk: function ' || fn.code || COALESCE(' (' || fn.note || ')', '')
        WHEN ob.level = 'excluded' THEN 'crosswalk: object ' || ob.code || COALESCE(' (' || ob.note || ')', '')
        WHEN pr.level = 'excluded' THEN 'crosswalk: program ' || pr.code || COALESCE(' (' || pr.note || ')', '')
    END AS crosswalk_exclusion,
    CASE
        WHEN fu.code IS NULL THEN 'fund'
        WHEN fn.code IS NULL THEN 'function'
        WHEN ob.code IS NULL THEN 'object'
        WHEN lo.code IS NULL THEN 'location'
        WHEN fd.function IS NULL THEN 'function'
        WHEN o1.code IS NULL THEN 'object'
    END AS unmapped_dimension,
    COALESCE(fn.level, fd.level) AS function_level,
    CASE
        WHEN fn.category IS NOT NULL THEN fn.category
        WHEN fd.category = 'teaching_general' AND pr.category IS NOT NULL THEN pr.category
        WHEN fd.category = 'teaching_general' AND pr.target LIKE '2%' THEN 'teaching_special_ed'
        WHEN fd.category = 'teaching_general' AND pr.target LIKE '3%' THEN 'teaching_other'
        ELSE COALESCE(fd.category, 'unclassified')
    END AS category,
    CASE
        WHEN g.chart = 'nces' AND g.project ~ '^[4-9][0-9][0-9]$' THEN 'federal'
        ELSE COALESCE(fu.fund_source, 'state_local')
    END AS fund_source,
    COALESCE(length(ob.target) = 3 AND substr(ob.target, 1, 1) IN ('1', '2'), false) AS is_personnel,
    g.posting_date,
    g.project
FROM gl_line g
LEFT JOIN coa_code_map fu
  ON fu.district_id = g.district_id AND fu.school_year = g.school_year AND fu.chart = COALESCE(g.chart, '')
 AND fu.dimension = 'fund' AND fu.code = COALESCE(trim(g.fund), '')
LEFT JOIN coa_code_map fn
  ON fn.district_id = g.district_id AND fn.school_year = g.school_year AND fn.chart = COALESCE(g.chart, '')
 AND fn.dimension = 'function' AND fn.code = COALESCE(trim(g.function), '')
LEFT JOIN coa_code_map ob
  ON ob.district_id = g.district_id AND ob.school_year = g.school_year AND ob.chart = COALESCE(g.chart, '')
 AND ob.dimension = 'object' AND ob.code = COALESCE(trim(g.object), '')
LEFT JOIN coa_code_map pr
  ON pr.district_id = g.district_id AND pr.school_year = g.school_year AND pr.chart = COALESCE(g.chart, '')
 AND pr.dimension = 'program' AND pr.code = COALESCE(trim(g.program), '')
LEFT JOIN coa_code_map lo
  ON lo.district_id = g.district_id AND lo.school_year = g.school_year AND lo.chart = COALESCE(g.chart, '')
 AND lo.dimension = 'location' AND lo.code = COALESCE(trim(g.location_id), '')
LEFT JOIN nces_function_default fd ON fd.function = fn.target
LEFT JOIN nces_object o1
  ON length(ob.target) = 3 AND o1.code = substr(ob.target, 1, 1) || '00';

-- Codes that leave ledger lines unclassified: a local code no crosswalk rule
-- maps, or one mapped onto an NCES function or object series the handbook
-- does not have. One row per code, with the lines and dollars it leaves
-- unclassified (those lines are reported as such, never dropped).
CREATE VIEW coa_unmapped_code AS
SELECT
    district_id,
    school_year,
    chart,
    unmapped_dimension AS dimension,
    CASE unmapped_dimension
        WHEN 'fund' THEN fund
        WHEN 'function' THEN function
        WHEN 'object' THEN object
        WHEN 'location' THEN location_id
    END AS code,
    count(*) AS lines,
    sum(amount) AS amount
FROM gl_line_mapped
WHERE unmapped_dimension IS NOT NULL AND line_type = 'actual'
GROUP BY district_id, school_year, chart, unmapped_dimension,
    CASE unmapped_dimension
        WHEN 'fund' THEN fund
        WHEN 'function' THEN function
        WHEN 'object' THEN object
        WHEN 'location' THEN location_id
    END;

-- The first exclusion of each definition (data/reference/spending_exclusion.csv)
-- that each combination of NCES codes in use in a district-year meets (per
-- district-year, so that a filter on district or year reaches the ledger).
CREATE VIEW definition_exclusion AS
SELECT district_id, school_year, definition_id, nces_fund, nces_function, nces_object, nces_program, reason
FROM (
    SELECT
        c.district_id,
        c.school_year,
        e.definition_id,
        c.nces_fund,
        c.nces_function,
        c.nces_object,
        c.nces_program,
        e.dimension || ' ' || e.pattern || ': ' || e.reason AS reason,
        row_number() OVER (
            PARTITION BY c.district_id, c.school_year, e.definition_id, c.nces_fund, c.nces_function,
                         c.nces_object, c.nces_program
            ORDER BY e.dimension, e.pattern
        ) AS pick
    FROM (
        SELECT DISTINCT
            district_id,
            school_year,
            COALESCE(nces_fund, '') AS nces_fund,
            COALESCE(nces_function, '') AS nces_function,
            COALESCE(nces_object, '') AS nces_object,
            COALESCE(nces_program, '') AS nces_program
        FROM gl_line_mapped
    ) c
    JOIN spending_exclusion e
      ON CASE e.dimension
             WHEN 'fund' THEN c.nces_fund
             WHEN 'function' THEN c.nces_function
             WHEN 'object' THEN c.nces_object
             WHEN 'program' THEN c.nces_program
         END LIKE e.pattern
     AND NOT COALESCE(
             CASE e.unless_dimension
                 WHEN 'fund' THEN c.nces_fund
                 WHEN 'function' THEN c.nces_function
                 WHEN 'object' THEN c.nces_object
                 WHEN 'program' THEN c.nces_program
             END LIKE e.unless_pattern,
             false)
) ranked
WHERE pick = 1;

-- Every ledger line under every definition of spending, with where it
-- belongs: `excluded` (outside the definition, with the reason),
-- `unclassified` (a code no crosswalk maps), `school` (coded to a school) or
-- `central` (to be allocated by allocation_rule or kept central).
CREATE MATERIALIZED VIEW gl_line_scoped AS
SELECT
    m.*,
    d.definition_id,
    COALESCE(m.crosswalk_exclusion, x.reason) AS exclusion,
    CASE
        WHEN m.crosswalk_exclusion IS NOT NULL OR x.reason IS NOT NULL THEN 'excluded'
        WHEN m.unmapped_dimension IS NOT NULL THEN 'unclassified'
        WHEN m.site_coded THEN 'school'
        ELSE 'central'
    END AS level
FROM gl_line_mapped m
CROSS JOIN spending_definition d
LEFT JOIN definition_exclusion x
  ON x.district_id = m.district_id AND x.school_year = m.school_year
 AND x.definition_id = d.definition_id
 AND x.nces_fund = COALESCE(m.nces_fund, '')
 AND x.nces_function = COALESCE(m.nces_function, '')
 AND x.nces_object = COALESCE(m.nces_object, '')
 AND x.nces_program = COALESCE(m.nces_program, '');

-- Payroll lines with NCES codes and school, like gl_line_mapped.
CREATE MATERIALIZED VIEW payroll_line_mapped AS
SELECT
    p.district_id,
    p.school_year,
    p.source_file,
    p.source_line,
    p.staff_id,
    p.chart,
    p.fund,
    p.function,
    p.object,
    p.location_id,
    p.earnings_type,
    p.gross,
    COALESCE(p.employer_benefits, CAST(0 AS DECIMAL(18, 2))) AS employer_benefits,
    p.gross + COALESCE(p.employer_benefits, CAST(0 AS DECIMAL(18, 2))) AS compensation,
    fu.target AS nces_fund,
    fn.target AS nces_function,
    ob.target AS nces_object,
    lo.target AS school_id,
    lo.target IS NOT NULL AS site_coded,
    CASE
        WHEN fu.level = 'excluded' THEN 'crosswalk: fund ' || fu.code || COALESCE(' (' || fu.note || ')', '')
        WHEN fn.level = 'excluded' THEN 'crosswalk: function ' || fn.code || COALESCE(' (' || fn.note || ')', '')
        WHEN ob.level = 'excluded' THEN 'crosswalk: object ' || ob.code || COALESCE(' (' || ob.note || ')', '')
    END AS crosswalk_exclusion,
    CASE
        WHEN fu.code IS NULL THEN 'fund'
        WHEN ob.code IS NULL THEN 'object'
        WHEN lo.code IS NULL THEN 'location'
    END AS unmapped_dimension,
    COALESCE(fu.fund_source, 'state_local') AS fund_source
FROM payroll_line p
LEFT JOIN coa_code_map fu
  ON fu.district_id = p.district_id AND fu.school_year = p.school_year AND fu.chart = COALESCE(p.chart, '')
 AND fu.dimension = 'fund' AND fu.code = COALESCE(trim(p.fund), '')
LEFT JOIN coa_code_map fn
  ON fn.district_id = p.district_id AND fn.school_year = p.school_year AND fn.chart = COALESCE(p.chart, '')
 AND fn.dimension = 'function' AND fn.code = COALESCE(trim(p.function), '')
LEFT JOIN coa_code_map ob
  ON ob.district_id = p.district_id AND ob.school_year = p.school_year AND ob.chart = COALESCE(p.chart, '')
 AND ob.dimension = 'object' AND ob.code = COALESCE(trim(p.object), '')
LEFT JOIN coa_code_map lo
  ON lo.district_id = p.district_id AND lo.school_year = p.school_year AND lo.chart = COALESCE(p.chart, '')
 AND lo.dimension = 'location' AND lo.code = COALESCE(trim(p.location_id), '');

-- Compensation (gross pay plus employer benefits) by school and year, from
-- payroll alone; central locations appear with school_id NULL. `excluded`
-- marks pay in funds a crosswalk keeps out of current spending.
CREATE VIEW payroll_by_school AS
SELECT
    district_id,
    school_year,
    school_id,
    excluded,
    count(*) AS employees,
    sum(salaries) AS salaries,
    sum(benefits) AS benefits,
    sum(compensation) AS compensation
FROM (
    -- one row per employee first: counting distinct employees beside sums
    -- in one aggregate trips a DataFusion 55 rewrite that widens the sums
    SELECT
        district_id, school_year, school_id, crosswalk_exclusion IS NOT NULL AS excluded, staff_id,
        sum(gross) AS salaries, sum(employer_benefits) AS benefits, sum(compensation) AS compensation
    FROM payroll_line_mapped
    GROUP BY district_id, school_year, school_id, crosswalk_exclusion IS NOT NULL, staff_id
) employees
GROUP BY district_id, school_year, school_id, excluded;
