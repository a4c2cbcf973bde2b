#pragma once
// `cltv convert`: churn, ARPU and discount rates restated from a month to a
// year or back, each with its formula.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace cltv::cli {

struct convert_options {
  std::optional<std::string> churn, arpu, discount_rate;  // as given
  std::string to;  // "year" or "month" (also "annual", "monthly", …)
  std::string format = "table";
};

CLI::App* setup_convert(CLI::App& app, convert_options& options);
int run_convert(const convert_options& options);

}  // namespace cltv::cli
