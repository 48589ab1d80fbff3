-- The NCES chart of accounts (data/reference/nces_function.csv and
-- nces_object.csv) and ledger lines classified by it.

CREATE VIEW coa_function AS
SELECT code AS function, name AS function_name, level, parent, function_group
FROM nces_function;

CREATE VIEW coa_object AS
SELECT code AS object, name AS object_name, level, parent, object_group, is_personnel
FROM nces_object;

-- Every ledger line with its NCES function group, object group and personnel
-- flag. A code rolls up to the nearest listed ancestor (2111 -> 2110 -> 2100
-- -> 2000; 111 -> 110 -> 100), as the handbook's hierarchy reads. Lines coded
-- to another chart (gl_line.chart other than 'nces') stay unclassified here:
-- their codes mean other things (Alaska's object 310 is a salary, NCES's a
-- purchased service).
--
-- is_current marks NCES current expenditure: actual lines outside facilities
-- acquisition and construction (function 4000s), debt service (5000s),
-- enterprise and community services (3200, 3300), property (object 700s),
-- debt-related objects (830s), tuition paid to others (560s) and transfers and
-- other items (900s).
CREATE VIEW gl_line_classified AS
SELECT
    g.*,
    COALESCE(f4.function_group, f3.function_group, f2.function_group, f1.function_group) AS function_group,
    COALESCE(o3.object_group, o2.object_group, o1.object_group) AS object_group,
    COALESCE(o3.is_personnel, o2.is_personnel, o1.is_personnel) AS is_personnel,
    CASE
        WHEN g.chart = 'nces' THEN
            g.line_type = 'actual'
            AND substr(g.function, 1, 1) NOT IN ('4', '5')
            AND g.function NOT IN ('3200', '3300')
            AND substr(g.object, 1, 1) NOT IN ('7', '9')
            AND substr(g.object, 1, 2) NOT IN ('83', '56')
    END AS is_current
FROM gl_line g
LEFT JOIN nces_function f4 ON g.chart = 'nces' AND f4.code = g.function
LEFT JOIN nces_function f3 ON g.chart = 'nces' AND f3.code = substr(g.function, 1, 3) || '0'
LEFT JOIN nces_function f2 ON g.chart = 'nces' AND f2.code = substr(g.function, 1, 2) || '00'
LEFT JOIN nces_function f1 ON g.chart = 'nces' AND f1.code = substr(g.function, 1, 1) || '000'
LEFT JOIN nces_object o3 ON g.chart = 'nces' AND o3.code = g.object
LEFT JOIN nces_object o2 ON g.chart = 'nces' AND o2.code = substr(g.object, 1, 2) || '0'
LEFT JOIN nces_object o1 ON g.chart = 'nces' AND o1.code = substr(g.object, 1, 1) || '00';
