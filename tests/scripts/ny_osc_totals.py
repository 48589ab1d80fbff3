#!/usr/bin/env python3
"""Independent per-year totals of the NY State Comptroller school district files.

Reads the raw OSC level-two files leveltwo12.csv .. leveltwo22.csv in
../shared/data/real/ny_osc_school_district_finance with only the standard
library (csv, exact Decimal) and none of resmap's code, so that what
sql/mappings/ny_osc_finance.sql loads into district_profile can be checked
against it.

Run from /work/main:

    python3 tests/scripts/ny_osc_totals.py ../shared/data/real

Prints CSV, per school year: districts, the sum of Enrollment, the sum of
Total Expenditures and the sum of total revenues; then, per year, Buffalo City
School District's (Muni Code 140507000000) Enrollment and Total Expenditures.

Compare with:

    resmap -w W --format csv -c "SELECT school_year, count(*), sum(enrollment),
        sum(total_expenditure), sum(total_revenue) FROM district_profile
        WHERE source = 'ny_osc_finance' GROUP BY 1 ORDER BY 1"

Reading rules:

- A district row is a record whose first field is a 12-digit Muni Code; the
  footnote lines at the end of each file ('Not Filed under Revenues - ...')
  are not districts.
- school_year = the calendar year of the Fiscal Year End Date, which is June
  30 in every row ('2015-06-30 00:00:00' up to FY2017, '06/30/2018' after).
- FY2015-22 files have a header line; columns are found by name. FY2012-14
  files have none: their layout is FY2015's (Muni Code, Entity Name, County,
  District Type, Fiscal Year End Date, Enrollment, ...) plus a last column
  Total Expenditures and Other Uses, so positions are used (HEADERLESS below).
- Total Expenditures is OSC's own figure, not a sum made here: the column so
  named in FY2019-22, and in FY2012-18 the column with a blank header right
  after Interest on Debt. Total revenues likewise is OSC's blank-headed
  subtotal right after Miscellaneous Federal Aid. (The mapping sums the detail
  columns instead; this script checks in every row that the detail columns
  add up to these subtotals, and stops if one does not.)
- Blank fields (FY2012-14 leave zeros blank) count as nothing; 'Not Filed'
  (FY2012 Raquette Lake UFSD) counts as nothing. Enrollment is summed where
  given.
"""

import csv
import os
import re
import sys
from decimal import Decimal

SUBDIR = "ny_osc_school_district_finance"
YEARS = range(12, 23)
BIG_DISTRICT = "140507000000"  # Buffalo City School District

# FY2012-14 (no header): 0-based positions in the FY2015-17 layout.
HEADERLESS = {
    "muni": 0,
    "name": 1,
    "date": 4,
    "enrollment": 5,
    "revenue_first": 8,  # Real Property Taxes
    "revenue_last": 84,  # Miscellaneous Federal Aid (58 is a blank subtotal)
    "total_revenues": 85,
    "exp_first": 92,  # Operations
    "exp_last": 176,  # Interest on Debt
    "total_expenditures": 177,
}


def money(text):
    t = text.strip()
    if t in ("", "Not Filed"):
        return Decimal(0)
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", t):
        raise ValueError(f"not money: {text!r}")
    return Decimal(t)


def layout(header):
    """Positions in a file with a header line."""
    h = [c.strip() for c in header]
    interest = h.index("Interest on Debt")
    misc_fed = h.index("Miscellaneous Federal Aid")
    pos = {
        "muni": h.index("Muni Code"),
        "name": h.index("Entity Name"),
        "date": h.index("Fiscal Year End Date"),
        "enrollment": h.index("Enrollment"),
        "revenue_first": h.index("Real Property Taxes"),
        "revenue_last": misc_fed,
        "total_revenues": misc_fed + 1,
        "exp_first": h.index("Operations"),
        "exp_last": interest,
    }
    if "Total Expenditures" in h:
        pos["total_expenditures"] = h.index("Total Expenditures")
    else:
        pos["total_expenditures"] = interest + 1
        assert h[interest + 1] == "", "expected the blank Total Expenditures column"
    assert h[misc_fed + 1] == "", "expected the blank total revenues column"
    return pos, h


def school_year(text):
    t = text.strip()
    m = re.fullmatch(r"(\d{4})-06-30( 00:00:00)?", t) or re.fullmatch(r"06/30/(\d{4})", t)
    if not m:
        raise ValueError(f"fiscal year does not end June 30: {text!r}")
    return int(m.group(1))


def read_year(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if re.fullmatch(r"\d{12}", rows[0][0].strip()):
        pos, names = HEADERLESS, None
        data = rows
    else:
        pos, names = layout(rows[0])
        data = rows[1:]
    out = []
    for r in data:
        if not re.fullmatch(r"\d{12}", r[pos["muni"]].strip()):
            continue  # footnote line
        revenue_detail = sum(
            (money(r[i]) for i in range(pos["revenue_first"], pos["revenue_last"] + 1)
             if names is None or names[i] != ""),
            Decimal(0),
        )
        # skip the blank local-revenue subtotal inside the revenue range
        if names is None:
            revenue_detail -= money(r[58])
        exp_detail = sum(
            (money(r[i]) for i in range(pos["exp_first"], pos["exp_last"] + 1)),
            Decimal(0),
        )
        total_rev = money(r[pos["total_revenues"]])
        total_exp = money(r[pos["total_expenditures"]])
        if revenue_detail != total_rev or exp_detail != total_exp:
            sys.exit(f"{path}: {r[pos['muni']]}: detail columns do not add up to OSC's totals")
        enr = r[pos["enrollment"]].strip()
        out.append({
            "muni": r[pos["muni"]].strip(),
            "name": r[pos["name"]].strip(),
            "year": school_year(r[pos["date"]]),
            "enrollment": Decimal(enr) if enr else None,
            "total_expenditures": total_exp,
            "total_revenues": total_rev,
        })
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    base = sys.argv[1]
    folder = base if os.path.basename(base.rstrip("/")) == SUBDIR else os.path.join(base, SUBDIR)
    per_year = {}
    big = {}
    for yy in YEARS:
        for row in read_year(os.path.join(folder, f"leveltwo{yy}.csv")):
            y = per_year.setdefault(row["year"], {"n": 0, "enr": Decimal(0), "exp": Decimal(0), "rev": Decimal(0)})
            y["n"] += 1
            y["enr"] += row["enrollment"] or 0
            y["exp"] += row["total_expenditures"]
            y["rev"] += row["total_revenues"]
            if row["muni"] == BIG_DISTRICT:
                big[row["year"]] = row
    print("school_year,districts,sum_enrollment,sum_total_expenditures,sum_total_revenues")
    for year in sorted(per_year):
        y = per_year[year]
        print(f"{year},{y['n']},{y['enr']},{y['exp']:.2f},{y['rev']:.2f}")
    print()
    print("school_year,district_id,district_name,enrollment,total_expenditures")
    for year in sorted(big):
        b = big[year]
        print(f"{year},{b['muni']},{b['name']},{b['enrollment']},{b['total_expenditures']:.2f}")


if __name__ == "__main__":
    main()
