#pragma once
// One calc/check record, a plain result or an error, in each output format:
// table (people), json, ndjson and csv. The writers of a whole stream, which
// also take scenarios with segments (segment_writers.hpp), are in
// outcome_writers.hpp.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "cltv/calculation.hpp"
#include "cltv/error.hpp"
#include "cltv/ltv.hpp"
#include "cltv/scenario.hpp"

#include "io/format_option.hpp"

namespace cltv::cli {

/// A ratio or target with its sign: 3 → "3×", 4.1667 → "4.1667×".
[[nodiscard]] std::string times(double ratio);

/// An LTV:CAC ratio for a verdict: two decimals, unless rounding would make a
/// failing ratio look like it meets the target (2.9996 → "3.00×" next to
/// "below the 3× target").
[[nodiscard]] std::string ratio_text(double ratio, double target, bool meets);

enum class command { calc, check };

/// Where a record came from, for error records and the line/record columns.
struct origin {
  std::size_t index = 0;    ///< 0-based position in the input
  std::size_t line = 0;     ///< 1-based input line; 0 when the scenario came from flags
  bool from_array = false;  ///< error records say "index" instead of "line"
};

/// A plain result (its conventions with --reconcile), a scenario with
/// segments (see segment_writers.hpp), or an error.
using outcome_value = std::variant<calculation, segmented_calculation, error>;

/// One record's outcome.
struct outcome {
  origin from;
  std::string_view id_json;  ///< raw JSON of the record's "id", or empty
  outcome_value value;
};

struct writer_options {
  output_format format = output_format::table;
  command cmd = command::calc;
  bool batch = false;
  bool explain = false;
  bool color = false;
  bool reconcile = false;          ///< records carry conventions (CSV: their columns)
  bool expansion_columns = false;  ///< CSV: an expansion column
  bool interval_columns = false;   ///< CSV: churn and interval columns
  bool payback_columns = false;    ///< CSV: max_payback and meets_payback columns
};

/// One plain result or error as a JSON object (no newline).
void append_json_record(std::string& out, const outcome& o);

/// The CSV header line (with its newline): the columns of append_csv_row.
[[nodiscard]] std::string csv_header(const writer_options& options);

/// One CSV row of a plain result or error; `segment` fills the last column.
void append_csv_row(std::string& buf, const outcome& o, std::string_view segment,
                    const writer_options& options);

/// A plain result or error for people: check's verdict line, a row of calc's
/// batch table (after the table's header when `first_row`), or calc's table
/// of one scenario; each followed by --explain's working and --reconcile's
/// conventions when asked for.
void append_table(std::string& buf, const outcome& o, const writer_options& options,
                  bool first_row);

/// The fields `in` gives as one JSON object, in the order of
/// cltv::scenario_fields: what `cltv calc --input` reads.
void append_scenario_json(std::string& out, const scenario_input& in);

/// How every JSON record starts: `{` and, when it has one, `"id":…,`.
void open_json_record(std::string& out, std::string_view id_json);

/// Which record of a batch this is, for people: its id when it has one, then
/// where it is: "basic (line 3)", "7 (record 2)" in an array; without an id
/// "line 3" or "record 2".
[[nodiscard]] std::string record_label(const origin& from, std::string_view id_json);

/// record_label and ": " before a record of a batch for people; empty for a
/// single scenario.
[[nodiscard]] std::string batch_prefix(const outcome& o, const writer_options& options);

/// "25 months", "1 month", "2.5 years": up to two decimals.
[[nodiscard]] std::string periods_text(double n, period p);

/// "meets 3×", "below 3×", or "—" without a verdict.
[[nodiscard]] std::string target_verdict(const std::optional<bool>& meets, double target);

/// The formulas used, with the scenario's numbers substituted, one per line.
[[nodiscard]] std::string explain(const scenario& s, const ltv_result& r);

/// The one-line verdict of `cltv check` ("PASS: LTV 1,250.00 is 4.17× CAC …").
[[nodiscard]] std::string verdict_line(const scenario& s, const ltv_result& r);

}  // namespace cltv::cli
