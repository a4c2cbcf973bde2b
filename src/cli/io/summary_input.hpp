#pragma once
// RFM summaries as the model commands read them (`cltv summarize` output, or
// a summary made elsewhere): columns chosen by name with the common aliases
// (x, t_x, zbar), an optional customer id, held in memory — one row per
// customer, so memory is proportional to customers.

#include <CLI/CLI.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cltv/date.hpp"
#include "cltv/error.hpp"
#include "cltv/models/rfm_data.hpp"
#include "io/database_input.hpp"
#include "io/log_input.hpp"
#include "io/whole_number_rows.hpp"

namespace cltv::cli {

/// A column chosen with a flag, or found under its default name or an alias.
struct named_column {
  const char* field;               // "frequency", for messages
  const char* flag;                // "--frequency-col"
  std::string given;               // as typed; empty: try `names`
  std::vector<const char*> names;  // default name first, then aliases
  bool required = true;
};

/// The summary's columns under their flags and names: the default name, the
/// BTYD alias, then the calibration column `cltv summarize --calibration-end`
/// writes, so that a calibration summary feeds fit, predict and clv as it is.
/// `given` is the flag's value as typed.
[[nodiscard]] named_column frequency_column(const std::string& given, bool required = true);
[[nodiscard]] named_column recency_column(const std::string& given, bool required = true);
[[nodiscard]] named_column T_column(const std::string& given, bool required = true);
/// A calibration summary's holdout columns, found by name (lifetimes'
/// calibration_and_holdout_data and `cltv summarize --calibration-end` name them so).
[[nodiscard]] named_column holdout_purchases_column(bool required);
[[nodiscard]] named_column holdout_duration_column(bool required);

/// The holdout's purchases (a whole number >= 0) and duration (> 0) of the
/// current row, from the holdout columns.
[[nodiscard]] result<std::pair<double, double>> holdout_fields(const table_input& in,
                                                               std::size_t purchases_column,
                                                               std::size_t duration_column);
[[nodiscard]] named_column monetary_column(const std::string& given, bool required = true);

/// Opens `table` and resolves each column (its given name or position, else
/// the first of its names present). A required column not found is an error
/// naming the file, the names tried and the flag. On success `index[i]` is
/// the table_input column of columns[i], or nullopt for an optional one not found.
[[nodiscard]] result<table_input> open_named_columns(
    const table_input_options& table, std::span<const named_column> columns,
    std::vector<std::optional<std::size_t>>& index);

/// A whole-row number field ("frequency 2.5" → parse error naming the field).
[[nodiscard]] result<double> number_field(const table_input& in, std::size_t column,
                                          std::string_view field);

/// "the summary s.csv", "the summary on stdin" (`name` as table_input
/// gives it): for messages.
[[nodiscard]] std::string the_summary(std::string_view name);

/// What a summary states about itself in the constant columns `cltv
/// summarize` ends its rows with; nullopt where the column is absent (a
/// summary made elsewhere: its unit is unknown).
struct summary_stamp {
  std::optional<double> time_unit_days;
  std::optional<period_unit> freq;
  std::optional<day_number> observation_end;
  std::optional<day_number> calibration_end;
};

/// Reads a summary's stamp columns (time_unit_days, freq, observation_end,
/// calibration_end) alongside its other columns: each found one is checked on
/// the first row and must hold the same value on every row (an empty field,
/// or an absent or null NDJSON key, states nothing, and so on every row).
class summary_stamp_reader {
 public:
  /// Appends the stamp columns, all optional, to `columns` (before opening).
  void add_columns(std::vector<named_column>& columns);
  /// Checks the current row's stamp fields; `at` is open_named_columns' index
  /// of the columns. The error, fatal even with --skip-bad-rows (the stamp
  /// is the file's, not the row's), names the line.
  [[nodiscard]] std::optional<error> check_row(const table_input& in,
                                               std::span<const std::optional<std::size_t>> at);
  [[nodiscard]] const summary_stamp& stamp() const noexcept { return stamp_; }
  /// Makes the stamp's columns of `in` fixed fields of `rows`, each to hold
  /// the first row's text on every row: false (and `rows` unchanged) before
  /// check_row saw a row.
  [[nodiscard]] bool add_fixed_fields(const table_input& in,
                                      std::span<const std::optional<std::size_t>> at,
                                      whole_number_rows& rows) const;

 private:
  static constexpr std::size_t count = 4;
  std::size_t first_ = 0;  // the index of time_unit_days among the columns
  bool seen_ = false;
  std::uint64_t first_line_ = 0;
  std::array<std::optional<std::string>, count> text_{};  // the first row's fields
  summary_stamp stamp_;
};

/// Reads the rows of `in` after its current one a block at a time
/// (table_input::next_block): each block's rows through `layout` to `take`
/// (whole_number_rows::scan) as far as they fit, and the rest of the block
/// through `general`, called with a reader over those rows (their own line
/// numbers; its skipped rows are added to `in`'s), which returns a fatal
/// error or nullopt. Returns the first fatal error, or the input's failure.
/// Precondition: in.splittable() and layout.usable().
template <class Take, class General>
[[nodiscard]] std::optional<error> read_whole_number_rows(table_input& in,
                                                          const whole_number_rows& layout,
                                                          Take&& take, General&& general) {
  row_block block;
  while (in.next_block(block)) {
    const whole_number_rows::stop stop = layout.scan(block, take);
    if (stop.offset == block.size) continue;
    std::memmove(block.bytes.data(), block.bytes.data() + stop.offset, block.size - stop.offset);
    block.size -= stop.offset;
    block.first_line = stop.line;
    table_input rest = in.over_block(std::move(block));
    while (rest.next())
      if (std::optional<error> e = general(rest)) return e;
    in.add_skipped_rows(rest);
    if (std::optional<error> e = rest.failure()) return e;
    block = rest.take_block();
  }
  return in.failure();
}

/// The column flags of an RFM summary, as typed.
struct summary_columns {
  std::string id;
  std::string frequency;
  std::string recency;
  std::string T;
  std::string monetary;
};

/// Declares --frequency-col, --recency-col, --T-col and (when `monetary`)
/// --monetary-col, and returns them: options of a SUMMARY, not of a log. (The
/// id column's --customer-col is declared with the log's options, which a
/// summary shares: add_log_summary_options.)
std::vector<const CLI::Option*> add_summary_column_options(CLI::App& app, summary_columns& columns,
                                                           bool monetary);

/// The input of predict and clv: a SUMMARY argument, or a transaction log
/// (--log FILE) that the command summarizes itself, read as `cltv summarize`
/// reads it, with the same options (add_log_summary_options).
struct summary_source {
  std::string summary;      // the SUMMARY argument; empty: not given
  log_summary_options log;  // --log FILE and how to read it; its table options read a SUMMARY too
  summary_columns columns;  // a SUMMARY's columns (the id: --customer-col, in `log`)
  log_summary_flags log_flags;
  std::vector<const CLI::Option*> summary_only;  // the column options

  /// --from URI --table NAME, where the command declares them
  /// (add_database_source_options): the log is a PostgreSQL table,
  /// summarized there as `log` says.
  database_log database;

  [[nodiscard]] bool from_log() const noexcept { return !log.log.table.path.empty(); }
  /// Whether the command makes the summary (from --log or --from) rather
  /// than reading a SUMMARY.
  [[nodiscard]] bool summarized() const noexcept { return from_log() || database.given(); }
  /// The input's name: the SUMMARY or the log ("-": stdin), or the database
  /// table's display name.
  [[nodiscard]] std::string path() const {
    if (database.given()) return database.display_name();
    return from_log() ? log.log.table.path : summary;
  }
};

/// Declares SUMMARY (with `summary_help`), --log with summarize's read
/// options, and the summary's column options (add_summary_column_options).
void add_summary_source_options(CLI::App& app, summary_source& source, bool monetary,
                                const std::string& summary_help);

/// Declares --from and --table beside the options of
/// add_summary_source_options (which come first).
void add_database_source_options(CLI::App& app, summary_source& source);

/// Exactly one input, and no option that only applies to the other: the
/// message when not, or nullopt.
[[nodiscard]] std::optional<std::string> summary_source_conflict(const summary_source& source);

/// --time-unit as the unit a SUMMARY is in (nullopt: not given); with --log
/// it is the unit the log is summarized in, which the summary states itself.
[[nodiscard]] result<std::optional<double>> given_summary_unit(const summary_source& source);

/// The table options and columns that read the SUMMARY argument.
[[nodiscard]] table_input_options summary_table(const summary_source& source);
[[nodiscard]] summary_columns summary_columns_of(const summary_source& source);

/// What a command needs from the summary.
struct summary_needs {
  bool recency_and_T = true;  // BG/NBD predictions
  bool monetary = false;      // spend predictions (read only where frequency > 0)
  /// A calibration summary's holdout: frequency_holdout and duration_holdout
  /// (lifetimes' calibration_and_holdout_data and `cltv summarize
  /// --calibration-end` name them so).
  bool holdout = false;
};

/// The customers of a summary, in file order.
struct summary_data {
  std::string name;                     // "summary.csv" / "stdin"
  std::string id_name;                  // the id column's name, or "row" (1-based row numbers)
  std::vector<models::rfm_tuple> rows;  // x, t_x, T (0, 0, 0 when not needed); count 1
  std::vector<double> monetary;         // when needed (0 where frequency is 0)
  std::vector<double> holdout_purchases, holdout_duration;  // when needed
  std::uint64_t skipped_rows = 0;
  std::string skipped_note;   // for stderr; empty when none
  summary_stamp stamp;        // what the summary says of itself
  bool of_log = false;        // summarized from the log `name` (--log), not read
  std::string left_out_note;  // --log: customers left out, for stderr; empty when none

  /// Adds a customer (the rows of a log's summary).
  void append(std::string_view id, const models::rfm_tuple& row) {
    rows.push_back(row);
    ids_ += id;
    id_end_.push_back(ids_.size());
  }

  [[nodiscard]] std::string_view id(std::size_t i) const noexcept {
    return std::string_view(ids_).substr(id_end_[i] - id_length(i), id_length(i));
  }
  [[nodiscard]] std::size_t size() const noexcept { return rows.size(); }

 private:
  friend result<summary_data> read_summary(const table_input_options&, const summary_columns&,
                                           const summary_needs&);
  [[nodiscard]] std::size_t id_length(std::size_t i) const noexcept {
    return id_end_[i] - (i == 0 ? 0 : id_end_[i - 1]);
  }
  std::string ids_;  // every id, back to back
  std::vector<std::size_t> id_end_;
};

/// Reads and checks every row (check_rfm_tuple's rules; a bad row stops the
/// run with its line number, or is counted with --skip-bad-rows). The id
/// column defaults to customer_id, else ID, else id; without one, rows are
/// numbered. Fails on an empty summary.
[[nodiscard]] result<summary_data> read_summary(const table_input_options& table,
                                                const summary_columns& columns,
                                                const summary_needs& needs);

}  // namespace cltv::cli
