-- target: section
-- source: demo_sis
-- description: Demo districts' master schedule (SIS export): sections with course, subject, grades, program, minutes and term dates
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    sectionid AS section_id,
    schoolcode AS school_id,
    CASE term WHEN 'YR' THEN 'year' WHEN 'S1' THEN 'fall' WHEN 'S2' THEN 'spring' ELSE lower(term) END AS term,
    coursecode AS course_code,
    coursetitle AS course_name,
    subject,
    lowgrade AS grade_low,
    highgrade AS grade_high,
    program AS program_type,
    CAST(NULLIF(minutesperweek, '') AS INT) AS minutes_per_week,
    parse_date(termstart) AS term_begin,
    parse_date(termend) AS term_end,
    CAST(NULLIF(roomcapacity, '') AS INT) AS room_capacity,
    NULLIF(trim(period), '') AS period,
    NULLIF(trim(room), '') AS room_id
FROM raw
