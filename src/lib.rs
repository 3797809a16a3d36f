//! newsdex: index folders of news articles with tantivy, search them with BM25, and find
//! who said what.
//!
//! Data flows ingest -> index -> search -> output; [`commands`] wires them to the CLI, and
//! [`serve`] to HTTP, and `solr` to a SolrCloud collection.

pub mod cli;
pub mod commands;
pub mod index;
pub mod ingest;
pub(crate) mod output;
pub(crate) mod quotes;
pub mod search;
pub(crate) mod serve;
pub(crate) mod solr;
