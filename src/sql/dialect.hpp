#pragma once
// What differs between the SQL engines cltv writes for, in one table: how an
// identifier is quoted, how a date or timestamp becomes a UTC calendar day,
// how a query fails on purpose. Every query is built from these rules, so a
// dialect is added here and nowhere else.

#include <string>
#include <string_view>
#include <vector>

#include "cltv/date.hpp"
#include "cltv/error.hpp"

namespace cltv::sql {

/// The engines: the first three run in the tests; the cloud ones (BigQuery,
/// Snowflake, Trino, Spark SQL) are parsed there, not run.
enum class dialect { postgres, duckdb, sqlite, bigquery, snowflake, trino, spark };

/// The type of the log's date column, which decides how it becomes a UTC
/// calendar day in the cloud engines (PostgreSQL, DuckDB and SQLite have one
/// expression for all three).
enum class date_column_type {
  date,         ///< a calendar date
  timestamp,    ///< a date and time without a zone: its day as written
  timestamptz,  ///< an instant (with a zone, or BigQuery's TIMESTAMP): its UTC day
};

/// Reads "date", "timestamp" or "timestamptz"; the error (field "date_type")
/// lists them.
[[nodiscard]] result<date_column_type> parse_date_column_type(std::string_view name);

/// "postgres", "duckdb", "sqlite", "bigquery", "snowflake", "trino", "spark".
[[nodiscard]] std::string_view to_string(dialect d) noexcept;

/// Reads a dialect name ("postgres" or "postgresql", "duckdb", "sqlite" or
/// "sqlite3", "bigquery", "snowflake", "trino", "spark"); the error (field
/// "dialect") lists them.
[[nodiscard]] result<dialect> parse_dialect(std::string_view name);

/// A name from the user (a table or column) as the dialect's quoted
/// identifier: "a""b" (PostgreSQL, DuckDB, Snowflake, Trino), `a``b` (SQLite,
/// where a double-quoted name that matches no column would silently become a
/// string; Spark) or `a\`b` (BigQuery).
/// Refused, naming `field`: an empty name, a NUL byte, bytes that are not
/// UTF-8, and in PostgreSQL a name over 63 bytes (it would be truncated).
[[nodiscard]] result<std::string> quote_identifier(dialect d, std::string_view field,
                                                   std::string_view name);

/// A possibly qualified table name ("orders", "analytics.orders",
/// "db.analytics.orders"): each dot-separated part quoted.
[[nodiscard]] result<std::string> quote_table_name(dialect d, std::string_view name);

/// The SQL fragments of one dialect. `{0}`, `{1}` stand for SQL expressions.
struct dialect_rules {
  std::string_view name;          ///< as --dialect takes it: "postgres"
  std::string_view display_name;  ///< as people write it: "PostgreSQL"
  /// Quotes an identifier; doubled inside it, or after a backslash where
  /// backslash_escapes. SQLite's is the backtick: a double-quoted name that
  /// matches no column silently becomes a string.
  char identifier_quote = '"';
  /// Whether a backslash escapes inside a quoted identifier (BigQuery): the
  /// quote and a backslash are then written after one, not doubled.
  bool identifier_backslash_escapes = false;
  /// Whether a backslash escapes in string literals (BigQuery, Snowflake,
  /// Spark): a quote and a backslash are then written \' and \\ (Spark reads
  /// '' as two adjacent literals, BigQuery refuses it).
  bool string_backslash_escapes = false;
  /// The longest identifier in bytes (0: no limit). PostgreSQL truncates
  /// longer ones (NAMEDATALEN − 1) with only a notice.
  std::size_t max_identifier_bytes = 0;
  /// Whether a backslash in a string literal needs PostgreSQL's E'…' form,
  /// which reads it the same whatever standard_conforming_strings says.
  bool backslash_string_prefix = false;
  std::string_view double_type;  ///< the IEEE double type of CAST(… AS …)
  std::string_view text_type;
  /// A date, timestamp or timestamptz column {0} → its UTC calendar day as
  /// days since 1970-01-01. A timestamp without a zone counts as written;
  /// one with a zone is converted to UTC, never by the session's time zone.
  /// Where one expression cannot do all three (the cloud engines), this is
  /// the date's and the next two are the others'; empty: the same as this.
  std::string_view utc_day;
  std::string_view utc_day_of_timestamp = {};
  std::string_view utc_day_of_timestamptz = {};
  /// Whether the engine needs to be told the date column's type
  /// (--date-type): utc_day covers a date only.
  bool needs_date_type = false;
  /// A condition true when {0} is not a date the engine reads (SQLite, whose
  /// dates are text); empty where the column's type guarantees it.
  std::string_view unreadable_date;
  /// A condition true when {0} (the raw amount) is not a number (SQLite's
  /// columns take text anywhere); empty where the type guarantees it.
  std::string_view not_a_number;
  /// A condition true when {0} (an amount as a double) is infinite or NaN.
  std::string_view not_finite;
  std::string_view date_literal;  ///< {0}: YYYY-MM-DD
  /// Days since 1970-01-01 {0} → 'YYYY-MM-DD' text.
  std::string_view date_text;
  /// Days since 1970-01-01 {0} → the calendar month's index, months since
  /// 1970-01 (January 1970 is 0).
  std::string_view month_index;
  /// Days {0} plus {1} calendar months → days, the day of the month clamped
  /// to the target month's length (Jan 31 + 1 month is Feb 28 or 29).
  std::string_view add_months;
  /// A value that, when evaluated, stops the query with the message {0} (a
  /// text expression).
  std::string_view fail;
  /// The integer floor of {0} / {1} for a positive integer {1} (the engines'
  /// integer division truncates toward zero, or, in DuckDB, is not integer).
  std::string_view floor_div;
  /// A double literal {0} (the shortest round-trip digits).
  std::string_view double_literal;
  /// What makes a CTE of constants inline where it is used ("NOT
  /// MATERIALIZED " in PostgreSQL, whose planner otherwise scans it in a
  /// nested loop per row and cannot push the date bound into the table's
  /// scan); empty where the engine inlines it anyway or lacks the syntax.
  std::string_view inline_cte = {};
};

[[nodiscard]] const dialect_rules& rules(dialect d) noexcept;

/// The rule that turns a column of `type` into its UTC day (rules().utc_day
/// or its timestamp variants).
[[nodiscard]] std::string_view utc_day_rule(dialect d, date_column_type type) noexcept;

/// A double literal of the dialect holding exactly `x` (its shortest
/// round-trip digits, read as a double, not a decimal).
[[nodiscard]] std::string double_literal(dialect d, double x);

/// A string literal of the dialect holding `text` (our own messages and
/// dates, never a user's name), escaped so that no setting changes its
/// meaning.
[[nodiscard]] std::string string_literal(dialect d, std::string_view text);

}  // namespace cltv::sql
