-- target: gl_line
-- source: ak_gl_delta_greely
-- description: Delta/Greely SD general ledger (DGSD): the Copper River layout with the function and site columns swapped
-- column-case: lower
--
-- The layout of ak_gl_budget_ledger (Copper River), except that the columns
-- headed Function_Code and School_Code hold each other's data: the one headed
-- Function_Code has the sites (549 Delta Elementary, 550 Delta High, 569
-- district office, as the descriptions name them), the one headed
-- School_Code the Alaska function codes (100 instruction ... 900 transfers).
-- Each is read into the column it means.
--
-- One line carries one of three figures: budget lines (reference type B) the
-- Budget column, open purchase orders the Encumbrance column, postings the
-- Amount column. A reference type outside P, J, R, O, B or blank means the
-- line's fields are shifted (book titles in Budget, dates in Reference_Type in
-- DGSD's export): such lines are rejected, not guessed at. Lines with all
-- three figures blank are account headings, not postings, and are excluded.
SELECT
    _file AS source_file,
    _line AS source_line,
    CASE
        WHEN reference_type = 'B' THEN parse_money(budget)
        WHEN parse_money(amount) = 0 AND parse_money(encumbrance) <> 0 THEN parse_money(encumbrance)
        ELSE parse_money(amount)
    END AS amount,
    CASE
        WHEN reference_type = 'B' THEN 'budget'
        WHEN parse_money(amount) = 0 AND parse_money(encumbrance) <> 0 THEN 'encumbrance'
        ELSE 'actual'
    END AS line_type,
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
    vendor_name AS vendor,
    concat_ws(' ', reference_type, reference, batchno) AS journal_id
FROM raw
WHERE CASE
    WHEN trim(budget) = '' AND trim(encumbrance) = '' AND trim(amount) = '' THEN false
    ELSE reject_unless(
        trim(reference_type) IN ('P', 'J', 'R', 'O', 'B', ''),
        'Reference_Type ' || reference_type || ' is not a reference type: the line''s fields are shifted'
    )
END
