#pragma once
// Transaction logs and customer records as rows of typed values: the column
// options shared by summarize, metrics and lifespan, and the row checks
// (missing column, bad date, bad or negative amount) with line numbers.
// The input is delimited text (CSV, TSV, …) or NDJSON; the row checks see the
// same text fields either way.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <functional>

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

class transaction_rows;

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
  /// --threads as typed (parse_thread_count; empty: the available cores).
  std::string threads;
};

/// How a command names its log: summarize's LOG argument, or `--log FILE`
/// beside the SUMMARY argument of predict and clv (one or the other is read).
enum class log_argument { positional, option };

/// Declares LOG (or --log), --customer-col, --date-col, --amount-col,
/// --allow-refunds, the table options (add_table_input_options) and, with
/// LOG, --threads (a command that reads --log declares its own --threads).
void add_transaction_log_options(CLI::App& app, transaction_log_options& options,
                                 log_argument from = log_argument::positional);

/// Declares --threads N: the threads that parse a delimited log.
void add_log_threads_option(CLI::App& app, std::string& threads);

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
  /// Delimited text: the 0-based field position of column `column`
  /// (has_column), and the delimiter ('\0': runs of blanks); for readers
  /// that take blocks of rows apart themselves (whole_number_rows).
  [[nodiscard]] std::size_t field_position(std::size_t column) const noexcept {
    return positions_[column];
  }
  [[nodiscard]] char field_delimiter() const noexcept { return delimiter_; }
  /// Whether dates are read as ISO 8601 (no --date-format layout).
  [[nodiscard]] bool iso_dates() const noexcept { return !format_; }
  [[nodiscard]] std::uint64_t line() const noexcept {
    return ndjson_ ? json_->line() : csv_->line();
  }
  [[nodiscard]] std::uint64_t bytes() const noexcept {
    return ndjson_ ? json_->bytes() : csv_->bytes();
  }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

  /// Whether the rest of the input can be cut into blocks of rows that are
  /// parsed apart (delimited text; NDJSON is read in one piece).
  [[nodiscard]] bool splittable() const noexcept { return !ndjson_; }
  /// The next block of rows (table_reader::next_block); false at the end.
  /// Precondition: splittable().
  [[nodiscard]] bool next_block(row_block& out) { return csv_->next_block(out); }
  /// An input over `block` with this one's columns, row checks and name,
  /// which counts its own skipped rows (add_skipped_rows).
  [[nodiscard]] table_input over_block(row_block&& block) const;
  /// The block's buffer back from an input made by over_block, which reads
  /// no more rows after (its skipped rows stay).
  [[nodiscard]] row_block take_block();
  /// Counts the rows a block's input skipped, as if skipped here; blocks are
  /// added in input order, so the first skipped row stays the first.
  void add_skipped_rows(const table_input& block);

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
  char delimiter_ = ',';
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

/// How read_transactions reads a log and what it does with each row.
///
///   - `check(t)` sees every row, in input order, one at a time, with
///     t.customer the customer's dense index in `ids`: an error it returns
///     stops the run at that row (--sorted's order check).
///   - The customers are split among `shards`: the log's customer c is
///     customer c / shards of shard c % shards. `prefetch(shard, customer,
///     day, prefetch_stage::state)`, then `prefetch(…, prefetch_stage::more)`
///     and then `add(shard, t)` see the rows of one shard's customers in
///     input order, one call at a time per shard (the shards run in
///     parallel: state per shard needs no lock).
///   - A delimited input is cut into blocks of rows that are parsed and
///     checked on `threads` threads (the common rows by transaction_rows),
///     the ids interned a block at a time in input order, and the shards'
///     rows added while later blocks are parsed. The result does not depend
///     on `threads`. NDJSON is read a row at a time, on one thread.
struct log_reading {
  int threads = 1;
  std::size_t shards = 1;
};

/// The two hints read_transactions gives a row's consumer before `add`, a
/// group of rows apart: `state`, to start loading the customer's state;
/// `more`, once that state has had time to arrive, to start loading what
/// it points to (a shared set the row will probe).
enum class prefetch_stage { state, more };

/// Reads every row of `in` as a transaction: checks it (a bad row stops the
/// run, or is counted with --skip-bad-rows), interns its customer id in `ids`
/// and hands it over as log_reading says. Rows go in batches: ids are hashed
/// and their slots prefetched a batch ahead, and `prefetch` is called for a
/// whole batch before `add` sees it, so that the cache misses of random
/// customers overlap instead of queueing. Returns the first error, in input
/// order, that stopped the run (message complete), if any; the rows added
/// before it are then unspecified.
template <class Check, class Prefetch, class Add>
std::optional<error> read_transactions(table_input& in, const transaction_columns& cols,
                                       id_table& ids, const log_reading& how, Check&& check,
                                       Prefetch&& prefetch, Add&& add);

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

/// Checked rows with their ids, in input order: a batch, or a block's rows.
struct parsed_rows {
  std::vector<pending_row> rows;
  std::string ids;  // the rows' ids: the reader's fields die at next()
  /// The error that ended the rows (a bad row, or the reader's failure),
  /// message complete; nullopt when the input (or block) ended.
  std::optional<error> fatal;

  void clear() {
    rows.clear();
    ids.clear();
    fatal.reset();
  }
  [[nodiscard]] std::string_view id(const pending_row& p) const noexcept {
    return std::string_view(ids).substr(p.id_offset, p.id_length);
  }
};

/// Appends up to `limit` checked rows of `in` to `out`, prefetching their id
/// slots in `ids` when given. False when the input ended or a fatal error
/// (out.fatal) ended it.
bool parse_rows(table_input& in, const transaction_columns& cols, parsed_rows& out,
                std::size_t limit, const id_table* ids);

/// Parses the rows of `text`, a block of `in`'s rows (next_block), into
/// `out` (cleared first): the common rows by `fast` when given, the rest from
/// the first row it leaves by the general reader (parse_rows). Returns the
/// input that read the rest: its skipped rows, and the block's buffer
/// (take_block).
table_input parse_block_rows(const table_input& in, const transaction_columns& cols,
                             const transaction_rows* fast, row_block&& text, parsed_rows& out);

/// The stages of read_transactions on several threads, type-erased: called
/// once per block.
struct block_stages {
  /// In input order, one block at a time: interns the rows' ids into
  /// `customers` and checks them; an error stops the run.
  std::function<std::optional<error>(const parsed_rows&, std::vector<std::uint32_t>&)> intern;
  /// For each shard, in input order, one block at a time per shard.
  std::function<void(std::size_t, const parsed_rows&, const std::vector<std::uint32_t>&)> add;
};

/// Parses the rest of `in` on `threads` threads (the calling one too), a
/// block of rows at a time (parse_rows), and runs `stages` over the blocks;
/// their skipped rows are counted in `in`, in input order. Stops at the
/// first error `intern` returns, or at a block's fatal error once its rows
/// are interned. Precondition: in.splittable().
std::optional<error> parse_in_blocks(table_input& in, const transaction_columns& cols,
                                     const log_reading& how, const block_stages& stages);

constexpr std::size_t prefetch_group = 32;

/// Interns the ids of `rows` into `customers` and checks each row in order,
/// the next group's id slots prefetched (see read_transactions).
template <class Check>
std::optional<error> intern_rows(const parsed_rows& rows, const table_input& in, id_table& ids,
                                 Check& check, std::vector<std::uint32_t>& customers) {
  const std::size_t n = rows.rows.size();
  customers.resize(n);
  for (std::size_t g = 0; g < n; g += prefetch_group) {
    const std::size_t end = std::min(n, g + prefetch_group);
    for (std::size_t i = end; i < std::min(n, end + prefetch_group); ++i)
      ids.prefetch(rows.rows[i].hash);
    for (std::size_t i = g; i < end; ++i) {
      const pending_row& p = rows.rows[i];
      customers[i] = ids.intern(rows.id(p), p.hash);
      transaction t = p.t;
      t.customer = customers[i];
      if (auto e = check(t)) return error{e->field, in.row_message(*e, t.line)};
    }
  }
  return std::nullopt;
}

/// Hands shard `shard`'s rows of `rows` to `prefetch` and `add` in groups:
/// while a group is added, the next is prefetched (prefetch_stage::more) and
/// the one after it too (prefetch_stage::state; see read_transactions).
template <class Prefetch, class Add>
void add_rows(std::size_t shard, std::size_t shards, const parsed_rows& rows,
              const std::vector<std::uint32_t>& customers, Prefetch& prefetch, Add& add) {
  const std::size_t n = rows.rows.size();
  // 32-bit division: shards are few (max_threads), customers below 2^32.
  const auto count_of_shards = static_cast<std::uint32_t>(shards);
  const auto this_shard = static_cast<std::uint32_t>(shard);
  // Rows of the shard: the group being added and the two after it.
  std::array<std::array<std::uint32_t, prefetch_group>, 3> mine{};
  std::array<std::size_t, 3> count{};
  const auto take = [&](std::size_t g, std::size_t slot) {
    count[slot] = 0;
    for (std::size_t i = g; i < std::min(n, g + prefetch_group); ++i) {
      if (customers[i] % count_of_shards != this_shard) continue;
      mine[slot][count[slot]++] = static_cast<std::uint32_t>(i);
      prefetch(shard, customers[i] / count_of_shards, rows.rows[i].t.day, prefetch_stage::state);
    }
  };
  const auto prefetch_more = [&](std::size_t slot) {
    for (std::size_t k = 0; k < count[slot]; ++k) {
      const std::uint32_t i = mine[slot][k];
      prefetch(shard, customers[i] / count_of_shards, rows.rows[i].t.day, prefetch_stage::more);
    }
  };
  take(0, 0);
  take(prefetch_group, 1);
  prefetch_more(0);
  for (std::size_t g = 0, slot = 0; g < n; g += prefetch_group, slot = (slot + 1) % 3) {
    take(g + 2 * prefetch_group, (slot + 2) % 3);
    prefetch_more((slot + 1) % 3);
    for (std::size_t k = 0; k < count[slot]; ++k) {
      transaction t = rows.rows[mine[slot][k]].t;
      t.customer = customers[mine[slot][k]] / count_of_shards;
      add(shard, t);
    }
  }
}

}  // namespace detail

template <class Check, class Prefetch, class Add>
std::optional<error> read_transactions(table_input& in, const transaction_columns& cols,
                                       id_table& ids, const log_reading& how, Check&& check,
                                       Prefetch&& prefetch, Add&& add) {
  const std::size_t shards = std::max<std::size_t>(how.shards, 1);
  if (in.splittable()) {
    detail::block_stages stages;
    stages.intern = [&](const detail::parsed_rows& rows, std::vector<std::uint32_t>& customers) {
      return detail::intern_rows(rows, in, ids, check, customers);
    };
    stages.add = [&](std::size_t shard, const detail::parsed_rows& rows,
                     const std::vector<std::uint32_t>& customers) {
      detail::add_rows(shard, shards, rows, customers, prefetch, add);
    };
    return detail::parse_in_blocks(in, cols, how, stages);
  }
  // NDJSON: the rows of a batch are parsed while their id slots load.
  constexpr std::size_t batch_size = 4 * detail::prefetch_group;
  detail::parsed_rows batch;
  batch.rows.reserve(batch_size);
  std::vector<std::uint32_t> customers;
  for (;;) {
    batch.clear();
    const bool more = detail::parse_rows(in, cols, batch, batch_size, &ids);
    // The rows before a fatal error first: the first error in input order.
    if (auto e = detail::intern_rows(batch, in, ids, check, customers)) return e;
    for (std::size_t shard = 0; shard < shards; ++shard)
      detail::add_rows(shard, shards, batch, customers, prefetch, add);
    if (batch.fatal) return batch.fatal;
    if (!more) return std::nullopt;
  }
}

}  // namespace cltv::cli
