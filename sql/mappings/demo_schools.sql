-- target: school
-- source: demo_sis
-- description: Demo districts' school list (SIS export): code, name, level, grade span, Title I, square feet
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    schoolcode AS school_id,
    schoolname AS school_name,
    level,
    lowgrade AS grade_low,
    highgrade AS grade_high,
    false AS is_charter,
    titlei = 'Y' AS is_title_i,
    parse_decimal(sqft, 0) AS square_feet
FROM raw
