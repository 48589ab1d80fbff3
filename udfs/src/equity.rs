//! Equity statistics as aggregate functions (../shared/DOMAIN.md section 6),
//! each pupil-weighted: value first, pupil weight second (optional, 1 when
//! left out), so `cv(per_pupil, enrollment)` treats every pupil as an
//! observation carrying their school's figure.
//!
//! | function | what |
//! |---|---|
//! | `wmean(x [, w])` | weighted mean |
//! | `wvar(x [, w])` | weighted variance, population form: Σw(x-μ)²/Σw |
//! | `cv(x [, w])` | coefficient of variation σ/μ |
//! | `wpercentile(x, p [, w])` | smallest x whose cumulative weight share reaches p (no interpolation) |
//! | `value_range(x [, w])` | max - min over units with weight |
//! | `restricted_range(x [, w])` | P95 - P5 |
//! | `federal_range_ratio(x [, w])` | (P95 - P5) / P5 |
//! | `mcloone(x [, w [, strict]])` | bottom half of pupils over the median; strict: units below the median only |
//! | `verstegen(x [, w [, strict]])` | top half of pupils over the median; strict: units above the median only |
//! | `gini(x [, w])` | Gini coefficient |
//! | `theil_t(x [, w])`, `theil_l(x [, w])` | Theil T and L (mean log deviation) |
//! | `theil_t_between(x, w, g)`, `theil_t_within(x, w, g)` | decomposition of Theil T by group g |
//! | `theil_l_between(x, w, g)`, `theil_l_within(x, w, g)` | decomposition of Theil L by group g |
//! | `wcorr(x, y [, w])` | weighted correlation |
//! | `wslope(x, y [, w])` | weighted least-squares slope of y on x |
//! | `welasticity(x, y [, w])` | slope at the means: wslope x mean(x) / mean(y) |
//!
//! Statistics are ratios and spreads, computed in f64 (a money input is read
//! exactly and converted once). Rows with a NULL value or weight are left
//! out; a weight of zero counts for nothing; a negative weight is an error.
//! Every function keeps its group's values (the percentile-based ones need
//! them sorted), with a groups accumulator so GROUP BY over many districts is
//! one pass.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, Float64Builder, ListArray,
    ListBuilder, StringBuilder,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Documentation, EmitTo,
    GroupsAccumulator, Signature, Volatility,
};

use crate::DOC_SECTION;

/// The group of rows whose group is NULL (no real label contains a NUL).
const NULL_GROUP: &str = "\u{0}null";

/// The statistics this module provides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stat {
    /// weighted mean
    Mean,
    /// weighted population variance
    Var,
    /// coefficient of variation
    Cv,
    /// pupil percentile without interpolation
    Percentile,
    /// max - min
    Range,
    /// P95 - P5
    RestrictedRange,
    /// (P95 - P5) / P5
    FederalRangeRatio,
    /// McLoone index
    McLoone,
    /// Verstegen index
    Verstegen,
    /// Gini coefficient
    Gini,
    /// Theil T
    TheilT,
    /// Theil L (mean log deviation)
    TheilL,
    /// between-group part of Theil T
    TheilTBetween,
    /// within-group part of Theil T
    TheilTWithin,
    /// between-group part of Theil L
    TheilLBetween,
    /// within-group part of Theil L
    TheilLWithin,
    /// weighted correlation
    Corr,
    /// weighted slope of y on x
    Slope,
    /// slope at the means
    Elasticity,
}

/// Which arguments a statistic takes, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// (x [, w])
    Unary,
    /// (x [, w [, strict]])
    UnaryFlag,
    /// (x, p [, w])
    Percentile,
    /// (x, y [, w])
    Pair,
    /// (x, w, g)
    Grouped,
}

impl Stat {
    /// Every statistic.
    pub const ALL: [Stat; 19] = [
        Stat::Mean,
        Stat::Var,
        Stat::Cv,
        Stat::Percentile,
        Stat::Range,
        Stat::RestrictedRange,
        Stat::FederalRangeRatio,
        Stat::McLoone,
        Stat::Verstegen,
        Stat::Gini,
        Stat::TheilT,
        Stat::TheilL,
        Stat::TheilTBetween,
        Stat::TheilTWithin,
        Stat::TheilLBetween,
        Stat::TheilLWithin,
        Stat::Corr,
        Stat::Slope,
        Stat::Elasticity,
    ];

    /// The SQL name.
    pub fn name(self) -> &'static str {
        match self {
            Stat::Mean => "wmean",
            Stat::Var => "wvar",
            Stat::Cv => "cv",
            Stat::Percentile => "wpercentile",
            Stat::Range => "value_range",
            Stat::RestrictedRange => "restricted_range",
            Stat::FederalRangeRatio => "federal_range_ratio",
            Stat::McLoone => "mcloone",
            Stat::Verstegen => "verstegen",
            Stat::Gini => "gini",
            Stat::TheilT => "theil_t",
            Stat::TheilL => "theil_l",
            Stat::TheilTBetween => "theil_t_between",
            Stat::TheilTWithin => "theil_t_within",
            Stat::TheilLBetween => "theil_l_between",
            Stat::TheilLWithin => "theil_l_within",
            Stat::Corr => "wcorr",
            Stat::Slope => "wslope",
            Stat::Elasticity => "welasticity",
        }
    }

    fn shape(self) -> Shape {
        match self {
            Stat::McLoone | Stat::Verstegen => Shape::UnaryFlag,
            Stat::Percentile => Shape::Percentile,
            Stat::Corr | Stat::Slope | Stat::Elasticity => Shape::Pair,
            Stat::TheilTBetween
            | Stat::TheilTWithin
            | Stat::TheilLBetween
            | Stat::TheilLWithin => Shape::Grouped,
            _ => Shape::Unary,
        }
    }

    fn describe(self) -> (&'static str, &'static str) {
        match self {
            Stat::Mean => ("Pupil-weighted mean: Σ w·x / Σ w.", "wmean(x [, w])"),
            Stat::Var => (
                "Pupil-weighted variance, population form: Σ w·(x - μ)² / Σ w.",
                "wvar(x [, w])",
            ),
            Stat::Cv => (
                "Coefficient of variation: the weighted standard deviation (population form) over the weighted mean; 0 = equal.",
                "cv(x [, w])",
            ),
            Stat::Percentile => (
                "Pupil percentile without interpolation: the smallest x (ascending) whose cumulative weight share reaches p (0-1).",
                "wpercentile(x, p [, w])",
            ),
            Stat::Range => (
                "Range: the largest minus the smallest x among rows with weight (outliers included).",
                "value_range(x [, w])",
            ),
            Stat::RestrictedRange => (
                "Restricted range: P95 - P5, the spread of the middle 90% of pupils.",
                "restricted_range(x [, w])",
            ),
            Stat::FederalRangeRatio => (
                "Federal range ratio: (P95 - P5) / P5, the restricted range relative to the low end; 0 = equal.",
                "federal_range_ratio(x [, w])",
            ),
            Stat::McLoone => (
                "McLoone index: the sum over the bottom half of pupils over what it would be at the median, Σ_bottom x / (M · N/2); the unit at the median is split pro rata. strict = true uses only units strictly below the median (their mean over M). 1 = equal.",
                "mcloone(x [, w [, strict]])",
            ),
            Stat::Verstegen => (
                "Verstegen index: the sum over the top half of pupils over what it would be at the median, Σ_top x / (M · N/2); the unit at the median is split pro rata. strict = true uses only units strictly above the median. 1 = equal.",
                "verstegen(x [, w [, strict]])",
            ),
            Stat::Gini => (
                "Gini coefficient: Σ_j Σ_k w_j w_k |x_j - x_k| / (2 N² μ); 0 = equal.",
                "gini(x [, w])",
            ),
            Stat::TheilT => (
                "Theil T: (1/N) Σ w (x/μ) ln(x/μ); 0 = equal. x must not be negative.",
                "theil_t(x [, w])",
            ),
            Stat::TheilL => (
                "Theil L (mean log deviation): (1/N) Σ w ln(μ/x); 0 = equal, more sensitive to the low end. x must be positive.",
                "theil_l(x [, w])",
            ),
            Stat::TheilTBetween => (
                "Between-group part of Theil T by group g: (1/N) Σ_g N_g (μ_g/μ) ln(μ_g/μ). Between + within = theil_t.",
                "theil_t_between(x, w, g)",
            ),
            Stat::TheilTWithin => (
                "Within-group part of Theil T by group g: Σ_g (N_g μ_g / (N μ)) T_g. Between + within = theil_t.",
                "theil_t_within(x, w, g)",
            ),
            Stat::TheilLBetween => (
                "Between-group part of Theil L by group g: (1/N) Σ_g N_g ln(μ/μ_g). Between + within = theil_l.",
                "theil_l_between(x, w, g)",
            ),
            Stat::TheilLWithin => (
                "Within-group part of Theil L by group g: Σ_g (N_g/N) L_g. Between + within = theil_l.",
                "theil_l_within(x, w, g)",
            ),
            Stat::Corr => (
                "Pupil-weighted correlation of x and y (e.g. spending and wealth: 0 = wealth-neutral).",
                "wcorr(x, y [, w])",
            ),
            Stat::Slope => (
                "Pupil-weighted least-squares slope of y on x: cov(x, y) / var(x).",
                "wslope(x, y [, w])",
            ),
            Stat::Elasticity => (
                "Elasticity of y with respect to x at the means: wslope(x, y, w) · mean(x) / mean(y).",
                "welasticity(x, y [, w])",
            ),
        }
    }
}

/// One equity statistic as an aggregate function.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct EquityFunc {
    stat: Stat,
    signature: Signature,
    doc: Documentation,
}

impl EquityFunc {
    /// The aggregate for `stat`.
    pub fn new(stat: Stat) -> Self {
        let (text, syntax) = stat.describe();
        let mut doc = Documentation::builder(DOC_SECTION, text, syntax).with_argument(
            "x",
            "the value of each unit (school or district), e.g. spending per pupil",
        );
        doc = match stat.shape() {
            Shape::Unary => {
                doc.with_argument("w", "pupil weight of the unit (default 1)")
            }
            Shape::UnaryFlag => doc
                .with_argument("w", "pupil weight of the unit (default 1)")
                .with_argument(
                    "strict",
                    "true for the variant over units strictly beyond the median",
                ),
            Shape::Percentile => doc
                .with_argument("p", "the percentile, 0-1 (0.5 = median)")
                .with_argument("w", "pupil weight of the unit (default 1)"),
            Shape::Pair => doc
                .with_argument("y", "the second variable")
                .with_argument("w", "pupil weight of the unit (default 1)"),
            Shape::Grouped => doc
                .with_argument("w", "pupil weight of the unit")
                .with_argument(
                    "g",
                    "the group the unit belongs to (district, region ...)",
                ),
        };
        Self {
            stat,
            signature: Signature::user_defined(Volatility::Immutable),
            doc: doc.build(),
        }
    }

    fn arity(&self) -> (usize, usize) {
        match self.stat.shape() {
            Shape::Unary => (1, 2),
            Shape::UnaryFlag => (1, 3),
            Shape::Percentile | Shape::Pair => (2, 3),
            Shape::Grouped => (3, 3),
        }
    }
}

/// Every equity aggregate, ready to register.
pub fn all_equity_udafs() -> Vec<AggregateUDF> {
    Stat::ALL
        .iter()
        .map(|s| AggregateUDF::from(EquityFunc::new(*s)))
        .collect()
}

fn numeric(t: &DataType) -> bool {
    t.is_numeric() || matches!(t, DataType::Null)
}

impl AggregateUDFImpl for EquityFunc {
    fn name(&self) -> &str {
        self.stat.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let (min, max) = self.arity();
        if arg_types.len() < min || arg_types.len() > max {
            return plan_err!(
                "{} takes {} arguments, got {}: {}",
                self.name(),
                if min == max {
                    min.to_string()
                } else {
                    format!("{min} to {max}")
                },
                arg_types.len(),
                self.stat.describe().1
            );
        }
        let shape = self.stat.shape();
        arg_types
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let want = match (shape, i) {
                    (Shape::UnaryFlag, 2) => DataType::Boolean,
                    (Shape::Grouped, 2) => DataType::Utf8,
                    _ => DataType::Float64,
                };
                let ok = match want {
                    DataType::Boolean => matches!(t, DataType::Boolean | DataType::Null),
                    DataType::Utf8 => true,
                    _ => numeric(t),
                };
                if ok {
                    Ok(want)
                } else {
                    plan_err!(
                        "{}: argument {} must be {}, not {t}",
                        self.name(),
                        i + 1,
                        if want == DataType::Boolean {
                            "true or false"
                        } else {
                            "a number"
                        }
                    )
                }
            })
            .collect()
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(EquityAccumulator {
            inner: EquityGroups::new(self.stat),
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let list = |name: &str, t: DataType| {
            Arc::new(Field::new(
                format!("{}[{name}]", args.name),
                DataType::List(Arc::new(Field::new_list_field(t, true))),
                true,
            ))
        };
        Ok(vec![
            list("x", DataType::Float64),
            list("w", DataType::Float64),
            list("y", DataType::Float64),
            list("g", DataType::Utf8),
            Arc::new(Field::new(
                format!("{}[param]", args.name),
                DataType::Float64,
                true,
            )),
        ])
    }

    fn groups_accumulator_supported(&self, _args: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(
        &self,
        _args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::new(EquityGroups::new(self.stat)))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&self.doc)
    }
}

/// One group's rows.
#[derive(Debug, Default, Clone)]
struct Sample {
    x: Vec<f64>,
    w: Vec<f64>,
    y: Vec<f64>,
    g: Vec<String>,
    /// the percentile p or the strict flag (1 = true)
    param: Option<f64>,
}

impl Sample {
    fn size(&self) -> usize {
        (self.x.capacity() + self.w.capacity() + self.y.capacity()) * 8
            + self.g.iter().map(|s| s.capacity() + 24).sum::<usize>()
    }
}

/// The arguments of one batch, by role.
struct Columns {
    x: Float64Array,
    w: Option<Float64Array>,
    y: Option<Float64Array>,
    g: Option<datafusion::arrow::array::StringArray>,
    param: Option<ArrayRef>,
}

fn floats(a: &ArrayRef) -> Result<Float64Array> {
    Ok(cast(a, &DataType::Float64)?
        .as_primitive::<Float64Type>()
        .clone())
}

impl Columns {
    fn read(shape: Shape, values: &[ArrayRef]) -> Result<Self> {
        let x = floats(&values[0])?;
        let (w, y, g, param) = match shape {
            Shape::Unary => (values.get(1).map(floats).transpose()?, None, None, None),
            Shape::UnaryFlag => (
                values.get(1).map(floats).transpose()?,
                None,
                None,
                values.get(2).cloned(),
            ),
            Shape::Percentile => (
                values.get(2).map(floats).transpose()?,
                None,
                None,
                Some(Arc::clone(&values[1])),
            ),
            Shape::Pair => (
                values.get(2).map(floats).transpose()?,
                Some(floats(&values[1])?),
                None,
                None,
            ),
            Shape::Grouped => {
                let g = cast(&values[2], &DataType::Utf8)?;
                (
                    Some(floats(&values[1])?),
                    None,
                    Some(g.as_string::<i32>().clone()),
                    None,
                )
            }
        };
        Ok(Self { x, w, y, g, param })
    }

    /// Adds row `i` to `sample`, unless a value it needs is NULL.
    fn push(&self, name: &str, i: usize, sample: &mut Sample) -> Result<()> {
        if self.x.is_null(i) {
            return Ok(());
        }
        let w = match &self.w {
            Some(w) if w.is_null(i) => return Ok(()),
            Some(w) => w.value(i),
            None => 1.0,
        };
        if w < 0.0 || w.is_nan() {
            return exec_err!("{name}: a pupil weight cannot be negative ({w})");
        }
        if let Some(y) = &self.y {
            if y.is_null(i) {
                return Ok(());
            }
            sample.y.push(y.value(i));
        }
        if let Some(g) = &self.g {
            // A row without a group is a group of its own (all such rows
            // together), so between + within still make up the whole.
            sample.g.push(if g.is_null(i) {
                NULL_GROUP.to_string()
            } else {
                g.value(i).to_string()
            });
        }
        if let Some(p) = &self.param
            && p.is_valid(i)
        {
            let v = match p.data_type() {
                DataType::Boolean => f64::from(u8::from(p.as_boolean().value(i))),
                _ => floats(p)?.value(i),
            };
            match sample.param {
                None => sample.param = Some(v),
                Some(first) if first != v => {
                    return exec_err!(
                        "{name}: its {} must be the same on every row (got {first} and {v})",
                        if p.data_type() == &DataType::Boolean {
                            "strict flag"
                        } else {
                            "p"
                        }
                    );
                }
                Some(_) => {}
            }
        }
        sample.x.push(self.x.value(i));
        sample.w.push(w);
        Ok(())
    }
}

/// The groups accumulator every statistic shares: keeps each group's rows.
#[derive(Debug)]
struct EquityGroups {
    stat: Stat,
    groups: Vec<Sample>,
}

impl EquityGroups {
    fn new(stat: Stat) -> Self {
        Self {
            stat,
            groups: Vec::new(),
        }
    }

    fn state_arrays(samples: &[Sample]) -> Vec<ArrayRef> {
        let list = |f: &dyn Fn(&Sample) -> &Vec<f64>| -> ArrayRef {
            Arc::new(ListArray::from_iter_primitive::<Float64Type, _, _>(
                samples
                    .iter()
                    .map(|s| Some(f(s).iter().map(|v| Some(*v)).collect::<Vec<_>>())),
            ))
        };
        let mut g = ListBuilder::new(StringBuilder::new());
        for s in samples {
            for v in &s.g {
                g.values().append_value(v);
            }
            g.append(true);
        }
        let mut param = Float64Builder::with_capacity(samples.len());
        for s in samples {
            param.append_option(s.param);
        }
        vec![
            list(&|s| &s.x),
            list(&|s| &s.w),
            list(&|s| &s.y),
            Arc::new(g.finish()),
            Arc::new(param.finish()),
        ]
    }

    fn merge_row(states: &[ArrayRef], row: usize, sample: &mut Sample) -> Result<()> {
        let floats_at = |a: &ArrayRef| -> Result<Vec<f64>> {
            let l = a.as_list::<i32>();
            if l.is_null(row) {
                return Ok(Vec::new());
            }
            let v = l.value(row);
            let v = v.as_primitive::<Float64Type>();
            Ok(v.iter().map(|x| x.unwrap_or(f64::NAN)).collect())
        };
        sample.x.extend(floats_at(&states[0])?);
        sample.w.extend(floats_at(&states[1])?);
        sample.y.extend(floats_at(&states[2])?);
        let g = states[3].as_list::<i32>();
        if g.is_valid(row) {
            let v = g.value(row);
            let v = v.as_string::<i32>();
            sample
                .g
                .extend(v.iter().map(|s| s.unwrap_or_default().to_string()));
        }
        let p = states[4].as_primitive::<Float64Type>();
        if sample.param.is_none() && p.is_valid(row) {
            sample.param = Some(p.value(row));
        }
        Ok(())
    }
}

impl GroupsAccumulator for EquityGroups {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.groups.resize_with(total_num_groups, Sample::default);
        let cols = Columns::read(self.stat.shape(), values)?;
        for (i, g) in group_indices.iter().enumerate() {
            if opt_filter.is_some_and(|f| !f.value(i) || f.is_null(i)) {
                continue;
            }
            cols.push(self.stat.name(), i, &mut self.groups[*g])?;
        }
        Ok(())
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let samples = emit_to.take_needed(&mut self.groups);
        let values = samples
            .iter()
            .map(|s| compute(self.stat, s))
            .collect::<Result<Vec<_>>>()?;
        Ok(Arc::new(Float64Array::from(values)))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let samples = emit_to.take_needed(&mut self.groups);
        Ok(Self::state_arrays(&samples))
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        self.groups.resize_with(total_num_groups, Sample::default);
        for (row, g) in group_indices.iter().enumerate() {
            Self::merge_row(values, row, &mut self.groups[*g])?;
        }
        Ok(())
    }

    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        // Each row its own group.
        let rows = values.first().map_or(0, |a| a.len());
        let mut one_each = EquityGroups::new(self.stat);
        let indices: Vec<usize> = (0..rows).collect();
        one_each.update_batch(values, &indices, opt_filter, rows)?;
        Ok(Self::state_arrays(&one_each.groups))
    }

    fn size(&self) -> usize {
        self.groups.iter().map(Sample::size).sum::<usize>()
            + self.groups.capacity() * std::mem::size_of::<Sample>()
    }
}

/// The one-group accumulator DataFusion asks for outside GROUP BY.
#[derive(Debug)]
struct EquityAccumulator {
    inner: EquityGroups,
}

impl Accumulator for EquityAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let n = values.first().map_or(0, |a| a.len());
        self.inner.update_batch(values, &vec![0; n], None, 1)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.inner.groups.resize_with(1, Sample::default);
        Ok(ScalarValue::Float64(compute(
            self.inner.stat,
            &self.inner.groups[0],
        )?))
    }

    fn size(&self) -> usize {
        self.inner.size() + std::mem::size_of::<Self>()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.inner.groups.resize_with(1, Sample::default);
        EquityGroups::state_arrays(&self.inner.groups)
            .iter()
            .map(|a| ScalarValue::try_from_array(a, 0))
            .collect()
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.inner.groups.resize_with(1, Sample::default);
        for row in 0..states[0].len() {
            EquityGroups::merge_row(states, row, &mut self.inner.groups[0])?;
        }
        Ok(())
    }
}

/// The statistic of one group; NULL (None) when it has no rows with weight.
fn compute(stat: Stat, s: &Sample) -> Result<Option<f64>> {
    let units: Vec<(f64, f64)> =
        s.x.iter()
            .zip(&s.w)
            .filter(|(_, w)| **w > 0.0)
            .map(|(x, w)| (*x, *w))
            .collect();
    if units.is_empty() {
        return Ok(None);
    }
    let n: f64 = units.iter().map(|(_, w)| w).sum();
    let mean = units.iter().map(|(x, w)| w * x).sum::<f64>() / n;
    let var = units
        .iter()
        .map(|(x, w)| w * (x - mean).powi(2))
        .sum::<f64>()
        / n;
    let mut sorted = units.clone();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let pct = |p: f64| percentile(&sorted, n, p);
    let name = stat.name();
    Ok(Some(match stat {
        Stat::Mean => mean,
        Stat::Var => var,
        Stat::Cv => var.sqrt() / mean,
        Stat::Percentile => {
            let Some(p) = s.param else {
                return Ok(None);
            };
            if !(0.0..=1.0).contains(&p) {
                return exec_err!("wpercentile: p must be between 0 and 1, not {p}");
            }
            pct(p)
        }
        Stat::Range => sorted[sorted.len() - 1].0 - sorted[0].0,
        Stat::RestrictedRange => pct(0.95) - pct(0.05),
        Stat::FederalRangeRatio => (pct(0.95) - pct(0.05)) / pct(0.05),
        Stat::McLoone | Stat::Verstegen => {
            let median = pct(0.5);
            let strict = s.param == Some(1.0);
            let below = stat == Stat::McLoone;
            if strict {
                let (sum, weight) = sorted
                    .iter()
                    .filter(|(x, _)| if below { *x < median } else { *x > median })
                    .fold((0.0, 0.0), |(s, n), (x, w)| (s + w * x, n + w));
                if weight == 0.0 {
                    return Ok(None);
                }
                sum / weight / median
            } else {
                let half = n / 2.0;
                let mut left = half;
                let mut sum = 0.0;
                let order: Box<dyn Iterator<Item = &(f64, f64)>> = if below {
                    Box::new(sorted.iter())
                } else {
                    Box::new(sorted.iter().rev())
                };
                for (x, w) in order {
                    let take = w.min(left);
                    sum += take * x;
                    left -= take;
                    if left <= 0.0 {
                        break;
                    }
                }
                sum / (median * half)
            }
        }
        Stat::Gini => {
            let (mut below_w, mut below_s, mut acc) = (0.0, 0.0, 0.0);
            for (x, w) in &sorted {
                acc += w * (x * below_w - below_s);
                below_w += w;
                below_s += w * x;
            }
            acc / (n * n * mean)
        }
        Stat::TheilT => theil_t(name, &units, n, mean)?,
        Stat::TheilL => theil_l(name, &units, n, mean)?,
        Stat::TheilTBetween
        | Stat::TheilTWithin
        | Stat::TheilLBetween
        | Stat::TheilLWithin => {
            let mut groups: std::collections::BTreeMap<&str, Vec<(f64, f64)>> =
                Default::default();
            for ((x, w), g) in s.x.iter().zip(&s.w).zip(&s.g) {
                if *w > 0.0 {
                    groups.entry(g.as_str()).or_default().push((*x, *w));
                }
            }
            let mut between = 0.0;
            let mut within = 0.0;
            for members in groups.values() {
                let n_g: f64 = members.iter().map(|(_, w)| w).sum();
                let mean_g = members.iter().map(|(x, w)| w * x).sum::<f64>() / n_g;
                match stat {
                    Stat::TheilTBetween | Stat::TheilTWithin => {
                        between += n_g * (mean_g / mean) * (mean_g / mean).ln() / n;
                        within += n_g * mean_g / (n * mean)
                            * theil_t(name, members, n_g, mean_g)?;
                    }
                    _ => {
                        between += n_g * (mean / mean_g).ln() / n;
                        within += n_g / n * theil_l(name, members, n_g, mean_g)?;
                    }
                }
            }
            if matches!(stat, Stat::TheilTBetween | Stat::TheilLBetween) {
                between
            } else {
                within
            }
        }
        Stat::Corr | Stat::Slope | Stat::Elasticity => {
            let triples: Vec<(f64, f64, f64)> =
                s.x.iter()
                    .zip(&s.y)
                    .zip(&s.w)
                    .filter(|(_, w)| **w > 0.0)
                    .map(|((x, y), w)| (*x, *y, *w))
                    .collect();
            let mx = triples.iter().map(|(x, _, w)| w * x).sum::<f64>() / n;
            let my = triples.iter().map(|(_, y, w)| w * y).sum::<f64>() / n;
            let cov = triples
                .iter()
                .map(|(x, y, w)| w * (x - mx) * (y - my))
                .sum::<f64>()
                / n;
            let vx = triples
                .iter()
                .map(|(x, _, w)| w * (x - mx).powi(2))
                .sum::<f64>()
                / n;
            let vy = triples
                .iter()
                .map(|(_, y, w)| w * (y - my).powi(2))
                .sum::<f64>()
                / n;
            match stat {
                Stat::Corr => cov / (vx * vy).sqrt(),
                Stat::Slope => cov / vx,
                _ => cov / vx * mx / my,
            }
        }
    }))
    .map(|v| v.filter(|v| v.is_finite()))
}

/// The smallest x whose cumulative weight share reaches p (a relative
/// tolerance of 1e-12 absorbs rounding in the running sum).
fn percentile(sorted: &[(f64, f64)], n: f64, p: f64) -> f64 {
    let target = p * n;
    let mut cum = 0.0;
    for (x, w) in sorted {
        cum += w;
        if cum >= target - 1e-12 * n {
            return *x;
        }
    }
    sorted[sorted.len() - 1].0
}

fn theil_t(name: &str, units: &[(f64, f64)], n: f64, mean: f64) -> Result<f64> {
    let mut t = 0.0;
    for (x, w) in units {
        if *x < 0.0 {
            return exec_err!(
                "{name}: Theil T needs values that are not negative, got {x}"
            );
        }
        if *x > 0.0 {
            t += w * (x / mean) * (x / mean).ln();
        }
    }
    Ok(t / n)
}

fn theil_l(name: &str, units: &[(f64, f64)], n: f64, mean: f64) -> Result<f64> {
    let mut l = 0.0;
    for (x, w) in units {
        if *x <= 0.0 {
            return exec_err!("{name}: Theil L needs positive values, got {x}");
        }
        l += w * (mean / x).ln();
    }
    Ok(l / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DOMAIN.md 6.5's five units: (x, n).
    fn example() -> Sample {
        Sample {
            x: vec![9_000.0, 10_000.0, 11_500.0, 12_000.0, 15_000.0],
            w: vec![400.0, 700.0, 300.0, 400.0, 200.0],
            ..Sample::default()
        }
    }

    fn close(got: Option<f64>, want: f64) {
        let got = got.expect("a value");
        assert!(
            (got - want).abs() <= 1e-6 * want.abs().max(1e-12),
            "{got} vs {want}"
        );
    }

    #[test]
    fn reproduces_the_worked_example() {
        let s = example();
        // Figures from DOMAIN.md 6.5, recomputed by hand: μ = 21,850,000 /
        // 2,000; σ² = 5,963,750,000 / 2,000; Gini = 3,625,000,000 / (2,000² ·
        // 10,925).
        close(compute(Stat::Mean, &s).unwrap(), 10_925.0);
        close(compute(Stat::Var, &s).unwrap(), 2_981_875.0);
        close(
            compute(Stat::Cv, &s).unwrap(),
            2_981_875f64.sqrt() / 10_925.0,
        );
        close(compute(Stat::Range, &s).unwrap(), 6_000.0);
        close(compute(Stat::RestrictedRange, &s).unwrap(), 6_000.0);
        close(
            compute(Stat::FederalRangeRatio, &s).unwrap(),
            6_000.0 / 9_000.0,
        );
        close(compute(Stat::McLoone, &s).unwrap(), 0.96);
        close(compute(Stat::Verstegen, &s).unwrap(), 1.225);
        close(
            compute(Stat::Gini, &s).unwrap(),
            3.625e9 / (4.0e6 * 10_925.0),
        );
        let strict = Sample {
            param: Some(1.0),
            ..example()
        };
        close(compute(Stat::McLoone, &strict).unwrap(), 0.9);
        close(compute(Stat::Verstegen, &strict).unwrap(), 1.25);
    }

    #[test]
    fn theil_decomposes_into_between_and_within() {
        let mut s = example();
        s.g = ["a", "a", "b", "b", "b"].map(String::from).to_vec();
        let total = compute(Stat::TheilT, &s).unwrap().unwrap();
        let between = compute(Stat::TheilTBetween, &s).unwrap().unwrap();
        let within = compute(Stat::TheilTWithin, &s).unwrap().unwrap();
        assert!((between + within - total).abs() < 1e-12);
        let total = compute(Stat::TheilL, &s).unwrap().unwrap();
        let between = compute(Stat::TheilLBetween, &s).unwrap().unwrap();
        let within = compute(Stat::TheilLWithin, &s).unwrap().unwrap();
        assert!((between + within - total).abs() < 1e-12);
    }

    #[test]
    fn empty_groups_are_null_and_bad_values_are_errors() {
        assert_eq!(compute(Stat::Mean, &Sample::default()).unwrap(), None);
        let s = Sample {
            x: vec![0.0, 2.0],
            w: vec![1.0, 1.0],
            ..Sample::default()
        };
        assert!(compute(Stat::TheilL, &s).is_err());
    }
}
