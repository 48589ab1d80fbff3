-- target: school_driver
-- source: school_driver
-- description: Measured allocation drivers by school (riders, square feet, explicit shares): school_id, driver, value
-- column-case: lower
-- max-rejects: 0
--
-- A value given here replaces the computed value of the same driver for that
-- school only (square_feet from the school table, enrollment ...); drivers
-- nothing computes (riders, share, meals ...) exist only here. School ids must
-- be schools of the district-year's school table (allocation_driver stops
-- with an error naming any other). The file loads whole or not at all.
SELECT
    _file AS source_file,
    _line AS source_line,
    trim(school_id) AS school_id,
    lower(trim(driver)) AS driver,
    parse_decimal(value, 6) AS value
FROM raw
WHERE reject_unless(
    parse_decimal(value, 6) >= 0,
    'a driver value must be a number of at least 0, not "' || value || '"'
)
