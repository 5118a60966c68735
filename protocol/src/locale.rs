//! The UI languages, Vietnamese (the default) and English, and how each writes
//! numbers and dates: vi-VN `2.504.500`, `4,3`, `15/11/2022 17:30`; en
//! `2,504,500`, `4.3`, `15 Nov 2022, 17:30`. Shared by the widget and the
//! console; each keeps its own message tables.

use crate::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "vi" | "vi-vn" => Some(Lang::Vi),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

/// `(thousands, decimal)` separators.
fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// An integer with thousands grouped.
pub fn integer(n: u64, lang: Lang) -> String {
    let (group, _) = separators(lang);
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(c);
    }
    out
}

/// A non-negative number rounded to one decimal: `4,3` (vi), `4.3` (en).
pub fn one_decimal(x: f64, lang: Lang) -> String {
    let (_, decimal) = separators(lang);
    // Integers only: the widget carries no float formatting.
    let tenths = if x.is_finite() && x > 0.0 {
        (x * 10.0).round() as u64
    } else {
        0
    };
    format!("{}{decimal}{}", integer(tenths / 10, lang), tenths % 10)
}

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The calendar date, in the time zone the timestamp was written in.
pub fn date(t: &Timestamp, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{:02}/{:02}/{}", t.day, t.month, t.year),
        Lang::En => format!(
            "{} {} {}",
            t.day,
            EN_MONTHS[usize::from(t.month - 1)],
            t.year
        ),
    }
}

/// The date and the time of day, in the time zone the timestamp was written in.
pub fn date_time(t: &Timestamp, lang: Lang) -> String {
    let sep = match lang {
        Lang::Vi => " ",
        Lang::En => ", ",
    };
    format!("{}{sep}{:02}:{:02}", date(t, lang), t.hour, t.minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_case_insensitively() {
        assert_eq!(Lang::parse("VI"), Some(Lang::Vi));
        assert_eq!(Lang::parse(" en-GB "), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::default(), Lang::Vi);
        assert_eq!(Lang::Vi.other(), Lang::En);
        assert_eq!(Lang::En.other().code(), "vi");
    }

    #[test]
    fn integers_are_grouped_by_thousands() {
        assert_eq!(integer(2_504_500, Lang::Vi), "2.504.500");
        assert_eq!(integer(2_504_500, Lang::En), "2,504,500");
        assert_eq!(integer(0, Lang::Vi), "0");
        assert_eq!(integer(12, Lang::Vi), "12");
        assert_eq!(integer(999, Lang::Vi), "999");
        assert_eq!(integer(1_000, Lang::Vi), "1.000");
        assert_eq!(integer(u64::MAX, Lang::Vi), "18.446.744.073.709.551.615");
    }

    #[test]
    fn decimals_use_the_language_separator_and_round() {
        assert_eq!(one_decimal(4.3, Lang::Vi), "4,3");
        assert_eq!(one_decimal(4.3, Lang::En), "4.3");
        assert_eq!(one_decimal(4.25, Lang::Vi), "4,3");
        assert_eq!(one_decimal(5.0, Lang::Vi), "5,0");
        assert_eq!(one_decimal(f64::NAN, Lang::Vi), "0,0");
        assert_eq!(one_decimal(1234.56, Lang::Vi), "1.234,6");
    }

    #[test]
    fn dates_follow_vi_vn_and_english_style() {
        let t: Timestamp = "2022-11-05T07:05:00+07:00".parse().unwrap();
        assert_eq!(date(&t, Lang::Vi), "05/11/2022");
        assert_eq!(date(&t, Lang::En), "5 Nov 2022");
        assert_eq!(date_time(&t, Lang::Vi), "05/11/2022 07:05");
        assert_eq!(date_time(&t, Lang::En), "5 Nov 2022, 07:05");
        let t: Timestamp = "2022-11-15T17:30:00Z".parse().unwrap();
        assert_eq!(date_time(&t, Lang::Vi), "15/11/2022 17:30");
        assert_eq!(date_time(&t, Lang::En), "15 Nov 2022, 17:30");
    }
}
