//! The table as a terminal shows it: column types under the header, money
//! (decimals of scale 2) with thousands separators, long results cut to
//! their first and last rows and wide ones to their outer columns, each with
//! a line saying what was hidden. `\last` shows a result whole; other formats
//! and output that is not a terminal are never cut.

use std::io::Write;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::{DataType, SchemaRef};

use super::options;
use crate::error::{Error, Result};

/// How much of a result fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    /// rows shown at most (first half and last half); `None` = all
    pub max_rows: Option<usize>,
    /// characters per line at most; `None` = any width
    pub max_width: Option<usize>,
}

/// A short name for a column's type.
pub fn type_name(t: &DataType) -> String {
    match t {
        DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => "text".into(),
        DataType::Dictionary(_, v) => type_name(v),
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
            "int".into()
        }
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => {
            "int".into()
        }
        DataType::Float16 | DataType::Float32 | DataType::Float64 => "double".into(),
        DataType::Decimal128(p, s) | DataType::Decimal256(p, s) => {
            format!("decimal({p},{s})")
        }
        DataType::Date32 | DataType::Date64 => "date".into(),
        DataType::Boolean => "bool".into(),
        DataType::Timestamp(..) => "timestamp".into(),
        DataType::List(_) | DataType::LargeList(_) => "list".into(),
        other => other.to_string().to_lowercase(),
    }
}

/// `-1234567.50` as `-1,234,567.50`.
pub fn group_thousands(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (whole, frac) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    if !whole.chars().all(|c| c.is_ascii_digit()) {
        return text.to_string();
    }
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Writes the table cut to `fit`.
pub fn write_fitted(
    out: &mut dyn Write,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    fit: Fit,
) -> Result<()> {
    let io = |e: std::io::Error| Error::io("<stdout>", e);
    let opts = options();
    let fields = schema.fields();
    let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
    // which rows: all, or the first and last halves of max_rows
    let keep: Vec<usize> = match fit.max_rows {
        Some(m) if total > m => {
            let head = m.div_ceil(2);
            let tail = m - head;
            (0..head).chain(total - tail..total).collect()
        }
        _ => (0..total).collect(),
    };
    let mut cells: Vec<Vec<String>> = vec![Vec::with_capacity(keep.len()); fields.len()];
    let mut offset = 0;
    let mut next = keep.iter().peekable();
    for b in batches {
        let formatters = super::formatters(b, &opts)?;
        while let Some(&&row) = next.peek() {
            if row >= offset + b.num_rows() {
                break;
            }
            let local = row - offset;
            for (c, f) in formatters.iter().enumerate() {
                cells[c].push(super::screen_cell(&fields[c], b.column(c), f, local));
            }
            next.next();
        }
        offset += b.num_rows();
    }
    let names: Vec<String> = fields.iter().map(|f| f.name().clone()).collect();
    let types: Vec<String> = fields.iter().map(|f| type_name(f.data_type())).collect();
    // TODO: widths count characters, not terminal cells: CJK and emoji take
    // two cells, combining marks none, and newlines or tabs in a value break
    // the row; long values are not cut. A display-width measure (the
    // unicode-width crate) and escaping control characters would fix both.
    let widths: Vec<usize> = (0..fields.len())
        .map(|c| {
            cells[c]
                .iter()
                .map(|v| v.chars().count())
                .chain([names[c].chars().count(), types[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    // which columns: all, or the outer ones that fit with a `…` between
    let line_width =
        |cols: &[usize]| cols.iter().map(|c| widths[*c] + 3).sum::<usize>() + 1;
    let all: Vec<usize> = (0..fields.len()).collect();
    let (shown, hidden): (Vec<Option<usize>>, Vec<usize>) = match fit.max_width {
        Some(w) if line_width(&all) > w && fields.len() > 2 => {
            // the leftmost columns (names and keys, as queries put them)
            // that fit beside the last one
            let last = fields.len() - 1;
            let mut left = vec![0];
            let mut l = 1;
            while l < last {
                let mut trial = left.clone();
                trial.push(l);
                trial.push(last);
                if line_width(&trial) + 4 > w {
                    break;
                }
                left.push(l);
                l += 1;
            }
            let right = vec![last];
            let r = last - 1;
            let hidden: Vec<usize> = (l..=r).collect();
            let mut shown: Vec<Option<usize>> = left.into_iter().map(Some).collect();
            if !hidden.is_empty() {
                shown.push(None);
            }
            shown.extend(right.into_iter().map(Some));
            (shown, hidden)
        }
        _ => (all.into_iter().map(Some).collect(), Vec::new()),
    };
    let width_of = |c: Option<usize>| c.map_or(1, |c| widths[c]);
    let rule = {
        let mut s = String::from("+");
        for c in &shown {
            s.push_str(&"-".repeat(width_of(*c) + 2));
            s.push('+');
        }
        s
    };
    let numeric = |c: usize| {
        matches!(
            fields[c].data_type(),
            DataType::Decimal128(..)
                | DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::Int64
                | DataType::UInt8
                | DataType::UInt16
                | DataType::UInt32
                | DataType::UInt64
                | DataType::Float32
                | DataType::Float64
        )
    };
    let row_line = |value: &dyn Fn(usize) -> String, right_align: bool| {
        let mut s = String::from("|");
        for c in &shown {
            let w = width_of(*c);
            let v = match c {
                Some(c) => value(*c),
                None => "…".to_string(),
            };
            let pad = w.saturating_sub(v.chars().count());
            if right_align && c.is_some_and(numeric) {
                s.push_str(&format!(" {}{v} |", " ".repeat(pad)));
            } else {
                s.push_str(&format!(" {v}{} |", " ".repeat(pad)));
            }
        }
        s
    };
    writeln!(out, "{rule}").map_err(io)?;
    writeln!(out, "{}", row_line(&|c| names[c].clone(), false)).map_err(io)?;
    writeln!(out, "{}", row_line(&|c| types[c].clone(), false)).map_err(io)?;
    writeln!(out, "{rule}").map_err(io)?;
    let cut = keep.len() < total;
    let head = fit.max_rows.map_or(keep.len(), |m| m.div_ceil(2));
    for (i, _) in keep.iter().enumerate() {
        if cut && i == head {
            writeln!(out, "{}", row_line(&|_| "…".to_string(), false)).map_err(io)?;
        }
        writeln!(out, "{}", row_line(&|c| cells[c][i].clone(), true)).map_err(io)?;
    }
    writeln!(out, "{rule}").map_err(io)?;
    let mut notes = Vec::new();
    if cut {
        notes.push(format!(
            "{total} rows, {} hidden (\\last shows them all)",
            total - keep.len()
        ));
    }
    if !hidden.is_empty() {
        let names: Vec<&str> = hidden.iter().map(|c| names[*c].as_str()).collect();
        notes.push(format!(
            "{} column(s) hidden: {} (\\x shows rows whole)",
            hidden.len(),
            names.join(", ")
        ));
    }
    for n in notes {
        writeln!(out, "{n}").map_err(io)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{Decimal128Array, Int64Array, StringArray};
    use datafusion::arrow::datatypes::{Field, Schema};

    use super::*;

    fn render(batch: &RecordBatch, fit: Fit) -> String {
        let mut out = Vec::new();
        write_fitted(&mut out, &batch.schema(), std::slice::from_ref(batch), fit)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands("1234567.50"), "1,234,567.50");
        assert_eq!(group_thousands("-1000.00"), "-1,000.00");
        assert_eq!(group_thousands("999.99"), "999.99");
        assert_eq!(group_thousands("NULL"), "NULL");
    }

    #[test]
    fn long_and_wide_results_say_what_they_hide() {
        let n = 10;
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, false),
            Field::new("name", DataType::Utf8, false),
            Field::new("middle", DataType::Utf8, false),
            Field::new("spending", DataType::Decimal128(18, 2), false),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(Int64Array::from((1..=n).collect::<Vec<i64>>())),
                Arc::new(StringArray::from(vec!["a"; n as usize])),
                Arc::new(StringArray::from(vec!["a long middle value"; n as usize])),
                Arc::new(
                    Decimal128Array::from(vec![123_456_789; n as usize])
                        .with_precision_and_scale(18, 2)
                        .unwrap(),
                ),
            ],
        )
        .unwrap();
        let whole = render(
            &batch,
            Fit {
                max_rows: None,
                max_width: None,
            },
        );
        assert!(whole.contains("| decimal(18,2) |"), "{whole}");
        assert!(whole.contains("|  1,234,567.89 |"), "{whole}");
        assert_eq!(whole.lines().count(), 4 + 10 + 1);
        let cut = render(
            &batch,
            Fit {
                max_rows: Some(4),
                max_width: Some(40),
            },
        );
        assert!(cut.contains("10 rows, 6 hidden"), "{cut}");
        assert!(cut.contains("1 column(s) hidden: middle"), "{cut}");
        // first two rows, the gap, the last two
        let ids: Vec<&str> = cut
            .lines()
            .skip(4)
            .filter_map(|l| l.split('|').nth(1).map(str::trim))
            .collect();
        assert_eq!(ids, ["1", "2", "…", "9", "10"]);
    }
}
