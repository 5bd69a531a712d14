//! Builds the shipped banks (`question-banks/`) into the binary, so a copied or installed
//! `certprep` has them wherever it runs. It writes `$OUT_DIR/shipped_banks.rs`: one
//! `(path inside question-banks/, text)` pair per `*.json` file, each an `include_str!`, which
//! `src/shipped.rs` hands to the same loader and checks as banks on disk (`src/bank.rs`).
//!
//! A build script rather than the `include_dir` crate: twenty lines and no dependency, and
//! `rerun-if-changed` on the folder makes cargo notice added and removed files as well as
//! edited ones (`include_bytes!` alone tracks only the files it already names).

use std::path::{Path, PathBuf};

const BANKS: &str = "question-banks";

fn main() {
    println!("cargo:rerun-if-changed={BANKS}");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest_dir.join(BANKS);
    let mut files = Vec::new();
    collect_json(&root, &mut files);
    files.sort();
    let mut out = String::from("pub static SHIPPED_FILES: &[(&str, &str)] = &[\n");
    for path in &files {
        let relative = path.strip_prefix(&root).expect("below the banks folder");
        let relative = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        out.push_str(&format!(
            "    ({relative:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out_dir.join("shipped_banks.rs"), out).expect("OUT_DIR is writable");
}

/// Every `*.json` below `dir`, folder links not followed (as the bank loader does).
fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect_json(&path, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}
