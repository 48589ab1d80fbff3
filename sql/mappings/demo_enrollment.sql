-- target: student_enrollment
-- source: demo_sis
-- description: Demo districts' enrollment spells (SIS export): student, school, grade, entry and exit dates
-- column-case: lower
-- student-ids: pseudonymous
SELECT
    _file AS source_file,
    _line AS source_line,
    studentid AS student_id,
    schoolcode AS school_id,
    grade,
    parse_date(entrydate) AS entry_date,
    parse_date(exitdate) AS exit_date,
    CAST(1 AS DECIMAL(9, 3)) AS fte,
    true AS is_primary
FROM raw
