use std::process::ExitCode;

use clap::Parser;

// Indexing allocates many short-lived strings and vectors per article on two threads;
// mimalloc's per-thread free lists cost fewer instructions per allocation than glibc's
// malloc (benches/RESULTS.md has the before and after).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = newsdex::cli::Cli::parse();
    match newsdex::commands::run(cli) {
        Ok(code) => code.into(),
        Err(e) => {
            eprintln!("newsdex: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
