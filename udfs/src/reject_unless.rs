//! `reject_unless(condition, reason)`: a mapping's own row check.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, BooleanArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    Volatility,
};

use crate::DOC_SECTION;
use crate::args::{arrays, is_text, strings};

/// True where `condition` holds; an error quoting `reason` where it does not.
/// In an ingest, the error rejects that raw line with the reason.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RejectUnlessFunc {
    signature: Signature,
}

impl Default for RejectUnlessFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl RejectUnlessFunc {
    /// The function with its signature.
    pub fn new() -> Self {
        Self {
            // Volatile so the optimizer neither folds nor drops it.
            signature: Signature::any(2, Volatility::Volatile),
        }
    }
}

impl ScalarUDFImpl for RejectUnlessFunc {
    fn name(&self) -> &str {
        "reject_unless"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if !matches!(arg_types[0], DataType::Boolean | DataType::Null)
            || !is_text(&arg_types[1])
        {
            return plan_err!(
                "reject_unless takes (boolean condition, text reason), got {arg_types:?}"
            );
        }
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let input = arrays(&args.args, args.number_rows)?;
        let condition = cast(&input[0], &DataType::Boolean)?;
        let Some(condition) = condition.as_any().downcast_ref::<BooleanArray>() else {
            return exec_err!("reject_unless: condition is not boolean");
        };
        for row in 0..condition.len() {
            if condition.is_null(row) || !condition.value(row) {
                let reasons = strings(&input[1])?;
                let reason = if reasons.is_valid(row) {
                    reasons.value(row).to_string()
                } else {
                    "the mapping's row check failed".to_string()
                };
                return exec_err!("{reason}");
            }
        }
        Ok(ColumnarValue::Array(
            Arc::new(BooleanArray::from(vec![true; condition.len()])) as ArrayRef,
        ))
    }

    fn documentation(&self) -> Option<&Documentation> {
        static DOC: OnceLock<Documentation> = OnceLock::new();
        Some(DOC.get_or_init(|| {
            Documentation::builder(
                DOC_SECTION,
                "A mapping's row check: true where the condition holds, an error with \
                 the reason where it is false or NULL. In WHERE, an ingest rejects the \
                 failing raw lines with that reason instead of loading them. Evaluate \
                 it only on rows the mapping keeps (inside CASE if other filters apply).",
                "reject_unless(condition, reason)",
            )
            .with_sql_example(
                "SELECT * FROM raw WHERE reject_unless(kind IN ('P','J'), 'unknown kind ' || kind)",
            )
            .with_argument("condition", "what every row must satisfy")
            .with_argument("reason", "text explaining a failure, may quote the row's values")
            .build()
        }))
    }
}
