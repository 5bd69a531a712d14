//! The command line: `certprep` alone opens the window; subcommands work without a display.
//! Exit codes: 0 ok, 1 invalid input (bad bank, damaged file), 2 usage.

mod banks;
pub mod calibrate;
mod crash_writer;
mod data;
pub mod export;
pub mod group;
pub mod import;
mod lint;
mod readiness;
pub mod reports;
mod stats;
mod sync;
mod validate;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "certprep",
    version,
    about = "Practice exams and spaced repetition for certification candidates"
)]
pub struct Cli {
    /// Folder for the database and settings (default: the platform's data folder; also $CERTPREP_DATA_DIR)
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A folder of question banks to read besides the built-in banks and the data folder's
    /// question-banks/ (also $CERTPREP_BANKS_DIR); imports go there when it is given
    #[arg(long, global = true, value_name = "DIR")]
    pub banks: Option<PathBuf>,
    /// Measure start-up: print the time from process start to the first painted frame, then exit
    #[arg(long, hide = true)]
    pub probe_first_frame: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check question banks against the format; print one line per bank, or every error
    Validate {
        /// Bank folders, or folders of banks (default: the banks folder)
        paths: Vec<PathBuf>,
    },
    /// List every bank the app reads and where it comes from (built in, the data folder,
    /// --banks), the folders, and banks not loaded with the reason
    Banks,
    /// Check how items are written: cues that give keys away (in keys vs distractors), key
    /// positions and lengths, and per-item warnings with file:line:column
    Lint {
        /// Bank ids, bank folders, folders of banks, or GIFT/CSV files (default: every bank)
        paths: Vec<PathBuf>,
        /// Exit 1 when a cue gives keys away (for CI), not only on errors
        #[arg(long)]
        deny_leaks: bool,
    },
    /// Show a bank's balance: questions per skill area, per type, per difficulty
    Stats {
        /// Bank id (default: every bank)
        bank: Option<String>,
    },
    /// Import a Moodle GIFT or CSV file into a new bank folder
    Import {
        #[command(subcommand)]
        format: import::ImportCommand,
    },
    /// Export a bank as Moodle GIFT, or exam history and mastery per skill area as CSV
    Export {
        #[command(subcommand)]
        what: export::ExportCommand,
    },
    /// Shared mock exam packs for study groups: build one, or open one in the window
    Pack {
        #[command(subcommand)]
        cmd: group::PackCommand,
    },
    /// Study-group reports over members' result files
    Group {
        #[command(subcommand)]
        cmd: group::GroupCommand,
    },
    /// Export or import all history as one file
    Data {
        #[command(subcommand)]
        cmd: data::DataCommand,
    },
    /// Share your history with your other computers through a folder your sync tool copies
    Sync {
        #[command(subcommand)]
        cmd: sync::SyncCommand,
    },
    /// Question reports ("Report a problem with this question"): export them for the bank's author
    Reports {
        #[command(subcommand)]
        cmd: reports::ReportsCommand,
    },
    /// Print mastery per skill area, predicted score and pass probability from your history
    Readiness {
        /// Bank id (default: every bank)
        #[arg(long)]
        bank: Option<String>,
    },
    /// Benchmark helper: write a deterministic synthetic bank of N questions
    #[command(hide = true)]
    GenBank {
        #[arg(long, default_value_t = 10_000)]
        questions: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Test helper: answer questions as fast as possible, acknowledging each commit
    #[command(hide = true)]
    CrashWriter {
        #[arg(long)]
        bank: String,
        #[arg(long, default_value_t = 1000)]
        answers: usize,
    },
}

impl Cli {
    pub fn data_dir(&self) -> PathBuf {
        crate::paths::data_dir(self.data_dir.as_deref())
    }
    /// The built-in banks, the data folder's and `--banks` (see `crate::bank_sources`).
    pub fn bank_sources(&self) -> crate::bank_sources::BankSources {
        crate::bank_sources::BankSources::standard(
            &self.data_dir(),
            crate::paths::given_banks_dir(self.banks.as_deref()),
        )
    }
}

/// Run a subcommand. `None` means no subcommand was given: the caller opens the window.
/// A subcommand's outcome: its message on standard error, and success or failure.
fn finish(outcome: Result<String, String>) -> ExitCode {
    match outcome {
        Ok(msg) => {
            eprintln!("{msg}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

pub fn run(cli: &Cli) -> Option<ExitCode> {
    let command = cli.command.as_ref()?;
    let code = match command {
        Command::Validate { paths } => validate::run(cli, paths),
        Command::Banks => banks::run(cli),
        Command::Lint { paths, deny_leaks } => lint::run(cli, paths, *deny_leaks),
        Command::Stats { bank } => stats::run(cli, bank.as_deref()),
        Command::Readiness { bank } => readiness::run(cli, bank.as_deref()),
        Command::Data { cmd } => data::run(cli, cmd),
        Command::Sync { cmd } => sync::run(cli, cmd),
        Command::Reports { cmd } => reports::run(cli, cmd),
        Command::Import { format } => import::run(cli, format),
        Command::Export { what } => export::run(cli, what),
        Command::Pack { cmd } => {
            let code = group::run_pack(cli, cmd);
            // `pack open` with a readable pack goes on to open the window.
            if matches!(cmd, group::PackCommand::Open { .. }) && code == ExitCode::SUCCESS {
                return None;
            }
            code
        }
        Command::Group { cmd } => group::run_group(cli, cmd),
        Command::CrashWriter { bank, answers } => crash_writer::run(cli, bank, *answers),
        Command::GenBank {
            questions,
            seed,
            out,
        } => match crate::synth::write_bank(out, *questions, *seed) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("cannot write {}: {e}", out.display());
                ExitCode::from(1)
            }
        },
    };
    Some(code)
}
