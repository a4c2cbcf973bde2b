#pragma once
// The flag forms of segments for calc/check: --segment NAME:KEY=VALUE,… and
// --what-if annual_share=RATE.

#include <string_view>

#include "cltv/error.hpp"
#include "cltv/segments.hpp"

namespace cltv::cli {

/// Parses one --segment value: the segment's name, a colon, then KEY=VALUE
/// pairs separated by commas, with the keys of a JSON segment object
/// (snake_case): "ads:arpu=5,churn=8%,share=0.7",
/// "premium-annual:billing=annual,annual_price=200,annual_churn=25%,customers=1000".
/// Errors name the segment and the bad key or value.
[[nodiscard]] result<segment_input> parse_segment_flag(std::string_view text);

/// Parses --what-if: "annual_share=40%" (or 0.4) → 0.4.
[[nodiscard]] result<double> parse_what_if(std::string_view text);

}  // namespace cltv::cli
