//! `parse_money(text)`: exact money into `Decimal(18,2)`.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, Decimal128Builder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    Volatility,
};

use crate::DOC_SECTION;
use crate::args::{arrays, is_text, strings};
use crate::decimal_text::{Excess, NumberFormat, parse_number};

/// Precision and scale of every money value in resmap.
pub const MONEY_PRECISION: u8 = 18;
/// Cents.
pub const MONEY_SCALE: i8 = 2;

/// Reads money as written in ledgers and spreadsheets, exactly.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ParseMoneyFunc {
    signature: Signature,
}

impl Default for ParseMoneyFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl ParseMoneyFunc {
    /// The function with its signature.
    pub fn new() -> Self {
        Self {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

/// Reads one money text into cents; `None` for empty text.
pub fn parse_money_text(text: &str) -> std::result::Result<Option<i128>, String> {
    parse_number(
        text,
        NumberFormat {
            scale: MONEY_SCALE as u32,
            precision: MONEY_PRECISION,
            excess: Excess::Refuse,
            allow_exponent: false,
        },
    )
    .map_err(|e| e.to_string())
}

impl ScalarUDFImpl for ParseMoneyFunc {
    fn name(&self) -> &str {
        "parse_money"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if !is_text(&arg_types[0]) {
            return plan_err!(
                "parse_money reads text; got {} (cast it to VARCHAR first)",
                arg_types[0]
            );
        }
        Ok(DataType::Decimal128(MONEY_PRECISION, MONEY_SCALE))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let input = arrays(&args.args, args.number_rows)?;
        let text = strings(&input[0])?;
        let mut out = Decimal128Builder::with_capacity(text.len());
        for value in text.iter() {
            match value {
                None => out.append_null(),
                Some(v) => match parse_money_text(v) {
                    Ok(Some(cents)) => out.append_value(cents),
                    Ok(None) => out.append_null(),
                    Err(why) => {
                        return exec_err!(
                            "parse_money: cannot read {v:?} as money: {why}"
                        );
                    }
                },
            }
        }
        let array = out
            .finish()
            .with_precision_and_scale(MONEY_PRECISION, MONEY_SCALE)?;
        Ok(ColumnarValue::Array(Arc::new(array) as ArrayRef))
    }

    fn documentation(&self) -> Option<&Documentation> {
        static DOC: OnceLock<Documentation> = OnceLock::new();
        Some(DOC.get_or_init(|| {
            Documentation::builder(
                DOC_SECTION,
                "Reads money exactly into DECIMAL(18,2): thousands separators, a dollar \
                 sign, (parentheses) or a trailing minus for negatives. Empty text is \
                 NULL; anything else that is not money to the cent is an error.",
                "parse_money(text)",
            )
            .with_sql_example("SELECT parse_money('(3,276.25)'); -- -3276.25")
            .with_argument("text", "the money as written")
            .build()
        }))
    }
}
