-- target: staff_section
-- source: demo_sis
-- description: Demo districts' section staffing (SIS export): teacher of record (TOR) and co-teachers (CO) with their share
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    employeeid AS staff_id,
    sectionid AS section_id,
    CASE role WHEN 'TOR' THEN 'teacher_of_record' WHEN 'CO' THEN 'co_teacher' WHEN 'AST' THEN 'assistant' ELSE role END AS role,
    parse_decimal(share, 4) AS percentage_contribution
FROM raw
