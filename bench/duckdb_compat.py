#!/usr/bin/env python3
"""DuckDB's side of the benchmark: our SQL, translated, over the same files.

- Tables: each warehouse table is a DuckDB view over its Delta table's own
  Parquet files (read_parquet with hive partitions: district_id, school_year);
  a benchmark warehouse is written once, so every file is live. Reference
  tables and tables the warehouse lacks are exported by resmap to Parquet.
- Views: sql/views/00-85 as written, with these translations: a materialized
  view is a plain view (DuckDB plans the whole pipeline itself); our scalar
  functions become macros of the same arithmetic; `allocate(amount, driver,
  label) OVER (PARTITION BY p ...)`, our exact largest-remainder allocator, is
  the rounded proportional share `round(amount * driver / sum(driver) OVER
  (PARTITION BY p), 2)` (the same work per row, but it may leave a cent
  unallocated or allocate one twice, which ours never does); the equity
  aggregates are written out with window functions.
- Ingest: each mapping's SELECT over DuckDB's CSV reader (all columns as
  text, as ours reads them), written as Parquet partitioned by district and
  year.

Run as a script it does one measured thing in its own process, so the parent
can read that process's peak memory:
    duckdb_compat.py query WAREHOUSE REFERENCE_DIR NAME JSON_PARAMS
    duckdb_compat.py ingest MANIFEST OUT_DIR
and prints one JSON object.
"""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MACROS = [
    "CREATE MACRO round_half_up(x, n) AS round(x, n)",
    "CREATE MACRO reject_unless(c, m) AS CASE WHEN c THEN true ELSE error(m) END",
    "CREATE MACRO parse_money(t) AS CASE WHEN trim(t) LIKE '(%' THEN -1 ELSE 1 END * "
    "CAST(NULLIF(regexp_replace(trim(t), '[$,()]', '', 'g'), '') AS DECIMAL(18, 2))",
    "CREATE MACRO parse_date(t) AS CAST(strptime(NULLIF(trim(t), ''), '%m/%d/%Y') AS DATE)",
    "CREATE MACRO account_part(a, n) AS NULLIF(split_part(a, '-', n), '')",
    "CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)",
    "CREATE MACRO wmean(v, w) AS sum(v * w) / sum(CASE WHEN v IS NOT NULL THEN w END)",
]


def matching_paren(text, open_at):
    depth = 0
    i = open_at
    quote = False
    while i < len(text):
        c = text[i]
        if c == "'":
            quote = not quote
        elif not quote:
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return i
        i += 1
    raise ValueError("unbalanced parentheses")


def split_args(text):
    out, depth, cur, quote = [], 0, "", False
    for c in text:
        if c == "'":
            quote = not quote
        if not quote and c == "(":
            depth += 1
        if not quote and c == ")":
            depth -= 1
        if c == "," and depth == 0 and not quote:
            out.append(cur)
            cur = ""
        else:
            cur += c
    out.append(cur)
    return [a.strip() for a in out]


def rewrite_allocate(sql):
    while True:
        m = re.search(r"\ballocate\(", sql)
        if not m:
            return sql
        close = matching_paren(sql, m.end() - 1)
        amount, driver = split_args(sql[m.end():close])[:2]
        over = re.match(r"\s*OVER\s*\(", sql[close + 1:])
        over_open = close + 1 + over.end() - 1
        over_close = matching_paren(sql, over_open)
        window = sql[over_open + 1:over_close]
        partition = re.split(r"\bORDER\s+BY\b", window, flags=re.I)[0]
        expr = (
            f"CAST(round(CAST({amount} AS DECIMAL(38, 6)) * ({driver}) / "
            f"NULLIF(sum({driver}) OVER ({partition}), 0), 2) AS DECIMAL(18, 2))"
        )
        sql = sql[:m.start()] + expr + sql[over_close + 1:]


def rewrite_windowed_weighted(sql):
    """`wmean(x, w) OVER (...)` and `wvar(x, w) OVER (...)` as window sums
    (DuckDB macros cannot hold two aggregates in a window)."""
    while True:
        m = re.search(r"\b(wmean|wvar)\(", sql)
        if not m:
            return sql
        close = matching_paren(sql, m.end() - 1)
        over = re.match(r"\s*OVER\s*\(", sql[close + 1:])
        if not over:
            # a plain aggregate: the macro handles it; look further on
            return sql[:close + 1] + rewrite_windowed_weighted(sql[close + 1:])
        x, w = split_args(sql[m.end():close])[:2]
        over_open = close + 1 + over.end() - 1
        over_close = matching_paren(sql, over_open)
        window = sql[over_open:over_close + 1]
        weight = f"sum(CASE WHEN ({x}) IS NOT NULL THEN ({w}) END) OVER {window}"
        mean = f"(sum(({x}) * ({w})) OVER {window} / {weight})"
        if m.group(1) == "wmean":
            expr = mean
        else:
            expr = f"(sum(({w}) * ({x}) * ({x})) OVER {window} / {weight} - {mean} * {mean})"
        sql = sql[:m.start()] + expr + sql[over_close + 1:]


def rewrite_date_to_int(sql):
    """DataFusion casts a date to INT as days since 1970-01-01; DuckDB
    subtracts dates for that."""
    out, i = "", 0
    for m in re.finditer(r"\bCAST\(", sql):
        if m.start() < i:
            continue
        close = matching_paren(sql, m.end() - 1)
        inner = sql[m.end():close]
        tail = re.search(r"\s+AS\s+INT\s*$", inner, re.I)
        if tail and "date" in inner[:tail.start()].lower():
            out += sql[i:m.start()] + f"(CAST({inner[:tail.start()]} AS DATE) - DATE '1970-01-01')"
            i = close + 1
    return out + sql[i:]


def strip_comments(sql):
    return "\n".join(
        line.split("--", 1)[0] if "'" not in line.split("--", 1)[0] or line.count("'") % 2 == 0 else line
        for line in sql.splitlines()
    )


def translate(sql):
    sql = strip_comments(sql)
    sql = re.sub(r"CREATE\s+MATERIALIZED\s+VIEW", "CREATE OR REPLACE VIEW", sql, flags=re.I)
    sql = re.sub(r"CREATE\s+VIEW", "CREATE OR REPLACE VIEW", sql, flags=re.I)
    sql = rewrite_allocate(sql)
    sql = rewrite_windowed_weighted(sql)
    sql = rewrite_date_to_int(sql)
    sql = re.sub(
        r"parse_decimal\(([^,()]+), (\d+)\)",
        r"CAST(NULLIF(replace(trim(\1), ',', ''), '') AS DECIMAL(18, \2))",
        sql,
    )
    return sql


def translate_keep_materialized(sql):
    """Like translate, but a materialized view stays marked: created as an
    empty table, filled when a query needs it."""
    return translate(re.sub(r"CREATE\s+MATERIALIZED\s+VIEW\s+(\w+)", r"CREATE VIEW \1 /*materialized*/", sql, flags=re.I))


def stages():
    """(name, select) of each materialized view, in the order they are defined."""
    out = []
    for f in view_files():
        for st in statements(translate_keep_materialized(f.read_text())):
            m = re.match(r"CREATE OR REPLACE VIEW (\w+) /\*materialized\*/\s+AS\s+(.*)", st, re.S | re.I)
            if m:
                out.append((m.group(1), m.group(2)))
    return out


def needed_stages(sql):
    """The materialized views `sql` reads, directly or through other views,
    in definition order: what resmap computes once per session for it."""
    bodies = {}
    for f in view_files():
        for st in statements(translate_keep_materialized(f.read_text())):
            m = re.match(r"CREATE OR REPLACE VIEW (\w+)(?: /\*materialized\*/)?\s+AS\s+(.*)", st, re.S | re.I)
            if m:
                bodies[m.group(1)] = m.group(2)
    seen, todo = set(), [sql]
    while todo:
        text = todo.pop()
        for word in set(re.findall(r"[a-z_][a-z0-9_]*", text)):
            if word in bodies and word not in seen:
                seen.add(word)
                todo.append(bodies[word])
    return [(n, b) for n, b in stages() if n in seen]


def statements(sql):
    out, cur, quote = [], "", False
    for c in sql:
        if c == "'":
            quote = not quote
        if c == ";" and not quote:
            if cur.strip():
                out.append(cur.strip())
            cur = ""
        else:
            cur += c
    if cur.strip():
        out.append(cur.strip())
    return out


def view_files():
    return [p for p in sorted((ROOT / "sql" / "views").glob("*.sql")) if p.name[:2] < "90"]


def connect(warehouse, reference_dir):
    import duckdb

    con = duckdb.connect()
    for m in MACROS:
        con.execute(m)
    columns = {}
    wh = Path(warehouse)
    for t in sorted(p.name for p in wh.iterdir() if (p / "_delta_log").is_dir()):
        con.execute(
            f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{wh / t}/**/*.parquet', "
            f"hive_partitioning = true)"
        )
    for p in sorted(Path(reference_dir).glob("*.parquet")):
        con.execute(f"CREATE VIEW {p.stem} AS SELECT * FROM read_parquet('{p}')")
    for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
        columns[t] = {c for (c,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [t]
        ).fetchall()}
    failed = {}
    for f in view_files():
        for st in statements(translate_keep_materialized(f.read_text())):
            # a materialized view is an empty table until a query fills it
            # (views over a view would bind the whole pipeline above it)
            m = re.match(r"CREATE OR REPLACE VIEW (\w+) /\*materialized\*/\s+AS\s+(.*)", st, re.S | re.I)
            if m:
                st = f"CREATE TABLE {m.group(1)} AS SELECT * FROM ({m.group(2)}) LIMIT 0"
            try:
                con.execute(st)
            except Exception as e:  # a view DuckDB cannot express stays out
                name = re.search(r"VIEW\s+(\w+)", st)
                failed[name.group(1) if name else st[:40]] = str(e).splitlines()[0]
    return con, columns, failed


def canned_sql(name, params):
    text = (ROOT / "sql" / "queries" / f"{name}.sql").read_text()
    declared = {}
    for m in re.finditer(r"^-- param: (\w+) ([a-z\[\]]+)(?:\([^)]*\))?(?: = ([^|]*?))?\s*\|", text, re.M):
        declared[m.group(1)] = (m.group(2), (m.group(3) or "").strip())
    body = translate("\n".join(l for l in text.splitlines() if not l.startswith("-- ")))
    for pname in sorted(declared, key=len, reverse=True):
        ty, default = declared[pname]
        value = params.get(pname, None if default in ("", "null") else default)
        if value is None:
            lit = "CAST(NULL AS VARCHAR[])" if ty.endswith("[]") else (
                "CAST(NULL AS INTEGER)" if ty == "int" else "CAST(NULL AS VARCHAR)")
        elif ty == "int":
            lit = str(int(value))
        elif ty == "bool":
            lit = "true" if str(value).lower() == "true" else "false"
        elif ty.endswith("[]"):
            lit = "[" + ", ".join("'" + v.strip() + "'" for v in str(value).split(",")) + "]"
        else:
            lit = "'" + str(value).replace("'", "''") + "'"
        body = re.sub(r"\$" + pname + r"\b", lit, body)
    return body


def equity_sql(params):
    """school_equity with the equity aggregates written out (docs/metrics.md
    formulas, pupil-weighted)."""
    district, year = params["district"], int(params["year"])
    return f"""
WITH q AS (
    SELECT *, ntile(4) OVER (PARTITION BY district_id, school_year ORDER BY need, school_id) AS need_quartile
    FROM school_resource_need
    WHERE district_id = '{district}' AND definition_id = 'essa_ppe' AND method = 'weighted_pupil'
      AND school_year = {year}
), m AS (
    SELECT *, sum(per_pupil * enrollment) OVER w / sum(enrollment) OVER w AS mean,
           sum(enrollment) OVER w AS pupils_all,
           sum(enrollment) OVER (PARTITION BY school_year ORDER BY per_pupil, school_id) AS cum_pupils,
           sum(per_pupil * enrollment) OVER (PARTITION BY school_year ORDER BY per_pupil, school_id) AS cum_amount,
           sum(per_pupil * enrollment) OVER w AS amount_all
    FROM q WINDOW w AS (PARTITION BY school_year)
), med AS (
    SELECT school_year, min(per_pupil) AS median FROM m WHERE cum_pupils * 2 >= pupils_all GROUP BY school_year
)
SELECT
    m.school_year,
    count(*) AS schools,
    sum(enrollment) AS pupils,
    round(sum(per_pupil * enrollment) / sum(enrollment), 2) AS mean_per_pupil,
    round(sqrt(sum(enrollment * (per_pupil - mean) ^ 2) / sum(enrollment)) / any_value(mean), 4) AS cv,
    round(sum(CASE WHEN per_pupil < med.median THEN per_pupil * enrollment END)
          / (any_value(med.median) * sum(CASE WHEN per_pupil < med.median THEN enrollment END)), 4) AS mcloone,
    round(1 - sum(enrollment * (2 * cum_amount - per_pupil * enrollment)) / (any_value(pupils_all) * any_value(amount_all)), 4) AS gini,
    round(corr(need, per_pupil), 4) AS corr_with_need_unweighted,
    round(regr_slope(per_pupil, need), 2) AS slope_on_need_unweighted,
    round((sum(CASE WHEN need_quartile = 4 THEN per_pupil * enrollment END) / sum(CASE WHEN need_quartile = 4 THEN enrollment END))
        / (sum(CASE WHEN need_quartile = 1 THEN per_pupil * enrollment END) / sum(CASE WHEN need_quartile = 1 THEN enrollment END)), 4) AS high_to_low_need_ratio,
    round(min(resource_to_need), 4), round(max(resource_to_need), 4)
FROM m JOIN med USING (school_year)
GROUP BY m.school_year ORDER BY m.school_year
"""


def scanned_columns(con, sql, columns):
    """Per table, the columns DuckDB's plan reads (a projection matched to the
    table with the fewest columns that has them all)."""
    plan = json.loads(con.execute("EXPLAIN (FORMAT json) " + sql).fetchall()[0][1])
    scans = {}

    def walk(node):
        info = node.get("extra_info", {})
        if node.get("name") in ("READ_PARQUET", "TABLE_SCAN", "SEQ_SCAN"):
            proj = info.get("Projections", "")
            proj = proj if isinstance(proj, list) else [p for p in proj.split("\n") if p]
            filt = info.get("Filters", "")
            filt = " ".join(filt) if isinstance(filt, list) else filt
            used = set(proj) | set(re.findall(r"[a-z_][a-z0-9_]*", filt))
            candidates = [t for t, cs in columns.items() if used & cs and set(proj) <= cs]
            if candidates:
                t = min(candidates, key=lambda t: len(columns[t]))
                scans.setdefault(t, set()).update(used & columns[t])
        for ch in node.get("children", []):
            walk(ch)

    for n in plan:
        walk(n)
    return {t: sorted(c) for t, c in scans.items()}


def run_query(warehouse, reference_dir, name, params):
    sql = equity_sql(params) if name == "school_equity" else canned_sql(name, params)
    needed = needed_stages(sql)
    try:
        # first pass, untimed: the columns each step's plan reads
        con, columns, failed = connect(warehouse, reference_dir)
        scans = {}
        for stage, body in needed:
            for t, cs in scanned_columns(con, body, columns).items():
                scans.setdefault(t, set()).update(cs)
            con.execute(f"INSERT INTO {stage} SELECT * FROM ({body})")
        for t, cs in scanned_columns(con, sql, columns).items():
            scans.setdefault(t, set()).update(cs)
        stage_names = {n for n, _ in needed}
        scans = {t: sorted(c) for t, c in scans.items() if t not in stage_names}
        con.close()
        # second pass, timed, on a fresh connection: each materialized stage
        # once, as resmap computes it once per session, then the query
        con, columns, failed = connect(warehouse, reference_dir)
        started = time.perf_counter()
        for stage, body in needed:
            con.execute(f"INSERT INTO {stage} SELECT * FROM ({body})")
        rows = con.execute(sql).fetchall()
        seconds = time.perf_counter() - started
    except Exception as e:
        return {"error": str(e).splitlines()[0]}
    return {"seconds": seconds, "rows": len(rows), "scans": scans, "views_failed": failed}


def run_ingest(manifest, out_dir):
    import duckdb

    manifest = Path(manifest)
    base = manifest.parent
    jobs = {}
    for line in manifest.read_text().splitlines()[1:]:
        mapping, district, year, file = line.split(",")
        jobs.setdefault(mapping, []).append((file, district, int(year)))
    con = duckdb.connect()
    for m in MACROS:
        con.execute(m)
    out_dir = Path(out_dir)
    if out_dir.exists():
        import shutil
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    started = time.perf_counter()
    written = 0
    for mapping, files in jobs.items():
        text = (ROOT / "sql" / "mappings" / f"{mapping}.sql").read_text()
        select = translate("\n".join(l for l in text.splitlines() if not l.startswith("-- ")))
        paths = ", ".join(f"'{base / f}'" for f, _, _ in files)
        values = ", ".join(f"('{f}', '{d}', {y})" for f, d, y in files)
        raw = (
            f"(SELECT r.*, m.district_id, m.school_year FROM (SELECT *, "
            f"parse_filename(filename) AS _file, "
            f"row_number() OVER (PARTITION BY filename) + 1 AS _line "
            f"FROM read_csv([{paths}], all_varchar = true, header = true, filename = true, "
            f"union_by_name = true)) r JOIN (VALUES {values}) m(f, district_id, school_year) "
            f"ON m.f = r._file)"
        )
        lowered = re.sub(r"\bFROM\s+raw\b", f"FROM {raw} AS raw", select, flags=re.I)
        lowered = re.sub(r"^\s*SELECT\b", "SELECT raw.district_id, raw.school_year,", lowered, count=1, flags=re.I)
        target = out_dir / mapping
        con.execute(
            f"COPY ({lowered}) TO '{target}' (FORMAT parquet, PARTITION_BY (district_id, school_year))"
        )
        written += con.execute(f"SELECT count(*) FROM read_parquet('{target}/**/*.parquet')").fetchone()[0]
    return {"seconds": time.perf_counter() - started, "rows": written}


def _subprocess(args):
    p = subprocess.Popen([sys.executable, __file__] + args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return {"error": err.strip()[-1000:]}
    res = json.loads(out)
    res["peak_mib"] = usage.ru_maxrss / 1024.0
    return res


def query_in_subprocess(warehouse, reference_dir, name, params):
    return _subprocess(["query", str(warehouse), str(reference_dir), name, json.dumps(params)])


def ingest_in_subprocess(manifest, out_dir):
    res = _subprocess(["ingest", str(manifest), str(out_dir)])
    if "error" in res:
        raise RuntimeError("DuckDB ingest failed: " + res["error"])
    return res["seconds"], res["peak_mib"], res["rows"]


def export_reference(binary, warehouse, out_dir):
    """Reference tables, and canonical tables the warehouse has not written,
    as Parquet files DuckDB can read (written by resmap, so types agree)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    materialized = set()
    for f in view_files():
        materialized |= set(re.findall(r"CREATE\s+MATERIALIZED\s+VIEW\s+(\w+)", f.read_text(), re.I))
    cmd = [str(binary), "-w", str(warehouse), "--no-rc", "--format", "csv", "-c",
           "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
           "AND table_schema = 'public'"]
    names = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split()[1:]
    script = []
    for n in names:
        if n in materialized or (Path(warehouse) / n / "_delta_log").is_dir():
            continue
        script.append(f"COPY (SELECT * FROM {n}) TO '{out_dir / (n + '.parquet')}';")
    subprocess.run([str(binary), "-w", str(warehouse), "--no-rc", "-q"], input="\n".join(script),
                   text=True, check=True, capture_output=True)


if __name__ == "__main__":
    verb = sys.argv[1]
    if verb == "query":
        print(json.dumps(run_query(sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5]))))
    elif verb == "ingest":
        print(json.dumps(run_ingest(sys.argv[2], sys.argv[3])))
    elif verb == "views":
        con, columns, failed = connect(sys.argv[2], sys.argv[3])
        print(json.dumps(failed, indent=1))
    else:
        sys.exit(f"unknown verb {verb}")
