-- target: chart_account
-- source: demo_finance
-- description: Demo districts' chart of accounts: every valid account string (fund-function-object-program-location) with its description
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    trim(account) AS account_id,
    NULLIF(description, '') AS account_name
FROM raw
-- an invisible character in an id would make an account that looks listed
-- and is not
WHERE reject_unless(NOT regexp_like(account, '[[:cntrl:]]'), 'a control character in the account id')
