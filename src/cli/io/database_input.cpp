#include "io/database_input.hpp"

#include <fmt/format.h>

#include <array>
#include <memory>
#include <string_view>
#include <utility>

#include "io/postgres.hpp"

namespace cltv::cli {

std::string database_log::display_name() const {
  return without_password(fmt::format("{} in {}", table, uri), uri);
}

void add_database_options(CLI::App& app, database_log& database) {
  static constexpr std::array<std::string_view, 6> file_options{"--input-format",  "--delimiter",
                                                                "--no-header",     "--date-format",
                                                                "--skip-bad-rows", "--sorted"};
  for (std::string_view name : file_options)
    if (const CLI::Option* o = app.get_option_no_throw(std::string(name)); o != nullptr)
      database.file_options.push_back(o);
  database.from_option =
      app.add_option("--from", database.uri,
                     "Summarize the log in PostgreSQL: a postgresql:// URI (or libpq key=value); "
                     "credentials from the URI, PG* variables or ~/.pgpass")
          ->option_text("URI")
          ->group("Database");
  database.table_option =
      app.add_option("--table", database.table,
                     "With --from: the log's table (schema.table works), summarized there as "
                     "`cltv sql summarize` does; only the summary's rows come back")
          ->option_text("NAME")
          ->group("Database");
}

void add_database_log_options(CLI::App& app, database_log& database, log_summary_options& log) {
  add_database_options(app, database);
  const std::size_t before = app.get_options().size();
  transaction_log_options& columns = log.log;
  app.add_option("--customer-col", columns.customer_col,
                 "With --from: the customer id column (default customer_id)")
      ->option_text("NAME");
  app.add_option("--date-col", columns.date_col,
                 "With --from: the date column, date, timestamp or timestamptz (default date)")
      ->option_text("NAME");
  app.add_option("--amount-col", columns.amount_col,
                 "With --from: the amount column (default amount)")
      ->option_text("NAME");
  app.add_flag("--allow-refunds", columns.allow_refunds, "With --from: accept negative amounts");
  add_summary_period_options(app, log, false);
  const std::vector<CLI::Option*> options = app.get_options();
  for (std::size_t i = before; i < options.size(); ++i) {
    options[i]->group("Database");
    database.log_options.push_back(options[i]);
  }
}

sql::summary_query_options summary_query_of(const std::string& table,
                                            const transaction_log_options& log, bool with_amount,
                                            const rfm_options& rfm, sql::summary_output output) {
  sql::summary_query_options q;
  q.table = table;
  q.customer_column = log.customer_col;
  q.date_column = log.date_col;
  q.amount_column = log.amount_col;
  q.with_amount = with_amount;
  q.allow_refunds = log.allow_refunds;
  q.rfm = rfm;
  q.output = output;
  return q;
}

result<table_input_options> fetch_summary(const database_log& database,
                                          const transaction_log_options& log, bool with_amount,
                                          const rfm_options& rfm, sql::summary_output output) {
  if (database.table.empty())
    return error{"table", "--from needs --table: the log's table in that database"};
  sql::summary_query_options q = summary_query_of(database.table, log, with_amount, rfm, output);
  q.engine = sql::dialect::postgres;
  auto query = sql::summary_query(q);
  if (!query) return std::move(query).error();
  // COPY (query) takes the query without its closing semicolon.
  std::string_view text = *query;
  while (!text.empty() && (text.back() == '\n' || text.back() == ';')) text.remove_suffix(1);
  auto csv = postgres_copy_csv(database.uri, text);
  if (!csv) return std::move(csv).error();
  table_input_options table;
  table.path = database.display_name();
  table.input_format = "csv";
  table.fetched = std::make_shared<const std::string>(std::move(*csv));
  return table;
}

std::optional<error> database_conflict(const database_log& database) {
  if (!database.given()) {
    if (database.table_option != nullptr && database.table_option->count() > 0)
      return error{"table", "--table names a table of the --from database: give --from URI"};
    for (const CLI::Option* o : database.log_options)
      if (o->count() > 0)
        return error{"from", fmt::format("{} says how the database summarizes the log: it "
                                         "applies with --from URI --table NAME",
                                         o->get_name())};
    return std::nullopt;
  }
  for (const CLI::Option* o : database.file_options)
    if (o->count() > 0)
      return error{"from", fmt::format("{} says how to read a file; with --from the database "
                                       "reads the table (leave {} out)",
                                       o->get_name(), o->get_name())};
  return std::nullopt;
}

}  // namespace cltv::cli
