//! Names sync tools give the copies they make when two computers changed one file, or when
//! they cannot tell two files apart: certprep reads those copies (journals, study-group result
//! files) as what they are, more copies of the same records, instead of ignoring them or
//! counting them twice.

/// The name of the file `name` is a copy of, when `name` has a marker a sync tool adds:
/// Syncthing's `x.sync-conflict-20261130-101010-ABCDEFG.ext`, Dropbox's and Nextcloud's
/// `x (conflicted copy 2026-11-30).ext` / `x (Ann's conflicted copy …).ext`, Google Drive's
/// `x (1).ext`, iCloud's `x 2.ext`. `None` for any other name.
pub fn copy_of(name: &str) -> Option<String> {
    let (base, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    if let Some(i) = base.find(".sync-conflict-") {
        return Some(format!("{}{ext}", &base[..i]));
    }
    if let Some(inner) = base.strip_suffix(')')
        && let Some(open) = inner.rfind(" (")
    {
        let marker = &inner[open + 2..];
        if marker.contains("conflicted copy")
            || marker.contains("Conflicted copy")
            || (!marker.is_empty() && marker.bytes().all(|b| b.is_ascii_digit()))
        {
            return Some(format!("{}{ext}", &inner[..open]));
        }
    }
    if let Some((stem, n)) = base.rsplit_once(' ')
        && !n.is_empty()
        && n.len() <= 3
        && n.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(format!("{stem}{ext}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::copy_of;

    #[test]
    fn sync_tools_copies_are_traced_to_their_original() {
        for (copy, original) in [
            (
                "ann.certprep-result.sync-conflict-20261130-101010-ABCDEFG.json",
                "ann.certprep-result.json",
            ),
            (
                "ann.certprep-result (conflicted copy 2026-11-30).json",
                "ann.certprep-result.json",
            ),
            (
                "ann.certprep-result (Bob's conflicted copy 2026-11-30).json",
                "ann.certprep-result.json",
            ),
            ("ann.certprep-result (1).json", "ann.certprep-result.json"),
            ("ann.certprep-result 2.json", "ann.certprep-result.json"),
            (
                "0123456789abcdef-000001 (conflicted copy).certprep-journal",
                "0123456789abcdef-000001.certprep-journal",
            ),
        ] {
            assert_eq!(copy_of(copy).as_deref(), Some(original), "{copy}");
        }
        for name in [
            "ann.certprep-result.json",
            "ann (team b).certprep-result.json",
            "report 2026.csv",
            "0123456789abcdef-000001.certprep-journal",
        ] {
            assert_eq!(copy_of(name), None, "{name}");
        }
    }
}
