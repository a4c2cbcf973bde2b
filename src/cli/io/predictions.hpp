#pragma once
// What `cltv predict` and `cltv clv` share: one record per customer of a
// summary (CSV, NDJSON or a JSON array) and errors that name the customer.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/base_summary.hpp"
#include "cltv/number.hpp"
#include "io/format_option.hpp"
#include "io/model_file.hpp"
#include "io/summary_input.hpp"

namespace cltv::cli {

/// A field with the same value in every record (a summary's unit, dates).
struct constant_field {
  const char* name;
  std::string text;     // as CSV writes it (never needs quoting)
  bool quoted = false;  // a JSON string rather than a number
};

/// One customer's output record: named numbers after the id, then the
/// constant fields. An empty id_name writes records without an id.
struct record_writer {
  output_format format;
  std::string id_name;
  std::vector<const char*> names;
  std::vector<constant_field> constants{};
  bool first = true;

  /// The CSV header (nothing for the other formats).
  void header(std::string& out) const;
  /// One customer: a CSV row, an NDJSON line or an element of a JSON array.
  void row(std::string& out, std::string_view id, std::span<const double> values);
};

/// The unit of the summary's times as the summary, the models and
/// --time-unit (`given`, when given) state it: nullopt when none does. Fails,
/// naming both, when two statements differ.
[[nodiscard]] result<std::optional<double>> stated_time_unit(const fitted_models& models,
                                                             const summary_data& summary,
                                                             std::optional<double> given);

/// The continuous discount rate of a DERT and the words that say where it
/// came from.
struct chosen_discount {
  double rate = 0;     // δ per time unit of the summary
  std::string source;  // "0.0023 per week (--discount-rate 1% per month of 4.348 weeks)"
};

/// δ from --continuous-discount (`continuous`, per time unit) or else from a
/// discount rate per month (`monthly`, with the month and the summary's unit
/// in days): models::continuous_discount_rate. Fails when neither gives a
/// rate > 0, and when a monthly rate needs a unit nothing states.
[[nodiscard]] result<chosen_discount> choose_continuous_discount(const std::string& continuous,
                                                                 std::optional<double> monthly,
                                                                 double days_per_month,
                                                                 std::optional<double> unit_days);

/// The base summary as table lines: active customers, P(alive) bands,
/// purchases and value. `value_name` names the value ("CLV", "spend");
/// `horizon` says what the purchases cover ("in the next 39 weeks").
void append_base_summary_table(std::string& out, const models::base_summary& summary,
                               std::string_view value_name, std::string_view horizon);

/// The top customers as a table with their history (nothing when none).
void append_top_customers_table(std::string& out, const models::base_summary& summary,
                                const summary_data& customers, std::string_view value_name);

/// The same as a JSON member: ,"summary":{…}.
void append_base_summary_json(std::string& out, const models::base_summary& summary,
                              const summary_data& customers);

/// `e` about the summary's customer i: "NAME: customer ID (row N): …".
[[nodiscard]] error at_customer(const summary_data& s, std::size_t i, const error& e);

}  // namespace cltv::cli
