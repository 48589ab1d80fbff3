-- target: school_profile
-- source: tx_tapr_campus
-- description: Texas TAPR 2024-25 campus profile: membership and its economically disadvantaged, English-learner and special-education shares, teachers, ratio, salary and experience; class size by grade and subject; PEIMS spending ratios
--
-- One campus becomes several rows: a whole-campus row (grade, subject and
-- category NULL), one row per published class-size average (grades K-6 by
-- grade; secondary by subject), and one row per PEIMS actual-financial ratio
-- (category = the spending area; per student in dollars, instruction as a
-- share). Blank cells are masked or not applicable and stay NULL. Pass --year 2025.
WITH c AS (
    SELECT *, district_number AS district_id, campus_number AS school_id, name AS school_name
    FROM raw
), class_size(label, grade, subject) AS (
    VALUES
        ('kindergarten', 'K', NULL), ('grade_1', '1', NULL), ('grade_2', '2', NULL),
        ('grade_3', '3', NULL), ('grade_4', '4', NULL), ('grade_5', '5', NULL),
        ('grade_6', '6', NULL), ('sec_english', 'secondary', 'english'),
        ('sec_math', 'secondary', 'math'), ('sec_sci', 'secondary', 'science'),
        ('sec_soc_stud', 'secondary', 'social_studies'),
        ('sec_for_lng', 'secondary', 'foreign_language')
)
SELECT
    _file AS source_file, _line AS source_line, district_id, school_id, school_name,
    CAST(NULL AS VARCHAR) AS grade, CAST(NULL AS VARCHAR) AS subject,
    CAST(NULL AS VARCHAR) AS category,
    parse_decimal(campus_2025_student_membership_all_students_count, 2) AS students,
    parse_decimal(campus_2025_staff_teacher_total_full_time_equiv_count, 3) AS teacher_fte,
    parse_decimal(campus_2025_staff_teacher_student_ratio, 1) AS students_per_teacher,
    parse_money(campus_2025_staff_teacher_total_base_salary_average) AS avg_teacher_salary,
    parse_decimal(campus_2025_staff_teacher_experience_average, 1) AS avg_teacher_experience,
    CAST(NULL AS DECIMAL(18, 6)) AS avg_class_size,
    CAST(NULL AS DECIMAL(18, 6)) AS spending_per_student,
    CAST(NULL AS DECIMAL(18, 6)) AS spending_share,
    round_half_up(parse_decimal(campus_2025_student_membership_econ_disadv_percent, 4) / 100, 6) AS econ_disadv_share,
    round_half_up(parse_decimal(campus_2025_student_membership_eb_el_percent, 4) / 100, 6) AS el_share,
    round_half_up(parse_decimal(campus_2025_student_membership_special_ed_percent, 4) / 100, 6) AS swd_share
FROM c
UNION ALL
SELECT
    _file, _line, district_id, school_id, school_name, grade, subject, NULL,
    NULL, NULL, NULL, NULL, NULL,
    parse_decimal(size, 1), NULL, NULL, NULL, NULL, NULL
FROM (
    SELECT c._file, c._line, c.district_id, c.school_id, c.school_name, k.grade, k.subject,
        CASE k.label
            WHEN 'kindergarten' THEN campus_2025_class_size_kindergarten_avg_size
            WHEN 'grade_1' THEN campus_2025_class_size_grade_1_avg_size
            WHEN 'grade_2' THEN campus_2025_class_size_grade_2_avg_size
            WHEN 'grade_3' THEN campus_2025_class_size_grade_3_avg_size
            WHEN 'grade_4' THEN campus_2025_class_size_grade_4_avg_size
            WHEN 'grade_5' THEN campus_2025_class_size_grade_5_avg_size
            WHEN 'grade_6' THEN campus_2025_class_size_grade_6_avg_size
            WHEN 'sec_english' THEN campus_2025_class_size_sec_english_avg_size
            WHEN 'sec_math' THEN campus_2025_class_size_sec_math_avg_size
            WHEN 'sec_sci' THEN campus_2025_class_size_sec_sci_avg_size
            WHEN 'sec_soc_stud' THEN campus_2025_class_size_sec_soc_stud_avg_size
            WHEN 'sec_for_lng' THEN campus_2025_class_size_sec_for_lng_avg_size
        END AS size
    FROM c CROSS JOIN class_size k
) s
WHERE trim(size) <> ''
UNION ALL
SELECT
    _file, _line, district_id, school_id, school_name, NULL, NULL, category,
    NULL, NULL, NULL, NULL, NULL, NULL,
    CASE WHEN category = 'instruction' THEN NULL ELSE parse_decimal(value, 6) END,
    CASE WHEN category = 'instruction' THEN parse_decimal(value, 6) END,
    NULL, NULL, NULL
FROM (
    SELECT _file, _line, district_id, school_id, school_name, 'instruction' AS category, instruction_af_perc AS value FROM c
    UNION ALL SELECT _file, _line, district_id, school_id, school_name, 'transportation', transportation_af_per_student FROM c
    UNION ALL SELECT _file, _line, district_id, school_id, school_name, 'extracurricular', extracurricular_af_per_student FROM c
    UNION ALL SELECT _file, _line, district_id, school_id, school_name, 'security_monitoring', security_monitoring_af_per_student FROM c
    UNION ALL SELECT _file, _line, district_id, school_id, school_name, 'students_with_disabilities', students_w_disabilities_af_per_student FROM c
    UNION ALL SELECT _file, _line, district_id, school_id, school_name, 'bilingual', bilingual_ed_af_per_student FROM c
    UNION ALL SELECT _file, _line, district_id, school_id, school_name, 'dyslexia', dyslexia_or_related_disorder_serv_af_per_student FROM c
    UNION ALL SELECT _file, _line, district_id, school_id, school_name, 'ccmr', ccmr_af_per_student FROM c
    UNION ALL SELECT _file, _line, district_id, school_id, school_name, 'guidance_counseling', guidance_counseling_af_per_student FROM c
    UNION ALL SELECT _file, _line, district_id, school_id, school_name, 'school_leadership', school_leadership_af_per_student FROM c
) f
WHERE trim(value) <> ''
