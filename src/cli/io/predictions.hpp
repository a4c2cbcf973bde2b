#pragma once
// What `cltv predict` and `cltv clv` share: one record per customer of a
// summary (CSV, NDJSON or a JSON array) and errors that name the customer.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "io/format_option.hpp"
#include "io/summary_input.hpp"

namespace cltv::cli {

/// One customer's output record: named numbers after the id.
struct record_writer {
  output_format format;
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

}  // namespace cltv::cli
