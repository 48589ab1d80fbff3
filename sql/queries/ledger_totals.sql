-- name: ledger_totals
-- description: Ledger totals by district and year: lines, actual, budget and encumbrance dollars, and NCES current expenditure where the chart allows
-- param: districts text[] = null | district ids, comma-separated; all districts when omitted
-- param: from_year int = null | first ending school year
-- param: to_year int = null | last ending school year
-- rounding: none: sums of exact cents
--
-- The totals are of every line the ledger export holds: for charts other than
-- NCES's, revenue and balance-sheet accounts too (a double-entry export can
-- sum to zero), until a crosswalk says which accounts are spending.
SELECT district_id, school_year, chart, lines, actual_total, budget_total, encumbrance_total, current_expenditure
FROM gl_district_totals
WHERE ($districts IS NULL OR array_has($districts, district_id))
  AND ($from_year IS NULL OR school_year >= $from_year)
  AND ($to_year IS NULL OR school_year <= $to_year)
ORDER BY district_id, school_year
