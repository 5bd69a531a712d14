use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = certprep::cli::Cli::parse();
    if let Some(code) = certprep::cli::run(&cli) {
        return code;
    }
    certprep::ui::run_window(&cli, started)
}
