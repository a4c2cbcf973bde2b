#include "io/log_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "cltv/number.hpp"
#include "io/format_option.hpp"
#include "io/transaction_rows.hpp"

namespace cltv::cli {

namespace {

result<char> parse_delimiter(std::string_view text) {
  if (text == "whitespace" || text == "space") return '\0';
  if (text == "tab" || text == "\\t" || text == "\t") return '\t';
  if (text.size() == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r') return text[0];
  return error{"delimiter", "delimiter must be one character, \"tab\" or \"whitespace\", got \"" +
                                printable(text) + "\""};
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Checks one row; nullopt when it is bad (counted or fatal: see `fatal`).
bool check_row(table_input& in, const transaction_columns& cols, std::string_view& id,
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

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 12; ++i) {
    if (i) out += ", ";
    out += printable(names[i]);
  }
  if (names.size() > 12) out += ", …";
  return out;
}

}  // namespace

void add_table_input_options(CLI::App& app, table_input_options& options, bool dates) {
  add_format_option(app, options.input_format, {"csv", "ndjson"},
                    "csv, or ndjson: one JSON object a line, columns named by key (default: "
                    "ndjson for *.ndjson, *.jsonl and their .gz, else csv)",
                    "csv|ndjson", "--input-format");
  app.add_option("--delimiter", options.delimiter,
                 "Field separator: one character, \"tab\" or \"whitespace\" (default \",\")")
      ->option_text("CHAR");
  app.add_flag("--no-header", options.no_header,
               "The first row is data: choose columns by 1-based position");
  if (dates)
    app.add_option("--date-format", options.date_format,
                   "strptime-style layout of the dates, e.g. %Y%m%d (default: ISO 8601)")
        ->option_text("LAYOUT");
  app.add_flag("--skip-bad-rows", options.skip_bad_rows,
               "Skip rows that fail to parse, count them on stderr (default: stop with exit 2)");
}

void add_log_threads_option(CLI::App& app, std::string& threads) {
  app.add_option("--threads", threads,
                 "Threads that parse a CSV log (default: the available cores; the output does "
                 "not depend on it)")
      ->option_text("N");
}

void add_transaction_log_options(CLI::App& app, transaction_log_options& o, log_argument from) {
  if (from == log_argument::positional) {
    app.add_option("log", o.table.path, "Transaction log: CSV or NDJSON (or .gz), - for stdin")
        ->required()
        ->option_text("LOG");
    app.add_option("--customer-col", o.customer_col, "Customer id column (default customer_id)")
        ->option_text("NAME|N");
  } else {
    app.add_option("--log", o.table.path,
                   "Transaction log to summarize as `cltv summarize` does, instead of a SUMMARY: "
                   "CSV or NDJSON (or .gz), - for stdin")
        ->option_text("FILE");
    app.add_option("--customer-col", o.customer_col,
                   "Customer id column of the log or SUMMARY (default customer_id; in a "
                   "SUMMARY, else ID, else id)")
        ->option_text("NAME|N");
  }
  app.add_option("--date-col", o.date_col, "Date column (default date)")->option_text("NAME|N");
  app.add_option("--amount-col", o.amount_col, "Amount column (default amount)")
      ->option_text("NAME|N");
  app.add_flag("--allow-refunds", o.allow_refunds, "Accept negative amounts");
  add_table_input_options(app, o.table);
  if (from == log_argument::positional) add_log_threads_option(app, o.threads);
}

void add_summary_period_options(CLI::App& app, log_summary_options& o, bool amounts) {
  if (amounts)
    app.add_flag("--no-amount", o.no_amount, "The log has no amounts: omit monetary_value");
  app.add_option("--freq", o.freq,
                 "Period purchases are grouped in: D (day), W (week), M (month), Y (year)")
      ->option_text("D|W|M|Y");
  app.add_option("--observation-end", o.observation_end,
                 "Ignore purchases after this date; T runs to it (default: last date in the log)")
      ->option_text("DATE");
  app.add_option("--calibration-end", o.calibration_end,
                 "Split: summary up to this date, holdout columns after it")
      ->option_text("DATE");
  app.add_option("--calibration-periods", o.calibration_periods,
                 "Split N --freq periods after the log's first date (that day included)")
      ->option_text("N");
}

log_summary_flags add_log_summary_options(CLI::App& app, log_summary_options& o,
                                          log_argument from) {
  const std::size_t before = app.get_options().size();
  add_transaction_log_options(app, o.log, from);
  add_summary_period_options(app, o);
  app.add_option(
         "--time-unit", o.time_unit,
         from == log_argument::positional
             ? "Unit of recency and T: days, weeks, months, years or N days (default: the --freq "
               "period)"
             : "Unit of recency and T: days, weeks, months, years or N days. With --log: the "
               "unit the log is summarized in (default: the --freq period); with a "
               "SUMMARY: its unit where it states none (it must agree where it does)")
      ->option_text("UNIT");
  app.add_flag("--sorted", o.sorted,
               "The log is ordered by date: memory per customer only (checked)");

  // What a summary shares with a log: its id column, unit and table layout.
  static constexpr std::array<std::string_view, 7> shared{
      "--log",       "--customer-col", "--time-unit",    "--input-format",
      "--delimiter", "--no-header",    "--skip-bad-rows"};
  log_summary_flags flags;
  const std::vector<const CLI::Option*> options = std::as_const(app).get_options();
  for (std::size_t i = before; i < options.size(); ++i) {
    const std::string name = options[i]->get_name();
    if (name == "--customer-col") flags.customer_col = options[i];
    if (std::find(shared.begin(), shared.end(), name) == shared.end() && name != "log")
      flags.log_only.push_back(options[i]);
  }
  return flags;
}

const CLI::Option* first_given(std::span<const CLI::Option* const> options) {
  const auto given =
      std::find_if(options.begin(), options.end(), [](const CLI::Option* o) { return o->count(); });
  return given == options.end() ? nullptr : *given;
}

result<std::optional<day_number>> parse_date_flag(std::string_view field, const std::string& text,
                                                  const std::string& layout_text) {
  if (text.empty()) return std::optional<day_number>();
  std::optional<date_format> layout;
  if (!layout_text.empty()) {
    auto compiled = date_format::compile(layout_text);
    if (!compiled) return std::move(compiled).error();
    layout = std::move(*compiled);
  }
  auto day = parse_date_option(field, text, layout ? &*layout : nullptr);
  if (!day) return std::move(day).error();
  return std::optional<day_number>(*day);
}

std::string display_name(const std::string& path) {
  return path == "-" ? std::string("stdin") : path;
}

bool reads_ndjson(const table_input_options& options) {
  if (options.fetched) return false;  // a database's result, fetched as CSV
  if (options.input_format == "ndjson") return true;
  if (options.input_format == "csv") return false;
  std::string lower = options.path;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  if (lower.ends_with(".gz")) lower.resize(lower.size() - 3);
  return lower.ends_with(".ndjson") || lower.ends_with(".jsonl");
}

result<table_input> table_input::open(const table_input_options& options,
                                      std::span<const column_choice> columns) {
  const bool ndjson = reads_ndjson(options);
  std::optional<date_format> format;
  if (!options.date_format.empty()) {
    auto compiled = date_format::compile(options.date_format);
    if (!compiled) return std::move(compiled).error();
    format = std::move(*compiled);
  }
  if (ndjson) return open_ndjson(options, columns, std::move(format));
  auto delimiter = parse_delimiter(options.delimiter.empty() ? "," : options.delimiter);
  if (!delimiter) return std::move(delimiter).error();
  auto reader = options.fetched ? result<table_reader>(table_reader::from_shared(
                                      options.fetched, table_options{*delimiter}))
                                : table_reader::open(options.path, table_options{*delimiter});
  if (!reader) return std::move(reader).error();
  table_input in(display_name(options.path));
  in.csv_.emplace(std::move(*reader));
  in.delimiter_ = *delimiter;
  in.format_ = std::move(format);
  in.skip_bad_rows_ = options.skip_bad_rows;

  std::vector<std::string> header;
  if (!options.no_header) {
    if (!in.csv_->next()) {
      if (auto e = in.failure()) return *e;
      return error{"input", in.name_ + " is empty (expected a header row)"};
    }
    const auto fields = in.csv_->fields();
    header.assign(fields.begin(), fields.end());
  }
  for (const column_choice& c : columns) {
    in.fields_.push_back(c.field);
    std::size_t position = absent;
    if (!options.no_header) {
      for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == c.text) position = i;
    }
    if (position == absent && all_digits(c.text)) {
      std::size_t n = 0;
      std::from_chars(c.text.data(), c.text.data() + c.text.size(), n);
      if (n >= 1 && n <= 100000) position = n - 1;
    }
    if (position == absent && !c.optional) {
      if (options.no_header)
        return error{c.field, fmt::format("{} must be a 1-based column position with --no-header, "
                                          "got \"{}\"",
                                          c.flag, printable(c.text))};
      return error{c.field, fmt::format("{}: no column \"{}\" in the header (columns: {}); "
                                        "choose one with {}",
                                        in.name_, printable(c.text), join_names(header), c.flag)};
    }
    in.positions_.push_back(position);
  }
  return in;
}

result<table_input> table_input::open_ndjson(const table_input_options& options,
                                             std::span<const column_choice> columns,
                                             std::optional<date_format> format) {
  if (options.no_header) return error{"no_header", "--no-header applies to CSV input, not NDJSON"};
  if (!options.delimiter.empty())
    return error{"delimiter", "--delimiter applies to CSV input, not NDJSON"};
  table_input in(display_name(options.path));
  in.ndjson_ = true;
  in.format_ = std::move(format);
  in.skip_bad_rows_ = options.skip_bad_rows;
  std::vector<std::string> keys;  // distinct: two columns may name one key
  for (const column_choice& c : columns) {
    // A number would be a column position with CSV: refused rather than read
    // as a key that no log has.
    if (all_digits(c.text))
      return error{c.field, fmt::format("{} takes a key name with NDJSON input (column positions "
                                        "apply to CSV), got \"{}\"",
                                        c.flag, printable(c.text))};
    in.fields_.push_back(c.field);
    const auto it = std::find(keys.begin(), keys.end(), c.text);
    in.positions_.push_back(static_cast<std::size_t>(it - keys.begin()));
    if (it == keys.end()) keys.push_back(c.text);
  }
  auto rows = ndjson_rows::open(options.path, std::move(keys));
  if (!rows) return std::move(rows).error();
  in.json_.emplace(std::move(*rows));
  return in;
}

bool table_input::next_ndjson() {
  while (json_->next()) {
    const auto& e = json_->row_error();
    if (!e) return true;
    if (auto stop = bad_row(*e)) {
      stopped_ = std::move(stop);
      return false;
    }
  }
  return false;
}

std::optional<error> table_input::failure() const {
  if (stopped_) return stopped_;
  const auto& f = ndjson_ ? json_->failure() : csv_->failure();
  if (!f) return std::nullopt;
  error e = *f;
  if (e.message.rfind(name_, 0) != 0) e.message = name_ + " " + e.message;
  return e;
}

result<std::string_view> table_input::require(std::size_t column) const {
  auto f = field(column);
  if (f) return *f;
  if (ndjson_) {
    const std::size_t key = positions_[column];
    const std::string& key_name = json_->key(key);
    const std::string alias = key_name == fields_[column] ? "" : " (" + fields_[column] + ")";
    if (json_->is_null(key))
      return error{fields_[column],
                   fmt::format("field \"{}\"{} is null", printable(key_name), alias)};
    return error{fields_[column],
                 fmt::format("missing field \"{}\"{}", printable(key_name), alias)};
  }
  const std::size_t size = csv_->fields().size();
  return error{fields_[column],
               fmt::format("missing column {} ({}): the row has {} field{}", positions_[column] + 1,
                           fields_[column], size, size == 1 ? "" : "s")};
}

result<day_number> table_input::date(std::size_t column) const {
  auto text = require(column);
  if (!text) return std::move(text).error();
  if (format_) return format_->parse(fields_[column], *text);
  return parse_iso_date(fields_[column], *text);
}

std::string table_input::row_message(const error& e) const {
  return row_message(e, line());
}

std::string table_input::row_message(const error& e, std::uint64_t line) const {
  return fmt::format("{} line {}: {}", name_, line, e.message);
}

std::optional<error> table_input::bad_row(const error& e) {
  if (!skip_bad_rows_) return error{e.field, row_message(e)};
  if (skipped_++ == 0) first_skipped_ = fmt::format("line {}: {}", line(), e.message);
  return std::nullopt;
}

std::string table_input::skipped_note() const {
  if (skipped_ == 0) return {};
  return fmt::format("skipped {} bad row{} of {} (first: {})", skipped_, skipped_ == 1 ? "" : "s",
                     name_, first_skipped_);
}

table_input table_input::over_block(row_block&& block) const {
  table_input in(name_);
  in.csv_.emplace(table_reader::over_block(std::move(block), table_options{delimiter_}));
  in.delimiter_ = delimiter_;
  in.positions_ = positions_;
  in.fields_ = fields_;
  in.format_ = format_;
  in.skip_bad_rows_ = skip_bad_rows_;
  return in;
}

row_block table_input::take_block() {
  row_block block = std::move(*csv_).take_block();
  csv_.reset();
  return block;
}

void table_input::add_skipped_rows(const table_input& block) {
  if (block.skipped_ == 0) return;
  if (skipped_ == 0) first_skipped_ = block.first_skipped_;
  skipped_ += block.skipped_;
}

result<table_input> open_transaction_log(const transaction_log_options& o, bool with_amount) {
  const std::array<column_choice, 3> columns{{
      {"customer_id", "--customer-col", o.customer_col, false},
      {"date", "--date-col", o.date_col, false},
      {"amount", "--amount-col", o.amount_col, !with_amount},
  }};
  return table_input::open(o.table, std::span(columns).first(with_amount ? 3 : 2));
}

namespace detail {

bool parse_rows(table_input& in, const transaction_columns& cols, parsed_rows& out,
                std::size_t limit, const id_table* ids) {
  for (std::size_t n = 0; n < limit; ++n) {
    if (!in.next()) {
      out.fatal = in.failure();
      return false;
    }
    std::string_view id;
    pending_row p{};
    std::optional<error> fatal;
    if (!check_row(in, cols, id, p.t, fatal)) {
      if (fatal) {
        out.fatal = std::move(fatal);
        return false;
      }
      continue;
    }
    p.hash = id_table::hash(id);
    if (ids != nullptr) ids->prefetch(p.hash);
    p.id_offset = out.ids.size();
    p.id_length = id.size();
    out.ids.append(id);
    out.rows.push_back(p);
  }
  return true;
}

table_input parse_block_rows(const table_input& in, const transaction_columns& cols,
                             const transaction_rows* fast, row_block&& text, parsed_rows& out) {
  out.clear();
  if (fast != nullptr) {
    const transaction_rows::stop stop = fast->scan(text, out);
    std::memmove(text.bytes.data(), text.bytes.data() + stop.offset, text.size - stop.offset);
    text.size -= stop.offset;
    text.first_line = stop.line;
  }
  table_input rest = in.over_block(std::move(text));
  while (parse_rows(rest, cols, out, ~std::size_t{0}, nullptr)) {
  }
  return rest;
}

namespace {

// A block of rows on its way: read, parsed (on any thread), interned (in
// input order), added by every shard (each in input order); then reused.
struct block_job {
  enum class stage { read, parsing, parsed, interning, interned };
  row_block text;
  parsed_rows rows;
  std::optional<table_input> input;  // after parsing: its skipped rows
  std::vector<std::uint32_t> customers;
  stage at = stage::read;
  std::size_t added = 0;  // shards done with it
};

void parse_block(const table_input& in, const transaction_columns& cols,
                 const transaction_rows* fast, block_job& job) {
  job.input.emplace(parse_block_rows(in, cols, fast, std::move(job.text), job.rows));
  job.text = job.input->take_block();
}

// The work of parse_in_blocks, shared by its threads under one lock. Each
// thread takes the most urgent task there is: adding a shard's rows (the
// oldest blocks, freeing them), interning the next block (the one stage
// in input order), reading a block (one thread at a time), parsing one.
class block_pipeline {
 public:
  block_pipeline(table_input& in, const transaction_columns& cols, const log_reading& how,
                 const block_stages& stages)
      : in_(in),
        cols_(cols),
        fast_(transaction_rows::of(in, cols)),
        stages_(stages),
        shards_(std::max<std::size_t>(how.shards, 1)),
        // Blocks in flight (about 3 MiB each with their rows): enough that
        // no thread waits for text, few enough to stay in the cache and to
        // keep memory from growing with the core count.
        depth_(std::min<std::size_t>(static_cast<std::size_t>(2 * how.threads) + 2, 16)),
        next_add_(shards_, 0),
        adding_(shards_, false) {}

  // Runs tasks until the input is done or the run stopped. An exception
  // (out of memory) stops every thread and is kept for the caller: thrown
  // on a helper thread it would end the process.
  void work() noexcept {
    std::unique_lock lock(mutex_);
    while (!stopped_ && !(input_done_ && queue_.empty())) {
      bool took = false;
      try {
        took = take_task(lock);
      } catch (...) {
        if (!lock.owns_lock()) lock.lock();
        if (!thrown_) thrown_ = std::current_exception();
        stopped_ = true;
        changed_.notify_all();
        return;
      }
      if (!took) changed_.wait(lock);
    }
  }

  [[nodiscard]] std::optional<error> failure() const { return failure_; }
  [[nodiscard]] std::exception_ptr thrown() const { return thrown_; }

 private:
  // The block numbered `n` (from 0), or nullptr when freed or not yet read.
  block_job* block(std::size_t n) {
    if (n < first_ || n - first_ >= queue_.size()) return nullptr;
    return queue_[n - first_];
  }

  // Runs one task; false when there is none. Under the lock (released while
  // the task runs).
  bool take_task(std::unique_lock<std::mutex>& lock) {
    for (std::size_t shard = 0; shard < shards_; ++shard) {
      block_job* job = block(next_add_[shard]);
      if (adding_[shard] || job == nullptr || job->at != block_job::stage::interned) continue;
      adding_[shard] = true;
      lock.unlock();
      stages_.add(shard, job->rows, job->customers);
      lock.lock();
      adding_[shard] = false;
      ++next_add_[shard];
      ++job->added;
      free_added();
      changed_.notify_all();
      return true;
    }
    if (block_job* job = block(next_intern_);
        !interning_ && job != nullptr && job->at == block_job::stage::parsed) {
      interning_ = true;
      job->at = block_job::stage::interning;
      lock.unlock();
      in_.add_skipped_rows(*job->input);
      std::optional<error> e = stages_.intern(job->rows, job->customers);
      if (!e && job->rows.fatal) e = job->rows.fatal;
      lock.lock();
      interning_ = false;
      job->at = block_job::stage::interned;
      ++next_intern_;
      if (e) stop(std::move(*e));
      changed_.notify_all();
      return true;
    }
    if (!reading_ && !input_done_ && queue_.size() < depth_) {
      reading_ = true;
      block_job* job = spare_job();
      lock.unlock();
      const bool more = in_.next_block(job->text);
      lock.lock();
      reading_ = false;
      if (more) {
        job->at = block_job::stage::read;
        job->added = 0;
        queue_.push_back(job);
      } else {
        input_done_ = true;
        idle_.push_back(job);
      }
      changed_.notify_all();
      return true;
    }
    for (block_job* job : queue_) {
      if (job->at != block_job::stage::read) continue;
      job->at = block_job::stage::parsing;
      lock.unlock();
      parse_block(in_, cols_, fast_ ? &*fast_ : nullptr, *job);
      lock.lock();
      job->at = block_job::stage::parsed;
      changed_.notify_all();
      return true;
    }
    return false;
  }

  block_job* spare_job() {
    if (idle_.empty()) {
      jobs_.push_back(std::make_unique<block_job>());
      return jobs_.back().get();
    }
    block_job* job = idle_.back();
    idle_.pop_back();
    return job;
  }

  // Frees the oldest blocks every shard is done with.
  void free_added() {
    while (!queue_.empty() && queue_.front()->added == shards_) {
      idle_.push_back(queue_.front());
      queue_.pop_front();
      ++first_;
    }
  }

  void stop(error e) {
    if (!stopped_) failure_ = std::move(e);
    stopped_ = true;
  }

  table_input& in_;
  const transaction_columns& cols_;
  const std::optional<transaction_rows> fast_;
  const block_stages& stages_;
  const std::size_t shards_;
  const std::size_t depth_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::unique_ptr<block_job>> jobs_;  // owns every job
  std::vector<block_job*> idle_;                  // free for the next block
  std::deque<block_job*> queue_;                  // read, in input order
  std::size_t first_ = 0;                         // the number of queue_.front()
  std::size_t next_intern_ = 0;
  std::vector<std::size_t> next_add_;  // per shard: the next block to add
  std::vector<bool> adding_;           // per shard
  bool interning_ = false;
  bool reading_ = false;
  bool input_done_ = false;
  bool stopped_ = false;
  std::optional<error> failure_;
  std::exception_ptr thrown_;
};

}  // namespace

std::optional<error> parse_in_blocks(table_input& in, const transaction_columns& cols,
                                     const log_reading& how, const block_stages& stages) {
  block_pipeline pipeline(in, cols, how, stages);
  std::vector<std::thread> helpers;
  try {
    for (int t = 1; t < how.threads; ++t) helpers.emplace_back([&pipeline] { pipeline.work(); });
  } catch (const std::system_error&) {
    // No more threads to be had: the ones there are do the work, the same.
  }
  pipeline.work();
  for (std::thread& t : helpers) t.join();
  if (pipeline.thrown()) std::rethrow_exception(pipeline.thrown());
  return pipeline.failure();
}

}  // namespace detail

}  // namespace cltv::cli
