#!/usr/bin/env python3
"""Independent equity statistics of one Texas district's campuses, for
tests/integration/metrics.rs.

Reads ../shared/data/real/tx_tapr_2024_25/tx_campus_tapr_2024_25.csv with
Python's csv module and, for the campuses of one district that publish both
a per-student spending figure in the chosen PEIMS category and an
economically disadvantaged share, with membership above zero, computes with
plain sums (pupil weights = membership; population variance; DOMAIN.md 6):
campuses, pupils, weighted mean, CV, Gini, McLoone (median unit split pro
rata), and the weighted correlation and slope of spending on the
economically disadvantaged share (percent / 100).

Run: python3 tests/scripts/tx_campus_equity.py ../shared/data/real 101912 school_leadership
"""
import csv
import math
import sys
from pathlib import Path

real, district, category = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
column = {
    "school_leadership": "school_leadership_af_per_student",
    "transportation": "transportation_af_per_student",
}[category]
units = []
with open(real / "tx_tapr_2024_25" / "tx_campus_tapr_2024_25.csv", newline="", encoding="utf-8") as fh:
    for row in csv.DictReader(fh):
        if row["district_number"] != district:
            continue
        x, n = row[column].strip(), row["campus_2025_student_membership_all_students_count"].strip()
        p = row["campus_2025_student_membership_econ_disadv_percent"].strip()
        if not x or not n or not p or float(n) <= 0:
            continue
        units.append((float(x), float(n), float(p) / 100))

N = sum(n for _, n, _ in units)
mu = sum(x * n for x, n, _ in units) / N
var = sum(n * (x - mu) ** 2 for x, n, _ in units) / N
units.sort()
gini = sum(a[1] * b[1] * abs(a[0] - b[0]) for a in units for b in units) / (2 * N * N * mu)
cum, median = 0.0, None
for x, n, _ in units:
    cum += n
    if cum >= 0.5 * N:
        median = x
        break
left, bottom = N / 2, 0.0
for x, n, _ in units:
    take = min(n, left)
    bottom += take * x
    left -= take
    if left <= 0:
        break
mp = sum(n * p for _, n, p in units) / N
cov = sum(n * (x - mu) * (p - mp) for x, n, p in units) / N
vp = sum(n * (p - mp) ** 2 for _, n, p in units) / N
print(f"campuses={len(units)} pupils={N:.0f} mean={mu:.2f} cv={math.sqrt(var) / mu:.4f} "
      f"gini={gini:.4f} mcloone={bottom / (median * N / 2):.4f} "
      f"corr={cov / math.sqrt(var * vp):.4f} slope={cov / vp:.2f}")
