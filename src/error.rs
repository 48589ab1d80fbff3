//! The library's error type. Every failure a user can cause or meet is one
//! variant carrying what is needed to explain it; the CLI renders it once.

use std::path::PathBuf;

use datafusion::error::DataFusionError;

/// Result with resmap's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in resmap.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// the file
        path: PathBuf,
        /// what the OS said
        source: std::io::Error,
    },

    /// A raw file is malformed at a place we can point to.
    #[error("{file}:{line}:{column}: {message}")]
    Malformed {
        /// the file
        file: String,
        /// 1-based line (the header is line 1)
        line: u64,
        /// 1-based column (field number), with its name when known
        column: String,
        /// what is wrong
        message: String,
    },

    /// A mapping file is not usable.
    #[error("mapping {mapping}: {message}")]
    Mapping {
        /// mapping name or path
        mapping: String,
        /// what is wrong
        message: String,
    },

    /// An ingest rejected more rows than allowed, so nothing was written.
    #[error(
        "ingest stopped: {rejected} rows rejected (limit {limit}); nothing was written.\n{examples}"
    )]
    TooManyRejects {
        /// rows rejected so far
        rejected: u64,
        /// the limit
        limit: u64,
        /// the first reasons, one per line
        examples: String,
    },

    /// Something the user asked for does not exist.
    #[error("{kind} {name:?} not found{}", suggestion.as_ref().map(|s| format!("; did you mean {s:?}?")).unwrap_or_default())]
    NotFound {
        /// what kind of thing: table, canned query, mapping
        kind: &'static str,
        /// the name asked for
        name: String,
        /// the closest existing name
        suggestion: Option<String>,
    },

    /// A canned query's parameters are wrong.
    #[error("query {query}: {message}")]
    Param {
        /// the canned query
        query: String,
        /// what is wrong
        message: String,
    },

    /// The command line or a setting is wrong.
    #[error("{0}")]
    Usage(String),

    /// A SQL statement failed.
    #[error("{0}")]
    Sql(#[from] DataFusionError),

    /// A SQL statement failed, its message already written out (with the
    /// statement's line and a caret under the offending token).
    #[error("{0}")]
    Query(String),

    /// The warehouse (Delta Lake) failed.
    #[error("warehouse: {0}")]
    Warehouse(#[from] deltalake::DeltaTableError),

    /// An Arrow operation failed.
    #[error("{0}")]
    Arrow(#[from] datafusion::arrow::error::ArrowError),

    /// An error at a place in a script: `file:line`.
    #[error("{place}: {source}")]
    At {
        /// where: the script and line
        place: String,
        /// what went wrong there
        source: Box<Error>,
    },

    /// Two writers replaced the same district-years at once; this one lost.
    #[error("{0}")]
    Conflict(String),

    /// `resmap check` found flaws at the severity it was told to fail on.
    #[error("{0}")]
    Findings(String),

    /// Some data-quality rules could not run (their findings are missing).
    #[error("{0}")]
    Incomplete(String),

    /// A bug in resmap.
    #[error(
        "internal error: {0}. This is a bug in resmap; please report it with the command you ran"
    )]
    Internal(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// True when the error is a usage mistake (exit code 2) rather than a failure
    /// of the data or a query (exit code 1).
    pub fn is_usage(&self) -> bool {
        match self {
            Error::At { source, .. } => source.is_usage(),
            e => matches!(
                e,
                Error::Usage(_) | Error::NotFound { .. } | Error::Param { .. }
            ),
        }
    }
}

/// The existing name closest to `name`, if any is close enough to suggest.
pub fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&name.to_lowercase(), &c.to_lowercase());
        if d <= (name.len() / 3).max(2) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// Levenshtein distance, for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name() {
        let names = ["class_size", "per_pupil_spending", "students_per_teacher"];
        assert_eq!(
            closest("per_pupil_spend", names).as_deref(),
            Some("per_pupil_spending")
        );
        assert_eq!(closest("clas_size", names).as_deref(), Some("class_size"));
        assert_eq!(closest("zzz", names), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
