#include "cltv/date.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "cltv/number.hpp"

// Parsing runs once per transaction row (tens of millions of times a run), so
// the success paths of parse_iso_date and date_format::parse only read bytes
// and do integer arithmetic: no allocation, no locale, no exceptions. Error
// messages are built on the failure path only, in functions marked cold.

namespace cltv {
namespace {

using std::int64_t;

// Floor division: the calendar wants floor for days before 1970, C++ truncates.
constexpr int64_t floor_div(int64_t a, int64_t b) noexcept {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

constexpr bool is_leap(int year) noexcept {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

constexpr int days_in_month(int year, int month) noexcept {
  constexpr std::array<int, 12> lengths{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : lengths[static_cast<std::size_t>(month - 1)];
}

// Years 0001..9999 only: four digits each way, so every day parsed has a
// format_date that parse_iso_date reads back.
constexpr bool valid_civil(int year, int month, int day) noexcept {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr int digit(char c) noexcept {
  return c - '0';
}

// Callers check is_digit first; these only combine.
constexpr int two_digits(const char* p) noexcept {
  return digit(p[0]) * 10 + digit(p[1]);
}
constexpr int four_digits(const char* p) noexcept {
  return two_digits(p) * 100 + two_digits(p + 2);
}
constexpr bool all_digits(const char* p, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    if (!is_digit(p[i])) return false;
  return true;
}

// ASCII only: <cctype>'s tolower consults the C locale.
constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string quoted(std::string_view text) {
  return '"' + printable(text) + '"';
}

constexpr day_number civil_to_days(int year, int month, int day) noexcept {
  // H. Hinnant, "chrono-Compatible Low-Level Date Algorithms": years start on
  // March 1 so the leap day is last; in 64 bits so no input overflows (an
  // out-of-range result wraps, which C++20 defines).
  const int64_t y = int64_t{year} - (month <= 2 ? 1 : 0);
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;  // [0, 399]
  const int64_t doy =
      (153 * (int64_t{month} + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;              // [0, 146096]
  return static_cast<day_number>(era * 146097 + doe - 719468);
}

// civil_to_days for a valid date of years 0001..9999, in unsigned 32-bit
// arithmetic: the divisions by constants become multiplications, where the
// 64-bit floor division above costs a hardware divide (the log readers'
// fast path calls this once per row).
constexpr day_number civil_to_days_ad(unsigned year, unsigned month, unsigned day) noexcept {
  const unsigned y = year - (month <= 2 ? 1 : 0);
  const unsigned era = y / 400;
  const unsigned yoe = y - era * 400;
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<day_number>(era * 146097 + doe) - 719468;
}

// The range of results (years 0001..9999), checked after a time-zone shift.
constexpr day_number first_day = civil_to_days(1, 1, 1);
constexpr day_number last_day = civil_to_days(9999, 12, 31);
// Python: date(1, 1, 1).toordinal() - date(1970, 1, 1).toordinal() == -719162, and
// date(9999, 12, 31).toordinal() - date(1970, 1, 1).toordinal() == 2932896.
static_assert(first_day == -719162 && last_day == 2932896);
static_assert(civil_to_days_ad(1, 1, 1) == first_day &&
              civil_to_days_ad(9999, 12, 31) == last_day &&
              civil_to_days_ad(2000, 2, 29) == civil_to_days(2000, 2, 29) &&
              civil_to_days_ad(1970, 1, 1) == 0);

// A time of day and UTC offset as read; `valid` rules are in one place for both parsers.
struct clock_time {
  int hour = 0;
  int minute = 0;
  int second = 0;
  int offset_minutes = 0;  // east of UTC, signed
};

// Hours 00..23 (no ISO "24:00"), minutes 00..59, seconds 00..60 (a leap second).
constexpr bool valid_time(const clock_time& t) noexcept {
  return t.hour <= 23 && t.minute <= 59 && t.second <= 60;
}

// The UTC date of `local_day` at time `t`: seconds never matter (offsets are
// whole minutes, and a leap second 23:59:60 still belongs to its own day).
constexpr int64_t utc_day(day_number local_day, const clock_time& t) noexcept {
  const int64_t minutes = int64_t{t.hour} * 60 + t.minute - t.offset_minutes;
  constexpr int64_t minutes_per_day = 1440;  // 24 × 60
  return local_day + floor_div(minutes, minutes_per_day);
}

// Reads Z, ±hh, ±hhmm or ±hh:mm at text[pos]; false if none is there. An
// offset's hours are 00..23 and minutes 00..59 (RFC 3339's grammar); a bad
// value is reported through `in_range`, not as a shape mismatch.
constexpr bool read_offset(std::string_view text, std::size_t& pos, int& offset_minutes,
                           bool& in_range) noexcept {
  const std::size_t n = text.size();
  if (pos >= n) return false;
  const char sign = text[pos];
  if (sign == 'Z' || sign == 'z') {
    ++pos;
    offset_minutes = 0;
    in_range = true;
    return true;
  }
  if (sign != '+' && sign != '-') return false;
  std::size_t p = pos + 1;
  if (n - p < 2 || !is_digit(text[p]) || !is_digit(text[p + 1])) return false;
  const int hours = two_digits(text.data() + p);
  p += 2;
  int minutes = 0;
  if (n - p >= 3 && text[p] == ':' && is_digit(text[p + 1]) && is_digit(text[p + 2])) {
    minutes = two_digits(text.data() + p + 1);
    p += 3;
  } else if (n - p >= 2 && is_digit(text[p]) && is_digit(text[p + 1])) {
    minutes = two_digits(text.data() + p);
    p += 2;
  }
  in_range = hours <= 23 && minutes <= 59;
  offset_minutes = (sign == '-' ? -1 : 1) * (hours * 60 + minutes);
  pos = p;
  return true;
}

// --- ISO 8601 errors (cold: built only when a value is rejected) ---

[[gnu::cold]] error iso_error(std::string_view field, std::string_view text,
                              std::string_view what) {
  return {std::string(field), std::string(field) + " " + quoted(text) + std::string(what)};
}

[[gnu::cold]] error iso_shape(std::string_view field, std::string_view text) {
  return iso_error(field, text,
                   " is not an ISO 8601 date (YYYY-MM-DD or YYYYMMDD, optionally followed by "
                   "T or a space and hh:mm[:ss[.fff]] and Z or a UTC offset)");
}

// --- strptime-style layouts ---

constexpr std::array<std::string_view, 12> month_names{
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

// Whether text[pos..] starts with `lower_name` in any ASCII case.
constexpr bool starts_with_name(std::string_view text, std::size_t pos,
                                std::string_view lower_name) noexcept {
  if (text.size() - pos < lower_name.size()) return false;
  for (std::size_t i = 0; i < lower_name.size(); ++i)
    if (ascii_lower(text[pos + i]) != lower_name[i]) return false;
  return true;
}

// An English month name, full or three-letter (like glibc's strptime, %b and
// %B both take either); the full name is tried first so "March" is not
// read as "Mar" followed by "ch".
constexpr bool read_month_name(std::string_view text, std::size_t& pos, int& month) noexcept {
  for (std::size_t i = 0; i < month_names.size(); ++i) {
    const std::string_view name = month_names[i];
    if (starts_with_name(text, pos, name)) {
      pos += name.size();
    } else if (starts_with_name(text, pos, name.substr(0, 3))) {
      pos += 3;
    } else {
      continue;
    }
    month = static_cast<int>(i) + 1;
    return true;
  }
  return false;
}

// `min_digits`..`max_digits` digits, greedily (so "%Y%m%d" reads "19970101"
// as 1997, 01, 01); at most 4, so no overflow.
constexpr bool read_number(std::string_view text, std::size_t& pos, std::size_t min_digits,
                           std::size_t max_digits, int& value) noexcept {
  int v = 0;
  std::size_t count = 0;
  while (count < max_digits && pos + count < text.size() && is_digit(text[pos + count])) {
    v = v * 10 + digit(text[pos + count]);
    ++count;
  }
  if (count < min_digits) return false;
  pos += count;
  value = v;
  return true;
}

// The fields a layout sets, as bits, to check at compile time that a date is
// fully determined and that nothing is set twice.
enum field_bit : unsigned {
  year_bit = 1U << 0,
  month_bit = 1U << 1,
  day_bit = 1U << 2,
  yday_bit = 1U << 3,
  hour_bit = 1U << 4,
  minute_bit = 1U << 5,
  second_bit = 1U << 6,
  offset_bit = 1U << 7,
};

constexpr unsigned bit_of(char directive) noexcept {
  switch (directive) {
    case 'Y':
    case 'y':
      return year_bit;
    case 'm':
    case 'b':
      return month_bit;
    case 'd':
    case 'e':
      return day_bit;
    case 'j':
      return yday_bit;
    case 'H':
      return hour_bit;
    case 'M':
      return minute_bit;
    case 'S':
      return second_bit;
    case 'z':
      return offset_bit;
    default:
      return 0;
  }
}

constexpr std::string_view field_name(unsigned bit) noexcept {
  switch (bit) {
    case year_bit:
      return "year";
    case month_bit:
      return "month";
    case day_bit:
      return "day";
    case yday_bit:
      return "day of year";
    case hour_bit:
      return "hour";
    case minute_bit:
      return "minute";
    case second_bit:
      return "second";
    default:
      return "UTC offset";
  }
}

[[gnu::cold]] error layout_error(std::string_view layout, std::string_view what) {
  return {std::string(), "date layout " + quoted(layout) + " " + std::string(what)};
}

// `date "abc" does not match the layout "%Y%m%d"`.
[[gnu::cold]] error layout_mismatch(std::string_view field, std::string_view text,
                                    std::string_view layout) {
  return {std::string(field),
          std::string(field) + " " + quoted(text) + " does not match the layout " + quoted(layout)};
}

// `date "19970230" is not a valid date (layout "%Y%m%d")`: the text has the
// layout's shape, but its values are out of range.
[[gnu::cold]] error layout_invalid(std::string_view field, std::string_view text,
                                   std::string_view layout, std::string_view what) {
  return {std::string(field), std::string(field) + " " + quoted(text) + std::string(what) +
                                  " (layout " + quoted(layout) + ")"};
}

// "%Y%m%d" (CDNOW and most exports) and "%Y-%m-%d": fixed-width digits.
enum class fast_shape { none, compact, dashed };

}  // namespace

day_number days_from_civil(int year, int month, int day) noexcept {
  return civil_to_days(year, month, day);
}

std::optional<day_number> read_plain_iso_date(std::string_view text) noexcept {
  if (text.size() != 10 || !is_digit(text[8]) || !is_digit(text[9])) return std::nullopt;
  const char* const s = text.data();
  if constexpr (std::endian::native == std::endian::little) {
    // "YYYY-MM-" as one word, byte i of the text in bits 8i..8i+7: the
    // dashes are bytes 4 and 7, the digits the other six.
    std::uint64_t word = 0;
    std::memcpy(&word, s, 8);
    constexpr std::uint64_t dash_lanes = 0xFF0000FF00000000;
    constexpr std::uint64_t dashes = 0x2D00002D00000000;
    constexpr std::uint64_t zeros = 0x3030303030303030;
    constexpr std::uint64_t high_nibbles = 0xF0F0F0F0F0F0F0F0;
    if ((word & dash_lanes) != dashes) return std::nullopt;
    // The dashes become '0's; then every byte is a digit when it is 0x30..0x3F
    // and still 0x3_ after adding 6 (no byte carries into the next: ≤ 0x45).
    const std::uint64_t digits = (word & ~dash_lanes) | (zeros & dash_lanes);
    if ((digits & high_nibbles) != zeros || ((digits + 0x0606060606060606) & high_nibbles) != zeros)
      return std::nullopt;
    const std::uint64_t v = digits - zeros;  // each byte 0..9
    const auto at = [v](int byte) { return static_cast<int>((v >> (8 * byte)) & 0xFF); };
    const int year = ((at(0) * 10 + at(1)) * 10 + at(2)) * 10 + at(3);
    const int month = at(5) * 10 + at(6);
    const int day = two_digits(s + 8);
    if (!valid_civil(year, month, day)) return std::nullopt;
    return civil_to_days_ad(static_cast<unsigned>(year), static_cast<unsigned>(month),
                            static_cast<unsigned>(day));
  } else {
    if (s[4] != '-' || s[7] != '-' || !all_digits(s, 4) || !all_digits(s + 5, 2))
      return std::nullopt;
    const int year = four_digits(s);
    const int month = two_digits(s + 5);
    const int day = two_digits(s + 8);
    if (!valid_civil(year, month, day)) return std::nullopt;
    return days_from_civil(year, month, day);
  }
}

civil_date civil_from_days(day_number days) noexcept {
  // Hinnant's civil_from_days, in 64 bits so every day_number is in range.
  const int64_t z = int64_t{days} + 719468;  // days since 0000-03-01
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;                                       // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11], March = 0
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int>(year), static_cast<int>(month),
          static_cast<int>(doy - (153 * mp + 2) / 5 + 1)};
}

std::string format_date(day_number days) {
  // At least four year digits, a '-' before negative years: "0099-01-01",
  // "-0001-12-31", "10000-01-01" (only 0001..9999 read back).
  const civil_date c = civil_from_days(days);
  std::array<char, 32> buf{};
  char* p = buf.data();
  if (c.year < 0) *p++ = '-';
  const int64_t year = c.year < 0 ? -int64_t{c.year} : int64_t{c.year};
  for (int64_t pad = 1000; pad > 1 && year < pad; pad /= 10) *p++ = '0';
  p = std::to_chars(p, buf.data() + buf.size(), year).ptr;
  const auto two = [&p](int v) {
    *p++ = '-';
    *p++ = static_cast<char>('0' + v / 10);
    *p++ = static_cast<char>('0' + v % 10);
  };
  two(c.month);
  two(c.day);
  return std::string(buf.data(), p);
}

result<day_number> parse_iso_date(std::string_view field, std::string_view text) {
  const std::size_t n = text.size();
  const char* s = text.data();

  // The date: YYYY-MM-DD or YYYYMMDD. Checked as fixed-width digits first,
  // which is all the common cases need.
  std::size_t pos = 0;
  if (n >= 10 && s[4] == '-' && s[7] == '-' && all_digits(s, 4) && all_digits(s + 5, 2) &&
      all_digits(s + 8, 2)) {
    pos = 10;
  } else if (n >= 8 && all_digits(s, 8)) {
    pos = 8;
  } else {
    return iso_shape(field, text);
  }
  const int year = four_digits(s);
  const int month = two_digits(s + (pos == 10 ? 5 : 4));
  const int day = two_digits(s + (pos == 10 ? 8 : 6));

  if (pos == n) {
    if (!valid_civil(year, month, day)) return iso_error(field, text, " is not a valid date");
    return days_from_civil(year, month, day);
  }

  // The time: [T t space]hh:mm[:ss[.fraction]][offset]; 't' and 'z' as RFC 3339 allows.
  clock_time t;
  bool offset_in_range = true;
  if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return iso_shape(field, text);
  ++pos;
  if (n - pos < 5 || !all_digits(s + pos, 2) || s[pos + 2] != ':' || !all_digits(s + pos + 3, 2))
    return iso_shape(field, text);
  t.hour = two_digits(s + pos);
  t.minute = two_digits(s + pos + 3);
  pos += 5;
  if (pos < n && s[pos] == ':') {
    if (n - pos < 3 || !all_digits(s + pos + 1, 2)) return iso_shape(field, text);
    t.second = two_digits(s + pos + 1);
    pos += 3;
    if (pos < n && s[pos] == '.') {
      ++pos;
      const std::size_t from = pos;
      while (pos < n && is_digit(s[pos])) ++pos;
      if (pos == from) return iso_shape(field, text);
    }
  }
  if (pos < n && !read_offset(text, pos, t.offset_minutes, offset_in_range))
    return iso_shape(field, text);
  if (pos != n) return iso_shape(field, text);

  if (!valid_civil(year, month, day)) return iso_error(field, text, " is not a valid date");
  if (!valid_time(t)) return iso_error(field, text, " has an invalid time of day");
  if (!offset_in_range) return iso_error(field, text, " has an invalid UTC offset");
  const int64_t utc = utc_day(days_from_civil(year, month, day), t);
  if (utc < first_day || utc > last_day)
    return iso_error(field, text, " is outside the years 0001..9999 in UTC");
  return static_cast<day_number>(utc);
}

result<date_format> date_format::compile(std::string_view layout) {
  date_format format;
  format.layout_.assign(layout);
  unsigned seen = 0;
  unsigned twice = 0;  // the first field set a second time
  const auto add = [&](char directive, char literal) {
    const unsigned bit = bit_of(directive);
    if ((seen & bit) != 0 && twice == 0) twice = bit;
    seen |= bit;
    format.steps_.push_back({directive, literal});
  };
  for (std::size_t i = 0; i < layout.size(); ++i) {
    if (layout[i] != '%') {
      add(0, layout[i]);
      continue;
    }
    if (++i == layout.size()) return layout_error(layout, "ends with a lone %");
    switch (const char d = layout[i]) {
      case 'Y':
      case 'y':
      case 'm':
      case 'd':
      case 'e':
      case 'H':
      case 'M':
      case 'S':
      case 'j':
      case 'z':
        add(d, 0);
        break;
      case 'b':
      case 'h':
      case 'B':
        add('b', 0);
        break;
      case 'T':
        add('H', 0);
        add(0, ':');
        add('M', 0);
        add(0, ':');
        add('S', 0);
        break;
      case 'F':
        add('Y', 0);
        add(0, '-');
        add('m', 0);
        add(0, '-');
        add('d', 0);
        break;
      case '%':
        add(0, '%');
        break;
      default: {
        std::string what = "has an unknown directive " + quoted(layout.substr(i - 1, 2));
        what += " (known: %Y %y %m %d %e %H %M %S %b %h %B %j %z %T %F %%)";
        return layout_error(layout, what);
      }
    }
    // A field set twice would make one of the two silently ignored.
    if (twice != 0)
      return layout_error(layout, "sets the " + std::string(field_name(twice)) + " twice");
  }
  if ((seen & year_bit) == 0) return layout_error(layout, "has no year (%Y or %y)");
  if ((seen & yday_bit) != 0) {
    if ((seen & (month_bit | day_bit)) != 0)
      return layout_error(layout, "has both a day of year (%j) and a month or day");
  } else if ((seen & month_bit) == 0) {
    return layout_error(layout, "has no month (%m, %b or %B)");
  } else if ((seen & day_bit) == 0) {
    return layout_error(layout, "has no day (%d, %e or %j)");
  }
  return format;
}

result<day_number> date_format::parse(std::string_view field, std::string_view text) const {
  const std::size_t n = text.size();
  const char* s = text.data();

  // The common layouts with fixed-width digits: no step loop.
  fast_shape shape = fast_shape::none;
  if (steps_.size() == 3 && steps_[0].directive == 'Y' && steps_[1].directive == 'm' &&
      steps_[2].directive == 'd') {
    shape = fast_shape::compact;
  } else if (steps_.size() == 5 && steps_[0].directive == 'Y' && steps_[1].directive == 0 &&
             steps_[1].literal == '-' && steps_[2].directive == 'm' && steps_[3].directive == 0 &&
             steps_[3].literal == '-' && steps_[4].directive == 'd') {
    shape = fast_shape::dashed;
  }
  // The general path reads these same texts the same way (greedy two-digit
  // fields), so the fast path changes speed only.
  if ((shape == fast_shape::compact && n == 8 && all_digits(s, 8)) ||
      (shape == fast_shape::dashed && n == 10 && s[4] == '-' && s[7] == '-' && all_digits(s, 4) &&
       all_digits(s + 5, 2) && all_digits(s + 8, 2))) {
    const std::size_t gap = shape == fast_shape::dashed ? 1 : 0;
    const int year = four_digits(s);
    const int month = two_digits(s + 4 + gap);
    const int day = two_digits(s + 6 + 2 * gap);
    if (!valid_civil(year, month, day))
      return layout_invalid(field, text, layout_, " is not a valid date");
    return days_from_civil(year, month, day);
  }

  int year = 0;
  int month = 0;
  int day = 0;
  int yday = 0;
  bool has_yday = false;
  bool offset_in_range = true;
  clock_time t;
  std::size_t pos = 0;
  for (const step& st : steps_) {
    bool ok = true;
    switch (st.directive) {
      case 0:
        ok = pos < n && s[pos] == st.literal;
        pos += ok ? 1 : 0;
        break;
      case 'Y':
        ok = read_number(text, pos, 4, 4, year);
        break;
      case 'y':
        // POSIX's pivot: 69..99 are 1969..1999, 00..68 are 2000..2068.
        ok = read_number(text, pos, 2, 2, year);
        year += year >= 69 ? 1900 : 2000;
        break;
      case 'm':
        ok = read_number(text, pos, 1, 2, month);
        break;
      case 'e':
        if (pos < n && s[pos] == ' ') ++pos;
        ok = read_number(text, pos, 1, 2, day);
        break;
      case 'd':
        ok = read_number(text, pos, 1, 2, day);
        break;
      case 'H':
        ok = read_number(text, pos, 1, 2, t.hour);
        break;
      case 'M':
        ok = read_number(text, pos, 1, 2, t.minute);
        break;
      case 'S':
        ok = read_number(text, pos, 1, 2, t.second);
        break;
      case 'j':
        ok = read_number(text, pos, 1, 3, yday);
        has_yday = true;
        break;
      case 'b':
        ok = read_month_name(text, pos, month);
        break;
      case 'z':
        ok = read_offset(text, pos, t.offset_minutes, offset_in_range);
        break;
      default:
        ok = false;  // compile() makes no other steps
        break;
    }
    if (!ok) return layout_mismatch(field, text, layout_);
  }
  if (pos != n) return layout_mismatch(field, text, layout_);

  day_number local = 0;
  if (has_yday) {
    if (year < 1 || year > 9999 || yday < 1 || yday > (is_leap(year) ? 366 : 365))
      return layout_invalid(field, text, layout_, " is not a valid date");
    local = days_from_civil(year, 1, 1) + (yday - 1);
  } else if (valid_civil(year, month, day)) {
    local = days_from_civil(year, month, day);
  } else {
    return layout_invalid(field, text, layout_, " is not a valid date");
  }
  if (!valid_time(t)) return layout_invalid(field, text, layout_, " has an invalid time of day");
  if (!offset_in_range) return layout_invalid(field, text, layout_, " has an invalid UTC offset");
  const int64_t utc = utc_day(local, t);
  if (utc < first_day || utc > last_day)
    return layout_invalid(field, text, layout_, " is outside the years 0001..9999 in UTC");
  return static_cast<day_number>(utc);
}

result<period_unit> parse_period_unit(std::string_view field, std::string_view text) {
  const auto is = [text](std::string_view lower) {
    return text.size() == lower.size() && starts_with_name(text, 0, lower);
  };
  if (is("d") || is("day")) return period_unit::day;
  if (is("w") || is("week")) return period_unit::week;
  if (is("m") || is("month")) return period_unit::month;
  if (is("y") || is("year")) return period_unit::year;
  return error{
      std::string(field),
      std::string(field) + " must be D, W, M or Y (day, week, month, year), got " + quoted(text)};
}

std::string_view period_letter(period_unit unit) noexcept {
  switch (unit) {
    case period_unit::week:
      return "W";
    case period_unit::month:
      return "M";
    case period_unit::year:
      return "Y";
    case period_unit::day:
      break;
  }
  return "D";
}

std::int32_t period_index(day_number days, period_unit unit) noexcept {
  switch (unit) {
    case period_unit::week:
      // 1970-01-01 was a Thursday: weeks start on Mondays, 3 days earlier, so
      // the week of 1969-12-29..1970-01-04 is week 0.
      return static_cast<std::int32_t>(floor_div(int64_t{days} + 3, 7));
    case period_unit::month: {
      const civil_date c = civil_from_days(days);
      return static_cast<std::int32_t>((int64_t{c.year} - 1970) * 12 + c.month - 1);
    }
    case period_unit::year:
      return static_cast<std::int32_t>(int64_t{civil_from_days(days).year} - 1970);
    case period_unit::day:
      break;
  }
  return days;
}

day_number period_start(std::int32_t index, period_unit unit) noexcept {
  switch (unit) {
    case period_unit::week:
      return static_cast<day_number>(int64_t{index} * 7 - 3);
    case period_unit::month: {
      const int64_t year = 1970 + floor_div(index, 12);
      const int64_t month = int64_t{index} - (year - 1970) * 12 + 1;
      return days_from_civil(static_cast<int>(year), static_cast<int>(month), 1);
    }
    case period_unit::year:
      return days_from_civil(static_cast<int>(1970 + int64_t{index}), 1, 1);
    case period_unit::day:
      break;
  }
  return index;
}

day_number add_periods(day_number day, std::int32_t count, period_unit unit) noexcept {
  switch (unit) {
    case period_unit::week:
      return static_cast<day_number>(int64_t{day} + int64_t{count} * 7);
    case period_unit::year:
      return add_periods(day, static_cast<std::int32_t>(int64_t{count} * 12), period_unit::month);
    case period_unit::month: {
      const civil_date c = civil_from_days(day);
      const int64_t months = int64_t{c.year} * 12 + (c.month - 1) + count;
      const int year = static_cast<int>(floor_div(months, 12));
      const int month = static_cast<int>(months - int64_t{year} * 12) + 1;
      const day_number first = days_from_civil(year, month, 1);
      const int length = static_cast<int>(
          days_from_civil(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1) - first);
      return first + std::min(c.day, length) - 1;
    }
    case period_unit::day:
      break;
  }
  return static_cast<day_number>(int64_t{day} + count);
}

result<day_number> parse_date_option(std::string_view field, std::string_view text,
                                     const date_format* layout) {
  if (layout == nullptr) return parse_iso_date(field, text);
  auto in_layout = layout->parse(field, text);
  if (in_layout) return in_layout;
  auto iso = parse_iso_date(field, text);
  if (iso) return iso;
  // A text in one form's shape whose values are wrong ("1997-13-01") gets
  // that form's error; one in neither shape, both forms.
  const std::string& layout_says = in_layout.error().message;
  if (layout_says != layout_mismatch(field, text, layout->layout()).message)
    return std::move(in_layout).error();
  if (iso.error().message != iso_shape(field, text).message) return std::move(iso).error();
  return error{std::string(field), std::string(field) + " " + quoted(text) +
                                       " is neither a date in the layout " +
                                       quoted(layout->layout()) + " nor an ISO 8601 date"};
}

}  // namespace cltv
