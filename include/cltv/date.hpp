#pragma once
// Calendar dates as day numbers, ISO 8601 and strptime-style parsing without
// locale calls, and the periods (day, week, month) transactions are grouped in.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"

namespace cltv {

/// Days since 1970-01-01 in the proleptic Gregorian calendar (negative before).
using day_number = std::int32_t;

struct civil_date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

/// Day number of a valid civil date (H. Hinnant's days_from_civil).
[[nodiscard]] day_number days_from_civil(int year, int month, int day) noexcept;

/// The civil date of a day number; the inverse of days_from_civil.
[[nodiscard]] civil_date civil_from_days(day_number days) noexcept;

/// "1997-01-31".
[[nodiscard]] std::string format_date(day_number days);

/// Reads an ISO 8601 date or datetime: YYYY-MM-DD or YYYYMMDD, optionally
/// followed by 'T' or ' ' and hh:mm[:ss[.fraction]] and an optional UTC offset
/// (Z, ±hh, ±hh:mm, ±hhmm). With an offset the result is the UTC calendar date;
/// without one the date as written. Years 0001..9999. Errors name `field` and
/// quote the text: `date "1997-02-30" is not a valid date`.
///
/// Strict: no surrounding spaces; hours 00..23 (no "24:00"), minutes 00..59,
/// seconds 00..60 (a leap second stays on its day); offset hours 00..23 and
/// minutes 00..59 (RFC 3339); lower-case 't' and 'z' as RFC 3339 allows. A UTC
/// date outside 0001..9999 is an error, so every result's format_date reads back.
/// Does not allocate unless it fails.
[[nodiscard]] result<day_number> parse_iso_date(std::string_view field, std::string_view text);

/// The fast path of parse_iso_date for the commonest form: the day of `text`
/// when it is exactly a valid YYYY-MM-DD date (years 0001..9999), nullopt for
/// anything else. A nullopt is not an error: parse_iso_date then reads the
/// other forms (YYYYMMDD, a time, an offset) or words the error. Eight of the
/// ten bytes are checked at once, in one 64-bit word.
[[nodiscard]] std::optional<day_number> read_plain_iso_date(std::string_view text) noexcept;

/// A strptime-style layout, compiled once and applied to many values.
/// Directives: %Y (4-digit year), %y (2 digits: 69..99 → 19xx, 00..68 → 20xx),
/// %m, %d (1 or 2 digits), %e (day, optional leading space), %H, %M, %S,
/// %b/%h and %B (English month names, any ASCII case), %j (day of year),
/// %z (Z, ±hh, ±hh:mm, ±hhmm: the result is the UTC date), %T (= %H:%M:%S),
/// %F (= %Y-%m-%d), %% (a literal %). Any other character must match itself;
/// the whole text must be consumed.
///
/// %H, %M, %S take 1 or 2 digits and %j 1 to 3, all greedily ("%Y%m%d" reads
/// "19970101" as 1997, 01, 01). As in glibc, %b/%h/%B each take the full name
/// or the three-letter abbreviation. Times and offsets are checked as in
/// parse_iso_date, and results lie in 0001-01-01..9999-12-31.
class date_format {
 public:
  /// Fails for an unknown directive or a layout with no year, month or day
  /// (a day of year, %j, replaces month and day), a field set twice ("%F %d"),
  /// or a trailing lone '%'. The error's field is empty; its message starts
  /// `date layout "<layout>"`.
  [[nodiscard]] static result<date_format> compile(std::string_view layout);

  /// The day number of `text`, or an error naming `field` and quoting the text
  /// and the layout: `date "abc" does not match the layout "%Y%m%d"`,
  /// `date "19970230" is not a valid date (layout "%Y%m%d")`. Does not allocate
  /// unless it fails; "%Y%m%d" and "%Y-%m-%d" take a fixed-width fast path.
  [[nodiscard]] result<day_number> parse(std::string_view field, std::string_view text) const;

  [[nodiscard]] const std::string& layout() const noexcept { return layout_; }

 private:
  struct step {
    char directive;  // 0: literal
    char literal;
  };
  std::string layout_;
  std::vector<step> steps_;
};

/// A date given beside dated rows (an observation or calibration end): read
/// with the rows' layout when there is one, and as ISO 8601 when there is
/// none or the text does not fit it, so that `1997-09-30` works next to a
/// `%Y%m%d` log. Where both read the text, the layout decides. The error names
/// `field` and both forms: `observation_end "30.09.1997" is neither a date in
/// the layout "%d/%m/%Y" nor an ISO 8601 date`.
[[nodiscard]] result<day_number> parse_date_option(std::string_view field, std::string_view text,
                                                   const date_format* layout);

/// The periods transactions are grouped in.
enum class period_unit {
  day,
  week,  // Monday to Sunday (pandas' "W", as the lifetimes summary uses)
  month,
  year  // calendar years
};

/// Parses D/W/M/Y (also day/week/month/year), ignoring ASCII case.
[[nodiscard]] result<period_unit> parse_period_unit(std::string_view field, std::string_view text);

/// The letter parse_period_unit reads first: "D", "W", "M" or "Y".
[[nodiscard]] std::string_view period_letter(period_unit unit) noexcept;

/// The index of the period holding `days`: consecutive periods have
/// consecutive indices, so differences of indices count periods.
[[nodiscard]] std::int32_t period_index(day_number days, period_unit unit) noexcept;

/// The first day of the period with index `index`.
[[nodiscard]] day_number period_start(std::int32_t index, period_unit unit) noexcept;

/// The day `count` periods after `day`: count days, 7 × count days, count
/// calendar months or 12 × count calendar months, where a day past the month's end becomes its last
/// day (2024-01-31 + 1 month = 2024-02-29, as lubridate's %m+% adds months). For example 2005-01-02
/// + 104 weeks = 2006-12-31.
[[nodiscard]] day_number add_periods(day_number day, std::int32_t count, period_unit unit) noexcept;

}  // namespace cltv
