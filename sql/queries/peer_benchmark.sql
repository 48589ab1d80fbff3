-- name: peer_benchmark
-- description: A published district metric ranked against a peer group of districts (same enrollment size band, same state, same poverty band, same urbanicity, a list you give, or all) with percentile ranks and the peer median
-- param: district text | the district to benchmark
-- param: year int | ending school year
-- param: metric text(per_pupil,total_per_pupil,pupil_teacher_ratio,avg_teacher_salary,enrollment) = per_pupil | per_pupil, total_per_pupil (total expenditure / enrollment), pupil_teacher_ratio, avg_teacher_salary or enrollment
-- param: source text = nces_f33 | publication the figures come from (nces_f33, ks_expenditures_per_pupil, nj_tges_detail, tx_tapr_district, ny_osc_finance ...)
-- param: peer_by text(size,state,size_state,poverty,urbanicity,list,all) = size | size (enrollment band: under 1,000; 1,000-4,999; 5,000-24,999; 25,000-99,999; 100,000 and over), state, size_state, poverty (economically disadvantaged share in quarters: under 25%, 25-50%, 50-75%, 75% and over; where the source publishes it), urbanicity (as the source publishes it), list, all
-- param: peers text[] = null | peer district ids for peer_by=list
-- rounding: values as published; percent rank to 4 decimals
WITH m AS (
    SELECT
        district_id, district_name, state, enrollment, urbanicity,
        CASE $metric
            WHEN 'per_pupil' THEN CAST(per_pupil AS DOUBLE)
            WHEN 'total_per_pupil' THEN CAST(total_per_pupil AS DOUBLE)
            WHEN 'pupil_teacher_ratio' THEN CAST(pupil_teacher_ratio AS DOUBLE)
            WHEN 'avg_teacher_salary' THEN CAST(avg_teacher_salary AS DOUBLE)
            WHEN 'enrollment' THEN CAST(enrollment AS DOUBLE)
        END AS value,
        CASE
            WHEN enrollment IS NULL THEN NULL
            WHEN enrollment < 1000 THEN 'under 1,000'
            WHEN enrollment < 5000 THEN '1,000-4,999'
            WHEN enrollment < 25000 THEN '5,000-24,999'
            WHEN enrollment < 100000 THEN '25,000-99,999'
            ELSE '100,000 and over'
        END AS size_band,
        CASE
            WHEN econ_disadv_share IS NULL THEN NULL
            WHEN econ_disadv_share < 0.25 THEN 'under 25%'
            WHEN econ_disadv_share < 0.5 THEN '25-50%'
            WHEN econ_disadv_share < 0.75 THEN '50-75%'
            ELSE '75% and over'
        END AS poverty_band
    FROM district_metric_year
    WHERE source = $source AND school_year = $year
      -- districts only: a state's own total row is not a peer
      AND COALESCE(org_level, 'district') = 'district'
),
me AS (SELECT * FROM m WHERE district_id = $district),
-- A district without the metric in this source and year has nothing to rank:
-- say so rather than print its peers alone.
guard AS (
    SELECT reject_unless(
        (SELECT count(*) FROM me WHERE value IS NOT NULL) > 0,
        'district ' || CAST($district AS VARCHAR) || ' has no ' || CAST($metric AS VARCHAR) || ' in '
        || CAST($source AS VARCHAR) || ' for ' || CAST($year AS VARCHAR)
        || '; check the district id, the year and the source'
    ) AS ok
),
peers AS (
    SELECT m.*
    FROM m CROSS JOIN me
    WHERE m.value IS NOT NULL
      AND CASE $peer_by
              WHEN 'size' THEN m.size_band = me.size_band
              WHEN 'state' THEN m.state = me.state
              WHEN 'size_state' THEN m.size_band = me.size_band AND m.state = me.state
              WHEN 'poverty' THEN m.poverty_band = me.poverty_band
              WHEN 'urbanicity' THEN m.urbanicity = me.urbanicity
              WHEN 'list' THEN m.district_id = $district OR array_has($peers, m.district_id)
              WHEN 'all' THEN true
          END
),
result AS (
SELECT
    p.district_id,
    p.district_name,
    p.state,
    CAST(round(p.enrollment) AS BIGINT) AS enrollment,
    p.size_band,
    p.poverty_band,
    p.urbanicity,
    p.value,
    rank() OVER (ORDER BY p.value DESC) AS rank_high_to_low,
    round(percent_rank() OVER (ORDER BY p.value), 4) AS percent_rank,
    count(*) OVER () AS peers,
    wpercentile(p.value, 0.5) OVER () AS peer_median,
    p.district_id = $district AS is_district
FROM peers p
)
SELECT * FROM result
-- The guard's own branch: evaluated whether or not there are peers, so a
-- district without the metric is an error, never an empty table.
UNION ALL
SELECT r.* FROM guard LEFT JOIN result r ON false WHERE NOT guard.ok
ORDER BY value DESC, district_id
