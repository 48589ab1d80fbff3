-- target: school_driver
-- source: school_driver
-- description: Measured allocation drivers by school (riders, square feet, explicit shares): school_id, driver, value
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    school_id,
    lower(driver) AS driver,
    parse_decimal(value, 6) AS value
FROM raw
WHERE reject_unless(parse_decimal(value, 6) >= 0, 'a driver value cannot be negative: ' || value)
