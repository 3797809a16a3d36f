//! newsdex on SolrCloud, at the edge like `serve`: `push` sends what `index` reads to a
//! collection, `solr init` creates one from the configset in `solr/configset/`, and
//! `search`, `quotes` and `speakers` with `--solr` ask it instead of a local index. The
//! layers below never import this module; it reuses their reading, extraction, speaker
//! grouping and result types so that both back ends print the same output.

mod client;
mod configset;
mod push;
mod query;
mod search;

pub(crate) use client::Solr;
pub(crate) use configset::init;
pub(crate) use push::{push, Part, PushOptions};
pub(crate) use search::{quotes, search, speakers, Ask};
