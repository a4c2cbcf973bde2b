// parse_value_list, the list syntax of grid's --vary and predict's --horizon
// and --pmf (V1,V2,…; FROM..TO:COUNT; FROM..TO with whole ends). Invariants:
// - a parse yields 1 to max_values finite values, or an error with a
//   non-empty one-line message naming the field;
// - a list of one value is that value as parse_number reads it;
// - a range is non-decreasing from its first end to exactly its last;
//   without a count its values are consecutive integers; with one, there are
//   COUNT of them.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "check.hpp"
#include "cltv/number.hpp"
#include "cltv/value_list.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::size_t max_values = 1000;
  for (const auto style : {cltv::number_style::plain, cltv::number_style::rate}) {
    const auto values = cltv::parse_value_list("horizon", text, style, max_values);
    if (!values) {
      CLTV_FUZZ_CHECK(values.error().field == "horizon");
      CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(values.error().message));
      continue;
    }
    CLTV_FUZZ_CHECK(!values->empty() && values->size() <= max_values);
    for (const double v : *values) CLTV_FUZZ_CHECK(std::isfinite(v));
    const std::size_t dots = text.find("..");
    if (dots == std::string_view::npos) {
      if (text.find(',') == std::string_view::npos) {
        const auto one = cltv::parse_number("horizon", text, style);
        CLTV_FUZZ_CHECK(one && values->size() == 1 && values->front() == *one);
      }
      continue;
    }
    for (std::size_t k = 1; k < values->size(); ++k)
      CLTV_FUZZ_CHECK((*values)[k] >= (*values)[k - 1]);
    const std::size_t colon = text.find(':', dots);
    const auto last = cltv::parse_number(
        "horizon",
        text.substr(dots + 2,
                    colon == std::string_view::npos ? std::string_view::npos : colon - dots - 2),
        style);
    CLTV_FUZZ_CHECK(last && values->back() == *last);
    if (colon == std::string_view::npos) {
      for (std::size_t k = 1; k < values->size(); ++k)
        CLTV_FUZZ_CHECK((*values)[k] == (*values)[k - 1] + 1);
    } else {
      // Accepted, the count is a whole number: exactly that many points.
      const std::string_view count_text = text.substr(colon + 1);
      std::size_t count = 0;
      const auto [end, ec] =
          std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
      CLTV_FUZZ_CHECK(ec == std::errc{} && end == count_text.data() + count_text.size());
      CLTV_FUZZ_CHECK(values->size() == count);
    }
  }
  return 0;
}
