-- target: district_profile
-- source: tx_tapr_district
-- description: Texas TAPR 2024-25 district profile: membership, teacher FTE, published student-teacher ratio and average teacher salary
--
-- Blank cells are masked or not applicable and stay NULL. Pass --year 2025.
SELECT
    _file AS source_file,
    _line AS source_line,
    district_number AS district_id,
    name AS district_name,
    'TX' AS state,
    'district' AS org_level,
    parse_decimal(district_2025_student_membership_all_students_count, 2) AS enrollment,
    'fall_membership' AS enrollment_kind,
    parse_decimal(district_2025_staff_teacher_total_full_time_equiv_count, 3) AS teacher_fte,
    parse_decimal(district_2025_staff_teacher_student_ratio, 1) AS pupil_teacher_ratio,
    parse_money(district_2025_staff_teacher_total_base_salary_average) AS avg_teacher_salary,
    round_half_up(parse_decimal(district_2025_student_membership_econ_disadv_percent, 4) / 100, 6) AS econ_disadv_share,
    round_half_up(parse_decimal(district_2025_student_membership_eb_el_percent, 4) / 100, 6) AS el_share
FROM raw
