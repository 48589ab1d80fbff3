-- target: gl_line
-- source: ak_gl_craig_city
-- description: Craig City SD accounts-payable ledger (CraigCity19/20): vendor invoices with fund, program, function and object
-- column-case: lower
--
-- The export has no site code (Site is empty throughout), so lines carry no
-- location. Revenue lines have two-digit object codes and no function.
SELECT
    _file AS source_file,
    _line AS source_line,
    parse_money(amount) AS amount,
    'actual' AS line_type,
    'ak_uniform' AS chart,
    parse_date(date) AS posting_date,
    2000 + CAST(fiscal_year AS INT) AS fiscal_year,
    concat_ws('-', fund_code, function_code, object_code, program_code) AS account_id,
    pad_code(fund_code, 3) AS fund,
    pad_code(function_code, 3) AS function,
    pad_code(object_code, 3) AS object,
    pad_code(program_code, 3) AS program,
    pad_code(site, 3) AS location_id,
    account_name,
    description,
    vendor_name AS vendor,
    concat_ws(' ', vendor_id, invoice_number, po_number) AS journal_id
FROM raw
