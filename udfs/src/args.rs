//! Helpers shared by the functions: reading string arguments of any string
//! type, and literal integer arguments that shape a return type.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::ColumnarValue;

/// Turns the arguments into arrays of `number_rows` rows.
pub(crate) fn arrays(
    args: &[ColumnarValue],
    number_rows: usize,
) -> Result<Vec<ArrayRef>> {
    args.iter()
        .map(|a| a.to_array(number_rows))
        .collect::<Result<Vec<_>>>()
}

/// A string argument as a plain `StringArray`, casting views and large strings.
pub(crate) fn strings(array: &ArrayRef) -> Result<StringArray> {
    let utf8 = if array.data_type() == &DataType::Utf8 {
        Arc::clone(array)
    } else {
        cast(array, &DataType::Utf8)?
    };
    match utf8.as_any().downcast_ref::<StringArray>() {
        Some(s) => Ok(s.clone()),
        None => exec_err!("expected a string argument, found {}", array.data_type()),
    }
}

/// True for the string types a function accepts as text.
pub(crate) fn is_text(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
    )
}

/// A literal integer argument (such as a scale) known at planning time.
pub(crate) fn literal_int(
    function: &str,
    what: &str,
    value: Option<&ScalarValue>,
) -> Result<i64> {
    let n = match value {
        Some(ScalarValue::Int8(Some(v))) => i64::from(*v),
        Some(ScalarValue::Int16(Some(v))) => i64::from(*v),
        Some(ScalarValue::Int32(Some(v))) => i64::from(*v),
        Some(ScalarValue::Int64(Some(v))) => *v,
        Some(ScalarValue::UInt8(Some(v))) => i64::from(*v),
        Some(ScalarValue::UInt16(Some(v))) => i64::from(*v),
        Some(ScalarValue::UInt32(Some(v))) => i64::from(*v),
        Some(ScalarValue::UInt64(Some(v))) => match i64::try_from(*v) {
            Ok(n) => n,
            Err(_) => return plan_err!("{function}: {what} {v} is too large"),
        },
        _ => return plan_err!("{function}: {what} must be a literal integer"),
    };
    Ok(n)
}

/// A string argument value that is the same on every row (a format, a list of
/// widths), read from a scalar or from the first row of an array.
pub(crate) fn constant_text(value: &ColumnarValue) -> Result<Option<String>> {
    match value {
        ColumnarValue::Scalar(s) => match s {
            ScalarValue::Utf8(v)
            | ScalarValue::LargeUtf8(v)
            | ScalarValue::Utf8View(v) => Ok(v.clone()),
            ScalarValue::Null => Ok(None),
            other => exec_err!("expected a text constant, found {}", other.data_type()),
        },
        ColumnarValue::Array(a) => {
            let s = strings(a)?;
            if s.is_empty() || s.is_null(0) {
                return Ok(None);
            }
            Ok(Some(s.value(0).to_string()))
        }
    }
}
