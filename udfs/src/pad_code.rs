//! `pad_code(text, width)`: codes keep their leading zeros.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    Volatility,
};

use crate::DOC_SECTION;
use crate::args::{arrays, is_text, strings};

/// Left-pads numeric codes with zeros to a width.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct PadCodeFunc {
    signature: Signature,
}

impl Default for PadCodeFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl PadCodeFunc {
    /// The function with its signature.
    pub fn new() -> Self {
        Self {
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

/// Trims `code`, drops a spreadsheet's `.0` from whole numbers, and left-pads a
/// numeric code with zeros to `width`. Codes with letters are only trimmed;
/// longer codes are kept whole. Empty text is `None`.
pub fn pad_code_text(code: &str, width: usize) -> Option<String> {
    let mut c = code.trim();
    if c.is_empty() {
        return None;
    }
    if let Some(whole) = c.strip_suffix(".0")
        && !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
    {
        c = whole;
    }
    if c.bytes().all(|b| b.is_ascii_digit()) && c.len() < width {
        Some(format!("{c:0>width$}"))
    } else {
        Some(c.to_string())
    }
}

impl ScalarUDFImpl for PadCodeFunc {
    fn name(&self) -> &str {
        "pad_code"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if !is_text(&arg_types[0]) {
            return plan_err!(
                "pad_code reads text, got {} (codes are text: CAST(x AS VARCHAR))",
                arg_types[0]
            );
        }
        if !arg_types[1].is_integer() {
            return plan_err!("pad_code: width must be an integer, got {}", arg_types[1]);
        }
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let input = arrays(&args.args, args.number_rows)?;
        let text = strings(&input[0])?;
        let widths = datafusion::arrow::compute::cast(&input[1], &DataType::Int64)?;
        let widths = datafusion::common::cast::as_int64_array(&widths)?;
        let mut out = StringBuilder::with_capacity(text.len(), text.len() * 8);
        for (value, width) in text.iter().zip(widths.iter()) {
            match (value, width) {
                (Some(v), Some(w)) => {
                    if !(0..=64).contains(&w) {
                        return exec_err!("pad_code: width must be 0 to 64, got {w}");
                    }
                    match pad_code_text(v, w as usize) {
                        Some(p) => out.append_value(p),
                        None => out.append_null(),
                    }
                }
                _ => out.append_null(),
            }
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish()) as ArrayRef))
    }

    fn documentation(&self) -> Option<&Documentation> {
        static DOC: OnceLock<Documentation> = OnceLock::new();
        Some(DOC.get_or_init(|| {
            Documentation::builder(
                DOC_SECTION,
                "Normalises a code: trims it, drops a spreadsheet's trailing '.0', and \
                 left-pads numeric codes with zeros to the width. Codes with letters \
                 are only trimmed. Empty text is NULL.",
                "pad_code(text, width)",
            )
            .with_sql_example("SELECT pad_code('1', 2); -- '01'")
            .with_argument("text", "the code as written")
            .with_argument("width", "the code's full width")
            .build()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::pad_code_text;

    #[test]
    fn pads_numeric_codes_and_keeps_the_rest() {
        assert_eq!(pad_code_text("1", 2).as_deref(), Some("01"));
        assert_eq!(pad_code_text(" 10.0 ", 4).as_deref(), Some("0010"));
        assert_eq!(pad_code_text("0100005", 7).as_deref(), Some("0100005"));
        assert_eq!(pad_code_text("12345", 3).as_deref(), Some("12345"));
        assert_eq!(pad_code_text("M015", 6).as_deref(), Some("M015"));
        assert_eq!(pad_code_text("  ", 3), None);
    }
}
