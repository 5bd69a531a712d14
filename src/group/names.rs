//! Member names from other people's files: shown as they are meant to read, compared as
//! they look.
//!
//! - [`normalise_name`] is what the report shows: NFKC (fullwidth letters, ligatures and
//!   other compatibility forms folded), with control characters (newlines, ESC), format
//!   characters (zero-width space and joiners, bidi overrides, the BOM) and the soft hyphen
//!   removed, and runs of white space made one space.
//! - [`name_key`] is what names are compared by: the normalised name's Unicode TS #39
//!   *skeleton* (Cyrillic "А", Greek "Α" and Latin "A" are the same letter there), in lower
//!   case. Two results whose keys match are look-alikes: the report shows both, marked as a
//!   name conflict, and rejects neither.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// A member's name as shown, and the key look-alike names share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberName {
    pub shown: String,
    pub key: String,
}

impl MemberName {
    pub fn new(raw: &str) -> MemberName {
        let shown = normalise_name(raw);
        let key = name_key(&shown);
        MemberName { shown, key }
    }
}

/// Characters a name never keeps: controls, format characters (Cf: zero-width space and
/// joiners, bidi controls, the BOM, the soft hyphen), and the invisible fillers Unicode
/// lists outside Cf (Hangul fillers, the braille blank).
fn invisible(c: char) -> bool {
    c.is_control()
        || c.general_category() == GeneralCategory::Format
        || matches!(
            c,
            '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}' | '\u{034F}'
        )
        || ('\u{FE00}'..='\u{FE0F}').contains(&c)
}

/// The name as the report shows it: NFKC, invisible characters removed, white space
/// collapsed and trimmed.
pub fn normalise_name(raw: &str) -> String {
    let folded: String = raw
        .nfkc()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else {
                (!invisible(c)).then_some(c)
            }
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What two names are compared by: the TS #39 skeleton of the normalised name, lowercased
/// (and the skeleton taken again, as lowercasing can make new confusables).
pub fn name_key(name: &str) -> String {
    let shown = normalise_name(name);
    let skel: String = unicode_security::skeleton(&shown).collect();
    let lower = skel.to_lowercase();
    unicode_security::skeleton(&lower).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alikes_share_a_key_and_different_names_do_not() {
        let latin = name_key("Alice");
        // Cyrillic А, a zero-width space, fullwidth letters, Greek capital alpha, case.
        for spoof in [
            "\u{0410}lice",
            "Alice\u{200B}",
            "Ａｌｉｃｅ",
            "\u{0391}lice",
            "  alice ",
            "Al\u{0456}ce",
        ] {
            assert_eq!(name_key(spoof), latin, "{spoof:?}");
        }
        assert_ne!(name_key("Alicia"), latin);
        assert_ne!(name_key("Bob"), latin);
    }

    #[test]
    fn shown_names_lose_controls_and_invisibles_only() {
        assert_eq!(normalise_name("Ana\nMaría\u{1b}[31m"), "Ana María[31m");
        assert_eq!(normalise_name("Bob\u{200D}\u{202E}"), "Bob");
        assert_eq!(normalise_name("  José   Ruiz "), "José Ruiz");
        assert_eq!(normalise_name("Ｂｏｂ"), "Bob");
        assert_eq!(normalise_name("李 小龍"), "李 小龍");
    }
}
