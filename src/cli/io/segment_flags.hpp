#pragma once
// The flag forms of segments for calc/check: --segment NAME:KEY=VALUE,… and
// --what-if annual_share=RATE; and the plain refusal of the commands that work
// on one plan (solve, grid).

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

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

/// The usage error of `command` (solve, grid), which works on one plan, given
/// segments: "segments are not supported by solve: it works on one plan; run
/// calc or check on segments, or give one segment's inputs as flags".
[[nodiscard]] error segments_unsupported(std::string_view command);

/// The error of `command` (solve, grid) given a scenario's annual plan
/// (annual_price, annual_churn), which only a what-if of calc and check uses.
[[nodiscard]] error annual_plan_unsupported(std::string_view command);

/// A hidden --segment on `sub`, collected into `segments`, so that the
/// command refuses it with segments_unsupported rather than as an unknown
/// argument.
void add_unsupported_segment_flag(CLI::App& sub, std::vector<std::string>& segments);

/// Hidden --what-if, --annual-price and --annual-churn on `sub`, collected
/// into `annual`, so that the command refuses them with
/// annual_plan_unsupported rather than as unknown arguments.
void add_unsupported_annual_flags(CLI::App& sub, std::vector<std::string>& annual);

}  // namespace cltv::cli
