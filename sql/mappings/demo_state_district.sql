-- target: district_profile
-- source: demo_state_report
-- description: Demo districts' state report card: October 1 enrollment, teacher FTE, pupil-teacher ratio, current expenditure and per pupil (rounded to the dollar)
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    districtid AS district_id,
    districtname AS district_name,
    'district' AS org_level,
    parse_decimal(oct1enrollment, 0) AS enrollment,
    'fall_membership' AS enrollment_kind,
    parse_decimal(teacherfte, 3) AS teacher_fte,
    parse_decimal(pupilteacherratio, 1) AS pupil_teacher_ratio,
    parse_money(currentexpenditure) AS current_expenditure,
    parse_decimal(perpupilcurrent, 0) AS per_pupil_published,
    'state report: current expenditure / October 1 enrollment, to the dollar' AS per_pupil_definition
FROM raw
