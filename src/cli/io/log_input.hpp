#pragma once
// Transaction logs and customer records as rows of typed values: the column
// options shared by summarize, metrics and lifespan, and the row checks
// (missing column, bad date, bad or negative amount) with line numbers.
// The input is delimited text (CSV, TSV, …) or NDJSON; the row checks see the
// same text fields either way.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/date.hpp"
#include "cltv/error.hpp"
#include "cltv/money.hpp"
#include "cltv/number.hpp"
#include "io/id_table.hpp"
#include "io/ndjson_rows.hpp"
#include "io/table_reader.hpp"
#include "io/text.hpp"

namespace cltv::cli {

/// The options that say how to read a delimited file, as typed.
struct table_input_options {
  std::string path;
  std::string input_format = "auto";  // csv, ndjson; auto: by the path's extension
  std::string delimiter;              // empty: "," (and not given, which NDJSON needs)
  bool no_header = false;
  std::string date_format;  // empty: ISO 8601
  bool skip_bad_rows = false;
  /// The input's CSV text when it was fetched already (a summary computed in
  /// a database: --from): read instead of a file, and `path` only names it
  /// in messages.
  std::shared_ptr<const std::string> fetched;
};

/// Declares --input-format, --delimiter, --no-header, --date-format (when the
/// rows hold `dates`: not for summaries) and --skip-bad-rows.
void add_table_input_options(CLI::App& app, table_input_options& options, bool dates = true);

/// A date flag given beside dated rows (--observation-end, --calibration-end,
/// --as-of): in the --date-format layout (`layout_text`, empty: none) or ISO 8601
/// (parse_date_option); nullopt when not given.
[[nodiscard]] result<std::optional<day_number>> parse_date_flag(std::string_view field,
                                                                const std::string& text,
                                                                const std::string& layout_text);

/// Whether the input is read as NDJSON: --input-format ndjson, or auto and a
/// path ending in .ndjson or .jsonl (gzipped or not); stdin is CSV unless said.
[[nodiscard]] bool reads_ndjson(const table_input_options& options);

/// "log.csv" / "stdin", for messages.
[[nodiscard]] std::string display_name(const std::string& path);

/// The transaction-log inputs of summarize and metrics, as typed.
struct transaction_log_options {
  table_input_options table;
  std::string customer_col = "customer_id";
  std::string date_col = "date";
  std::string amount_col = "amount";
  bool allow_refunds = false;
};

/// How a command names its log: summarize's LOG argument, or `--log FILE`
/// beside the SUMMARY argument of predict and clv (one or the other is read).
enum class log_argument { positional, option };

/// Declares LOG (or --log), --customer-col, --date-col, --amount-col,
/// --allow-refunds and the table options (add_table_input_options).
void add_transaction_log_options(CLI::App& app, transaction_log_options& options,
                                 log_argument from = log_argument::positional);

/// How `cltv summarize` reads a log and summarizes it, as typed: every option
/// of summarize but its output --format.
struct log_summary_options {
  transaction_log_options log;
  bool no_amount = false;
  std::string freq = "D";
  std::string observation_end;
  std::string calibration_end;
  std::string calibration_periods;
  std::string time_unit;  // empty: the --freq period
  bool sorted = false;
};

/// Declares --no-amount (unless not `amounts`), --freq, --observation-end,
/// --calibration-end and --calibration-periods: how a log becomes a summary,
/// wherever the log is (a file here, a table for `cltv sql summarize`).
void add_summary_period_options(CLI::App& app, log_summary_options& options, bool amounts = true);

/// The options add_log_summary_options declared beside a SUMMARY argument.
struct log_summary_flags {
  /// --customer-col: the id column of the log or of the summary, whichever is read.
  const CLI::Option* customer_col = nullptr;
  /// The options that apply only to a log: a summary has no dates, amounts or
  /// periods. Any option declared here later is one of them unless it is
  /// one of the few that a summary shares (see the definition).
  std::vector<const CLI::Option*> log_only;
};

/// Declares summarize's read options, in one place for every command that
/// summarizes a log itself (summarize, and predict and clv with --log): the
/// log's columns and table options (add_transaction_log_options), --no-amount,
/// --freq, --observation-end, --calibration-end, --calibration-periods,
/// --time-unit and --sorted. --customer-col, --time-unit and the table options
/// other than --date-format mean the same for a SUMMARY argument.
log_summary_flags add_log_summary_options(CLI::App& app, log_summary_options& options,
                                          log_argument from);

/// The first of `options` given on the command line, or nullptr.
[[nodiscard]] const CLI::Option* first_given(std::span<const CLI::Option* const> options);

/// A column chosen by name (or, without a header, by 1-based position).
struct column_choice {
  std::string field;  // "customer_id", for messages
  std::string flag;   // "--customer-col"
  std::string text;   // as typed
  bool optional = false;
};

/// Opens the file, reads the header (unless --no-header) and resolves the
/// columns; each row is then checked and converted by the caller with the
/// helpers below. Errors are one line, naming the file and, for a row, the line.
///
/// With NDJSON input the columns are keys: each line is an object and a
/// column's field is its key's value as text (ndjson_rows); null or absent is
/// a missing field. A line that is not an object (or not JSON, or holds an
/// object, array or boolean under a key asked for) is a bad row, counted or
/// fatal inside next() as a row that fails its checks would be; a fatal one
/// ends next() and is failure().
class table_input {
 public:
  [[nodiscard]] static result<table_input> open(const table_input_options& options,
                                                std::span<const column_choice> columns);

  /// Advances to the next row; false at the end or on a read error (failure()).
  [[nodiscard]] bool next() {
    if (ndjson_) return next_ndjson();
    return csv_->next();
  }
  [[nodiscard]] std::optional<error> failure() const;

  /// Field of the column `i` of those given to open(); nullopt when the row is
  /// too short (or the optional column was not found; with NDJSON: when the
  /// key is absent or null).
  [[nodiscard]] std::optional<std::string_view> field(std::size_t column) const noexcept {
    const std::size_t at = positions_[column];
    if (ndjson_) return json_->value(at);
    const auto fields = csv_->fields();
    if (at >= fields.size()) return std::nullopt;
    return fields[at];
  }
  [[nodiscard]] bool has_column(std::size_t column) const noexcept {
    return positions_[column] != absent;
  }
  [[nodiscard]] std::uint64_t line() const noexcept {
    return ndjson_ ? json_->line() : csv_->line();
  }
  [[nodiscard]] std::uint64_t bytes() const noexcept {
    return ndjson_ ? json_->bytes() : csv_->bytes();
  }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

  /// A row's field, or an error naming the missing column (or key).
  [[nodiscard]] result<std::string_view> require(std::size_t column) const;

  /// The date in column `column`: ISO 8601 or the --date-format layout.
  [[nodiscard]] result<day_number> date(std::size_t column) const;

  /// "path line N: message", the text of a row error (of the current row, or
  /// of line `line`).
  [[nodiscard]] std::string row_message(const error& e) const;
  [[nodiscard]] std::string row_message(const error& e, std::uint64_t line) const;

  /// Counts a bad row: returns the fatal error unless --skip-bad-rows, in
  /// which case the row is counted (and the first one remembered).
  [[nodiscard]] std::optional<error> bad_row(const error& e);
  [[nodiscard]] std::uint64_t skipped_rows() const noexcept { return skipped_; }
  /// One line for stderr after the run: "skipped 3 bad rows of log.csv (first: …)";
  /// empty when none were skipped.
  [[nodiscard]] std::string skipped_note() const;

 private:
  static constexpr std::size_t absent = ~std::size_t{0};
  explicit table_input(std::string name) : name_(std::move(name)) {}
  [[nodiscard]] static result<table_input> open_ndjson(const table_input_options& options,
                                                       std::span<const column_choice> columns,
                                                       std::optional<date_format> format);
  [[nodiscard]] bool next_ndjson();

  // One of the two, as ndjson_ says.
  bool ndjson_ = false;
  std::optional<table_reader> csv_;
  std::optional<ndjson_rows> json_;
  std::optional<error> stopped_;  // NDJSON: the fatal bad row that ended next()
  std::string name_;
  std::vector<std::size_t> positions_;  // CSV: field index; NDJSON: key index
  std::vector<std::string> fields_;     // the columns' field names, for messages
  std::optional<date_format> format_;
  bool skip_bad_rows_ = false;
  std::uint64_t skipped_ = 0;
  std::string first_skipped_;
};

/// Opens the log with its customer, date and amount columns (in that order);
/// without `with_amount` the amount column is not read.
[[nodiscard]] result<table_input> open_transaction_log(const transaction_log_options& options,
                                                       bool with_amount);

/// One checked row of a transaction log.
struct transaction {
  std::uint32_t customer = 0;  // dense index from the id_table
  day_number day = 0;
  decimal_amount amount;  // 0 without an amount column
  std::uint64_t line = 0;
};

struct transaction_columns {
  std::size_t customer = 0, date = 1, amount = 2;
  bool with_amount = true;
  bool allow_refunds = false;
};

/// Reads every row of `in` as a transaction: checks it (a bad row stops the
/// run, or is counted with --skip-bad-rows), interns its customer id in `ids`,
/// and hands it to `sink` (which may return an error to stop). Rows go in
/// batches: ids are hashed and their slots prefetched a batch ahead, and
/// `prefetch(customer, day)` is called for a whole batch before `sink` sees
/// it, so that the cache misses of random customers overlap instead of
/// queueing. Returns the error that stopped the run, if any (message complete).
template <class Prefetch, class Sink>
std::optional<error> read_transactions(table_input& in, const transaction_columns& cols,
                                       id_table& ids, Prefetch&& prefetch, Sink&& sink);

/// A customer id's checks: not empty, not too long to intern, printable
/// text (unprintable_id).
[[nodiscard]] inline std::optional<error> check_customer_id(std::string_view id) {
  static_assert(id_table::max_length == 65535, "the message names the limit");
  if (id.empty()) return error{"customer_id", "customer_id is empty"};
  if (id.size() > id_table::max_length)
    return error{"customer_id", "customer_id is longer than 65535 bytes"};
  if (std::string why = unprintable_id("customer_id", id); !why.empty())
    return error{"customer_id", std::move(why)};
  return std::nullopt;
}

namespace detail {

struct pending_row {
  std::size_t id_offset;
  std::size_t id_length;
  std::uint64_t hash;
  transaction t;
};

/// Checks one row; nullopt when it is bad (counted or fatal: see `fatal`).
inline bool check_row(table_input& in, const transaction_columns& cols, std::string_view& id,
                      transaction& t, std::optional<error>& fatal) {
  const auto bad = [&](const error& e) {
    fatal = in.bad_row(e);
    return false;
  };
  // Plain field access on the common path; require() only builds the error.
  const std::optional<std::string_view> customer = in.field(cols.customer);
  if (!customer) return bad(in.require(cols.customer).error());
  if (auto e = check_customer_id(*customer)) return bad(*e);
  auto day = in.date(cols.date);
  if (!day) return bad(day.error());
  t.amount = decimal_amount{};
  if (cols.with_amount) {
    const std::optional<std::string_view> text = in.field(cols.amount);
    if (!text) return bad(in.require(cols.amount).error());
    auto amount = parse_decimal_amount("amount", *text, cols.allow_refunds);
    if (!amount) return bad(amount.error());
    t.amount = *amount;
  }
  id = *customer;
  t.day = *day;
  t.line = in.line();
  return true;
}

}  // namespace detail

template <class Prefetch, class Sink>
std::optional<error> read_transactions(table_input& in, const transaction_columns& cols,
                                       id_table& ids, Prefetch&& prefetch, Sink&& sink) {
  constexpr std::size_t batch_size = 32;
  std::vector<detail::pending_row> batch;
  batch.reserve(batch_size);
  std::string batch_ids;  // the batch's ids: the reader's fields die at next()
  const auto drain = [&]() -> std::optional<error> {
    for (detail::pending_row& p : batch) {
      p.t.customer =
          ids.intern(std::string_view(batch_ids).substr(p.id_offset, p.id_length), p.hash);
      prefetch(p.t.customer, p.t.day);
    }
    for (const detail::pending_row& p : batch)
      if (auto e = sink(p.t)) return error{e->field, in.row_message(*e, p.t.line)};
    batch.clear();
    batch_ids.clear();
    return std::nullopt;
  };
  while (in.next()) {
    std::string_view id;
    detail::pending_row p{};
    std::optional<error> fatal;
    if (!detail::check_row(in, cols, id, p.t, fatal)) {
      if (fatal) return fatal;
      continue;
    }
    p.hash = id_table::hash(id);
    ids.prefetch(p.hash);
    p.id_offset = batch_ids.size();
    p.id_length = id.size();
    batch_ids.append(id);
    batch.push_back(p);
    if (batch.size() == batch_size)
      if (auto e = drain()) return e;
  }
  if (auto e = drain()) return e;
  return in.failure();
}

}  // namespace cltv::cli
