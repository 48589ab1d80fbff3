//! `round_half_up(decimal, places)`: commercial rounding that stays decimal.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, Decimal128Array, Decimal128Builder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, exec_err, internal_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl,
    Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::args::{arrays, literal_int};

/// Rounds a decimal to `places` decimals, half away from zero, and returns a
/// decimal of exactly that scale. Floats are refused: a float cannot hold the
/// ties (89/4 = 22.25) that half-up rounding is about.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RoundHalfUpFunc {
    signature: Signature,
}

impl Default for RoundHalfUpFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl RoundHalfUpFunc {
    /// The function with its signature.
    pub fn new() -> Self {
        Self {
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

/// Input precision and scale, treating integers as scale-0 decimals.
fn input_decimal(t: &DataType) -> Option<(u8, i8)> {
    match t {
        DataType::Decimal128(p, s) => Some((*p, *s)),
        DataType::Int8 | DataType::UInt8 => Some((3, 0)),
        DataType::Int16 | DataType::UInt16 => Some((5, 0)),
        DataType::Int32 | DataType::UInt32 => Some((10, 0)),
        DataType::Int64 | DataType::UInt64 => Some((20, 0)),
        DataType::Null => Some((1, 0)),
        _ => None,
    }
}

/// Rounds an unscaled value from scale `from` to scale `to` (`to < from`).
pub fn round_unscaled(value: i128, from: i8, to: i8) -> i128 {
    if to >= from {
        return value * 10i128.pow((to - from) as u32);
    }
    let div = 10i128.pow((from - to) as u32);
    let q = value / div;
    let r = value % div;
    if r.abs() * 2 >= div {
        q + value.signum()
    } else {
        q
    }
}

impl ScalarUDFImpl for RoundHalfUpFunc {
    fn name(&self) -> &str {
        "round_half_up"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        internal_err!("round_half_up's type depends on its places argument")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let t = args.arg_fields[0].data_type();
        let Some((p, s)) = input_decimal(t) else {
            return plan_err!(
                "round_half_up rounds decimals and integers; got {t}. Floats cannot \
                 round ties exactly: compute in DECIMAL (CAST(x AS DECIMAL(38,10)))"
            );
        };
        let places = literal_int("round_half_up", "places", args.scalar_arguments[1])?;
        if !(0..=18).contains(&places) {
            return plan_err!(
                "round_half_up: places must be between 0 and 18, got {places}"
            );
        }
        let places = places as i8;
        // One more integer digit than the input in case rounding carries.
        let int_digits = i16::from(p) - i16::from(s) + 1;
        let precision = (int_digits + i16::from(places)).clamp(1, 38) as u8;
        Ok(Arc::new(Field::new(
            self.name(),
            DataType::Decimal128(precision, places),
            true,
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let DataType::Decimal128(precision, places) = args.return_type().clone() else {
            return internal_err!("round_half_up planned with a non-decimal type");
        };
        let input = arrays(&args.args[..1], args.number_rows)?;
        let Some((in_p, in_s)) = input_decimal(input[0].data_type()) else {
            return internal_err!("round_half_up got {}", input[0].data_type());
        };
        let as_decimal = cast(&input[0], &DataType::Decimal128(in_p.max(1), in_s))?;
        let Some(values) = as_decimal.as_any().downcast_ref::<Decimal128Array>() else {
            return internal_err!("round_half_up: cast to decimal failed");
        };
        let limit = 10i128.pow(u32::from(precision));
        let mut out = Decimal128Builder::with_capacity(values.len());
        for v in values.iter() {
            match v {
                None => out.append_null(),
                Some(v) => {
                    let r = round_unscaled(v, in_s, places);
                    if r.abs() >= limit {
                        return exec_err!(
                            "round_half_up: result overflows DECIMAL({precision},{places})"
                        );
                    }
                    out.append_value(r);
                }
            }
        }
        let array = out.finish().with_precision_and_scale(precision, places)?;
        Ok(ColumnarValue::Array(Arc::new(array) as ArrayRef))
    }

    fn documentation(&self) -> Option<&Documentation> {
        static DOC: OnceLock<Documentation> = OnceLock::new();
        Some(DOC.get_or_init(|| {
            Documentation::builder(
                DOC_SECTION,
                "Rounds a decimal to a number of places, ties away from zero \
                 (22.25 -> 22.3, -0.5 -> -1), returning DECIMAL with exactly that scale. \
                 Floats are refused.",
                "round_half_up(value, places)",
            )
            .with_sql_example(
                "SELECT round_half_up(CAST(89 AS DECIMAL(10,0)) / 4, 1); -- 22.3",
            )
            .with_argument("value", "a decimal or integer")
            .with_argument("places", "decimal places to keep (a literal, 0 to 18)")
            .build()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::round_unscaled;

    #[test]
    fn rounds_ties_away_from_zero() {
        // 22.25 -> 22.3 is the NYC class-size tie (89 students / 4 sections).
        assert_eq!(round_unscaled(2225, 2, 1), 223);
        assert_eq!(round_unscaled(-2225, 2, 1), -223);
        assert_eq!(round_unscaled(2224, 2, 1), 222);
        assert_eq!(round_unscaled(975, 2, 1), 98);
        assert_eq!(round_unscaled(5, 1, 0), 1);
        assert_eq!(round_unscaled(-5, 1, 0), -1);
        assert_eq!(round_unscaled(123, 0, 2), 12300);
    }
}
