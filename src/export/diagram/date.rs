//! The date printed on a diagram. Taken as a value (never read from the clock inside the
//! renderer) so the same plan always gives the same document; the command line passes today's
//! date, computed from the system clock without a date library.

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

/// A calendar date in the proleptic Gregorian calendar, printed as YYYY-MM-DD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A valid date, or none (month 13, 30 February, ...).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month).contains(&day).then_some(Self { year, month, day })
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_days_since_unix_epoch(days: i64) -> Self {
        let shifted = days + 719_468;
        let era = shifted.div_euclid(146_097);
        let day_of_era = shifted.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_from_march = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
        let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Self { year: i32::try_from(year).unwrap_or(i32::MAX), month: u8::try_from(month).unwrap_or(1), day: u8::try_from(day).unwrap_or(1) }
    }

    /// Today in UTC, from the system clock (1970-01-01 if the clock is before the epoch).
    pub fn today_utc() -> Self {
        let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs());
        Self::from_days_since_unix_epoch(i64::try_from(seconds / 86_400).unwrap_or(0))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Why a date did not parse.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not a date in the form YYYY-MM-DD")]
pub struct DateParseError(String);

impl FromStr for Date {
    type Err = DateParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || DateParseError(text.to_owned());
        let mut parts = text.split('-');
        let (Some(year), Some(month), Some(day), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(error());
        };
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return Err(error());
        }
        let (Ok(year), Ok(month), Ok(day)) = (year.parse(), month.parse(), day.parse()) else { return Err(error()) };
        Self::new(year, month, day).ok_or_else(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_and_known_days() {
        assert_eq!(Date::from_days_since_unix_epoch(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days_since_unix_epoch(-1).to_string(), "1969-12-31");
        // 2000-02-29: a leap day in a year divisible by 400.
        assert_eq!(Date::from_days_since_unix_epoch(11_016).to_string(), "2000-02-29");
        assert_eq!(Date::from_days_since_unix_epoch(20_414).to_string(), "2025-11-22");
    }

    #[test]
    fn every_day_of_four_centuries_round_trips_through_text() {
        let mut previous = Date::from_days_since_unix_epoch(-1);
        for days in 0..146_097 {
            let date = Date::from_days_since_unix_epoch(days);
            assert!(date > previous, "{date} after {previous}");
            assert_eq!(date.to_string().parse::<Date>(), Ok(date));
            previous = date;
        }
    }

    #[test]
    fn invalid_dates_are_refused() {
        for text in ["2026-02-29", "2026-13-01", "2026-1-5", "26-01-05", "2026-01-05-1", "today"] {
            assert!(text.parse::<Date>().is_err(), "{text}");
        }
        assert!("2024-02-29".parse::<Date>().is_ok());
    }
}
