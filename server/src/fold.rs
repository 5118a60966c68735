//! Text as the console compares it: folded (lowercase, "đ" as "d", tone and
//! other marks stripped after NFD), so "Hà Nội", "ha noi" and "HA NOI" are
//! one; keyword matches as whole words of folded text; links and Vietnamese
//! phone numbers found in a comment.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lowercase, without diacritics, "đ"/"Đ" as "d".
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// The words of folded text: runs of letters and digits.
fn words(folded: &str) -> Vec<&str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The first keyword of `keywords` that `text` contains as whole words (a
/// keyword of several words matches them in a row), compared folded.
pub fn first_match<'k>(text: &str, keywords: &'k [String]) -> Option<&'k str> {
    let folded = fold(text);
    let have = words(&folded);
    keywords.iter().map(String::as_str).find(|k| {
        let k_folded = fold(k);
        let want = words(&k_folded);
        !want.is_empty() && have.windows(want.len()).any(|w| w == want.as_slice())
    })
}

/// Whether the text holds a link: a scheme (`http://`, `https://`), `www.`,
/// or a host name ending in a common top-level domain (`abc.com`, `x.vn`).
pub fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") {
        return true;
    }
    const TLDS: &[&str] = &[
        "com", "vn", "net", "org", "info", "biz", "io", "co", "me", "xyz", "top", "site", "online",
        "shop", "club", "ly", "gl",
    ];
    lower
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"' | '\'' | '<' | '>'))
        .any(|token| {
            let token =
                token.trim_matches(|c: char| matches!(c, '.' | ',' | '!' | '?' | ':' | ';'));
            let host = token.split('/').next().unwrap_or("");
            let parts: Vec<&str> = host.split('.').collect();
            parts.len() >= 2
                && parts.iter().all(|p| {
                    !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
                && parts[..parts.len() - 1]
                    .iter()
                    .any(|p| p.chars().any(|c| c.is_ascii_alphabetic()))
                && TLDS.contains(parts.last().unwrap_or(&""))
        })
}

/// Whether the text holds a Vietnamese phone number: `0` or `+84` / `84`
/// then 9 digits (mobile and the 10-digit landlines), digits grouped with
/// spaces, dots or dashes as people write them ("0912 345 678",
/// "+84 912345678", "0912.345.678").
pub fn has_phone(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts =
            (c == '+' || c.is_ascii_digit()) && (i == 0 || !chars[i - 1].is_ascii_alphanumeric());
        if starts {
            // Collect digits with single separators between them.
            let mut digits = String::new();
            let plus = c == '+';
            let mut j = if plus { i + 1 } else { i };
            while j < chars.len() {
                let d = chars[j];
                if d.is_ascii_digit() {
                    digits.push(d);
                    j += 1;
                } else if matches!(d, ' ' | '.' | '-')
                    && j + 1 < chars.len()
                    && chars[j + 1].is_ascii_digit()
                    && !digits.is_empty()
                {
                    j += 1;
                } else {
                    break;
                }
                if digits.len() > 13 {
                    break;
                }
            }
            let national = if let Some(rest) = digits.strip_prefix("84") {
                (plus || digits.len() == 11).then(|| format!("0{rest}"))
            } else if !plus {
                Some(digits.clone())
            } else {
                None
            };
            if let Some(n) = national {
                if n.len() == 10 && n.starts_with('0') && n.as_bytes()[1] != b'0' {
                    return true;
                }
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_strips_marks_and_d() {
        assert_eq!(fold("Đường Hà Nội"), "duong ha noi");
        assert_eq!(fold("LỪA ĐẢO"), "lua dao");
    }

    #[test]
    fn keywords_match_words_both_ways() {
        let k = vec!["lừa đảo".to_owned(), "casino".to_owned()];
        assert_eq!(first_match("Trang này LUA DAO lắm", &k), Some("lừa đảo"));
        assert_eq!(first_match("vào CASINO ngay", &k), Some("casino"));
        assert_eq!(first_match("casinos are not it", &k), None);
        let plain = vec!["lua dao".to_owned()];
        assert_eq!(first_match("đừng lừa đảo", &plain), Some("lua dao"));
        assert_eq!(first_match("lúa đào", &plain), Some("lua dao"));
        assert_eq!(first_match("xin chào", &plain), None);
    }

    #[test]
    fn links() {
        for yes in [
            "xem https://a.b",
            "vào www.abc",
            "ghé shop-re.vn nhé",
            "abc.com/x",
        ] {
            assert!(has_link(yes), "{yes}");
        }
        for no in ["Hà Nội. Đẹp", "giá 3.5 triệu", "e.g. this", "v1.2.3"] {
            assert!(!has_link(no), "{no}");
        }
    }

    #[test]
    fn vietnamese_phones() {
        for yes in [
            "gọi 0912 345 678",
            "+84 912345678",
            "0912.345.678",
            "ĐT:0912345678",
            "84912345678",
            "0912-345-678 nhé",
        ] {
            assert!(has_phone(yes), "{yes}");
        }
        for no in ["năm 2022", "giá 1.000.000 đồng", "mã 12345", "0012345678"] {
            assert!(!has_phone(no), "{no}");
        }
    }
}
