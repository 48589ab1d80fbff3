-- target: assessment_result
-- source: demo_assessment
-- description: Demo districts' state test results: scale score and performance level (1-4; 3 and up proficient)
-- column-case: lower
-- student-ids: pseudonymous
SELECT
    _file AS source_file,
    _line AS source_line,
    studentid AS student_id,
    testname AS assessment,
    lower(subject) AS subject,
    grade AS grade_tested,
    parse_date(testdate) AS administration_date,
    parse_decimal(scalescore, 0) AS scale_score,
    CAST(NULLIF(perflevel, '') AS INT) AS performance_level,
    CAST(NULLIF(perflevel, '') AS INT) >= 3 AS is_proficient
FROM raw
