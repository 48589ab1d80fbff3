-- target: gl_line
-- source: ak_gl_kake_city
-- description: Kake City SD general ledger (KakeCity19/20): amount with debit and credit ("$2,884.94 ")
-- column-case: lower
--
-- Fiscal_Year in the FY2020 export counts rows (19, 20, 21, ...) rather than
-- naming a year, so the source's fiscal year is not read; --year says it.
SELECT
    _file AS source_file,
    _line AS source_line,
    parse_money(amount) AS amount,
    'actual' AS line_type,
    'ak_uniform' AS chart,
    parse_date(date) AS posting_date,
    concat_ws('-', fund_code, function_code, object_code, program_code, school_code) AS account_id,
    pad_code(fund_code, 3) AS fund,
    pad_code(function_code, 3) AS function,
    pad_code(object_code, 3) AS object,
    pad_code(program_code, 3) AS program,
    pad_code(school_code, 3) AS location_id,
    account_name,
    description,
    concat_ws(' ', journal, journal_number, id_number, po_number) AS journal_id
FROM raw
