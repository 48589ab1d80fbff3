-- target: staff_assignment
-- source: demo_hr
-- description: Demo districts' position assignments (HR export): school or department, job class, FTE, annual salary ("$58,346.00")
-- column-case: lower
--
-- Job classes become resmap's classifications; an unknown class is rejected
-- so a new title in the export is noticed rather than miscounted.
SELECT
    _file AS source_file,
    _line AS source_line,
    employeeid AS staff_id,
    positionno AS assignment_id,
    NULLIF(schoolcode, '') AS school_id,
    NULLIF(department, '') AS department,
    CASE jobclass
        WHEN 'TEACHER' THEN 'teacher'
        WHEN 'SPED TEACHER' THEN 'sped_teacher'
        WHEN 'ESL TEACHER' THEN 'el_teacher'
        WHEN 'INTERVENTIONIST' THEN 'teacher'
        WHEN 'PRINCIPAL' THEN 'principal'
        WHEN 'ASST PRINCIPAL' THEN 'assistant_principal'
        WHEN 'COUNSELOR' THEN 'counselor'
        WHEN 'NURSE' THEN 'nurse'
        WHEN 'LIBRARIAN' THEN 'librarian'
        WHEN 'INSTR AIDE' THEN 'aide'
        WHEN 'SECRETARY' THEN 'clerical'
        WHEN 'CUSTODIAN' THEN 'custodian'
        WHEN 'ADMINISTRATOR' THEN 'central_admin'
    END AS classification,
    NULLIF(subject, '') AS subject,
    parse_decimal(fte, 3) AS fte,
    parse_date(startdate) AS begin_date,
    parse_date(enddate) AS end_date,
    parse_money(annualsalary) AS base_salary
FROM raw
WHERE reject_unless(
    jobclass IN ('TEACHER', 'SPED TEACHER', 'ESL TEACHER', 'INTERVENTIONIST', 'PRINCIPAL',
                 'ASST PRINCIPAL', 'COUNSELOR', 'NURSE', 'LIBRARIAN', 'INSTR AIDE',
                 'SECRETARY', 'CUSTODIAN', 'ADMINISTRATOR'),
    'job class ' || jobclass || ' has no classification in this mapping'
)
