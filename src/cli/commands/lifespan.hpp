#pragma once
// `cltv lifespan`: customer records → the average customer lifespan (total
// years active / number of customers) and its distribution.

#include <CLI/CLI.hpp>

#include <string>

#include "io/log_input.hpp"

namespace cltv::cli {

struct lifespan_options {
  table_input_options table;
  std::string customer_col = "customer_id";
  std::string start_col = "start_date";
  std::string end_col = "end_date";
  std::string years_col;  // non-empty: a years-active column instead of dates
  std::string as_of;      // empty: the latest date in the records
  std::string format = "table";
};

CLI::App* setup_lifespan(CLI::App& app, lifespan_options& options);
int run_lifespan(const lifespan_options& options);

}  // namespace cltv::cli
