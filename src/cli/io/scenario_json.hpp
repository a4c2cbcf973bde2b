#pragma once
// One JSON scenario object → cltv::scenario_input, strictly: unknown keys,
// duplicate keys, wrong types and trailing content are errors.
//
// This is the entry point both the CLI and the fuzz harnesses use.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <vector>

#include "cltv/error.hpp"
#include "cltv/number.hpp"
#include "cltv/scenario.hpp"
#include "cltv/segments.hpp"

namespace cltv::cli {

/// Bytes that must be readable (any content) after a record's last byte.
inline constexpr std::size_t json_padding = 64;

struct parsed_scenario {
  scenario_input input;
  /// The record's "id" (a string or a number) as raw JSON text, echoed back
  /// in the output so that batch results can be joined to their inputs.
  std::string id_json;
  /// The record's "segments" (see src/cli/segments.hpp); has_segments even
  /// when the list is empty, so that the empty list is refused by name.
  std::vector<segment_input> segments;
  bool has_segments = false;
  /// The top-level "annual_price" and "annual_churn": the annual plan of a
  /// plan without segments (or inherited by segments), for --what-if.
  annual_plan_input annual;
};

/// The number field `key` of a scenario's annual plan ("annual_price",
/// "annual_churn"; `style` says how its text reads), or nullptr.
[[nodiscard]] std::optional<double>* annual_plan_field(annual_plan_input& plan,
                                                       std::string_view key, number_style& style);

/// `unknown field "chrun" (did you mean "churn"?)`, or the known names when
/// none is close; `noun` is "field" (JSON) or "column" (CSV), which takes no
/// segments.
[[nodiscard]] std::string unknown_key_message(std::string_view key, std::string_view noun,
                                              bool with_segments);

/// The common record read without simdjson: one flat object whose keys are
/// known scenario fields, "id", "annual_price" or "annual_churn" (each once,
/// without escapes), whose values are JSON numbers, or ASCII strings without
/// escapes for "id" and "period". True when it read the whole record into
/// `out` exactly as scenario_parser::parse_general would have. False for
/// anything else (segments, a string for a number, an escape, a byte outside
/// printable ASCII in a string, a duplicate or unknown key, a syntax error, a
/// number out of range), leaving `out` partly set: the general parser reads
/// those records, and words their errors.
[[nodiscard]] bool parse_flat_scenario(std::string_view record, parsed_scenario& out);

/// Reusable parser state (simdjson's buffers), one per thread.
class scenario_parser {
 public:
  scenario_parser();
  ~scenario_parser();
  scenario_parser(const scenario_parser&) = delete;
  scenario_parser& operator=(const scenario_parser&) = delete;

  /// Parses `record` (one JSON value) into `out`. At least json_padding bytes
  /// after record.data() + record.size() must be readable. Returns false and
  /// fills `err` on any error. Flat records take parse_flat_scenario, the
  /// rest parse_general.
  bool parse(std::string_view record, parsed_scenario& out, error& err);

  /// parse with simdjson alone: any record (and the reference the tests hold
  /// parse_flat_scenario to).
  bool parse_general(std::string_view record, parsed_scenario& out, error& err);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace cltv::cli
