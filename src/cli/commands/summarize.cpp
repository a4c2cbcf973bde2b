#include "commands/summarize.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>

#include "cltv/number.hpp"
#include "cltv/rfm.hpp"
#include "cltv/time_unit.hpp"
#include "io/database_input.hpp"
#include "io/format_option.hpp"
#include "io/id_table.hpp"
#include "io/messages.hpp"
#include "io/output.hpp"
#include "io/predictions.hpp"
#include "io/progress.hpp"
#include "io/text.hpp"
#include "io/threads.hpp"

namespace cltv::cli {
namespace {

constexpr const char* summarize_examples = R"(Examples:
  cltv summarize transactions.csv > summary.csv
  cltv summarize log.csv --observation-end 2024-06-30 --freq W --format ndjson
  cltv summarize log.csv --calibration-end 2024-03-31 --observation-end 2024-06-30
  cltv summarize CDNOW_sample.txt --delimiter whitespace --no-header \
      --customer-col 1 --date-col 3 --amount-col 5 --date-format %Y%m%d \
      --observation-end 1997-09-30 --time-unit weeks
  zcat log.csv.gz | cltv summarize - --sorted      # .gz files are read directly too
  cltv summarize drive.csv --freq Y --opportunities | cltv fit bgbb -   # BG/BB: yearly
  cltv summarize --from postgresql:///shop --table orders --freq W   # made in PostgreSQL
  cltv summarize log.csv --threads 1               # one core (default: all available)

With --from URI --table NAME the log is a PostgreSQL table: the summary is
computed there by `cltv sql summarize`'s query and only its rows come back
(ordered by customer_id). Credentials come from the URI, the PG* variables or
~/.pgpass; libpq (Debian libpq5) is loaded only then.

One row per customer, in order of first appearance: frequency (repeat purchase
periods), recency (first to last purchase period), T (first purchase period to
the observation end), monetary_value (mean amount per repeat period; 0 without
repeats) -- the convention of the lifetimes/BTYD summary that `cltv fit` reads.
Purchases in one period merge into one. Times are in --time-unit (days, weeks,
months = 30.4375 days, or N days; default: the --freq period). Every row ends
with the same time_unit_days, freq, observation_end (and calibration_end):
fit, predict and clv read the unit back from them. --opportunities makes each
--freq period an opportunity, as BG/BB counts them (an annual drive: --freq Y):
T is written as periods (n, the opportunities after the first), in whole
periods. A CSV log is parsed on --threads cores; the output does not depend
on how many. Exit codes: 0 ok, 2 bad input (the message names the line).)";

struct column_spec {
  const char* name;
  double rfm_row::*member;
};

constexpr std::array<column_spec, 4> base_columns{{{"frequency", &rfm_row::frequency},
                                                   {"recency", &rfm_row::recency},
                                                   {"T", &rfm_row::T},
                                                   {"monetary_value", &rfm_row::monetary_value}}};
constexpr std::array<column_spec, 4> calibration_columns{
    {{"frequency_cal", &rfm_row::frequency},
     {"recency_cal", &rfm_row::recency},
     {"T_cal", &rfm_row::T},
     {"monetary_value_cal", &rfm_row::monetary_value}}};
// lifetimes' holdout columns, then the holdout spend they cannot give.
constexpr std::array<column_spec, 4> holdout_columns{
    {{"frequency_holdout", &rfm_row::frequency_holdout},
     {"monetary_value_holdout", &rfm_row::monetary_value_holdout},
     {"duration_holdout", &rfm_row::duration_holdout},
     {"spend_holdout", &rfm_row::spend_holdout}}};

/// The summary's columns; with `opportunities`, T is named periods (BG/BB's n).
std::vector<column_spec> columns_for(bool calibration, bool with_amount, bool opportunities) {
  // Without amounts, the monetary columns go.
  const auto keep = [with_amount](const column_spec& c) {
    return with_amount ||
           (c.member != &rfm_row::monetary_value && c.member != &rfm_row::monetary_value_holdout &&
            c.member != &rfm_row::spend_holdout);
  };
  std::vector<column_spec> out;
  const auto& summary = calibration ? calibration_columns : base_columns;
  std::copy_if(summary.begin(), summary.end(), std::back_inserter(out), keep);
  if (calibration)
    std::copy_if(holdout_columns.begin(), holdout_columns.end(), std::back_inserter(out), keep);
  if (opportunities)
    for (column_spec& c : out)
      if (c.member == &rfm_row::T) c.name = calibration ? "periods_cal" : "periods";
  return out;
}

// The summary's own facts as trailing constant columns (CSV) or keys of
// every record: a comment line or a second header would break the readers
// a summary must stay readable by (pandas.read_csv, DuckDB, spreadsheets).
std::vector<constant_field> summary_facts(const rfm_summary& s, period_unit freq) {
  std::string days;
  append_number(days, s.time_unit_days);
  std::vector<constant_field> facts{{"time_unit_days", days, false},
                                    {"freq", std::string(period_letter(freq)), true},
                                    {"observation_end", format_date(s.observation_end), true}};
  if (s.calibration_end)
    facts.push_back({"calibration_end", format_date(*s.calibration_end), true});
  return facts;
}

void write_summary(const rfm_summary& s, period_unit freq, const id_table& ids,
                   const std::vector<column_spec>& cols, output_format format,
                   const std::string& id_name, output& out, std::uint64_t skipped_rows) {
  std::string& buf = out.buffer();
  if (format == output_format::json) {
    buf += "{\"observation_end\":\"";
    buf += format_date(s.observation_end);
    buf += '"';
    if (s.calibration_end) {
      buf += ",\"calibration_end\":\"";
      buf += format_date(*s.calibration_end);
      buf += '"';
    }
    buf += fmt::format(
        ",\"customers_included\":{},\"customers_excluded\":{},\"transactions_after_end\":{},"
        "\"skipped_rows\":{},\"customers\":[",
        s.customers_included, s.customers_excluded, s.transactions_after_end, skipped_rows);
  }
  record_writer writer{format, id_name, {}, summary_facts(s, freq)};
  for (const auto& c : cols) writer.names.push_back(c.name);
  writer.header(buf);
  std::vector<double> values(cols.size());
  for (std::size_t i = 0; i < s.size() && !out.stopped(); ++i) {
    const std::optional<rfm_row> row = s.row(i);
    if (!row) continue;
    for (std::size_t k = 0; k < cols.size(); ++k) values[k] = (*row).*(cols[k].member);
    writer.row(buf, ids.id_at(static_cast<std::uint32_t>(i)), values);
    out.maybe_flush();
  }
  if (format == output_format::json) buf += "]}\n";
}

/// A summary with no customer in it: an error, naming the input.
error no_customer_error(std::string_view name, bool calibration) {
  return error{"input", fmt::format("{}: no customer has a purchase on or before the {} end", name,
                                    calibration ? "calibration" : "observation")};
}

/// The counts a summary's JSON header and notes give, of a log summarized in
/// the database (the counts query: one row).
struct database_counts {
  std::uint64_t included = 0, excluded = 0, after_end = 0;
  std::string observation_end, calibration_end;  // as the database wrote them (ISO dates)
};

result<database_counts> fetch_counts(const summarize_options& o, const rfm_options& options) {
  auto table = fetch_summary(o.database, o.log, !o.no_amount, options, sql::summary_output::counts);
  if (!table) return std::move(table).error();
  const bool split = options.calibration_end || options.calibration_periods;
  std::array<column_choice, 5> columns{{{"customers_included", "", "customers_included"},
                                        {"customers_excluded", "", "customers_excluded"},
                                        {"transactions_after_end", "", "transactions_after_end"},
                                        {"observation_end", "", "observation_end"},
                                        {"calibration_end", "", "calibration_end", !split}}};
  auto in = table_input::open(*table, columns);
  if (!in) return std::move(in).error();
  if (!in->next()) return error{"from", in->name() + ": the counts query returned no row"};
  database_counts counts;
  std::array<std::uint64_t*, 3> numbers{&counts.included, &counts.excluded, &counts.after_end};
  for (std::size_t k = 0; k < numbers.size(); ++k) {
    auto n = number_field(*in, k, columns[k].field);
    if (!n) return std::move(n).error();
    *numbers[k] = static_cast<std::uint64_t>(*n);
  }
  counts.observation_end = std::string(in->field(3).value_or(""));
  if (split) counts.calibration_end = std::string(in->field(4).value_or(""));
  return counts;
}

/// `cltv summarize --from URI --table NAME`: the summary computed in the
/// database (`cltv sql summarize`'s query), written as `cltv summarize`
/// writes a log's; its rows come ordered by customer_id.
int summarize_database(const summarize_options& o, const rfm_options& options,
                       output_format format) {
  const bool with_amount = !o.no_amount;
  auto counts = fetch_counts(o, options);
  if (!counts) return print_error(counts.error().message), 2;
  const bool split = !counts->calibration_end.empty();
  if (counts->included == 0)
    return print_error(no_customer_error(o.database.display_name(), split).message), 2;
  auto table =
      fetch_summary(o.database, o.log, with_amount, options, sql::summary_output::customers);
  if (!table) return print_error(table.error().message), 2;
  // Read by the names the query gives them; written under summarize's (T is
  // periods with --opportunities).
  const std::vector<column_spec> read = columns_for(split, with_amount, false);
  const std::vector<column_spec> written = columns_for(split, with_amount, o.opportunities);
  std::vector<column_choice> choices{{"customer_id", "", "customer_id"}};
  for (const column_spec& c : read) choices.push_back({c.name, "", c.name});
  auto in = table_input::open(*table, choices);
  if (!in) return print_error(in.error().message), 2;

  std::string days;
  append_number(days, options.time_unit_days.value_or(period_days(options.unit)));
  std::vector<constant_field> facts{{"time_unit_days", days, false},
                                    {"freq", std::string(period_letter(options.unit)), true},
                                    {"observation_end", counts->observation_end, true}};
  if (split) facts.push_back({"calibration_end", counts->calibration_end, true});

  output out(STDOUT_FILENO);
  std::string& buf = out.buffer();
  if (format == output_format::json) {
    buf += fmt::format("{{\"observation_end\":\"{}\"", counts->observation_end);
    if (split) buf += fmt::format(",\"calibration_end\":\"{}\"", counts->calibration_end);
    buf += fmt::format(
        ",\"customers_included\":{},\"customers_excluded\":{},\"transactions_after_end\":{},"
        "\"skipped_rows\":0,\"customers\":[",
        counts->included, counts->excluded, counts->after_end);
  }
  record_writer writer{format, "customer_id", {}, std::move(facts)};
  for (const column_spec& c : written) writer.names.push_back(c.name);
  writer.header(buf);
  std::vector<double> values(read.size());
  while (!out.stopped() && in->next()) {
    auto id = in->require(0);
    if (!id) return print_error(in->row_message(id.error())), 2;
    for (std::size_t k = 0; k < read.size(); ++k) {
      auto v = number_field(*in, k + 1, read[k].name);
      if (!v) return print_error(in->row_message(v.error())), 2;
      values[k] = *v;
    }
    writer.row(buf, *id, values);
    out.maybe_flush();
  }
  if (auto e = in->failure()) return print_error(e->message), 2;
  if (format == output_format::json) buf += "]}\n";
  out.finish();
  print_note(left_out_note(counts->excluded, split));
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace

result<rfm_options> parse_rfm_options(const std::string& freq, const std::string& time_unit,
                                      const std::string& observation_end,
                                      const std::string& calibration_end,
                                      const std::string& calibration_periods,
                                      const std::string& date_format) {
  rfm_options options;
  auto unit = parse_period_unit("freq", freq);
  if (!unit) return std::move(unit).error();
  options.unit = *unit;
  if (!time_unit.empty()) {
    auto days = parse_time_unit(time_unit);
    if (!days) return std::move(days).error();
    options.time_unit_days = *days;
  }
  auto end = parse_date_flag("observation_end", observation_end, date_format);
  if (!end) return std::move(end).error();
  options.observation_end = *end;
  if (!calibration_end.empty() && !calibration_periods.empty())
    return error{"calibration_periods",
                 "--calibration-end and --calibration-periods exclude each other: give one"};
  auto split = parse_date_flag("calibration_end", calibration_end, date_format);
  if (!split) return std::move(split).error();
  options.calibration_end = *split;
  if (!calibration_periods.empty()) {
    auto n = parse_number("calibration_periods", calibration_periods, number_style::plain);
    if (!n) return std::move(n).error();
    auto periods = check_calibration_periods(*n);
    if (!periods) return std::move(periods).error();
    options.calibration_periods = *periods;
  }
  return options;
}

result<log_summary> summarize_log(const transaction_log_options& log, const rfm_options& options,
                                  bool with_amount) {
  auto threads = parse_thread_count(log.threads);
  if (!threads) return std::move(threads).error();
  auto first_builder = rfm_builder::create(options);  // checks the options
  if (!first_builder) return std::move(first_builder).error();
  auto in = open_transaction_log(log, with_amount);
  if (!in) return std::move(in).error();
  // On several threads the customers are split among as many builders, one
  // per thread (not for NDJSON, read on one thread); the calibration of
  // --calibration-periods starts at the log's first date, which one builder sees.
  log_reading how;
  how.threads = *threads;
  how.shards =
      options.calibration_periods || !in->splittable() ? 1 : static_cast<std::size_t>(*threads);
  std::vector<rfm_builder> builders;
  builders.push_back(std::move(*first_builder));
  while (builders.size() < how.shards) {
    auto builder = rfm_builder::create(options);  // the same options: cannot fail now
    if (!builder) return std::move(builder).error();
    builders.push_back(std::move(*builder));
  }

  id_table ids;
  transaction_columns cols;
  cols.with_amount = with_amount;
  cols.allow_refunds = log.allow_refunds;
  const progress shown("reading " + in->name());
  // --sorted: checked here, across the builders, in input order.
  day_number latest = INT32_MIN;
  const auto stopped = read_transactions(
      *in, cols, ids, how,
      [&](const transaction& t) -> std::optional<error> {
        if (!options.sorted_by_date) return std::nullopt;
        if (t.day >= latest) {
          latest = t.day;
          return std::nullopt;
        }
        return error{"date", fmt::format("date {} is earlier than a date before it, but --sorted "
                                         "says the log is ordered by date",
                                         format_date(t.day))};
      },
      [&](std::size_t shard, std::uint32_t c, day_number d, prefetch_stage stage) {
        if (stage == prefetch_stage::state) {
          builders[shard].prefetch(c, d);
        } else {
          builders[shard].prefetch_period(c, d);
        }
      },
      [&](std::size_t shard, const transaction& t) {
        builders[shard].add(t.customer, t.day, t.amount.value);
      });
  if (stopped) return *stopped;

  auto summary = builders.size() == 1 ? std::move(builders.front()).finish()
                                      : rfm_builder::finish_shards(std::move(builders));
  if (!summary) {
    const error& e = summary.error();
    return e.field == "input" ? error{e.field, in->name() + ": " + e.message} : e;
  }
  return log_summary{std::move(*summary), std::move(ids), in->name(), in->skipped_rows(),
                     in->skipped_note()};
}

std::string left_out_note(std::uint64_t excluded, bool calibration) {
  if (excluded == 0) return {};
  return fmt::format("{} customer{} left out: no purchase on or before the {} end", excluded,
                     excluded == 1 ? "" : "s", calibration ? "calibration" : "observation");
}

std::string left_out_note(const rfm_summary& summary) {
  return left_out_note(summary.customers_excluded, summary.calibration_end.has_value());
}

namespace {

result<summary_data> read_log_as_summary(const log_summary_options& o, const summary_needs& needs,
                                         const std::string& threads) {
  if (needs.monetary && o.no_amount)
    return error{"no_amount",
                 "--no-amount leaves out the amounts that spend per purchase is predicted from"};
  auto options = parse_rfm_options(o.freq, o.time_unit, o.observation_end, o.calibration_end,
                                   o.calibration_periods, o.log.table.date_format);
  if (!options) return std::move(options).error();
  options->sorted_by_date = o.sorted;
  transaction_log_options log = o.log;
  log.threads = threads;
  auto read = summarize_log(log, *options, !o.no_amount);
  if (!read) return std::move(read).error();
  const rfm_summary& summary = read->summary;
  if (summary.customers_included == 0)
    return no_customer_error(read->name, summary.calibration_end.has_value());
  // As read_summary reads what summarize writes: with a split, the
  // calibration period's columns; the monetary value only where there are
  // repeat purchases (it is 0 elsewhere).
  summary_data out;
  out.name = read->name;
  out.of_log = true;
  out.id_name = "customer_id";  // the column summarize writes, whatever the log calls it
  for (std::size_t i = 0; i < summary.size(); ++i) {
    const std::optional<rfm_row> row = summary.row(i);
    if (!row) continue;
    models::rfm_tuple t;
    t.x = row->frequency;
    if (needs.recency_and_T) {
      t.t_x = row->recency;
      t.T = row->T;
    }
    out.append(read->ids.id_at(static_cast<std::uint32_t>(i)), t);
    if (needs.monetary) out.monetary.push_back(row->frequency > 0 ? row->monetary_value : 0);
  }
  out.skipped_rows = read->skipped_rows;
  out.skipped_note = read->skipped_note;
  out.left_out_note = left_out_note(summary);
  out.stamp = {summary.time_unit_days, options->unit, summary.observation_end,
               summary.calibration_end};
  return out;
}

// The summary of a PostgreSQL table (--from), made there: `cltv sql
// summarize`'s customers query, read as summarize's output is read.
result<summary_data> read_database_as_summary(const summary_source& source,
                                              const summary_needs& needs) {
  const log_summary_options& o = source.log;
  if (needs.monetary && o.no_amount)
    return error{"no_amount",
                 "--no-amount leaves out the amounts that spend per purchase is predicted from"};
  auto options = parse_rfm_options(o.freq, o.time_unit, o.observation_end, o.calibration_end,
                                   o.calibration_periods, "");
  if (!options) return std::move(options).error();
  auto table =
      fetch_summary(source.database, o.log, !o.no_amount, *options, sql::summary_output::customers);
  if (!table) return std::move(table).error();
  auto summary = read_summary(*table, summary_columns{}, needs);
  if (!summary) return summary;
  if (summary->rows.empty())
    return no_customer_error(summary->name,
                             options->calibration_end || options->calibration_periods);
  summary->of_log = true;
  return summary;
}

}  // namespace

result<summary_data> read_summary_or_log(const summary_source& source, const summary_needs& needs,
                                         const std::string& threads) {
  if (source.database.given()) return read_database_as_summary(source, needs);
  if (source.from_log()) return read_log_as_summary(source.log, needs, threads);
  return read_summary(summary_table(source), summary_columns_of(source), needs);
}

CLI::App* setup_summarize(CLI::App& app, summarize_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "summarize", "Per-customer RFM summary (frequency, recency, T, monetary value) of a log");
  cmd->footer(summarize_examples);
  add_log_summary_options(*cmd, o, log_argument::positional);
  cmd->get_option("log")->required(false);  // or --from
  add_database_options(*cmd, o.database);
  cmd->add_flag("--opportunities", o.opportunities,
                "Each --freq period is an opportunity (BG/BB): T is written as periods, in whole "
                "periods");
  add_format_option(*cmd, o.format, {"csv", "ndjson", "json"},
                    "Output: csv (default), ndjson or json");
  return cmd;
}

int run_summarize(const summarize_options& o) {
  const output_format format = format_named(o.format);

  auto options = parse_rfm_options(o.freq, o.time_unit, o.observation_end, o.calibration_end,
                                   o.calibration_periods, o.log.table.date_format);
  if (!options) return print_error(options.error().message), 2;
  if (o.opportunities && options->time_unit_days &&
      *options->time_unit_days != period_days(options->unit)) {
    print_error(fmt::format(
        "--opportunities counts whole --freq periods ({}), but --time-unit is {}: leave "
        "--time-unit out",
        time_unit_measure(period_days(options->unit)),
        time_unit_measure(*options->time_unit_days)));
    return 2;
  }
  if (auto conflict = database_conflict(o.database)) return print_error(conflict->message), 2;
  if (o.database.given() == !o.log.table.path.empty()) {
    print_error(o.database.given() ? "give a LOG or --from URI, not both"
                                   : "summarize needs a LOG (a file, - for stdin) or --from URI "
                                     "--table NAME (a PostgreSQL table)");
    return 2;
  }
  if (o.database.given()) return summarize_database(o, *options, format);
  options->sorted_by_date = o.sorted;
  const bool with_amount = !o.no_amount;
  auto read = summarize_log(o.log, *options, with_amount);
  if (!read) return print_error(read.error().message), 2;
  const rfm_summary* summary = &read->summary;

  output out(STDOUT_FILENO);
  const std::string id_name = "customer_id";  // whatever the input called it
  write_summary(*summary, options->unit, read->ids,
                columns_for(summary->calibration_end.has_value(), with_amount, o.opportunities),
                format, id_name, out, read->skipped_rows);
  out.finish();
  print_note(read->skipped_note);
  print_note(left_out_note(*summary));
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
