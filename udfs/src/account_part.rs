//! `account_part(account, n [, widths])`: one segment of an account string.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    TypeSignature, Volatility,
};

use crate::DOC_SECTION;
use crate::args::{arrays, constant_text, is_text, strings};

/// Splits account strings such as `10-100-120000` or fixed-width `101001200`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct AccountPartFunc {
    signature: Signature,
}

impl Default for AccountPartFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl AccountPartFunc {
    /// The function with its signature.
    pub fn new() -> Self {
        Self {
            signature: Signature::one_of(
                vec![TypeSignature::Any(2), TypeSignature::Any(3)],
                Volatility::Immutable,
            ),
        }
    }
}

const SEPARATORS: [char; 4] = ['-', '.', ' ', '/'];

/// Reads a width list such as `2,3,4`.
pub fn parse_widths(widths: &str) -> std::result::Result<Vec<usize>, String> {
    widths
        .split(',')
        .map(|w| {
            w.trim()
                .parse::<usize>()
                .ok()
                .filter(|w| *w > 0)
                .ok_or_else(|| format!("bad width {w:?} in {widths:?}"))
        })
        .collect()
}

/// Segment `n` (1-based) of `account`: split on `-`, `.`, space or `/` when the
/// string has one, else cut by `widths`. `None` when there is no such segment
/// or it is empty.
pub fn account_part_text(
    account: &str,
    n: usize,
    widths: Option<&[usize]>,
) -> Option<String> {
    let account = account.trim();
    if n == 0 || account.is_empty() {
        return None;
    }
    if account.contains(SEPARATORS) {
        // An empty segment (`10--610`) is a missing code, not a reason to
        // shift the later segments left.
        return account
            .split(SEPARATORS)
            .nth(n - 1)
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string);
    }
    let widths = widths?;
    let start: usize = widths.iter().take(n - 1).sum();
    let width = *widths.get(n - 1)?;
    account
        .get(start..(start + width).min(account.len()))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl ScalarUDFImpl for AccountPartFunc {
    fn name(&self) -> &str {
        "account_part"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if !is_text(&arg_types[0]) || !arg_types[1].is_integer() {
            return plan_err!(
                "account_part takes (text, integer [, text]), got {arg_types:?}"
            );
        }
        if arg_types.len() == 3 && !is_text(&arg_types[2]) {
            return plan_err!("account_part: widths must be text such as '2,3,4'");
        }
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let widths = match args.args.get(2) {
            Some(w) => match constant_text(w)? {
                Some(w) => match parse_widths(&w) {
                    Ok(w) => Some(w),
                    Err(why) => return exec_err!("account_part: {why}"),
                },
                None => None,
            },
            None => None,
        };
        let input = arrays(&args.args[..2], args.number_rows)?;
        let text = strings(&input[0])?;
        let parts = datafusion::arrow::compute::cast(&input[1], &DataType::Int64)?;
        let parts = datafusion::common::cast::as_int64_array(&parts)?;
        let mut out = StringBuilder::with_capacity(text.len(), text.len() * 4);
        for (value, n) in text.iter().zip(parts.iter()) {
            let part = match (value, n) {
                (Some(v), Some(n)) if n > 0 => {
                    account_part_text(v, n as usize, widths.as_deref())
                }
                _ => None,
            };
            out.append_option(part);
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish()) as ArrayRef))
    }

    fn documentation(&self) -> Option<&Documentation> {
        static DOC: OnceLock<Documentation> = OnceLock::new();
        Some(DOC.get_or_init(|| {
            Documentation::builder(
                DOC_SECTION,
                "Segment n (from 1) of an account string. Strings with '-', '.', ' ' \
                 or '/' split there; strings without are cut by the comma-separated \
                 widths. NULL when there is no such segment.",
                "account_part(account, n [, widths])",
            )
            .with_sql_example("SELECT account_part('10-100-120000', 3); -- '120000'")
            .with_argument("account", "the account string")
            .with_argument("n", "which segment, from 1")
            .with_argument("widths", "for fixed-width strings, such as '2,3,4'")
            .build()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_delimited_and_fixed_width_accounts() {
        assert_eq!(
            account_part_text("10-100-120000", 3, None).as_deref(),
            Some("120000")
        );
        assert_eq!(
            account_part_text("100.310.100", 2, None).as_deref(),
            Some("310")
        );
        let w = parse_widths("3,3,3").unwrap();
        assert_eq!(
            account_part_text("100310100", 2, Some(&w)).as_deref(),
            Some("310")
        );
        assert_eq!(account_part_text("100310100", 4, Some(&w)), None);
        assert_eq!(account_part_text("100310100", 1, None), None);
        assert_eq!(account_part_text("10--610", 2, None), None);
        assert_eq!(
            account_part_text("10--610", 3, None).as_deref(),
            Some("610")
        );
        assert!(parse_widths("2,x").is_err());
    }
}
