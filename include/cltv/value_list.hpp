#pragma once
// A list of values written on one command-line flag: V1,V2,… ; FROM..TO:COUNT
// (COUNT evenly spaced points, both ends included); or FROM..TO with whole
// ends (every integer from FROM to TO). Grid's axes, predict's horizons and
// purchase counts all read this one syntax.

#include <cstddef>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/number.hpp"

namespace cltv {

/// Reads `text` as a value list, each value as parse_number(field, …, style)
/// reads it. At most max_values values. Errors (field `field`) say what is
/// wrong without quoting the whole text, so that callers can prefix it.
///
/// Example:
///   auto n = cltv::parse_value_list("pmf", "0..10", cltv::number_style::plain, 1000);  // 0…10
///   auto t = cltv::parse_value_list("horizon", "0..52:5", cltv::number_style::plain, 1000);
///   // 0, 13, 26, 39, 52
[[nodiscard]] result<std::vector<double>> parse_value_list(std::string_view field,
                                                           std::string_view text,
                                                           number_style style,
                                                           std::size_t max_values);

}  // namespace cltv
