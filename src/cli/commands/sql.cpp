#include "commands/sql.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <string_view>

#include "cltv/number.hpp"
#include "cltv/time_unit.hpp"
#include "commands/summarize.hpp"
#include "io/database_input.hpp"
#include "io/messages.hpp"
#include "io/model_file.hpp"
#include "io/output.hpp"
#include "sql/score_query.hpp"
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
  score      one row per customer with the predictions of fitted models
             (--model): P(alive) of BG/NBD and MBG/NBD and Gamma-Gamma's
             expected spend in closed form; with --predictions TABLE (the
             output of `cltv predict` on the tuples, loaded as a table) its
             expected_purchases and P(alive), joined on (frequency, recency,
             T); with --clv, also discounted_purchases (predict --months) and
             clv = discounted_purchases x expected_spend x --gross-margin, as
             `cltv clv` values customers.

The query is printed, not run: run it with psql, duckdb or sqlite3 and save
the result as CSV. --table names the log's table (schema.table works); the
date column is a date, timestamp or timestamptz (SQLite: ISO 8601 text),
read as a UTC calendar day (bigquery, snowflake, trino and spark need its type:
--date-type); names are quoted as identifiers. A row that
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
  cltv sql summarize --dialect bigquery --date-type timestamptz --table shop.orders --freq W --tuples
  cltv sql score --dialect sqlite --table orders --model bgnbd.json --model gg.json
  cltv sql score --dialect duckdb --table orders --model bgnbd.json --model gg.json \
      --predictions predictions --clv --gross-margin 30%

Exit codes: 0 printed, 2 bad input or usage.)";

constexpr std::array<std::string_view, 2> queries{"summarize", "score"};

// The score query of the models in --model, refused when their time unit is
// not the summary's (--time-unit, else the --freq period).
result<std::string> score_sql(const sql_options& o, const sql::summary_query_options& summary) {
  if (o.models.empty())
    return error{"model", "sql score needs --model: a purchase model and/or gamma-gamma"};
  fitted_models fitted;
  for (const std::string& path : o.models)
    if (auto e = read_model_file(path, fitted)) return *e;
  if (fitted.sbg)
    return error{"model",
                 "sql score takes bgnbd, mbgnbd, pareto-nbd and gamma-gamma models, "
                 "not sbg"};
  std::vector<time_unit_statement> units = fitted.units;
  units.push_back({"the summary (--freq, --time-unit) is in",
                   summary.rfm.time_unit_days.value_or(period_days(summary.rfm.unit))});
  if (auto unit = agreed_time_unit(units); !unit) return std::move(unit).error();
  sql::score_query_options s;
  s.summary = summary;
  s.purchase = fitted.purchase;
  s.gamma_gamma = fitted.gamma_gamma;
  s.predictions_table = o.predictions;
  s.clv = o.clv;
  if (!o.gross_margin.empty()) {
    auto margin = parse_number("gross_margin", o.gross_margin, number_style::rate);
    if (!margin) return std::move(margin).error();
    s.gross_margin = *margin;
  }
  return sql::score_query(s);
}

}  // namespace

CLI::App* setup_sql(CLI::App& app, sql_options& o) {
  CLI::App* sub = app.add_subcommand(
      "sql",
      "Write the SQL that summarizes a log, or scores its customers, in PostgreSQL, DuckDB, "
      "SQLite, BigQuery, Snowflake, Trino or Spark SQL");
  sub->footer(sql_examples);
  sub->add_option("query", o.query, "What the SQL computes: summarize or score")
      ->required()
      ->type_name("QUERY");
  sub->add_option("--dialect", o.dialect,
                  "The engine: postgres, duckdb, sqlite, or (parsed in the tests, not run) "
                  "bigquery, snowflake, trino, spark")
      ->required()
      ->option_text("NAME");
  sub->add_option("--date-type", o.date_type,
                  "The date column's type, required by bigquery, snowflake, trino and spark: "
                  "date, timestamp (without a zone) or timestamptz (an instant)")
      ->option_text("date|timestamp|timestamptz");
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
  sub->add_option(
         "--time-unit", o.summary.time_unit,
         "Unit of recency and T: days, weeks, months, years or N days (default: the --freq "
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
  for (CLI::Option* flag : {tuples, spend, counts}) flag->group("summarize");
  sub->add_option("--model", o.models,
                  "score: a model file written by `cltv fit` (a purchase model and/or "
                  "gamma-gamma; repeat for both)")
      ->allow_extra_args(false)
      ->option_text("FILE")
      ->group("score");
  sub->add_option("--predictions", o.predictions,
                  "score: the table holding `cltv predict` on the tuples (joined on frequency, "
                  "recency, T)")
      ->option_text("TABLE")
      ->group("score");
  sub->add_flag("--clv", o.clv,
                "score: add discounted_purchases (predict --months) and clv = "
                "discounted_purchases x expected_spend x margin")
      ->group("score");
  sub->add_option("--gross-margin", o.gross_margin,
                  "score: share of spend kept as margin in clv, 0.3 or 30% (default 100%)")
      ->option_text("RATE")
      ->group("score");
  return sub;
}

int run_sql(const sql_options& o) {
  if (std::find(queries.begin(), queries.end(), o.query) == queries.end()) {
    print_error(fmt::format("unknown query \"{}\"{}: sql summarize or sql score",
                            printable(o.query), did_you_mean(o.query, queries)));
    return 2;
  }
  auto engine = sql::parse_dialect(o.dialect);
  if (!engine) return print_error(engine.error().message), 2;
  const log_summary_options& s = o.summary;
  auto rfm = parse_rfm_options(s.freq, s.time_unit, s.observation_end, s.calibration_end,
                               s.calibration_periods, "");
  if (!rfm) return print_error(rfm.error().message), 2;

  if (o.query == "score") {
    if (o.tuples || o.spend || o.counts)
      return print_error(fmt::format("--{} is for sql summarize, not sql score", o.tuples ? "tuples"
                                                                                 : o.spend
                                                                                     ? "spend"
                                                                                     : "counts")),
             2;
  } else if (!o.models.empty() || !o.predictions.empty() || o.clv || !o.gross_margin.empty()) {
    const char* flag = !o.models.empty()        ? "--model"
                       : !o.predictions.empty() ? "--predictions"
                       : o.clv                  ? "--clv"
                                                : "--gross-margin";
    return print_error(fmt::format("{} is for sql score, not sql summarize", flag)), 2;
  }

  sql::summary_query_options q = summary_query_of(o.table, s.log, !s.no_amount, *rfm,
                                                  o.tuples   ? sql::summary_output::tuples
                                                  : o.spend  ? sql::summary_output::spend
                                                  : o.counts ? sql::summary_output::counts
                                                             : sql::summary_output::customers);
  q.engine = *engine;
  if (!o.date_type.empty()) {
    auto type = sql::parse_date_column_type(o.date_type);
    if (!type) return print_error(type.error().message), 2;
    q.date_type = *type;
  }
  auto text = o.query == "score" ? score_sql(o, q) : sql::summary_query(q);
  if (!text) return print_error(text.error().message), 2;

  output out(STDOUT_FILENO);
  out.buffer() += *text;
  out.finish();
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
