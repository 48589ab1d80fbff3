//! Mappings: a SQL SELECT that turns the raw file(s), registered as `raw`, into
//! one canonical table, with a header that names the table and says how to read
//! the files.
//!
//! ```sql
//! -- target: district_profile
//! -- source: nj_tges_detail
//! -- description: NJ Taxpayers' Guide DETAIL file: total spending per pupil
//! -- encoding: cp1252
//! -- rename: ^EXP\d\d$ => exp_total
//! SELECT pad_code(DIST, 4) AS district_id, ...
//! FROM raw
//! ```

use std::path::Path;

use regex::Regex;

use crate::embedded;
use crate::error::{Error, Result, closest};
use crate::ingest::raw::Encoding;
use crate::sqlfile::SqlFile;
use crate::warehouse::schema::{self, TableSpec};

/// The keys a mapping's header may set.
pub const HEADER_KEYS: [&str; 9] = [
    "target",
    "source",
    "description",
    "encoding",
    "delimiter",
    "column-case",
    "rename",
    "max-rejects",
    "student-ids",
];

/// How raw header names are cased before the mapping sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnCase {
    /// as written
    AsIs,
    /// lower case (for files whose header case varies between years)
    Lower,
    /// upper case
    Upper,
}

/// A parsed mapping.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// the mapping's name (file stem)
    pub name: String,
    /// where it came from: a path, or `sql/mappings/NAME.sql` when bundled
    pub origin: String,
    /// the canonical table it fills
    pub target: TableSpec,
    /// value of the `source` column (defaults to the name)
    pub source: String,
    /// one-line description
    pub description: String,
    /// encoding of CSV inputs
    pub encoding: Encoding,
    /// CSV field delimiter
    pub delimiter: u8,
    /// header case rule
    pub column_case: ColumnCase,
    /// header renames, applied in order after the case rule
    pub renames: Vec<(Regex, String)>,
    /// the most rejected rows an ingest through this mapping may have (the
    /// lower of this and `--max-rejects`): 0 for files that must load whole,
    /// such as a district's rule sets
    pub max_rejects: Option<u64>,
    /// whether the export's student ids are already pseudonymous
    /// (`student-ids: pseudonymous`, as the demo's synthetic ones are); raw
    /// ids, the default, are hashed at ingest with the district's key
    pub ids_pseudonymous: bool,
    /// the SELECT
    pub sql: String,
}

impl Mapping {
    /// Loads a mapping: `spec` is a path to a `.sql` file or the name of a
    /// bundled mapping in `sql/mappings/`.
    pub fn load(spec: &str) -> Result<Mapping> {
        let path = Path::new(spec);
        if path.is_file() {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| spec.to_string());
            return Mapping::parse(&name, &path.display().to_string(), &text);
        }
        let wanted = spec.trim_end_matches(".sql");
        let bundled = bundled();
        match bundled.iter().find(|(n, _, _)| *n == wanted) {
            Some((name, origin, text)) => Mapping::parse(name, origin, text),
            None => Err(Error::NotFound {
                kind: "mapping",
                name: spec.to_string(),
                suggestion: closest(wanted, bundled.iter().map(|(n, _, _)| *n)),
            }),
        }
    }

    /// Parses mapping text.
    pub fn parse(name: &str, origin: &str, text: &str) -> Result<Mapping> {
        let file = SqlFile::parse(text);
        let err = |message: String| Error::Mapping {
            mapping: origin.to_string(),
            message,
        };
        for (key, _) in &file.header {
            if HEADER_KEYS.contains(&key.as_str()) {
                continue;
            }
            // Prose in the header may read `-- Note: ...`; a near miss of a key
            // is a typo that would otherwise be ignored.
            if let Some(near) = closest(key, HEADER_KEYS.iter().copied()) {
                return Err(err(format!(
                    "header key `{key}` is not known; did you mean `{near}`?"
                )));
            }
        }
        let target_name = file.get("target").ok_or_else(|| {
            err(
                "the header must name the table it fills, e.g. `-- target: gl_line`"
                    .into(),
            )
        })?;
        let target = schema::table(target_name).ok_or_else(|| {
            let suggestion = closest(target_name, schema::table_names())
                .map(|s| format!("; did you mean {s:?}?"))
                .unwrap_or_default();
            err(format!(
                "target {target_name:?} is not a canonical table{suggestion}"
            ))
        })?;
        let encoding = match file.get("encoding") {
            None => Encoding::Utf8,
            Some(e) => Encoding::parse(e).ok_or_else(|| {
                err(format!("encoding {e:?} is not known (use utf-8 or cp1252)"))
            })?,
        };
        let delimiter = match file.get("delimiter") {
            None => b',',
            Some("tab" | "\\t") => b'\t',
            Some(d) if d.len() == 1 => d.as_bytes()[0],
            Some(d) => {
                return Err(err(format!(
                    "delimiter {d:?} must be a single ASCII character or `tab`"
                )));
            }
        };
        let column_case = match file.get("column-case") {
            None | Some("as-is") => ColumnCase::AsIs,
            Some("lower") => ColumnCase::Lower,
            Some("upper") => ColumnCase::Upper,
            Some(c) => {
                return Err(err(format!(
                    "column-case {c:?} must be lower, upper or as-is"
                )));
            }
        };
        let mut renames = Vec::new();
        for r in file.all("rename") {
            let (pattern, to) = r.split_once("=>").ok_or_else(|| {
                err(format!("rename {r:?} must read `PATTERN => name`"))
            })?;
            let re = Regex::new(pattern.trim())
                .map_err(|e| err(format!("rename pattern {:?}: {e}", pattern.trim())))?;
            renames.push((re, to.trim().to_string()));
        }
        let max_rejects =
            match file.get("max-rejects") {
                None => None,
                Some(n) => Some(n.trim().parse::<u64>().map_err(|_| {
                    err(format!("max-rejects {n:?} must be a whole number"))
                })?),
            };
        let ids_pseudonymous = match file.get("student-ids").map(str::trim) {
            None | Some("raw") => false,
            Some("pseudonymous") => true,
            Some(other) => {
                return Err(err(format!(
                    "student-ids {other:?} must be raw or pseudonymous"
                )));
            }
        };
        if file.body.trim().is_empty() {
            return Err(err("the mapping has no SELECT".into()));
        }
        Ok(Mapping {
            name: name.to_string(),
            origin: origin.to_string(),
            source: file.get("source").unwrap_or(name).to_string(),
            description: file.get("description").unwrap_or_default().to_string(),
            target,
            encoding,
            delimiter,
            max_rejects,
            ids_pseudonymous,
            column_case,
            renames,
            sql: file.body,
        })
    }

    /// Applies the renames to one header name.
    pub fn rename_column(&self, name: &str) -> String {
        for (re, to) in &self.renames {
            if re.is_match(name) {
                return to.clone();
            }
        }
        name.to_string()
    }
}

/// Bundled mappings: (name, origin, text).
pub fn bundled() -> Vec<(&'static str, &'static str, &'static str)> {
    embedded::files_in("sql/mappings", ".sql")
        .into_iter()
        .map(|(path, text)| (embedded::stem(path), path, text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_mapping_parses() {
        let all = bundled();
        assert!(
            all.len() >= 10,
            "expected the bundled mappings, found {}",
            all.len()
        );
        for (name, origin, text) in all {
            let m = Mapping::parse(name, origin, text).unwrap_or_else(|e| panic!("{e}"));
            assert!(!m.description.is_empty(), "{name} has no description");
        }
    }

    #[test]
    fn header_errors_are_explained() {
        let e = Mapping::parse("m", "m.sql", "SELECT 1")
            .unwrap_err()
            .to_string();
        assert!(e.contains("-- target: gl_line"), "{e}");
        let e = Mapping::parse("m", "m.sql", "-- target: gl_lines\nSELECT 1")
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean \"gl_line\""), "{e}");
        let m = Mapping::parse(
            "m",
            "m.sql",
            "-- target: district_profile\n-- rename: ^EXP\\d\\d$ => exp\nSELECT 1",
        )
        .unwrap();
        assert_eq!(m.rename_column("EXP23"), "exp");
        let e = Mapping::parse(
            "m",
            "m.sql",
            "-- target: school\n-- encodng: cp1252\nSELECT 1",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("did you mean `encoding`"), "{e}");
        assert!(
            Mapping::parse("m", "m.sql", "-- target: school\n-- Note: prose\nSELECT 1")
                .is_ok()
        );
        assert_eq!(m.rename_column("EXP2023"), "EXP2023");
    }
}
