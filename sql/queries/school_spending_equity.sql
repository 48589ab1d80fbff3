-- name: school_spending_equity
-- description: Horizontal and vertical equity of published per-student spending across each district's schools (Texas campus PEIMS ratios): pupil-weighted mean, CV, Gini, McLoone, federal range ratio, and correlation, slope and elasticity against the economically disadvantaged share, for every district with at least min_schools schools
-- param: year int = null | ending school year; all years when omitted
-- param: category text = null | spending category (transportation, school_leadership ...); all when omitted
-- param: min_schools int = 10 | districts with fewer schools reporting are left out
-- param: source text = tx_tapr_campus | publication the figures come from
-- rounding: statistics to 4 decimals (round), dollars to the cent (round_half_up); pupil weights = membership
SELECT
    district_id,
    school_year,
    category,
    count(*) AS schools,
    CAST(sum(students) AS BIGINT) AS students,
    round(wmean(spending_per_student, students), 2) AS mean_per_student,
    round(cv(spending_per_student, students), 4) AS cv,
    round(gini(spending_per_student, students), 4) AS gini,
    round(mcloone(spending_per_student, students), 4) AS mcloone,
    round(federal_range_ratio(spending_per_student, students), 4) AS federal_range_ratio,
    round(wcorr(econ_disadv_share, spending_per_student, students), 4) AS corr_with_poverty,
    round(wslope(econ_disadv_share, spending_per_student, students), 2) AS slope_per_poverty_share,
    round(welasticity(econ_disadv_share, spending_per_student, students), 4) AS elasticity_to_poverty
FROM school_spending_need
WHERE source = $source
  AND ($year IS NULL OR school_year = $year)
  AND ($category IS NULL OR category = $category)
  AND students > 0
  AND econ_disadv_share IS NOT NULL
GROUP BY district_id, school_year, category
HAVING count(*) >= $min_schools
ORDER BY district_id, school_year, category
