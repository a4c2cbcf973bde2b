#pragma once
// A transaction log that is a table in PostgreSQL (--from URI --table NAME):
// the summary a command reads is computed in the database by the query of
// `cltv sql summarize` and only its rows come back — customers, distinct
// (frequency, recency, T) tuples or spend tuples, never the log's rows.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/rfm.hpp"
#include "io/log_input.hpp"
#include "sql/summary_query.hpp"

namespace cltv::cli {

/// --from and --table as typed.
struct database_log {
  std::string uri;    ///< postgresql://… (or a libpq key=value string)
  std::string table;  ///< schema.table works
  const CLI::Option* from_option = nullptr;
  const CLI::Option* table_option = nullptr;
  /// The command's options that say how to read a file, which do not apply.
  std::vector<const CLI::Option*> file_options;
  /// Options that apply only with --from (add_database_log_options).
  std::vector<const CLI::Option*> log_options;

  [[nodiscard]] bool given() const noexcept { return !uri.empty(); }
  /// "orders in postgresql://shop@db/sales" (the password masked), for
  /// messages and the model file's input.
  [[nodiscard]] std::string display_name() const;
};

/// Declares --from and --table in the "Database" group, after the command's
/// file options (--input-format, --delimiter, --no-header, --date-format,
/// --skip-bad-rows, --sorted), which it notes as not applying to a table.
void add_database_options(CLI::App& app, database_log& database);

/// For a command that reads summaries, not logs (fit): --from and --table,
/// and the log's options that say how the database summarizes it (--customer-col,
/// --date-col, --amount-col, --allow-refunds, --freq, --observation-end,
/// --calibration-end, --calibration-periods), which apply only with --from.
/// --time-unit is the command's own.
void add_database_log_options(CLI::App& app, database_log& database, log_summary_options& log);

/// The query options of the summary `output` of `database`'s table as the
/// log options say (columns, amounts, refunds; `rfm` from their periods and
/// ends): what `cltv sql summarize` prints and what --from runs.
[[nodiscard]] sql::summary_query_options summary_query_of(const std::string& table,
                                                          const transaction_log_options& log,
                                                          bool with_amount, const rfm_options& rfm,
                                                          sql::summary_output output);

/// Runs the summary query in the database and returns the table options
/// that read its CSV result (path: the display name). A --table missing
/// beside --from, and libpq's connection and query errors, fail with field
/// "from" (passwords masked).
[[nodiscard]] result<table_input_options> fetch_summary(const database_log& database,
                                                        const transaction_log_options& log,
                                                        bool with_amount, const rfm_options& rfm,
                                                        sql::summary_output output);

/// A file option given beside --from, or --table (or a log option of
/// add_database_log_options) without --from: the error naming it, or nullopt.
[[nodiscard]] std::optional<error> database_conflict(const database_log& database);

}  // namespace cltv::cli
