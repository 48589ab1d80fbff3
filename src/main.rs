//! The `resmap` binary: everything lives in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    resmap::cli::run(std::env::args_os())
}
