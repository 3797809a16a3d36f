//! Output: terminal text (colour only where it is wanted) and JSON Lines for scripts.

pub(crate) mod escape;
pub(crate) mod export;
pub(crate) mod json;
pub(crate) mod progress;
pub(crate) mod show;
pub(crate) mod text;
pub(crate) mod timeline;

use std::io::IsTerminal;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Colour on a terminal unless `NO_COLOR` is set (https://no-color.org), or as forced.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR")
                .map(|v| v.is_empty())
                .unwrap_or(true)
                && std::io::stdout().is_terminal()
        }
    }
}
