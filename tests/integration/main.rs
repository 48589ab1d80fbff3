//! resmap's end-to-end tests: one binary (linking is the slow part of a test
//! build). `cli` drives the real binary; `real_data` ingests the real public
//! files and checks what they publish; `slt` runs the sqllogictest files.

mod check;
mod cli;
mod common;
mod durability;
mod inputs;
mod metrics;
mod object_store;
mod real_data;
mod resource_map;
mod scale;
mod slt;
