//! Numbers and dates the way each language writes them (from
//! [`bantin_protocol::locale`], shared with the widget), shown in the editor's
//! own time zone, and ages.

pub use bantin_protocol::locale::integer;

use crate::i18n::{t, t1, Lang, Msg};
use bantin_protocol::{locale, Timestamp};

/// `t` as the wall clock at `offset_minutes` east of UTC shows it.
pub fn date_time_at(t: &Timestamp, offset_minutes: i64, lang: Lang) -> String {
    let l = Timestamp::from_unix_seconds(t.unix_seconds() + offset_minutes * 60);
    locale::date_time(&l, lang)
}

/// Minutes east of UTC of the browser's time zone.
fn local_offset() -> i64 {
    -(js_sys::Date::new_0().get_timezone_offset() as i64)
}

pub fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

pub fn date_time(t: &Timestamp, lang: Lang) -> String {
    date_time_at(t, local_offset(), lang)
}

/// "3 giờ trước" / "3 hours ago" for something `seconds` old.
pub fn age(seconds: i64, lang: Lang) -> String {
    let (n, one, many) = match seconds {
        s if s < 60 => return t(lang, Msg::JustNow).to_owned(),
        s if s < 3_600 => (s / 60, Msg::MinuteAgo, Msg::MinutesAgo),
        s if s < 86_400 => (s / 3_600, Msg::HourAgo, Msg::HoursAgo),
        s => (s / 86_400, Msg::DayAgo, Msg::DaysAgo),
    };
    if n == 1 {
        t(lang, one).to_owned()
    } else {
        t1(lang, many, &integer(n as u64, lang))
    }
}

pub fn age_of(t: &Timestamp, lang: Lang) -> String {
    age(now_seconds() - t.unix_seconds(), lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_at_the_offset() {
        let t: Timestamp = "2022-11-15T07:05:00Z".parse().unwrap();
        assert_eq!(date_time_at(&t, 420, Lang::Vi), "15/11/2022 14:05");
        assert_eq!(date_time_at(&t, 420, Lang::En), "15 Nov 2022, 14:05");
    }

    #[test]
    fn ages() {
        assert_eq!(age(3 * 3600 + 5, Lang::Vi), "3 giờ trước");
        assert_eq!(age(3 * 3600, Lang::En), "3 hours ago");
        assert_eq!(age(61, Lang::En), "1 minute ago");
        assert_eq!(age(5, Lang::Vi), "vừa xong");
    }
}
