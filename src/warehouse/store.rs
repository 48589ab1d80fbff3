//! Object-store warehouses: `s3://bucket/prefix` (AWS S3 or any S3-compatible
//! server), with credentials and endpoint from the usual `AWS_*` environment
//! variables.
//!
//! Delta's safety with two writers rests on one thing: creating the commit
//! file `_delta_log/N.json` must fail when another writer created it first.
//! Local files get that from the file system; on S3 resmap asks for it with a
//! conditional write (`If-None-Match: *`), which AWS S3 and the common
//! S3-compatible servers honour. A server that ignores the header would let
//! two writers overwrite one another's commit, so resmap never falls back to a
//! plain overwrite or an unsafe rename: the conditional write is forced on
//! whatever the environment says.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Once};

use deltalake::logstore::object_store::aws::{
    AmazonS3Builder, AmazonS3ConfigKey, S3ConditionalPut,
};
use deltalake::logstore::object_store::path::Path;
use deltalake::logstore::{
    LogStore, LogStoreFactory, ObjectStoreFactory, ObjectStoreRef, StorageConfig,
    default_logstore, logstore_factories, object_store_factories,
};
use deltalake::{DeltaResult, DeltaTableError};
use url::Url;

/// URL schemes a warehouse may live at besides local folders.
pub const OBJECT_STORE_SCHEMES: &[&str] = &["s3"];

/// Teaches Delta to open `s3://` tables. Idempotent.
pub fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let scheme = Url::parse("s3://").expect("a valid URL");
        object_store_factories().insert(scheme.clone(), Arc::new(S3Factory));
        logstore_factories().insert(scheme, Arc::new(S3Factory));
    });
}

/// Builds the S3 client of a warehouse URL and the Delta log store on it.
struct S3Factory;

impl ObjectStoreFactory for S3Factory {
    fn parse_url_opts(
        &self,
        url: &Url,
        config: &StorageConfig,
    ) -> DeltaResult<(ObjectStoreRef, Path)> {
        let store = s3_builder(url, &config.raw)?
            .build()
            .map_err(|e| DeltaTableError::generic(format!("{url}: {e}")))?;
        let path = Path::from_url_path(url.path())
            .map_err(|e| DeltaTableError::generic(format!("{url}: {e}")))?;
        Ok((Arc::new(store), path))
    }
}

impl LogStoreFactory for S3Factory {
    fn with_options(
        &self,
        prefixed_store: ObjectStoreRef,
        root_store: ObjectStoreRef,
        location: &Url,
        options: &StorageConfig,
    ) -> DeltaResult<Arc<dyn LogStore>> {
        // Delta's default log store commits with a create-only put, which the
        // store built above turns into a conditional write.
        Ok(default_logstore(
            prefixed_store,
            root_store,
            location,
            options,
        ))
    }
}

/// The S3 client settings for `url`: the environment's `AWS_*` variables
/// (keys, region, `AWS_ENDPOINT_URL`, `AWS_ALLOW_HTTP` ...), then `options`,
/// then the bucket of the URL and create-only commits by conditional write.
fn s3_builder(
    url: &Url,
    options: &HashMap<String, String>,
) -> DeltaResult<AmazonS3Builder> {
    let mut builder = AmazonS3Builder::from_env();
    for (key, value) in options {
        if let Ok(key) = AmazonS3ConfigKey::from_str(&key.to_ascii_lowercase()) {
            builder = builder.with_config(key, value);
        }
    }
    let bucket = url.host_str().filter(|b| !b.is_empty()).ok_or_else(|| {
        DeltaTableError::generic(format!("{url}: an s3:// warehouse names a bucket"))
    })?;
    Ok(builder
        .with_bucket_name(bucket)
        .with_conditional_put(S3ConditionalPut::ETagMatch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use deltalake::logstore::object_store::aws::AmazonS3ConfigKey as Key;

    #[test]
    fn conditional_writes_cannot_be_turned_off() {
        let url = Url::parse("s3://bucket/warehouse/").unwrap();
        let options = HashMap::from([
            ("aws_conditional_put".to_string(), "disabled".to_string()),
            ("aws_region".to_string(), "eu-west-1".to_string()),
        ]);
        let builder = s3_builder(&url, &options).unwrap();
        assert_eq!(
            builder.get_config_value(&Key::ConditionalPut).unwrap(),
            "etag"
        );
        assert_eq!(builder.get_config_value(&Key::Bucket).unwrap(), "bucket");
        assert_eq!(builder.get_config_value(&Key::Region).unwrap(), "eu-west-1");
    }

    #[test]
    fn a_url_without_bucket_is_refused() {
        let url = Url::parse("s3:///warehouse/").unwrap();
        assert!(s3_builder(&url, &HashMap::new()).is_err());
    }
}
