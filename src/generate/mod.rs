//! The synthetic demo districts: a deterministic generator of the raw export
//! files a district's systems would produce (ledger, payroll, HR, schedule,
//! student records, test results), consistent with one another.
//!
//! Its measured parameters (salaries by experience, class sizes, demographics,
//! benefit and non-personnel rates) come from `data/generator/params.csv`,
//! which `data/generator/derive_params.py` computes from the real public
//! files; its choices (calendar, district shapes, pay of roles the real files
//! do not price) are in `data/generator/assumptions.csv`. The files are written
//! in a vendor's shape (US dates, "$1,234.50" money, Y/N flags) so that the
//! demo goes through the same mappings and checks as real exports.

pub mod flaws;
mod model;
mod rng;
pub mod scale;
mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::embedded;
use crate::error::{Error, Result};

pub use model::{DEMO_DISTRICTS, DEMO_YEARS};

/// Seed of the bundled demo.
pub const DEFAULT_SEED: u64 = 2024;

/// Named numbers the generator reads.
#[derive(Debug, Clone)]
pub struct Settings {
    values: HashMap<String, f64>,
}

impl Settings {
    /// The embedded parameters and assumptions.
    pub fn bundled() -> Result<Settings> {
        let mut values = HashMap::new();
        for file in [
            "data/generator/params.csv",
            "data/generator/assumptions.csv",
        ] {
            let text = embedded::FILES
                .iter()
                .find(|(p, _)| *p == file)
                .map(|(_, t)| *t)
                .ok_or_else(|| Error::Internal(format!("{file} is not embedded")))?;
            let body: String = text
                .lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n");
            let mut reader = csv::Reader::from_reader(body.as_bytes());
            for record in reader.records() {
                let record =
                    record.map_err(|e| Error::Internal(format!("{file}: {e}")))?;
                let name = record.get(0).unwrap_or_default().to_string();
                let value: f64 =
                    record.get(1).unwrap_or_default().parse().map_err(|_| {
                        Error::Internal(format!("{file}: {name} is not a number"))
                    })?;
                values.insert(name, value);
            }
        }
        Ok(Settings { values })
    }

    /// The value called `name`.
    pub fn get(&self, name: &str) -> Result<f64> {
        self.values.get(name).copied().ok_or_else(|| {
            Error::Internal(format!("generator setting {name} is missing"))
        })
    }
}

/// One generated export file: which district, year and mapping it is for.
#[derive(Debug, Clone)]
pub struct ExportFile {
    /// the file
    pub path: PathBuf,
    /// district id
    pub district: String,
    /// ending school year
    pub year: i32,
    /// bundled mapping that reads it
    pub mapping: &'static str,
}

/// Writes the demo districts' export files into `out` and lists them in the
/// order they should be ingested.
pub fn write_demo(out: &Path, seed: u64) -> Result<Vec<ExportFile>> {
    let settings = Settings::bundled()?;
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let mut files = Vec::new();
    for (i, plan) in DEMO_DISTRICTS.iter().enumerate() {
        let seed = seed.wrapping_add(i as u64 * 7919);
        let years = model::simulate(plan, &settings, seed, &DEMO_YEARS)?;
        for year in &years {
            files.extend(write::year(out, plan, year)?);
        }
    }
    Ok(files)
}

/// What [`write_scaled`] wrote.
#[derive(Debug, Clone)]
pub struct ScaledExports {
    /// districts simulated
    pub districts: usize,
    /// schools in them
    pub schools: usize,
    /// students enrolled in the last year
    pub students: usize,
    /// export files written (listed in `manifest.csv`)
    pub files: usize,
    /// the manifest: one line per file with its mapping, district and year
    pub manifest: PathBuf,
}

/// The ending years of `count` school years up to the demo's last.
pub fn years_ending_last(count: u32) -> Result<Vec<i32>> {
    if !(1..=20).contains(&count) {
        return Err(Error::Usage(format!(
            "--years {count}: give 1 to 20 school years"
        )));
    }
    let last = DEMO_YEARS[DEMO_YEARS.len() - 1];
    Ok((last - count as i32 + 1..=last).collect())
}

/// Writes the export files of scale factor `sf` (see [`scale`]) for `years`
/// into `out`, one district at a time on every core, so memory holds only
/// the districts being simulated; lists them in `out/manifest.csv`, grouped by
/// mapping, for `resmap ingest --manifest`.
pub fn write_scaled(
    out: &Path,
    sf: f64,
    seed: u64,
    years: &[i32],
) -> Result<ScaledExports> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let settings = Settings::bundled()?;
    let plans = scale::districts(sf, seed)?;
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let next = AtomicUsize::new(0);
    let written: Mutex<Vec<(usize, Vec<ExportFile>)>> = Mutex::new(Vec::new());
    let students = AtomicUsize::new(0);
    let failed: Mutex<Option<Error>> = Mutex::new(None);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= plans.len() || failed.lock().is_ok_and(|f| f.is_some()) {
                        break;
                    }
                    let plan = &plans[i];
                    let one = model::simulate(
                        plan,
                        &settings,
                        seed.wrapping_add(i as u64 * 7919),
                        years,
                    )
                    .and_then(|sim| {
                        if let Some(last) = sim.last() {
                            students.fetch_add(last.enrollments.len(), Ordering::Relaxed);
                        }
                        let mut files = Vec::new();
                        for year in &sim {
                            files.extend(write::year(out, plan, year)?);
                        }
                        Ok(files)
                    });
                    match one {
                        Ok(files) => {
                            if let Ok(mut w) = written.lock() {
                                w.push((i, files));
                            }
                        }
                        Err(e) => {
                            if let Ok(mut f) = failed.lock() {
                                f.get_or_insert(e);
                            }
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = failed.into_inner().ok().flatten() {
        return Err(e);
    }
    let mut written = written
        .into_inner()
        .map_err(|_| Error::Internal("a generator thread panicked".into()))?;
    written.sort_by_key(|(i, _)| *i);
    // grouped by mapping, in the order one district's files are ingested
    let order: Vec<&str> = written
        .first()
        .map(|(_, f)| f.iter().map(|e| e.mapping).collect())
        .unwrap_or_default();
    let rank = |m: &str| order.iter().position(|o| *o == m).unwrap_or(order.len());
    let mut files: Vec<ExportFile> = written.into_iter().flat_map(|(_, f)| f).collect();
    files.sort_by_key(|f| rank(f.mapping));
    let manifest = out.join("manifest.csv");
    write_manifest(&manifest, &files)?;
    Ok(ScaledExports {
        districts: plans.len(),
        schools: plans.iter().map(|p| p.schools.len()).sum(),
        students: students.into_inner(),
        files: files.len(),
        manifest,
    })
}

/// `mapping,district,year,file` per export file, paths relative to the manifest.
fn write_manifest(path: &Path, files: &[ExportFile]) -> Result<()> {
    let io = |e: csv::Error| Error::io(path, e.into());
    let mut w = csv::Writer::from_path(path).map_err(io)?;
    w.write_record(["mapping", "district", "year", "file"])
        .map_err(io)?;
    for f in files {
        let name = f
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        w.write_record([f.mapping, &f.district, &f.year.to_string(), &name])
            .map_err(io)?;
    }
    w.flush().map_err(|e| Error::io(path, e))
}
