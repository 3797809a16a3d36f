//! Quote extraction on hostile input takes time in step with its size: four times the
//! input, about four times the time. Timed here rather than in the unit tests, where a
//! wall-clock bound depends on the machine's load.
//!
//!     cargo bench --bench quotes_linear
//!
//! Exits non-zero when a size step costs more than 8 times the time of the smaller input.

use std::time::Instant;

fn seconds(text: &str) -> f64 {
    let start = Instant::now();
    let article = newsdex::ingest::parse(text);
    std::hint::black_box(article.quotes.len());
    start.elapsed().as_secs_f64()
}

fn main() {
    let mut failed = false;
    for unit in [
        "\"x y\" said he, ",
        "Mr Ab said: \"x. \"y ",
        "\u{201c}a \u{201c}b ",
        "\" ",
        "a\" 's said he, \u{201d}. 5'9\" ",
    ] {
        let small = seconds(&format!("T\n\n{}", unit.repeat(5_000)));
        let big = seconds(&format!("T\n\n{}", unit.repeat(20_000)));
        let ok = big < small * 8.0 + 0.05;
        failed |= !ok;
        println!(
            "{unit:?}: 5,000 units {small:.3} s, 20,000 units {big:.3} s{}",
            if ok { "" } else { "  NOT LINEAR" }
        );
    }
    if failed {
        std::process::exit(1);
    }
}
