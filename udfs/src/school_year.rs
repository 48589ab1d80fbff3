//! `parse_school_year(text)` and `school_year_of(date [, start_month])`: school
//! years are labelled by their ending year (2024 = 2023-24).

use std::sync::{Arc, OnceLock};

use chrono::Datelike;
use datafusion::arrow::array::{Array, ArrayRef, Date32Array, Int32Builder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    TypeSignature, Volatility,
};

use crate::DOC_SECTION;
use crate::args::{arrays, is_text, strings};

/// Reads a school-year label into its ending year.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ParseSchoolYearFunc {
    signature: Signature,
}

impl Default for ParseSchoolYearFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl ParseSchoolYearFunc {
    /// The function with its signature.
    pub fn new() -> Self {
        Self {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

fn year_from(digits: &str) -> Option<i32> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match digits.len() {
        // Two-digit years fall in 1950-2049, as parse_date reads them.
        2 => digits
            .parse::<i32>()
            .ok()
            .map(|y| if y >= 50 { 1900 + y } else { 2000 + y }),
        4 => digits.parse().ok(),
        _ => None,
    }
}

/// Reads `2007-2008`, `2010-11`, `2010/11`, `SY2023-24`, `FY2023`, `FY23`, `2023`
/// into the ending year; two-digit years fall in 1950-2049.
pub fn parse_school_year_text(text: &str) -> std::result::Result<i32, &'static str> {
    let t = text.trim().to_ascii_uppercase();
    let t = t
        .strip_prefix("SY")
        .or_else(|| t.strip_prefix("FY"))
        .unwrap_or(&t)
        .trim();
    match t.split_once(['-', '/']) {
        None => year_from(t).ok_or("not a year"),
        Some((start, end)) => {
            let start = year_from(start)
                .filter(|_| start.len() == 4)
                .ok_or("not a year")?;
            let end = if end.len() == 2 {
                // 2010-11: the century of the start year, rolling over at 99-00.
                let yy: i32 = end.parse().map_err(|_| "not a year")?;
                let candidate = start / 100 * 100 + yy;
                if candidate <= start {
                    candidate + 100
                } else {
                    candidate
                }
            } else {
                year_from(end).ok_or("not a year")?
            };
            if end != start + 1 {
                return Err("a school year spans two consecutive years");
            }
            Ok(end)
        }
    }
}

impl ScalarUDFImpl for ParseSchoolYearFunc {
    fn name(&self) -> &str {
        "parse_school_year"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if !is_text(&arg_types[0]) {
            return plan_err!("parse_school_year reads text, got {}", arg_types[0]);
        }
        Ok(DataType::Int32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let input = arrays(&args.args, args.number_rows)?;
        let text = strings(&input[0])?;
        let mut out = Int32Builder::with_capacity(text.len());
        for value in text.iter() {
            match value {
                None => out.append_null(),
                Some(v) if v.trim().is_empty() => out.append_null(),
                Some(v) => match parse_school_year_text(v) {
                    Ok(y) => out.append_value(y),
                    Err(why) => {
                        return exec_err!("parse_school_year: cannot read {v:?}: {why}");
                    }
                },
            }
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish()) as ArrayRef))
    }

    fn documentation(&self) -> Option<&Documentation> {
        static DOC: OnceLock<Documentation> = OnceLock::new();
        Some(DOC.get_or_init(|| {
            Documentation::builder(
                DOC_SECTION,
                "Reads a school-year or fiscal-year label into its ending year: \
                 '2007-2008', '2010-11', 'SY2023-24', 'FY23' and '2023' all name the year \
                 that ends in that spring.",
                "parse_school_year(text)",
            )
            .with_sql_example("SELECT parse_school_year('2007-2008'); -- 2008")
            .with_argument("text", "the label")
            .build()
        }))
    }
}

/// The school year a date falls in.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SchoolYearOfFunc {
    signature: Signature,
}

impl Default for SchoolYearOfFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl SchoolYearOfFunc {
    /// The function with its signature.
    pub fn new() -> Self {
        Self {
            signature: Signature::one_of(
                vec![
                    TypeSignature::Exact(vec![DataType::Date32]),
                    TypeSignature::Exact(vec![DataType::Date32, DataType::Int64]),
                ],
                Volatility::Immutable,
            ),
        }
    }
}

/// Ending year of the year that starts on the first of `start_month`.
pub fn school_year_of_date(date: chrono::NaiveDate, start_month: u32) -> i32 {
    // A year starting in January ends in the same calendar year.
    if start_month > 1 && date.month() >= start_month {
        date.year() + 1
    } else {
        date.year()
    }
}

impl ScalarUDFImpl for SchoolYearOfFunc {
    fn name(&self) -> &str {
        "school_year_of"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let input = arrays(&args.args, args.number_rows)?;
        let dates = cast(&input[0], &DataType::Date32)?;
        let Some(dates) = dates.as_any().downcast_ref::<Date32Array>() else {
            return exec_err!("school_year_of expects a date");
        };
        let months = match input.get(1) {
            Some(m) => Some(cast(m, &DataType::Int64)?),
            None => None,
        };
        let months = months.as_ref().and_then(|m| {
            m.as_any()
                .downcast_ref::<datafusion::arrow::array::Int64Array>()
        });
        let mut out = Int32Builder::with_capacity(dates.len());
        for i in 0..dates.len() {
            let start = match months {
                Some(m) if m.is_null(i) => {
                    out.append_null();
                    continue;
                }
                Some(m) => m.value(i),
                None => 7,
            };
            if !(1..=12).contains(&start) {
                return exec_err!(
                    "school_year_of: start month must be 1 to 12, got {start}"
                );
            }
            let date = if dates.is_valid(i) {
                dates.value_as_date(i)
            } else {
                None
            };
            match date {
                Some(d) => out.append_value(school_year_of_date(d, start as u32)),
                None => out.append_null(),
            }
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish()) as ArrayRef))
    }

    fn documentation(&self) -> Option<&Documentation> {
        static DOC: OnceLock<Documentation> = OnceLock::new();
        Some(DOC.get_or_init(|| {
            Documentation::builder(
                DOC_SECTION,
                "The ending year of the school or fiscal year a date falls in. Years \
                 start on the first of start_month (7 = July, the default; 9 for a \
                 September-August fiscal year).",
                "school_year_of(date [, start_month])",
            )
            .with_sql_example("SELECT school_year_of(DATE '2019-08-30'); -- 2020")
            .with_argument("date", "a DATE")
            .with_argument("start_month", "first month of the year, 1-12 (default 7)")
            .build()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_labels_into_ending_years() {
        assert_eq!(parse_school_year_text("2007-2008"), Ok(2008));
        assert_eq!(parse_school_year_text("2010-11"), Ok(2011));
        assert_eq!(parse_school_year_text("1999-00"), Ok(2000));
        assert_eq!(parse_school_year_text("SY2023-24"), Ok(2024));
        assert_eq!(parse_school_year_text("FY23"), Ok(2023));
        assert_eq!(parse_school_year_text("fy2023"), Ok(2023));
        assert_eq!(parse_school_year_text("FY99"), Ok(1999));
        assert_eq!(parse_school_year_text("2023"), Ok(2023));
        assert!(parse_school_year_text("2007-2009").is_err());
        assert!(parse_school_year_text("next year").is_err());
    }

    #[test]
    fn dates_fall_in_the_year_that_starts_in_july() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(school_year_of_date(d(2019, 8, 30), 7), 2020);
        assert_eq!(school_year_of_date(d(2020, 6, 30), 7), 2020);
        assert_eq!(school_year_of_date(d(2019, 7, 1), 7), 2020);
        assert_eq!(school_year_of_date(d(2019, 8, 30), 9), 2019);
        assert_eq!(school_year_of_date(d(2024, 1, 15), 1), 2024);
        assert_eq!(school_year_of_date(d(2024, 12, 31), 1), 2024);
    }
}
