-- name: per_pupil_spending
-- description: Per-pupil spending by district and year, for any set of districts, with the definition and denominator of each figure
-- param: districts text[] = null | district ids, comma-separated; all districts when omitted
-- param: from_year int = null | first ending school year; all years when omitted
-- param: to_year int = null | last ending school year; all years when omitted
-- param: source text = null | only figures from this source (nces_f33, nj_tges_detail, ks_expenditures_per_pupil, gl_line ...)
-- rounding: half-up to the cent (round_half_up); enrollment as published
SELECT
    district_id,
    school_year,
    source,
    definition,
    denominator,
    enrollment,
    round_half_up(spending, 2) AS spending,
    round_half_up(per_pupil, 2) AS per_pupil
FROM per_pupil_spending
WHERE ($districts IS NULL OR array_has($districts, district_id))
  AND ($from_year IS NULL OR school_year >= $from_year)
  AND ($to_year IS NULL OR school_year <= $to_year)
  AND ($source IS NULL OR source = $source)
ORDER BY district_id, school_year, source
