#!/usr/bin/env python3
"""Derive the shapes of the scaled generator's districts from a real state.

Reads the Texas TAPR 2024-25 campus file (every public campus of a state of
5.5 million students: 1,200 districts, most of them small, a few very large)
and writes district_shapes.csv beside this script: per district its
enrollment and its number of elementary, middle and high campuses, sorted by
enrollment. Run from the repository root:

    python3 data/generator/derive_shapes.py ../shared/data/real

`resmap generate --scale SF` draws its districts from this file (embedded in
the binary): at SF 100 every district once, at SF 1 every hundredth of them
in order of size, so each scale keeps the state's mix of district sizes.
"""
import csv
import sys
from collections import defaultdict
from pathlib import Path

real = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real")
campus_file = real / "tx_tapr_2024_25/tx_campus_tapr_2024_25.csv"
districts = defaultdict(lambda: {"enrollment": 0, "elementary": 0, "middle": 0, "high": 0})
campuses = 0
for row in csv.DictReader(open(campus_file, newline="", encoding="utf-8")):
    try:
        enrolled = int(row["enrollment"])
    except ValueError:
        continue
    if enrolled <= 0:
        continue
    campuses += 1
    d = districts[row["district_number"]]
    d["enrollment"] += enrolled
    kind = row["school_type"]
    if kind == "Elementary School":
        d["elementary"] += 1
    elif kind in ("Middle School", "Junior High School"):
        d["middle"] += 1
    elif kind == "High School":
        d["high"] += 1
    # Elementary/Secondary and Other campuses (K-12, alternative, JJAEP)
    # count toward no level; every district gets at least one of each below.

out = Path(__file__).with_name("district_shapes.csv")
rows = sorted(districts.values(), key=lambda d: d["enrollment"])
with open(out, "w", newline="", encoding="utf-8") as f:
    f.write(
        f"# Derived by data/generator/derive_shapes.py from {campus_file.name} "
        f"({campuses} campuses with students, {len(rows)} districts, "
        f"{sum(d['enrollment'] for d in rows)} students); do not edit by hand.\n"
    )
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["enrollment", "elementary", "middle", "high"])
    for d in rows:
        w.writerow([d["enrollment"], max(d["elementary"], 1), max(d["middle"], 1), max(d["high"], 1)])
print(f"wrote {out}: {len(rows)} districts")
