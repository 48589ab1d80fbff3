-- District finance: published figures (district_profile) and the ledger.

-- Per-pupil current spending, F-33 definition: current expenditure for
-- elementary-secondary education (TCURELSC) over fall membership (V33), from
-- the F-33 district file and the Census state totals built on it. Exact
-- decimal division; round for display.
CREATE VIEW district_per_pupil AS
SELECT
    district_id,
    school_year,
    source,
    district_name,
    state,
    org_level,
    enrollment,
    current_expenditure,
        current_expenditure / NULLIF(enrollment, 0) AS current_per_pupil,
    'F-33 current expenditure (TCURELSC) / fall membership (V33)' AS definition
FROM district_profile
WHERE source IN ('nces_f33', 'census_f33_states')
  AND current_expenditure IS NOT NULL
  AND enrollment_kind = 'fall_membership'
  AND enrollment > 0;

-- Each district-year's ledger totals: all actual lines, and NCES current
-- expenditure (gl_line_classified.is_current) with its personnel part.
CREATE VIEW gl_district_totals AS
SELECT
    district_id,
    school_year,
    chart,
    count(*) AS lines,
    sum(CASE WHEN line_type = 'actual' THEN amount END) AS actual_total,
    sum(CASE WHEN line_type = 'budget' THEN amount END) AS budget_total,
    sum(CASE WHEN line_type = 'encumbrance' THEN amount END) AS encumbrance_total,
    sum(CASE WHEN is_current THEN amount END) AS current_expenditure,
    sum(CASE WHEN is_current AND is_personnel THEN amount END) AS current_personnel
FROM gl_line_classified
GROUP BY district_id, school_year, chart;
