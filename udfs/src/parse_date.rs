//! `parse_date(text [, format])`: dates as district exports write them.

use std::sync::{Arc, OnceLock};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use datafusion::arrow::array::{Array, ArrayRef, Date32Builder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    TypeSignature, Volatility,
};

use crate::DOC_SECTION;
use crate::args::{arrays, constant_text, is_text, strings};

/// Formats tried, in order, when no format is given. Month-first because the
/// files resmap reads are American; pass a format for day-first data.
pub const DEFAULT_FORMATS: &[&str] = &[
    "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d-%b-%y", "%d-%b-%Y", "%Y/%m/%d", "%Y%m%d",
];

/// Formats with a time part; only the date is kept.
const DATETIME_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M",
];

/// Reads dates into `DATE`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ParseDateFunc {
    signature: Signature,
}

impl Default for ParseDateFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl ParseDateFunc {
    /// The function with its signature.
    pub fn new() -> Self {
        Self {
            signature: Signature::one_of(
                vec![TypeSignature::Any(1), TypeSignature::Any(2)],
                Volatility::Immutable,
            ),
        }
    }
}

/// Reads one date with `format`, or with the default formats when `None`.
/// A four-digit-year field (`%Y`) must hold four digits: chrono alone would
/// read `3/16/19` as the year 19.
pub fn parse_date_text(text: &str, format: Option<&str>) -> Option<NaiveDate> {
    let text = text.trim();
    let one = |f: &str| -> Option<NaiveDate> {
        let date = NaiveDate::parse_from_str(text, f).ok().or_else(|| {
            NaiveDateTime::parse_from_str(text, f)
                .ok()
                .map(|d| d.date())
        })?;
        if f.contains("%Y") && date.year() < 1000 {
            return None;
        }
        // Two-digit years fall in 1950-2049 (chrono's window is 1969-2068,
        // which puts a 1968 birth date in the future).
        if f.contains("%y") && date.year() >= 2050 {
            return date.with_year(date.year() - 100);
        }
        Some(date)
    };
    match format {
        Some(f) => one(f),
        None => DEFAULT_FORMATS
            .iter()
            .chain(DATETIME_FORMATS)
            .find_map(|f| one(f)),
    }
}

/// Days since 1970-01-01, the unit of Arrow's `Date32`.
pub fn days_since_epoch(date: NaiveDate) -> i32 {
    let epoch = NaiveDate::default(); // 1970-01-01
    date.signed_duration_since(epoch).num_days() as i32
}

impl ScalarUDFImpl for ParseDateFunc {
    fn name(&self) -> &str {
        "parse_date"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if !arg_types.iter().all(is_text) {
            return plan_err!("parse_date takes text arguments, got {arg_types:?}");
        }
        Ok(DataType::Date32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let format = match args.args.get(1) {
            Some(f) => constant_text(f)?,
            None => None,
        };
        let input = arrays(&args.args[..1], args.number_rows)?;
        let text = strings(&input[0])?;
        let mut out = Date32Builder::with_capacity(text.len());
        for value in text.iter() {
            match value {
                None => out.append_null(),
                Some(v) if v.trim().is_empty() => out.append_null(),
                Some(v) => match parse_date_text(v, format.as_deref()) {
                    Some(d) => out.append_value(days_since_epoch(d)),
                    None => {
                        let tried = match &format {
                            Some(f) => format!("format {f:?}"),
                            None => format!("formats {}", DEFAULT_FORMATS.join(", ")),
                        };
                        return exec_err!(
                            "parse_date: cannot read {v:?} as a date with {tried}"
                        );
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
                "Reads a date. Without a format it tries ISO (2019-03-16), US \
                 (3/16/2019, 3/16/19), 16-Mar-19, 2019/03/16 and 20190316, and a time \
                 part is dropped. With a format (chrono strftime syntax) only that one. \
                 Empty text is NULL; anything unreadable is an error.",
                "parse_date(text [, format])",
            )
            .with_sql_example("SELECT parse_date('3/16/2019'); -- 2019-03-16")
            .with_argument("text", "the date as written")
            .with_argument("format", "optional strftime format such as '%d/%m/%Y'")
            .build()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_shapes_in_the_alaska_ledgers() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(parse_date_text("3/16/2019", None), d(2019, 3, 16));
        assert_eq!(parse_date_text("10-Oct-18", None), d(2018, 10, 10));
        assert_eq!(parse_date_text("5/30/19 09:05", None), d(2019, 5, 30));
        assert_eq!(parse_date_text("2019-07-01", None), d(2019, 7, 1));
        assert_eq!(parse_date_text("3/16/19", None), d(2019, 3, 16));
        assert_eq!(parse_date_text("1/2/68", None), d(1968, 1, 2));
        assert_eq!(parse_date_text("1/2/49", None), d(2049, 1, 2));
        assert_eq!(
            parse_date_text("16/3/2019", Some("%d/%m/%Y")),
            d(2019, 3, 16)
        );
        assert_eq!(parse_date_text("13/45/2019", None), None);
        assert_eq!(parse_date_text("Report Total", None), None);
    }

    #[test]
    fn counts_days_from_the_unix_epoch() {
        // 1970-01-01 is day 0; 2000-01-01 is day 10,957 (30 years, 7 leap days).
        assert_eq!(
            days_since_epoch(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()),
            0
        );
        assert_eq!(
            days_since_epoch(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()),
            10_957
        );
    }
}
