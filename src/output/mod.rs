//! Rendering record batches as table, CSV, JSON, NDJSON or Markdown.

use std::fmt;
use std::io::Write;
use std::str::FromStr;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::json::writer::{JsonArray, LineDelimited, WriterBuilder};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::arrow::util::pretty::pretty_format_batches_with_options;

use crate::error::{Error, Result};

pub mod fit;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// aligned table with borders
    #[default]
    Table,
    /// comma-separated values with a header
    Csv,
    /// one JSON array of objects
    Json,
    /// one JSON object per line
    NdJson,
    /// a Markdown table, for pasting into reports
    Markdown,
    /// Apache Parquet, for a file (`\\o out.parquet`, `> out.parquet`)
    Parquet,
}

impl Format {
    /// All format names.
    pub const NAMES: [&'static str; 6] =
        ["table", "csv", "json", "ndjson", "markdown", "parquet"];
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "table" => Format::Table,
            "csv" => Format::Csv,
            "json" => Format::Json,
            "ndjson" | "jsonl" => Format::NdJson,
            "markdown" | "md" => Format::Markdown,
            "parquet" => Format::Parquet,
            other => {
                return Err(Error::Usage(format!(
                    "unknown format {other:?}; choose one of {}",
                    Format::NAMES.join(", ")
                )));
            }
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::NdJson => "ndjson",
            Format::Markdown => "markdown",
            Format::Parquet => "parquet",
        })
    }
}

fn options() -> FormatOptions<'static> {
    FormatOptions::default().with_null("NULL")
}

/// Writes `batches` (with `schema`, for empty results) in `format`. A reader
/// that goes away (`| head`) surfaces as an I/O error of kind `BrokenPipe`,
/// whatever the format's writer makes of it.
pub fn write(
    out: &mut dyn Write,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    format: Format,
) -> Result<()> {
    let mut guard = PipeGuard {
        inner: out,
        broken: false,
    };
    let result = write_unguarded(&mut guard, schema, batches, format);
    if guard.broken {
        return Err(Error::io(
            "<stdout>",
            std::io::Error::from(std::io::ErrorKind::BrokenPipe),
        ));
    }
    result
}

/// Remembers that the reader went away.
struct PipeGuard<'a> {
    inner: &'a mut dyn Write,
    broken: bool,
}

impl Write for PipeGuard<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf).inspect_err(|e| {
            self.broken |= e.kind() == std::io::ErrorKind::BrokenPipe;
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().inspect_err(|e| {
            self.broken |= e.kind() == std::io::ErrorKind::BrokenPipe;
        })
    }
}

fn write_unguarded(
    out: &mut dyn Write,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    format: Format,
) -> Result<()> {
    let io = |e: std::io::Error| Error::io("<stdout>", e);
    match format {
        Format::Table => {
            let table = if batches.iter().all(|b| b.num_rows() == 0) {
                let empty = RecordBatch::new_empty(Arc::clone(schema));
                pretty_format_batches_with_options(&[empty], &options())?
            } else {
                pretty_format_batches_with_options(batches, &options())?
            };
            writeln!(out, "{table}").map_err(io)?;
        }
        Format::Csv => {
            // CSV holds flat values: lists and structs are written as text.
            let flat = flatten_schema(schema);
            let mut w = datafusion::arrow::csv::WriterBuilder::new()
                .with_header(true)
                .build(&mut *out);
            if batches.is_empty() {
                w.write(&RecordBatch::new_empty(Arc::clone(&flat)))?;
            }
            for b in batches {
                w.write(&flatten(b, &flat)?)?;
            }
        }
        Format::Json => {
            let mut w = WriterBuilder::new()
                .with_explicit_nulls(true)
                .build::<_, JsonArray>(&mut *out);
            let refs: Vec<&RecordBatch> = batches.iter().collect();
            w.write_batches(&refs)?;
            w.finish()?;
            writeln!(out).map_err(io)?;
        }
        Format::NdJson => {
            let mut w = WriterBuilder::new()
                .with_explicit_nulls(true)
                .build::<_, LineDelimited>(&mut *out);
            let refs: Vec<&RecordBatch> = batches.iter().collect();
            w.write_batches(&refs)?;
            w.finish()?;
        }
        Format::Markdown => write_markdown(out, schema, batches)?,
        Format::Parquet => {
            let parquet = |e: datafusion::parquet::errors::ParquetError| {
                Error::Internal(format!("parquet: {e}"))
            };
            let mut buffer = Vec::new();
            let mut w = datafusion::parquet::arrow::ArrowWriter::try_new(
                &mut buffer,
                Arc::clone(schema),
                None,
            )
            .map_err(parquet)?;
            for b in batches {
                w.write(b).map_err(parquet)?;
            }
            w.close().map_err(parquet)?;
            out.write_all(&buffer).map_err(io)?;
        }
    }
    Ok(())
}

/// One formatter per column of `batch`.
pub(crate) fn formatters<'a>(
    batch: &'a RecordBatch,
    opts: &'a FormatOptions<'a>,
) -> Result<Vec<ArrayFormatter<'a>>> {
    Ok(batch
        .columns()
        .iter()
        .map(|c| ArrayFormatter::try_new(c.as_ref(), opts))
        .collect::<std::result::Result<Vec<_>, _>>()?)
}

/// A cell as the screen shows it: money (decimals of two places) grouped
/// by thousands.
pub(crate) fn screen_cell(
    field: &Field,
    column: &ArrayRef,
    formatter: &ArrayFormatter<'_>,
    row: usize,
) -> String {
    let text = formatter.value(row).to_string();
    if matches!(field.data_type(), DataType::Decimal128(_, 2)) && !column.is_null(row) {
        fit::group_thousands(&text)
    } else {
        text
    }
}

/// Writes each row as a block of `column | value` lines (`\x` in the
/// shell), for results too wide to read across.
pub fn write_expanded(
    out: &mut dyn Write,
    schema: &SchemaRef,
    batches: &[RecordBatch],
) -> Result<()> {
    let io = |e: std::io::Error| Error::io("<stdout>", e);
    let opts = options();
    let width = schema
        .fields()
        .iter()
        .map(|f| f.name().chars().count())
        .max()
        .unwrap_or(0);
    let mut n = 0;
    for b in batches {
        let formatters = formatters(b, &opts)?;
        for row in 0..b.num_rows() {
            n += 1;
            writeln!(out, "-[ row {n} ]{}", "-".repeat(width.saturating_sub(4)))
                .map_err(io)?;
            for ((f, field), column) in
                formatters.iter().zip(schema.fields()).zip(b.columns())
            {
                let value = screen_cell(field, column, f, row);
                writeln!(out, "{:<width$} | {value}", field.name()).map_err(io)?;
            }
        }
    }
    if n == 0 {
        writeln!(out, "(no rows)").map_err(io)?;
    }
    Ok(())
}

fn is_nested(t: &DataType) -> bool {
    t.is_nested() || matches!(t, DataType::Dictionary(..))
}

fn flatten_schema(schema: &SchemaRef) -> SchemaRef {
    Arc::new(Schema::new(
        schema
            .fields()
            .iter()
            .map(|f| {
                if is_nested(f.data_type()) {
                    Field::new(f.name(), DataType::Utf8, true)
                } else {
                    f.as_ref().clone()
                }
            })
            .collect::<Vec<_>>(),
    ))
}

fn flatten(batch: &RecordBatch, flat: &SchemaRef) -> Result<RecordBatch> {
    let opts = options();
    let mut columns = Vec::with_capacity(batch.num_columns());
    for c in batch.columns() {
        if is_nested(c.data_type()) {
            let f = ArrayFormatter::try_new(c.as_ref(), &opts)?;
            let text: StringArray = (0..c.len())
                .map(|i| (!c.is_null(i)).then(|| f.value(i).to_string()))
                .collect();
            columns.push(Arc::new(text) as ArrayRef);
        } else {
            columns.push(Arc::clone(c));
        }
    }
    Ok(RecordBatch::try_new(Arc::clone(flat), columns)?)
}

fn write_markdown(
    out: &mut dyn Write,
    schema: &SchemaRef,
    batches: &[RecordBatch],
) -> Result<()> {
    let io = |e: std::io::Error| Error::io("<stdout>", e);
    let escape = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let names: Vec<String> = schema.fields().iter().map(|f| escape(f.name())).collect();
    writeln!(out, "| {} |", names.join(" | ")).map_err(io)?;
    let rule: Vec<&str> = schema
        .fields()
        .iter()
        .map(|f| {
            if f.data_type().is_numeric() {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    writeln!(out, "| {} |", rule.join(" | ")).map_err(io)?;
    let opts = options();
    for b in batches {
        let formatters = formatters(b, &opts)?;
        for row in 0..b.num_rows() {
            let cells: Vec<String> = formatters
                .iter()
                .map(|f| escape(&f.value(row).to_string()))
                .collect();
            writeln!(out, "| {} |", cells.join(" | ")).map_err(io)?;
        }
    }
    Ok(())
}

/// Renders batches to a string (for tests and messages).
pub fn to_string(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    format: Format,
) -> Result<String> {
    let mut buf = Vec::new();
    write(&mut buf, schema, batches, format)?;
    String::from_utf8(buf).map_err(|e| Error::Internal(e.to_string()))
}

/// The terminal's (columns, rows), when `fd` is one.
pub fn terminal_size(fd: i32) -> Option<(usize, usize)> {
    // SAFETY: TIOCGWINSZ fills the winsize we pass and reads nothing else;
    // a descriptor that is not a terminal makes it return -1.
    unsafe {
        let mut size: libc::winsize = std::mem::zeroed();
        if libc::ioctl(fd, libc::TIOCGWINSZ, &mut size) == 0 && size.ws_col > 0 {
            Some((size.ws_col as usize, size.ws_row as usize))
        } else {
            None
        }
    }
}

/// Awaits `work`, and when it takes more than two seconds and stderr is a
/// terminal, shows `label` with the seconds elapsed on stderr until it ends
/// (the line is cleared after). Off when stderr is not a terminal.
pub async fn with_progress<F: std::future::Future>(label: &str, work: F) -> F::Output {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return work.await;
    }
    let started = std::time::Instant::now();
    let mut work = std::pin::pin!(work);
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
    let mut shown = false;
    loop {
        tokio::select! {
            done = &mut work => {
                if shown {
                    eprint!("\r\x1b[K");
                }
                return done;
            }
            _ = tick.tick() => {
                let seconds = started.elapsed().as_secs();
                if seconds >= 2 {
                    eprint!("\r\x1b[K{label}: {seconds} s (Ctrl-C cancels)");
                    shown = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{Decimal128Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};

    use super::*;

    fn sample() -> (SchemaRef, Vec<RecordBatch>) {
        let schema = Arc::new(Schema::new(vec![
            Field::new("district", DataType::Utf8, true),
            Field::new("per_pupil", DataType::Decimal128(18, 2), true),
        ]));
        let b = RecordBatch::try_new(
            Arc::clone(&schema),
            vec![
                Arc::new(StringArray::from(vec![Some("0100005"), Some("a|b")])),
                Arc::new(
                    Decimal128Array::from(vec![Some(1_026_612), None])
                        .with_precision_and_scale(18, 2)
                        .unwrap(),
                ),
            ],
        )
        .unwrap();
        (schema, vec![b])
    }

    #[test]
    fn renders_every_format_with_exact_decimals() {
        let (s, b) = sample();
        let md = to_string(&s, &b, Format::Markdown).unwrap();
        assert_eq!(
            md,
            "| district | per_pupil |\n| --- | ---: |\n| 0100005 | 10266.12 |\n| a\\|b | NULL |\n"
        );
        let csv = to_string(&s, &b, Format::Csv).unwrap();
        assert_eq!(csv, "district,per_pupil\n0100005,10266.12\na|b,\n");
        let nd = to_string(&s, &b, Format::NdJson).unwrap();
        assert!(
            nd.starts_with("{\"district\":\"0100005\",\"per_pupil\":10266.12}"),
            "{nd}"
        );
        let json = to_string(&s, &b, Format::Json).unwrap();
        assert!(
            json.starts_with('[') && json.trim_end().ends_with(']'),
            "{json}"
        );
        let table = to_string(&s, &b, Format::Table).unwrap();
        assert!(table.contains("| 0100005  | 10266.12  |"), "{table}");
        let empty = to_string(&s, &[], Format::Json).unwrap();
        assert_eq!(empty, "[]\n");
    }

    #[test]
    fn names_the_formats_it_knows() {
        assert_eq!("MD".parse::<Format>().unwrap(), Format::Markdown);
        let e = "xml".parse::<Format>().unwrap_err().to_string();
        assert!(e.contains("table, csv, json, ndjson, markdown"), "{e}");
    }
}
