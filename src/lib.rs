//! resmap: ingest a school district's exports into a Delta Lake warehouse and
//! answer resource-mapping questions in SQL.
//!
//! The parts (see `../shared/DESIGN.md`): [`cli`] and [`shell`] face the user;
//! [`engine`] builds the DataFusion session over the [`warehouse`]; [`ingest`]
//! turns raw files into canonical tables through SQL mappings; [`generate`]
//! makes the synthetic demo districts; [`output`] renders results.

#![warn(missing_docs)]
#![deny(clippy::clone_on_ref_ptr)]

pub mod check;
pub mod cli;
pub mod demo;
pub mod embedded;
pub mod engine;
pub mod error;
pub mod generate;
pub mod ingest;
pub mod output;
pub mod shell;
pub mod sqlfile;
pub mod warehouse;

pub use error::{Error, Result};
