//! `resmap check`: the data-quality findings of `sql/views/90_data_quality.sql`,
//! summarised by rule and severity, written out whole on request, and turned
//! into an exit code a district's own pipeline can act on.

use std::io::Write;
use std::path::PathBuf;
use std::str::FromStr;

use datafusion::arrow::array::AsArray;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{ParamValues, ScalarValue};
use datafusion::prelude::SessionContext;

use crate::error::{Error, Result};
use crate::output::{self, Format};

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
    let summary = ctx
        .sql(&format!(
            "SELECT f.rule_id, f.severity, r.name, count(*) AS findings \
             FROM dq_finding f JOIN dq_rule r ON r.rule_id = f.rule_id \
             WHERE {FILTER} GROUP BY f.rule_id, f.severity, r.name \
             ORDER BY f.rule_id, f.severity"
        ))
        .await?
        .with_param_values(params.clone())?;
    let schema = summary.schema().as_arrow().clone().into();
    let batches = summary.collect().await?;
    output::write(out, &schema, &batches, opts.format)?;

    if let Some(path) = &opts.out {
        let findings = ctx
            .sql(&format!(
                "SELECT * FROM dq_finding WHERE {FILTER} \
                 ORDER BY rule_id, district_id, school_year, entity_key"
            ))
            .await?
            .with_param_values(params)?;
        let schema = findings.schema().as_arrow().clone().into();
        let rows = findings.collect().await?;
        let mut file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if Format::from_str(ext).is_ok() => Format::from_str(ext)?,
            _ => Format::Csv,
        };
        output::write(&mut file, &schema, &rows, format)?;
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
