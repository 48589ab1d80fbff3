-- target: district_profile
-- source: census_f33_states
-- description: Census Annual Survey of School System Finances state totals (from elsec tables): money in thousands, stored in dollars
--
-- One row per state, stored with org_level 'state' and the state's postal code
-- as district_id. The file's money is in thousands of dollars; it is
-- multiplied by 1,000 here so every money column in resmap is in dollars.
-- Pass --year (2022 for census-f33-states.csv, 2024 for the fy2024 file).
SELECT
    r._file AS source_file,
    r._line AS source_line,
    s.postal AS district_id,
    r.state AS district_name,
    s.postal AS state,
    'state' AS org_level,
    parse_decimal(r.enrollment, 0) AS enrollment,
    'fall_membership' AS enrollment_kind,
    parse_money(r.total_revenue) * 1000 AS total_revenue,
    parse_money(r.federal_revenue) * 1000 AS federal_revenue,
    parse_money(r.state_revenue) * 1000 AS state_revenue,
    parse_money(r.local_revenue) * 1000 AS local_revenue,
    parse_money(r.property_tax_revenue) * 1000 AS property_tax_revenue,
    parse_money(r.current_spending) * 1000 AS current_expenditure
FROM raw r
LEFT JOIN us_state s ON s.fips = pad_code(r.fips, 2)
WHERE reject_unless(s.postal IS NOT NULL, 'FIPS code ' || r.fips || ' is not a state in data/reference/us_state.csv')
