-- target: payroll_line
-- source: demo_payroll
-- description: Demo districts' payroll register: employee, check date, account (fund-function-object-program-location), gross and employer benefits
-- column-case: lower
SELECT
    _file AS source_file,
    _line AS source_line,
    employeeid AS staff_id,
    parse_date(checkdate) AS pay_date,
    'nces' AS chart,
    account AS account_id,
    account_part(account, 1) AS fund,
    account_part(account, 2) AS function,
    account_part(account, 3) AS object,
    account_part(account, 5) AS location_id,
    CASE earntype WHEN 'REG' THEN 'regular' WHEN 'STIPEND' THEN 'stipend' WHEN 'OT' THEN 'overtime' ELSE lower(earntype) END AS earnings_type,
    parse_money(gross) AS gross,
    parse_money(employerbenefits) AS employer_benefits
FROM raw
