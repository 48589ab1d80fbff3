//! Exact reading of numbers written the way spreadsheets and ledgers write them.
//!
//! The kernel works on the text's digits directly and builds an `i128` of the
//! requested scale, so no value ever passes through binary floating point.

use std::fmt;

/// What to do with digits beyond the requested scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Excess {
    /// Refuse the value unless the extra digits are all zero (money).
    Refuse,
    /// Round half away from zero (published ratios written as long floats).
    RoundHalfUp,
}

/// Why a text is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    /// The text is not a number in any accepted shape.
    Syntax(&'static str),
    /// More fractional digits than the scale allows.
    TooManyDecimals {
        /// the scale asked for
        scale: u32,
    },
    /// The number does not fit the precision.
    Overflow {
        /// the precision asked for
        precision: u8,
    },
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumberError::Syntax(why) => write!(f, "{why}"),
            NumberError::TooManyDecimals { scale } => {
                write!(f, "more than {scale} decimal places would be lost")
            }
            NumberError::Overflow { precision } => {
                write!(f, "too large for {precision} significant digits")
            }
        }
    }
}

/// Options of one reading.
#[derive(Debug, Clone, Copy)]
pub struct NumberFormat {
    /// decimal places of the result
    pub scale: u32,
    /// total significant digits the result may have
    pub precision: u8,
    /// what to do with extra decimals
    pub excess: Excess,
    /// accept `1.5E+3`
    pub allow_exponent: bool,
}

/// Reads `text` as a decimal with `format.scale` places, returning the unscaled
/// integer, or `None` for empty text.
///
/// Accepted: surrounding spaces, a leading `+`/`-`, a trailing `-`, a `$` before
/// or after the sign, `( )` around a negative, thousands separators in groups of
/// three, and (when allowed) an exponent.
pub fn parse_number(
    text: &str,
    format: NumberFormat,
) -> Result<Option<i128>, NumberError> {
    let mut s = text.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let mut negative = false;
    if s.starts_with('(') {
        if !s.ends_with(')') {
            return Err(NumberError::Syntax("unbalanced parenthesis"));
        }
        negative = true;
        s = s[1..s.len() - 1].trim();
    }
    s = strip_dollar(s);
    if let Some(rest) = s.strip_prefix('-') {
        if negative {
            return Err(NumberError::Syntax("two minus signs"));
        }
        negative = true;
        s = rest;
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest;
    }
    s = strip_dollar(s);
    if let Some(rest) = s.strip_suffix('-') {
        if negative {
            return Err(NumberError::Syntax("two minus signs"));
        }
        negative = true;
        s = rest.trim_end();
    }
    if s.is_empty() {
        return Err(NumberError::Syntax("no digits"));
    }

    let exponent_at = s.find(['e', 'E']).filter(|at| {
        // Only `digits[.digits]e[+-]digits` is an exponent; "three" is a word.
        let (m, e) = (&s[..*at], &s[at + 1..]);
        !m.is_empty()
            && m.bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
            && e.trim_start_matches(['+', '-'])
                .bytes()
                .all(|b| b.is_ascii_digit())
            && !e.trim_start_matches(['+', '-']).is_empty()
    });
    let (mantissa, exponent) = match exponent_at {
        Some(at) => {
            if !format.allow_exponent {
                return Err(NumberError::Syntax(
                    "scientific notation cannot be read as exact money",
                ));
            }
            let exp: i32 = s[at + 1..]
                .parse()
                .map_err(|_| NumberError::Syntax("bad exponent"))?;
            (&s[..at], exp)
        }
        None => (s, 0),
    };

    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(NumberError::Syntax("no digits"));
    }
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberError::Syntax("not a number"));
    }
    let int_digits = integer_digits(int_part)?;

    // All digits in order, with the position of the decimal point moved by the
    // exponent: value = digits * 10^-(frac_len - exponent).
    let digits: Vec<u8> = int_digits
        .bytes()
        .chain(frac_part.bytes())
        .map(|b| b - b'0')
        .collect();
    let frac_len = frac_part.len() as i64 - i64::from(exponent);
    let scale = i64::from(format.scale);

    let limit = 10i128.pow(u32::from(format.precision.min(38)));
    let overflow = NumberError::Overflow {
        precision: format.precision,
    };
    let shift = scale - frac_len;
    // The digits that survive at the requested scale, and the first digit that
    // does not (0 when every dropped position lies left of the written digits).
    let (kept, dropped, first_dropped) = if shift >= 0 {
        (&digits[..], &digits[digits.len()..], 0)
    } else {
        let drop = (-shift) as usize;
        let keep_n = digits.len().saturating_sub(drop);
        let first = if drop > digits.len() {
            0
        } else {
            digits[keep_n]
        };
        (&digits[..keep_n], &digits[keep_n..], first)
    };
    let mut value: i128 = 0;
    for d in kept {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i128::from(*d)))
            .ok_or(overflow.clone())?;
    }
    if value != 0 {
        for _ in 0..shift.max(0) {
            value = value.checked_mul(10).ok_or(overflow.clone())?;
        }
    }
    if dropped.iter().any(|d| *d != 0) {
        match format.excess {
            Excess::Refuse => {
                return Err(NumberError::TooManyDecimals {
                    scale: format.scale,
                });
            }
            Excess::RoundHalfUp => {
                if first_dropped >= 5 {
                    value = value.checked_add(1).ok_or(overflow.clone())?;
                }
            }
        }
    }
    if value >= limit {
        return Err(overflow);
    }
    Ok(Some(if negative { -value } else { value }))
}

fn strip_dollar(s: &str) -> &str {
    match s.strip_prefix('$') {
        Some(rest) => rest.trim_start(),
        None => s,
    }
}

/// Checks thousands separators and returns the integer digits without them.
fn integer_digits(int_part: &str) -> Result<String, NumberError> {
    if !int_part.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return Err(NumberError::Syntax("not a number"));
    }
    if int_part.contains(',') {
        let mut groups = int_part.split(',');
        let first = groups.next().unwrap_or_default();
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return Err(NumberError::Syntax(
                "thousands separators must split digits into groups of three",
            ));
        }
    }
    Ok(int_part.replace(',', ""))
}

/// Formats an unscaled integer with `scale` decimals, for messages and tests.
pub fn format_unscaled(value: i128, scale: u32) -> String {
    let negative = value < 0;
    let digits = value.unsigned_abs().to_string();
    let scale = scale as usize;
    let body = if scale == 0 {
        digits
    } else if digits.len() > scale {
        let (i, f) = digits.split_at(digits.len() - scale);
        format!("{i}.{f}")
    } else {
        format!("0.{}{digits}", "0".repeat(scale - digits.len()))
    };
    if negative { format!("-{body}") } else { body }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(text: &str) -> Result<Option<i128>, NumberError> {
        parse_number(
            text,
            NumberFormat {
                scale: 2,
                precision: 18,
                excess: Excess::Refuse,
                allow_exponent: false,
            },
        )
    }

    fn ratio(text: &str, scale: u32) -> Result<Option<i128>, NumberError> {
        parse_number(
            text,
            NumberFormat {
                scale,
                precision: 38,
                excess: Excess::RoundHalfUp,
                allow_exponent: true,
            },
        )
    }

    #[test]
    fn money_in_the_shapes_real_ledgers_use() {
        // Shapes copied from the Alaska ledgers, the Illinois and West Virginia
        // salary files; the cents are the digits as written.
        assert_eq!(money("3,276.25"), Ok(Some(327_625)));
        assert_eq!(money("$89,821"), Ok(Some(8_982_100)));
        assert_eq!(money("(12.50)"), Ok(Some(-1_250)));
        assert_eq!(
            money("\"$58,346.00 \"".trim_matches('"')),
            Ok(Some(5_834_600))
        );
        assert_eq!(money("$2,884.94 "), Ok(Some(288_494)));
        assert_eq!(money("-8257.39"), Ok(Some(-825_739)));
        assert_eq!(money("12.5-"), Ok(Some(-1_250)));
        assert_eq!(money("-$1,000"), Ok(Some(-100_000)));
        assert_eq!(money("$-1,000"), Ok(Some(-100_000)));
        assert_eq!(money("($1,000.10)"), Ok(Some(-100_010)));
        assert_eq!(money(".5"), Ok(Some(50)));
        assert_eq!(money("7."), Ok(Some(700)));
        assert_eq!(money("0"), Ok(Some(0)));
        assert_eq!(money("12.500"), Ok(Some(1_250)));
        assert_eq!(money("  "), Ok(None));
        assert_eq!(money(""), Ok(None));
    }

    #[test]
    fn money_refuses_what_it_cannot_read_exactly() {
        assert!(matches!(money("-6.56E+189"), Err(NumberError::Syntax(_))));
        assert!(matches!(money("#VALUE!"), Err(NumberError::Syntax(_))));
        assert!(matches!(
            money("_______________"),
            Err(NumberError::Syntax(_))
        ));
        assert!(matches!(money("Purplicious"), Err(NumberError::Syntax(_))));
        assert_eq!(
            money("three dollars"),
            Err(NumberError::Syntax("not a number"))
        );
        assert_eq!(money("e5"), Err(NumberError::Syntax("not a number")));
        assert!(matches!(money("1,2345"), Err(NumberError::Syntax(_))));
        assert!(matches!(
            money("12.345"),
            Err(NumberError::TooManyDecimals { .. })
        ));
        assert!(matches!(money("(12"), Err(NumberError::Syntax(_))));
        assert!(matches!(money("--1"), Err(NumberError::Syntax(_))));
        assert!(matches!(money("-"), Err(NumberError::Syntax(_))));
        // Sixteen integer digits fit Decimal(18,2); seventeen do not.
        assert_eq!(
            money("9999999999999999.99"),
            Ok(Some(999_999_999_999_999_999))
        );
        assert!(matches!(
            money("10000000000000000"),
            Err(NumberError::Overflow { .. })
        ));
        assert!(matches!(
            money("361,970,388,816,906,000,000,000,000,000,000,000,000,000.00"),
            Err(NumberError::Overflow { .. })
        ));
    }

    #[test]
    fn long_floats_round_half_away_from_zero() {
        // Kansas state row, published unrounded: 446,874 / 31,100.1.
        assert_eq!(ratio("14.368892704525067", 6), Ok(Some(14_368_893)));
        assert_eq!(ratio("9.75", 1), Ok(Some(98)));
        assert_eq!(ratio("-9.75", 1), Ok(Some(-98)));
        assert_eq!(ratio("9.749999", 1), Ok(Some(97)));
        assert_eq!(ratio("1.5E+3", 0), Ok(Some(1_500)));
        assert_eq!(ratio("2.5e-1", 2), Ok(Some(25)));
        assert_eq!(ratio("0.004", 2), Ok(Some(0)));
        assert_eq!(ratio("0.005", 2), Ok(Some(1)));
        assert_eq!(ratio("123", 4), Ok(Some(1_230_000)));
    }

    #[test]
    fn formats_unscaled_values() {
        assert_eq!(format_unscaled(-1_250, 2), "-12.50");
        assert_eq!(format_unscaled(5, 3), "0.005");
        assert_eq!(format_unscaled(42, 0), "42");
    }
}
