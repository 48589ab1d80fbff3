-- target: school_profile
-- source: demo_state_report
-- description: Demo districts' state school report cards: October 1 enrollment, teacher FTE, students per teacher and average class size (to 0.1)
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    schoolcode AS school_id,
    schoolname AS school_name,
    parse_decimal(oct1enrollment, 0) AS students,
    parse_decimal(teacherfte, 3) AS teacher_fte,
    parse_decimal(studentsperteacher, 1) AS students_per_teacher,
    parse_decimal(avgclasssize, 1) AS avg_class_size
FROM raw
