-- target: chart_account
-- source: chart_account
-- description: A district's chart of accounts: account_id (the full account string as its ledger writes it), account_name
-- column-case: lower
--
-- The accounts the finance system accepts for a year (Ed-Fi ChartOfAccount).
-- Once a district-year has one, DQ-F02 reports ledger lines on any other
-- account.
SELECT
    _file AS source_file,
    _line AS source_line,
    trim(account_id) AS account_id,
    NULLIF(trim(account_name), '') AS account_name
FROM raw
-- an invisible character in an id would make an account that looks listed
-- and is not
WHERE reject_unless(NOT regexp_like(account_id, '[[:cntrl:]]'), 'a control character in the account id')
