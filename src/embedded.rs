//! The SQL files and reference data compiled into the binary.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// Embedded files under `dir` (such as `sql/views`) with the given extension,
/// sorted by path.
pub fn files_in(dir: &str, extension: &str) -> Vec<(&'static str, &'static str)> {
    let prefix = format!("{}/", dir.trim_end_matches('/'));
    FILES
        .iter()
        .filter(|(p, _)| p.starts_with(&prefix) && p.ends_with(extension))
        .copied()
        .collect()
}

/// The file name without directory or extension.
pub fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split('.').next().unwrap_or(name)
}
