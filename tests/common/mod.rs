//! Shared helpers of the integration tests: a temporary copy of the bundled corpus and a
//! runner for the real binary.
#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

pub struct Fixture {
    pub dir: TempDir,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

impl Fixture {
    /// A copy of `corpus/` in a temporary folder, not yet indexed.
    pub fn corpus() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
            &dir.path().join("corpus"),
        );
        Fixture { dir }
    }

    /// An empty corpus folder, for tests that write their own files.
    pub fn empty() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
        Fixture { dir }
    }

    /// The bundled corpus, indexed.
    pub fn indexed() -> Fixture {
        let f = Fixture::corpus();
        let out = f.index();
        assert!(
            out.status.success(),
            "index failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        f
    }

    pub fn corpus_dir(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    pub fn index_dir(&self) -> PathBuf {
        self.dir.path().join("idx")
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("newsdex").unwrap();
        // NEWSDEX_SOLR in the user's environment would send searches to a SolrCloud.
        c.current_dir(self.dir.path())
            .env_remove("NO_COLOR")
            .env_remove("NEWSDEX_INDEX")
            .env_remove("NEWSDEX_SOLR")
            .env_remove("NEWSDEX_SOLR_COLLECTION");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let idx = self.index_dir();
        let mut c = self.cmd();
        c.args(args).arg("--index").arg(&idx);
        c.output().unwrap()
    }

    pub fn index(&self) -> Output {
        let corpus = self.corpus_dir();
        self.run(&["index", corpus.to_str().unwrap()])
    }

    pub fn index_json(&self) -> serde_json::Value {
        let corpus = self.corpus_dir();
        let out = self.run(&["index", corpus.to_str().unwrap(), "--json"]);
        assert!(
            out.status.success(),
            "index failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("index --json prints one JSON object")
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.corpus_dir().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }

    /// JSON lines of `search --json` (hits, then the summary line).
    pub fn search_json(
        &self,
        query: &str,
        extra: &[&str],
    ) -> (Vec<serde_json::Value>, serde_json::Value, Output) {
        let mut args = vec!["search", query, "--json"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        let mut lines: Vec<serde_json::Value> = String::from_utf8(out.stdout.clone())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).expect("every line is JSON"))
            .collect();
        let summary = lines.pop().unwrap_or(serde_json::Value::Null);
        (lines, summary, out)
    }

    pub fn paths(&self, query: &str) -> Vec<String> {
        self.paths_n(query, 50)
    }

    /// Paths of the first `n` hits of `search QUERY`.
    pub fn paths_n(&self, query: &str, n: usize) -> Vec<String> {
        let (hits, _, _) = self.search_json(query, &["-n", &n.to_string()]);
        hits.iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect()
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Articles on the harbour of Kestrelmouth, with header blocks: two from the Daily Ledger
/// in 2016 (March and May), one from the Evening Courier in January 2017, and one without a date. Returns their
/// file names in that order.
pub fn write_dated(f: &Fixture) -> [&'static str; 4] {
    let files = [
        (
            "dated/ledger-march.txt",
            "Date: 2016-03-05\nBy: Mia Chen\nSource: Daily Ledger\nURL: https://ledger.example/march\n\n\
             Kestrelmouth tolls rise\n\n\u{201c}We had no choice about the Kestrelmouth harbour,\u{201d} said Sam Okafor, the port director.\n",
        ),
        (
            "dated/ledger-may.txt",
            "Date: 2016-05-20\nSource: Daily Ledger\n\n\
             Kestrelmouth ferry strike\n\n\u{201c}The Kestrelmouth harbour ferries will stop,\u{201d} said Lena Brandt, a union leader.\n",
        ),
        (
            "dated/courier-january.txt",
            "Date: 2017-01-10\nSource: Evening Courier\n\n\
             Kestrelmouth dredging begins\n\n\u{201c}The Kestrelmouth harbour will be deeper by spring,\u{201d} said Omar Haddad, an engineer.\n",
        ),
        (
            "dated/undated.txt",
            "Kestrelmouth fish return\n\nFish returned to the Kestrelmouth harbour this week.\n",
        ),
    ];
    for (name, text) in files {
        f.write(name, text);
    }
    files.map(|(name, _)| name)
}

/// A wire story of about 120 words with one quote by Mary Doyle.
pub fn story(day: &str) -> String {
    format!(
        "The town harbour, closed since the winter storms damaged its outer wall, will reopen \
         to fishing boats in the spring, the council announced on {day} after months of \
         repairs. Repairs to the wall have cost more than two million pounds, paid for by a \
         government grant and the council's reserves.\n\n\
         \u{201c}The harbour is the heart of this town and it will be open again by April,\u{201d} \
         said Mary Doyle, the council leader.\n\n\
         Fishermen welcomed the news but warned that the months without landings had pushed \
         several small boats out of business. The harbour master said the first boats would \
         be allowed back in small groups, so that divers could check the new wall as the \
         tides rose and fell.\n"
    )
}

/// Another story on the harbour, with another quote by Mary Doyle.
pub const OTHER: &str = "Ferry strike ends\n\n\
    Ferry services to the islands resumed on Monday after a week-long strike ended when the \
    union accepted a new pay offer from the operator, and the first boat left the harbour at \
    noon with families who had been stranded for days on the mainland.\n\n\
    \u{201c}We are glad the harbour is busy again and the families are home,\u{201d} said Mary \
    Doyle, the council leader.\n";
