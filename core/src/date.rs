//! Dates for the lines and names the toolkit writes as Lambda does (log
//! timestamps, log stream names), without a date crate.

/// The civil date (year, month, day) of a count of days since 1970-01-01
/// (Howard Hinnant's `civil_from_days`): in 400-year eras of 146,097 days
/// that start on 1 March.
///
/// ```
/// use cognito_trigger_core::date::civil;
///
/// assert_eq!(civil(0), (1970, 1, 1));
/// assert_eq!(civil(11_016), (2000, 2, 29));
/// assert_eq!(civil(20_788), (2026, 12, 1));
/// ```
pub fn civil(days: u64) -> (u64, u64, u64) {
    let days = days + 719_468;
    let era = days / 146_097;
    let day_of_era = days % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    (era * 400 + year_of_era + u64::from(month <= 2), month, day)
}
