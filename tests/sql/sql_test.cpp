// The SQL writer (src/sql): quoting, dialect names, and the summary query's
// text. Whether the query computes the summary is checked by running it in
// the real engines (tests/sql/equality_test.py).

#include <catch2/catch.hpp>

#include <string>

#include "sql/dialect.hpp"
#include "sql/summary_query.hpp"

using cltv::sql::dialect;

namespace {

std::string quoted(dialect d, std::string_view name) {
  auto q = cltv::sql::quote_identifier(d, "column", name);
  REQUIRE(q);
  return *q;
}

std::string refusal(dialect d, std::string_view name) {
  auto q = cltv::sql::quote_identifier(d, "customer_col", name);
  REQUIRE_FALSE(q);
  CHECK(q.error().field == "customer_col");
  return q.error().message;
}

std::size_t occurrences(const std::string& text, std::string_view part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

cltv::sql::summary_query_options options(dialect d) {
  cltv::sql::summary_query_options o;
  o.engine = d;
  o.table = "orders";
  return o;
}

std::string query(const cltv::sql::summary_query_options& o) {
  auto q = cltv::sql::summary_query(o);
  REQUIRE(q);
  return *q;
}

}  // namespace

TEST_CASE("dialects: the names people type", "[sql]") {
  CHECK(*cltv::sql::parse_dialect("postgres") == dialect::postgres);
  CHECK(*cltv::sql::parse_dialect("postgresql") == dialect::postgres);
  CHECK(*cltv::sql::parse_dialect("duckdb") == dialect::duckdb);
  CHECK(*cltv::sql::parse_dialect("sqlite3") == dialect::sqlite);
  auto bad = cltv::sql::parse_dialect("mysql");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().field == "dialect");
  CHECK(bad.error().message ==
        "dialect must be postgres, duckdb, sqlite, bigquery, snowflake, trino or spark, got "
        "\"mysql\"");
  CHECK(cltv::sql::to_string(dialect::duckdb) == "duckdb");
  for (const dialect d : {dialect::bigquery, dialect::snowflake, dialect::trino, dialect::spark}) {
    CHECK(*cltv::sql::parse_dialect(cltv::sql::to_string(d)) == d);
    CHECK(cltv::sql::rules(d).needs_date_type);
  }
  CHECK(*cltv::sql::parse_date_column_type("timestamptz") ==
        cltv::sql::date_column_type::timestamptz);
  CHECK(cltv::sql::parse_date_column_type("datetime").error().message ==
        "date_type must be date, timestamp or timestamptz, got \"datetime\"");
}

TEST_CASE("identifiers: quoted, the quote doubled, whatever they hold", "[sql]") {
  CHECK(quoted(dialect::postgres, "customer_id") == "\"customer_id\"");
  CHECK(quoted(dialect::postgres, "a\"; drop table t; --") == "\"a\"\"; drop table t; --\"");
  CHECK(quoted(dialect::duckdb, "Order Date") == "\"Order Date\"");
  CHECK(quoted(dialect::postgres, "montant € ü") == "\"montant € ü\"");
  // SQLite: backticks, where a double-quoted unknown name would be a string.
  CHECK(quoted(dialect::sqlite, "a\"b") == "`a\"b`");
  CHECK(quoted(dialect::sqlite, "a`b") == "`a``b`");
  CHECK(quoted(dialect::sqlite, "x'; --") == "`x'; --`");
  // Spark doubles its backtick; BigQuery escapes it, and a backslash, with a
  // backslash; Snowflake and Trino double the double quote.
  CHECK(quoted(dialect::spark, "a`b\\c") == "`a``b\\c`");
  CHECK(quoted(dialect::bigquery, "a`b\\c") == "`a\\`b\\\\c`");
  CHECK(quoted(dialect::snowflake, "a\"b") == "\"a\"\"b\"");
  CHECK(quoted(dialect::trino, "a\"b") == "\"a\"\"b\"");
}

TEST_CASE("identifiers: what cannot be quoted is refused, naming the flag", "[sql]") {
  CHECK(refusal(dialect::postgres, "") == "customer_col is empty");
  CHECK(refusal(dialect::duckdb, std::string_view("a\0b", 3)) ==
        "customer_col \"a\\x00b\" holds a NUL byte, which no SQL identifier can");
  CHECK(refusal(dialect::sqlite, "\xff") == "customer_col \"\\xff\" is not valid UTF-8");
  refusal(dialect::postgres, "\xc0\xaf");      // overlong
  refusal(dialect::postgres, "\xed\xa0\x80");  // a surrogate
  refusal(dialect::postgres, "ab\xe2\x82");    // truncated
  const std::string name63(63, 'x');
  CHECK(quoted(dialect::postgres, name63).size() == 65);
  CHECK(refusal(dialect::postgres, name63 + "y") ==
        "customer_col \"" + name63 + "y\" is 64 bytes long; PostgreSQL identifiers are at most 63");
  CHECK(quoted(dialect::duckdb, name63 + "y").size() == 66);  // no such limit there
}

TEST_CASE("table names: each dot-separated part quoted", "[sql]") {
  CHECK(*cltv::sql::quote_table_name(dialect::postgres, "orders") == "\"orders\"");
  CHECK(*cltv::sql::quote_table_name(dialect::postgres, "analytics.orders") ==
        "\"analytics\".\"orders\"");
  CHECK(*cltv::sql::quote_table_name(dialect::sqlite, "main.orders") == "`main`.`orders`");
  auto empty_part = cltv::sql::quote_table_name(dialect::duckdb, "a..b");
  REQUIRE_FALSE(empty_part);
  CHECK(empty_part.error().message == "table \"a..b\" has an empty part");
  auto four = cltv::sql::quote_table_name(dialect::duckdb, "a.b.c.d");
  REQUIRE_FALSE(four);
  CHECK(four.error().field == "table");
}

TEST_CASE("string literals: quotes doubled, backslashes safe in PostgreSQL", "[sql]") {
  CHECK(cltv::sql::string_literal(dialect::postgres, "it's") == "'it''s'");
  CHECK(cltv::sql::string_literal(dialect::postgres, "a\\b") == "E'a\\\\b'");
  CHECK(cltv::sql::string_literal(dialect::sqlite, "a\\b'") == "'a\\b'''");
  // BigQuery refuses '' and Spark reads it as two literals run together:
  // there, as in Snowflake, a backslash escapes.
  for (const dialect d : {dialect::bigquery, dialect::snowflake, dialect::spark})
    CHECK(cltv::sql::string_literal(d, "it's a\\b") == "'it\\'s a\\\\b'");
  CHECK(cltv::sql::string_literal(dialect::trino, "it's a\\b") == "'it''s a\\b'");
}

TEST_CASE("the cloud dialects: the date column's type picks its UTC day", "[sql]") {
  auto o = options(dialect::bigquery);
  auto missing = cltv::sql::summary_query(o);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().field == "date_type");
  o.date_type = cltv::sql::date_column_type::timestamptz;
  CHECK(query(o).find("UNIX_DATE(DATE(date_value, 'UTC'))") != std::string::npos);
  o.date_type = cltv::sql::date_column_type::timestamp;
  CHECK(query(o).find("UNIX_DATE(DATE(date_value))") != std::string::npos);
  o.engine = dialect::trino;
  o.date_type = cltv::sql::date_column_type::timestamptz;
  CHECK(query(o).find("CAST(at_timezone(date_value, 'UTC') AS DATE)") != std::string::npos);
  // The engines that run here have one expression for all three types.
  o.engine = dialect::postgres;
  const std::string any_type = query(o);
  o.date_type = cltv::sql::date_column_type::date;
  CHECK(query(o) == any_type);
  o.date_type.reset();
  CHECK(query(o) == any_type);
}

TEST_CASE("summary query: names only as quoted identifiers", "[sql]") {
  for (const dialect d : {dialect::postgres, dialect::duckdb, dialect::sqlite}) {
    auto o = options(d);
    o.table = "a\"; drop table t; --";
    o.customer_column = "cust `id`";
    const std::string sql = query(o);
    const std::string table = quoted(d, o.table);
    const std::string customer = quoted(d, o.customer_column);
    CHECK(occurrences(sql, table) == 1);
    // Every appearance of the raw text is inside its quoted form.
    CHECK(occurrences(sql, "drop table t") == occurrences(sql, table));
    CHECK(occurrences(sql, customer) >= 1);
    CHECK(sql.substr(sql.size() - 2) == ";\n");
  }
}

TEST_CASE("summary query: the summary's columns and semantics", "[sql]") {
  auto o = options(dialect::postgres);
  const std::string daily = query(o);
  CHECK(daily.find("SELECT s.customer_id, s.\"frequency\", s.\"recency\", s.\"T\", "
                   "s.\"monetary_value\", CAST('1' AS DOUBLE PRECISION) AS time_unit_days, 'D' "
                   "AS freq") != std::string::npos);
  CHECK(daily.find("MAX(day) AS observation_end") != std::string::npos);  // default: last date
  CHECK(daily.find("ORDER BY s.customer_id") != std::string::npos);

  o.rfm.unit = cltv::period_unit::week;
  o.rfm.time_unit_days = 1;
  o.rfm.observation_end = cltv::days_from_civil(2024, 3, 31);
  o.rfm.calibration_end = cltv::days_from_civil(2024, 2, 29);
  const std::string weekly = query(o);
  // Monday-start weeks from day numbers, not the engine's week function.
  CHECK(weekly.find("r.day + 3") != std::string::npos);
  CHECK(weekly.find("date_trunc") == std::string::npos);
  CHECK(weekly.find("DATE '2024-03-31'") != std::string::npos);
  CHECK(weekly.find("DATE '2024-02-29'") != std::string::npos);
  CHECK(weekly.find("s.\"frequency_cal\"") != std::string::npos);
  CHECK(weekly.find("s.spend_holdout") != std::string::npos);
  // periods × 7 / 1: the order the summary multiplies and divides in.
  CHECK(weekly.find("* CAST('7' AS DOUBLE PRECISION) / CAST('1' AS DOUBLE PRECISION)") !=
        std::string::npos);

  o.with_amount = false;
  const std::string no_amount = query(o);
  CHECK(no_amount.find("monetary_value") == std::string::npos);
  CHECK(no_amount.find("spend_holdout") == std::string::npos);
  CHECK(no_amount.find("\"amount\"") == std::string::npos);
}

TEST_CASE("summary query: tuples, spend and counts", "[sql]") {
  auto o = options(dialect::duckdb);
  o.output = cltv::sql::summary_output::tuples;
  CHECK(query(o).find("COUNT(*) AS customers") != std::string::npos);
  o.output = cltv::sql::summary_output::spend;
  CHECK(query(o).find("WHERE \"frequency\" > 0") != std::string::npos);
  o.output = cltv::sql::summary_output::counts;
  CHECK(query(o).find("AS transactions_after_end") != std::string::npos);
  o.output = cltv::sql::summary_output::spend;
  o.with_amount = false;
  auto refused = cltv::sql::summary_query(o);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().field == "no_amount");
}

TEST_CASE("summary query: options the summary refuses", "[sql]") {
  auto o = options(dialect::sqlite);
  o.rfm.observation_end = cltv::days_from_civil(2024, 3, 31);
  o.rfm.calibration_end = o.rfm.observation_end;
  auto same = cltv::sql::summary_query(o);
  REQUIRE_FALSE(same);
  CHECK(same.error().message ==
        "calibration_end 2024-03-31 must be before observation_end 2024-03-31");
  o.rfm.calibration_end.reset();
  o.rfm.time_unit_days = 0;
  CHECK(cltv::sql::summary_query(o).error().field == "time_unit");
  o.rfm.time_unit_days.reset();
  o.rfm.calibration_periods = 0;
  CHECK(cltv::sql::summary_query(o).error().field == "calibration_periods");
  o.rfm.calibration_periods.reset();
  o.date_column = "";
  CHECK(cltv::sql::summary_query(o).error().message == "date_col is empty");
}
