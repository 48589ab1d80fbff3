-- Equity of published school figures: each school's per-student spending in
-- a category beside its pupils and need, from published profiles (the Texas
-- campus file's PEIMS ratios). docs/metrics.md defines the statistics.

-- One row per school and spending category: spending per student, pupils
-- (membership) and the published need shares of the same school and year.
CREATE VIEW school_spending_need AS
SELECT
    s.district_id,
    s.school_year,
    s.source,
    s.school_id,
    s.category,
    s.spending_per_student,
    b.students,
    b.econ_disadv_share,
    b.el_share,
    b.swd_share
FROM school_profile s
JOIN school_profile b
  ON b.source = s.source AND b.district_id = s.district_id AND b.school_year = s.school_year
 AND b.school_id = s.school_id
 AND b.category IS NULL AND b.grade IS NULL AND b.subject IS NULL
WHERE s.category IS NOT NULL AND s.spending_per_student IS NOT NULL;
