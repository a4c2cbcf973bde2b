// parse_iso_date and date_format, the text → day paths of transaction files.
// The input is parsed whole as an ISO date; when it holds a newline, the
// bytes before the first one are also compiled as a layout and the rest
// parsed with it (and as an ISO date). Invariants:
// - a parsed day lies in 0001-01-01..9999-12-31, its format_date is
//   YYYY-MM-DD and reads back (ISO and "%F") as the same day, and
//   civil_from_days / days_from_civil round-trip it to a real calendar date;
// - an error names the field passed, starts with it, and is one line;
// - a layout either compiles (keeping its text) or fails with a one-line
//   message; "%Y%m%d" and "%F" agree with parse_iso_date on 8- and 10-byte
//   texts, so the fast paths read what the general ones do, and so does
//   read_plain_iso_date on plain YYYY-MM-DD texts (and reads nothing else);
// - parse_date_option (a date option beside a layout) gives the layout's day,
//   else the ISO day, else an error as above.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.hpp"
#include "cltv/date.hpp"

namespace {

using cltv::date_format;
using cltv::day_number;

// The oracle's own month lengths, not the library's.
int month_length(int year, int month) {
  static constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  return month == 2 && leap ? 29 : lengths[month - 1];
}

bool is_digits(std::string_view text) {
  for (const char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

void check_day(day_number day) {
  CLTV_FUZZ_CHECK(day >= -719162 && day <= 2932896);  // 0001-01-01 .. 9999-12-31

  const cltv::civil_date c = cltv::civil_from_days(day);
  CLTV_FUZZ_CHECK(c.year >= 1 && c.year <= 9999);
  CLTV_FUZZ_CHECK(c.month >= 1 && c.month <= 12);
  CLTV_FUZZ_CHECK(c.day >= 1 && c.day <= month_length(c.year, c.month));
  CLTV_FUZZ_CHECK(cltv::days_from_civil(c.year, c.month, c.day) == day);

  const std::string text = cltv::format_date(day);
  CLTV_FUZZ_CHECK(text.size() == 10 && text[4] == '-' && text[7] == '-');
  const auto again = cltv::parse_iso_date("date", text);
  CLTV_FUZZ_CHECK(again && *again == day);
  static const auto dashed = date_format::compile("%F");
  CLTV_FUZZ_CHECK(dashed);
  const auto with_layout = dashed->parse("date", text);
  CLTV_FUZZ_CHECK(with_layout && *with_layout == day);

  // Neighbouring days stay in order through the round trip.
  if (day < 2932896) CLTV_FUZZ_CHECK(cltv::format_date(day + 1) > text);
}

void check_outcome(const cltv::result<day_number>& r) {
  if (r) {
    check_day(*r);
  } else {
    CLTV_FUZZ_CHECK(r.error().field == "date");
    CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(r.error().message));
    CLTV_FUZZ_CHECK(r.error().message.rfind("date ", 0) == 0);
  }
}

// parse_iso_date of `text`, checked, and compared with the fixed layouts.
void check_iso(std::string_view text) {
  const auto iso = cltv::parse_iso_date("date", text);
  check_outcome(iso);
  static const auto compact = date_format::compile("%Y%m%d");
  static const auto dashed = date_format::compile("%Y-%m-%d");
  CLTV_FUZZ_CHECK(compact && dashed);
  if (text.size() == 8 && is_digits(text)) {
    const auto c = compact->parse("date", text);
    CLTV_FUZZ_CHECK(c.has_value() == iso.has_value());
    if (c) CLTV_FUZZ_CHECK(*c == *iso);
  }
  const bool plain = text.size() == 10 && is_digits(text.substr(0, 4)) && text[4] == '-' &&
                     is_digits(text.substr(5, 2)) && text[7] == '-' && is_digits(text.substr(8, 2));
  if (plain) {
    const auto d = dashed->parse("date", text);
    CLTV_FUZZ_CHECK(d.has_value() == iso.has_value());
    if (d) CLTV_FUZZ_CHECK(*d == *iso);
  }
  // The log readers' fast path reads the plain dates parse_iso_date reads, as
  // it reads them, and nothing else.
  const auto fast = cltv::read_plain_iso_date(text);
  CLTV_FUZZ_CHECK(fast.has_value() == (plain && iso.has_value()));
  if (fast) CLTV_FUZZ_CHECK(*fast == *iso);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_iso(input);

  const auto newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  const std::string_view layout = input.substr(0, newline);
  const std::string_view text = input.substr(newline + 1);
  check_iso(text);

  const auto format = date_format::compile(layout);
  if (!format) {
    CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(format.error().message));
    CLTV_FUZZ_CHECK(format.error().field.empty());
    CLTV_FUZZ_CHECK(format.error().message.rfind("date layout \"", 0) == 0);
    return 0;
  }
  CLTV_FUZZ_CHECK(format->layout() == layout);
  const auto parsed = format->parse("date", text);
  check_outcome(parsed);
  // Parsing twice gives the same answer (no state kept between calls).
  const auto again = format->parse("date", text);
  CLTV_FUZZ_CHECK(again.has_value() == parsed.has_value());
  if (parsed) CLTV_FUZZ_CHECK(*again == *parsed);
  const auto option = cltv::parse_date_option("date", text, &*format);
  check_outcome(option);
  const auto iso = cltv::parse_iso_date("date", text);
  CLTV_FUZZ_CHECK(option.has_value() == (parsed.has_value() || iso.has_value()));
  if (option) CLTV_FUZZ_CHECK(*option == (parsed ? *parsed : *iso));
  return 0;
}
