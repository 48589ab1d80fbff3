#!/usr/bin/env python3
"""Independent check of one demo school's ESSA per-pupil expenditure (definition essa_ppe).

Reads the raw export files that `resmap generate --out EXPORTS` writes (DISTRICT_YEAR_gl.csv,
_payroll.csv, _enrollment.csv, _assignments.csv, _schools.csv, _students.csv) and the
reference CSVs under data/ (found relative to this script), using only the Python standard
library and exact arithmetic (fractions.Fraction). No resmap code or warehouse is used, so
a test can compare this figure with what resmap computes.

Rules (what resmap's essa_ppe is meant to do):
 1. GL lines with EntryType ACT only. Account = fund-function-object-program-location;
    amounts like "1,234.56", "(1,234.56)" = negative, "$1,234.56".
 2. Crosswalk (data/crosswalks/nces.csv + demo.csv): fund 10/20/30/40.. -> NCES 1/2/3/4..;
    fund source from the fund row (NCES 2 = federal, everything else state_local);
    function/object/program as they are; program 120 -> NCES 100 with category teaching_ell;
    location 000 or blank = central, any other location = the school of that id.
 3. essa_ppe exclusions (data/reference/spending_exclusion.csv): fund 3,4,7,8,9; function
    31__ unless fund 1; functions 32__, 33__, 4___, 5___; objects 7__, 83_, 56_, 9__;
    programs 5__-8__.
 4. Category: longest matching pattern of data/reference/nces_function_level.csv on the
    function; instruction (teaching_general) with program 2__ -> teaching_special_ed, demo
    program 120 -> teaching_ell.  5. Personnel = object 1__ or 2__.
 6. Payroll step: GL personnel lines in scope are bucketed by (NCES fund, function, kind),
    kind = salaries (object 1__) or benefits (2__). If payroll has positive pay in that
    (NCES fund, function) (Gross for salaries, EmployerBenefits for benefits) and the GL
    puts a different amount than payroll at some location, the bucket's GL total per
    (category, fund source) is spread over the payroll locations in proportion to the pay
    there (000 = central); otherwise GL lines stay where they are coded.
 7. Central spending (after step 6) is pooled by (rule, category, fund source, personnel);
    a central line takes the matching rule of data/reference/allocation_rule_default.csv
    with the highest priority (SQL LIKE on NCES function/object/program and category).
    Drivers on the count date (October 1 of the fall: 2022-10-01 for year 2023):
    enrollment = distinct students with EntryDate <= date and (no ExitDate or ExitDate >= date);
    teacher_fte = FTE of assignments classed teacher/sped_teacher/el_teacher (TEACHER,
    INTERVENTIONIST, SPED TEACHER, ESL TEACHER) active on the date at the school;
    staff_fte = FTE of all school assignments active on the date; square_feet = SqFt;
    swd_students / el_students = count-date students with IEP=Y / ELL=Y; schools = 1 each.
 8. School share of a pool = pool * school driver / sum of all schools' drivers, exact.
    resmap rounds each pool's shares to cents by largest remainder, so each of its per-pool
    shares may differ from the exact share printed here by at most 1 cent.
 9. Per pupil = (direct + allocated) / the school's count-date enrollment, half-up to the cent.

Output (CSV, no header): direct,AMOUNT / payroll_step_change,AMOUNT (how much step 6 changed
the school's direct spending) / pool,RULE,CATEGORY,FUND_SOURCE,PERSONNEL,POOL,SCHOOL_DRIVER,
TOTAL_DRIVER,SCHOOL_SHARE / allocated,AMOUNT / total,AMOUNT / enrollment,N / per_pupil,AMOUNT /
essa,FUND_SOURCE,personnel|non_personnel,AMOUNT (direct + exact allocated shares).
Amounts are printed half-up to the cent; shares to 6 decimals.

Run:  resmap generate --out EXPORTS
      python3 tests/scripts/demo_school_per_pupil.py EXPORTS DEMO01 2023 101
"""
import csv
import datetime
import os
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data")
TEACHERS = {"TEACHER", "INTERVENTIONIST", "SPED TEACHER", "ESL TEACHER"}
KNOWN_CLASSES = TEACHERS | {"PRINCIPAL", "ASST PRINCIPAL", "COUNSELOR", "NURSE", "LIBRARIAN",
                            "INSTR AIDE", "SECRETARY", "CUSTODIAN", "ADMINISTRATOR"}


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def money(s):
    s = s.strip().replace("$", "").replace(",", "")
    if not s:
        return Fraction(0)
    neg = s.startswith("(") and s.endswith(")")
    v = Fraction(Decimal(s.strip("()")))
    return -v if neg else v


def date(s):
    return datetime.datetime.strptime(s.strip(), "%m/%d/%Y").date() if s.strip() else None


def like(value, pattern):
    """SQL LIKE with % and _ (no escapes); an empty pattern (rule column left blank) = any."""
    return pattern == "" or _like(value, pattern)


def _like(value, pattern):
    if not pattern:
        return value == ""
    if pattern[0] == "%":
        return any(_like(value[i:], pattern[1:]) for i in range(len(value) + 1))
    return bool(value) and pattern[0] in ("_", value[0]) and _like(value[1:], pattern[1:])


def cents(x):
    return str((Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)) \
        if isinstance(x, Fraction) else str(Decimal(x).quantize(Decimal("0.01"), ROUND_HALF_UP))


def dec(x, places=6):
    q = Decimal(1).scaleb(-places)
    return str((Decimal(x.numerator) / Decimal(x.denominator)).quantize(q, ROUND_HALF_UP))


def crosswalk(district):
    fund, program = {}, {}
    for r in read(os.path.join(DATA, "crosswalks", "nces.csv")) + read(os.path.join(DATA, "crosswalks", "demo.csv")):
        if r["district_id"] not in ("", district):
            continue
        if r["dimension"] == "fund":
            fund[r["pattern"]] = (r["target"] or r["pattern"], r["fund_source"])
        elif r["dimension"] == "program" and "%" not in r["pattern"] and r["pattern"] != "(blank)":
            program[r["pattern"]] = (r["target"], r["category"])
    return fund, program


def main(exports, district, year, school):
    year = int(year)
    count_date = datetime.date(year - 1, 10, 1)
    pre = os.path.join(exports, f"{district}_{year}_")
    fundmap, progmap = crosswalk(district)
    excl = [r for r in read(os.path.join(DATA, "reference", "spending_exclusion.csv")) if r["definition_id"] == "essa_ppe"]
    levels = read(os.path.join(DATA, "reference", "nces_function_level.csv"))
    rules = read(os.path.join(DATA, "rules", "allocation_rule_default.csv"))

    def excluded(codes):
        return any(like(codes[r["dimension"]], r["pattern"]) and not (r["unless_dimension"] and like(codes[r["unless_dimension"]], r["unless_pattern"]))
                   for r in excl)

    def category(function, program, prog_category):
        m = [r for r in levels if like(function, r["pattern"])]
        cat = max(m, key=lambda r: len(r["pattern"]))["category"] if m else "unclassified"
        if cat == "teaching_general":
            if prog_category:
                cat = prog_category
            elif program.startswith("2"):
                cat = "teaching_special_ed"
            elif program.startswith("3"):
                sys.exit(f"instruction with CTE program {program}: rule not implemented")
        return cat

    def loc(code):
        return "central" if code.strip() in ("", "000") else code.strip()

    # Steps 1-5: GL lines in scope, as (location, fund, function, object, category, fund_source, amount).
    lines = []
    for r in read(pre + "gl.csv"):
        if r["EntryType"] != "ACT":
            continue
        f, fn, ob, pg, lc = [p.strip() for p in r["Account"].split("-")]
        nf, source = fundmap[f]
        pg = pg or "000"
        npg, pcat = progmap.get(pg, (pg, ""))
        if excluded({"fund": nf, "function": fn, "object": ob, "program": npg}):
            continue
        lines.append((loc(lc), nf, fn, ob, npg, category(fn, npg, pcat), source, money(r["Amount"])))

    # Step 6: payroll redistribution of personnel buckets.
    pay = defaultdict(lambda: defaultdict(Fraction))  # (fund, function, kind) -> location -> pay
    for r in read(pre + "payroll.csv"):
        f, fn, _ob, _pg, lc = [p.strip() for p in r["Account"].split("-")]
        nf = fundmap[f][0]
        pay[(nf, fn, "salaries")][loc(lc)] += money(r["Gross"])
        pay[(nf, fn, "benefits")][loc(lc)] += money(r["EmployerBenefits"])
    # The ledger's personnel pay by the same bucket and location: where it
    # equals payroll's at every location, the bucket is left as coded.
    ledger = defaultdict(lambda: defaultdict(Fraction))
    for (lc, nf, fn, ob, pg, cat, src, amt) in lines:
        kind = {"1": "salaries", "2": "benefits"}.get(ob[0])
        if kind:
            ledger[(nf, fn, kind)][lc] += amt

    def disagrees(key):
        p, g = pay.get(key, {}), ledger.get(key, {})
        return any(p.get(k, 0) != g.get(k, 0) for k in set(p) | set(g))

    spent = []  # (location, function, object, program, category, fund_source, personnel, amount)
    buckets = defaultdict(Fraction)
    for (lc, nf, fn, ob, pg, cat, src, amt) in lines:
        kind = {"1": "salaries", "2": "benefits"}.get(ob[0])
        p = pay.get((nf, fn, kind)) if kind else None
        if p and sum(p.values()) > 0 and disagrees((nf, fn, kind)):
            buckets[(nf, fn, kind, cat, src)] += amt
        else:
            spent.append((lc, fn, ob, pg, cat, src, bool(kind), amt))
    for (nf, fn, kind, cat, src), amt in buckets.items():
        p = pay[(nf, fn, kind)]
        tot = sum(p.values())
        for lc, v in p.items():
            # object/program are lost in a bucket; the default rules do not test them.
            spent.append((lc, fn, "", "", cat, src, True, amt * v / tot))
    coded_direct = sum(l[7] for l in lines if l[0] == school)

    # Step 7 drivers on the count date.
    schools = {r["SchoolCode"].strip(): r for r in read(pre + "schools.csv")}
    students = {r["StudentID"]: r for r in read(pre + "students.csv")}
    enrolled = defaultdict(set)
    for r in read(pre + "enrollment.csv"):
        e, x = date(r["EntryDate"]), date(r["ExitDate"])
        if e and e <= count_date and (x is None or x >= count_date):
            enrolled[r["SchoolCode"].strip()].add(r["StudentID"])
    teacher_fte, staff_fte = defaultdict(Fraction), defaultdict(Fraction)
    for r in read(pre + "assignments.csv"):
        sc, jc = r["SchoolCode"].strip(), r["JobClass"].strip()
        b, e = date(r["StartDate"]), date(r["EndDate"])
        if not sc or jc not in KNOWN_CLASSES or not (b and b <= count_date and (e is None or e >= count_date)):
            continue
        staff_fte[sc] += Fraction(Decimal(r["FTE"]))
        if jc in TEACHERS:
            teacher_fte[sc] += Fraction(Decimal(r["FTE"]))
    flag = lambda col: {s: sum(1 for st in ids if students.get(st, {}).get(col) == "Y") for s, ids in enrolled.items()}
    drivers = {"enrollment": {s: len(v) for s, v in enrolled.items()}, "teacher_fte": teacher_fte,
               "staff_fte": staff_fte, "square_feet": {s: Fraction(Decimal(r["SqFt"])) for s, r in schools.items()},
               "swd_students": flag("IEP"), "el_students": flag("ELL"), "schools": {s: 1 for s in schools}}

    def rule_for(fn, ob, pg, cat):
        m = [r for r in rules if like(fn, r["function_pattern"]) and like(ob, r["object_pattern"])
             and like(pg, r["program_pattern"]) and like(cat, r["category_pattern"])]
        if not m:
            sys.exit(f"no allocation rule for central {fn} {ob} {pg} {cat}")
        top = max(int(r["priority"]) for r in m)
        best = [r for r in m if int(r["priority"]) == top]
        if len(best) > 1:
            sys.exit(f"tie between rules {[r['rule_id:text'] for r in best]} for {fn} {cat}")
        return best[0]["rule_id"], best[0]["driver"]

    direct = Fraction(0)
    cells = defaultdict(Fraction)
    pools = defaultdict(Fraction)
    for (lc, fn, ob, pg, cat, src, pers, amt) in spent:
        if lc == school:
            direct += amt
            cells[(src, pers)] += amt
        elif lc == "central":
            pools[rule_for(fn, ob, pg, cat) + (cat, src, pers)] += amt
    out = [["direct", cents(direct)], ["payroll_step_change", cents(direct - coded_direct)]]
    allocated = Fraction(0)
    for (rule, drv, cat, src, pers), amt in sorted(pools.items()):
        d = drivers[drv]
        if drv == "stays_central":
            continue
        total_d = sum(Fraction(d.get(s, 0)) for s in schools)
        mine = Fraction(d.get(school, 0))
        share = amt * mine / total_d if total_d else Fraction(0)
        allocated += share
        cells[(src, pers)] += share
        out.append(["pool", rule, cat, src, "true" if pers else "false", cents(amt), dec(Fraction(mine), 3),
                    dec(Fraction(total_d), 3), dec(share)])
    n = len(enrolled.get(school, ()))
    out += [["allocated", cents(allocated)], ["total", cents(direct + allocated)], ["enrollment", str(n)],
            ["per_pupil", cents((direct + allocated) / n) if n else ""]]
    for src in ("federal", "state_local"):
        for pers in (True, False):
            out.append(["essa", src, "personnel" if pers else "non_personnel", cents(cells[(src, pers)])])
    csv.writer(sys.stdout, lineterminator="\n").writerows(out)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
