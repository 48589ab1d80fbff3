//! Districts for a scale factor: a state's worth of synthetic districts with
//! the size mix of a real one.
//!
//! `data/generator/district_shapes.csv` holds, for every Texas district with
//! students in 2024-25 (1,209 of them, 5.5 million students), its enrollment
//! and its numbers of elementary, middle and high campuses, sorted by size
//! (derived by `derive_shapes.py` from the TAPR campus file). Scale factor 100
//! takes every district once; scale factor `sf` takes `1209 * sf / 100` of
//! them at even steps through the sorted list, so every scale has the state's
//! many small districts and few large ones: SF 1 is 12 districts, 47,841
//! students in 98 schools; SF 10 is 121 districts, 548,432 students in 830
//! schools.

use std::borrow::Cow;

use super::model::{DistrictPlan, Level, SchoolPlan};
use super::rng::{Rng, mix};
use crate::embedded;
use crate::error::{Error, Result};

/// One real district's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    enrollment: u32,
    elementary: u32,
    middle: u32,
    high: u32,
}

/// Largest scale factor accepted (ten times the state).
pub const MAX_SCALE: f64 = 1000.0;

fn shapes() -> Result<Vec<Shape>> {
    let file = "data/generator/district_shapes.csv";
    let text = embedded::FILES
        .iter()
        .find(|(p, _)| *p == file)
        .map(|(_, t)| *t)
        .ok_or_else(|| Error::Internal(format!("{file} is not embedded")))?;
    let mut out = Vec::new();
    for (i, line) in text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .enumerate()
        .skip(1)
    {
        let n: Vec<u32> = line
            .split(',')
            .map(|v| v.trim().parse::<u32>())
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::Internal(format!("{file} row {i}: {e}")))?;
        let [enrollment, elementary, middle, high] = n[..] else {
            return Err(Error::Internal(format!(
                "{file} row {i}: four numbers expected"
            )));
        };
        out.push(Shape {
            enrollment,
            elementary,
            middle,
            high,
        });
    }
    Ok(out)
}

/// Refuses a scale factor the generator cannot honour.
pub fn check_scale(sf: f64) -> Result<()> {
    if !(sf.is_finite() && sf > 0.0 && sf <= MAX_SCALE) {
        return Err(Error::Usage(format!(
            "--scale {sf}: give a number above 0 and at most {MAX_SCALE} (1 is about \
             50,000 students, 100 a state of 5.5 million)"
        )));
    }
    Ok(())
}

/// The districts of scale factor `sf`, in order of size.
pub fn districts(sf: f64, seed: u64) -> Result<Vec<DistrictPlan>> {
    check_scale(sf)?;
    let all = shapes()?;
    let n = all.len();
    let k = ((n as f64 * sf / 100.0).round() as usize).max(1);
    let mut rng = Rng::new(mix(seed ^ 0x5ca1e));
    let mut out = Vec::with_capacity(k);
    for i in 0..k {
        // the midpoint of the i-th of k even steps through the sorted list
        let at = (((i as f64 + 0.5) * n as f64 / k as f64) as usize).min(n - 1);
        out.push(plan(i, all[at], &mut rng));
    }
    Ok(out)
}

/// A district of `shape`: its students split over levels by grade count
/// (K-5, 6-8, 9-12) and over each level's campuses evenly; poverty varies
/// between districts and, less, between a district's schools.
fn plan(i: usize, shape: Shape, rng: &mut Rng) -> DistrictPlan {
    let id = format!("D{:05}", i + 1);
    let per_grade_student = f64::from(shape.enrollment) / 13.0;
    let mut schools = Vec::new();
    let levels = [
        (Level::Elementary, 0, 5, shape.elementary, 1, 150),
        (Level::Middle, 6, 8, shape.middle, 2, 160),
        (Level::High, 9, 12, shape.high, 3, 185),
    ];
    for (level, lo, hi, count, digit, area_per_student) in levels {
        let count = count.max(1);
        let per_grade = ((per_grade_student / f64::from(count)).round() as u32).max(1);
        for n in 1..=count {
            let poverty = (0.25 * rng.normal()).exp().clamp(0.5, 1.6);
            let students = per_grade * (hi - lo + 1) as u32;
            schools.push(SchoolPlan {
                code: Cow::Owned(format!("{digit}{n:03}")),
                name: Cow::Owned(format!("{} {} {n}", district_name(i), level.name())),
                level,
                lo,
                hi,
                per_grade,
                poverty,
                square_feet: (students * area_per_student).max(8_000),
                title_i: poverty > 1.05,
            });
        }
    }
    DistrictPlan {
        id: Cow::Owned(id),
        name: Cow::Owned(format!("{} ISD", district_name(i))),
        schools: Cow::Owned(schools),
        poverty: (0.3 * rng.normal()).exp().clamp(0.4, 1.8),
    }
}

fn district_name(i: usize) -> String {
    const PARTS: [&str; 12] = [
        "Pecan",
        "Mesa",
        "Bluebonnet",
        "Cypress",
        "Prairie",
        "Red River",
        "Live Oak",
        "Brazos",
        "Caddo",
        "Mesquite",
        "Sabine",
        "Llano",
    ];
    format!("{} {}", PARTS[i % PARTS.len()], i / PARTS.len() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn students(plans: &[DistrictPlan]) -> u64 {
        plans
            .iter()
            .flat_map(|p| p.schools.iter())
            .map(|s| u64::from(s.per_grade) * (s.hi - s.lo + 1) as u64)
            .sum()
    }

    #[test]
    fn scale_factors_keep_the_states_size_mix() {
        // Figures from data/generator/district_shapes.csv by a Python one-off
        // (the same even steps): SF 1 = 12 districts, 47,841 students, 98
        // schools; SF 10 = 121 districts, 548,432 students, 830 schools.
        let one = districts(1.0, 1).unwrap();
        assert_eq!(one.len(), 12);
        assert_eq!(one.iter().map(|p| p.schools.len()).sum::<usize>(), 98);
        let ten = districts(10.0, 1).unwrap();
        assert_eq!(ten.len(), 121);
        assert_eq!(ten.iter().map(|p| p.schools.len()).sum::<usize>(), 830);
        // planned students round per school and grade, so within 2% of the
        // real enrollments
        for (plans, real) in [(&one, 47_841.0), (&ten, 548_432.0)] {
            let got = students(plans) as f64;
            assert!((got / real - 1.0).abs() < 0.02, "{got} vs {real}");
        }
        // many small, few large: the median district under a tenth of the largest
        let mut sizes: Vec<u64> = ten
            .iter()
            .map(|p| students(std::slice::from_ref(p)))
            .collect();
        sizes.sort_unstable();
        assert!(sizes[sizes.len() / 2] * 10 < sizes[sizes.len() - 1]);
        // the whole state at SF 100
        assert_eq!(districts(100.0, 1).unwrap().len(), 1209);
    }

    #[test]
    fn ids_are_unique_and_scales_out_of_range_are_refused() {
        let plans = districts(3.0, 7).unwrap();
        let ids: std::collections::BTreeSet<_> =
            plans.iter().map(|p| p.id.clone()).collect();
        assert_eq!(ids.len(), plans.len());
        for bad in [0.0, -1.0, f64::NAN, 1e9] {
            assert!(districts(bad, 1).is_err(), "{bad}");
        }
    }
}
