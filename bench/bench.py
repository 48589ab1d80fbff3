#!/usr/bin/env python3
"""resmap against DuckDB and a plain scan, on the same files, in one run.

For each scale factor: generates the state's exports (`resmap generate
--scale`), then times

- ingest: `resmap ingest --manifest` (every mapping, one commit each) against
  DuckDB running the same mappings' SQL (bench/duckdb_compat.py translates
  our parse functions into DuckDB expressions) from the same CSV files to
  partitioned Parquet; the floor is reading the same CSV files in resmap;
- the canned metric suite, the resource map's allocation queries and the
  equity statistics: the canned query's SQL with its parameters filled in,
  on resmap's warehouse, and on DuckDB over the warehouse's own Parquet files
  with our views (sql/views) translated; the floor is resmap scanning the
  columns DuckDB's plan of the same query reads (EXPLAIN ANALYZE of the
  projection, which reads every row and returns none).

Each figure is the median of --runs runs, each run a fresh process (no cache
carries over); query times are taken inside the process around the query
only (resmap's \\timing, Python's perf_counter around DuckDB's execute and
fetch), so neither side pays for starting up. Peak memory is the process's
maximum resident set (wait4). Prints a Markdown table per scale factor and
writes it, with the raw figures as JSON, under --work.

Usage: bench/run [--scales 1 10] [--runs 3] [--work target/bench]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb_compat

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2024

# Canned queries timed, by item group, with their parameters (DISTRICT is the
# scale's largest district).
SUITE = [
    ("metrics", "district_overview", {}),
    ("metrics", "class_size", {"district": "DISTRICT", "year": YEAR}),
    ("metrics", "students_per_teacher", {"district": "DISTRICT", "year": YEAR}),
    ("metrics", "ledger_totals", {}),
    ("metrics", "payroll_by_school", {"district": "DISTRICT", "year": YEAR}),
    ("metrics", "spending_by_function", {"district": "DISTRICT"}),
    ("allocation", "school_spending", {"district": "DISTRICT", "year": YEAR}),
    ("allocation", "resource_map_reconciliation", {}),
    ("allocation", "student_cost_by_group", {"district": "DISTRICT", "year": YEAR}),
    ("equity", "school_equity", {"district": "DISTRICT", "year": YEAR}),
]


def run_measured(cmd, env=None, stdin_text=None):
    """Like run_process, with the child's peak RSS from wait4."""
    started = time.perf_counter()
    p = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    if stdin_text is not None:
        p.stdin.write(stdin_text)
        p.stdin.close()
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    return out, err, wall, usage.ru_maxrss / 1024.0, p.returncode


class Resmap:
    def __init__(self, binary, warehouse, memory_limit=None):
        self.binary = str(binary)
        self.warehouse = str(warehouse)
        self.memory_limit = memory_limit

    def args(self):
        a = [self.binary, "-w", self.warehouse, "--no-rc", "--format", "csv"]
        if self.memory_limit:
            a += ["--memory-limit", self.memory_limit]
        return a

    def timed_statement(self, statement):
        """(seconds inside the shell, rows, peak RSS MiB) of one statement in
        a fresh process."""
        script = "\\timing on\n" + statement + "\n"
        out, err, _, rss, code = run_measured(self.args(), stdin_text=script)
        if code != 0:
            raise RuntimeError(f"resmap failed on {statement[:80]!r}: {err.strip()[-2000:]}")
        m = re.findall(r"^(\d+) rows?; ([0-9.]+) s$", err, re.M)
        if not m:
            raise RuntimeError(f"no timing from resmap for {statement[:80]!r}: {err[-500:]}")
        rows, secs = m[-1]
        return float(secs), int(rows), rss, out


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def ratio(a, b):
    return a / b if b and b > 0 else float("nan")


def largest_district(manifest):
    sizes = {}
    for line in Path(manifest).read_text().splitlines()[1:]:
        mapping, district, year, file = line.split(",")
        if mapping == "demo_students" and int(year) == YEAR:
            path = Path(manifest).parent / file
            sizes[district] = sum(1 for _ in open(path)) - 1
    return max(sizes, key=sizes.get)


def bench_scale(sf, args, binary, results):
    work = Path(args.work) / f"sf{sf:g}"
    exports = work / "exports"
    manifest = exports / "manifest.csv"
    row = {"sf": sf, "items": []}
    if not manifest.is_file():
        shutil.rmtree(exports, ignore_errors=True)
        out, err, wall, rss, code = run_measured(
            [str(binary), "-q", "generate", "--scale", f"{sf:g}", "--out", str(exports)]
        )
        if code != 0:
            sys.exit(f"generate failed: {err}")
        row["generate"] = {"seconds": wall, "peak_mib": rss}
    csv_bytes = sum(f.stat().st_size for f in exports.glob("*.csv"))
    row["csv_mib"] = csv_bytes / 2**20
    district = largest_district(manifest)
    row["district"] = district

    # --- ingest -------------------------------------------------------------
    wh = work / "warehouse"
    times, peaks = [], []
    for r in range(args.ingest_runs):
        shutil.rmtree(wh, ignore_errors=True)
        shutil.rmtree(work / "rejects", ignore_errors=True)
        out, err, wall, rss, code = run_measured(
            [str(binary), "-q", "-w", str(wh), "ingest", "--manifest", str(manifest),
             "--rejects", str(work / "rejects")]
        )
        if code != 0:
            sys.exit(f"ingest failed: {err}")
        times.append(wall)
        peaks.append(rss)
    rows_written = sum(int(m) for m in re.findall(r"wrote (\d+),", out))
    duck_times, duck_peaks, duck_rows = [], [], None
    for r in range(args.ingest_runs):
        secs, rss, duck_rows = duckdb_compat.ingest_in_subprocess(manifest, work / "duck_ingest")
        duck_times.append(secs)
        duck_peaks.append(rss)
    # the floor: reading every file's columns as text, as ingest reads them
    floor = []
    reader = Resmap(binary, wh)
    kinds = sorted({p.name.split("_", 2)[2] for p in exports.glob("D*_20??_*.csv")})
    for r in range(args.ingest_runs):
        secs = 0.0
        for kind in kinds:
            first = next(exports.glob(f"D*_20??_{kind}"))
            header = first.open().readline().strip().split(",")
            cols = ", ".join(f'"{c}" VARCHAR' for c in header)
            s, _, _, _ = reader.timed_statement(
                f"CREATE EXTERNAL TABLE raw_files ({cols}) STORED AS CSV "
                f"LOCATION '{exports}/D*_20??_{kind}' OPTIONS ('format.has_header' 'true');\n"
                f"EXPLAIN ANALYZE SELECT * FROM raw_files;"
            )
            secs += s
        floor.append(secs)
    row["items"].append(item("ingest", "all mappings", times, peaks, duck_times,
                             duck_peaks, floor, rows_written, duck_rows))

    # --- queries --------------------------------------------------------------
    ref_dir = work / "reference"
    duckdb_compat.export_reference(binary, wh, ref_dir)
    for group, name, params in SUITE:
        params = {k: (district if v == "DISTRICT" else v) for k, v in params.items()}
        run_line = "\\run " + name + " " + " ".join(f"{k}={v}" for k, v in params.items())
        r_times, r_peaks, r_rows = [], [], 0
        for _ in range(args.runs):
            secs, rows, rss, _ = Resmap(binary, wh).timed_statement(run_line)
            r_times.append(secs)
            r_peaks.append(rss)
            r_rows = rows
        d_times, d_peaks, d_rows, scans = [], [], None, None
        for _ in range(args.runs):
            res = duckdb_compat.query_in_subprocess(wh, ref_dir, name, params)
            if "error" in res:
                d_times = None
                print(f"  duckdb cannot run {name}: {res['error'][:300]}", file=sys.stderr)
                break
            d_times.append(res["seconds"])
            d_peaks.append(res["peak_mib"])
            d_rows = res["rows"]
            scans = res["scans"]
        f_times = []
        if scans:
            for _ in range(args.runs):
                total = 0.0
                for table, columns in scans.items():
                    cols = ", ".join(f'"{c}"' for c in columns) if columns else "*"
                    s, _, _, _ = Resmap(binary, wh).timed_statement(
                        f"EXPLAIN ANALYZE SELECT {cols} FROM {table};"
                    )
                    total += s
                f_times.append(total)
        row["items"].append(item(group, name, r_times, r_peaks, d_times, d_peaks,
                                 f_times, r_rows, d_rows))
        print(f"  sf {sf:g} {name}: resmap {median(r_times):.3f} s, duckdb "
              f"{median(d_times) if d_times else float('nan'):.3f} s", file=sys.stderr)

    # --- the suite under a memory limit --------------------------------------
    if args.memory_limit and sf in args.memory_limit_scales:
        limited = []
        for group, name, params in SUITE:
            params = {k: (district if v == "DISTRICT" else v) for k, v in params.items()}
            run_line = "\\run " + name + " " + " ".join(f"{k}={v}" for k, v in params.items())
            try:
                secs, rows, rss, _ = Resmap(binary, wh, args.memory_limit).timed_statement(run_line)
                limited.append({"name": name, "seconds": secs, "rows": rows, "peak_mib": rss})
            except RuntimeError as e:
                limited.append({"name": name, "error": str(e)[-400:]})
        row["memory_limited"] = {"limit": args.memory_limit, "items": limited}
    results.append(row)
    return row


def item(group, name, r_times, r_peaks, d_times, d_peaks, f_times, r_rows, d_rows):
    return {
        "group": group,
        "name": name,
        "resmap_s": median(r_times),
        "resmap_runs": r_times,
        "resmap_peak_mib": max(r_peaks) if r_peaks else None,
        "duckdb_s": median(d_times) if d_times else None,
        "duckdb_runs": d_times,
        "duckdb_peak_mib": max(d_peaks) if d_peaks else None,
        "floor_s": median(f_times) if f_times else None,
        "rows": r_rows,
        "duckdb_rows": d_rows,
    }


def markdown(row):
    lines = [
        f"### SF {row['sf']:g} ({row['csv_mib']:.0f} MiB of CSV; district parameter {row['district']})",
        "",
        "| item | query | resmap s | DuckDB s | resmap / DuckDB | scan floor s | resmap / floor | resmap peak MiB | DuckDB peak MiB | rows (resmap / DuckDB) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for it in row["items"]:
        d = it["duckdb_s"]
        f = it["floor_s"]
        lines.append(
            "| {g} | {n} | {r:.3f} | {d} | {rd} | {f} | {rf} | {rp:.0f} | {dp} | {rows} / {drows} |".format(
                g=it["group"], n=it["name"], r=it["resmap_s"],
                d=f"{d:.3f}" if d is not None else "n/a",
                rd=f"{ratio(it['resmap_s'], d):.2f}" if d else "n/a",
                f=f"{f:.3f}" if f is not None else "n/a",
                rf=f"{ratio(it['resmap_s'], f):.2f}" if f else "n/a",
                rp=it["resmap_peak_mib"] or 0,
                dp=f"{it['duckdb_peak_mib']:.0f}" if it["duckdb_peak_mib"] else "n/a",
                rows=it["rows"], drows=it["duckdb_rows"] if it["duckdb_rows"] is not None else "n/a",
            )
        )
    if "generate" in row:
        g = row["generate"]
        lines += ["", f"Generating the exports took {g['seconds']:.1f} s (peak {g['peak_mib']:.0f} MiB)."]
    if "memory_limited" in row:
        m = row["memory_limited"]
        ok = [i for i in m["items"] if "error" not in i]
        lines += ["", f"Under `--memory-limit {m['limit']}`: {len(ok)} of {len(m['items'])} queries completed; "
                  f"peak RSS {max((i['peak_mib'] for i in ok), default=0):.0f} MiB, "
                  f"total {sum(i['seconds'] for i in ok):.1f} s."]
        for i in m["items"]:
            if "error" in i:
                lines.append(f"- {i['name']}: {i['error']}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scales", nargs="+", type=float, default=[1, 10])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--ingest-runs", type=int, default=3)
    ap.add_argument("--work", default=str(ROOT / "target" / "bench"))
    ap.add_argument("--binary", default=str(ROOT / "target" / "release" / "resmap"))
    ap.add_argument("--memory-limit", default="2GB")
    ap.add_argument("--memory-limit-scales", nargs="*", type=float, default=[10])
    args = ap.parse_args()
    Path(args.work).mkdir(parents=True, exist_ok=True)
    results = []
    for sf in args.scales:
        print(f"scale factor {sf:g}", file=sys.stderr)
        row = bench_scale(sf, args, Path(args.binary), results)
        text = markdown(row)
        print(text + "\n", flush=True)
        (Path(args.work) / f"results-sf{sf:g}.md").write_text(text + "\n")
    (Path(args.work) / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
