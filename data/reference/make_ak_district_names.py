#!/usr/bin/env python3
"""Writes data/reference/ak_district_leaid.csv: each Alaska district's NCES LEA id
beside its name as ../shared/data/real/ak_district_gl/DistrictsNodes.csv writes it,
so the mapping ak_deed_district_nodes can give those rows resmap's district ids.

Names come from the CCD school directory 2019-20 (lea_name, leaid for state AK);
a DistrictsNodes name matches the CCD name that is the same once lower-cased and
stripped of "school district", "borough", "city", "public schools", "schools"
and non-letters, or that begins with it (Mount Edgecumbe -> Mount Edgecumbe High
School Agency). Every DistrictsNodes name must match exactly one CCD name.

Run from the repository root: python3 data/reference/make_ak_district_names.py ../shared/data/real
"""
import csv
import re
import sys
from pathlib import Path

real = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real")


def norm(s):
    s = s.lower()
    for w in ("school district", "borough", "city", "public schools", "schools"):
        s = s.replace(w, "")
    return re.sub(r"[^a-z]", "", s)


ccd = {}
with open(real / "ccd_school_directory_2019" / "ccd_school_directory_2019_20.csv", newline="", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        if r["state_location"] == "AK":
            ccd[r["lea_name"]] = r["leaid"]
rows = []
with open(real / "ak_district_gl" / "DistrictsNodes.csv", newline="", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        name = r["District_Name"]
        hits = [k for k in ccd if norm(k) == norm(name)] or [k for k in ccd if norm(k).startswith(norm(name))]
        if len(hits) != 1:
            sys.exit(f"{name}: {hits}")
        rows.append((ccd[hits[0]], hits[0], name))
out = Path(__file__).with_name("ak_district_leaid.csv")
with open(out, "w", newline="") as fh:
    fh.write("# Alaska districts' NCES LEA ids (CCD school directory 2019-20) beside their names in\n")
    fh.write("# ../shared/data/real/ak_district_gl/DistrictsNodes.csv; written by make_ak_district_names.py.\n")
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["leaid", "ccd_name", "nodes_name"])
    w.writerows(sorted(rows))
print(f"wrote {out}: {len(rows)} districts")
