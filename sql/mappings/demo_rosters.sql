-- target: student_section
-- source: demo_sis
-- description: Demo districts' class rosters (SIS export): student, section, start and end dates
-- column-case: lower
-- student-ids: pseudonymous
SELECT
    _file AS source_file,
    _line AS source_line,
    studentid AS student_id,
    sectionid AS section_id,
    parse_date(startdate) AS begin_date,
    parse_date(enddate) AS end_date
FROM raw
