#pragma once
// `cltv summarize`: a transaction log → the per-customer RFM summary.

#include <CLI/CLI.hpp>

#include <string>

#include "cltv/rfm.hpp"
#include "io/database_input.hpp"
#include "io/id_table.hpp"
#include "io/log_input.hpp"
#include "io/summary_input.hpp"

namespace cltv::cli {

struct summarize_options : log_summary_options {
  std::string format = "csv";
  /// Each --freq period an opportunity (BG/BB's (x, t_x, n)): the T column
  /// is named periods (periods_cal), in whole periods.
  bool opportunities = false;
  /// --from URI --table NAME: the log is a PostgreSQL table, summarized there.
  database_log database;
};

/// A transaction log read into an RFM summary, with the customers' ids.
struct log_summary {
  rfm_summary summary;
  id_table ids;
  std::string name;  // of the log, for messages
  std::uint64_t skipped_rows = 0;
  std::string skipped_note;  // for stderr; empty when none were skipped
};

/// Reads the log in one pass (`cltv summarize`'s read path, shared with
/// `cltv backtest`). Errors are complete one-line messages.
[[nodiscard]] result<log_summary> summarize_log(const transaction_log_options& log,
                                                const rfm_options& options, bool with_amount);

/// The --freq, --time-unit, --observation-end, --calibration-end and
/// --calibration-periods options as typed, checked into rfm_options; the
/// dates in the --date-format layout or ISO 8601.
[[nodiscard]] result<rfm_options> parse_rfm_options(const std::string& freq,
                                                    const std::string& time_unit,
                                                    const std::string& observation_end,
                                                    const std::string& calibration_end,
                                                    const std::string& calibration_periods,
                                                    const std::string& date_format);

/// "3 customers left out: no purchase on or before the observation end", or
/// empty when none were.
[[nodiscard]] std::string left_out_note(const rfm_summary& summary);
/// The same of `excluded` customers, left out at the calibration end or not.
[[nodiscard]] std::string left_out_note(std::uint64_t excluded, bool calibration);

/// The summary predict and clv read: the SUMMARY (read_summary), or the
/// --log summarized as `cltv summarize` with the same options would summarize
/// it -- the numbers of reading summarize's output, without writing it (one
/// pass, memory per customer), on `threads` (--threads as typed; empty: the
/// available cores). Errors are complete one-line messages.
[[nodiscard]] result<summary_data> read_summary_or_log(const summary_source& source,
                                                       const summary_needs& needs,
                                                       const std::string& threads = {});

CLI::App* setup_summarize(CLI::App& app, summarize_options& options);
int run_summarize(const summarize_options& options);

}  // namespace cltv::cli
