//! Journal files in the sync folder: how records are written, named, found and read.
//!
//! Each computer writes only files named after its own device id,
//! `<device>-<segment>.certprep-journal`, one record per line:
//! `<crc32 of the JSON, 8 hex digits> <JSON record>\n`. A segment is only ever extended, by
//! writing the old bytes plus the new lines to a temporary file and renaming it over the old
//! one, so another computer (or the sync tool) never sees a half-written file from us. When a
//! segment passes [`ROTATE_BYTES`] the next one is started; older segments never change again.
//!
//! Reading trusts nothing: a line whose checksum fails, that is not a record, or that has no
//! final newline (a file still arriving) is counted and left for the next pass; the rest of
//! the file is still read. Any other file ending in `.certprep-journal` (a sync tool's
//! conflict copy, `… (1).certprep-journal`, `….sync-conflict-….certprep-journal`) is read as
//! more records: records identify themselves, so duplicates are harmless.

use super::hlc::is_device_id;
use super::record::Record;
use std::path::{Path, PathBuf};

pub const EXTENSION: &str = ".certprep-journal";
/// A segment is closed and the next one started past this size.
pub const ROTATE_BYTES: u64 = 1024 * 1024;
/// Files larger than this are not journals we wrote (segments stop near 1 MiB); they are
/// reported and not read, so a stray huge file cannot stall every pass.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// A record line longer than this is not one of ours.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// One `*.certprep-journal` file in the sync folder.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalFile {
    pub name: String,
    pub path: PathBuf,
    pub len: u64,
    /// Modification time, milliseconds since the epoch (0 when the system cannot tell).
    pub mtime_ms: i64,
    pub kind: FileKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// A segment named as certprep names them: `<device>-<segment>`.
    Segment { device: String, segment: u32 },
    /// Any other name: a copy made by a sync tool (conflict copy, duplicate).
    Copy,
}

/// The canonical name of one of a device's segments.
pub fn segment_name(device: &str, segment: u32) -> String {
    format!("{device}-{segment:06}{EXTENSION}")
}

/// `Some((device, segment))` for a canonical segment name.
pub fn parse_segment_name(name: &str) -> Option<(String, u32)> {
    let stem = name.strip_suffix(EXTENSION)?;
    let (device, segment) = stem.rsplit_once('-')?;
    if segment.len() != 6 || !segment.bytes().all(|b| b.is_ascii_digit()) || !is_device_id(device) {
        return None;
    }
    Some((device.to_string(), segment.parse().ok()?))
}

/// Every journal file in `folder`, sorted by name. Temporary files, hidden files and
/// anything that is not a regular file are skipped.
pub fn list(folder: &Path) -> std::io::Result<Vec<JournalFile>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !name.ends_with(EXTENSION) {
            continue;
        }
        // symlink_metadata: a link is not followed out of the sync folder.
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let mtime_ms = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_millis() as i64);
        let kind = match parse_segment_name(&name) {
            Some((device, segment)) => FileKind::Segment { device, segment },
            None => FileKind::Copy,
        };
        out.push(JournalFile {
            path: entry.path(),
            name,
            len: meta.len(),
            mtime_ms,
            kind,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// One record as a journal line, newline included.
pub fn encode(record: &Record) -> String {
    // A record is plain data: serialising it cannot fail.
    let json = serde_json::to_string(record).unwrap_or_default();
    let crc = crc32fast::hash(json.as_bytes());
    format!("{crc:08x} {json}\n")
}

/// What one file held.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    pub records: Vec<Record>,
    /// Lines whose checksum failed or that were not records.
    pub bad: usize,
    /// The last line had no newline: the file is still being written or synced.
    pub partial: bool,
}

/// Read the lines of a journal. Linear in its size; never fails: what cannot be read is
/// counted.
pub fn parse(bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    let mut rest = bytes;
    while !rest.is_empty() {
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            out.partial = true;
            break;
        };
        let line = &rest[..end];
        rest = &rest[end + 1..];
        if line.is_empty() {
            continue;
        }
        match decode_line(line) {
            Some(r) => out.records.push(r),
            None => out.bad += 1,
        }
    }
    out
}

fn decode_line(line: &[u8]) -> Option<Record> {
    if line.len() > MAX_LINE_BYTES || line.len() < 10 || line[8] != b' ' {
        return None;
    }
    let crc = u32::from_str_radix(std::str::from_utf8(&line[..8]).ok()?, 16).ok()?;
    let json = &line[9..];
    if crc32fast::hash(json) != crc {
        return None;
    }
    serde_json::from_slice(json).ok()
}

/// Read and parse one journal file (refusing oversized ones).
pub fn read(file: &JournalFile) -> std::io::Result<Parsed> {
    if file.len > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "{} is {} bytes, larger than the {MAX_FILE_BYTES}-byte limit for a journal",
            file.name, file.len
        )));
    }
    let bytes = std::fs::read(&file.path)?;
    Ok(parse(&bytes))
}

/// A segment as left by a write: what the reader's cache needs to skip it next time.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub name: String,
    pub len: u64,
    pub mtime_ms: i64,
}

/// Append `lines` (from [`encode`]) to `device`'s journal in `folder`: the newest segment
/// while it is under [`ROTATE_BYTES`], new segments after. Every file is replaced whole
/// (temporary file, fsync, rename), never edited in place. Returns the segments written.
pub fn append(folder: &Path, device: &str, lines: &[String]) -> std::io::Result<Vec<Written>> {
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    let newest = list(folder)?
        .into_iter()
        .filter_map(|f| match &f.kind {
            FileKind::Segment { device: d, segment } if d == device => Some((*segment, f)),
            _ => None,
        })
        .max_by_key(|(segment, _)| *segment);
    let (mut segment, mut bytes) = match newest {
        Some((segment, f)) if f.len < ROTATE_BYTES => (segment, std::fs::read(&f.path)?),
        Some((segment, _)) => (segment + 1, Vec::new()),
        None => (1, Vec::new()),
    };
    if bytes.last().is_some_and(|&b| b != b'\n') {
        // Never glue a record onto a line that lost its end (it stays unreadable, alone).
        bytes.push(b'\n');
    }
    let mut written = Vec::new();
    for line in lines {
        if !bytes.is_empty() && (bytes.len() + line.len()) as u64 > ROTATE_BYTES {
            written.push(replace_file(
                folder,
                &segment_name(device, segment),
                &bytes,
            )?);
            segment += 1;
            bytes.clear();
        }
        bytes.extend_from_slice(line.as_bytes());
    }
    written.push(replace_file(
        folder,
        &segment_name(device, segment),
        &bytes,
    )?);
    Ok(written)
}

fn replace_file(folder: &Path, name: &str, bytes: &[u8]) -> std::io::Result<Written> {
    let target = folder.join(name);
    crate::fsutil::replace_atomically(&target, bytes)?;
    let meta = std::fs::metadata(&target)?;
    Ok(Written {
        name: name.to_string(),
        len: meta.len(),
        mtime_ms: meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_millis() as i64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::record::{Body, ValueRecord};

    fn rec(i: usize) -> Record {
        Record {
            hlc: format!("{i:018}-000000-aabbccdd"),
            body: Body::Value(ValueRecord {
                key: format!("k{i}"),
                value: Some("v".repeat(i % 7)),
            }),
        }
    }

    #[test]
    fn lines_round_trip_and_damage_is_counted_not_fatal() {
        let mut text: String = (0..5).map(|i| encode(&rec(i))).collect();
        // A flipped byte in line 2's JSON, a garbage line, and a half line at the end.
        let pos = text.find("k1").unwrap();
        text.replace_range(pos..pos + 2, "k9");
        text.push_str("not a record\n");
        text.push_str(&encode(&rec(5))[..20]);
        let p = parse(text.as_bytes());
        assert_eq!(
            p.records,
            vec![rec(0), rec(2), rec(3), rec(4)],
            "good lines survive"
        );
        assert_eq!(p.bad, 2);
        assert!(p.partial);
    }

    #[test]
    fn names_are_recognised_and_copies_told_apart() {
        let dev = "0123456789abcdef";
        let n = segment_name(dev, 3);
        assert_eq!(n, "0123456789abcdef-000003.certprep-journal");
        assert_eq!(parse_segment_name(&n), Some((dev.to_string(), 3)));
        for copy in [
            "0123456789abcdef-000003 (conflicted copy 2026-11-30).certprep-journal",
            "0123456789abcdef-000003.sync-conflict-20261130-101010-ABCDEFG.certprep-journal",
            "0123456789abcdef-000003 (1).certprep-journal",
            "0123456789abcdef-000003-LAPTOP.certprep-journal",
            "0123456789abcdef-000003 2.certprep-journal",
        ] {
            assert_eq!(parse_segment_name(copy), None, "{copy}");
        }
    }

    #[test]
    fn append_extends_then_rotates_and_never_leaves_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let dev = "00aa11bb22cc33dd";
        let lines: Vec<String> = (0..3).map(|i| encode(&rec(i))).collect();
        let w = append(dir.path(), dev, &lines).unwrap();
        assert_eq!(w.len(), 1);
        let w2 = append(dir.path(), dev, &[encode(&rec(3))]).unwrap();
        assert_eq!(w2[0].name, w[0].name, "the open segment is extended");
        let files = list(dir.path()).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(read(&files[0]).unwrap().records.len(), 4);
        // 1.2 MiB more: the segment closes and a second one starts.
        let big: Vec<String> = (0..1200)
            .map(|i| {
                encode(&Record {
                    hlc: rec(i).hlc,
                    body: Body::Value(ValueRecord {
                        key: format!("big{i}"),
                        value: Some("x".repeat(1000)),
                    }),
                })
            })
            .collect();
        append(dir.path(), dev, &big).unwrap();
        let files = list(dir.path()).unwrap();
        assert_eq!(files.len(), 2);
        assert!(files[0].len <= ROTATE_BYTES);
        let total: usize = files.iter().map(|f| read(f).unwrap().records.len()).sum();
        assert_eq!(total, 1204);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
    }
}
