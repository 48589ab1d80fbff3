-- target: allocation_rule
-- source: allocation_rule
-- description: A district's allocation rules, in the format of data/reference/allocation_rule_default.csv
-- column-case: lower
--
-- Columns: rule_id, priority, function_pattern, object_pattern,
-- program_pattern, category_pattern, driver, note. Once a district-year has
-- rules of its own, they are the only rules its central spending is matched
-- against (the bundled defaults no longer apply to it), so a district states
-- its whole rule set in one file: start from the defaults and change them.
SELECT
    _file AS source_file,
    _line AS source_line,
    rule_id,
    CAST(priority AS INT) AS priority,
    NULLIF(function_pattern, '') AS function_pattern,
    NULLIF(object_pattern, '') AS object_pattern,
    NULLIF(program_pattern, '') AS program_pattern,
    NULLIF(category_pattern, '') AS category_pattern,
    lower(driver) AS driver,
    NULLIF(note, '') AS note
FROM raw
