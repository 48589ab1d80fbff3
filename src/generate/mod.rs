//! Synthetic districts (in progress).
use crate::error::Result;
use std::path::{Path, PathBuf};
/// Default seed.
pub const DEFAULT_SEED: u64 = 2024;
/// Writes the demo exports.
pub fn write_demo(_out: &Path, _seed: u64) -> Result<Vec<PathBuf>> {
    Ok(Vec::new())
}
