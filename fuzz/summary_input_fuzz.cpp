// Input bytes → read_summary (the reader of predict and clv), from a file.
// The first byte picks the options: bit 0 NDJSON instead of CSV, bit 1
// --skip-bad-rows, bit 2 monetary values needed. Invariants:
// - an error has a one-line message; an error about a stamp column
//   (time_unit_days, freq, observation_end, calibration_end) names the line;
// - a summary read has rows, each a valid (x, t_x, T) tuple, and what its
//   stamp states is valid: a positive finite unit, dates in 0001..9999;
// - a summary whose stamp states a unit reads the same unit back when read
//   again (reading is deterministic).

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.hpp"
#include "cltv/date.hpp"
#include "io/summary_input.hpp"
#include "memory_file.hpp"

namespace {

bool valid_day(const std::optional<cltv::day_number>& day) {
  // 0001-01-01 .. 9999-12-31 (days from 1970-01-01)
  return !day ||
         (*day >= cltv::days_from_civil(1, 1, 1) && *day <= cltv::days_from_civil(9999, 12, 31));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  cltv::cli::table_input_options options;
  options.path = cltv::fuzz::input_path();
  options.input_format = (data[0] & 1) != 0 ? "ndjson" : "csv";
  options.skip_bad_rows = (data[0] & 2) != 0;
  cltv::cli::summary_needs needs;
  needs.monetary = (data[0] & 4) != 0;
  cltv::fuzz::write_input(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));

  auto read = cltv::cli::read_summary(options, {}, needs);
  if (!read) {
    const cltv::error& e = read.error();
    CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(e.message));
    constexpr std::array<std::string_view, 4> stamp{"time_unit_days", "freq", "observation_end",
                                                    "calibration_end"};
    for (const std::string_view name : stamp)
      if (e.field == name) CLTV_FUZZ_CHECK(e.message.find(" line ") != std::string::npos);
    return 0;
  }
  CLTV_FUZZ_CHECK(read->size() > 0);
  for (const cltv::models::rfm_tuple& t : read->rows)
    CLTV_FUZZ_CHECK(cltv::models::check_rfm_tuple(t).has_value());
  const cltv::cli::summary_stamp& s = read->stamp;
  if (s.time_unit_days) CLTV_FUZZ_CHECK(std::isfinite(*s.time_unit_days) && *s.time_unit_days > 0);
  CLTV_FUZZ_CHECK(valid_day(s.observation_end) && valid_day(s.calibration_end));

  auto again = cltv::cli::read_summary(options, {}, needs);
  CLTV_FUZZ_CHECK(again.has_value() && again->stamp.time_unit_days == s.time_unit_days &&
                  again->stamp.freq == s.freq && again->size() == read->size());
  return 0;
}
