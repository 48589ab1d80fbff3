-- target: staff_assignment
-- source: il_isbe_staff
-- description: Illinois (ISBE) teacher service record 2011-12 as published in a newspaper salary database: one certified staff member's position, assignment, school, percent time and salary; several districts per file
-- column-case: lower
--
-- The file (public-salaries/public_salaries, pseudonymized: staff_id =
-- STAFF_<hash of name + district>) has one row per certified staff member
-- and assignment: Salary ("$89,821", whole dollars), Position (ISBE position
-- title), Full/Part Time, Percent Time Employed ("100%", "67%"), Assignment
-- (ISBE assignment: a subject such as "Algebra", a program such as
-- "Bilingual Education - Spanish", or a role such as "Administration"),
-- Years Teaching, Degree, School Name (cut at 33 characters) and District
-- Name, which ends in "Back" (a scraping artefact). Load it with --year
-- only (2012 = 2011-12); the mapping yields district_id itself.
--
-- Choices:
-- - district_id = 'IL-' + a slug of District Name without its trailing
--   "Back": lower case, every run of other characters than letters and
--   digits one '-' ("City of Chicago SD 299Back" -> IL-city-of-chicago-sd-299).
-- - staff_id as given. assignment_id = the person's row number within the
--   district in file order ('1', '2', ...), so split rows get distinct ids.
--   Beware: an id is a hash of name + district, so two people of the same
--   name in one district share it (most repeated ids in Chicago differ in
--   years teaching and degree); they load as two assignments of one id.
-- - school_id = a slug of School Name ("Zapata Elem Academy" ->
--   zapata-elem-academy); NULL with department 'central office' when the
--   school is the district itself ("City of Chicago SD 299") or Springfield's
--   "Other Location". Charter schools Chicago reports under SD 299 (Noble
--   Street, UNO, LEARN ...) keep their own school ids.
-- - classification from Position; Assignment refines the teacher positions
--   (Elementary, Junior High/Middle, High School Teacher, Kindergarten,
--   Prekindergarten, Reading Specialist): "Bilingual Education - ..." and
--   "English as a Second Language" -> el_teacher; the special-education
--   areas "Learning Behavior Specialist I", "LBS II/...", "Hearing
--   Impairment", "Visually Impaired", "Adaptive P.E." -> sped_teacher;
--   "Curriculum Specialist" -> coach. "Resource/Consultative Teacher" (1,508
--   rows, mostly Chicago) stays teacher: the position says general teacher and
--   the file does not say whether it is a special-education resource room.
--   Special Education Teacher -> sped_teacher whatever the assignment;
--   principals of all levels -> principal; assistant principals and
--   Supervisory Dean -> assistant_principal; Guidance Counselor ->
--   counselor; Librarian/Media Specialist -> librarian; Nurse -> nurse;
--   district-level titles (Superintendent, Assistant District
--   Superintendent, Director, Assistant Director, Coordinator, Program
--   Supervisor, Staff Supervisor, Special Education Director, Assistant
--   Director of Special Ed, Business Manager, Chief School Business Officer,
--   Administrative Assistant) -> central_admin, even when placed at a school;
--   Social Worker, Psychologist, Speech/Language Pathologist, Occupational
--   Therapist, Technology Specialist, Student Dean -> other. A position not
--   listed is rejected so that a new title is noticed.
-- - subject = Assignment when it is taught (subjects, programs and
--   special-education areas); NULL for the role assignments Administration,
--   Guidance Counselor, Social Worker, Psychologist, Librarian/Media
--   Specialist, Nurse, Curriculum Specialist, Student Dean, Technology
--   Specialist, Occupational Therapist, Speech and Language Impaired and
--   Reading Specialist.
-- - fte = Percent Time Employed / 100 (67% -> 0.670). Full/Part Time is not
--   used: 646 "Part Time" rows say 100%.
-- - base_salary = Salary as written: part-time rows carry the pay of their
--   percent (a 50% teacher earns about half), so it is already the salary at
--   the assignment's FTE. 207 rows show $0 and are kept.
WITH r AS (
    SELECT
        *,
        regexp_replace("district name", 'Back$', '') AS district_name,
        row_number() OVER (
            PARTITION BY "district name", staff_id ORDER BY _file, _line
        ) AS seq
    FROM raw
)
SELECT
    _file AS source_file,
    _line AS source_line,
    'IL-' || btrim(regexp_replace(lower(district_name), '[^a-z0-9]+', '-', 'g'), '-') AS district_id,
    staff_id,
    CAST(seq AS VARCHAR) AS assignment_id,
    CASE
        WHEN "school name" = district_name OR "school name" = 'Other Location' THEN NULL
        ELSE btrim(regexp_replace(lower("school name"), '[^a-z0-9]+', '-', 'g'), '-')
    END AS school_id,
    CASE
        WHEN "school name" = district_name OR "school name" = 'Other Location' THEN 'central office'
    END AS department,
    CASE
        WHEN position IN ('Elementary Teacher', 'Junior High/Middle Teacher', 'High School Teacher',
                          'Kindergarten', 'Prekindergarten', 'Reading Specialist') THEN
            CASE
                WHEN assignment LIKE 'Bilingual Education%' OR assignment = 'English as a Second Language'
                    THEN 'el_teacher'
                WHEN assignment = 'Learning Behavior Specialist I' OR assignment LIKE 'LBS II/%'
                    OR assignment IN ('Hearing Impairment', 'Visually Impaired', 'Adaptive P.E.')
                    THEN 'sped_teacher'
                WHEN assignment = 'Curriculum Specialist' THEN 'coach'
                ELSE 'teacher'
            END
        WHEN position = 'Special Education Teacher' THEN 'sped_teacher'
        WHEN position IN ('Elementary Principal', 'Junior High/Middle Principal', 'High School Principal')
            THEN 'principal'
        WHEN position IN ('Assistant Elementary Principal', 'Assistant Jr High/Middle Principal',
                          'Assistant High School Principal', 'Supervisory Dean')
            THEN 'assistant_principal'
        WHEN position = 'Guidance Counselor' THEN 'counselor'
        WHEN position = 'Librarian/Media Specialist' THEN 'librarian'
        WHEN position = 'Nurse' THEN 'nurse'
        WHEN position IN ('District Superintendent', 'Assistant District Superintendent', 'Director',
                          'Assistant Director', 'Coordinator', 'Program Supervisor', 'Staff Supervisor',
                          'Special Education Director', 'Assistant Director of Special Ed',
                          'Business Manager', 'Chief School Business Officer', 'Administrative Assistant')
            THEN 'central_admin'
        WHEN position IN ('Social Worker', 'Psychologist', 'Speech/Language Pathologist',
                          'Occupational Therapist', 'Technology Specialist', 'Student Dean')
            THEN 'other'
    END AS classification,
    CASE
        WHEN assignment IN ('Administration', 'Guidance Counselor', 'Social Worker', 'Psychologist',
                            'Librarian/Media Specialist', 'Nurse', 'Curriculum Specialist', 'Student Dean',
                            'Technology Specialist', 'Occupational Therapist',
                            'Speech and Language Impaired', 'Reading Specialist')
            THEN NULL
        ELSE NULLIF(trim(assignment), '')
    END AS subject,
    -- a whole percent / 100 has at most 2 decimals: round_half_up only sets the scale
    round_half_up(parse_decimal(rtrim("percent time employed", '%'), 3) / 100, 3) AS fte,
    parse_money(salary) AS base_salary
FROM r
WHERE reject_unless(
    position IN ('Elementary Teacher', 'Junior High/Middle Teacher', 'High School Teacher',
                 'Kindergarten', 'Prekindergarten', 'Reading Specialist', 'Special Education Teacher',
                 'Elementary Principal', 'Junior High/Middle Principal', 'High School Principal',
                 'Assistant Elementary Principal', 'Assistant Jr High/Middle Principal',
                 'Assistant High School Principal', 'Supervisory Dean', 'Guidance Counselor',
                 'Librarian/Media Specialist', 'Nurse', 'District Superintendent',
                 'Assistant District Superintendent', 'Director', 'Assistant Director', 'Coordinator',
                 'Program Supervisor', 'Staff Supervisor', 'Special Education Director',
                 'Assistant Director of Special Ed', 'Business Manager', 'Chief School Business Officer',
                 'Administrative Assistant', 'Social Worker', 'Psychologist', 'Speech/Language Pathologist',
                 'Occupational Therapist', 'Technology Specialist', 'Student Dean'),
    'position ' || position || ' has no classification in this mapping'
)
  AND reject_unless(regexp_like("percent time employed", '^[0-9]{1,3}%$'),
    'percent time employed ' || "percent time employed" || ' is not a whole percent')
