//! Pattern tests, on invented sentences.

use super::*;

fn paras(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate() {
        let s = start;
        let e = s + line.len();
        start = e + 1;
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        out.push(Paragraph {
            start: s + lead,
            end: s + lead + t.len(),
            is_title: i == 0,
        });
    }
    out
}

fn run(text: &str) -> Vec<Quote> {
    let qs = extract(text, &paras(text));
    for q in &qs {
        assert_eq!(&text[q.start..q.end], q.text);
    }
    qs
}

#[test]
fn smoke() {
    let qs = run("Title\n\n\"We are ready,\" said Tom Baker.");
    assert_eq!(qs.len(), 1);
}
