-- name: class_size_published
-- description: Class size by school, grade, program and subject (and course) from a published class-size report, recomputed as students / sections beside the published average
-- param: source text = nyc_class_size | publication (school_profile.source)
-- param: district text = null | district id; all districts when omitted
-- param: school text = null | school id; all schools when omitted
-- param: year int = null | ending school year; all years when omitted
-- rounding: half-up to 0.1 (round_half_up), as the reports publish
SELECT
    school_year,
    district_id,
    school_id,
    grade,
    program,
    subject,
    course,
    CAST(sections AS BIGINT) AS sections,
    CAST(students AS BIGINT) AS students,
    round_half_up(students / sections, 1) AS class_size,
    round_half_up(avg_class_size, 1) AS published,
    round_half_up(students / sections, 1) = avg_class_size AS matches
FROM school_profile
WHERE source = $source
  AND avg_class_size IS NOT NULL
  AND sections > 0
  AND ($district IS NULL OR district_id = $district)
  AND ($school IS NULL OR school_id = $school)
  AND ($year IS NULL OR school_year = $year)
ORDER BY school_year, district_id, school_id, grade, program, subject, course
