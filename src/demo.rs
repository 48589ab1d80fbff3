//! The demo (in progress).
use crate::error::Result;
use crate::output::Format;
use crate::warehouse::Warehouse;
use std::io::Write;
use std::path::PathBuf;
/// Runs the demo.
pub async fn run(
    _w: &Warehouse,
    _e: Option<PathBuf>,
    _f: Format,
    _out: &mut dyn Write,
) -> Result<()> {
    Ok(())
}
