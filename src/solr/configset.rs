//! `newsdex solr init`: uploads the configset in `solr/configset/` (compiled in, so the
//! binary carries the schema it writes for) and creates the collection.

use anyhow::{Context, Result};
use serde_json::Value;

use super::client::{Body, Solr};
use crate::index::schema::SCHEMA_VERSION;

const SCHEMA_XML: &str = include_str!("../../solr/configset/managed-schema.xml");
const SOLRCONFIG_XML: &str = include_str!("../../solr/configset/solrconfig.xml");

/// The configset's name: one per layout of the documents, so collections pushed by
/// different newsdex versions never share a schema that one of them does not expect.
pub(crate) fn configset_name() -> String {
    format!("newsdex-v{SCHEMA_VERSION}")
}

/// What `init` did.
pub(crate) struct Created {
    pub configset: String,
    /// False when the collection was already there (it is left as it is).
    pub created: bool,
}

pub(crate) fn init(solr: &Solr, shards: u32, replicas: u32) -> Result<Created> {
    let configset = configset_name();
    let zip = stored_zip(&[
        ("managed-schema.xml", SCHEMA_XML.as_bytes()),
        ("solrconfig.xml", SOLRCONFIG_XML.as_bytes()),
    ]);
    solr.request(
        "/admin/configs",
        &[
            ("action", "UPLOAD"),
            ("name", &configset),
            ("overwrite", "true"),
        ],
        Body::Zip(&zip),
    )
    .with_context(|| format!("uploading the configset {configset} failed"))?;
    let list = solr.request("/admin/collections", &[("action", "LIST")], Body::Form(&[]))?;
    let exists = list["collections"]
        .as_array()
        .is_some_and(|c| c.iter().any(|n| n.as_str() == Some(&solr.collection)));
    if exists {
        return Ok(Created {
            configset,
            created: false,
        });
    }
    let (shards, replicas) = (shards.to_string(), replicas.to_string());
    let answer: Value = solr.request(
        "/admin/collections",
        &[
            ("action", "CREATE"),
            ("name", &solr.collection),
            ("numShards", &shards),
            ("replicationFactor", &replicas),
            ("collection.configName", &configset),
            ("waitForFinalState", "true"),
        ],
        Body::Form(&[]),
    )?;
    if let Some(failure) = answer.get("failure") {
        anyhow::bail!(
            "Solr at {} could not create collection {}: {failure}",
            solr.nodes(),
            solr.collection
        );
    }
    Ok(Created {
        configset,
        created: true,
    })
}

/// A zip archive of `files`, stored without compression: the Configsets API takes a zip,
/// and two small XML files need no deflate (nor a zip library).
fn stored_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    // DOS date 1980-01-01, time 00:00: a fixed stamp, so the archive is reproducible.
    const DOS_DATE: u16 = 0x21;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = crc32fast::hash(data);
        let size = data.len() as u32;
        let mut common = Vec::new();
        for v in [20u16, 0, 0, 0, DOS_DATE] {
            common.extend(v.to_le_bytes());
        }
        common.extend(crc.to_le_bytes());
        common.extend(size.to_le_bytes());
        common.extend(size.to_le_bytes());
        common.extend((name.len() as u16).to_le_bytes());
        common.extend(0u16.to_le_bytes());
        out.extend(0x0403_4b50u32.to_le_bytes());
        out.extend(&common);
        out.extend(name.as_bytes());
        out.extend(*data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes());
        central.extend(&common);
        // comment length, disk, internal and external attributes
        central.extend([0u8; 2 + 2 + 2 + 4]);
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let (cd_offset, cd_size, n) = (out.len() as u32, central.len() as u32, files.len() as u16);
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, n, n] {
        out.extend(v.to_le_bytes());
    }
    out.extend(cd_size.to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_holds_the_files_at_their_offsets() {
        let z = stored_zip(&[("a.xml", b"<a/>"), ("b.xml", b"<bb/>")]);
        assert_eq!(&z[..4], &[0x50, 0x4b, 0x03, 0x04]);
        let eocd = z.len() - 22;
        assert_eq!(&z[eocd..eocd + 4], &[0x50, 0x4b, 0x05, 0x06]);
        assert_eq!(u16::from_le_bytes([z[eocd + 10], z[eocd + 11]]), 2);
        let text = String::from_utf8_lossy(&z);
        assert!(text.contains("a.xml<a/>") && text.contains("b.xml<bb/>"));
    }
}
