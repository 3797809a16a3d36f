use std::process::ExitCode;

use clap::Parser;

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
