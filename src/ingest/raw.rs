//! Reading raw export files into the `raw` table a mapping selects from.
//!
//! CSV files are decoded whole (UTF-8 or Windows-1252), parsed record by record
//! with their starting line numbers, and stored as text columns: a mapping, not
//! the reader, decides what each field means. Two columns are added: `_file`
//! (the file's name) and `_line` (the line the record starts on; the header is
//! line 1). Records with the wrong number of fields are set aside as rejects.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, Int64Array, RecordBatch, StringBuilder, new_null_array,
};
use datafusion::arrow::compute::{cast, concat_batches};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::prelude::{ParquetReadOptions, SessionContext};

use crate::error::{Error, Result};
use crate::ingest::mapping::{ColumnCase, Mapping};

/// Name of the column holding the raw file's name.
pub const FILE_COLUMN: &str = "_file";
/// Name of the column holding the raw record's line number.
pub const LINE_COLUMN: &str = "_line";

/// Text encodings raw files come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a byte-order mark is skipped)
    Utf8,
    /// Windows-1252, which Excel writes on American Windows
    Windows1252,
}

impl Encoding {
    /// Parses an encoding name as written in a mapping header.
    pub fn parse(name: &str) -> Option<Encoding> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "cp1252" | "windows-1252" | "latin1" | "iso-8859-1" => {
                Some(Encoding::Windows1252)
            }
            _ => None,
        }
    }
}

/// A record that could not become a raw row.
#[derive(Debug, Clone)]
pub struct RawReject {
    /// the file's name
    pub file: String,
    /// line the record starts on
    pub line: u64,
    /// field (1-based) at fault, with its name when known
    pub column: String,
    /// why
    pub reason: String,
    /// the record's fields, re-joined as CSV
    pub record: String,
}

/// All raw rows of one ingest.
#[derive(Debug)]
pub struct RawInput {
    /// one batch of all rows: the files' columns (text) plus `_file` and `_line`
    pub batch: RecordBatch,
    /// records set aside while reading
    pub rejects: Vec<RawReject>,
    /// per file: its path as given and its rows read (including rejects)
    pub files: Vec<(PathBuf, u64)>,
}

impl RawInput {
    /// Rows read from all files, including rejected records.
    pub fn rows_read(&self) -> u64 {
        self.files.iter().map(|(_, n)| n).sum()
    }

    /// The raw record at `row`, re-joined as CSV text (for rejects files).
    pub fn record_text(&self, row: usize) -> String {
        let mut fields = Vec::new();
        for (i, f) in self.batch.schema().fields().iter().enumerate() {
            if f.name() == FILE_COLUMN || f.name() == LINE_COLUMN {
                continue;
            }
            let col = self.batch.column(i);
            let text = datafusion::arrow::util::display::array_value_to_string(col, row)
                .unwrap_or_default();
            fields.push(text);
        }
        join_csv(&fields)
    }

    /// The raw columns (name, 1-based position) whose value in `row` is `value`.
    pub fn columns_holding(&self, row: usize, value: &str) -> Vec<String> {
        let mut found = Vec::new();
        for (i, f) in self.batch.schema().fields().iter().enumerate() {
            if f.name() == FILE_COLUMN || f.name() == LINE_COLUMN {
                continue;
            }
            let text = datafusion::arrow::util::display::array_value_to_string(
                self.batch.column(i),
                row,
            )
            .unwrap_or_default();
            if text == value {
                found.push(format!("{} ({})", i + 1, f.name()));
            }
        }
        found
    }

    /// The `_file` and `_line` of `row`.
    pub fn location(&self, row: usize) -> (String, u64) {
        let schema = self.batch.schema();
        let file = schema
            .index_of(FILE_COLUMN)
            .ok()
            .map(|i| {
                datafusion::arrow::util::display::array_value_to_string(
                    self.batch.column(i),
                    row,
                )
                .unwrap_or_default()
            })
            .unwrap_or_default();
        let line = schema
            .index_of(LINE_COLUMN)
            .ok()
            .and_then(|i| {
                self.batch
                    .column(i)
                    .as_any()
                    .downcast_ref::<Int64Array>()
                    .map(|a| a.value(row))
            })
            .unwrap_or_default();
        (file, line as u64)
    }
}

/// Re-joins fields as one CSV record.
pub fn join_csv(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads every file for `mapping` into one raw batch.
pub async fn read_files(files: &[PathBuf], mapping: &Mapping) -> Result<RawInput> {
    if files.is_empty() {
        return Err(Error::Usage(
            "ingest needs at least one FILE to read".into(),
        ));
    }
    let mut seen = HashMap::new();
    for path in files {
        if path.is_dir() {
            return Err(Error::Usage(format!(
                "{}: is a folder; name the files in it",
                path.display()
            )));
        }
        if !path.is_file() {
            return Err(Error::Usage(format!("{}: no such file", path.display())));
        }
        // The same file twice, however spelt, would load its rows twice.
        let real = std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?;
        if let Some(first) = seen.insert(real, path) {
            return Err(Error::Usage(format!(
                "{} and {} are the same file; give it once",
                first.display(),
                path.display()
            )));
        }
    }
    let names = lineage_names(files);
    let mut tables = Vec::new();
    let mut rejects = Vec::new();
    let mut counts = Vec::new();
    for (path, name) in files.iter().zip(&names) {
        let is_parquet = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
        let before = rejects.len();
        let table = if is_parquet {
            read_parquet(path, name, mapping).await?
        } else {
            read_csv(path, name, mapping, &mut rejects)?
        };
        let rejected_here = (rejects.len() - before) as u64;
        counts.push((path.clone(), table.batch.num_rows() as u64 + rejected_here));
        tables.push(table);
    }
    let batch = union_by_name(tables)?;
    Ok(RawInput {
        batch,
        rejects,
        files: counts,
    })
}

/// The `_file` of each input: its file name, or the path as given when two
/// inputs share a file name (so their lines stay apart).
fn lineage_names(files: &[PathBuf]) -> Vec<String> {
    let names: Vec<String> = files.iter().map(|p| file_name(p)).collect();
    files
        .iter()
        .zip(&names)
        .map(|(path, name)| {
            let shared = files
                .iter()
                .zip(&names)
                .any(|(other, n)| n == name && other != path);
            if shared {
                path.display().to_string()
            } else {
                name.clone()
            }
        })
        .collect()
}

/// One file's rows, columns already renamed.
struct FileTable {
    batch: RecordBatch,
}

/// The name recorded in `_file`.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn decode(path: &Path, bytes: Vec<u8>, mapping: &Mapping) -> Result<String> {
    if bytes.starts_with(&[0x1f, 0x8b]) || bytes.starts_with(b"PK\x03\x04") {
        return Err(Error::Malformed {
            file: path.display().to_string(),
            line: 1,
            column: "1".into(),
            message: "the file is compressed (gzip or zip); extract the CSV first".into(),
        });
    }
    match mapping.encoding {
        Encoding::Windows1252 => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            Ok(text.into_owned())
        }
        Encoding::Utf8 => {
            let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
                Some(rest) => rest.to_vec(),
                None => bytes,
            };
            String::from_utf8(bytes).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                not_utf8(path, e.as_bytes(), at, mapping.delimiter)
            })
        }
    }
}

/// The error for a byte that is not UTF-8: the line, and the field that holds
/// it (found by parsing the raw bytes as CSV, so quoted delimiters count right).
fn not_utf8(path: &Path, bytes: &[u8], at: usize, delimiter: u8) -> Error {
    let line = bytes[..at]
        .iter()
        .enumerate()
        .filter(|(i, b)| {
            **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        })
        .count() as u64
        + 1;
    let mut column = "?".to_string();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut header: Vec<String> = Vec::new();
    let mut record = csv::ByteRecord::new();
    while let Ok(true) = reader.read_byte_record(&mut record) {
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let end = reader.position().byte() as usize;
        if header.is_empty() {
            header = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
        }
        if (start..end).contains(&at) {
            if let Some(i) = record.iter().position(|f| std::str::from_utf8(f).is_err()) {
                column = match header.get(i) {
                    Some(h) if start > 0 => format!("{} ({h})", i + 1),
                    _ => (i + 1).to_string(),
                };
            }
            break;
        }
    }
    Error::Malformed {
        file: path.display().to_string(),
        line,
        column,
        message: format!(
            "byte 0x{:02X} is not UTF-8; if the file comes from Excel on Windows, add \
             `-- encoding: cp1252` to the mapping or pass --encoding cp1252",
            bytes[at]
        ),
    }
}

/// The header names after the mapping's case rule and renames. Two columns
/// that the case rule or a rename give the same name are an error (which one
/// the mapping meant is unknowable); a name the file itself repeats, or a
/// blank one, gets a suffix and a warning.
fn clean_headers(path: &Path, raw: &[String], mapping: &Mapping) -> Result<Vec<String>> {
    let mut made: HashMap<String, String> = HashMap::new();
    for h in raw {
        let written = h.trim().to_string();
        let name = renamed(&written, mapping);
        if let Some(other) = made.get(&name)
            && other != &written
        {
            return Err(Error::Mapping {
                mapping: mapping.origin.clone(),
                message: format!(
                    "{}: columns {other:?} and {written:?} would both be called {name:?} \
                     after the mapping's column-case and renames",
                    path.display()
                ),
            });
        }
        made.insert(name, written);
    }
    let names = unique_headers(raw, mapping);
    for (h, n) in raw.iter().zip(&names) {
        if renamed(h.trim(), mapping) != *n {
            log::warn!("{}: column {h:?} is read as {n:?}", path.display());
        }
    }
    Ok(names)
}

fn renamed(written: &str, mapping: &Mapping) -> String {
    let name = match mapping.column_case {
        ColumnCase::AsIs => written.to_string(),
        ColumnCase::Lower => written.to_lowercase(),
        ColumnCase::Upper => written.to_uppercase(),
    };
    mapping.rename_column(&name)
}

/// The header names made unique with suffixes, lineage names reserved.
fn unique_headers(raw: &[String], mapping: &Mapping) -> Vec<String> {
    // A file's own `_file` or `_line` column must not pass for lineage.
    let mut seen: HashMap<String, usize> =
        HashMap::from([(FILE_COLUMN.to_string(), 1), (LINE_COLUMN.to_string(), 1)]);
    raw.iter()
        .enumerate()
        .map(|(i, h)| {
            let written = h.trim();
            let name = if written.is_empty() {
                format!("column_{}", i + 1)
            } else {
                renamed(written, mapping)
            };
            let n = seen.entry(name.clone()).or_insert(0);
            *n += 1;
            if *n > 1 { format!("{name}_{n}") } else { name }
        })
        .collect()
}

fn read_csv(
    path: &Path,
    name: &str,
    mapping: &Mapping,
    rejects: &mut Vec<RawReject>,
) -> Result<FileTable> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = decode(path, bytes, mapping)?;
    let lines = LineIndex::new(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(mapping.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let header = match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(str::to_string).collect::<Vec<_>>(),
        Ok(false) => {
            return Err(Error::Malformed {
                file: path.display().to_string(),
                line: 1,
                column: "1".into(),
                message: "the file is empty: a header line is needed".into(),
            });
        }
        Err(e) => return Err(csv_error(path, &lines, &e)),
    };
    let names = clean_headers(path, &header, mapping)?;
    let width = names.len();
    let mut builders: Vec<StringBuilder> =
        (0..width).map(|_| StringBuilder::new()).collect();
    let mut line_numbers: Vec<i64> = Vec::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, &lines, &e)),
        }
        // The reader's record position points at the line break (or blank
        // lines) before the record: its first line is that of its first byte.
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let line = lines.line_of(start);
        if record.len() != width {
            // An empty line is not a record; a line of only spaces or tabs is
            // reported, since it may be a record that lost its fields.
            if record.len() == 1 && record.get(0).is_some_and(str::is_empty) {
                continue;
            }
            let fields: Vec<String> = record.iter().map(str::to_string).collect();
            let end = lines.line_of(reader.position().byte().saturating_sub(1) as usize);
            let spans_lines = fields.iter().any(|f| f.contains(['\n', '\r']));
            let blank = record.iter().all(|f| f.trim().is_empty());
            let reason = if blank {
                "a line of only spaces or tabs".to_string()
            } else if spans_lines && record.len() < width {
                format!(
                    "a quoted field is not closed: the record runs from line {line} to line {end} \
                     and has {} of the header's {width} fields",
                    record.len()
                )
            } else {
                format!(
                    "expected {width} fields as in the header, found {}",
                    record.len()
                )
            };
            rejects.push(RawReject {
                file: name.to_string(),
                line,
                column: (width.min(record.len()) + 1).to_string(),
                reason,
                record: join_csv(&fields),
            });
            continue;
        }
        for (b, field) in builders.iter_mut().zip(record.iter()) {
            b.append_value(field);
        }
        line_numbers.push(line as i64);
    }
    let mut fields: Vec<Field> = names
        .iter()
        .map(|n| Field::new(n, DataType::Utf8, true))
        .collect();
    let mut columns: Vec<ArrayRef> = builders
        .into_iter()
        .map(|mut b| Arc::new(b.finish()) as ArrayRef)
        .collect();
    add_lineage(&mut fields, &mut columns, name, line_numbers);
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?;
    Ok(FileTable { batch })
}

/// Where each line of a text starts, counting `\r\n`, `\n` and a lone `\r`
/// as one line break each, so line numbers match what an editor shows.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex(starts)
    }

    /// 1-based line of byte offset `at`.
    fn line_of(&self, at: usize) -> u64 {
        self.0.partition_point(|start| *start <= at) as u64
    }
}

fn add_lineage(
    fields: &mut Vec<Field>,
    columns: &mut Vec<ArrayRef>,
    file: &str,
    lines: Vec<i64>,
) {
    let n = lines.len();
    fields.push(Field::new(FILE_COLUMN, DataType::Utf8, false));
    let mut files = StringBuilder::with_capacity(n, n * file.len());
    for _ in 0..n {
        files.append_value(file);
    }
    columns.push(Arc::new(files.finish()));
    fields.push(Field::new(LINE_COLUMN, DataType::Int64, false));
    columns.push(Arc::new(Int64Array::from(lines)));
}

fn csv_error(path: &Path, lines: &LineIndex, e: &csv::Error) -> Error {
    let line = e.position().map_or(0, |p| lines.line_of(p.byte() as usize));
    Error::Malformed {
        file: path.display().to_string(),
        line,
        column: "1".to_string(),
        message: e.to_string(),
    }
}

async fn read_parquet(path: &Path, name: &str, mapping: &Mapping) -> Result<FileTable> {
    let ctx = SessionContext::new();
    let location = path
        .to_str()
        .ok_or_else(|| Error::Usage(format!("{}: path is not UTF-8", path.display())))?;
    let unreadable = |e: datafusion::error::DataFusionError| Error::Malformed {
        file: path.display().to_string(),
        line: 0,
        column: "-".into(),
        message: format!("not a readable Parquet file: {}", e.find_root().message()),
    };
    let df = ctx
        .read_parquet(location, ParquetReadOptions::default())
        .await
        .map_err(unreadable)?;
    let schema: SchemaRef = Arc::new(df.schema().as_arrow().clone());
    let batches = df.collect().await.map_err(unreadable)?;
    let batch = concat_batches(&schema, &batches)?;
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let mut fields: Vec<Field> = schema
        .fields()
        .iter()
        .zip(clean_headers(path, &names, mapping)?)
        .map(|(f, name)| f.as_ref().clone().with_name(name))
        .collect();
    let mut columns = batch.columns().to_vec();
    let lines: Vec<i64> = (1..=batch.num_rows() as i64).collect();
    add_lineage(&mut fields, &mut columns, name, lines);
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?;
    Ok(FileTable { batch })
}

/// Stacks the files' rows into one batch; a column missing from a file is NULL
/// in that file's rows, and a column whose type differs between files is text.
fn union_by_name(tables: Vec<FileTable>) -> Result<RecordBatch> {
    let mut order: Vec<String> = Vec::new();
    let mut types: HashMap<String, DataType> = HashMap::new();
    for t in &tables {
        for f in t.batch.schema().fields() {
            match types.get(f.name()) {
                None => {
                    order.push(f.name().clone());
                    types.insert(f.name().clone(), f.data_type().clone());
                }
                Some(existing) if existing != f.data_type() => {
                    types.insert(f.name().clone(), DataType::Utf8);
                }
                Some(_) => {}
            }
        }
    }
    // Lineage columns last, whatever the files' order.
    order.retain(|n| n != FILE_COLUMN && n != LINE_COLUMN);
    order.push(FILE_COLUMN.into());
    order.push(LINE_COLUMN.into());
    let schema: SchemaRef = Arc::new(Schema::new(
        order
            .iter()
            .map(|n| {
                let nullable = n != FILE_COLUMN && n != LINE_COLUMN;
                Field::new(n, types[n].clone(), nullable)
            })
            .collect::<Vec<_>>(),
    ));
    let mut aligned = Vec::new();
    for t in tables {
        let rows = t.batch.num_rows();
        let mut columns = Vec::new();
        for f in schema.fields() {
            let c = match t.batch.schema().index_of(f.name()) {
                Ok(i) => {
                    let c = t.batch.column(i);
                    if c.data_type() == f.data_type() {
                        Arc::clone(c)
                    } else {
                        cast(c, f.data_type())?
                    }
                }
                Err(_) => new_null_array(f.data_type(), rows),
            };
            columns.push(c);
        }
        aligned.push(RecordBatch::try_new(Arc::clone(&schema), columns)?);
    }
    Ok(concat_batches(&schema, &aligned)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_encoding_names() {
        assert_eq!(Encoding::parse("UTF-8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::parse("cp1252"), Some(Encoding::Windows1252));
        assert_eq!(Encoding::parse("windows_1252"), Some(Encoding::Windows1252));
        assert_eq!(Encoding::parse("ebcdic"), None);
    }

    fn mapping(extra: &str) -> Mapping {
        Mapping::parse("m", "m.sql", &format!("-- target: school\n{extra}SELECT 1"))
            .unwrap()
    }

    #[test]
    fn points_at_the_field_with_the_byte_that_is_not_utf8() {
        // The quoted "1,000.00" holds a comma: the bad byte is in field 3, not 4.
        let bytes = b"a,b,c\r\n1,2,3\r\n\"1,000.00\",x,Caf\xe9\r\n".to_vec();
        let err = decode(Path::new("t.csv"), bytes, &mapping("")).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("t.csv:3:3 (c):"), "{text}");
        assert!(text.contains("0xE9"), "{text}");
        let semi = b"a;b\n1;\x92\n".to_vec();
        let err =
            decode(Path::new("t.csv"), semi, &mapping("-- delimiter: ;\n")).unwrap_err();
        assert!(err.to_string().starts_with("t.csv:2:2 (b):"), "{err}");
        let gz = vec![0x1f, 0x8b, 8, 0];
        let err = decode(Path::new("t.csv.gz"), gz, &mapping("")).unwrap_err();
        assert!(err.to_string().contains("compressed"), "{err}");
    }

    #[test]
    fn decodes_windows_1252() {
        let bytes = b"name\nO\x92Brien\n".to_vec();
        let text =
            decode(Path::new("t.csv"), bytes, &mapping("-- encoding: cp1252\n")).unwrap();
        assert_eq!(text, "name\nO\u{2019}Brien\n");
    }

    #[test]
    fn counts_lines_as_an_editor_does() {
        let idx = LineIndex::new("h\r\na\n\nb\rc");
        // lines start at bytes 0 (h), 3 (a), 5 (empty), 6 (b), 8 (c)
        assert_eq!(idx.line_of(0), 1);
        assert_eq!(idx.line_of(3), 2);
        assert_eq!(idx.line_of(6), 4);
        assert_eq!(idx.line_of(8), 5);
    }

    #[test]
    fn a_files_own_lineage_columns_are_renamed() {
        let names =
            unique_headers(&["_line".into(), "_file".into(), "a".into()], &mapping(""));
        assert_eq!(names, ["_line_2", "_file_2", "a"]);
    }

    #[test]
    fn columns_a_rename_would_merge_are_an_error() {
        let m = mapping("-- rename: ^exp\\d\\d$ => amt\n");
        let e = clean_headers(Path::new("t.csv"), &["exp22".into(), "exp23".into()], &m)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("columns \"exp22\" and \"exp23\" would both be called \"amt\""),
            "{e}"
        );
        let lower = mapping("-- column-case: lower\n");
        assert!(
            clean_headers(Path::new("t.csv"), &["AMT".into(), "amt".into()], &lower)
                .is_err()
        );
        // A name the file itself repeats is kept apart with a suffix.
        let same =
            clean_headers(Path::new("t.csv"), &["a".into(), "a".into()], &mapping(""));
        assert_eq!(same.unwrap(), ["a", "a_2"]);
    }

    #[test]
    fn joins_fields_back_into_csv() {
        let f = vec!["a".to_string(), "b,c".to_string(), "say \"hi\"".to_string()];
        assert_eq!(join_csv(&f), "a,\"b,c\",\"say \"\"hi\"\"\"");
    }

    fn runtime() -> &'static tokio::runtime::Runtime {
        static RT: std::sync::OnceLock<tokio::runtime::Runtime> =
            std::sync::OnceLock::new();
        RT.get_or_init(|| tokio::runtime::Runtime::new().expect("runtime"))
    }

    /// Writes `bytes` to a fresh file and reads it as a mapping would.
    fn read_bytes(bytes: &[u8]) -> Result<RawInput> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.csv");
        std::fs::write(&path, bytes).expect("write");
        runtime().block_on(read_files(std::slice::from_ref(&path), &mapping("")))
    }

    proptest::proptest! {
        // Any bytes: read or refused with an error, never a panic; and every
        // record read is a row or a reject.
        #[test]
        fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            if let Ok(raw) = read_bytes(&bytes) {
                proptest::prop_assert_eq!(
                    raw.rows_read(),
                    raw.batch.num_rows() as u64 + raw.rejects.len() as u64
                );
            }
        }

        // Well-formed CSV with quotes, commas, CRLF and newlines inside fields
        // reads back field for field.
        #[test]
        fn written_csv_reads_back(records in proptest::collection::vec(
            proptest::collection::vec("[a-z0-9 ,\"\r\n]{1,8}", 3), 1..20)) {
            let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
            out.write_record(["a", "b", "c"]).unwrap();
            let records: Vec<Vec<String>> = records
                .into_iter()
                .filter(|r| r.iter().any(|f| !f.trim().is_empty()))
                .collect();
            for r in &records {
                out.write_record(r).unwrap();
            }
            let bytes = out.into_inner().unwrap();
            let raw = read_bytes(&bytes).expect("well-formed CSV reads");
            proptest::prop_assert_eq!(raw.batch.num_rows(), records.len());
            for (i, r) in records.iter().enumerate() {
                for (j, f) in r.iter().enumerate() {
                    let col = raw.batch.column(j).as_any().downcast_ref::<datafusion::arrow::array::StringArray>().unwrap();
                    let got = if datafusion::arrow::array::Array::is_null(col, i) { String::new() } else { col.value(i).to_string() };
                    proptest::prop_assert_eq!(got.trim(), f.trim());
                }
            }
        }
    }
}
