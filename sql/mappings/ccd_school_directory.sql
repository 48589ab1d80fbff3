-- target: school
-- source: ccd_directory
-- description: NCES Common Core of Data school directory (via the Urban Institute API): school and district ids, names, places, grade span
--
-- Grade labels become PK, K, 1..13, UG (ungraded) and AE (adult education);
-- "Not applicable" and blanks become NULL. The level follows from the span:
-- high when the lowest grade is 9 or above, elementary when the highest is 5
-- or below, middle when the span lies within 5-9, other otherwise. Pass --year
-- (2020 for the 2019-20 directory).
WITH g AS (
    SELECT
        *,
        CASE lowest_grade_offered
            WHEN 'Pre-K' THEN 'PK' WHEN 'Kindergarten' THEN 'K' WHEN 'Ungraded' THEN 'UG'
            WHEN 'Adult education' THEN 'AE' WHEN 'Not applicable' THEN NULL
            ELSE NULLIF(lowest_grade_offered, '')
        END AS lo,
        CASE highest_grade_offered
            WHEN 'Pre-K' THEN 'PK' WHEN 'Kindergarten' THEN 'K' WHEN 'Ungraded' THEN 'UG'
            WHEN 'Adult education' THEN 'AE' WHEN 'Not applicable' THEN NULL
            ELSE NULLIF(highest_grade_offered, '')
        END AS hi
    FROM raw
), n AS (
    SELECT
        *,
        CASE lo WHEN 'PK' THEN -1 WHEN 'K' THEN 0 ELSE TRY_CAST(lo AS INT) END AS lo_n,
        CASE hi WHEN 'PK' THEN -1 WHEN 'K' THEN 0 ELSE TRY_CAST(hi AS INT) END AS hi_n
    FROM g
)
SELECT
    _file AS source_file,
    _line AS source_line,
    pad_code(leaid, 7) AS district_id,
    pad_code(ncessch, 12) AS school_id,
    school_name,
    lea_name AS district_name,
    state_location AS state,
    city_location AS city,
    CASE
        WHEN lo_n IS NULL OR hi_n IS NULL THEN 'other'
        WHEN lo_n >= 9 THEN 'high'
        WHEN hi_n <= 5 THEN 'elementary'
        WHEN lo_n >= 5 AND hi_n <= 9 THEN 'middle'
        ELSE 'other'
    END AS level,
    lo AS grade_low,
    hi AS grade_high
FROM n
