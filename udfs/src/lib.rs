//! SQL functions that raw district exports need, for DataFusion 55.
//!
//! Every function here is strict: a value it cannot read exactly is an execution
//! error that quotes the value, never a silent NULL or a rounded guess. resmap's
//! ingest turns such errors into rejected rows that name file, line and column.
//! Empty strings and NULLs read as NULL.
//!
//! | function | what it does |
//! |---|---|
//! | `parse_money(text)` | exact money into `Decimal(18,2)`: `3,276.25`, `$89,821`, `(12.50)` |
//! | `parse_decimal(text, scale)` | a number into `Decimal(38,scale)`, rounding half away from zero |
//! | `round_half_up(decimal, places)` | commercial rounding of a decimal |
//! | `parse_date(text [, format])` | dates in the formats exports use |
//! | `parse_school_year(text)` | `2007-2008`, `2010-11`, `FY23` into the ending year |
//! | `school_year_of(date [, start_month])` | the ending school year a date falls in |
//! | `pad_code(text, width)` | zero-pads numeric codes, keeps leading zeros |
//! | `account_part(account, n [, widths])` | one segment of an account string |
//! | `reject_unless(condition, reason)` | a mapping's row check: rejects the line with the reason |
//! | `allocate(pool, driver [, label]) OVER (...)` | window function: exact largest-remainder split of a pool |
//! | `wmean`, `wvar`, `cv`, `wpercentile`, `gini`, `mcloone`, ... | pupil-weighted equity statistics (aggregates; see [`equity`]) |

#![warn(missing_docs)]
#![deny(clippy::clone_on_ref_ptr)]

mod account_part;
mod allocate;
mod args;
pub mod decimal_text;
pub mod equity;
mod pad_code;
mod parse_date;
mod parse_decimal;
mod parse_money;
#[cfg(test)]
mod proptests;
mod reject_unless;
mod round_half_up;
mod school_year;

pub use account_part::AccountPartFunc;
pub use allocate::{AllocError, AllocateFunc, largest_remainder};
pub use pad_code::PadCodeFunc;
pub use parse_date::ParseDateFunc;
pub use parse_decimal::ParseDecimalFunc;
pub use parse_money::ParseMoneyFunc;
pub use reject_unless::RejectUnlessFunc;
pub use round_half_up::RoundHalfUpFunc;
pub use school_year::{ParseSchoolYearFunc, SchoolYearOfFunc};

use datafusion::logical_expr::{ScalarUDF, WindowUDF};
use datafusion::prelude::SessionContext;

/// All of resmap's scalar functions, ready to register.
pub fn all_udfs() -> Vec<ScalarUDF> {
    vec![
        ScalarUDF::from(ParseMoneyFunc::new()),
        ScalarUDF::from(ParseDecimalFunc::new()),
        ScalarUDF::from(RoundHalfUpFunc::new()),
        ScalarUDF::from(ParseDateFunc::new()),
        ScalarUDF::from(ParseSchoolYearFunc::new()),
        ScalarUDF::from(SchoolYearOfFunc::new()),
        ScalarUDF::from(PadCodeFunc::new()),
        ScalarUDF::from(AccountPartFunc::new()),
        ScalarUDF::from(RejectUnlessFunc::new()),
    ]
}

/// Registers every resmap function on `ctx`.
pub fn register_all(ctx: &SessionContext) {
    for udf in all_udfs() {
        ctx.register_udf(udf);
    }
    for udwf in all_udwfs() {
        ctx.register_udwf(udwf);
    }
    for udaf in equity::all_equity_udafs() {
        ctx.register_udaf(udaf);
    }
}

/// All of resmap's window functions.
pub fn all_udwfs() -> Vec<WindowUDF> {
    vec![WindowUDF::from(AllocateFunc::new())]
}

/// The documentation section our functions are listed under.
pub(crate) const DOC_SECTION: datafusion::logical_expr::DocSection =
    datafusion::logical_expr::DocSection {
        include: true,
        label: "resmap functions",
        description: Some("Parsing and rounding helpers for district exports"),
    };
