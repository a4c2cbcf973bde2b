#pragma once
// Output of calc/check results: table (people), json, ndjson and csv.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/conventions.hpp"
#include "cltv/error.hpp"
#include "cltv/ltv.hpp"
#include "cltv/scenario.hpp"
#include "cltv/segments.hpp"
#include "io/output.hpp"

namespace cltv::cli {

enum class output_format { table, json, ndjson, csv };
enum class command { calc, check };

/// Where a record came from, for error records and the line/record columns.
struct origin {
  std::size_t index = 0;    ///< 0-based position in the input
  std::size_t line = 0;     ///< 1-based input line; 0 when the scenario came from flags
  bool from_array = false;  ///< error records say "index" instead of "line"
};

/// One record's outcome: a result, or an error.
struct outcome {
  origin from;
  std::string_view id_json;         ///< raw JSON of the record's "id", or empty
  const scenario* input = nullptr;  ///< set with result
  const ltv_result* result = nullptr;
  const error* failure = nullptr;
  /// With --reconcile: the scenario under other conventions.
  const std::vector<convention_value>* conventions = nullptr;
  /// A scenario with segments: set instead of input and result (see
  /// segment_writers.cpp); what_if with --what-if annual_share.
  const segmented_result* segments = nullptr;
  const annual_shift_result* what_if = nullptr;
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
};

class result_writer {
 public:
  virtual ~result_writer() = default;
  virtual void write(const outcome& o) = 0;
  virtual void finish() {}
};

[[nodiscard]] std::unique_ptr<result_writer> make_writer(const writer_options& options,
                                                         output& out);

/// One outcome as the calc JSON object (no newline), appended to `out`: the
/// record that solve embeds as its verification.
void append_outcome_json(std::string& out, const outcome& o);
/// One plain result or error as a JSON object (no newline).
void append_json_record(std::string& out, const outcome& o);

/// One CSV row of a plain result or error; `segment` fills the last column.
void append_csv_row(std::string& buf, const outcome& o, std::string_view segment,
                    const writer_options& options);

/// The formulas used, with the scenario's numbers substituted, one per line.
[[nodiscard]] std::string explain(const scenario& s, const ltv_result& r);

/// The one-line verdict of `cltv check` ("PASS: LTV 1,250.00 is 4.17× CAC …").
[[nodiscard]] std::string verdict_line(const scenario& s, const ltv_result& r);

}  // namespace cltv::cli
