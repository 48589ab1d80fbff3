"""The Alaska ledger reader shared by tests/scripts/ak_gl_totals.py and
ak_attribution.py: Python's csv module and Decimal, none of resmap's code.

It applies the rules each bundled mapping states in its header comment:

- Aleutian Region: every line, signed `amount`.
- Copper River, Delta/Greely: lines with all of Budget, Encumbrance and
  Amount blank are headings (skipped); a Reference_Type outside P, J, R, O, B
  or blank marks a shifted line (skipped), as does a money field that is not
  a number; B lines are budget (Budget), lines with Amount 0 and an
  Encumbrance are encumbrances, the rest actual (Amount).
- Chugach FY2019: only Post_Type Actual lines; FY2020 every line.
- Craig City, Kake City, Valdez City: every line, `Amount`.
"""
import csv
import re
from decimal import Decimal

MONEY = re.compile(r"^\(?-?\$?[0-9]{1,3}(,[0-9]{3})*(\.[0-9]{1,2})?\)?$|^\(?-?\$?[0-9]+(\.[0-9]{1,2})?\)?$")

# district id -> (file stem, layout)
FILES = {
    "0200010": ("ARSD", "signed"),
    "0200070": ("CRSD", "budget"),
    "0200100": ("DGSD", "budget"),
    "0200800": ("CSD", "chugach"),
    "0200090": ("CraigCity", "plain"),
    "0200360": ("KakeCity", "plain"),
    "0200780": ("Valdez", "plain"),
}


def money(text):
    """Exact dollars from '3,276.25', '$89,821', '(12.50)'; None for blank."""
    t = text.strip().replace("$", "").strip()
    if t == "":
        return None
    if not MONEY.match(t):
        raise ValueError(text)
    neg = t.startswith("(") or t.startswith("-")
    t = t.strip("()").lstrip("-").replace(",", "")
    v = Decimal(t)
    return -v if neg else v


def lines(folder, stem, kind, yy):
    """Yields (line_type, amount, row) for the lines one export contributes."""
    with open(folder / f"{stem}{yy}.csv", newline="", encoding="utf-8") as fh:
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
            yield line_type, amount, r
