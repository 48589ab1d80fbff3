-- target: gl_line
-- source: ak_gl_chugach
-- description: Chugach SD general ledger FY2020 (CSD20): debit, credit and signed amount
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    parse_money(amount) AS amount,
    'actual' AS line_type,
    'ak_uniform' AS chart,
    parse_date(date) AS posting_date,
    2000 + CAST(fiscal_year AS INT) AS fiscal_year,
    concat_ws('-', fund_code, function_code, object_code, program_code, school_code) AS account_id,
    pad_code(fund_code, 3) AS fund,
    pad_code(function_code, 3) AS function,
    pad_code(object_code, 3) AS object,
    pad_code(program_code, 3) AS program,
    pad_code(school_code, 3) AS location_id,
    account_name,
    description
FROM raw
