#include "cltv/value_list.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include "cltv/number.hpp"

namespace cltv {
namespace {

// V1,V2,… into values.
std::optional<error> read_list(std::string_view field, std::string_view list, number_style style,
                               std::size_t max_values, std::vector<double>& values) {
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = list.find(',', start);
    const std::string_view item = list.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (item.empty()) return error{std::string(field), "empty value in the list"};
    auto v = parse_number(field, item, style);
    if (!v) return std::move(v).error();
    values.push_back(*v);
    if (values.size() > max_values)
      return error{std::string(field), "more than " + std::to_string(max_values) + " values"};
    if (comma == std::string_view::npos) return std::nullopt;
    start = comma + 1;
  }
}

constexpr double largest_exact_integer = 9007199254740992.0;  // 2^53

bool is_whole(double v) {
  return std::isfinite(v) && v == std::floor(v);
}

// FROM..TO:COUNT or FROM..TO (`dots` where its ".." is) into values.
std::optional<error> read_range(std::string_view field, std::string_view range, std::size_t dots,
                                number_style style, std::size_t max_values,
                                std::vector<double>& values) {
  const std::string f(field);
  const std::string_view from_text = range.substr(0, dots);
  std::string_view to_text = range.substr(dots + 2);
  const std::size_t colon = to_text.find(':');
  const bool counted = colon != std::string_view::npos;
  const std::string_view count_text = counted ? to_text.substr(colon + 1) : std::string_view{};
  if (counted) to_text = to_text.substr(0, colon);
  if (from_text.empty() || to_text.empty()) return error{f, "empty range end"};
  auto from = parse_number(field, from_text, style);
  if (!from) return std::move(from).error();
  auto to = parse_number(field, to_text, style);
  if (!to) return std::move(to).error();
  if (*from > *to)
    return error{f,
                 "reversed range: " + format_shortest(*from) + " is above " + format_shortest(*to)};
  if (!counted) {
    // Every integer in between: only whole ends say which points are meant.
    if (!is_whole(*from) || !is_whole(*to))
      return error{f,
                   "a range without a count needs whole-number ends (every integer from "
                   "FROM to TO); give a count of points, e.g. " +
                       std::string(range) + ":5"};
    // Past 2^53 consecutive integers are not all doubles (4e19 + 1 is 4e19).
    if (std::abs(*from) > largest_exact_integer || std::abs(*to) > largest_exact_integer)
      return error{f, "a range without a count needs ends within ±" +
                          format_shortest(largest_exact_integer) + ", got " +
                          format_shortest(*from) + ".." + format_shortest(*to)};
    if (*to - *from + 1 > static_cast<double>(max_values))
      return error{f, "the range " + format_shortest(*from) + ".." + format_shortest(*to) +
                          " has more than " + std::to_string(max_values) + " values"};
    const auto count = static_cast<std::size_t>(*to - *from) + 1;
    for (std::size_t k = 0; k < count; ++k) values.push_back(*from + static_cast<double>(k));
    return std::nullopt;
  }
  std::size_t count = 0;
  const auto [end, ec] =
      std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
  if (count_text.empty() || ec != std::errc{} || end != count_text.data() + count_text.size())
    return error{f, "count must be a whole number >= 2, got \"" + printable(count_text) + "\""};
  if (count < 2)
    return error{f, "a range needs a count >= 2 (both ends), got " + std::to_string(count)};
  if (count > max_values)
    return error{f, "count must be at most " + std::to_string(max_values) + ", got " +
                        std::to_string(count)};
  if (*from == *to) return error{f, "empty range: both ends are " + format_shortest(*from)};
  const double step = (*to - *from) / static_cast<double>(count - 1);
  for (std::size_t i = 0; i + 1 < count; ++i)
    values.push_back(*from + step * static_cast<double>(i));
  values.push_back(*to);  // exactly the given end, not from + (n−1)·step
  return std::nullopt;
}

}  // namespace

result<std::vector<double>> parse_value_list(std::string_view field, std::string_view text,
                                             number_style style, std::size_t max_values) {
  if (text.empty())
    return error{std::string(field), "empty list: give V1,V2,..., FROM..TO or FROM..TO:COUNT"};
  std::vector<double> values;
  const std::size_t dots = text.find("..");
  auto failure = dots == std::string_view::npos
                     ? read_list(field, text, style, max_values, values)
                     : read_range(field, text, dots, style, max_values, values);
  if (failure) return *std::move(failure);
  return values;
}

}  // namespace cltv
