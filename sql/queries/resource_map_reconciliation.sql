-- name: resource_map_reconciliation
-- description: Every ledger dollar accounted for, by district and year: excluded, unclassified, at schools directly, allocated to schools, kept central; the difference (must be 0.00) and the share reaching schools
-- param: districts text[] = null | district ids, comma-separated; all districts when omitted
-- param: year int = null | ending school year; all years when omitted
-- param: definition text(essa_ppe,nces_current) = essa_ppe | spending definition: essa_ppe or nces_current
-- rounding: amounts exact; share_to_schools half-up to 0.0001
SELECT
    district_id,
    school_year,
    definition_id AS definition,
    ledger_total,
    excluded,
    unclassified,
    school_direct,
    school_allocated,
    stays_central,
    difference,
    round_half_up(share_to_schools, 4) AS share_to_schools
FROM resource_map_reconciliation
WHERE ($districts IS NULL OR array_has($districts, district_id))
  AND ($year IS NULL OR school_year = $year)
  AND definition_id = $definition
ORDER BY district_id, school_year
