-- target: gl_line
-- source: demo_gl
-- description: Demo districts' general ledger: account (fund-function-object-program-location), date, amount with credits in parentheses, actual or budget
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    parse_money(amount) AS amount,
    CASE entrytype WHEN 'ACT' THEN 'actual' WHEN 'BUD' THEN 'budget' WHEN 'ENC' THEN 'encumbrance' END AS line_type,
    parse_date(postingdate) AS posting_date,
    'nces' AS chart,
    trim(account) AS account_id,
    account_part(account, 1) AS fund,
    account_part(account, 2) AS function,
    account_part(account, 3) AS object,
    account_part(account, 4) AS program,
    account_part(account, 5) AS location_id,
    -- an optional sixth part: the project or grant (federal 400-999)
    account_part(account, 6) AS project,
    description,
    NULLIF(vendor, '') AS vendor,
    journal AS journal_id
FROM raw
WHERE reject_unless(entrytype IN ('ACT', 'BUD', 'ENC'), 'entry type ' || entrytype || ' is not ACT, BUD or ENC')
