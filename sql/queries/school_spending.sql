-- name: school_spending
-- description: Spending per pupil at each school, in the four ESSA cells (federal or state/local x personnel or not), direct and allocated, under a named definition
-- param: district text | district id
-- param: year int = null | ending school year; all years when omitted
-- param: definition text(essa_ppe,nces_current) = essa_ppe | spending definition: essa_ppe or nces_current (see spending_definition)
-- rounding: half-up to the cent (round_half_up) on each figure; the exact sums are in the view school_per_pupil
SELECT
    p.school_year,
    p.school_id,
    s.school_name,
    p.definition_id AS definition,
    p.denominator,
    p.enrollment,
    round_half_up(p.spending, 2) AS spending,
    round_half_up(p.per_pupil, 2) AS per_pupil,
    round_half_up(p.direct / CAST(NULLIF(p.enrollment, 0) AS DECIMAL(20, 0)), 2) AS direct_per_pupil,
    round_half_up(p.allocated / CAST(NULLIF(p.enrollment, 0) AS DECIMAL(20, 0)), 2) AS allocated_per_pupil,
    round_half_up(p.federal_personnel / CAST(NULLIF(p.enrollment, 0) AS DECIMAL(20, 0)), 2) AS federal_personnel_pp,
    round_half_up(p.federal_non_personnel / CAST(NULLIF(p.enrollment, 0) AS DECIMAL(20, 0)), 2) AS federal_non_personnel_pp,
    round_half_up(p.state_local_personnel / CAST(NULLIF(p.enrollment, 0) AS DECIMAL(20, 0)), 2) AS state_local_personnel_pp,
    round_half_up(p.state_local_non_personnel / CAST(NULLIF(p.enrollment, 0) AS DECIMAL(20, 0)), 2) AS state_local_non_personnel_pp
FROM school_per_pupil p
LEFT JOIN school s
  ON s.district_id = p.district_id AND s.school_year = p.school_year AND s.school_id = p.school_id
WHERE p.district_id = $district
  AND ($year IS NULL OR p.school_year = $year)
  AND p.definition_id = $definition
ORDER BY p.school_year, p.school_id
