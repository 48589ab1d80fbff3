-- target: coa_crosswalk
-- source: coa_crosswalk
-- description: A district's own account crosswalk, in the bundled crosswalks' CSV format (data/crosswalks/*.csv)
-- column-case: lower
-- max-rejects: 0
--
-- The file has the bundled crosswalks' columns: chart, district_id, dimension,
-- pattern, target, level, category, fund_source and note. district_id must be
-- empty (the district being loaded) or that district: a row for another
-- district is rejected. Rows loaded here beat the bundled rows for this
-- district-year. A crosswalk loads whole or not at all: one bad row stops the
-- ingest, so a half-read crosswalk never steers the resource map.
SELECT
    _file AS source_file,
    _line AS source_line,
    NULLIF(trim(district_id), '') AS district_id,
    trim(chart) AS chart,
    lower(trim(dimension)) AS dimension,
    trim(pattern) AS pattern,
    NULLIF(target, '') AS target,
    NULLIF(lower(level), '') AS level,
    NULLIF(trim(category), '') AS category,
    NULLIF(lower(fund_source), '') AS fund_source,
    NULLIF(note, '') AS note
FROM raw
