//! `certprep import gift|aiken|csv|moodle-xml FILE --bank-id ID [--out DIR]`: write a new bank folder,
//! by default `question-banks/ID` in the data folder (or in `--banks DIR`), where the app
//! reads it.

use crate::bank::MAX_FILE_BYTES;
use crate::import::{Import, ImportError, ImportOptions, is_slug, write_bank};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import a Moodle GIFT file (multiple choice, multiple answer, true/false; other kinds
    /// are listed with their line and skipped)
    Gift(ImportArgs),
    /// Import spreadsheet rows saved as CSV (columns in docs/import.md)
    Csv(ImportArgs),
    /// Import a Moodle Aiken file (a question line, "A. option" lines, "ANSWER: X"; a
    /// question that breaks the form is listed with its line and skipped)
    Aiken(ImportArgs),
    /// Import a Moodle XML question bank (multichoice, truefalse, categories, embedded
    /// images; other types are listed with their line and skipped)
    MoodleXml(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import
    pub file: PathBuf,
    /// Id of the new bank: lowercase letters, digits and '-'
    #[arg(long, value_name = "ID")]
    pub bank_id: String,
    /// Folder to write the bank to (bank.json and questions.json); must be new or empty
    /// (default: question-banks/ID in the data folder, or ID in --banks DIR)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Title of the new bank (default: from the file, else the bank id)
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// Replace bank.json and questions.json in a folder that already has files
    #[arg(long)]
    pub force: bool,
}

/// Read a source file's bytes, refusing files over the bank size limit (also used by the
/// window's Import screen).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    read_bytes_capped(path, MAX_FILE_BYTES)
}

/// Read a source file's bytes, refusing files over `max` bytes.
fn read_bytes_capped(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use crate::fsutil::ReadError;
    crate::fsutil::read_capped(path, max).map_err(|e| match e {
        ReadError::TooLarge { size, max } => format!(
            "{}: file is {size} bytes, larger than the {max}-byte limit",
            path.display()
        ),
        e => format!("{}: cannot read: {e}", path.display()),
    })
}

/// Read a source file as UTF-8 text, refusing files over the bank size limit (also used by
/// the window's Import screen).
pub fn read(path: &Path) -> Result<String, String> {
    utf8(path, read_bytes(path)?)
}

/// Read a Moodle XML file as UTF-8 text: its limit is higher than a bank file's, as Moodle
/// embeds images in it (also used by the window's Import screen).
pub fn read_xml(path: &Path) -> Result<String, String> {
    utf8(
        path,
        read_bytes_capped(path, crate::import::moodle_xml::MAX_XML_BYTES)?,
    )
}

fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not UTF-8 text (byte {}); save the file as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

pub fn run(cli: &super::Cli, cmd: &ImportCommand) -> ExitCode {
    let (args, kind) = match cmd {
        ImportCommand::Gift(a) => (a, Kind::Gift),
        ImportCommand::Csv(a) => (a, Kind::Csv),
        ImportCommand::Aiken(a) => (a, Kind::Aiken),
        ImportCommand::MoodleXml(a) => (a, Kind::MoodleXml),
    };
    if !is_slug(&args.bank_id) {
        eprintln!("{}", ImportError::BadBankId(args.bank_id.clone()));
        return ExitCode::from(2);
    }
    let out = match destination(cli, args) {
        Ok(out) => out,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let opts = ImportOptions {
        bank_id: args.bank_id.clone(),
        title: args.title.clone(),
    };
    // A CSV that is not UTF-8 is read as Windows-1252 (older Excel); GIFT must be UTF-8.
    let source = match kind {
        Kind::Csv => read_bytes(&args.file).map(Source::Bytes),
        Kind::MoodleXml => read_xml(&args.file).map(Source::Text),
        _ => read(&args.file).map(Source::Text),
    };
    let source = match source {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let import = match &source {
        Source::Text(text) if kind == Kind::Aiken => crate::import::aiken::parse(text, &opts),
        Source::Text(text) if kind == Kind::MoodleXml => {
            match crate::import::moodle_xml::parse(text, &opts) {
                Ok(i) => i,
                Err(e) => {
                    eprintln!("{}: {e}", args.file.display());
                    return ExitCode::from(1);
                }
            }
        }
        Source::Text(text) => crate::import::gift::parse(text, &opts),
        Source::Bytes(bytes) => match crate::import::csv::parse_bytes(bytes, &opts) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{}: {e}", args.file.display());
                return ExitCode::from(1);
            }
        },
    };
    report(&import);
    if import.questions.is_empty() {
        eprintln!(
            "{}: no question could be imported; nothing written",
            args.file.display()
        );
        return ExitCode::from(1);
    }
    match write_bank(&import, &out, args.force) {
        Ok(bank) => {
            println!(
                "wrote bank {} to {}: {} in {}",
                bank.id(),
                out.display(),
                crate::text::count(bank.questions.len(), "question", "questions"),
                crate::text::count(bank.manifest.domains.len(), "skill area", "skill areas")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

/// `--out`, else `<id>` in the folder the app imports into. There the id must not be a
/// built-in bank's: the built-in bank would win (`crate::bank_sources`) and the import would
/// never be seen. An explicit `--out` is the user's own folder and may hold any id.
fn destination(cli: &super::Cli, args: &ImportArgs) -> Result<PathBuf, String> {
    if let Some(out) = &args.out {
        return Ok(out.clone());
    }
    if crate::shipped::load().bank(&args.bank_id).is_some() {
        return Err(format!(
            "\"{}\" is the id of a bank built into certprep; an import cannot replace it. \
             Choose another --bank-id (or write elsewhere with --out DIR).",
            args.bank_id
        ));
    }
    Ok(cli.bank_sources().import_to.join(&args.bank_id))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Gift,
    Csv,
    Aiken,
    MoodleXml,
}

enum Source {
    Text(String),
    Bytes(Vec<u8>),
}

/// `imported N questions, skipped M`, then one line per skipped item and per note.
pub fn report(import: &Import) {
    println!(
        "imported {}, skipped {}",
        crate::text::count(import.questions.len(), "question", "questions"),
        import.skipped.len()
    );
    if let Some(enc) = import.encoding {
        println!("  the file is not UTF-8 text: read as {enc}");
    }
    if !import.images.is_empty() {
        println!(
            "  kept {} (written to {}/ in the bank folder)",
            crate::text::count(import.images.len(), "image", "images"),
            crate::import::IMAGES_DIR
        );
    }
    for s in &import.skipped {
        println!("  skipped line {}: {}", s.line, s.reason);
    }
    for n in &import.notes {
        println!("  note line {}: {}", n.line, n.reason);
    }
}
