-- target: dq_threshold
-- source: dq_threshold
-- description: A district's severities and thresholds for data-quality rules: rule_id, severity, low, high (empty = the rule's default)
-- column-case: lower
-- max-rejects: 0
--
-- For example `DQ-P01,error,,0.05` makes payroll against the ledger an error
-- beyond 5%. Loads whole or not at all.
SELECT
    _file AS source_file,
    _line AS source_line,
    upper(trim(rule_id)) AS rule_id,
    NULLIF(lower(trim(severity)), '') AS severity,
    parse_decimal(low, 4) AS low,
    parse_decimal(high, 4) AS high
FROM raw
