//! `parse_decimal(text, scale)`: a number into `Decimal(38, scale)`.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, Decimal128Builder};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, exec_err, internal_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl,
    Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::args::{arrays, is_text, literal_int, strings};
use crate::decimal_text::{Excess, NumberFormat, parse_number};

/// Precision of `parse_decimal` results.
const PRECISION: u8 = 38;

/// Reads counts, FTEs and published ratios, rounding extra digits half away
/// from zero (published ratios often arrive as long binary floats).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ParseDecimalFunc {
    signature: Signature,
}

impl Default for ParseDecimalFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl ParseDecimalFunc {
    /// The function with its signature.
    pub fn new() -> Self {
        Self {
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

fn scale_of(args: &ReturnFieldArgs) -> Result<i8> {
    let scale = literal_int("parse_decimal", "scale", args.scalar_arguments[1])?;
    if !(0..=18).contains(&scale) {
        return plan_err!("parse_decimal: scale must be between 0 and 18, got {scale}");
    }
    Ok(scale as i8)
}

impl ScalarUDFImpl for ParseDecimalFunc {
    fn name(&self) -> &str {
        "parse_decimal"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        internal_err!("parse_decimal's type depends on its scale argument")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        if !is_text(args.arg_fields[0].data_type()) {
            return plan_err!(
                "parse_decimal reads text; got {} (cast it to VARCHAR first)",
                args.arg_fields[0].data_type()
            );
        }
        let scale = scale_of(&args)?;
        Ok(Arc::new(Field::new(
            self.name(),
            DataType::Decimal128(PRECISION, scale),
            true,
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let DataType::Decimal128(_, scale) = args.return_type().clone() else {
            return internal_err!("parse_decimal planned with a non-decimal type");
        };
        let input = arrays(&args.args[..1], args.number_rows)?;
        let text = strings(&input[0])?;
        let format = NumberFormat {
            scale: scale as u32,
            precision: PRECISION,
            excess: Excess::RoundHalfUp,
            allow_exponent: true,
        };
        let mut out = Decimal128Builder::with_capacity(text.len());
        for value in text.iter() {
            match value {
                None => out.append_null(),
                Some(v) => match parse_number(v, format) {
                    Ok(Some(n)) => out.append_value(n),
                    Ok(None) => out.append_null(),
                    Err(why) => {
                        return exec_err!(
                            "parse_decimal: cannot read {v:?} as a number: {why}"
                        );
                    }
                },
            }
        }
        let array = out.finish().with_precision_and_scale(PRECISION, scale)?;
        Ok(ColumnarValue::Array(Arc::new(array) as ArrayRef))
    }

    fn documentation(&self) -> Option<&Documentation> {
        static DOC: OnceLock<Documentation> = OnceLock::new();
        Some(DOC.get_or_init(|| {
            Documentation::builder(
                DOC_SECTION,
                "Reads a number into DECIMAL(38, scale) without binary floating point. \
                 Accepts thousands separators, signs, parentheses and exponents; digits \
                 beyond the scale round half away from zero. Empty text is NULL.",
                "parse_decimal(text, scale)",
            )
            .with_sql_example(
                "SELECT parse_decimal('14.368892704525067', 6); -- 14.368893",
            )
            .with_argument("text", "the number as written")
            .with_argument("scale", "decimal places to keep (a literal, 0 to 18)")
            .build()
        }))
    }
}
