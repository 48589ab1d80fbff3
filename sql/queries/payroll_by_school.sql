-- name: payroll_by_school
-- description: Compensation (salaries plus employer benefits) by school and year from payroll alone; central locations as one row, funds outside current spending flagged
-- param: district text | district id
-- param: year int = null | ending school year; all years when omitted
-- rounding: exact cents (sums of exact amounts)
SELECT
    school_year,
    COALESCE(school_id, '(central)') AS school_id,
    excluded,
    employees,
    salaries,
    benefits,
    compensation
FROM payroll_by_school
WHERE district_id = $district
  AND ($year IS NULL OR school_year = $year)
ORDER BY school_year, excluded, compensation DESC
