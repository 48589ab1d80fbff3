#!/usr/bin/env python3
"""Independent totals of the Alpine School District (Utah) payroll export.

Reads ../shared/data/real/ut_alpine_payroll/alpine_sd_payroll_fy2022.csv and
alpine_sd_payroll_fy2023.csv with Python's csv module and exact Decimal
arithmetic, applying the rules sql/mappings/ut_alpine_payroll.sql states in
its header comment but none of resmap's code:

- every row counts; fiscal_year is the ending school year (FY2022 = 2021-22);
- the site (location_id) is the 3-digit code that begins org2
  ('704 - American Fork High' -> 704);
- rows with cat1 '100 SALARIES' are salaries, '200 EMPLOYEE BENEFITS'
  employer-paid benefits; anything else stops the script;
- net_amount is a plain decimal, possibly negative; a value written from a
  binary float ('547.4799999999999') counts as its cent only when within
  0.000001 of it; any other fraction of a cent stops the script.

Prints CSV: school_year,location_id,salaries,benefits,compensation for every
site in every year, sorted, then a TOTAL line per year (compensation =
salaries + benefits). These must equal, to the cent, SUM(gross) and
SUM(employer_benefits) of payroll_line grouped by school_year and location_id
after ingesting both files with the mapping.

Run from /work/main: python3 tests/scripts/alpine_payroll_totals.py ../shared/data/real
"""
import csv
import re
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

real = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real") / "ut_alpine_payroll"
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
SITE = re.compile(r"^([0-9]{3}) - ")
CENT = Decimal("0.01")


def money(text):
    t = text.strip()
    if not NUMBER.match(t):
        raise ValueError(f"net_amount {text!r} is not a number")
    v = Decimal(t)
    cents = v.quantize(CENT)
    if abs(v - cents) >= Decimal("0.000001"):
        raise ValueError(f"net_amount {text!r} has fractions of a cent")
    return cents


print("school_year,location_id,salaries,benefits,compensation")
for year in (2022, 2023):
    sal = defaultdict(Decimal)
    ben = defaultdict(Decimal)
    path = real / f"alpine_sd_payroll_fy{year}.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        for n, r in enumerate(csv.DictReader(fh), start=2):
            if r["fiscal_year"] != str(year):
                raise SystemExit(f"{path}:{n}: fiscal_year {r['fiscal_year']}")
            m = SITE.match(r["org2"])
            if not m:
                raise SystemExit(f"{path}:{n}: org2 {r['org2']!r}")
            site = m.group(1)
            amount = money(r["net_amount"])
            if r["cat1"] == "100 SALARIES":
                sal[site] += amount
                ben[site] += 0
            elif r["cat1"] == "200 EMPLOYEE BENEFITS":
                ben[site] += amount
                sal[site] += 0
            else:
                raise SystemExit(f"{path}:{n}: cat1 {r['cat1']!r}")
    for site in sorted(sal):
        print(f"{year},{site},{sal[site]},{ben[site]},{sal[site] + ben[site]}")
    ts, tb = sum(sal.values(), Decimal(0)), sum(ben.values(), Decimal(0))
    print(f"{year},TOTAL,{ts},{tb},{ts + tb}")
