//! Numbers and dates the way each UI language writes them (from
//! [`bantin_protocol::locale`], shared with the console), and the widget's
//! relative times.

pub use bantin_protocol::locale::{date, date_time, integer, one_decimal};

use crate::i18n::Lang;
use bantin_protocol::Timestamp;

/// "2 giờ trước" / "2 hours ago" for an event `seconds` ago; the date after a week.
pub fn relative(seconds: i64, then: &Timestamp, lang: Lang) -> String {
    use crate::i18n::{parts::Msg, t};
    let (n, one, many) = match seconds {
        s if s < 60 => return t(lang, Msg::JustNow).to_owned(),
        s if s < 3_600 => (s / 60, Msg::MinuteAgo, Msg::MinutesAgo),
        s if s < 86_400 => (s / 3_600, Msg::HourAgo, Msg::HoursAgo),
        s if s < 7 * 86_400 => (s / 86_400, Msg::DayAgo, Msg::DaysAgo),
        _ => return date(then, lang),
    };
    let msg = if n == 1 { one } else { many };
    t(lang, msg).replace("{}", &n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times() {
        let t: Timestamp = "2022-11-05T07:05:00+07:00".parse().unwrap();
        assert_eq!(relative(5, &t, Lang::Vi), "vừa xong");
        assert_eq!(relative(61, &t, Lang::En), "1 minute ago");
        assert_eq!(relative(7_200, &t, Lang::Vi), "2 giờ trước");
        assert_eq!(relative(7_200, &t, Lang::En), "2 hours ago");
        assert_eq!(relative(3 * 86_400, &t, Lang::Vi), "3 ngày trước");
        assert_eq!(relative(30 * 86_400, &t, Lang::Vi), "05/11/2022");
        // A clock running behind the server's: never "in the future".
        assert_eq!(relative(-50, &t, Lang::Vi), "vừa xong");
    }
}
