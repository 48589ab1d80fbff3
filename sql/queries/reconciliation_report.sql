-- name: reconciliation_report
-- description: Sources checked against each other per district and year: payroll against ledger salaries, October 1 enrollment against published enrollment, central pools against what reached schools; with the difference and the rows that differ
-- param: district text = null | district id; all districts when omitted
-- param: year int = null | ending school year; all years when omitted
-- rounding: dollars to the cent, students whole (round)
SELECT
    district_id,
    school_year,
    check_name,
    source_a,
    round(value_a, 2) AS value_a,
    source_b,
    round(value_b, 2) AS value_b,
    round(difference, 2) AS difference,
    rows_differing,
    unit
FROM reconciliation_report
WHERE ($district IS NULL OR district_id = $district)
  AND ($year IS NULL OR school_year = $year)
ORDER BY district_id, school_year, check_name, source_b
