//! `resmap check`: the data-quality findings of `sql/views/90_data_quality.sql`,
//! summarised by rule and severity, written out whole on request, and turned
//! into an exit code a district's own pipeline can act on.

use std::io::Write;
use std::path::PathBuf;
use std::str::FromStr;

use datafusion::arrow::array::AsArray;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, Schema, SchemaRef};
use datafusion::common::{ParamValues, ScalarValue};
use datafusion::prelude::SessionContext;

use crate::error::{Error, Result};
use crate::output::{self, Format};
use crate::warehouse::schema;

/// How serious a finding is, in rising order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// worth knowing
    Info,
    /// worth a look
    Warn,
    /// wrong
    Error,
}

impl FromStr for Severity {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "warn" | "warning" => Ok(Severity::Warn),
            "error" => Ok(Severity::Error),
            other => Err(Error::Usage(format!(
                "severity {other:?} is not one of info, warn, error"
            ))),
        }
    }
}

impl Severity {
    fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Error => "error",
        }
    }
}

/// What to check and what to do with the findings.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// only this district
    pub district: Option<String>,
    /// only this ending school year
    pub year: Option<i32>,
    /// exit non-zero when any finding is at least this severe
    pub fail_on: Option<Severity>,
    /// write every finding to this file
    pub out: Option<PathBuf>,
    /// format of the summary and of the findings file
    pub format: Format,
}

const FILTER: &str =
    "($1 IS NULL OR district_id = $1) AND ($2 IS NULL OR school_year = $2)";

/// Runs the checks: prints the summary to `out`, writes the findings file,
/// and returns an error when a finding reaches `fail_on`.
pub async fn run(
    ctx: &SessionContext,
    opts: &CheckOptions,
    out: &mut dyn Write,
) -> Result<()> {
    let params = ParamValues::List(vec![
        ScalarValue::Utf8(opts.district.clone()).into(),
        ScalarValue::Int32(opts.year).into(),
    ]);
    // Checking nothing is a mistake, not a clean bill: a district or year
    // the warehouse does not hold (a typo in a pipeline) is an error.
    let scope = ctx
        .sql(&format!(
            "SELECT count(*) FROM dq_rule_in_force WHERE {FILTER}"
        ))
        .await?
        .with_param_values(params.clone())?
        .collect()
        .await?;
    let held = scope
        .first()
        .map(|b| cast(b.column(0), &DataType::Int64))
        .transpose()?
        .map_or(0, |c| c.as_primitive::<Int64Type>().value(0));
    if held == 0 {
        let what = match (&opts.district, opts.year) {
            (Some(d), Some(y)) => format!("district {d} in {y}"),
            (Some(d), None) => format!("district {d}"),
            (None, Some(y)) => format!("school year {y}"),
            (None, None) => "any district".to_string(),
        };
        return Err(Error::Usage(format!(
            "the warehouse holds no data for {what}: nothing to check"
        )));
    }
    // Rule by rule, so that one rule that cannot run (the resource map of a
    // district-year with no driver, say) leaves the others' findings.
    let mut found = Vec::new();
    let mut not_run: Vec<(String, String)> = Vec::new();
    for rule in schema::DQ_RULES {
        let view = rule.to_ascii_lowercase().replace('-', "_");
        let rows = async {
            ctx.sql(&format!(
                "SELECT rule_id, severity, table_name, CAST(district_id AS VARCHAR) AS district_id, \
                 school_year, entity_key, measured, expected, detail FROM {view} WHERE {FILTER}"
            ))
            .await?
            .with_param_values(params.clone())?
            .collect()
            .await
        }
        .await;
        match rows {
            Ok(batches) => {
                for b in batches {
                    found.push(text_columns(&b)?);
                }
            }
            Err(e) => not_run.push((rule.to_string(), e.to_string())),
        }
    }
    let table = datafusion::datasource::MemTable::try_new(finding_schema(), vec![found])?;
    let local = SessionContext::new();
    local.register_table("finding", std::sync::Arc::new(table))?;
    let rules = ctx.table("dq_rule").await?.collect().await?;
    let rules = datafusion::datasource::MemTable::try_new(
        rules.first().map_or_else(
            || std::sync::Arc::new(datafusion::arrow::datatypes::Schema::empty()),
            |b| b.schema(),
        ),
        vec![rules],
    )?;
    local.register_table("dq_rule", std::sync::Arc::new(rules))?;
    let summary = local
        .sql(
            "SELECT f.rule_id, f.severity, r.name, count(*) AS findings \
             FROM finding f JOIN dq_rule r ON r.rule_id = f.rule_id \
             GROUP BY f.rule_id, f.severity, r.name ORDER BY f.rule_id, f.severity",
        )
        .await?;
    let schema = summary.schema().as_arrow().clone().into();
    let batches = summary.collect().await?;
    output::write(out, &schema, &batches, opts.format)?;
    let total: i64 = batches
        .iter()
        .filter_map(|b| cast(b.column(3), &DataType::Int64).ok())
        .map(|c| c.as_primitive::<Int64Type>().iter().flatten().sum::<i64>())
        .sum();
    eprintln!(
        "{} rules checked on {} district-year(s): {}",
        schema::DQ_RULES.len() - not_run.len(),
        held as usize / schema::DQ_RULES.len().max(1),
        if total == 0 {
            "no findings".to_string()
        } else {
            format!(
                "{total} finding(s); every one with --out FILE, or SELECT * FROM dq_finding"
            )
        }
    );
    for (rule, message) in &not_run {
        eprintln!("{rule} could not run: {message}");
    }

    if let Some(path) = &opts.out {
        let findings = local
            .sql(
                "SELECT * FROM finding \
                 ORDER BY rule_id, district_id, school_year, entity_key",
            )
            .await?;
        let schema = findings.schema().as_arrow().clone().into();
        let rows = findings.collect().await?;
        let mut file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if Format::from_str(ext).is_ok() => Format::from_str(ext)?,
            _ => Format::Csv,
        };
        output::write(&mut file, &schema, &rows, format)?;
    }
    if !not_run.is_empty() {
        let rules: Vec<&str> = not_run.iter().map(|(r, _)| r.as_str()).collect();
        return Err(Error::Incomplete(format!(
            "{} rule(s) could not run ({}): the check is incomplete (exit 3)",
            rules.len(),
            rules.join(", ")
        )));
    }

    let Some(level) = opts.fail_on else {
        return Ok(());
    };
    let mut failing = 0i64;
    for batch in &batches {
        let severity = cast(batch.column(1), &DataType::Utf8)?;
        let severity = severity.as_string::<i32>();
        let counts = cast(batch.column(3), &DataType::Int64)?;
        let counts = counts.as_primitive::<Int64Type>();
        for i in 0..batch.num_rows() {
            if Severity::from_str(severity.value(i)).is_ok_and(|s| s >= level) {
                failing += counts.value(i);
            }
        }
    }
    if failing > 0 {
        return Err(Error::Findings(format!(
            "{failing} finding(s) at {} or above (--fail-on {})",
            level.name(),
            level.name()
        )));
    }
    Ok(())
}

/// The findings' columns, all text but the school year.
fn finding_schema() -> SchemaRef {
    let text = |n: &str| Field::new(n, DataType::Utf8, true);
    std::sync::Arc::new(Schema::new(vec![
        text("rule_id"),
        text("severity"),
        text("table_name"),
        text("district_id"),
        Field::new("school_year", DataType::Int32, true),
        text("entity_key"),
        text("measured"),
        text("expected"),
        text("detail"),
    ]))
}

/// A rule view's batch in [`finding_schema`]'s types (the views differ in
/// how their text is stored: string views, dictionaries).
fn text_columns(batch: &RecordBatch) -> Result<RecordBatch> {
    let schema = finding_schema();
    let columns = batch
        .columns()
        .iter()
        .zip(schema.fields())
        .map(|(c, f)| cast(c, f.data_type()))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(RecordBatch::try_new(schema, columns)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_rise() {
        assert!(Severity::Error > Severity::Warn && Severity::Warn > Severity::Info);
        assert_eq!("WARN".parse::<Severity>().unwrap(), Severity::Warn);
        assert!("fatal".parse::<Severity>().is_err());
    }
}
