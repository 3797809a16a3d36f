//! The HTTP side of SolrCloud: one blocking client over the node list, which tries the next
//! node when one fails and backs off between rounds, and turns every failure into one line
//! naming the node, the collection and what went wrong.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{bail, Result};
use serde_json::Value;

/// A node that does not accept the connection in this long is taken as down.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest wait for one answer: a batch of articles or a collection being created.
const READ_TIMEOUT: Duration = Duration::from_secs(120);
/// Rounds over the whole node list before giving up; between rounds the wait doubles from
/// [`FIRST_BACKOFF`]: 0.2 + 0.4 + 0.8 + 1.6 + 3.2 s, time for a replica to take over a shard
/// whose leader went down.
const ROUNDS: u32 = 6;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// Where newsdex's documents live: the nodes of one SolrCloud and a collection in it.
pub(crate) struct Solr {
    nodes: Vec<String>,
    pub(crate) collection: String,
    agent: ureq::Agent,
    /// The node tried first: the last one that answered.
    current: AtomicUsize,
}

/// A request body.
pub(crate) enum Body<'a> {
    Form(&'a [(&'a str, &'a str)]),
    Json(&'a str),
    Zip(&'a [u8]),
}

impl Solr {
    /// `urls`: one node URL or several, comma-separated (`http://host:8983/solr`).
    pub(crate) fn new(urls: &str, collection: &str) -> Result<Solr> {
        let nodes: Vec<String> = urls
            .split(',')
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty())
            .collect();
        if nodes.is_empty() {
            bail!("--solr needs a node URL such as http://127.0.0.1:8983/solr");
        }
        for n in &nodes {
            if !n.starts_with("http://") {
                bail!(
                    "Solr URL {n:?} is not an http:// URL (this build of newsdex speaks plain HTTP; put an https endpoint behind a local proxy)"
                );
            }
        }
        if collection.is_empty() || collection.contains(['/', '?', '#', ' ']) {
            bail!("collection name {collection:?} is not a Solr collection name");
        }
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(CONNECT_TIMEOUT)
            .timeout_read(READ_TIMEOUT)
            .build();
        Ok(Solr {
            nodes,
            collection: collection.to_string(),
            agent,
            current: AtomicUsize::new(0),
        })
    }

    /// The node list as given, for messages.
    pub(crate) fn nodes(&self) -> String {
        self.nodes.join(",")
    }

    /// A request to the collection (`/select`, `/update`).
    pub(crate) fn collection_request(&self, handler: &str, body: Body) -> Result<Value> {
        let path = format!("/{}{handler}", self.collection);
        self.request(&path, &[], body)
    }

    /// A request to `path` under a node's base URL, tried on every node in turn, in
    /// [`ROUNDS`] rounds with a doubling wait between them. Only failures that another node
    /// or a later try can cure are retried: no connection, a timeout, a 5xx answer.
    pub(crate) fn request(&self, path: &str, query: &[(&str, &str)], body: Body) -> Result<Value> {
        let mut wait = FIRST_BACKOFF;
        let mut last = String::new();
        for round in 0..ROUNDS {
            if round > 0 {
                std::thread::sleep(wait);
                wait *= 2;
            }
            let first = self.current.load(Ordering::Relaxed);
            for k in 0..self.nodes.len() {
                let i = (first + k) % self.nodes.len();
                match self.once(&self.nodes[i], path, query, &body) {
                    Ok(v) => {
                        self.current.store(i, Ordering::Relaxed);
                        return Ok(v);
                    }
                    Err(Failure::Final(e)) => return Err(e),
                    Err(Failure::Retry(msg)) => last = msg,
                }
            }
        }
        bail!(
            "Solr at {} (collection {}) did not answer after {ROUNDS} rounds over its nodes: {last}",
            self.nodes(),
            self.collection
        )
    }

    fn once(
        &self,
        node: &str,
        path: &str,
        query: &[(&str, &str)],
        body: &Body,
    ) -> Result<Value, Failure> {
        let url = format!("{node}{path}");
        let mut req = self.agent.post(&url);
        for (k, v) in query.iter().chain(&[("wt", "json")]) {
            req = req.query(k, v);
        }
        let result = match body {
            Body::Form(pairs) => req.send_form(pairs),
            Body::Json(s) => req.set("Content-Type", "application/json").send_string(s),
            Body::Zip(b) => req
                .set("Content-Type", "application/octet-stream")
                .send_bytes(b),
        };
        match result {
            Ok(resp) => resp
                .into_json::<Value>()
                .map_err(|e| Failure::Retry(format!("{url}: the answer is not JSON ({e})"))),
            Err(ureq::Error::Status(code, resp)) => Err(self.status_failure(&url, code, resp)),
            Err(ureq::Error::Transport(t)) => {
                Err(Failure::Retry(format!("{node}: {}", transport_message(&t))))
            }
        }
    }

    fn status_failure(&self, url: &str, code: u16, resp: ureq::Response) -> Failure {
        let text = resp.into_string().unwrap_or_default();
        let msg = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["error"]["msg"].as_str().map(first_line))
            .unwrap_or_else(|| first_line(&text));
        let node = url.split('/').take(4).collect::<Vec<_>>().join("/");
        let coll = &self.collection;
        // Solr answers a request to a collection it does not have with a bare 404 page.
        if code == 404 && url.starts_with(&format!("{node}/{coll}/")) {
            return Failure::Final(anyhow::anyhow!(
                "Solr at {node} has no collection {coll:?} (`newsdex solr init --solr {node} --collection {coll}` creates it; is {node} the base URL, ending in /solr?)"
            ));
        }
        if code >= 500 {
            return Failure::Retry(format!("{node}: HTTP {code}: {msg}"));
        }
        Failure::Final(anyhow::anyhow!(
            "Solr at {node} (collection {coll}) refused the request: HTTP {code}: {msg}"
        ))
    }
}

enum Failure {
    Retry(String),
    Final(anyhow::Error),
}

/// The cause of a failed connection in a few words (ureq's own message repeats the URL).
fn transport_message(t: &ureq::Transport) -> String {
    use std::error::Error;
    let mut cause: Option<&dyn Error> = t.source();
    let mut msg = t.kind().to_string();
    while let Some(c) = cause {
        msg = c.to_string();
        cause = c.source();
    }
    first_line(&msg)
}

fn first_line(s: &str) -> String {
    let line = s
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    line.chars().take(300).collect()
}

/// A value as one term of the standard query parser: every character the parser reads as
/// syntax is escaped.
pub(crate) fn escape(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 4);
    for c in term.chars() {
        if "\\+-!():^[]\"{}~*?|&;/ ".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
