//! A calendar date, and no more.
//!
//! The policy only needs whole days: approval dates, review dates and "is this overdue today?". A
//! dozen lines of civil-calendar arithmetic keep the crate free of a date-time dependency, and keep
//! time zones out of a question that has none.

use std::fmt;
use std::str::FromStr;

/// A date in the proleptic Gregorian calendar, years 1–9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why a text is not a date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date: expected YYYY-MM-DD, for example 2026-08-31")]
pub struct DateError(pub String);

impl Date {
    /// A date, if the day exists (2026-02-29 does not).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid =
            (1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// The same day `months` later, or the month's last day when it is shorter (Jan 31 + 1 = Feb 28).
    /// Saturates at 9999-12-31.
    pub fn add_months(self, months: u32) -> Date {
        let total = u64::from(self.year) * 12 + u64::from(self.month) - 1 + u64::from(months);
        let year = total / 12;
        if year > 9999 {
            return Date { year: 9999, month: 12, day: 31 };
        }
        let (year, month) = (year as u16, (total % 12) as u8 + 1);
        Date { year, month, day: self.day.min(days_in_month(year, month)) }
    }

    /// The last day of this date's month.
    pub fn end_of_month(self) -> Date {
        Date { day: days_in_month(self.year, self.month), ..self }
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.day_number() - self.day_number()
    }

    /// The date `days` after 1970-01-01 (before it when negative), or `None` outside years 1–9999.
    /// Callers that read the clock turn seconds since the Unix epoch into days and call this.
    pub fn from_unix_days(days: i64) -> Option<Date> {
        // Howard Hinnant's `civil_from_days`.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(u16::try_from(year).ok()?, month as u8, day as u8)
    }

    /// Days since 0000-03-01, Howard Hinnant's `days_from_civil`.
    fn day_number(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe
    }

    /// "7 August 2025", as an English document writes it.
    pub fn long(self) -> String {
        format!("{} {} {}", self.day, MONTH_NAMES[usize::from(self.month) - 1], self.year)
    }
}

fn is_leap(year: u16) -> bool {
    // Every fourth year, except centuries, except every fourth century.
    matches!((year % 4, year % 100, year % 400), (0, 1.., _) | (_, _, 0))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        let err = || DateError(s.to_string());
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(err());
        };
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
            return Err(err());
        }
        let (y, m, d) = (y.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?, d.parse().map_err(|_| err())?);
        Date::new(y, m, d).ok_or_else(err)
    }
}

/// Accepts a TOML local date (`2026-08-31`) or a string holding one (`"2026-08-31"`).
impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        deserializer.deserialize_any(DateVisitor)
    }
}

struct DateVisitor;

/// The key under which the `toml` crate hands a datetime to a visitor.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> serde::de::Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date such as 2026-08-31")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
        v.parse().map_err(E::custom)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
        use serde::de::Error;
        let key: Option<String> = map.next_key()?;
        if key.as_deref() != Some(TOML_DATETIME_KEY) {
            return Err(A::Error::custom("expected a date such as 2026-08-31, found a table"));
        }
        let text: String = map.next_value()?;
        text.parse()
            .map_err(|_| A::Error::custom(format!("expected a date without a time, such as 2026-08-31; found {text}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn parses_only_real_dates() {
        assert_eq!(d("2026-08-31").to_string(), "2026-08-31");
        assert!("2026-02-29".parse::<Date>().is_err());
        assert_eq!(d("2024-02-29").day(), 29);
        for bad in [
            "",
            "2026-8-31",
            "2026-13-01",
            "2026-00-10",
            "0000-01-01",
            "2026-08-31T00:00",
            "２０２６-08-31",
            "-2026-08-31",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn arithmetic() {
        assert_eq!(d("2025-08-07").add_months(12), d("2026-08-07"));
        assert_eq!(d("2026-01-31").add_months(1), d("2026-02-28"));
        assert_eq!(d("2026-08-07").end_of_month(), d("2026-08-31"));
        assert_eq!(d("2026-08-31").days_until(d("2026-11-25")), 86);
        assert_eq!(d("2026-11-25").days_until(d("2026-08-31")), -86);
        assert_eq!(d("2024-02-28").days_until(d("2024-03-01")), 2);
        assert_eq!(d("9999-12-01").add_months(u32::MAX), d("9999-12-31"));
        assert_eq!(d("2025-08-07").long(), "7 August 2025");
        assert_eq!(Date::from_unix_days(0), Some(d("1970-01-01")));
        assert_eq!(Date::from_unix_days(20_417), Some(d("2025-11-25")));
        assert_eq!(Date::from_unix_days(-719_162), Some(d("0001-01-01")));
        assert_eq!(Date::from_unix_days(i64::MAX), None);
        assert_eq!(Date::from_unix_days(i64::MIN), None);
        for s in ["2024-02-29", "2000-03-01", "1999-12-31"] {
            let date = d(s);
            assert_eq!(Date::from_unix_days(d("1970-01-01").days_until(date)), Some(date));
        }
    }
}
