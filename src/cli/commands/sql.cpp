#include "commands/sql.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <string_view>

#include "cltv/closest_name.hpp"
#include "commands/summarize.hpp"
#include "io/messages.hpp"
#include "io/output.hpp"
#include "sql/summary_query.hpp"

namespace cltv::cli {
namespace {

constexpr const char* sql_examples = R"(Queries:
  summarize  one row per customer, equal to `cltv summarize` on the same rows
             (same columns, semantics and numbers); --tuples instead gives the
             distinct (frequency, recency, T) with a customers count, which
             `cltv fit bgnbd|mbgnbd|pareto-nbd --count-col customers` reads;
             --spend the (frequency, monetary_value) of the repeat customers
             that `cltv fit gamma-gamma --count-col customers` reads; --counts
             the customers left out and the purchases after the end.

The query is printed, not run: run it with psql, duckdb or sqlite3 and save
the result as CSV. --table names the log's table (schema.table works); the
date column is a date, timestamp or timestamptz (SQLite: ISO 8601 text),
read as a UTC calendar day; names are quoted as identifiers. A row that
`cltv summarize` would refuse (an empty customer, date or amount, a negative
amount without --allow-refunds) stops the query with an error starting
"cltv:".

Examples:
  cltv sql summarize --dialect sqlite --table orders > summary.sql
  sqlite3 -csv -header shop.db < summary.sql > sql-summary.csv
  cltv sql summarize --dialect postgres --table analytics.orders --freq W --time-unit weeks --tuples
  cltv sql summarize --dialect duckdb --table orders --customer-col user_id --date-col ordered_at \
      --amount-col total --calibration-end 2024-03-31 --observation-end 2024-06-30
  cltv sql summarize --dialect postgres --table orders --counts

Exit codes: 0 printed, 2 bad input or usage.)";

constexpr std::array<std::string_view, 1> queries{"summarize"};

}  // namespace

CLI::App* setup_sql(CLI::App& app, sql_options& o) {
  CLI::App* sub = app.add_subcommand(
      "sql", "Write the SQL that summarizes a log in PostgreSQL, DuckDB or SQLite");
  sub->footer(sql_examples);
  sub->add_option("query", o.query, "What the SQL computes: summarize")
      ->required()
      ->type_name("QUERY");
  sub->add_option("--dialect", o.dialect, "The engine: postgres, duckdb or sqlite")
      ->required()
      ->option_text("postgres|duckdb|sqlite");
  sub->add_option("--table", o.table, "The log's table (schema.table: each part quoted)")
      ->required()
      ->option_text("NAME");
  transaction_log_options& log = o.summary.log;
  sub->add_option("--customer-col", log.customer_col, "Customer id column (default customer_id)")
      ->option_text("NAME");
  sub->add_option("--date-col", log.date_col,
                  "Date column: date, timestamp or timestamptz (SQLite: ISO 8601 text) "
                  "(default date)")
      ->option_text("NAME");
  sub->add_option("--amount-col", log.amount_col, "Amount column (default amount)")
      ->option_text("NAME");
  sub->add_flag("--allow-refunds", log.allow_refunds, "Accept negative amounts");
  add_summary_period_options(*sub, o.summary);
  sub->add_option("--time-unit", o.summary.time_unit,
                  "Unit of recency and T: days, weeks, months or N days (default: the --freq "
                  "period)")
      ->option_text("UNIT");
  auto* tuples = sub->add_flag("--tuples", o.tuples,
                               "The distinct (frequency, recency, T) with a customers count");
  auto* spend = sub->add_flag(
      "--spend", o.spend, "The distinct (frequency, monetary_value) of repeat customers, counted");
  auto* counts = sub->add_flag("--counts", o.counts,
                               "One row: customers included and left out, purchases after the end");
  tuples->excludes(spend)->excludes(counts);
  spend->excludes(counts);
  return sub;
}

int run_sql(const sql_options& o) {
  if (std::find(queries.begin(), queries.end(), o.query) == queries.end()) {
    const std::string_view best = closest_name(o.query, queries);
    print_error(fmt::format("unknown query \"{}\"{}: sql summarize", printable(o.query),
                            best.empty() ? "" : fmt::format("; did you mean {}?", best)));
    return 2;
  }
  auto engine = sql::parse_dialect(o.dialect);
  if (!engine) return print_error(engine.error().message), 2;
  const log_summary_options& s = o.summary;
  auto rfm = parse_rfm_options(s.freq, s.time_unit, s.observation_end, s.calibration_end,
                               s.calibration_periods, "");
  if (!rfm) return print_error(rfm.error().message), 2;

  sql::summary_query_options q;
  q.engine = *engine;
  q.table = o.table;
  q.customer_column = s.log.customer_col;
  q.date_column = s.log.date_col;
  q.amount_column = s.log.amount_col;
  q.with_amount = !s.no_amount;
  q.allow_refunds = s.log.allow_refunds;
  q.rfm = *rfm;
  q.output = o.tuples   ? sql::summary_output::tuples
             : o.spend  ? sql::summary_output::spend
             : o.counts ? sql::summary_output::counts
                        : sql::summary_output::customers;
  auto text = sql::summary_query(q);
  if (!text) return print_error(text.error().message), 2;

  output out(STDOUT_FILENO);
  out.buffer() += *text;
  out.finish();
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
