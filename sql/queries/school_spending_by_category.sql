-- name: school_spending_by_category
-- description: What reached each school by spending category and how (direct from the ledger, direct by payroll, allocated by a rule), with the rule named
-- param: district text | district id
-- param: year int = null | ending school year; all years when omitted
-- param: definition text(essa_ppe,nces_current) = essa_ppe | spending definition: essa_ppe or nces_current
-- param: school text = null | one school; all schools when omitted
-- rounding: half-up to the cent (round_half_up)
SELECT
    school_year,
    school_id,
    category,
    attribution,
    rule_id,
    round_half_up(sum(amount), 2) AS amount
FROM school_spending
WHERE district_id = $district
  AND ($year IS NULL OR school_year = $year)
  AND definition_id = $definition
  AND ($school IS NULL OR school_id = $school)
GROUP BY school_year, school_id, category, attribution, rule_id
ORDER BY school_year, school_id, category, attribution, rule_id
