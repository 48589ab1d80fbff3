-- target: gl_line
-- source: ak_gl_chugach
-- description: Chugach SD general ledger FY2019 (CSD19): posted lines among subtotal and report-total lines
-- column-case: lower
--
-- The FY2019 export interleaves the postings (Post_Type Actual) with subtotal
-- lines ("Certificated Salaries Total"), a report total and spreadsheet debris
-- (#VALUE!, overflowed sums). Only postings are read; the rest is excluded and
-- listed in the rejects file.
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
    demo_desc AS account_name,
    description,
    concat_ws(' ', source, reference) AS journal_id
FROM raw
WHERE post_type = 'Actual'
