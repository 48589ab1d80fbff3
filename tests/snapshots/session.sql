-- A shell session over the worked example (tests/fixtures/worked_example),
-- compared whole with session.out; times are masked.
\timing on
\coverage
\d section
SELECT section_id, minutes_per_week, period, room_id FROM section ORDER BY section_id;
\x
SELECT section_id, course_name FROM section ORDER BY section_id LIMIT 1;
\x off
\format markdown
\run class_size district=WX01 year=2024
\format csv
SELECT sum(amount) AS ledger FROM gl_line;
\h round_half_up
