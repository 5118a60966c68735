//! What a comment's author and body may hold, beyond the protocol's own
//! normalization (which removes control characters and trims): Unicode NFC;
//! no invisible, format, tag, bidi or private-use characters; runs of
//! combining marks capped; names that look blank refused; names confusable
//! with the reserved ones ("admin", "Ban biên tập", …) refused by their UTS #39
//! confusable skeleton. Server-side only: the tables (NFC, confusables) would
//! cost the widget's wasm more than they are worth there.

use bantin_protocol::Invalid;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Combining marks allowed in a row after one base character. NFC Vietnamese
/// needs none (its letters are precomposed); other scripts need up to 2 or 3.
pub const COMBINING_RUN_MAX: usize = 3;

/// Characters of the general category Cf (format: zero-width, joiners, bidi
/// controls, tags, …), Unicode 16.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}'
        | '\u{0890}'..='\u{0891}' | '\u{08E2}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

/// Characters that draw nothing although they are not format characters:
/// Hangul fillers, the braille blank, the combining grapheme joiner, Khmer
/// inherent vowels, Mongolian variation selectors, variation selectors.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{2800}' | '\u{3164}' | '\u{FFA0}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

fn is_private_or_unassigned_plane(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}')
        || (c as u32 & 0xFFFE) == 0xFFFE
        || ('\u{FDD0}'..='\u{FDEF}').contains(&c)
}

/// Drops combining marks beyond [`COMBINING_RUN_MAX`] in a row, and marks with
/// no base character at the start.
fn cap_combining(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = 0;
    let mut base = false;
    for c in s.chars() {
        if is_combining_mark(c) {
            run += 1;
            if base && run <= COMBINING_RUN_MAX {
                out.push(c);
            }
        } else {
            run = 0;
            base = !c.is_whitespace();
            out.push(c);
        }
    }
    out
}

/// A comment body as stored: NFC, without format, bidi, tag, invisible or
/// private-use characters (zero-width joiners and emoji variation selectors
/// stay: emoji sequences and some scripts need them), combining runs capped.
/// Empty (refused) when those kept marks and spaces are all there is.
pub fn clean_body(body: &str) -> String {
    let joiner = |c: char| matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE0E}' | '\u{FE0F}');
    let kept: String = body
        .nfc()
        .filter(|&c| {
            joiner(c) || !(is_format(c) || is_invisible(c) || is_private_or_unassigned_plane(c))
        })
        .collect();
    if kept.chars().all(|c| joiner(c) || c.is_whitespace()) {
        return String::new();
    }
    cap_combining(&kept)
        .nfc()
        .collect::<String>()
        .trim()
        .to_owned()
}

/// An author name as stored: NFC; every kind of space made one ASCII space;
/// no format, invisible or private-use character at all; combining runs
/// capped; outer spaces trimmed. Refused when nothing visible is left (no
/// letter or digit) or when it is confusable with a reserved name.
pub fn clean_author(author: &str, reserved: &[String]) -> Result<String, Invalid> {
    let kept: String = author
        .nfc()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|&c| {
            !(c.is_control()
                || is_format(c)
                || is_invisible(c)
                || is_private_or_unassigned_plane(c))
        })
        .collect();
    let capped: String = cap_combining(&kept).nfc().collect();
    let name = capped
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if !name.chars().any(char::is_alphanumeric) {
        return Err(Invalid::new(
            "author",
            "must contain a visible letter or digit",
        ));
    }
    if let Some(r) = reserved.iter().find(|r| looks_like(&name, r)) {
        return Err(Invalid::new(
            "author",
            format!("looks like the reserved name `{r}`; choose another"),
        ));
    }
    Ok(name)
}

/// What a name looks like, for comparing: its compatibility form (NFKC:
/// `Ａ`, `ⓐ`, `ᴬ`, `🄰` → `a`), then its confusable skeleton (UTS #39: `а`
/// Cyrillic → `a`, `0` → `O`, …), in lower case, without diacritics, spaces
/// or punctuation. `"\u{0430}dmin"`, `"ADMIN"`, `"a.d.m.i.n"` and
/// `"Quan tri vien"` fold like `admin` and `Quản trị viên`.
pub fn fold(name: &str) -> String {
    fold_lowered(&name.nfkc().collect::<String>())
}

/// Lower case first, then the skeleton (twice: it may map to capitals, `l`
/// and `I`, `0` and `O`), in lower case, only letters and digits left.
fn fold_lowered(s: &str) -> String {
    let lower = s.to_lowercase();
    let skeleton: String = unicode_security::skeleton(&lower).collect();
    let skeleton: String = unicode_security::skeleton(&skeleton.to_lowercase()).collect();
    skeleton
        .to_lowercase()
        .nfd()
        .filter(|&c| c.is_alphanumeric() && !is_combining_mark(c))
        .collect()
}

/// Whether `name` looks like `reserved`. Lower-casing first misses capitals
/// whose small letter looks like nothing Latin (Cyrillic `М` → `м`, Greek `Ν`
/// → `ν`, which looks like `v`), and the skeleton of the capitals misses
/// others (`I` → `l`). So each character of the name (NFKC, then NFD) may
/// fold either way, its lower case's skeleton or its own skeleton's lower
/// case, and the name looks like the reserved one when some choice spells
/// its fold: `АDМІN`, `ΑDΜΙΝ` and `ВАNТІN` look like `admin` and `Bantin`.
pub fn looks_like(name: &str, reserved: &str) -> bool {
    let target = fold(reserved);
    if fold(name) == target {
        return true;
    }
    let chars: String = name.nfkc().collect::<String>().nfd().collect();
    // The byte offsets into `target` some choice so far has spelled up to.
    let mut reached = vec![false; target.len() + 1];
    reached[0] = true;
    let mut buf = [0u8; 4];
    for c in chars.chars() {
        let c = c.encode_utf8(&mut buf);
        let lowered = fold_lowered(c);
        let own: String = unicode_security::skeleton(c).collect();
        let own = fold_lowered(&own);
        let mut next = vec![false; target.len() + 1];
        for at in (0..=target.len()).filter(|&i| reached[i]) {
            for piece in [&lowered, &own] {
                if target[at..].starts_with(piece.as_str()) {
                    next[at + piece.len()] = true;
                }
            }
        }
        if !next.contains(&true) {
            return false;
        }
        reached = next;
    }
    reached[target.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reserved() -> Vec<String> {
        crate::config::Config::default().reserved_names
    }

    fn author(s: &str) -> Result<String, String> {
        clean_author(s, &reserved()).map_err(|e| e.to_string())
    }

    #[test]
    fn names_are_nfc_without_invisible_characters() {
        // NFD Vietnamese is stored as NFC.
        assert_eq!(author("Nguye\u{0302}\u{0303}n").unwrap(), "Nguyễn");
        assert_eq!(
            author("\u{2060}Minh\u{200B} \u{00A0} Anh\u{FEFF}").unwrap(),
            "Minh Anh"
        );
        assert_eq!(
            author("Lan\u{E0041}\u{E0042}").unwrap(),
            "Lan",
            "tag characters"
        );
        assert_eq!(author("\u{202E}nimda\u{202C} Hoa").unwrap(), "nimda Hoa");
        assert_eq!(author("An\u{FE0F}\u{200D}").unwrap(), "An");
    }

    #[test]
    fn blank_looking_names_are_refused() {
        for blank in [
            "\u{3164}",
            "\u{115F}\u{1160}",
            "\u{2800}",
            "\u{200B}\u{2060}",
            " . ",
            "\u{0301}\u{0301}",
            "\u{E000}",
        ] {
            let e = author(blank).unwrap_err();
            assert!(e.starts_with("author: must contain"), "{blank:?}: {e}");
        }
        assert!(author("7").is_ok());
    }

    #[test]
    fn names_confusable_with_reserved_ones_are_refused() {
        for fake in [
            "\u{0430}dmin", // Cyrillic а
            "ADMIN",
            "Admin",
            "\u{2060}Admin",
            "a d m i n",
            "admin.",
            "Ban Biên Tập",
            "ban bien tap",
            "BAN BIÊN TẬP",
            "Quan tri vien",
            "Quản trị viên",
            "Q\u{0075}\u{0309}an tri\u{0323} vie\u{0302}n",
            "\u{0410}DMIN", // Cyrillic А
            "adm\u{0456}n", // Ukrainian і
            // Capitals from other scripts whose small letters look unlike.
            "\u{0410}D\u{041C}\u{0406}N", // АDМІN: Cyrillic А, М, І
            "\u{0391}D\u{039C}\u{0399}\u{039D}", // ΑDΜΙΝ: Greek
            "\u{0412}\u{0410}N\u{0422}\u{0406}N", // ВАNТІN: Cyrillic
            "\u{0392}\u{0391}\u{039D}\u{03A4}\u{0399}\u{039D}", // ΒΑΝΤΙΝ: Greek
            "\u{041C}\u{041E}D\u{0415}R\u{0410}\u{0422}\u{041E}R", // МОDЕRАТОR
            "\u{0410}DMINISTR\u{0410}T\u{041E}R",
            // Compatibility forms: circled, modifier, squared, full-width.
            "ⓐⓓⓜⓘⓝ",
            "ᴬᴰᴹᴵᴺ",
            "ᵃᵈᵐⁱⁿ",
            "🄰🄳🄼🄸🄽",
            "Ａｄｍｉｎ",
            "ⒶⒹⓂⒾⓃ",
            "𝐀𝐃𝐌𝐈𝐍",
            "ＢＡＮ ＢＩÊＮ ＴẬＰ",
        ] {
            let e = author(fake).unwrap_err();
            assert!(e.contains("reserved"), "{fake:?}: {e}");
        }
        for fine in [
            "Adminh",
            "Ban đọc",
            "Quản lý",
            "Minh",
            "Bạn đọc Hà Nội",
            "Nguyễn Văn Minh",
            "Đặng Thị Ánh",
            "NGUYỄN VĂN MINH",
            "Trần Quang Vinh",
            "Lê Thị Bảo Ngọc",
            "Ban Biên",
            "Admi",
            "Bantinh",
            "Ivan Петров",
            "Αλέξανδρος",
        ] {
            assert!(author(fine).is_ok(), "{fine:?}");
        }
        // The list is the operator's.
        assert!(clean_author("admin", &[]).is_ok());
        assert!(clean_author("Tòa soạn", &["toa soan".into()]).is_err());
    }

    #[test]
    fn combining_runs_are_capped() {
        let zalgo = format!("a{}b", "\u{0301}".repeat(50));
        let name = author(&zalgo).unwrap();
        assert_eq!(
            name.chars().filter(|&c| is_combining_mark(c)).count(),
            COMBINING_RUN_MAX
        );
        let body = clean_body(&format!("x{}y", "\u{0336}".repeat(200)));
        assert_eq!(body.chars().count(), 2 + COMBINING_RUN_MAX);
        // Vietnamese keeps its marks (NFC: precomposed anyway).
        assert_eq!(clean_body("Tiếng Việt có dấu"), "Tiếng Việt có dấu");
    }

    #[test]
    fn bodies_keep_emoji_and_line_breaks() {
        let family = "👨\u{200D}👩\u{200D}👧 ❤\u{FE0F}";
        assert_eq!(clean_body(family), family);
        // The protocol's normalizing (run first on every body) keeps them too.
        let normalized = bantin_protocol::api::normalize_body(family);
        assert_eq!(clean_body(&normalized), family);
        let persian = "می\u{200C}خواهم";
        assert_eq!(
            clean_body(&bantin_protocol::api::normalize_body(persian)),
            persian
        );
        // Nothing but joiners, selectors and spaces is an empty body.
        assert_eq!(clean_body("\u{200D} \u{FE0F}\n\u{200C}"), "");
        assert_eq!(
            clean_body("dòng 1\n\u{202E}dòng 2\u{2066}"),
            "dòng 1\ndòng 2"
        );
        assert_eq!(clean_body("e\u{0301}"), "é");
    }
}
