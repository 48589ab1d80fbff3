-- Student attribution: what reached each school, on to its students
-- (../shared/DOMAIN.md section 4; docs/resource_map.md). Three routes:
--   section:  staff pay (gross + employer benefits, from payroll at the
--             school) to the staff member's sections by minutes x term days x
--             share of the section, then to the section's students by days
--             in the section;
--   caseload: special-education staff who teach no sections, to the
--             students with IEPs at their school by IEP minutes x days;
--   school:   the rest of the school's spending, by category and fund
--             source, to its students by days enrolled (special-education
--             and English-learner teaching to those students only).
-- Every split is exact (allocate), so each school's student costs add up to
-- its spending; a school with no enrolled students keeps its spending, and
-- student_cost_reconciliation says how much.

-- Days each student spent in each section, inside the section's term (the
-- school year when the term has no dates).
CREATE VIEW student_section_days AS
SELECT district_id, school_year, school_id, section_id, student_id, sum(days) AS days
FROM (
    SELECT
        ss.district_id,
        ss.school_year,
        s.school_id,
        ss.section_id,
        ss.student_id,
        greatest(
            CAST(least(COALESCE(ss.end_date, s.term_end, make_date(ss.school_year, 6, 30)),
                       COALESCE(s.term_end, make_date(ss.school_year, 6, 30))) AS INT)
            - CAST(greatest(ss.begin_date, COALESCE(s.term_begin, make_date(ss.school_year - 1, 7, 1))) AS INT)
            + 1,
            0) AS days
    FROM student_section ss
    JOIN section s
      ON s.district_id = ss.district_id AND s.school_year = ss.school_year AND s.section_id = ss.section_id
) spells
GROUP BY district_id, school_year, school_id, section_id, student_id
HAVING sum(days) > 0;

-- The spending category a section's teaching belongs to, from its program:
-- the categories ledgers tell apart by program code (special education,
-- English learners); other sections are general teaching.
-- TODO: CTE and gifted sections count as general teaching, because ledgers
-- (the demo's included) rarely code their teachers to a separate program, and
-- a section category the ledger does not share leaves a negative school-route
-- cell; reading the category from the teacher's ledger program would fix it.
CREATE VIEW section_category AS
SELECT
    district_id,
    school_year,
    section_id,
    school_id,
    CASE
        WHEN program_type IN ('sped_selfcontained', 'sped_resource') OR subject = 'sped' THEN 'teaching_special_ed'
        WHEN program_type = 'el' OR subject = 'el' THEN 'teaching_ell'
        ELSE 'teaching_general'
    END AS category
FROM section;

-- Staff pay at each school by fund source, from payroll (excluded funds left
-- out), in district-years whose ledger is loaded (the school route needs it).
CREATE VIEW staff_pay_at_school AS
SELECT p.district_id, p.school_year, p.staff_id, p.school_id, p.fund_source, sum(p.compensation) AS pay
FROM payroll_line_mapped p
JOIN (SELECT DISTINCT district_id, school_year FROM gl_line) g
  ON g.district_id = p.district_id AND g.school_year = p.school_year
WHERE p.school_id IS NOT NULL AND p.crosswalk_exclusion IS NULL AND p.unmapped_dimension IS NULL
GROUP BY p.district_id, p.school_year, p.staff_id, p.school_id, p.fund_source;

-- Each staff member's weight on each of their sections that has students:
-- minutes per week x days in the term x share of the section (1 when not
-- stated).
CREATE VIEW staff_section_weight AS
SELECT
    st.district_id,
    st.school_year,
    st.staff_id,
    st.section_id,
    s.school_id,
    CAST(COALESCE(s.minutes_per_week, 0) AS DECIMAL(18, 6))
        * CAST(CAST(COALESCE(s.term_end, make_date(s.school_year, 6, 30)) AS INT)
               - CAST(COALESCE(s.term_begin, make_date(s.school_year - 1, 7, 1)) AS INT) + 1 AS DECIMAL(18, 6))
        * CAST(COALESCE(st.percentage_contribution, 1) AS DECIMAL(18, 6)) AS weight
FROM staff_section st
JOIN section s
  ON s.district_id = st.district_id AND s.school_year = st.school_year AND s.section_id = st.section_id
JOIN (SELECT DISTINCT district_id, school_year, section_id FROM student_section_days) taught
  ON taught.district_id = st.district_id AND taught.school_year = st.school_year
 AND taught.section_id = st.section_id
-- only at schools with enrolled students: a school without any keeps all of
-- its spending at school level, sections included
JOIN (SELECT DISTINCT district_id, school_year, school_id FROM student_school_days WHERE days > 0) enrolled
  ON enrolled.district_id = s.district_id AND enrolled.school_year = s.school_year
 AND enrolled.school_id = s.school_id;

-- Staff pay to sections: each staff member's pay at a school, spread over
-- their sections there by weight. Staff whose sections there all have zero
-- weight keep their pay in the school route.
CREATE MATERIALIZED VIEW staff_section_cost AS
SELECT
    p.district_id,
    p.school_year,
    p.staff_id,
    p.school_id,
    p.fund_source,
    w.section_id,
    allocate(
        p.pay, w.weight,
        concat_ws(' / ', p.district_id, CAST(p.school_year AS VARCHAR), 'staff ' || p.staff_id,
                  'school ' || p.school_id, p.fund_source))
        OVER (PARTITION BY p.district_id, p.school_year, p.staff_id, p.school_id, p.fund_source
              ORDER BY w.section_id) AS amount
FROM staff_pay_at_school p
JOIN staff_section_weight w
  ON w.district_id = p.district_id AND w.school_year = p.school_year
 AND w.staff_id = p.staff_id AND w.school_id = p.school_id
JOIN (
    SELECT DISTINCT district_id, school_year, school_id, staff_id
    FROM staff_section_weight WHERE weight > 0
) teaching
  ON teaching.district_id = p.district_id AND teaching.school_year = p.school_year
 AND teaching.school_id = p.school_id AND teaching.staff_id = p.staff_id;

-- Students with IEPs at each school, weighted by IEP minutes per week x days
-- enrolled there.
CREATE VIEW sped_caseload AS
SELECT
    d.district_id,
    d.school_year,
    d.school_id,
    d.student_id,
    CAST(s.sped_minutes_week AS DECIMAL(18, 6)) * CAST(d.days AS DECIMAL(18, 6)) AS weight
FROM student_school_days d
JOIN student s
  ON s.district_id = d.district_id AND s.school_year = d.school_year AND s.student_id = d.student_id
WHERE s.is_swd AND s.sped_minutes_week > 0 AND d.days > 0;

-- Special-education staff without sections at a school: their pay there to
-- the school's caseload, by weight.
CREATE MATERIALIZED VIEW staff_caseload_cost AS
SELECT
    p.district_id,
    p.school_year,
    p.staff_id,
    p.school_id,
    p.fund_source,
    c.student_id,
    allocate(
        p.pay, c.weight,
        concat_ws(' / ', p.district_id, CAST(p.school_year AS VARCHAR), 'caseload of staff ' || p.staff_id,
                  'school ' || p.school_id, p.fund_source))
        OVER (PARTITION BY p.district_id, p.school_year, p.staff_id, p.school_id, p.fund_source
              ORDER BY c.student_id) AS amount
FROM staff_pay_at_school p
JOIN sped_caseload c
  ON c.district_id = p.district_id AND c.school_year = p.school_year AND c.school_id = p.school_id
JOIN (
    SELECT DISTINCT district_id, school_year, school_id, staff_id
    FROM staff_assignment WHERE classification = 'sped_teacher' AND school_id IS NOT NULL
) sped
  ON sped.district_id = p.district_id AND sped.school_year = p.school_year
 AND sped.school_id = p.school_id AND sped.staff_id = p.staff_id
LEFT JOIN (SELECT DISTINCT district_id, school_year, school_id, staff_id FROM staff_section_cost) teaching
  ON teaching.district_id = p.district_id AND teaching.school_year = p.school_year
 AND teaching.school_id = p.school_id AND teaching.staff_id = p.staff_id
WHERE teaching.staff_id IS NULL;

-- What the section and caseload routes take from each school, by category
-- and fund source (all personnel).
CREATE VIEW staff_route_by_cell AS
SELECT district_id, school_year, school_id, category, fund_source, sum(amount) AS amount
FROM (
    SELECT c.district_id, c.school_year, c.school_id, k.category, c.fund_source, c.amount
    FROM staff_section_cost c
    JOIN section_category k
      ON k.district_id = c.district_id AND k.school_year = c.school_year AND k.section_id = c.section_id
    UNION ALL
    SELECT district_id, school_year, school_id, 'teaching_special_ed', fund_source, amount
    FROM staff_caseload_cost
) routed
GROUP BY district_id, school_year, school_id, category, fund_source;

-- The school route's pools: each school's spending by category, fund source
-- and personnel, less what the staff routes took from the same cell. A cell
-- can go negative when payroll puts more pay in a category than the ledger
-- does; it is spread like any other, so the totals still add up.
CREATE VIEW school_route_pool AS
SELECT district_id, school_year, definition_id, school_id, category, fund_source, is_personnel,
       sum(amount) AS amount
FROM (
    SELECT district_id, school_year, definition_id, school_id, category, fund_source, is_personnel, amount
    FROM school_spending
    UNION ALL
    SELECT r.district_id, r.school_year, d.definition_id, r.school_id, r.category, r.fund_source,
           true AS is_personnel, -r.amount AS amount
    FROM staff_route_by_cell r
    CROSS JOIN spending_definition d
) cells
GROUP BY district_id, school_year, definition_id, school_id, category, fund_source, is_personnel;

-- The school route: each pool spread over the school's students by days
-- enrolled: special-education teaching over the school's students with IEPs
-- and English-learner teaching over its English learners (all students when
-- the school has none of them), the rest over all its students. Schools
-- without enrolled students are left out (their spending stays at school
-- level; see student_cost_reconciliation).
CREATE MATERIALIZED VIEW school_route_cost AS
WITH enrolled AS (
    SELECT
        d.district_id, d.school_year, d.school_id, d.student_id, d.days,
        COALESCE(s.is_swd, false) AS is_swd,
        COALESCE(s.is_el, false) AS is_el
    FROM student_school_days d
    LEFT JOIN student s
      ON s.district_id = d.district_id AND s.school_year = d.school_year AND s.student_id = d.student_id
    WHERE d.days > 0
),
school_has AS (
    SELECT district_id, school_year, school_id, bool_or(is_swd) AS has_swd, bool_or(is_el) AS has_el
    FROM enrolled
    GROUP BY district_id, school_year, school_id
)
SELECT
    p.district_id,
    p.school_year,
    p.definition_id,
    p.school_id,
    p.category,
    p.fund_source,
    p.is_personnel,
    e.student_id,
    allocate(
        p.amount, e.days,
        concat_ws(' / ', p.district_id, CAST(p.school_year AS VARCHAR), p.definition_id,
                  'school ' || p.school_id, p.category, p.fund_source))
        OVER (PARTITION BY p.district_id, p.school_year, p.definition_id, p.school_id, p.category,
                           p.fund_source, p.is_personnel
              ORDER BY e.student_id) AS amount
FROM school_route_pool p
JOIN school_has h
  ON h.district_id = p.district_id AND h.school_year = p.school_year AND h.school_id = p.school_id
JOIN enrolled e
  ON e.district_id = p.district_id AND e.school_year = p.school_year AND e.school_id = p.school_id
 AND CASE
         WHEN p.category = 'teaching_special_ed' AND h.has_swd THEN e.is_swd
         WHEN p.category = 'teaching_ell' AND h.has_el THEN e.is_el
         ELSE true
     END
WHERE p.amount <> 0;

-- Every dollar that reached a student, with its lineage: the route, the
-- school, the staff member and section it came through (section and caseload
-- routes), and its spending category, fund source and personnel flag.
CREATE MATERIALIZED VIEW student_cost AS
SELECT
    c.district_id, c.school_year, d.definition_id, c.school_id, c.student_id,
    'section' AS route, c.staff_id, c.section_id, k.category, c.fund_source,
    -- cast to the other branches' type: a union that must coerce a branch
    -- stops a district filter above the window below (DataFusion 55 loses
    -- the columns' qualifiers there), and the whole state's section costs
    -- would be computed for one district
    true AS is_personnel, CAST(c.share AS DECIMAL(38, 2)) AS amount
FROM (
    SELECT
        c.*, x.student_id, x.days,
        allocate(
            c.amount, x.days,
            concat_ws(' / ', c.district_id, CAST(c.school_year AS VARCHAR), 'section ' || c.section_id,
                      'staff ' || c.staff_id, c.fund_source))
            OVER (PARTITION BY c.district_id, c.school_year, c.staff_id, c.school_id, c.fund_source,
                               c.section_id
                  ORDER BY x.student_id) AS share
    FROM staff_section_cost c
    JOIN student_section_days x
      ON x.district_id = c.district_id AND x.school_year = c.school_year AND x.section_id = c.section_id
) c
CROSS JOIN spending_definition d
JOIN section_category k
  ON k.district_id = c.district_id AND k.school_year = c.school_year AND k.section_id = c.section_id
UNION ALL
SELECT
    c.district_id, c.school_year, d.definition_id, c.school_id, c.student_id,
    'caseload', c.staff_id, CAST(NULL AS VARCHAR), 'teaching_special_ed', c.fund_source,
    true, c.amount
FROM staff_caseload_cost c
CROSS JOIN spending_definition d
UNION ALL
SELECT
    district_id, school_year, definition_id, school_id, student_id,
    'school', CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), category, fund_source,
    is_personnel, amount
FROM school_route_cost;

-- Does every school's spending reach its students? Per district, year and
-- definition: spending at schools = spending at schools with no enrolled
-- students + student costs; `difference` must be 0.00.
CREATE VIEW student_cost_reconciliation AS
WITH schools AS (
    SELECT
        s.district_id, s.school_year, s.definition_id,
        sum(s.amount) AS school_spending,
        sum(CASE WHEN e.school_id IS NULL THEN s.amount ELSE 0 END) AS at_schools_without_students
    FROM school_spending s
    LEFT JOIN (SELECT DISTINCT district_id, school_year, school_id FROM student_school_days WHERE days > 0) e
      ON e.district_id = s.district_id AND e.school_year = s.school_year AND e.school_id = s.school_id
    GROUP BY s.district_id, s.school_year, s.definition_id
),
students AS (
    SELECT district_id, school_year, definition_id, sum(amount) AS to_students, count(*) AS students
    FROM (
        SELECT district_id, school_year, definition_id, student_id, sum(amount) AS amount
        FROM student_cost
        GROUP BY district_id, school_year, definition_id, student_id
    ) per_student
    GROUP BY district_id, school_year, definition_id
)
SELECT
    s.district_id, s.school_year, s.definition_id, s.school_spending,
    s.at_schools_without_students,
    COALESCE(t.to_students, 0) AS to_students,
    COALESCE(t.students, 0) AS students,
    s.school_spending - s.at_schools_without_students - COALESCE(t.to_students, 0) AS difference
FROM schools s
LEFT JOIN students t
  ON t.district_id = s.district_id AND t.school_year = s.school_year AND t.definition_id = s.definition_id;

-- Prior achievement: each student's quartile (1 = lowest) of the previous
-- school year's math scale score within the district, for students who took
-- it; quartiles by ntile over the students ranked by score.
CREATE VIEW student_prior_quartile AS
SELECT
    district_id,
    school_year + 1 AS school_year,
    student_id,
    ntile(4) OVER (PARTITION BY district_id, school_year ORDER BY score, student_id) AS prior_quartile
FROM (
    SELECT district_id, school_year, student_id, max(scale_score) AS score
    FROM assessment_result
    WHERE subject = 'math' AND scale_score IS NOT NULL
    GROUP BY district_id, school_year, student_id
) scores;

-- Each student's total cost and full-year equivalents (days enrolled / the
-- longest enrollment in the district that year, which stands for the school
-- year's length, as the canonical tables hold no calendar), with the
-- attributes subgroups are cut by. Materialized: the subgroup views read it
-- six times over.
CREATE MATERIALIZED VIEW student_cost_total AS
SELECT
    c.district_id,
    c.school_year,
    c.definition_id,
    c.student_id,
    c.amount,
    CAST(y.days AS DECIMAL(18, 6)) / CAST(y.year_days AS DECIMAL(18, 6)) AS fte_years,
    s.is_econ_disadv,
    s.is_el,
    s.is_swd,
    s.race,
    q.prior_quartile
FROM (
    SELECT district_id, school_year, definition_id, student_id, sum(amount) AS amount
    FROM student_cost
    GROUP BY district_id, school_year, definition_id, student_id
) c
JOIN (
    SELECT
        district_id, school_year, student_id, days,
        max(days) OVER (PARTITION BY district_id, school_year) AS year_days
    FROM (
        SELECT district_id, school_year, student_id, sum(days) AS days
        FROM student_school_days
        GROUP BY district_id, school_year, student_id
    ) per_student
) y ON y.district_id = c.district_id AND y.school_year = c.school_year AND y.student_id = c.student_id
LEFT JOIN student s
  ON s.district_id = c.district_id AND s.school_year = c.school_year AND s.student_id = c.student_id
LEFT JOIN student_prior_quartile q
  ON q.district_id = c.district_id AND q.school_year = c.school_year AND q.student_id = c.student_id;

-- Each student in each subgroup they belong to: all, poverty
-- (econ_disadv), English learner, disability, race, prior math quartile.
CREATE VIEW student_group_member AS
SELECT district_id, school_year, definition_id, student_id, 'all' AS grouping, 'all' AS group_value FROM student_cost_total
UNION ALL
SELECT district_id, school_year, definition_id, student_id, 'econ_disadv',
       CASE WHEN is_econ_disadv THEN 'yes' WHEN NOT is_econ_disadv THEN 'no' ELSE 'unknown' END
FROM student_cost_total
UNION ALL
SELECT district_id, school_year, definition_id, student_id, 'english_learner',
       CASE WHEN is_el THEN 'yes' WHEN NOT is_el THEN 'no' ELSE 'unknown' END
FROM student_cost_total
UNION ALL
SELECT district_id, school_year, definition_id, student_id, 'disability',
       CASE WHEN is_swd THEN 'yes' WHEN NOT is_swd THEN 'no' ELSE 'unknown' END
FROM student_cost_total
UNION ALL
SELECT district_id, school_year, definition_id, student_id, 'race', COALESCE(race, 'unknown')
FROM student_cost_total
UNION ALL
SELECT district_id, school_year, definition_id, student_id, 'prior_math_quartile',
       COALESCE(CAST(prior_quartile AS VARCHAR), 'untested')
FROM student_cost_total;

-- Mean cost per full-year student by subgroup (../shared/DOMAIN.md 4.5):
-- sum of the group's costs / sum of its full-year equivalents. Unsuppressed:
-- the canned query student_cost_by_group suppresses small groups.
CREATE VIEW student_cost_by_group AS
SELECT
    m.district_id, m.school_year, m.definition_id, m.grouping, m.group_value,
    count(*) AS students,
    sum(t.amount) AS cost,
    sum(t.fte_years) AS fte_years,
    sum(t.amount) / NULLIF(sum(t.fte_years), 0) AS cost_per_fte_year
FROM student_group_member m
JOIN student_cost_total t
  ON t.district_id = m.district_id AND t.school_year = m.school_year
 AND t.definition_id = m.definition_id AND t.student_id = m.student_id
GROUP BY m.district_id, m.school_year, m.definition_id, m.grouping, m.group_value;

-- The same by spending category and fund source, to decompose a gap between
-- groups: cost per full-year student of each category in each group.
CREATE VIEW student_cost_by_group_category AS
SELECT
    m.district_id, m.school_year, m.definition_id, m.grouping, m.group_value,
    c.category, c.fund_source,
    g.students,
    sum(c.amount) AS cost,
    sum(c.amount) / NULLIF(g.fte_years, 0) AS cost_per_fte_year
FROM student_group_member m
JOIN student_cost c
  ON c.district_id = m.district_id AND c.school_year = m.school_year
 AND c.definition_id = m.definition_id AND c.student_id = m.student_id
JOIN student_cost_by_group g
  ON g.district_id = m.district_id AND g.school_year = m.school_year AND g.definition_id = m.definition_id
 AND g.grouping = m.grouping AND g.group_value = m.group_value
GROUP BY m.district_id, m.school_year, m.definition_id, m.grouping, m.group_value,
         c.category, c.fund_source, g.students, g.fte_years;
