-- name: school_equity
-- description: Horizontal and vertical equity of per-pupil spending across a district's schools: pupil-weighted mean, CV, McLoone, Gini; correlation and slope on school need; high- over low-need quartile ratio; resource-to-need range
-- param: district text | district id
-- param: year int = null | ending school year; all years when omitted
-- param: definition text(essa_ppe,nces_current) = essa_ppe | spending definition: essa_ppe or nces_current
-- param: method text(weighted_pupil,academic) = weighted_pupil | need index: weighted_pupil or academic (data/reference/need_weight_default.csv, or the district's own need_weight)
-- rounding: statistics to 4 decimals, dollars to the cent (round)
WITH q AS (
    SELECT
        *,
        ntile(4) OVER (PARTITION BY district_id, school_year ORDER BY need, school_id) AS need_quartile
    FROM school_resource_need
    WHERE district_id = $district AND definition_id = $definition AND method = $method
      AND ($year IS NULL OR school_year = $year)
)
SELECT
    school_year,
    count(*) AS schools,
    sum(enrollment) AS pupils,
    round(wmean(per_pupil, enrollment), 2) AS mean_per_pupil,
    round(cv(per_pupil, enrollment), 4) AS cv,
    round(mcloone(per_pupil, enrollment), 4) AS mcloone,
    round(gini(per_pupil, enrollment), 4) AS gini,
    round(wcorr(need, per_pupil, enrollment), 4) AS corr_with_need,
    round(wslope(need, per_pupil, enrollment), 2) AS slope_on_need,
    round(
        wmean(CASE WHEN need_quartile = 4 THEN per_pupil END, CASE WHEN need_quartile = 4 THEN enrollment END)
        / wmean(CASE WHEN need_quartile = 1 THEN per_pupil END, CASE WHEN need_quartile = 1 THEN enrollment END),
        4) AS high_to_low_need_ratio,
    round(min(resource_to_need), 4) AS min_resource_to_need,
    round(max(resource_to_need), 4) AS max_resource_to_need
FROM q
GROUP BY school_year
ORDER BY school_year
