//! Issue 5: bad files in the corpus and hostile text. Every hostile file is generated here;
//! each gets a per-file warning naming it and the reason, the run goes on, and the output
//! never carries raw control characters to the terminal.

mod common;

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use common::{stderr, stdout, Fixture};

/// Runs the binary with a time limit: a hang (a FIFO read, a quadratic loop) fails the test
/// instead of stalling the suite.
fn run_t(f: &Fixture, args: &[&str], secs: u64) -> Output {
    let mut c = f.cmd();
    // Through the environment: `parse` takes no index.
    c.args(args)
        .env("NEWSDEX_INDEX", f.index_dir())
        .timeout(Duration::from_secs(secs));
    let out = c.output().unwrap();
    assert!(
        out.status.code().is_some(),
        "newsdex {args:?} was killed (timeout of {secs} s?): {}",
        stderr(&out)
    );
    assert_ne!(out.status.code(), Some(101), "panic: {}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    out
}

fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:?}")))
        .collect()
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

fn utf16(bom: &[u8], text: &str, be: bool) -> Vec<u8> {
    let mut b = bom.to_vec();
    for u in text.encode_utf16() {
        b.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
    }
    b
}

/// Terminal output must hold no control characters but newlines (and the SGR colour codes
/// newdex writes itself under `--color always`), and no bidi controls.
fn assert_terminal_safe(what: &str, text: &str, colour: bool) {
    for (i, c) in text.char_indices() {
        if c == '\x1b' && colour {
            // Only ESC [ digits/; m, which is newsdex's own colouring.
            let rest = &text[i + 1..];
            let end = rest.find('m').expect("SGR ends with m");
            let seq = &rest[..end];
            assert!(
                seq.starts_with('[') && seq[1..].chars().all(|c| c.is_ascii_digit() || c == ';'),
                "{what}: raw escape sequence {seq:?} in {text:?}"
            );
            continue;
        }
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!bad, "{what}: raw {c:?} at byte {i} in {text:?}");
    }
}

#[test]
fn bad_files_are_reported_and_the_run_goes_on() {
    let f = Fixture::empty();
    let c = f.corpus_dir();
    f.write("good.txt", "A good article\n\nThe goodtoken story.\n");
    f.write("empty.txt", "");
    f.write("whitespace.txt", "  \n\t\r\n   \n");
    f.write("title-only.txt", "Only a title here\n");
    // One 10 MB line without a space: title only, no hang, no overlong token in the index.
    f.write("one-long-line.txt", "x".repeat(10 << 20));
    f.write(
        "image.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0\x1f\x15\xc4\x89",
    );
    f.write("nul.txt", b"Title\n\nText with a \0 NUL byte.\n");
    f.write(
        "latin1.txt",
        b"Caf\xe9 owner speaks\n\nThe caf\xe9 on the square opened; \x93we are proud\x94, said its owner.\n",
    );
    f.write("bom.txt", b"\xef\xbb\xbfBOM title\n\nThe bomtoken body.\n");
    f.write(
        "utf16le.txt",
        utf16(
            &[0xFF, 0xFE],
            "Little endian\n\nThe letoken body, Zoë.\n",
            false,
        ),
    );
    f.write(
        "utf16be.txt",
        utf16(
            &[0xFE, 0xFF],
            "Big endian\n\nThe betoken body, Zoë.\n",
            true,
        ),
    );
    f.write(
        "crlf.txt",
        "CRLF title\r\n\r\nThe crlftoken body.\r\nSecond.\r\n",
    );
    f.write("cr.txt", "CR title\r\rThe crtoken body.\rSecond.\r");
    mkfifo(&c.join("fifo.txt"));
    let _sock = std::os::unix::net::UnixListener::bind(c.join("socket.txt")).unwrap();
    std::os::unix::fs::symlink("nowhere.txt", c.join("dangling.txt")).unwrap();
    std::fs::create_dir_all(c.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", c.join("loop/up")).unwrap();
    std::fs::create_dir_all(c.join("x.txt")).unwrap();
    f.write("with space.txt", "Spaces\n\nThe spacetoken body.\n");
    f.write("new\nline.txt", "Newline\n\nThe newlinetoken body.\n");
    let bad_name = std::ffi::OsStr::from_bytes(b"caf\xe9-latin1-name.txt");
    std::fs::write(c.join(bad_name), "Bad name\n\nThe badnametoken body.\n").unwrap();

    let started = Instant::now();
    let corpus = c.to_str().unwrap();
    let out = run_t(&f, &["index", corpus, "--json"], 120);
    assert!(out.status.success(), "{}", stderr(&out));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped: Vec<(String, String)> = s["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["path"].as_str().unwrap().to_string(),
                v["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let reason = |p: &str| -> &str {
        &skipped
            .iter()
            .find(|(q, _)| q == p)
            .unwrap_or_else(|| panic!("{p} not among skipped: {skipped:?}"))
            .1
    };
    assert!(reason("empty.txt").contains("empty"));
    assert!(reason("whitespace.txt").contains("empty"));
    assert!(reason("image.txt").contains("binary"));
    assert!(reason("nul.txt").contains("binary"));
    assert!(reason("fifo.txt").contains("not a regular file"));
    assert!(reason("socket.txt").contains("not a regular file"));
    assert!(reason("dangling.txt").contains("dangling symbolic link"));
    assert!(reason("loop/up").contains("loop"));
    assert_eq!(skipped.len(), 8, "{skipped:?}");
    let warnings: Vec<String> = s["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            format!(
                "{}: {}",
                v["path"].as_str().unwrap(),
                v["message"].as_str().unwrap()
            )
        })
        .collect();
    for expected in [
        "latin1.txt: not valid UTF-8: decoded as Windows-1252",
        "title-only.txt: title only, no body text",
        "one-long-line.txt: title only, no body text",
    ] {
        assert!(
            warnings.iter().any(|w| w == expected),
            "{expected}: {warnings:?}"
        );
    }
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    // good, title-only, long line, latin1, bom, 2 × utf16, crlf, cr, 3 odd names; every file
    // seen is indexed or skipped.
    assert_eq!(s["articles_in_index"], 12, "{s}");
    assert_eq!(s["files_seen"], 20, "{s}");
    assert!(started.elapsed() < Duration::from_secs(120));

    // The terminal summary names each file and reason on its own line, escaped.
    let out = run_t(&f, &["index", corpus, "--rebuild"], 120);
    assert!(out.status.success());
    let err = stderr(&out);
    assert_terminal_safe("index warnings", &err, false);
    for line in [
        "newsdex: warning: empty.txt: skipped: empty file",
        "newsdex: warning: fifo.txt: skipped: not a regular file",
        "newsdex: warning: image.txt: skipped: binary file",
        "newsdex: warning: latin1.txt: not valid UTF-8: decoded as Windows-1252",
    ] {
        assert!(err.lines().any(|l| l.starts_with(line)), "{line}\n{err}");
    }
    assert!(
        stdout(&out).contains("8 skipped; 0 removed; 3 with warnings"),
        "{}",
        stdout(&out)
    );

    // Decoded text is searchable; `café` from the Latin-1 file matches `cafe`.
    for (q, path) in [
        ("goodtoken", "good.txt"),
        ("cafe", "latin1.txt"),
        ("bomtoken", "bom.txt"),
        ("letoken", "utf16le.txt"),
        ("betoken", "utf16be.txt"),
        ("crlftoken", "crlf.txt"),
        ("crtoken", "cr.txt"),
        ("spacetoken", "with space.txt"),
        ("newlinetoken", "new\nline.txt"),
        ("badnametoken", "caf\\xE9-latin1-name.txt"),
    ] {
        let out = run_t(&f, &["search", q, "--json"], 60);
        let lines = json_lines(&out);
        assert_eq!(lines.len(), 2, "{q}: {lines:?}");
        assert_eq!(lines[0]["path"], path, "{q}");
        let out = run_t(&f, &["search", q, "--color", "never"], 60);
        assert_terminal_safe(q, &stdout(&out), false);
    }
    let titles = json_lines(&run_t(&f, &["search", "zoe", "--json"], 60));
    assert_eq!(titles.len(), 3, "both UTF-16 files hold Zoë: {titles:?}");
    let out = run_t(&f, &["search", "title:cr", "--json"], 60);
    assert_eq!(json_lines(&out)[0]["title"], "CR title");
    // A file name with a newline is shown escaped, on one line.
    let out = run_t(
        &f,
        &["parse", c.join("new\nline.txt").to_str().unwrap()],
        60,
    );
    assert!(
        stdout(&out)
            .lines()
            .next()
            .unwrap()
            .ends_with("/new\\nline.txt"),
        "{}",
        stdout(&out)
    );
    let out = run_t(&f, &["parse", c.join("fifo.txt").to_str().unwrap()], 30);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("fifo.txt: not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_200_mb_file_is_truncated_at_the_size_limit() {
    use std::io::Write;
    let f = Fixture::empty();
    let p = f.corpus_dir().join("huge.txt");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
        w.write_all(b"A very long report\n\nheadtoken opens the report.\n")
            .unwrap();
        let para = "The committee discussed the budget at length again today.\n".repeat(2000);
        let mut n = 0;
        while n < 200 << 20 {
            w.write_all(para.as_bytes()).unwrap();
            n += para.len();
        }
        w.write_all(b"\ntailtoken closes the report.\n").unwrap();
    }
    assert!(std::fs::metadata(&p).unwrap().len() > 200 << 20);
    let corpus = f.corpus_dir();
    let out = run_t(&f, &["index", corpus.to_str().unwrap(), "--json"], 300);
    std::fs::remove_file(&p).unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["articles_in_index"], 1);
    assert_eq!(s["warnings"][0]["path"], "huge.txt");
    assert!(
        s["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("size limit of 20 MB"),
        "{s}"
    );
    assert!(s["bytes_read"].as_u64().unwrap() <= 20 << 20, "{s}");
    let hits =
        |q: &str| json_lines(&run_t(&f, &["search", q, "--json", "--no-snippets"], 120)).len() - 1;
    assert_eq!(hits("headtoken"), 1);
    assert_eq!(hits("tailtoken"), 0, "text past the limit is not indexed");
}

#[test]
fn text_built_to_break_the_quote_extractor_is_handled_in_linear_time() {
    let f = Fixture::empty();
    let cases: Vec<(&str, String)> = vec![
        ("marks.txt", format!("Marks\n\n{}\n", "\"".repeat(100_000))),
        (
            "curly.txt",
            format!("Curly\n\n{}{}\n", "\u{201c}".repeat(50_000), "\u{201d}".repeat(50_000)),
        ),
        (
            "mixed.txt",
            format!(
                "Mixed\n\n{}\n",
                "\u{201c}a \"b \u{2018}c' d\u{201d} a 12\" pipe, it's ‘rock ’n’ roll’ \u{201e}x\u{201c} «y» "
                    .repeat(8_000)
            ),
        ),
        (
            "unbalanced.txt",
            format!(
                "Unbalanced\n\n{}\n",
                "\"He said, she said, \u{201c}they said, said Mr Smith. ".repeat(10_000)
            ),
        ),
        (
            "paragraphs.txt",
            format!(
                "Paragraphs\n\n{}\n",
                "\u{201c}Open quote never closed, said Jane Doe.\n\n".repeat(10_000)
            ),
        ),
        (
            "apostrophes.txt",
            format!("Apostrophes\n\n{}\n", "it's the dog's 'toy' o'clock ' ".repeat(20_000)),
        ),
    ];
    let mut files = Vec::new();
    for (name, text) in &cases {
        files.push(f.write(name, text).to_str().unwrap().to_string());
    }
    let started = Instant::now();
    let mut args = vec!["parse", "--json"];
    args.extend(files.iter().map(String::as_str));
    let out = run_t(&f, &args, 120);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_lines(&out).len(), cases.len());
    let out = run_t(
        &f,
        &["index", f.corpus_dir().to_str().unwrap(), "--json"],
        180,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["articles_in_index"], cases.len());
    eprintln!("quote torture: parse + index in {:?}", started.elapsed());

    // Growth: 8 times the marks may take about 8 times as long, not 64 times. Each size is
    // timed 5 times, interleaved, and the fastest kept, so that load on a shared machine
    // does not decide the outcome.
    let text = |n: usize| format!("T\n\n{}\n", "\u{201c}a\" b' ".repeat(n));
    let (small_text, big_text) = (text(8_000), text(64_000));
    let time = |t: &str| {
        let started = Instant::now();
        std::hint::black_box(newsdex::ingest::parse(t));
        started.elapsed()
    };
    let (mut small, mut big) = (Duration::MAX, Duration::MAX);
    for _ in 0..5 {
        small = small.min(time(&small_text));
        big = big.min(time(&big_text));
    }
    eprintln!("quote extraction: {small:?} for 8,000 groups, {big:?} for 64,000");
    assert!(
        big < small * 32 + Duration::from_millis(100),
        "quote extraction grows faster than linearly: {small:?} for 8,000 groups, {big:?} for 64,000"
    );
}

/// ANSI escapes, control characters and bidi overrides in titles, bodies, quotes, speakers
/// and file names reach the terminal escaped, and JSON Lines output stays valid.
#[test]
fn hostile_text_is_escaped_on_the_terminal_and_valid_in_json() {
    let f = Fixture::empty();
    let body = "The evilword report \x1b[2J\x1b]0;owned\x07 was \u{202e}reversed\u{202c} here \x08\x08.\n\n\
                \u{201c}Clear the \x1b[31mscreen\x1b[0m now \u{2066}please\u{2069},\u{201d} said Mallory \x1bKnight, a spokesman.\n\n\
                \u{201c}Another evilword quote here,\u{201d} said Mallory Knight.\n";
    f.write(
        "evil\x1b[31mred\u{202e}txt.evil\r\x07.txt",
        format!("Title \x1b[1mbold\x1b[0m \u{202e}desrever\n\n{body}"),
    );
    f.write("plain.txt", "Plain\n\nNothing evilword to see.\n");
    let corpus = f.corpus_dir();
    let out = run_t(&f, &["index", corpus.to_str().unwrap()], 120);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_terminal_safe("index", &(stdout(&out) + &stderr(&out)), false);

    let evil_file = corpus.join("evil\x1b[31mred\u{202e}txt.evil\r\x07.txt");
    let evil_file = evil_file.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["search", "evilword"],
        vec!["search", "evilword", "--no-snippets"],
        vec!["search", "\x1b[31m\u{202e}"],
        vec!["quotes", "screen"],
        vec!["quotes", "--speaker", "mallory"],
        vec!["quotes", "evilword"],
        vec!["speakers"],
        vec!["speakers", "evilword"],
        vec!["parse", evil_file],
        vec!["stats"],
    ];
    for cmd in &commands {
        for colour in ["never", "always"] {
            let mut args = cmd.clone();
            args.extend(["--color", colour]);
            let out = run_t(&f, &args, 60);
            assert_ne!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
            assert_terminal_safe(
                &format!("{args:?} stdout"),
                &stdout(&out),
                colour == "always",
            );
            assert_terminal_safe(&format!("{args:?} stderr"), &stderr(&out), false);
        }
        if cmd[0] != "stats" {
            let mut args = cmd.clone();
            args.push("--json");
            let out = run_t(&f, &args, 60);
            let lines = json_lines(&out);
            assert!(!lines.is_empty(), "{args:?}");
        }
    }
    // The hostile bytes are still there, intact, for scripts.
    let lines = json_lines(&run_t(&f, &["search", "evilword", "--json"], 60));
    assert!(lines
        .iter()
        .any(|l| l["path"] == "evil\x1b[31mred\u{202e}txt.evil\r\x07.txt"));
    let out = run_t(&f, &["search", "evilword", "--color", "never"], 60);
    assert!(
        stdout(&out).contains("\\x1b[1mbold"),
        "escape shown as text: {}",
        stdout(&out)
    );
}
