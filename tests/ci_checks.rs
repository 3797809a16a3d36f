//! The safety net itself: CI that cannot pass without its checks, and the library API the
//! fuzz targets build on.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;

use newsdex::index::writer::{self, IndexOptions};

/// `.ci/run` on a machine whose cargo has no rustfmt and no clippy must fail, saying so.
#[test]
fn ci_fails_without_rustfmt_or_clippy() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = tmp.path().join("calls.log");
    let fake = |name: &str, body: &str| {
        let p = bin.join(name);
        std::fs::write(
            &p,
            format!(
                "#!/bin/sh\necho \"{name} $*\" >> '{}'\n{body}\n",
                log.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    // A cargo without the fmt and clippy subcommands, and a rustup that cannot add them.
    fake(
        "cargo",
        "for a in \"$@\"; do case \"$a\" in fmt|clippy) echo \"no such command: $a\" >&2; exit 101;; esac; done\necho 'cargo 1.95.0 (fake)'\nexit 0",
    );
    fake("rustup", "exit 1");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/run");
    let out = Command::new("bash")
        .arg(&script)
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.status.success(),
        "CI passed without its checks:\n{text}"
    );
    assert!(
        text.contains("rustfmt") || text.contains("clippy"),
        "{text}"
    );
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !calls.contains("cargo test"),
        "tests ran without the checks: {calls}"
    );
}

/// `.ci/run` on a machine without Java (or Maven) must fail, saying so, before any test runs:
/// the SolrCloud tests it runs need both.
#[test]
fn ci_fails_without_java_for_the_solr_tests() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = tmp.path().join("calls.log");
    // A cargo whose every subcommand passes; the tools the script needs, and no java.
    let cargo = bin.join("cargo");
    std::fs::write(
        &cargo,
        format!(
            "#!/bin/sh\necho \"cargo $*\" >> '{}'\necho 'cargo 1.95.0 (fake)'\n",
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    for tool in ["dirname", "sed", "head"] {
        let real = ["/usr/bin", "/bin"]
            .iter()
            .map(|d| Path::new(d).join(tool))
            .find(|p| p.exists())
            .unwrap();
        std::os::unix::fs::symlink(real, bin.join(tool)).unwrap();
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/run");
    let out = Command::new("/bin/bash")
        .arg(&script)
        .env("PATH", &bin)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "CI passed without Java: {err}");
    assert!(err.contains("java not found"), "{err}");
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !calls.contains("cargo test"),
        "tests ran without Java: {calls}"
    );
}

/// `IndexOptions` has defaults, so callers (the fuzz targets) name only what they set.
#[test]
fn index_options_have_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("a.txt"),
        "Bank cuts rates\n\nThe bank cut rates.\n",
    )
    .unwrap();
    let defaults = IndexOptions::default();
    // Nothing confirmed by default: no new folders beside remembered ones, no mass removals.
    assert!(
        defaults.corpora.is_empty() && !defaults.consent.add && !defaults.consent.allow_removals
    );
    let opts = IndexOptions {
        corpora: vec![corpus],
        index_dir: dir.path().join("idx"),
        ..Default::default()
    };
    assert!(!opts.rebuild && opts.heap_bytes >= 16 << 20);
    // No progress report: `()` is the silent one.
    let s = writer::run(&opts, &AtomicBool::new(false), &()).unwrap();
    assert_eq!(s.articles_in_index, 1);
}

/// A test marked `#[ignore]` (it needs root, or a browser) is run by `.ci/run` explicitly,
/// so that ignoring it never means never running it.
#[test]
fn ci_runs_every_ignored_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    let mut missing = Vec::new();
    for e in std::fs::read_dir(root.join("tests")).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let ignores = text.lines().any(|l| l.trim_start().starts_with("#[ignore"));
        if p.extension().is_some_and(|x| x == "rs") && ignores {
            let name = p.file_stem().unwrap().to_str().unwrap().to_string();
            let run = format!("--test {name} -- --ignored");
            if !ci.contains(&run) {
                missing.push(name);
            }
        }
    }
    assert!(
        missing.is_empty(),
        ".ci/run never runs the ignored tests of {missing:?}"
    );
}
