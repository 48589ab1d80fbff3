//! Property tests of the parsers raw exports go through: any text is read or
//! refused, never a panic, and every way an export writes an amount or a date
//! reads back exactly. `PROPTEST_CASES=200000 cargo test -p resmap-udfs
//! proptests` runs a long pass (the closing note of issue 5 says how long).

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use crate::decimal_text::format_unscaled;
use crate::parse_date::parse_date_text;
use crate::parse_money::parse_money_text;

/// `cents` written the ways ledgers write money.
fn money_styles(cents: i64) -> Vec<String> {
    let plain = format_unscaled(i128::from(cents.unsigned_abs()), 2);
    let (whole, frac) = plain.split_once('.').expect("two decimals");
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let abs = format!("{grouped}.{frac}");
    if cents < 0 {
        vec![
            format!("-{plain}"),
            format!("({abs})"),
            format!("-${abs}"),
            format!("(${abs})"),
            format!(" -{abs} "),
        ]
    } else {
        vec![
            plain.clone(),
            abs.clone(),
            format!("${abs}"),
            format!(" {abs} "),
        ]
    }
}

proptest! {
    #[test]
    fn money_reads_any_text_without_panicking(text in ".{0,40}") {
        let _ = parse_money_text(&text);
    }

    #[test]
    fn money_in_every_ledger_style_reads_back_exactly(cents in -99_999_999_999i64..99_999_999_999i64) {
        for s in money_styles(cents) {
            prop_assert_eq!(parse_money_text(&s), Ok(Some(i128::from(cents))), "{}", s);
        }
    }

    #[test]
    fn what_money_reads_it_writes_back(text in "[-+$(), 0-9.]{0,20}") {
        if let Ok(Some(v)) = parse_money_text(&text) {
            prop_assert_eq!(parse_money_text(&format_unscaled(v, 2)), Ok(Some(v)));
        }
    }

    #[test]
    fn dates_read_any_text_without_panicking(text in ".{0,30}") {
        let _ = parse_date_text(&text, None);
    }

    #[test]
    fn dates_in_export_formats_read_back(days in 0i64..40_000) {
        let d = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(days);
        for s in [
            d.format("%m/%d/%Y").to_string(),
            d.format("%Y-%m-%d").to_string(),
            format!("{}/{}/{}", d.month(), d.day(), d.year()),
            d.format("%Y-%m-%d 00:00:00").to_string(),
        ] {
            prop_assert_eq!(parse_date_text(&s, None), Some(d), "{}", s);
        }
    }
}
