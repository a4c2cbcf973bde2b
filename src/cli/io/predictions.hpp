#pragma once
// What `cltv predict` and `cltv clv` share: one record per customer of a
// summary (CSV, NDJSON or a JSON array), errors that name the customer, and
// the checks of a Gamma-Gamma model before it predicts spend.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "io/summary_input.hpp"

namespace cltv::cli {

enum class record_format { csv, ndjson, json, table };

/// csv, ndjson or json (and table when `table_allowed`).
[[nodiscard]] result<record_format> parse_format(const std::string& text, bool table_allowed);

/// One customer's output record: named numbers after the id.
struct record_writer {
  record_format format;
  std::string id_name;
  std::vector<const char*> names;
  bool first = true;

  /// The CSV header (nothing for the other formats).
  void header(std::string& out) const;
  /// One customer: a CSV row, an NDJSON line or an element of a JSON array.
  void row(std::string& out, std::string_view id, std::span<const double> values);
};

/// `e` about the summary's customer i: "NAME: customer ID (row N): …".
[[nodiscard]] error at_customer(const summary_data& s, std::size_t i, const error& e);

/// The population mean spend of a model that is to predict spend; fails when
/// q <= 1 (the mean is infinite).
[[nodiscard]] result<double> predictable_mean_spend(const models::gamma_gamma_params& model);

}  // namespace cltv::cli
