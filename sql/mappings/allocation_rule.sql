-- target: allocation_rule
-- source: allocation_rule
-- description: A district's allocation rules, in the format of data/rules/allocation_rule_default.csv
-- column-case: lower
-- max-rejects: 0
--
-- Columns: rule_id, priority, function_pattern, object_pattern,
-- program_pattern, category_pattern, driver, note. Once a district-year has
-- rules of its own, they are the only rules its central spending is matched
-- against (the bundled defaults no longer apply to it), so a district states
-- its whole rule set in one file: start from a copy of
-- data/rules/allocation_rule_default.csv and change it. The set loads whole or
-- not at all: one bad row stops the ingest.
SELECT
    _file AS source_file,
    _line AS source_line,
    trim(rule_id) AS rule_id,
    CAST(priority AS INT) AS priority,
    NULLIF(function_pattern, '') AS function_pattern,
    NULLIF(object_pattern, '') AS object_pattern,
    NULLIF(program_pattern, '') AS program_pattern,
    NULLIF(category_pattern, '') AS category_pattern,
    lower(trim(driver)) AS driver,
    NULLIF(note, '') AS note
FROM raw
