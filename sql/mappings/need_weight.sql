-- target: need_weight
-- source: need_weight
-- description: A district's weights for the school need index (method, factor, weight), with the columns of data/reference/need_weight_default.csv (a plain CSV: method,factor,weight)
-- column-case: lower
-- max-rejects: 0
--
-- Once a district-year has weights of its own they replace the bundled ones
-- for it entirely (every method), so state all the methods you use. The file
-- loads whole or not at all.
SELECT
    _file AS source_file,
    _line AS source_line,
    lower(trim(method)) AS method,
    lower(trim(factor)) AS factor,
    parse_decimal(weight, 3) AS weight
FROM raw
