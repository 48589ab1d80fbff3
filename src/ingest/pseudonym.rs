//! Student ids are pseudonymised at ingest with a keyed hash: the raw id of
//! a district's export never reaches the warehouse. The key is the district's
//! secret, given to each ingest (`--pseudonym-key-file` or the environment
//! variable `RESMAP_PSEUDONYM_KEY`) and never written anywhere by resmap; with
//! the same key the same student gets the same pseudonym in every table and
//! year, so joins and year-over-year work, and `resmap pseudonym` re-computes
//! the pseudonyms of a district's own ids to re-link results.

use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;

use crate::error::{Error, Result};

/// The environment variable holding the pseudonym key.
pub const KEY_ENV: &str = "RESMAP_PSEUDONYM_KEY";

/// Context string of the key derivation: changing it changes every pseudonym.
const CONTEXT: &str = "resmap 2026 student pseudonym v1";

/// A district's pseudonym key.
#[derive(Clone)]
pub struct PseudonymKey([u8; 32]);

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.write_str("PseudonymKey(..)")
    }
}

impl PseudonymKey {
    /// The key derived from a secret phrase of at least 16 characters.
    pub fn from_secret(secret: &str) -> Result<Self> {
        let secret = secret.trim();
        if secret.chars().count() < 16 {
            return Err(Error::Usage(
                "the pseudonym key must be at least 16 characters (a long random phrase)"
                    .into(),
            ));
        }
        Ok(Self(blake3::derive_key(CONTEXT, secret.as_bytes())))
    }

    /// The key from `file` when given, else from `RESMAP_PSEUDONYM_KEY`;
    /// `None` when neither is set.
    pub fn load(file: Option<&Path>) -> Result<Option<Self>> {
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            return Self::from_secret(&text).map(Some);
        }
        match std::env::var(KEY_ENV) {
            Ok(v) if !v.trim().is_empty() => Self::from_secret(&v).map(Some),
            _ => Ok(None),
        }
    }

    /// The pseudonym of `id`: `P` and 20 hex digits (80 bits) of the keyed
    /// hash of the trimmed id.
    pub fn pseudonym(&self, id: &str) -> String {
        let hash = blake3::keyed_hash(&self.0, id.trim().as_bytes());
        format!("P{}", &hash.to_hex()[..20])
    }

    /// `batch` with its `column` (text) replaced by pseudonyms; NULLs stay
    /// NULL.
    pub fn apply(&self, batch: &RecordBatch, column: usize) -> Result<RecordBatch> {
        let ids = cast(batch.column(column), &DataType::Utf8)?;
        let ids = ids.as_string::<i32>();
        // A blank id stays empty, so the required-column check rejects it,
        // rather than becoming one made-up student.
        let hashed: StringArray = (0..ids.len())
            .map(|i| {
                (ids.is_valid(i) && !ids.value(i).trim().is_empty())
                    .then(|| self.pseudonym(ids.value(i)))
            })
            .collect();
        let hashed = cast(
            &(Arc::new(hashed) as ArrayRef),
            batch.column(column).data_type(),
        )?;
        let mut columns = batch.columns().to_vec();
        columns[column] = hashed;
        Ok(RecordBatch::try_new(batch.schema(), columns)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_same_pseudonym_and_another_key_another() {
        let a = PseudonymKey::from_secret("a long district secret phrase").unwrap();
        let b = PseudonymKey::from_secret("another long district secret").unwrap();
        assert_eq!(a.pseudonym("123456"), a.pseudonym(" 123456 "));
        assert_ne!(a.pseudonym("123456"), b.pseudonym("123456"));
        assert_ne!(a.pseudonym("123456"), a.pseudonym("123457"));
        let p = a.pseudonym("123456");
        assert!(p.starts_with('P') && p.len() == 21 && !p.contains("123456"));
        assert!(PseudonymKey::from_secret("short").is_err());
        assert_eq!(format!("{a:?}"), "PseudonymKey(..)");
    }
}
