//! Any bytes through decoding and article parsing: no panic, spans inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for truncated in [false, true] {
        if let Ok(p) = newsdex::ingest::parse_bytes(data, truncated, data.len() as u64) {
            for para in &p.article.paragraphs {
                assert!(para.start <= para.end && para.end <= p.text.len());
            }
            for q in &p.article.quotes {
                assert!(q.start <= q.end && q.end <= p.text.len());
            }
        }
    }
});
