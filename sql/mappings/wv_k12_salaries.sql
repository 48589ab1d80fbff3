-- target: staff_assignment
-- source: wv_k12_salaries
-- description: West Virginia county school systems' K-12 payrolls 2015-16 as compiled by the Charleston Gazette-Mail: one employee's salary, position and work location; several counties per file
-- column-case: lower
--
-- The file (public-salaries/public_salaries, pseudonymized: staff_id =
-- STAFF_<hash of name + county>) has one row per employee and pay line:
-- Salary ("$58,346.00 ", trailing space, cents), Position (each county's own
-- titles: "CLASSROOM TEACHER-ELEMENTARY", "Teacher", "AIDE III"; Harrison
-- County only says PROF or SVC), School District (the county) and Location
-- (a school or a county department, each county in its own case). There is
-- no FTE, no subject and no date. Load it with --year only (2016 =
-- 2015-16); the mapping yields district_id itself.
--
-- Choices:
-- - district_id = 'WV-' + a slug of School District: lower case, every run
--   of other characters than letters and digits one '-' ("Kanawha County" ->
--   WV-kanawha-county).
-- - staff_id as given. assignment_id = the person's row number within the
--   county in file order ('1', '2', ...). 314 ids have 2-4 rows: a pay split
--   over two lines (Cabell pays many teachers one third from "ADMINISTRATIVE
--   DEPARTMENT" and two thirds at the school), two jobs (assistant principal
--   and teacher, aide and cook), a $0.00 second line (Kanawha), rows each
--   near a full salary (likely two people of one name: the id is a hash of
--   name + county), or exact repeats (94 rows: 59 Harrison, 35 Cabell) that
--   the file does not tell from duplicates. All are kept.
-- - school_id = a slug of Location ("Simpson Elementary" ->
--   simpson-elementary); NULL, with department = Location as written, for
--   the county offices and departments listed below (central office,
--   transportation, bus terminals and garages, maintenance, RESA, special
--   education, Title I, itinerant pools, substitutes, adult education ...).
--   Career/technical centers, alternative schools, Head Start and pre-K
--   centers keep a school_id.
-- - fte: the file has none. A person with one row is 1.000; a person with
--   several rows is 1.000 split by the rows' share of the person's total
--   pay (a $12,705 + $25,795 split gives 0.330 + 0.670; a $0.00 line 0.000;
--   all $0 rows: equal shares), the shares rounded so that they add up to
--   exactly 1.000. This is an assumption: part-time and part-year staff
--   (e.g. a $205 "Teacher") show as 1.000, and two people sharing an id
--   share 1.000 (DQ-P05 then flags their salary per FTE as high).
-- - base_salary = Salary.
-- - classification from Position (upper-cased): classroom teachers,
--   "Teacher", remedial specialists, head teacher, ROTC/JROTC -> teacher;
--   special-education classroom teachers -> sped_teacher; principals ->
--   principal; associate/assistant principals -> assistant_principal;
--   counselors; school nurses and LPNs -> nurse; librarians; academic
--   coaches -> coach; aides, paraprofessionals, early-childhood assistants,
--   autism mentors, sign-language and braille staff -> aide; secretaries,
--   clerks, accountants, auditors, buyers, computer operators,
--   switchboard and printing staff -> clerical; custodians -> custodian;
--   superintendents, directors, coordinators, supervisors, treasurers,
--   administrators -> central_admin. other: Harrison's PROF and SVC (the
--   file does not say which job), Berkeley's PERMS/SPERMS (permanent
--   substitutes, by our reading), speech, occupational and physical
--   therapists, psychologists, social workers, cooks, bus drivers,
--   mechanics and the trades, curriculum and technology specialists,
--   programmers, attendance staff, and the two rows with no position
--   (Mercer). A position none of these patterns covers is rejected so that a
--   new title is noticed.
WITH r AS (
    SELECT
        *,
        upper(trim(position)) AS pos,
        upper(trim(location)) AS loc,
        parse_money(trim(salary)) AS pay
    FROM raw
),
p AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY "school district", staff_id ORDER BY _file, _line) AS seq,
        count(*) OVER (PARTITION BY "school district", staff_id) AS n,
        sum(pay) OVER (PARTITION BY "school district", staff_id) AS person_pay,
        sum(pay) OVER (
            PARTITION BY "school district", staff_id ORDER BY _file, _line
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS pay_to_here
    FROM r
),
c AS (
    SELECT
        *,
        loc IN ('CENTRAL OFFICE', 'CENTRAL OFFICE ADMINISTRATION', 'ADMINISTRATIVE DEPARTMENT',
                'REGIONAL EDUCATIONAL SERVICE AGENCY', 'SUBSTITUTE TEACHERS', 'SPECIAL EDUCATION',
                'ADULT AND COMMUNITY EDUCATION', 'ADULT BASIC EDUCATION',
                'TRANSPORTATION', 'TRANSPORTATION DEPARTMENT', 'TRANSPORTATION ADMINISTRATION AND SUPPORT',
                'CABELL SCHOOLS TRANSPORTATION COMPLEX', 'MILTON BUS GARAGE',
                'MAINTENANCE', 'MAINTENANCE DEPT', 'MAINTENANCE DEPARTMENT', 'MAINTENANCE AND PHYSICAL PLANT',
                'CARPENTRY SHOP', 'ACCOUNTING', 'ASSIST SUPT OF INSTRUCTION', 'CHILD NUTRITION',
                'COMMUNICATIONS', 'COUNSELING/TESTING', 'DEPUTY SUPERINTENDENT', 'ELEMENTARY ASSISTANT',
                'EXCEPTIONAL STUDENTS', 'FACILITY PLANNING', 'FINANCE', 'GENERAL COUNSEL', 'HEAD START',
                'HEALTH SERVICES', 'HUMAN RESOURCES', 'INFORMATION SYSTEMS', 'ITINERANT MUSIC/ART',
                'ITINERANT SPECIAL EDUCATION', 'LAIDLEY FIELD', 'PURCHASING',
                'SECONDARY SCHOOLS/TECH & ADULT ED.', 'SOCIAL SERVICES', 'SPEECH THERAPIST',
                'STAFF DEVELOPMENT', 'STUDENT ASSISTANCE', 'SUPERINTENDENT''S OFFICE', 'SUPPLY MANAGEMENT',
                'TITLE I', 'TITLE I PERSONNEL', 'WV PRE-K', 'BUSINESS DEPARTMENT', 'CAREER CONNECTIONS',
                'EARLY LEARNING CENTERS', 'JROTC', 'PERSONNEL DEPARTMENT',
                'PUPIL SERVICES / ASSISTANT SUPERINTENDENT', 'PURCHASING / WAREHOUSING',
                'SPECIAL EDUCATIONBUSINESS DEPARTMENT', 'WVEIS')
            OR loc LIKE 'BUS TERM/%' AS central,
        CASE
            WHEN pos IN ('CLASSROOM TEACHER-SPECIAL ED', 'SPECIAL ED', 'SPECIAL EDUCATION') THEN 'sped_teacher'
            WHEN pos LIKE 'CLASSROOM TEACHER%' OR pos = 'TEACHER' OR pos LIKE 'TEACHER-%'
                OR pos IN ('HEAD TEACHER', 'REMEDIAL SPECIALIST', 'JROTC') OR pos LIKE 'ROTC INSTRUCTOR%'
                THEN 'teacher'
            WHEN pos LIKE 'ASSOC%PRINCIPAL%' OR pos LIKE 'ASSISTANT PRINCIPAL%' THEN 'assistant_principal'
            WHEN pos IN ('PRINCIPAL', 'ELEMENTARY PRINCIPAL') OR pos LIKE 'PRINCIPAL,%' THEN 'principal'
            WHEN pos LIKE 'COUNSELOR%' THEN 'counselor'
            WHEN pos IN ('NURSE', 'LICENSED PRACTICAL NURSE', 'LPN') OR pos LIKE 'SCHOOL NURSE%' THEN 'nurse'
            WHEN pos = 'LIBRARIAN' THEN 'librarian'
            WHEN pos = 'ACADEMIC COACH' THEN 'coach'
            WHEN pos LIKE 'AIDE%' OR pos IN ('MONITOR AIDE', 'PARAPROFESSIONAL', 'PARA PROFESSIONAL',
                    'ECCAT TEMPORARY', 'ECATT PERMANENT', 'AUTISM MENTOR', 'ITIN AUTISM MENTOR',
                    'SIGN SUPPORT SPECIALIST', 'SIGN LANGUAGE SUPPORT SPECIALIST')
                OR pos LIKE 'EARLY CHILDHOOD%' OR pos LIKE '%SIGN LANG%' OR pos LIKE '%BRAIL%'
                THEN 'aide'
            WHEN pos LIKE 'SECRETARY%' OR pos IN ('EXECUTIVE SECRETARY', 'SECTRETARY 3A') OR pos LIKE 'CLERK%'
                OR pos IN ('MAIL CLERK', 'WAREHOUSE CLERK', 'BUYER', 'AUDITOR', 'SWITCHBOARD OPERATOR',
                           'PRINTING STAFF')
                OR pos LIKE 'ACCOUNTANT%' OR pos = 'PROFESSIONAL ACCOUNTANT' OR pos LIKE 'COMPUTER OPERATOR%'
                THEN 'clerical'
            WHEN pos LIKE 'CUSTODIAN%' THEN 'custodian'
            WHEN pos IN ('SUPERINTENDENT', 'SUPT', 'ASSOCIATE SUPERINTENDENT', 'EXECUTIVE DIRECTOR',
                         'DIRECTOR', 'ASSISTANT DIRECTOR', 'ADMINISTRATOR', 'ADMINISTRATORISTRATOR',
                         'ATTENDANCE DIRECTOR', 'FOOD SERVICE DIRECTOR', 'COORDINATOR',
                         'INVENTORY SUPERVISOR', 'PAYROLL SUPERVISOR', 'ACCOUNTS PAYABLE SUPERVISOR')
                OR pos LIKE 'DEPUTY,ASSOC, OR ASST SUPERINT%' OR pos LIKE 'DIRECTOR/%'
                OR pos LIKE 'DIRECTOR OR COORDINATOR%' OR pos LIKE 'TREASURER%' OR pos LIKE 'SUPERVISOR%'
                THEN 'central_admin'
            WHEN pos IN ('PROF', 'SVC', 'PERMS', 'SPERMS', '', 'SPEECH LANGUAGE PATHOLOGIST',
                         'SPEECH THERAPIST', 'THERAPIST', 'PSYCHOLOGIST', 'SOCIAL WORKER', 'SOCIAL',
                         'OCCUPATIONAL THERAPIST', 'PHYSICAL THERAPIST', 'AUDIOLOGIST', 'CAFETERIA MANAGER',
                         'CURRICULUM SPECIALIST', 'TECHNOLOGY INTEGRATION SPECIALIST',
                         'TECHNOLOGY SYSTEMS SPECIALIST', 'TECHNOLOGY SYSTEM SPECIALIST', 'SPECIALIST',
                         'ATTENDANCE OFFICER', 'ATTENDANCE', 'PROFESSIONAL EDUCATIONAL INTER',
                         'GRAPHIC ARTIST', 'DRAFTSMAN', 'TRUCK DRIVER', 'HEAVY EQUIPMENT OPERATOR',
                         'BUS DRIVER', 'CREWLD', 'FOREMA', 'FOREMAN', 'GEN. MAINT.', 'GENERAL MAINTENANCE',
                         'PAINTER', 'MASON', 'GLAZIER', 'LOCKSMITH', 'PLUMB', 'CABINET MAKER')
                OR pos LIKE 'COOK%' OR pos LIKE '%BUS OPERATOR%' OR pos LIKE '%BUS O' OR pos LIKE '%MECHANIC%'
                OR pos LIKE 'PROGRAMMER%' OR pos LIKE 'CREW LEADER%' OR pos LIKE 'ELECTRICIAN%'
                OR pos LIKE 'ELECTRONIC %' OR pos LIKE 'PLUMBER%' OR pos LIKE 'CARPENTER%'
                OR pos LIKE 'HEATING%' OR pos LIKE 'ROOFING%'
                THEN 'other'
        END AS class
    FROM p
)
SELECT
    _file AS source_file,
    _line AS source_line,
    'WV-' || btrim(regexp_replace(lower("school district"), '[^a-z0-9]+', '-', 'g'), '-') AS district_id,
    staff_id,
    CAST(seq AS VARCHAR) AS assignment_id,
    CASE WHEN NOT central THEN btrim(regexp_replace(lower(loc), '[^a-z0-9]+', '-', 'g'), '-') END AS school_id,
    CASE WHEN central THEN trim(location) END AS department,
    class AS classification,
    CAST(NULL AS VARCHAR) AS subject,
    CASE
        WHEN n = 1 THEN parse_decimal('1', 3)
        WHEN person_pay = 0 THEN
            round_half_up(CAST(seq AS DECIMAL(9, 3)) / n, 3)
                - round_half_up(CAST(seq - 1 AS DECIMAL(9, 3)) / n, 3)
        ELSE
            round_half_up(pay_to_here / person_pay, 3)
                - round_half_up((pay_to_here - pay) / person_pay, 3)
    END AS fte,
    pay AS base_salary
FROM c
WHERE reject_unless(class IS NOT NULL, 'position ' || position || ' has no classification in this mapping')
  AND reject_unless(trim(location) <> '', 'no location')
