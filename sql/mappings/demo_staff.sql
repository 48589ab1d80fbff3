-- target: staff
-- source: demo_hr
-- description: Demo districts' staff (HR export): birth year, hire date, experience, degree
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    employeeid AS staff_id,
    CAST(NULLIF(birthyear, '') AS INT) AS birth_year,
    parse_date(hiredate) AS hire_date,
    parse_decimal(yearsexperience, 1) AS years_experience,
    NULLIF(degree, 'none') AS degree
FROM raw
