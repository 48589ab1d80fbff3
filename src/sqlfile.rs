//! The header comment that SQL files carry: `-- key: value` lines before the
//! first statement. Mappings and canned queries use it; the SQL itself is left
//! as written.

/// A SQL file split into its header entries and its body.
#[derive(Debug, Clone)]
pub struct SqlFile {
    /// `key: value` pairs in order; a key may repeat
    pub header: Vec<(String, String)>,
    /// the SQL after the header (header lines blanked, so line numbers match)
    pub body: String,
}

impl SqlFile {
    /// Splits `text` into header and body. The header is the leading run of
    /// comment lines; those of the form `-- key: value` become entries, other
    /// comment lines are prose and are ignored.
    pub fn parse(text: &str) -> SqlFile {
        let mut header = Vec::new();
        let mut body = String::new();
        let mut in_header = true;
        for line in text.lines() {
            let trimmed = line.trim();
            if in_header {
                if let Some(comment) = trimmed.strip_prefix("--") {
                    if let Some((k, v)) = comment.split_once(':') {
                        let key = k.trim();
                        if !key.is_empty()
                            && key.chars().all(|c| {
                                c.is_ascii_alphanumeric() || c == '-' || c == '_'
                            })
                        {
                            header.push((key.to_ascii_lowercase(), v.trim().to_string()));
                        }
                    }
                    body.push('\n');
                    continue;
                }
                if trimmed.is_empty() {
                    body.push('\n');
                    continue;
                }
                in_header = false;
            }
            body.push_str(line);
            body.push('\n');
        }
        SqlFile { header, body }
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.header
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key`, in order.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.header
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// One statement cut from a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// the statement's text, without its `;`
    pub sql: String,
    /// the line it starts on (1-based)
    pub line: usize,
}

/// Splits a script into statements at the semicolons the SQL tokenizer sees,
/// so `;` inside strings, quoted names and comments does not split. Segments
/// holding only comments and spaces are dropped. Text the tokenizer cannot
/// read (an unterminated string) is returned whole, so the engine reports it.
pub fn split_statements(text: &str) -> Vec<Statement> {
    use datafusion::sql::sqlparser::dialect::GenericDialect;
    use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};

    let dialect = GenericDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, text).tokenize_with_location() else {
        return whole(text);
    };
    let offsets = LineOffsets::new(text);
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut has_code = false;
    for t in &tokens {
        match &t.token {
            Token::SemiColon => {
                let end = offsets.byte(text, t.span.start.line, t.span.start.column);
                push_segment(text, start, end, has_code, &mut out);
                start = end + 1;
                has_code = false;
            }
            Token::Whitespace(_) | Token::EOF => {}
            _ => has_code = true,
        }
    }
    push_segment(text, start, text.len(), has_code, &mut out);
    out
}

/// True when `text` holds at least one statement and ends with `;` (ignoring
/// trailing spaces and comments): what the shell waits for before running.
pub fn is_complete(text: &str) -> bool {
    use datafusion::sql::sqlparser::dialect::GenericDialect;
    use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};

    let dialect = GenericDialect {};
    match Tokenizer::new(&dialect, text).tokenize() {
        Err(_) => false,
        Ok(tokens) => tokens
            .iter()
            .rev()
            .find(|t| !matches!(t, Token::Whitespace(_) | Token::EOF))
            .is_some_and(|t| matches!(t, Token::SemiColon)),
    }
}

/// True when the SQL tokenizer reads `text` to its end: no string, quoted
/// name or block comment is left open.
pub fn tokenizes(text: &str) -> bool {
    use datafusion::sql::sqlparser::dialect::GenericDialect;
    use datafusion::sql::sqlparser::tokenizer::Tokenizer;

    Tokenizer::new(&GenericDialect {}, text).tokenize().is_ok()
}

fn whole(text: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    push_segment(text, 0, text.len(), !text.trim().is_empty(), &mut out);
    out
}

fn push_segment(
    text: &str,
    start: usize,
    end: usize,
    has_code: bool,
    out: &mut Vec<Statement>,
) {
    if !has_code || start >= end {
        return;
    }
    let segment = &text[start..end];
    let leading = segment.len() - segment.trim_start().len();
    let line = text[..start + leading].matches('\n').count() + 1;
    out.push(Statement {
        sql: segment.trim().to_string(),
        line,
    });
}

/// Byte offsets of line starts, to turn the tokenizer's (line, column) into a
/// position in the text.
struct LineOffsets(Vec<usize>);

impl LineOffsets {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineOffsets(starts)
    }

    /// Byte offset of 1-based `line` and character `column`.
    fn byte(&self, text: &str, line: u64, column: u64) -> usize {
        let start = self
            .0
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(0);
        text[start..]
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(text.len(), |(i, _)| start + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_header_from_body_keeping_line_numbers() {
        let f = SqlFile::parse(
            "-- target: gl_line\n-- a prose line: with a colon is kept out\n\
             -- rename: ^EXP => exp\n-- rename: ^PP => pp\n\nSELECT 1\n-- not header: x\n",
        );
        assert_eq!(f.get("target"), Some("gl_line"));
        assert_eq!(f.all("rename"), vec!["^EXP => exp", "^PP => pp"]);
        assert_eq!(f.get("a prose line"), None);
        assert_eq!(f.body.lines().nth(5), Some("SELECT 1"));
        assert!(f.body.contains("-- not header: x"));
    }

    #[test]
    fn splits_at_semicolons_the_tokenizer_sees() {
        let s = split_statements(
            "SELECT ';' AS a; -- c; d\nSELECT 2 /* ; */;\n\n  -- only a comment;\nSELECT \"x;y\" FROM t",
        );
        let sql: Vec<&str> = s.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(
            sql,
            vec![
                "SELECT ';' AS a",
                "-- c; d\nSELECT 2 /* ; */",
                "-- only a comment;\nSELECT \"x;y\" FROM t"
            ]
        );
        assert_eq!(s[1].line, 1);
        assert!(split_statements("  -- nothing\n").is_empty());
        assert_eq!(split_statements("SELECT 'open").len(), 1);
    }

    #[test]
    fn a_statement_is_complete_at_its_semicolon() {
        assert!(is_complete("SELECT 1;"));
        assert!(is_complete("SELECT 1; -- trailing"));
        assert!(!is_complete("SELECT ';'"));
        assert!(!is_complete("SELECT 'open;"));
        assert!(!is_complete(""));
    }
}
