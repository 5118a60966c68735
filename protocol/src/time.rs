//! RFC 3339 timestamps as the contract carries them (`2022-11-15T14:00:00+07:00`).
//! The wall-clock fields are kept as written: a portal's article time is shown
//! in the portal's own time zone, not the reader's.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// Offset from UTC in minutes (`+07:00` is 420, `Z` is 0).
    pub offset_minutes: i16,
}

impl Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        days * 86_400
            + i64::from(self.hour) * 3_600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.offset_minutes) * 60
    }

    /// The UTC timestamp of `secs` seconds since 1970-01-01T00:00:00Z.
    pub fn from_unix_seconds(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Timestamp {
            year,
            month,
            day,
            hour: (rem / 3_600) as u8,
            minute: (rem % 3_600 / 60) as u8,
            second: (rem % 60) as u8,
            offset_minutes: 0,
        }
    }
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for Timestamp {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not an RFC 3339 timestamp like 2022-11-15T14:00:00+07:00");
        let b = s.as_bytes();
        if b.len() < 16 || !s.is_ascii() {
            return Err(bad());
        }
        let num = |from: usize, to: usize| -> Result<u32, String> {
            let part = &s[from..to];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' {
            return Err(bad());
        }
        let year = num(0, 4)? as i32;
        let month = num(5, 7)? as u8;
        let day = num(8, 10)? as u8;
        let hour = num(11, 13)? as u8;
        let minute = num(14, 16)? as u8;
        let mut rest = 16;
        let mut second = 0;
        if b.get(rest) == Some(&b':') {
            if b.len() < rest + 3 {
                return Err(bad());
            }
            second = num(rest + 1, rest + 3)? as u8;
            rest += 3;
            if b.get(rest) == Some(&b'.') {
                rest += 1;
                let start = rest;
                while b.get(rest).is_some_and(u8::is_ascii_digit) {
                    rest += 1;
                }
                if rest == start {
                    return Err(bad());
                }
            }
        }
        let offset_minutes = match &s[rest..] {
            "Z" | "z" => 0,
            tz if tz.len() == 6 && matches!(&tz[0..1], "+" | "-") && &tz[3..4] == ":" => {
                let h = num(rest + 1, rest + 3)? as i16;
                let m = num(rest + 4, rest + 6)? as i16;
                if h > 23 || m > 59 {
                    return Err(bad());
                }
                let total = h * 60 + m;
                if tz.starts_with('-') {
                    -total
                } else {
                    total
                }
            }
            _ => return Err(bad()),
        };
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return Err(format!("`{s}` is not a real date and time"));
        }
        Ok(Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second: second.min(59),
            offset_minutes,
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        if self.offset_minutes == 0 {
            return f.write_str("Z");
        }
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let off = self.offset_minutes.unsigned_abs();
        write!(f, "{sign}{:02}:{:02}", off / 60, off % 60)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_offset_and_keeps_wall_clock() {
        let t: Timestamp = "2022-11-15T14:00:00+07:00".parse().unwrap();
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute),
            (2022, 11, 15, 14, 0)
        );
        assert_eq!(t.offset_minutes, 420);
        assert_eq!(t.unix_seconds(), 1_668_495_600);
        assert_eq!(t.to_string(), "2022-11-15T14:00:00+07:00");
    }

    #[test]
    fn parses_utc_fraction_and_no_seconds() {
        let t: Timestamp = "2024-02-29T23:59:58.123Z".parse().unwrap();
        assert_eq!(t.unix_seconds(), 1_709_251_198);
        let t: Timestamp = "1970-01-01T00:00-01:30".parse().unwrap();
        assert_eq!(t.unix_seconds(), 5_400);
    }

    #[test]
    fn from_unix_seconds_round_trips() {
        for secs in [
            0,
            1_668_495_600,
            1_709_251_198,
            951_782_400,
            -86_401,
            4_102_444_799,
        ] {
            let t = Timestamp::from_unix_seconds(secs);
            assert_eq!(t.unix_seconds(), secs, "{t}");
            assert_eq!(t.to_string().parse::<Timestamp>().unwrap(), t);
        }
        assert_eq!(
            Timestamp::from_unix_seconds(1_709_251_198).to_string(),
            "2024-02-29T23:59:58Z"
        );
    }

    #[test]
    fn rejects_impossible_or_malformed() {
        for s in [
            "2022-02-29T10:00:00Z",
            "2022-13-01T10:00:00Z",
            "2022-11-15",
            "15/11/2022 14:00",
            "2022-11-15T14:00:00+7",
            "2022-11-15T14:00:00",
            "2022-11-15T24:00:00Z",
            "２０２２-11-15T14:00:00Z",
        ] {
            assert!(s.parse::<Timestamp>().is_err(), "{s} should be rejected");
        }
    }
}
