#!/usr/bin/env python3
"""Derive the demo generator's parameters from the real public files.

Reads ../shared/data/real (standard library only, exact decimals) and writes
params.csv beside this script: one row per parameter with its value, unit and
the figure it was computed from. Run from the repository root:

    python3 data/generator/derive_params.py ../shared/data/real

The generator reads params.csv (embedded in the binary); it never reads the
real files, so the demo runs without them.
"""
import csv
import sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

real = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real")
rows = []


def put(name, value, unit, source):
    rows.append((name, str(value), unit, source))


def dec(text):
    text = (text or "").strip()
    return Decimal(text) if text else None


def q(value, places):
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- Texas TAPR 2024-25 district file: statewide teacher pay and experience ---
districts = list(csv.DictReader(open(real / "tx_tapr_2024_25/tx_district_tapr_2024_25.csv", newline="", encoding="utf-8")))
bands = [("beginning", "0"), ("1_5_years", "1-5"), ("6_10_years", "6-10"),
         ("11_20_years", "11-20"), ("21_30_years", "21-30"), ("gt_30_years", "31+")]
total_fte = Decimal(0)
band_fte = {}
for key, _ in bands:
    fte_sum = Decimal(0)
    pay_sum = Decimal(0)
    for d in districts:
        fte = dec(d.get(f"district_2025_staff_teacher_{key}_full_time_equiv_count"))
        pay = dec(d.get(f"district_2025_staff_teacher_{key}_base_salary_average"))
        if fte and pay:
            fte_sum += fte
            pay_sum += fte * pay
    band_fte[key] = fte_sum
    total_fte += fte_sum
    put(f"teacher_salary_{key}", q(pay_sum / fte_sum, 0), "dollars",
        f"TX TAPR 2024-25 districts: FTE-weighted mean of district_2025_staff_teacher_{key}_base_salary_average over {len(districts)} districts")
for key, _ in bands:
    put(f"teacher_share_{key}", q(band_fte[key] / total_fte, 4), "share of teacher FTE",
        f"TX TAPR 2024-25 districts: district_2025_staff_teacher_{key}_full_time_equiv_count / all bands")

for role, col in [("principal", "district_2025_staff_school_admin_total_base_salary_average"),
                  ("central_admin", "district_2025_staff_central_admin_total_base_salary_average"),
                  ("support", "district_2025_staff_support_total_base_salary_average")]:
    fte_col = col.replace("base_salary_average", "full_time_equiv_count")
    num = Decimal(0)
    den = Decimal(0)
    for d in districts:
        fte = dec(d.get(fte_col))
        pay = dec(d.get(col))
        if fte and pay:
            num += fte * pay
            den += fte
    put(f"salary_{role}", q(num / den, 0), "dollars",
        f"TX TAPR 2024-25 districts: FTE-weighted mean of {col}")

# --- Texas TAPR campus file: class size by grade and students per teacher ---
campuses = list(csv.DictReader(open(real / "tx_tapr_2024_25/tx_campus_tapr_2024_25.csv", newline="", encoding="utf-8")))
for label, col in [("k", "kindergarten"), ("1", "grade_1"), ("2", "grade_2"), ("3", "grade_3"),
                   ("4", "grade_4"), ("5", "grade_5"), ("6", "grade_6"),
                   ("secondary_english", "sec_english"), ("secondary_math", "sec_math"),
                   ("secondary_science", "sec_sci"), ("secondary_social_studies", "sec_soc_stud")]:
    values = [dec(c[f"campus_2025_class_size_{col}_avg_size"]) for c in campuses]
    values = [v for v in values if v is not None and v > 0]
    put(f"class_size_{label}", q(sum(values) / len(values), 1), "students",
        f"TX TAPR 2024-25 campuses: mean of campus_2025_class_size_{col}_avg_size over {len(values)} campuses")

members = Decimal(0)
teachers = Decimal(0)
counts = {}
groups = ["econ_disadv", "eb_el", "special_ed", "gifted_and_talented", "african_american",
          "hispanic", "white", "asian"]
for d in districts:
    m = dec(d["district_2025_student_membership_all_students_count"])
    t = dec(d["district_2025_staff_teacher_total_full_time_equiv_count"])
    if m and t:
        members += m
        teachers += t
        for g in groups:
            counts[g] = counts.get(g, Decimal(0)) + (dec(d.get(f"district_2025_student_membership_{g}_count")) or 0)
put("students_per_teacher", q(members / teachers, 1), "students per teacher FTE",
    "TX TAPR 2024-25 districts: sum of membership / sum of teacher FTE")
for g in groups:
    put(f"share_{g}", q(counts[g] / members, 4), "share of students",
        f"TX TAPR 2024-25 districts: sum of district_2025_student_membership_{g}_count / membership")

# --- Utah Alpine SD payroll FY2023: employer benefits per dollar of salary ---
salaries = Decimal(0)
benefits = Decimal(0)
with open(real / "ut_alpine_payroll/alpine_sd_payroll_fy2023.csv", newline="", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        amount = dec(r["net_amount"].replace(",", "").replace("$", ""))
        if amount is None:
            continue
        if r["cat1"].startswith("100"):
            salaries += amount
        elif r["cat1"].startswith("200"):
            benefits += amount
put("benefit_rate", q(benefits / salaries, 4), "benefits per salary dollar",
    "UT Alpine SD payroll FY2023: sum of cat1 200 EMPLOYEE BENEFITS / sum of cat1 100 SALARIES")

# --- Alaska ledgers FY2020: non-personnel spending per personnel dollar ---
personnel = Decimal(0)
other = Decimal(0)
for name, amount_col in [("ARSD20", "amount"), ("CRSD20", "Amount"), ("CSD20", "Amount"),
                         ("CraigCity20", "Amount"), ("DGSD20", "Amount"), ("KakeCity20", "Amount"),
                         ("Valdez20", "Amount")]:
    with open(real / f"ak_district_gl/{name}.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r.get("Reference_Type") == "B":
                continue
            obj = r["Object_Code"].strip()
            try:
                amount = Decimal(r[amount_col].replace(",", "").replace("$", "").strip() or "0")
                code = int(obj)
            except Exception:
                continue
            if 300 <= code < 400:
                personnel += amount
            elif 400 <= code < 500:
                other += amount
put("nonpersonnel_per_personnel_dollar", q(other / personnel, 4), "dollars",
    "AK ledgers FY2020 (7 districts): objects 400-499 (services, supplies) / objects 300-399 (salaries, benefits), posted amounts")

out = Path(__file__).with_name("params.csv")
with open(out, "w", newline="", encoding="utf-8") as fh:
    fh.write("# Derived by data/generator/derive_params.py from ../shared/data/real; do not edit by hand.\n")
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["name", "value", "unit", "derived_from"])
    w.writerows(rows)
print(f"wrote {len(rows)} parameters to {out}")
