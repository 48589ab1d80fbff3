#!/usr/bin/env python3
"""Independent school-vs-central attribution of the Alaska general ledgers.

Applies the chart-of-accounts crosswalk data/crosswalks/ak_uniform.csv to the
raw exports in ../shared/data/real/ak_district_gl, using only the standard
library, exact Decimal arithmetic and none of resmap's code, so that resmap's
own attribution of these ledgers can be checked against it.

Run from /work/main:

    python3 tests/scripts/ak_attribution.py ../shared/data/real data/crosswalks/ak_uniform.csv

Reading rules (tests/scripts/ak_ledgers.py, shared with ak_gl_totals.py; they
restate the header comments of sql/mappings/ak_gl_*.sql):

- Aleutian Region (ARSD): every line, signed `amount`.
- Copper River (CRSD), Delta/Greely (DGSD): lines with Budget, Encumbrance and
  Amount all blank are headings (skipped); a Reference_Type outside P, J, R,
  O, B or blank marks a shifted line (skipped), as does a money field that is
  not a number; B lines are budget, lines with Amount 0 and an Encumbrance are
  encumbrances, the rest actual (Amount).
- Chugach (CSD): FY2019 only Post_Type Actual lines; FY2020 every line.
- Craig City, Kake City, Valdez City: every line, `Amount`.
Only actual lines with a non-blank amount are used.

Codes, as gl_line carries them: Fund_Code, Function_Code, Object_Code,
Program_Code and School_Code trimmed, a trailing ".0" dropped and numeric
codes left-padded with zeros to 3 characters (pad_code); Craig's site is the
empty `Site` column; Valdez's function is `Account`, its site `Org` (trimmed,
not padded) and its program `Project`.

One deliberate difference: in the ARSD and DGSD exports the columns headed
Function_Code and School_Code are swapped (ARSD "Function_Code" holds sites
099/302/315/316 and "School_Code" functions 100..900; DGSD "Function_Code"
holds sites 549..569 and "School_Code" functions 100..900). This script reads
them the right way round (SWAPPED below); the crosswalk is written for that.

Crosswalk matching, per dimension (fund, function, object, location): a row
applies when its chart is ak_uniform, its district_id is empty or the line's
district, and its pattern matches the code (`(blank)` matches an empty code;
a pattern with % or _ is an SQL LIKE pattern; otherwise it must equal the
code). Among matching rows, a district-specific row beats a chart-wide one,
an exact code beats a pattern, and a longer pattern beats a shorter one; a
tie among the best rows is an error.

A line is `excluded` when its fund, function or object row has level
excluded; otherwise `school_direct` when its location row has level school;
otherwise `central`. Codes no row matches are listed on stderr (they count as
not excluded, and a location without a row as central).

Prints, per district and school year:
district_id,school_year,actual_total,excluded,school_direct,central,current_total,share_to_schools
with current_total = school_direct + central and share_to_schools =
school_direct / current_total rounded half-up to 4 decimals (empty if 0).
"""
import csv
import re
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ak_ledgers import FILES as files, lines as ledger_lines  # noqa: E402

real = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real") / "ak_district_gl"
crosswalk_path = Path(sys.argv[2] if len(sys.argv) > 2 else "data/crosswalks/ak_uniform.csv")
CHART = "ak_uniform"
SWAPPED = {"ARSD", "DGSD"}  # exports whose Function_Code and School_Code columns are swapped


def pad_code(text, width=3):
    c = (text or "").strip()
    if c == "":
        return ""
    if c.endswith(".0") and c[:-2].isdigit() and c[:-2] != "":
        c = c[:-2]
    if c.isdigit() and len(c) < width:
        return c.zfill(width)
    return c


def actual_lines(stem, kind, yy):
    """Yields (amount, {dimension: code}) for the actual lines of one file."""
    for line_type, amount, r in ledger_lines(real, stem, kind, yy):
        if line_type != "actual":
            continue
        if stem == "Valdez":
            function, location = pad_code(r["Account"]), (r["Org"] or "").strip()
        elif stem == "CraigCity":
            function, location = pad_code(r["Function_Code"]), pad_code(r["Site"])
        elif stem in SWAPPED:
            function, location = pad_code(r["School_Code"]), pad_code(r["Function_Code"])
        else:
            function, location = pad_code(r["Function_Code"]), pad_code(r["School_Code"])
        codes = {
            "fund": pad_code(r["Fund_Code"]),
            "function": function,
            "object": pad_code(r["Object_Code"]),
            "location": location,
        }
        yield amount, codes


def like(pattern):
    return re.compile("^" + "".join(
        ".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern) + "$", re.S)


class Crosswalk:
    def __init__(self, path):
        self.rows = defaultdict(list)  # dimension -> rows
        with open(path, newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if r["chart"] != CHART:
                    continue
                p = r["pattern"]
                r["_exact"] = p == "(blank)" or ("%" not in p and "_" not in p)
                r["_re"] = None if r["_exact"] else like(p)
                self.rows[r["dimension"]].append(r)
        self.cache = {}

    def match(self, district, dimension, code):
        key = (district, dimension, code)
        if key in self.cache:
            return self.cache[key]
        best, best_rank, tied = None, None, False
        for r in self.rows[dimension]:
            if r["district_id"] not in ("", district):
                continue
            p = r["pattern"]
            if p == "(blank)":
                ok = code == ""
            elif r["_exact"]:
                ok = code == p
            else:
                ok = code != "" and r["_re"].match(code) is not None
            if not ok:
                continue
            rank = (r["district_id"] != "", r["_exact"], len(p), sum(ch not in "%_" for ch in p))
            if best_rank is None or rank > best_rank:
                best, best_rank, tied = r, rank, False
            elif rank == best_rank:
                tied = True
        if tied:
            raise SystemExit(f"crosswalk tie for {district} {dimension} {code!r}")
        self.cache[key] = best
        return best


def half_up(v):
    return v.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def main():
    xw = Crosswalk(crosswalk_path)
    unmatched = defaultdict(Decimal)
    print("district_id,school_year,actual_total,excluded,school_direct,central,current_total,share_to_schools")
    for district, (stem, kind) in sorted(files.items()):
        for yy, year in (("19", 2019), ("20", 2020)):
            t = {"actual": Decimal(0), "excluded": Decimal(0), "school": Decimal(0), "central": Decimal(0)}
            for amount, codes in actual_lines(stem, kind, yy):
                t["actual"] += amount
                rows = {}
                for dim, code in codes.items():
                    rows[dim] = xw.match(district, dim, code)
                    if rows[dim] is None:
                        unmatched[(district, dim, code)] += amount
                if any(rows[d] is not None and rows[d]["level"] == "excluded"
                       for d in ("fund", "function", "object")):
                    t["excluded"] += amount
                elif rows["location"] is not None and rows["location"]["level"] == "school":
                    t["school"] += amount
                else:
                    t["central"] += amount
            assert t["actual"] == t["excluded"] + t["school"] + t["central"]
            current = t["school"] + t["central"]
            share = str(half_up(t["school"] / current)) if current != 0 else ""
            print(f"{district},{year},{t['actual']},{t['excluded']},{t['school']},{t['central']},{current},{share}")
    for (district, dim, code), amount in sorted(unmatched.items()):
        print(f"unmatched: {district} {dim} {code!r} {amount}", file=sys.stderr)


if __name__ == "__main__":
    main()
