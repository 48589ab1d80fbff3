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
        let years = model::simulate(plan, &settings, seed.wrapping_add(i as u64 * 7919))?;
        for year in &years {
            files.extend(write::year(out, plan, year)?);
        }
    }
    Ok(files)
}
