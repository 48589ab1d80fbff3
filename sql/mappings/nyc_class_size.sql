-- target: school_profile
-- source: nyc_class_size
-- description: NYC DOE 2010-11 Class Size Report (school detail): students, sections and class sizes by grade, program, subject and course
-- encoding: cp1252
-- column-case: lower
--
-- District = community school district (CSD, two digits); school = DBN (CSD
-- and school code, e.g. 01M015). Excel turned the grade band 09-12 into
-- "12-Sep" and service ratios such as 12:1:1 into clock times ("12:01:01");
-- both are put back. "-" means not applicable. Rows with only the schoolwide
-- pupil-teacher ratio keep that figure and no class sizes. Pass --year 2011.
SELECT
    _file AS source_file,
    _line AS source_line,
    pad_code(csd, 2) AS district_id,
    pad_code(csd, 2) || trim("school code") AS school_id,
    "school name" AS school_name,
    CASE trim("grade")
        WHEN '12-Sep' THEN '09-12'
        WHEN '0K' THEN 'K'
        WHEN '0K-09' THEN 'K-09'
        WHEN '' THEN NULL
        ELSE trim("grade")
    END AS grade,
    NULLIF(trim("program type"), '') AS program,
    NULLIF(NULLIF(trim("core subject (ms core and 9-12 only)"), '-'), '') AS subject,
    NULLIF(NULLIF(trim("core course (ms core and 9-12 only)"), '-'), '') AS course,
    CASE
        WHEN trim("service category(k-9* only)") IN ('-', '') THEN NULL
        ELSE regexp_replace(
            regexp_replace(trim("service category(k-9* only)"), '(^|:)0', '$1', 'g'),
            '(^|:)0', '$1', 'g')
    END AS category,
    parse_decimal("number of students / seats filled", 0) AS students,
    parse_decimal("number of sections", 0) AS sections,
    parse_decimal("average class size", 1) AS avg_class_size,
    parse_decimal("size of smallest class", 0) AS min_class_size,
    parse_decimal("size of largest class", 0) AS max_class_size,
    parse_decimal("schoolwide pupil-teacher ratio", 1) AS students_per_teacher
FROM raw
