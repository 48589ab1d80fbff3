-- target: chart_account
-- source: demo_finance
-- description: Demo districts' chart of accounts: every valid account string (fund-function-object-program-location) with its description
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    account AS account_id,
    NULLIF(description, '') AS account_name
FROM raw
