-- target: district_profile
-- source: nces_f33
-- description: NCES School District Finance Survey (F-33) district extract: fall membership, revenue by source, current spending (dollars)
--
-- The extract holds one fiscal year and does not say which: pass --year (2022
-- for f33-districts-fy2022.csv). `comparable` = 1 marks unified non-charter
-- districts (AGCHRT <> 1 and SCHLEV = 03); the others are kept as org_type other.
SELECT
    _file AS source_file,
    _line AS source_line,
    pad_code(leaid, 7) AS district_id,
    state,
    'district' AS org_level,
    CASE comparable WHEN '1' THEN 'unified' ELSE 'other' END AS org_type,
    parse_decimal(enrollment, 0) AS enrollment,
    'fall_membership' AS enrollment_kind,
    parse_money(total_revenue) AS total_revenue,
    parse_money(federal_revenue) AS federal_revenue,
    parse_money(state_revenue) AS state_revenue,
    parse_money(local_revenue) AS local_revenue,
    parse_money(property_tax) AS property_tax_revenue,
    parse_money(current_spending) AS current_expenditure
FROM raw
