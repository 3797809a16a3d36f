//! A real SolrCloud for the tests: `solr/cluster/` (MiniSolrCloudCluster, two Jetty nodes and
//! an embedded ZooKeeper) run with `java`, its node URLs read from its first lines. The
//! cluster shuts down and removes its data when its standard input closes: on drop, and
//! also when the test process ends, however it ends.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// Two nodes starting and electing an overseer took 12.6 s on the 2-core machine while
/// another build ran; this leaves room for a slower CI runner.
const START_TIMEOUT: Duration = Duration::from_secs(180);
const STOP_NODE_TIMEOUT: Duration = Duration::from_secs(60);
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Cluster {
    child: Child,
    /// The cluster's own output (Solr's warnings), for a failure message.
    log: PathBuf,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    pub nodes: Vec<String>,
}

fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("solr/cluster")
}

/// The classpath Maven wrote (`mvn package` in `solr/cluster`; `.ci/run` does it first).
fn classpath() -> String {
    let dir = project();
    let file = dir.join("target/classpath.txt");
    if !file.exists() {
        let status = Command::new("mvn")
            .args(["-q", "-B", "-f"])
            .arg(dir.join("pom.xml"))
            .args(["package", "-DskipTests"])
            .status()
            .expect("mvn (Maven) must be installed to run the SolrCloud tests");
        assert!(status.success(), "mvn package in solr/cluster failed");
    }
    let deps = std::fs::read_to_string(&file).unwrap();
    format!("{}:{}", dir.join("target/classes").display(), deps.trim())
}

impl Cluster {
    pub fn start() -> Cluster {
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        // Under target/tmp: the shared cluster is never dropped, so its log stays behind.
        let log = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("newsdex-solr-{}-{n}.log", std::process::id()));
        let mut child = Command::new("java")
            .arg("-cp")
            .arg(classpath())
            .arg("newsdex.solr.Cluster")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("java (17 or newer) must be installed to run the SolrCloud tests");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let mut c = Cluster {
            log: log.clone(),
            stdin: child.stdin.take(),
            child,
            lines,
            nodes: Vec::new(),
        };
        let nodes = c.wait_for("NEWSDEX_SOLR_NODES ", START_TIMEOUT);
        c.nodes = nodes.split(',').map(str::to_string).collect();
        c.wait_for("NEWSDEX_SOLR_READY", START_TIMEOUT);
        c
    }

    /// The rest of the first line that starts with `prefix`.
    fn wait_for(&self, prefix: &str, timeout: Duration) -> String {
        loop {
            match self.lines.recv_timeout(timeout) {
                Ok(line) if line.starts_with(prefix) => return line[prefix.len()..].to_string(),
                Ok(_) => continue,
                Err(e) => panic!(
                    "the SolrCloud test cluster did not print {prefix:?} ({e}); its log: {}",
                    self.log.display()
                ),
            }
        }
    }

    /// Every node URL, comma-separated, as `--solr` takes them.
    pub fn url(&self) -> String {
        self.nodes.join(",")
    }

    /// Stops node `n` (from 0) and waits until it is down.
    pub fn stop_node(&mut self, n: usize) {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "stop-node {n}").unwrap();
        stdin.flush().unwrap();
        self.wait_for(&format!("NEWSDEX_SOLR_STOPPED {n}"), STOP_NODE_TIMEOUT);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // The log is kept for a failing test to point at.
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.log);
        }
        // Closing stdin asks for a clean shutdown, which removes the cluster's data folder.
        drop(self.stdin.take());
        let deadline = std::time::Instant::now() + SHUTDOWN_TIMEOUT;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
