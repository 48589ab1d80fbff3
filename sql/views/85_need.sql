-- School need and vertical equity (../shared/DOMAIN.md 5.3, 6.4, 6.6;
-- docs/metrics.md). Weights: data/reference/need_weight_default.csv, or a
-- district's own need_weight rows (mapping need_weight).

-- Each school's need factors: shares of its October 1 students who are
-- economically disadvantaged, English learners or students with IEPs, and
-- the share of its tested students not proficient on last year's tests.
CREATE VIEW school_need_factor AS
WITH students AS (
    SELECT
        e.district_id, e.school_year, e.school_id,
        count(*) AS students,
        avg(CASE WHEN s.is_econ_disadv THEN 1.0 ELSE 0.0 END) AS econ_disadv,
        avg(CASE WHEN s.is_el THEN 1.0 ELSE 0.0 END) AS el,
        avg(CASE WHEN s.is_swd THEN 1.0 ELSE 0.0 END) AS swd
    FROM enrolled_on_count_date e
    LEFT JOIN student s ON s.district_id = e.district_id AND s.school_year = e.school_year AND s.student_id = e.student_id
    GROUP BY e.district_id, e.school_year, e.school_id
),
prior AS (
    SELECT
        e.district_id, e.school_year, e.school_id,
        avg(CASE WHEN a.proficient THEN 0.0 ELSE 1.0 END) AS low_prior,
        count(*) AS tested
    FROM enrolled_on_count_date e
    JOIN (
        SELECT district_id, school_year, student_id, bool_and(is_proficient) AS proficient
        FROM assessment_result
        WHERE is_proficient IS NOT NULL
        GROUP BY district_id, school_year, student_id
    ) a ON a.district_id = e.district_id AND a.school_year = e.school_year - 1 AND a.student_id = e.student_id
    GROUP BY e.district_id, e.school_year, e.school_id
)
SELECT s.*, p.low_prior, COALESCE(p.tested, 0) AS tested_last_year
FROM students s
LEFT JOIN prior p ON p.district_id = s.district_id AND p.school_year = s.school_year AND p.school_id = s.school_id;

-- The need weights in force for each district-year: its own need_weight
-- rows when it has any, else the bundled defaults.
CREATE VIEW need_weight_active AS
SELECT district_id, school_year, method, factor, weight FROM need_weight
UNION ALL
SELECT dy.district_id, dy.school_year, d.method, d.factor, d.weight
FROM (SELECT DISTINCT district_id, school_year FROM student_enrollment) dy
CROSS JOIN need_weight_default d
LEFT JOIN (SELECT DISTINCT district_id, school_year FROM need_weight) own
  ON own.district_id = dy.district_id AND own.school_year = dy.school_year
WHERE own.district_id IS NULL;

-- The same, one row per factor.
CREATE VIEW school_need_factor_long AS
SELECT district_id, school_year, school_id, students, 'econ_disadv' AS factor, econ_disadv AS share FROM school_need_factor
UNION ALL SELECT district_id, school_year, school_id, students, 'el', el FROM school_need_factor
UNION ALL SELECT district_id, school_year, school_id, students, 'swd', swd FROM school_need_factor
UNION ALL SELECT district_id, school_year, school_id, students, 'low_prior', low_prior FROM school_need_factor;

-- The school need index by method: need, and relative need (need over the
-- pupil-weighted district mean of need; 1 = average). weighted_pupil: 1 +
-- sum of weight x share; academic: the low_prior share; composite_z: the
-- weighted mean of factor z-scores across the district's schools (so the
-- district mean is 0 and relative need is not defined). A factor a school
-- has no value for (no tested students) leaves that method's need NULL.
CREATE VIEW school_need_index AS
WITH z AS (
    SELECT
        f.*,
        (f.share - wmean(f.share, f.students) OVER (PARTITION BY f.district_id, f.school_year, f.factor))
            / NULLIF(sqrt(wvar(f.share, f.students) OVER (PARTITION BY f.district_id, f.school_year, f.factor)), 0)
            AS z
    FROM school_need_factor_long f
),
need AS (
    SELECT
        z.district_id, z.school_year, z.school_id, max(z.students) AS students, w.method,
        CASE w.method
            WHEN 'weighted_pupil' THEN 1 + sum(CAST(w.weight AS DOUBLE) * z.share)
            WHEN 'academic' THEN sum(CAST(w.weight AS DOUBLE) * z.share)
            ELSE sum(CAST(w.weight AS DOUBLE) * COALESCE(z.z, 0)) / sum(CAST(w.weight AS DOUBLE))
        END AS need,
        count(*) = count(z.share) AS complete
    FROM z
    JOIN need_weight_active w
      ON w.district_id = z.district_id AND w.school_year = z.school_year AND w.factor = z.factor
    GROUP BY z.district_id, z.school_year, z.school_id, w.method
)
SELECT
    district_id,
    school_year,
    school_id,
    students,
    method,
    CASE WHEN complete THEN need END AS need,
    CASE WHEN complete AND method <> 'composite_z'
         THEN need / wmean(CASE WHEN complete THEN need END, students)
                     OVER (PARTITION BY district_id, school_year, method)
    END AS relative_need
FROM need;

-- Resource against need by school (DOMAIN.md 6.4): per-pupil spending under
-- each definition beside each method's need, and the resource-to-need
-- ratio (x / pupil-weighted mean x) / (need / pupil-weighted mean need);
-- 1 = resources in proportion to need.
CREATE VIEW school_resource_need AS
SELECT
    p.district_id,
    p.school_year,
    p.definition_id,
    n.method,
    p.school_id,
    p.enrollment,
    CAST(p.per_pupil AS DOUBLE) AS per_pupil,
    n.need,
    (CAST(p.per_pupil AS DOUBLE) / wmean(CAST(p.per_pupil AS DOUBLE), p.enrollment)
        OVER (PARTITION BY p.district_id, p.school_year, p.definition_id, n.method))
      / (n.need / wmean(n.need, p.enrollment)
        OVER (PARTITION BY p.district_id, p.school_year, p.definition_id, n.method)) AS resource_to_need
FROM school_per_pupil p
JOIN school_need_index n
  ON n.district_id = p.district_id AND n.school_year = p.school_year AND n.school_id = p.school_id
WHERE n.method <> 'composite_z' AND p.enrollment > 0 AND n.need IS NOT NULL;
