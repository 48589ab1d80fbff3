//! Shaping a mapping's output into its canonical table, and the row checks
//! that the types alone cannot make.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, BooleanArray, Int32Array, Int64Array, RecordBatch, StringArray,
};
use datafusion::arrow::compute::filter_record_batch;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::common::{DFSchema, ScalarValue};
use datafusion::logical_expr::{ExprSchemable, LogicalPlan};
use datafusion::prelude::{Expr, cast, col, lit};

use crate::error::{Error, Result, closest};
use crate::ingest::mapping::Mapping;
use crate::ingest::raw::RawInput;
use crate::ingest::{DistrictYears, IngestOptions, Reject};
use crate::warehouse::schema::{ColumnSpec, TableSpec};

/// The expressions that turn the mapping's output into the canonical columns,
/// in canonical order. Refuses, before any row is read, outputs that are not
/// canonical columns and conversions that could change a value silently.
pub(crate) fn projection(
    output: &DFSchema,
    mapping: &Mapping,
    opts: &IngestOptions,
    load_id: &str,
) -> Result<Vec<Expr>> {
    let spec = &mapping.target;
    let err = |message: String| Error::Mapping {
        mapping: mapping.origin.clone(),
        message,
    };
    let produced: HashMap<&str, &DataType> = output
        .fields()
        .iter()
        .map(|f| (f.name().as_str(), f.data_type()))
        .collect();
    let canonical: Vec<ColumnSpec> = spec.all_columns();
    for name in produced.keys() {
        if matches!(*name, "source" | "load_id") {
            return Err(err(format!(
                "`{name}` is set by resmap (source from the mapping header); remove it from the SELECT"
            )));
        }
        if !canonical.iter().any(|c| c.name == *name) {
            let suggestion = closest(name, canonical.iter().map(|c| c.name))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(err(format!(
                "`{name}` is not a column of {}{suggestion} (see docs/schema.md)",
                spec.name
            )));
        }
    }
    let mut exprs = Vec::new();
    for c in &canonical {
        let expr = match (c.name, produced.get(c.name)) {
            ("source", _) => lit(mapping.source.as_str()),
            ("load_id", _) => lit(load_id),
            ("district_id", None) => match &opts.district {
                Some(d) => lit(d.as_str()),
                None => {
                    return Err(Error::Usage(format!(
                        "mapping {} yields no district_id: pass --district",
                        mapping.name
                    )));
                }
            },
            ("school_year", None) => match opts.year {
                Some(y) => lit(y),
                None => {
                    return Err(Error::Usage(format!(
                        "mapping {} yields no school_year: pass --year",
                        mapping.name
                    )));
                }
            },
            // A row without a district of its own belongs to --district;
            // one naming another district is rejected row by row below.
            ("district_id", Some(from)) if opts.district.is_some() => {
                let d = opts.district.as_deref().unwrap_or_default();
                datafusion::functions::expr_fn::coalesce(vec![
                    convert(c, from).map_err(err)?,
                    lit(d),
                ])
            }
            (_, Some(from)) => convert(c, from).map_err(err)?,
            (_, None) if c.required => {
                return Err(err(format!(
                    "{}.{} is required but the mapping does not yield it",
                    spec.name, c.name
                )));
            }
            (_, None) => lit(ScalarValue::try_from(&c.data_type)?),
        };
        exprs.push(cast(expr, c.data_type.clone()).alias(c.name));
    }
    Ok(exprs)
}

/// The expression reading mapping column `c` as its canonical type, or why the
/// conversion would not be exact.
fn convert(c: &ColumnSpec, from: &DataType) -> std::result::Result<Expr, String> {
    let to = &c.data_type;
    let column = col(format!("\"{}\"", c.name));
    let text = matches!(
        from,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    );
    match to {
        DataType::Decimal128(_, to_scale) => match from {
            DataType::Float16 | DataType::Float32 | DataType::Float64 => Err(format!(
                "`{}` is a float, which cannot hold {to} exactly; read it with \
                 parse_money() or parse_decimal(x, {to_scale})",
                c.name
            )),
            _ if text => Err(format!(
                "`{}` is text; read it with parse_money() (money) or \
                 parse_decimal(x, {to_scale}) so that its format is checked",
                c.name
            )),
            DataType::Decimal128(_, s) | DataType::Decimal256(_, s) if s > to_scale => {
                Err(format!(
                    "`{}` has {s} decimals but {} keeps {to_scale}; say how to round with \
                     round_half_up(x, {to_scale})",
                    c.name, c.name
                ))
            }
            _ => Ok(column),
        },
        // Whole numbers: a cast from decimals or floats would cut the fraction off.
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => match from {
            DataType::Float16 | DataType::Float32 | DataType::Float64 => Err(format!(
                "`{}` is a whole number but the mapping yields a float; say how to round \
                 with round_half_up(parse_decimal(x, 6), 0)",
                c.name
            )),
            DataType::Decimal128(_, s) | DataType::Decimal256(_, s) if *s > 0 => {
                Err(format!(
                    "`{}` is a whole number but the mapping yields {s} decimals, which a cast \
                 would cut off; say how to round with round_half_up(x, 0)",
                    c.name
                ))
            }
            _ => Ok(column),
        },
        _ => Ok(column),
    }
}

/// Rows that passed the types, checked against what types cannot say.
pub(crate) struct Checked {
    /// rows to write, in the canonical schema
    pub batches: Vec<RecordBatch>,
    /// rows refused
    pub rejects: Vec<Reject>,
    /// district-years written
    pub district_years: DistrictYears,
    /// `(file, line)` of every written row, when all rows carry them
    pub lines: Option<HashSet<(String, u64)>>,
}

/// Blank text becomes NULL; then required values, allowed values and the
/// district and year given on the command line are checked row by row.
pub(crate) fn check_rows(
    batches: Vec<RecordBatch>,
    spec: &TableSpec,
    opts: &IngestOptions,
    raw: &RawInput,
) -> Result<Checked> {
    let schema = spec.arrow_schema();
    let columns = spec.all_columns();
    let mut by_line: Option<HashMap<(String, u64), usize>> = None;
    let mut seen_keys: HashMap<String, String> = HashMap::new();
    let mut out = Checked {
        batches: Vec::new(),
        rejects: Vec::new(),
        district_years: DistrictYears::new(),
        lines: Some(HashSet::new()),
    };
    for batch in batches {
        let arrays: Vec<ArrayRef> = batch.columns().iter().map(blank_to_null).collect();
        let mut keep = vec![true; batch.num_rows()];
        let text = |i: usize| arrays[i].as_any().downcast_ref::<StringArray>();
        let idx = |name: &str| columns.iter().position(|c| c.name == name);
        let district = idx("district_id").and_then(text);
        let years = idx("school_year")
            .and_then(|i| arrays[i].as_any().downcast_ref::<Int32Array>());
        let files = idx("source_file").and_then(text);
        let lines = idx("source_line")
            .and_then(|i| arrays[i].as_any().downcast_ref::<Int64Array>());
        let key_columns: Vec<(usize, &str)> = if spec.unique_key {
            spec.key
                .iter()
                .filter_map(|k| idx(k).map(|i| (i, *k)))
                .collect()
        } else {
            Vec::new()
        };
        for (row, kept) in keep.iter_mut().enumerate() {
            let mut reason: Option<(String, String)> = None;
            for (i, c) in columns.iter().enumerate() {
                let a = &arrays[i];
                if c.required && a.is_null(row) {
                    reason = Some((
                        c.name.into(),
                        format!("{} is required but empty", c.name),
                    ));
                    break;
                }
                if !c.allowed.is_empty()
                    && let Some(s) = text(i)
                    && s.is_valid(row)
                    && !c.allowed.contains(&s.value(row))
                {
                    reason = Some((
                        c.name.into(),
                        format!(
                            "{} is {:?}; allowed: {}",
                            c.name,
                            s.value(row),
                            c.allowed.join(", ")
                        ),
                    ));
                    break;
                }
            }
            if reason.is_none()
                && let Some(d) = district
                && d.is_valid(row)
                && let Err(why) = check_district_id(d.value(row))
            {
                reason = Some(("district_id".into(), why));
            }
            if reason.is_none()
                && let (Some(want), Some(d)) = (&opts.district, district)
                && d.is_valid(row)
                && d.value(row) != want
            {
                reason = Some((
                    "district_id".into(),
                    format!("district_id {:?} is not --district {want:?}", d.value(row)),
                ));
            }
            if reason.is_none()
                && let Some(y) = years
                && y.is_valid(row)
            {
                let year = y.value(row);
                if !(1900..=2100).contains(&year) {
                    reason = Some((
                        "school_year".into(),
                        format!("school_year {year} is not a plausible ending year"),
                    ));
                } else if let Some(want) = opts.year.filter(|w| *w != year) {
                    reason = Some((
                        "school_year".into(),
                        format!("school_year {year} is not --year {want}"),
                    ));
                }
            }
            let location = match (files, lines) {
                (Some(f), Some(l)) if f.is_valid(row) && l.is_valid(row) => {
                    Some((f.value(row).to_string(), l.value(row) as u64))
                }
                _ => None,
            };
            // A row repeating the key of an earlier row of this ingest (the same
            // file given twice, a mapping that multiplies rows) is refused.
            if reason.is_none()
                && let Some(key) = key_of(&arrays, &key_columns, row)
            {
                match seen_keys.get(&key) {
                    Some(first) => {
                        reason = Some((
                            spec.key.join(", "),
                            format!("duplicate key ({key}) of the row from {first}"),
                        ));
                    }
                    None => {
                        let from = match &location {
                            Some((f, l)) => format!("{f} line {l}"),
                            None => "an earlier row".to_string(),
                        };
                        seen_keys.insert(key, from);
                    }
                }
            }
            match reason {
                Some((column, why)) => {
                    *kept = false;
                    let (file, line) = location.clone().unwrap_or_default();
                    let record = match &location {
                        Some(loc) => {
                            let map = by_line.get_or_insert_with(|| line_index(raw));
                            map.get(loc)
                                .map(|r| raw.record_text(*r))
                                .unwrap_or_default()
                        }
                        None => String::new(),
                    };
                    out.rejects.push(Reject {
                        file,
                        line,
                        column,
                        kind: "rejected",
                        reason: why,
                        record,
                    });
                }
                None => {
                    match location {
                        Some(loc) => {
                            if let Some(set) = out.lines.as_mut() {
                                set.insert(loc);
                            }
                        }
                        None => out.lines = None,
                    }
                    if let (Some(d), Some(y)) = (district, years) {
                        out.district_years
                            .entry(y.value(row))
                            .or_default()
                            .insert(d.value(row).to_string());
                    }
                }
            }
        }
        // Filter under the mapping's (nullable) schema, then take the canonical
        // one, whose required columns hold no NULLs once rejects are gone.
        let loose = RecordBatch::try_new(batch.schema(), arrays)?;
        let kept = filter_record_batch(&loose, &BooleanArray::from(keep))?;
        let kept = RecordBatch::try_new(Arc::clone(&schema), kept.columns().to_vec())?;
        if kept.num_rows() > 0 {
            out.batches.push(kept);
        }
    }
    Ok(out)
}

/// The row's key as text (`name=value, ...`, with its district and year), or
/// `None` when every key column is empty (a mapping that keeps no lineage has
/// no `source_line` to key `gl_line` by).
fn key_of(
    arrays: &[ArrayRef],
    key_columns: &[(usize, &str)],
    row: usize,
) -> Option<String> {
    if key_columns.is_empty() || key_columns.iter().all(|(i, _)| arrays[*i].is_null(row))
    {
        return None;
    }
    let value = |i: usize| {
        datafusion::arrow::util::display::array_value_to_string(&arrays[i], row)
            .unwrap_or_default()
    };
    // district_id and school_year are the first two canonical columns.
    let mut parts = vec![value(0), value(1)];
    parts.extend(key_columns.iter().map(|(i, name)| {
        if arrays[*i].is_null(row) {
            format!("{name}=NULL")
        } else {
            format!("{name}={}", value(*i))
        }
    }));
    Some(parts.join(", "))
}

fn line_index(raw: &RawInput) -> HashMap<(String, u64), usize> {
    (0..raw.batch.num_rows())
        .map(|r| (raw.location(r), r))
        .collect()
}

/// Text that is empty or only spaces becomes NULL.
fn blank_to_null(a: &ArrayRef) -> ArrayRef {
    let Some(s) = a.as_any().downcast_ref::<StringArray>() else {
        return Arc::clone(a);
    };
    if !s.iter().any(|v| v.is_some_and(|v| v.trim().is_empty())) {
        return Arc::clone(a);
    }
    let cleaned: StringArray = s
        .iter()
        .map(|v| v.filter(|v| !v.trim().is_empty()))
        .collect();
    Arc::new(cleaned)
}

/// Refuses a mapping that turns text into a decimal or float with `CAST`:
/// Arrow's cast rounds extra decimals (1.005 becomes 1.01) and reads through
/// floats, where `parse_money` and `parse_decimal` say what they do.
pub(crate) fn refuse_text_to_number_casts(
    plan: &LogicalPlan,
    mapping: &Mapping,
) -> Result<()> {
    let mut found: Option<String> = None;
    plan.apply_with_subqueries(|node| {
        let inputs = node.inputs();
        let schema = match inputs.as_slice() {
            [one] => Arc::clone(one.schema()),
            _ => Arc::clone(node.schema()),
        };
        node.apply_expressions(|e| {
            e.apply(|sub| {
                let (inner, to) = match sub {
                    Expr::Cast(c) => (&c.expr, c.field.data_type()),
                    Expr::TryCast(c) => (&c.expr, c.field.data_type()),
                    _ => return Ok(TreeNodeRecursion::Continue),
                };
                let to_number = matches!(
                    to,
                    DataType::Decimal128(..)
                        | DataType::Decimal256(..)
                        | DataType::Float16
                        | DataType::Float32
                        | DataType::Float64
                );
                let from_text = inner.get_type(schema.as_ref()).is_ok_and(|t| {
                    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
                });
                if to_number && from_text {
                    found = Some(sub.to_string());
                    return Ok(TreeNodeRecursion::Stop);
                }
                Ok(TreeNodeRecursion::Continue)
            })
        })
    })?;
    match found {
        None => Ok(()),
        Some(expr) => Err(Error::Mapping {
            mapping: mapping.origin.clone(),
            message: format!(
                "`{expr}` reads text as a number with CAST, which rounds extra decimals \
                 and goes through floats silently; use parse_money(x) for money or \
                 parse_decimal(x, scale) for other numbers"
            ),
        }),
    }
}

/// A district id names a folder of the warehouse (`district_id=...`), so it
/// may hold only letters, digits, `-`, `_` and `.` (not first), at most 64 of
/// them: nothing that reads as a path, a URL or a hidden file.
pub fn check_district_id(id: &str) -> std::result::Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "district_id {id:?} may hold only letters, digits, '-', '_' and '.' \
             (not first), at most 64 characters"
        ))
    }
}

#[cfg(test)]
mod district_id_tests {
    use super::check_district_id;

    #[test]
    fn refuses_paths_and_urls() {
        for bad in [
            "../../etc",
            "/abs",
            "a/b",
            "s3://x",
            "..",
            ".hidden",
            "",
            "a b",
            "x\\y",
        ] {
            assert!(check_district_id(bad).is_err(), "{bad}");
        }
        for good in [
            "0200010",
            "DEMO01",
            "D0259",
            "101912",
            "140507000000",
            "a.b-c_d",
        ] {
            assert!(check_district_id(good).is_ok(), "{good}");
        }
    }
}
