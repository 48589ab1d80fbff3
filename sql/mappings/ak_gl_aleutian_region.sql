-- target: gl_line
-- source: ak_gl_aleutian_region
-- description: Aleutian Region SD general ledger (ARSD19/20): signed amount beside an absolute amount and credit flag
-- column-case: lower
--
-- The export gives every line twice over: `absolute_amount` with `credit_flag`
-- (CR or R) and a signed `amount`. The signed amount is the one read here.
-- Its Function_Code and School_Code headings are swapped: the column headed
-- Function_Code holds the sites (302 Atka, 315 Adak, 099 district-wide, as
-- the descriptions name them) and the one headed School_Code the Alaska
-- function codes (100 instruction ... 900 transfers). Each is read into the
-- column it means.
SELECT
    _file AS source_file,
    _line AS source_line,
    parse_money(amount) AS amount,
    'actual' AS line_type,
    'ak_uniform' AS chart,
    parse_date(date) AS posting_date,
    2000 + CAST(fiscal_year AS INT) AS fiscal_year,
    concat_ws('-', fund_code, school_code, object_code, program_code, function_code) AS account_id,
    pad_code(fund_code, 3) AS fund,
    pad_code(school_code, 3) AS function,
    pad_code(object_code, 3) AS object,
    pad_code(program_code, 3) AS program,
    pad_code(function_code, 3) AS location_id,
    account_name,
    description,
    concat_ws(' ', journal, transactionno) AS journal_id
FROM raw
