-- target: dq_threshold
-- source: dq_threshold
-- description: A district's severities and thresholds for data-quality rules: rule_id, severity, low, high (empty = the rule's default)
-- column-case: lower
-- max-rejects: 0
--
-- For example `DQ-P01,error,,0.05` makes payroll against the ledger an error
-- beyond 5%. Loads whole or not at all. A bound is a share, a count, dollars
-- or minutes as the rule says (docs/data_quality.md): never below zero, low
-- not above high, and only a bound the rule has.
WITH t AS (
    SELECT
        _file, _line,
        upper(trim(raw.rule_id)) AS rule_id,
        NULLIF(lower(trim(raw.severity)), '') AS severity,
        parse_decimal(raw.low, 4) AS low,
        parse_decimal(raw.high, 4) AS high
    FROM raw
)
SELECT
    t._file AS source_file,
    t._line AS source_line,
    t.rule_id,
    t.severity,
    t.low,
    t.high
FROM t
LEFT JOIN dq_rule d ON d.rule_id = t.rule_id
WHERE reject_unless(t.low IS NULL OR t.low >= 0, 'low ' || CAST(t.low AS VARCHAR) || ' is below 0')
  AND reject_unless(t.high IS NULL OR t.high >= 0, 'high ' || CAST(t.high AS VARCHAR) || ' is below 0')
  AND reject_unless(
      t.low IS NULL OR t.high IS NULL OR t.low <= t.high,
      'low ' || CAST(t.low AS VARCHAR) || ' is above high ' || CAST(t.high AS VARCHAR))
  AND reject_unless(
      t.low IS NULL OR d.rule_id IS NULL OR d.low IS NOT NULL,
      t.rule_id || ' has no low bound to set')
  AND reject_unless(
      t.high IS NULL OR d.rule_id IS NULL OR d.high IS NOT NULL,
      t.rule_id || ' has no high bound to set')
