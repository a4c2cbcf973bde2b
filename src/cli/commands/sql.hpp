#pragma once
// `cltv sql summarize|score`: the SQL that computes `cltv summarize` in the
// user's database engine (PostgreSQL, DuckDB, SQLite), or attaches fitted
// models' predictions to every customer there, printed for them to run.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "io/log_input.hpp"

namespace cltv::cli {

struct sql_options {
  std::string query;      // summarize | score
  std::string dialect;    // postgres | duckdb | sqlite | bigquery | snowflake | trino | spark
  std::string date_type;  // date | timestamp | timestamptz (the cloud dialects need it)
  std::string table;
  log_summary_options summary;  // the columns, periods and ends (the file options do not apply)
  bool tuples = false;
  bool spend = false;
  bool counts = false;
  // score
  std::vector<std::string> models;
  std::string predictions;  // the table `cltv predict` on the tuples was loaded into
  bool clv = false;
  std::string gross_margin;
};

CLI::App* setup_sql(CLI::App& app, sql_options& options);

/// 0 the query is printed; 2 bad input or usage.
int run_sql(const sql_options& options);

}  // namespace cltv::cli
