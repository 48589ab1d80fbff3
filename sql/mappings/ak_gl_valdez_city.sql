-- target: gl_line
-- source: ak_gl_valdez_city
-- description: Valdez City SD general ledger (Valdez19/20): Org (site), Account (function), Object and Project
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    parse_money(amount) AS amount,
    'actual' AS line_type,
    'ak_uniform' AS chart,
    parse_date(date) AS posting_date,
    2000 + CAST(fiscal_year AS INT) AS fiscal_year,
    period AS fiscal_period,
    concat_ws('-', fund_code, org, account, object_code, project) AS account_id,
    pad_code(fund_code, 3) AS fund,
    pad_code(account, 3) AS function,
    pad_code(object_code, 3) AS object,
    pad_code(project, 3) AS project,
    org AS location_id,
    description,
    vendor_name AS vendor,
    doc_line_number AS journal_id
FROM raw
