//! `allocate(pool_amount, driver [, pool_label]) OVER (PARTITION BY pool ORDER BY ...)`:
//! an exact largest-remainder allocator.
//!
//! Spreading a central pool over schools (or a teacher's pay over sections)
//! in proportion to a driver must neither create nor lose a cent. Rounding
//! each share on its own does both, so this window function works in whole
//! units of the amount's scale (cents for `Decimal(18,2)`): each row first
//! gets the floor of its exact share, then the cents still left go one each to
//! the rows with the largest remainders (ties to the row that comes first in
//! the window's ORDER BY). The shares of a partition then add up to the pool
//! exactly. A negative pool (a net credit) is spread the same way, with the
//! sign applied afterwards.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, Decimal128Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::function::{PartitionEvaluatorArgs, WindowUDFFieldArgs};
use datafusion::logical_expr::{
    Documentation, PartitionEvaluator, Signature, TypeSignature, Volatility,
    WindowUDFImpl,
};

use crate::DOC_SECTION;
use crate::decimal_text::format_unscaled;

/// Scale the driver is read at: drivers are counts, FTE, minutes or shares,
/// and nine decimals keep any of them exact enough to rank remainders.
const DRIVER_SCALE: i8 = 9;

/// The `allocate` window function.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct AllocateFunc {
    signature: Signature,
}

impl Default for AllocateFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl AllocateFunc {
    /// The function with its signature: two or three arguments.
    pub fn new() -> Self {
        Self {
            signature: Signature::one_of(
                vec![TypeSignature::Any(2), TypeSignature::Any(3)],
                Volatility::Immutable,
            ),
        }
    }
}

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Spreads a pool amount over the rows of its window partition in proportion to \
         a driver, exactly: the results are whole cents (units of the amount's scale) \
         that add up to the pool, with leftover cents going to the largest remainders \
         (ties to the earlier row in the window's ORDER BY). Every row of a partition \
         must carry the same pool amount. A NULL driver counts as zero; a negative \
         driver, or drivers that add up to zero under a non-zero pool, are errors that \
         name the pool label.",
        "allocate(pool_amount, driver [, pool_label]) OVER (PARTITION BY pool ORDER BY key)",
    )
    .with_sql_example(
        "SELECT school_id, allocate(pool, enrollment, 'transportation') \
         OVER (PARTITION BY pool_id ORDER BY school_id) FROM pool_driver",
    )
    .with_argument("pool_amount", "the pool, a decimal, repeated on every row")
    .with_argument("driver", "this row's driver: a count, FTE, minutes or share (>= 0)")
    .with_argument("pool_label", "text naming the pool in error messages")
    .build()
});

impl WindowUDFImpl for AllocateFunc {
    fn name(&self) -> &str {
        "allocate"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn partition_evaluator(
        &self,
        _args: PartitionEvaluatorArgs,
    ) -> Result<Box<dyn PartitionEvaluator>> {
        Ok(Box::new(AllocateEvaluator::default()))
    }

    fn field(&self, field_args: WindowUDFFieldArgs) -> Result<FieldRef> {
        let Some(amount) = field_args.get_input_field(0) else {
            return plan_err!("allocate needs a pool amount");
        };
        match amount.data_type() {
            DataType::Decimal128(p, s) => Ok(Arc::new(Field::new(
                field_args.name(),
                DataType::Decimal128(*p, *s),
                true,
            ))),
            other => plan_err!(
                "allocate's pool amount must be a decimal (money), not {other}: \
                 cast it, e.g. CAST(x AS DECIMAL(18,2))"
            ),
        }
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

/// Evaluates one window partition. Two ways in: `evaluate_all` when the
/// window runs unbounded (the whole input is held, then one batch comes out
/// for all of it), and `evaluate`, row by row, when it streams: then each
/// partition is held only until its last row has arrived, and the output
/// comes in batches of the input's size. Streaming is what keeps the student
/// cost stages (millions of rows for a large district) within a memory
/// limit: the unbounded way hands the next sort one batch of several hundred
/// megabytes, more than it can reserve.
#[derive(Debug, Default)]
struct AllocateEvaluator {
    /// The partition's shares, computed at the first row asked for.
    shares: Option<ArrayRef>,
    /// The row `evaluate` answers next.
    next: usize,
}

impl PartitionEvaluator for AllocateEvaluator {
    fn supports_bounded_execution(&self) -> bool {
        true
    }

    /// Every row's share depends on the whole partition's drivers, so the
    /// range is every row; being non-causal, no row is evaluated until the
    /// partition has ended.
    fn get_range(&self, _idx: usize, n_rows: usize) -> Result<Range<usize>> {
        Ok(0..n_rows)
    }

    fn evaluate(
        &mut self,
        values: &[ArrayRef],
        range: &Range<usize>,
    ) -> Result<ScalarValue> {
        if range.start != 0 {
            return exec_err!(
                "allocate: the window dropped the first {} rows of a partition before \
                 it was complete",
                range.start
            );
        }
        let shares = match &self.shares {
            Some(s) if s.len() == range.end => Arc::clone(s),
            Some(s) => {
                return exec_err!(
                    "allocate: a partition grew from {} to {} rows after its shares \
                     were computed",
                    s.len(),
                    range.end
                );
            }
            None => {
                let s = self.evaluate_all(values, range.end)?;
                self.shares = Some(Arc::clone(&s));
                s
            }
        };
        if self.next >= shares.len() {
            return exec_err!(
                "allocate: row {} asked of a partition of {} rows",
                self.next + 1,
                shares.len()
            );
        }
        let share = ScalarValue::try_from_array(&shares, self.next)?;
        self.next += 1;
        Ok(share)
    }

    fn evaluate_all(&mut self, values: &[ArrayRef], num_rows: usize) -> Result<ArrayRef> {
        let amounts = values[0]
            .as_any()
            .downcast_ref::<Decimal128Array>()
            .expect("field() admits only Decimal128 amounts");
        let (precision, scale) = (amounts.precision(), amounts.scale());
        let drivers = cast(&values[1], &DataType::Decimal128(38, DRIVER_SCALE))?;
        let drivers = drivers
            .as_any()
            .downcast_ref::<Decimal128Array>()
            .expect("cast to Decimal128");
        let label = match values.get(2) {
            Some(l) => {
                let l = cast(l, &DataType::Utf8)?;
                let l = l
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .expect("cast to Utf8");
                (num_rows > 0 && l.is_valid(0)).then(|| l.value(0).to_string())
            }
            None => None,
        };
        let label = label.unwrap_or_else(|| "(unnamed)".to_string());

        let mut pool: Option<i128> = None;
        for i in 0..num_rows {
            if amounts.is_valid(i) {
                let a = amounts.value(i);
                match pool {
                    None => pool = Some(a),
                    Some(p) if p != a => {
                        return exec_err!(
                            "allocate: pool {label} has two amounts in one partition \
                             ({} and {}); partition the window by the pool",
                            fmt_unscaled(p, scale),
                            fmt_unscaled(a, scale)
                        );
                    }
                    Some(_) => {}
                }
            }
        }
        let Some(pool) = pool else {
            return Ok(Arc::new(
                Decimal128Array::new_null(num_rows)
                    .with_precision_and_scale(precision, scale)?,
            ));
        };
        let mut weights = Vec::with_capacity(num_rows);
        for i in 0..num_rows {
            let w = if drivers.is_valid(i) {
                drivers.value(i)
            } else {
                0
            };
            if w < 0 {
                return exec_err!(
                    "allocate: pool {label} has a negative driver ({}) on row {}",
                    fmt_unscaled(w, DRIVER_SCALE),
                    i + 1
                );
            }
            weights.push(w);
        }
        let shares = match largest_remainder(pool, &weights) {
            Ok(s) => s,
            Err(AllocError::ZeroDriver) => {
                return exec_err!(
                    "allocate: pool {label} of {} has no driver to spread it by \
                     (its {num_rows} driver values add up to zero); give it a rule \
                     with another driver or keep it central",
                    fmt_unscaled(pool, scale)
                );
            }
            Err(AllocError::Overflow) => {
                return exec_err!(
                    "allocate: pool {label} times its drivers overflows 128 bits; \
                     scale the driver down"
                );
            }
        };
        Ok(Arc::new(
            Decimal128Array::from(shares).with_precision_and_scale(precision, scale)?,
        ))
    }
}

/// Why a pool could not be spread.
#[derive(Debug, PartialEq, Eq)]
pub enum AllocError {
    /// The weights add up to zero under a non-zero pool.
    ZeroDriver,
    /// `pool × weight` does not fit in an i128.
    Overflow,
}

/// Splits `pool` units over `weights` (all >= 0) so that the parts add up to
/// `pool` exactly: floors of the exact shares, then one unit each to the
/// largest remainders, ties to the lower index. A zero pool gives zeros even
/// when every weight is zero.
pub fn largest_remainder(pool: i128, weights: &[i128]) -> Result<Vec<i128>, AllocError> {
    if pool == 0 {
        return Ok(vec![0; weights.len()]);
    }
    let total = weights
        .iter()
        .try_fold(0i128, |acc, w| acc.checked_add(*w))
        .ok_or(AllocError::Overflow)?;
    if total == 0 {
        return Err(AllocError::ZeroDriver);
    }
    let magnitude = pool.checked_abs().ok_or(AllocError::Overflow)?;
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given = 0i128;
    for (i, w) in weights.iter().enumerate() {
        let product = magnitude.checked_mul(*w).ok_or(AllocError::Overflow)?;
        let q = product / total;
        parts.push(q);
        given += q;
        remainders.push((product % total, i));
    }
    // Fewer units are left than there are rows, so each gets at most one.
    let left = (magnitude - given) as usize;
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.into_iter().take(left) {
        parts[i] += 1;
    }
    if pool < 0 {
        parts.iter_mut().for_each(|p| *p = -*p);
    }
    Ok(parts)
}

fn fmt_unscaled(v: i128, scale: i8) -> String {
    format_unscaled(v, scale.max(0) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_add_up_to_the_pool() {
        // 100.00 over three equal drivers: 33.34, 33.33, 33.33 (the first of
        // the tied remainders takes the leftover cent).
        assert_eq!(
            largest_remainder(10_000, &[1, 1, 1]),
            Ok(vec![3_334, 3_333, 3_333])
        );
        // The worked example of DOMAIN.md 4.6: 81,840.00 over minutes 250 x4
        // and 300. Exact shares in cents (by hand): 8,184,000 x 250 / 1,300 =
        // 1,573,846.15 and 8,184,000 x 300 / 1,300 = 1,888,615.38; the floors
        // add up to 8,183,999, and the one cent left goes to the largest
        // remainder (.38), so the 300-minute section gets 18,886.16.
        let parts = largest_remainder(8_184_000, &[250, 250, 250, 250, 300]).unwrap();
        assert_eq!(
            parts,
            vec![1_573_846, 1_573_846, 1_573_846, 1_573_846, 1_888_616]
        );
        assert_eq!(parts.iter().sum::<i128>(), 8_184_000);
    }

    #[test]
    fn credits_keep_their_sign() {
        assert_eq!(largest_remainder(-101, &[1, 1]), Ok(vec![-51, -50]));
    }

    #[test]
    fn zero_weights_are_an_error_unless_the_pool_is_zero() {
        assert_eq!(largest_remainder(500, &[0, 0]), Err(AllocError::ZeroDriver));
        assert_eq!(largest_remainder(0, &[0, 0]), Ok(vec![0, 0]));
        assert_eq!(largest_remainder(500, &[]), Err(AllocError::ZeroDriver));
    }

    #[test]
    fn zero_weight_rows_get_nothing() {
        assert_eq!(largest_remainder(7, &[0, 3, 0, 1]), Ok(vec![0, 5, 0, 2]));
    }

    #[test]
    fn overflow_is_reported() {
        assert_eq!(
            largest_remainder(i128::MAX, &[2, 1]),
            Err(AllocError::Overflow)
        );
    }

    #[test]
    fn many_pools_conserve() {
        // A deterministic pseudo-random sweep: every split adds up exactly and
        // no part is more than one unit from its exact share.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..2_000 {
            let n = (next() % 12 + 1) as usize;
            let pool = (next() % 10_000_000) as i128 - 5_000_000;
            let weights: Vec<i128> = (0..n).map(|_| (next() % 1_000) as i128).collect();
            let total: i128 = weights.iter().sum();
            match largest_remainder(pool, &weights) {
                Ok(parts) => {
                    assert_eq!(parts.iter().sum::<i128>(), pool);
                    for (p, w) in parts.iter().zip(&weights) {
                        let exact = pool * w; // compare p*total with exact
                        assert!((p * total - exact).abs() < total, "{pool} {weights:?}");
                    }
                }
                Err(e) => assert!(total == 0 && e == AllocError::ZeroDriver),
            }
        }
    }

    #[test]
    fn streaming_rows_match_the_whole_partition() {
        // 100.00 over drivers 1, 1, 1 (by hand, as in parts_add_up_to_the_pool):
        // 33.34, 33.33, 33.33, whether asked for all at once or row by row.
        let values: Vec<ArrayRef> = vec![
            Arc::new(
                Decimal128Array::from(vec![10_000i128; 3])
                    .with_precision_and_scale(18, 2)
                    .unwrap(),
            ),
            Arc::new(datafusion::arrow::array::Int64Array::from(vec![1i64, 1, 1])),
        ];
        let whole = AllocateEvaluator::default()
            .evaluate_all(&values, 3)
            .unwrap();
        let mut rows = AllocateEvaluator::default();
        assert!(rows.supports_bounded_execution());
        let streamed: Vec<ScalarValue> = (0..3)
            .map(|i| {
                let range = rows.get_range(i, 3).unwrap();
                rows.evaluate(&values, &range).unwrap()
            })
            .collect();
        let cents = |v: &ScalarValue| match v {
            ScalarValue::Decimal128(Some(c), 18, 2) => *c,
            other => panic!("not a Decimal128(18,2): {other:?}"),
        };
        assert_eq!(
            streamed.iter().map(cents).collect::<Vec<_>>(),
            [3_334, 3_333, 3_333]
        );
        for (i, v) in streamed.iter().enumerate() {
            assert_eq!(v, &ScalarValue::try_from_array(&whole, i).unwrap());
        }
        // A fourth row asked of a three-row partition is an error, not a guess.
        assert!(rows.evaluate(&values, &(0..3)).is_err());
    }
}
