-- target: district_profile
-- source: ak_deed_district_nodes
-- description: Alaska districts' report-card summary (DistrictsNodes.csv, compiled from Alaska DEED report cards): rural flag, schools, student-teacher ratio, students
-- column-case: lower
--
-- One row per Alaska district, named as the report cards name it; the NCES
-- LEA id comes from data/reference/ak_district_leaid.csv (CCD names matched
-- by make_ak_district_names.py), so these rows join the districts' ledgers.
-- A name the reference does not know is rejected. The file does not say
-- which school year its figures describe: pass it with --year. Rural = 1 is
-- 'rural', 0 'not rural' (the flag is all the file says). Students are
-- written with thousands separators ("46,143").
SELECT
    _file AS source_file,
    _line AS source_line,
    k.leaid AS district_id,
    r.district_name AS district_name,
    'AK' AS state,
    'district' AS org_level,
    parse_decimal(r.totalstudents, 0) AS enrollment,
    CASE trim(r.rural) WHEN '1' THEN 'rural' WHEN '0' THEN 'not rural' END AS urbanicity,
    parse_decimal(r.stratio, 2) AS pupil_teacher_ratio
FROM raw r
LEFT JOIN ak_district_leaid k ON k.nodes_name = r.district_name
WHERE reject_unless(k.leaid IS NOT NULL, 'district ' || r.district_name || ' is not in data/reference/ak_district_leaid.csv')
  AND reject_unless(trim(r.rural) IN ('0', '1'), 'Rural must be 0 or 1, not ' || r.rural)
