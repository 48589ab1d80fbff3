-- target: student
-- source: demo_sis
-- description: Demo districts' student demographics (SIS export): Y/N program flags, special-education setting and minutes
-- column-case: lower
-- student-ids: pseudonymous
SELECT
    _file AS source_file,
    _line AS source_line,
    studentid AS student_id,
    CAST(NULLIF(birthyear, '') AS INT) AS birth_year,
    gender AS sex,
    race,
    frl = 'Y' AS is_econ_disadv,
    ell = 'Y' AS is_el,
    iep = 'Y' AS is_swd,
    NULLIF(spedsetting, '') AS sped_setting,
    CAST(NULLIF(spedminutes, '') AS INT) AS sped_minutes_week,
    gifted = 'Y' AS is_gifted
FROM raw
WHERE reject_unless(
    frl IN ('Y', 'N') AND ell IN ('Y', 'N') AND iep IN ('Y', 'N') AND gifted IN ('Y', 'N'),
    'a program flag is not Y or N'
)
