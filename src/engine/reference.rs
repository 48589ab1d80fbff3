//! Reference data from `data/`: small CSV tables (NCES code lists, state codes)
//! registered in every session, embedded in the binary.
//!
//! A header cell may carry a type after a colon (`level:int`, `share:decimal(9,4)`,
//! `active:bool`); other columns are text. Lines starting with `#` are comments
//! that say where the data came from.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;

use crate::embedded;
use crate::error::{Error, Result};

/// Registers every `data/reference/*.csv` as a table named after the file,
/// `data/rules/allocation_rule_default.csv` as `allocation_rule_default`, and
/// the bundled crosswalks `data/crosswalks/*.csv` (one file per chart of
/// accounts, all in one format) together as `coa_crosswalk_bundled`.
pub fn register(ctx: &SessionContext) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for (path, text) in embedded::files_in("data/reference", ".csv") {
        let name = embedded::stem(path).to_string();
        let batch = parse(path, text)?;
        let table = MemTable::try_new(batch.schema(), vec![vec![batch]])?;
        ctx.register_table(name.as_str(), Arc::new(table))?;
        names.push(name);
    }
    // The default allocation rules are a plain CSV a district can copy and
    // load as its own (data/rules/), so they carry no typed header.
    for (path, text) in embedded::files_in("data/rules", ".csv") {
        if embedded::stem(path) == "allocation_rule_default" {
            let batch = parse(path, text)?;
            let table = MemTable::try_new(batch.schema(), vec![vec![batch]])?;
            ctx.register_table("allocation_rule_default", Arc::new(table))?;
            names.push("allocation_rule_default".to_string());
        }
    }
    let files = embedded::files_in("data/crosswalks", ".csv");
    let crosswalks = files
        .iter()
        .map(|(path, text)| parse(path, text))
        .collect::<Result<Vec<_>>>()?;
    if let Some(first) = crosswalks.first() {
        let schema = first.schema();
        for (batch, (path, _)) in crosswalks.iter().zip(&files) {
            if batch.schema() != schema {
                return Err(Error::Internal(format!(
                    "{path}: a crosswalk's columns must be those of the others \
                     (chart,district_id,dimension,pattern,target,level,category,fund_source,note)"
                )));
            }
        }
        let table = MemTable::try_new(schema, vec![crosswalks])?;
        ctx.register_table("coa_crosswalk_bundled", Arc::new(table))?;
        names.push("coa_crosswalk_bundled".to_string());
    }
    Ok(names)
}

fn column_type(spec: &str, path: &str) -> Result<DataType> {
    let spec = spec.trim().to_ascii_lowercase();
    Ok(match spec.as_str() {
        "" | "text" => DataType::Utf8,
        "int" => DataType::Int32,
        "bigint" => DataType::Int64,
        "bool" => DataType::Boolean,
        s if s.starts_with("decimal(") && s.ends_with(')') => {
            let inner = &s[8..s.len() - 1];
            let (p, sc) = inner
                .split_once(',')
                .ok_or_else(|| Error::Internal(format!("{path}: bad type {s}")))?;
            let p: u8 = p
                .trim()
                .parse()
                .map_err(|_| Error::Internal(format!("{path}: bad type {s}")))?;
            let sc: i8 = sc
                .trim()
                .parse()
                .map_err(|_| Error::Internal(format!("{path}: bad type {s}")))?;
            DataType::Decimal128(p, sc)
        }
        other => {
            return Err(Error::Internal(format!(
                "{path}: unknown column type {other}"
            )));
        }
    })
}

/// Parses one reference CSV into a typed batch.
pub fn parse(path: &str, text: &str) -> Result<RecordBatch> {
    let body: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::Internal(format!("{path}: {e}")))?
        .clone();
    let mut fields = Vec::new();
    for h in headers.iter() {
        let (name, ty) = h.split_once(':').unwrap_or((h, ""));
        fields.push((name.trim().to_string(), column_type(ty, path)?));
    }
    let mut columns: Vec<Vec<Option<String>>> = vec![Vec::new(); fields.len()];
    for record in reader.records() {
        let record = record.map_err(|e| Error::Internal(format!("{path}: {e}")))?;
        for (i, v) in record.iter().enumerate() {
            let v = v.trim();
            columns[i].push((!v.is_empty()).then(|| v.to_string()));
        }
    }
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for ((_, ty), values) in fields.iter().zip(columns) {
        let text: ArrayRef = Arc::new(StringArray::from(values));
        arrays.push(if *ty == DataType::Utf8 {
            text
        } else {
            cast(&text, ty)?
        });
    }
    let schema = Schema::new(
        fields
            .iter()
            .map(|(n, t)| Field::new(n, t.clone(), true))
            .collect::<Vec<_>>(),
    );
    Ok(RecordBatch::try_new(Arc::new(schema), arrays)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Array;

    #[test]
    fn every_reference_file_parses() {
        for (path, text) in embedded::files_in("data/reference", ".csv") {
            let batch = parse(path, text).unwrap_or_else(|e| panic!("{e}"));
            assert!(batch.num_rows() > 0, "{path} is empty");
        }
    }

    #[test]
    fn crosswalk_categories_and_levels_are_known() {
        let categories: Vec<String> = embedded::files_in("data/reference", ".csv")
            .into_iter()
            .find(|(p, _)| p.ends_with("spending_category.csv"))
            .map(|(_, text)| {
                text.lines()
                    .filter(|l| !l.starts_with('#'))
                    .skip(1)
                    .filter_map(|l| l.split(',').next().map(str::to_string))
                    .collect()
            })
            .expect("spending_category.csv");
        for (path, text) in embedded::files_in("data/crosswalks", ".csv") {
            let b = parse(path, text).unwrap();
            let col = |name: &str| {
                let i = b.schema().index_of(name).unwrap();
                cast(b.column(i), &DataType::Utf8).unwrap()
            };
            let (category, level) = (col("category"), col("level"));
            let category = category.as_any().downcast_ref::<StringArray>().unwrap();
            let level = level.as_any().downcast_ref::<StringArray>().unwrap();
            for row in 0..b.num_rows() {
                if category.is_valid(row) {
                    let c = category.value(row);
                    assert!(categories.iter().any(|k| k == c), "{path}: category {c}");
                }
                if level.is_valid(row) {
                    let l = level.value(row);
                    assert!(
                        ["school", "school_serving", "central", "excluded"].contains(&l),
                        "{path}: level {l}"
                    );
                }
            }
        }
    }

    #[test]
    fn reads_typed_headers() {
        let b = parse(
            "t.csv",
            "# a comment\ncode,level:int,\"share:decimal(5,2)\"\n1000,1,0.25\n",
        )
        .unwrap();
        assert_eq!(b.schema().field(1).data_type(), &DataType::Int32);
        assert_eq!(b.schema().field(2).data_type(), &DataType::Decimal128(5, 2));
    }
}
