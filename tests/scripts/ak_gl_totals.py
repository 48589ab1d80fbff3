#!/usr/bin/env python3
"""Independent totals of the Alaska general ledgers, for tests/integration/real_data.rs.

Reads ../shared/data/real/ak_district_gl with Python's csv module and exact
Decimal arithmetic, applying the rules each bundled mapping states in its
header comment, but none of resmap's code:

- Aleutian Region: every line, signed `amount`.
- Copper River, Delta/Greely: lines with all of Budget, Encumbrance and Amount
  blank are headings (excluded); a Reference_Type outside P, J, R, O, B or
  blank marks a shifted line (rejected), as does a money field that is not a
  number; B lines are budget (Budget), lines with Amount 0 and an Encumbrance
  are encumbrances, the rest actual (Amount).
- Chugach FY2019: only Post_Type Actual lines; FY2020 every line.
- Craig City, Kake City, Valdez City: every line, `Amount`.

Prints, per district and year: lines loaded, actual, budget and encumbrance
totals, and actual spending on expenditure objects (Alaska uniform chart
objects 300-599: salaries, benefits, services, supplies, capital). Run: python3 tests/scripts/ak_gl_totals.py ../shared/data/real
"""
import csv
import re
import sys
from decimal import Decimal
from pathlib import Path

real = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real") / "ak_district_gl"
MONEY = re.compile(r"^\(?-?\$?[0-9]{1,3}(,[0-9]{3})*(\.[0-9]{1,2})?\)?$|^\(?-?\$?[0-9]+(\.[0-9]{1,2})?\)?$")


def money(text):
    t = text.strip().replace("$", "").strip()
    if t == "":
        return None
    if not MONEY.match(t):
        raise ValueError(text)
    neg = t.startswith("(") or t.startswith("-")
    t = t.strip("()").lstrip("-").replace(",", "")
    v = Decimal(t)
    return -v if neg else v


files = {
    "0200010": ("ARSD", "signed"),
    "0200070": ("CRSD", "budget"),
    "0200100": ("DGSD", "budget"),
    "0200800": ("CSD", "chugach"),
    "0200090": ("CraigCity", "plain"),
    "0200360": ("KakeCity", "plain"),
    "0200780": ("Valdez", "plain"),
}
print("district_id,school_year,lines,actual_total,budget_total,encumbrance_total,expenditure_total")
for district, (stem, kind) in sorted(files.items()):
    for yy, year in (("19", 2019), ("20", 2020)):
        lines = 0
        totals = {"actual": Decimal(0), "budget": Decimal(0), "encumbrance": Decimal(0)}
        seen = {"actual": False, "budget": False, "encumbrance": False}
        spent = Decimal(0)
        with open(real / f"{stem}{yy}.csv", newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if kind == "signed":
                    line_type, amount = "actual", money(r["amount"])
                elif kind == "budget":
                    b, e, a = r["Budget"].strip(), r["Encumbrance"].strip(), r["Amount"].strip()
                    if b == "" and e == "" and a == "":
                        continue
                    if r["Reference_Type"].strip() not in ("P", "J", "R", "O", "B", ""):
                        continue
                    try:
                        if r["Reference_Type"] == "B":
                            line_type, amount = "budget", money(b)
                        elif money(a) == 0 and (money(e) or 0) != 0:
                            line_type, amount = "encumbrance", money(e)
                        else:
                            line_type, amount = "actual", money(a)
                    except ValueError:
                        continue
                elif kind == "chugach":
                    if yy == "19" and r["Post_Type"] != "Actual":
                        continue
                    line_type, amount = "actual", money(r["Amount"])
                else:
                    line_type, amount = "actual", money(r["Amount"])
                if amount is None:
                    continue
                lines += 1
                totals[line_type] += amount
                seen[line_type] = True
                obj = r["Object_Code"].strip()
                if line_type == "actual" and obj.isdigit() and 300 <= int(obj) <= 599:
                    spent += amount
        cells = [str(totals[k]) if seen[k] else "" for k in ("actual", "budget", "encumbrance")]
        print(f"{district},{year},{lines}," + ",".join(cells) + f",{spent}")
