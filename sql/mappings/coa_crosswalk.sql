-- target: coa_crosswalk
-- source: coa_crosswalk
-- description: A district's own account crosswalk, in the bundled crosswalks' CSV format (data/crosswalks/*.csv)
-- column-case: lower
--
-- The file has the columns chart, dimension, pattern, target, level,
-- category, fund_source and note (a district_id column, as the bundled files
-- have, must be empty or the district being loaded). Rows loaded here beat
-- the bundled rows for this district-year.
SELECT
    _file AS source_file,
    _line AS source_line,
    chart,
    lower(dimension) AS dimension,
    pattern,
    NULLIF(target, '') AS target,
    NULLIF(lower(level), '') AS level,
    NULLIF(category, '') AS category,
    NULLIF(lower(fund_source), '') AS fund_source,
    NULLIF(note, '') AS note
FROM raw
