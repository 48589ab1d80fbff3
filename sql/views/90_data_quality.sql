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

-- DQ-F04: identical ledger lines: same type, account, amount, date,
-- journal, vendor and description.
CREATE VIEW dq_f04 AS
SELECT
    'DQ-F04' AS rule_id, r.severity, 'gl_line' AS table_name, g.district_id, g.school_year,
    COALESCE(g.account_id, '') || ' ' || CAST(g.amount AS VARCHAR) || ' ' || COALESCE(CAST(g.posting_date AS VARCHAR), '') AS entity_key,
    CAST(count(*) AS VARCHAR) AS measured,
    '1' AS expected,
    'the same line appears ' || CAST(count(*) AS VARCHAR) || ' times (' || min(g.source_file) || ' lines '
        || string_agg(CAST(g.source_line AS VARCHAR), ', ') || '): a duplicate, or a void without its reversal' AS detail
FROM gl_line g
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-F04' AND r.district_id = g.district_id AND r.school_year = g.school_year
GROUP BY r.severity, g.district_id, g.school_year, g.line_type, g.account_id, g.amount, g.posting_date, g.journal_id, g.vendor, g.description
HAVING count(*) > 1;

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
    'within ' || CAST(r.high AS VARCHAR) || ' of the larger' AS expected,
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
    CAST(r.low AS VARCHAR) || ' to ' || CAST(r.high AS VARCHAR) AS expected,
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
    'at most ' || CAST(r.high AS VARCHAR) AS expected,
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

-- DQ-P06: experience that cannot be.
CREATE VIEW dq_p06 AS
SELECT
    'DQ-P06' AS rule_id, r.severity, 'staff' AS table_name, s.district_id, s.school_year,
    'staff ' || s.staff_id AS entity_key,
    CAST(s.years_experience AS VARCHAR) AS measured,
    '0 to ' || CAST(s.school_year - 1 - s.birth_year - 18 AS VARCHAR) AS expected,
    'born ' || CAST(s.birth_year AS VARCHAR) || ', ' || CAST(s.years_experience AS VARCHAR)
        || ' years of experience in ' || CAST(s.school_year AS VARCHAR) AS detail
FROM staff s
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-P06' AND r.district_id = s.district_id AND r.school_year = s.school_year
WHERE s.years_experience < 0
   OR (s.birth_year IS NOT NULL AND s.years_experience > s.school_year - 1 - s.birth_year - 18);

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
    CAST(r.low AS VARCHAR) || ' to ' || CAST(r.high AS VARCHAR) AS expected,
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

-- DQ-S08: students in sections at schools where they are not enrolled for
-- part or all of their time in the section: the days of each roster spell
-- (inside the section's term) that no enrollment spell at that school covers.
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
covered AS (
    SELECT
        p.district_id, p.school_year, p.student_id, p.section_id, p.school_id, p.first_day, p.last_day,
        CAST(p.last_day AS INT) - CAST(p.first_day AS INT) + 1 AS days,
        -- (no spell at the school covers nothing: greatest() would skip the
        -- missing entry date and count the whole section)
        COALESCE(sum(CASE WHEN e.student_id IS NULL THEN 0 ELSE greatest(
            CAST(least(p.last_day, COALESCE(e.exit_date, make_date(p.school_year, 6, 30))) AS INT)
            - CAST(greatest(p.first_day, e.entry_date) AS INT) + 1, 0) END), 0) AS enrolled_days
    FROM spells p
    LEFT JOIN student_enrollment e
      ON e.district_id = p.district_id AND e.school_year = p.school_year
     AND e.student_id = p.student_id AND e.school_id = p.school_id
    WHERE p.last_day >= p.first_day
    GROUP BY p.district_id, p.school_year, p.student_id, p.section_id, p.school_id, p.first_day, p.last_day
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

-- DQ-T01: overlapping primary enrollments at different schools.
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
 AND a.school_id < b.school_id
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
        || CAST(r.high AS VARCHAR) AS expected,
    CAST(e.enrollment AS VARCHAR) || ' students on October 1 in the records, '
        || CAST(CAST(p.students AS BIGINT) AS VARCHAR) || ' in ' || p.source AS detail
FROM school_enrollment e
JOIN school_profile p
  ON p.district_id = e.district_id AND p.school_year = e.school_year AND p.school_id = e.school_id
 AND p.category IS NULL AND p.grade IS NULL AND p.subject IS NULL AND p.students IS NOT NULL
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-T02' AND r.district_id = e.district_id AND r.school_year = e.school_year
WHERE abs(CAST(e.enrollment AS DECIMAL(20, 4)) - p.students) > r.high * p.students;

-- DQ-T03: special-education attributes that contradict each other.
CREATE VIEW dq_t03 AS
SELECT
    'DQ-T03' AS rule_id, r.severity, 'student' AS table_name, s.district_id, s.school_year,
    'student ' || s.student_id AS entity_key,
    CASE WHEN s.is_swd THEN 'IEP flag' ELSE 'no IEP flag' END AS measured,
    CASE WHEN s.is_swd THEN 'a setting and service minutes' ELSE 'no setting or minutes' END AS expected,
    CASE
        WHEN s.is_swd THEN 'flagged with an IEP but with no special-education setting or service minutes'
        ELSE 'not flagged with an IEP but with a special-education setting ('
            || COALESCE(s.sped_setting, 'none') || ') or ' || COALESCE(CAST(s.sped_minutes_week AS VARCHAR), '0')
            || ' service minutes'
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
JOIN dq_rule_in_force r
  ON r.rule_id = 'DQ-A04' AND r.district_id = p.district_id AND r.school_year = p.school_year
WHERE p.definition_id = 'essa_ppe' AND COALESCE(p.enrollment, 0) = 0 AND p.spending <> 0;

-- Every finding.
CREATE VIEW dq_finding AS
SELECT * FROM dq_f01 UNION ALL SELECT * FROM dq_f04 UNION ALL SELECT * FROM dq_p01
UNION ALL SELECT * FROM dq_p02 UNION ALL SELECT * FROM dq_p03 UNION ALL SELECT * FROM dq_p04
UNION ALL SELECT * FROM dq_p06 UNION ALL SELECT * FROM dq_s01 UNION ALL SELECT * FROM dq_s02
UNION ALL SELECT * FROM dq_s03 UNION ALL SELECT * FROM dq_s06 UNION ALL SELECT * FROM dq_s08
UNION ALL SELECT * FROM dq_t01 UNION ALL SELECT * FROM dq_t02 UNION ALL SELECT * FROM dq_t03
UNION ALL SELECT * FROM dq_t04
UNION ALL SELECT * FROM dq_a04;

-- Reconciliation report, one row per district, year and check: what one
-- source says against what another says, the difference in units and, where
-- rows are compared, how many differ.
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
    'payroll gross' AS source_a, CAST(p.amount AS DOUBLE) AS value_a,
    'ledger salaries' AS source_b, CAST(l.amount AS DOUBLE) AS value_b,
    CAST(p.amount - l.amount AS DOUBLE) AS difference,
    COALESCE(c.differing, 0) AS rows_differing, 'dollars' AS unit
FROM pay p
JOIN ledger l ON l.district_id = p.district_id AND l.school_year = p.school_year
LEFT JOIN cells c ON c.district_id = p.district_id AND c.school_year = p.school_year
UNION ALL
SELECT
    e.district_id, e.school_year, 'enrollment_vs_published',
    'October 1 records', CAST(e.enrollment AS DOUBLE),
    d.source, CAST(d.enrollment AS DOUBLE),
    CAST(e.enrollment AS DOUBLE) - CAST(d.enrollment AS DOUBLE),
    CASE WHEN CAST(e.enrollment AS DOUBLE) = CAST(d.enrollment AS DOUBLE) THEN 0 ELSE 1 END,
    'students'
FROM district_enrollment e
JOIN district_profile d
  ON d.district_id = e.district_id AND d.school_year = e.school_year AND d.enrollment IS NOT NULL
UNION ALL
SELECT
    p.district_id, p.school_year, 'allocated_vs_pools',
    'central pools', CAST(p.amount AS DOUBLE),
    'allocated to schools', CAST(COALESCE(s.amount, 0) AS DOUBLE),
    CAST(p.amount - COALESCE(s.amount, 0) AS DOUBLE),
    CASE WHEN p.amount = COALESCE(s.amount, 0) THEN 0 ELSE 1 END,
    'dollars'
FROM pools p
LEFT JOIN spread s ON s.district_id = p.district_id AND s.school_year = p.school_year;
