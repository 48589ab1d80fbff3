-- target: district_profile
-- source: ny_osc_finance
-- description: New York State Comptroller (OSC) school district financial data, level-two detail (leveltwoYY.csv): enrollment, revenue by source, total expenditures and debt service
-- column-case: lower
-- rename: ^district type$ => class description
-- rename: ^sanitation$ => sanitation fees
-- rename: ^total debt outstanding at end of fy$ => debt outstanding
--
-- One row per school district (NYC excluded, Big-4 cities included) and fiscal
-- year, all funds. Layouts: FY2015-17 have 179 columns ("District Type", "Total
-- Debt Outstanding at End of FY", "Sanitation"; the renames above give them
-- the FY2018-22 names "Class Description", "Debt Outstanding", "Sanitation
-- Fees"); FY2018 adds "Months in Fiscal Period" (180 columns); FY2019-22 add
-- "Total Expenditures" and "Total Expenditures and Other Uses" (181). FY2012-14
-- (180 columns: the FY2015 layout plus Total Expenditures and Other Uses) have
-- NO header line: resmap reads their first district as the header, so they
-- load only from a copy with the FY2015-17 header line (plus "Total
-- Expenditures and Other Uses") put in front, whose source_line is one more
-- than the original's.
--
-- Subtotals sit in columns with a blank header (resmap names them column_N,
-- N shifting with the layout, so this mapping cannot name them): after
-- Miscellaneous Revenues the local revenues, after Miscellaneous Federal Aid
-- the total revenues, after Miscellaneous Other Sources revenues and other
-- sources, and in FY2012-18 after Interest on Debt the total expenditures.
-- This mapping sums the detail columns instead; the sums below equal those
-- subtotals (and FY2019-22's "Total Expenditures") in every row of all 11
-- files. tests/scripts/ny_osc_totals.py reads OSC's total revenues and total
-- expenditures, checks them row by row against the detail and prints the
-- yearly sums this mapping must reproduce.
--
-- Choices:
-- - district_id = Muni Code, 12 digits as text (94 start with 0, e.g. Albany
--   City SD 010501000000); org_type = Class Description as written (Central,
--   City Public School, Common, Central High, Independent Superintendent,
--   Union Free); org_level 'district'.
-- - school_year from Fiscal Year End Date ("2015-06-30 00:00:00" to FY2017,
--   "06/30/2018" from FY2018), year starting in July: FY ending 2022-06-30 =
--   2022. Every row ends June 30; a row that does not is rejected.
-- - enrollment = Enrollment (whole pupils). Small districts that seem to run
--   no school of their own show 0 (Piseco, Raquette Lake, South
--   Mountain-Hickory; Inlet from FY2020) or, in FY2014, a blank (kept NULL):
--   guard per-pupil divisions. enrollment_kind NULL: these files do not say
--   how OSC counts ('osc_enrollment' is not an allowed value), so no claim of
--   fall membership is made.
-- - local_revenue = the 50 columns Real Property Taxes .. Miscellaneous
--   Revenues (taxes, STAR Payments, PILOTs, fees, charges, interest, rentals,
--   sales of property, gifts, grants from local governments ...);
--   state_revenue = the 14 columns State Aid - General Government .. Mortgage
--   Tax (OSC files the mortgage tax with state aid); federal_revenue = the 12
--   columns Federal Aid - General Government .. Miscellaneous Federal Aid;
--   total_revenue = their sum. Other sources (Sale of Obligations, BANs
--   Redeemed from Appropriations, Miscellaneous Debt Proceeds, Transfers,
--   Miscellaneous Other Sources) are not revenue and are left out.
-- - property_tax_revenue = Real Property Taxes only (STAR Payments, the
--   state's payment of the exempt part of the levy, stay in local_revenue).
-- - total_expenditure = the 85 columns Operations .. Interest on Debt
--   (functions, employee benefits, debt principal and interest) = OSC's Total
--   Expenditures; transfers out (other uses) are left out.
-- - debt_service = Debt Principal + Interest on Debt.
-- - capital_outlay NULL: the level-two columns are functions and benefit
--   types; equipment and capital outlay are inside the function columns
--   (Instruction, Education - Transportation ...) and no column isolates them.
--   current_expenditure NULL for the same reason: total_expenditure -
--   debt_service would still include capital outlay. per_pupil_published
--   NULL: OSC publishes no per-pupil figure.
-- - Money is plain text: whole dollars, '-' for negatives (adjustments), and in
--   FY2014 one decimal in Instruction and the totals for 618 districts
--   ('13344185.3'); parse_money reads all exactly. FY2012-14 leave fields
--   blank where FY2015-22 write 0: a blank counts as 0 in the sums.
-- - Districts that did not file: FY2012 Raquette Lake UFSD has 'Not Filed'
--   in Real Property Taxes and blanks elsewhere; FY2022 Wainscott CSD has 0
--   Months in Fiscal Period and zeros everywhere. A row with 'Not Filed' or
--   no revenue and no expenditure at all keeps its enrollment but gets NULL
--   money fields rather than zeros.
-- - Each file ends with one or two footnote lines ('Not Filed under Revenues
--   - ...', 'Not Filed under Full Value - ...'): excluded by the WHERE.
WITH r AS (
    SELECT
        _file,
        _line,
        "muni code",
        "entity name",
        "class description",
        "fiscal year end date",
        enrollment,
        trim("real property taxes") = 'Not Filed' AS not_filed,
        COALESCE(parse_money(NULLIF("real property taxes", 'Not Filed')), parse_money('0')) AS property_tax,
        COALESCE(parse_money("debt principal"), parse_money('0'))
            + COALESCE(parse_money("interest on debt"), parse_money('0')) AS debt,
        -- local revenues: the 50 columns Real Property Taxes .. Miscellaneous Revenues
          COALESCE(parse_money(NULLIF("real property taxes", 'Not Filed')), parse_money('0'))
        + COALESCE(parse_money("special assessments"), parse_money('0'))
        + COALESCE(parse_money("star payments"), parse_money('0'))
        + COALESCE(parse_money("payments in lieu of taxes"), parse_money('0'))
        + COALESCE(parse_money("gain from sale of tax acquired property"), parse_money('0'))
        + COALESCE(parse_money("interest & penalties"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous tax items"), parse_money('0'))
        + COALESCE(parse_money("sales tax"), parse_money('0'))
        + COALESCE(parse_money("sales tax distribution"), parse_money('0'))
        + COALESCE(parse_money("utilities gross receipts tax"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous use taxes"), parse_money('0'))
        + COALESCE(parse_money("franchises"), parse_money('0'))
        + COALESCE(parse_money("emergency telephone system surcharge"), parse_money('0'))
        + COALESCE(parse_money("city income tax"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous non-property taxes"), parse_money('0'))
        + COALESCE(parse_money("general government fees"), parse_money('0'))
        + COALESCE(parse_money("education fees"), parse_money('0'))
        + COALESCE(parse_money("public safety fees"), parse_money('0'))
        + COALESCE(parse_money("health fees"), parse_money('0'))
        + COALESCE(parse_money("transportation fees"), parse_money('0'))
        + COALESCE(parse_money("social service fees"), parse_money('0'))
        + COALESCE(parse_money("economic development fees"), parse_money('0'))
        + COALESCE(parse_money("culture and recreation fees"), parse_money('0'))
        + COALESCE(parse_money("community services fees"), parse_money('0'))
        + COALESCE(parse_money("utility fees"), parse_money('0'))
        + COALESCE(parse_money("sanitation fees"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous fees"), parse_money('0'))
        + COALESCE(parse_money("general government charges"), parse_money('0'))
        + COALESCE(parse_money("education charges"), parse_money('0'))
        + COALESCE(parse_money("public safety charges"), parse_money('0'))
        + COALESCE(parse_money("health charges"), parse_money('0'))
        + COALESCE(parse_money("transportation charges"), parse_money('0'))
        + COALESCE(parse_money("social services charges"), parse_money('0'))
        + COALESCE(parse_money("culture and recreation charges"), parse_money('0'))
        + COALESCE(parse_money("community services charges"), parse_money('0'))
        + COALESCE(parse_money("utility charges"), parse_money('0'))
        + COALESCE(parse_money("sanitation charges"), parse_money('0'))
        + COALESCE(parse_money("debt service charges"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous intergovernmental charges"), parse_money('0'))
        + COALESCE(parse_money("interest and earnings"), parse_money('0'))
        + COALESCE(parse_money("rental of property"), parse_money('0'))
        + COALESCE(parse_money("sale of property"), parse_money('0'))
        + COALESCE(parse_money("fines"), parse_money('0'))
        + COALESCE(parse_money("forfeitures"), parse_money('0'))
        + COALESCE(parse_money("compensation for loss"), parse_money('0'))
        + COALESCE(parse_money("library grants from local governments"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous grants from local governments"), parse_money('0'))
        + COALESCE(parse_money("gifts"), parse_money('0'))
        + COALESCE(parse_money("employee contributions"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous revenues"), parse_money('0'))
            AS local_sum,
        -- state aid: the 14 columns State Aid - General Government .. Mortgage Tax
          COALESCE(parse_money("state aid - general government"), parse_money('0'))
        + COALESCE(parse_money("state aid - education"), parse_money('0'))
        + COALESCE(parse_money("state aid - health"), parse_money('0'))
        + COALESCE(parse_money("state aid - public safety"), parse_money('0'))
        + COALESCE(parse_money("state aid - transportation"), parse_money('0'))
        + COALESCE(parse_money("state aid - social services"), parse_money('0'))
        + COALESCE(parse_money("state aid - economic development"), parse_money('0'))
        + COALESCE(parse_money("state aid - culture and recreation"), parse_money('0'))
        + COALESCE(parse_money("state aid - community services"), parse_money('0'))
        + COALESCE(parse_money("state aid - utilities"), parse_money('0'))
        + COALESCE(parse_money("state aid - sanitation"), parse_money('0'))
        + COALESCE(parse_money("unrestricted state aid"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous state aid"), parse_money('0'))
        + COALESCE(parse_money("mortgage tax"), parse_money('0'))
            AS state_sum,
        -- federal aid: the 12 columns Federal Aid - General Government .. Miscellaneous Federal Aid
          COALESCE(parse_money("federal aid - general government"), parse_money('0'))
        + COALESCE(parse_money("federal aid - education"), parse_money('0'))
        + COALESCE(parse_money("federal aid - public safety"), parse_money('0'))
        + COALESCE(parse_money("federal aid - health"), parse_money('0'))
        + COALESCE(parse_money("federal aid - transportation"), parse_money('0'))
        + COALESCE(parse_money("federal aid - social services"), parse_money('0'))
        + COALESCE(parse_money("federal aid - economic development"), parse_money('0'))
        + COALESCE(parse_money("federal aid - culture and recreation"), parse_money('0'))
        + COALESCE(parse_money("federal aid - community services"), parse_money('0'))
        + COALESCE(parse_money("federal aid - utilities"), parse_money('0'))
        + COALESCE(parse_money("federal aid - sanitation"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous federal aid"), parse_money('0'))
            AS federal_sum,
        -- expenditures: the 85 columns Operations .. Interest on Debt
          COALESCE(parse_money("operations"), parse_money('0'))
        + COALESCE(parse_money("administration"), parse_money('0'))
        + COALESCE(parse_money("county distribution of sales tax"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous general government"), parse_money('0'))
        + COALESCE(parse_money("zoning and planning"), parse_money('0'))
        + COALESCE(parse_money("judgements"), parse_money('0'))
        + COALESCE(parse_money("instruction"), parse_money('0'))
        + COALESCE(parse_money("instructional support"), parse_money('0'))
        + COALESCE(parse_money("pupil services"), parse_money('0'))
        + COALESCE(parse_money("education - transportation"), parse_money('0'))
        + COALESCE(parse_money("student activities"), parse_money('0'))
        + COALESCE(parse_money("community college"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous education"), parse_money('0'))
        + COALESCE(parse_money("public safety administration"), parse_money('0'))
        + COALESCE(parse_money("police"), parse_money('0'))
        + COALESCE(parse_money("fire protection"), parse_money('0'))
        + COALESCE(parse_money("emergency response"), parse_money('0'))
        + COALESCE(parse_money("correctional services"), parse_money('0'))
        + COALESCE(parse_money("disaster response"), parse_money('0'))
        + COALESCE(parse_money("homeland security and civil defense"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous public safety"), parse_money('0'))
        + COALESCE(parse_money("public health administration"), parse_money('0'))
        + COALESCE(parse_money("public health services"), parse_money('0'))
        + COALESCE(parse_money("mental health services"), parse_money('0'))
        + COALESCE(parse_money("environmental services"), parse_money('0'))
        + COALESCE(parse_money("public health facilities"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous public health"), parse_money('0'))
        + COALESCE(parse_money("highways"), parse_money('0'))
        + COALESCE(parse_money("highway services to other govts"), parse_money('0'))
        + COALESCE(parse_money("bus service"), parse_money('0'))
        + COALESCE(parse_money("airports"), parse_money('0'))
        + COALESCE(parse_money("rail service"), parse_money('0'))
        + COALESCE(parse_money("waterways"), parse_money('0'))
        + COALESCE(parse_money("transportation facilities"), parse_money('0'))
        + COALESCE(parse_money("transportation ancillary"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous transportation"), parse_money('0'))
        + COALESCE(parse_money("public facilities"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous social services"), parse_money('0'))
        + COALESCE(parse_money("social service administration"), parse_money('0'))
        + COALESCE(parse_money("financial assistance"), parse_money('0'))
        + COALESCE(parse_money("medicaid"), parse_money('0'))
        + COALESCE(parse_money("non-medicaid medical assistance"), parse_money('0'))
        + COALESCE(parse_money("housing assistance"), parse_money('0'))
        + COALESCE(parse_money("employment services"), parse_money('0'))
        + COALESCE(parse_money("youth services"), parse_money('0'))
        + COALESCE(parse_money("economic development administration"), parse_money('0'))
        + COALESCE(parse_money("development infrastructure"), parse_money('0'))
        + COALESCE(parse_money("promotion"), parse_money('0'))
        + COALESCE(parse_money("economic development grants"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous economic development"), parse_money('0'))
        + COALESCE(parse_money("recreation services"), parse_money('0'))
        + COALESCE(parse_money("adult recreation"), parse_money('0'))
        + COALESCE(parse_money("youth recreation"), parse_money('0'))
        + COALESCE(parse_money("library"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous cultural and recreation"), parse_money('0'))
        + COALESCE(parse_money("cultural services"), parse_money('0'))
        + COALESCE(parse_money("constituent services"), parse_money('0'))
        + COALESCE(parse_money("elder services"), parse_money('0'))
        + COALESCE(parse_money("natural resources"), parse_money('0'))
        + COALESCE(parse_money("student census"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous community services"), parse_money('0'))
        + COALESCE(parse_money("water"), parse_money('0'))
        + COALESCE(parse_money("electricity"), parse_money('0'))
        + COALESCE(parse_money("natural gas"), parse_money('0'))
        + COALESCE(parse_money("steam"), parse_money('0'))
        + COALESCE(parse_money("sewer"), parse_money('0'))
        + COALESCE(parse_money("storm sewer"), parse_money('0'))
        + COALESCE(parse_money("refuse and garbage"), parse_money('0'))
        + COALESCE(parse_money("landfill closures"), parse_money('0'))
        + COALESCE(parse_money("drainage"), parse_money('0'))
        + COALESCE(parse_money("miscellaneous sanitation"), parse_money('0'))
        + COALESCE(parse_money("retirement - state/local"), parse_money('0'))
        + COALESCE(parse_money("retirement - police & fire"), parse_money('0'))
        + COALESCE(parse_money("retirement - teacher"), parse_money('0'))
        + COALESCE(parse_money("losap / miscellaneous"), parse_money('0'))
        + COALESCE(parse_money("social security"), parse_money('0'))
        + COALESCE(parse_money("medical insurance"), parse_money('0'))
        + COALESCE(parse_money("disability insurance"), parse_money('0'))
        + COALESCE(parse_money("life insurance"), parse_money('0'))
        + COALESCE(parse_money("worker's compensation"), parse_money('0'))
        + COALESCE(parse_money("unemployment insurance"), parse_money('0'))
        + COALESCE(parse_money("union benefits program"), parse_money('0'))
        + COALESCE(parse_money("unclassified employee benefits"), parse_money('0'))
        + COALESCE(parse_money("debt principal"), parse_money('0'))
        + COALESCE(parse_money("interest on debt"), parse_money('0'))
            AS expenditure_sum
    FROM raw
),
c AS (
    SELECT
        *,
        -- a district that did not file: 'Not Filed' (FY2012 Raquette Lake) or
        -- nothing reported on either side (FY2022 Wainscott, 0 months)
        not_filed OR (local_sum = parse_money('0') AND state_sum = parse_money('0') AND federal_sum = parse_money('0')
                      AND expenditure_sum = parse_money('0')) AS no_report
    FROM r
)
SELECT
    _file AS source_file,
    _line AS source_line,
    pad_code("muni code", 12) AS district_id,
    school_year_of(parse_date("fiscal year end date"), 7) AS school_year,
    trim("entity name") AS district_name,
    'NY' AS state,
    'district' AS org_level,
    trim("class description") AS org_type,
    parse_decimal(enrollment, 0) AS enrollment,
    CASE WHEN no_report THEN NULL ELSE local_sum + state_sum + federal_sum END AS total_revenue,
    CASE WHEN no_report THEN NULL ELSE federal_sum END AS federal_revenue,
    CASE WHEN no_report THEN NULL ELSE state_sum END AS state_revenue,
    CASE WHEN no_report THEN NULL ELSE local_sum END AS local_revenue,
    CASE WHEN no_report THEN NULL ELSE property_tax END AS property_tax_revenue,
    CASE WHEN no_report THEN NULL ELSE expenditure_sum END AS total_expenditure,
    CASE WHEN no_report THEN NULL ELSE debt END AS debt_service
FROM c
WHERE "muni code" NOT LIKE 'Not Filed under %'
  -- the footnote lines pass the check too: the optimizer may evaluate it on
  -- every row, whatever the other condition says
  AND reject_unless("muni code" LIKE 'Not Filed under %'
        OR (regexp_like("muni code", '^[0-9]{12}$')
            AND regexp_like("fiscal year end date", '^(06/30/[0-9]{4}|[0-9]{4}-06-30( 00:00:00)?)$')),
        'not a district row with a 12-digit Muni Code and a June 30 fiscal year end: '
            || "muni code" || ' / ' || "fiscal year end date")
