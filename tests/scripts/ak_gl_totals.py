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
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ak_ledgers import FILES, lines as ledger_lines  # noqa: E402

real = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real") / "ak_district_gl"
print("district_id,school_year,lines,actual_total,budget_total,encumbrance_total,expenditure_total")
for district, (stem, kind) in sorted(FILES.items()):
    for yy, year in (("19", 2019), ("20", 2020)):
        lines = 0
        totals = {"actual": Decimal(0), "budget": Decimal(0), "encumbrance": Decimal(0)}
        seen = {"actual": False, "budget": False, "encumbrance": False}
        spent = Decimal(0)
        for line_type, amount, r in ledger_lines(real, stem, kind, yy):
            lines += 1
            totals[line_type] += amount
            seen[line_type] = True
            obj = r["Object_Code"].strip()
            if line_type == "actual" and obj.isdigit() and 300 <= int(obj) <= 599:
                spent += amount
        cells = [str(totals[k]) if seen[k] else "" for k in ("actual", "budget", "encumbrance")]
        print(f"{district},{year},{lines}," + ",".join(cells) + f",{spent}")
