#pragma once
// The SQL that computes `cltv summarize` inside the user's database: one
// query whose result has the summary's columns, semantics and numbers
// (cltv/rfm.hpp), for PostgreSQL, DuckDB or SQLite.

#include <optional>
#include <string>

#include "cltv/error.hpp"
#include "cltv/rfm.hpp"
#include "sql/dialect.hpp"

namespace cltv::sql {

/// Which result the query gives.
enum class summary_output {
  /// One row per customer: customer_id, frequency, recency, T,
  /// monetary_value (with a calibration end: the _cal columns and the
  /// holdout ones), then time_unit_days, freq, observation_end (and
  /// calibration_end), as `cltv summarize` writes them. Ordered by customer_id.
  customers,
  /// The distinct (frequency, recency, T) with a `customers` count and the
  /// unit columns: what BG/NBD, MBG/NBD and Pareto/NBD are fitted on
  /// (`cltv fit … --count-col customers`).
  tuples,
  /// The distinct (frequency, monetary_value) of the customers with repeat
  /// purchases, with a `customers` count and the unit columns: what
  /// Gamma-Gamma is fitted on.
  spend,
  /// One row: customers_included, customers_excluded (every purchase after
  /// the calibration or observation end), transactions_after_end,
  /// observation_end (and calibration_end), which a summary's rows cannot
  /// carry.
  counts,
};

struct summary_query_options {
  dialect engine = dialect::postgres;
  std::string table;  ///< the log's table, possibly qualified (schema.table)
  std::string customer_column = "customer_id";
  /// A date, timestamp or timestamptz column (SQLite: ISO 8601 text).
  std::string date_column = "date";
  /// Its type, which the cloud engines need (rules().needs_date_type) to
  /// find its UTC day; the others ignore it.
  std::optional<date_column_type> date_type;
  std::string amount_column = "amount";
  bool with_amount = true;
  bool allow_refunds = false;
  /// The period, time unit, observation and calibration ends, as `cltv
  /// summarize` takes them (sorted_by_date and track_activity do not apply).
  rfm_options rfm;
  summary_output output = summary_output::customers;
};

/// The part of every query built on the summary: "WITH cltv_input AS (…),
/// …, cltv_summary AS (…)\n", to which a final SELECT is added. cltv_summary
/// holds customer_id, the summary's columns as `cltv summarize` names them
/// (summary_columns), and recency_periods and t_periods, recency and T as
/// whole --freq periods: what a table keyed by recency and T is joined on.
[[nodiscard]] result<std::string> summary_with_clause(const summary_query_options& options);

/// The summary's own columns as quoted identifiers: frequency, recency, T,
/// monetary_value, with "_cal" after them when there is a calibration split.
struct summary_column_names {
  std::string frequency, recency, T, monetary_value;
};
[[nodiscard]] summary_column_names summary_columns(const summary_query_options& options);

/// --freq periods per time unit as a double literal: recency × it is
/// recency_periods (up to rounding).
[[nodiscard]] std::string periods_per_time_unit(const summary_query_options& options);

/// The query, ending with ";\n". Names are quoted identifiers (refused when
/// they cannot be quoted, naming the flag's field); dates are the dialect's
/// literals. Rows the summary would refuse (an empty customer, date or
/// amount, a negative amount without allow_refunds, a date SQLite cannot
/// read) stop the query with an error that starts "cltv:".
[[nodiscard]] result<std::string> summary_query(const summary_query_options& options);

}  // namespace cltv::sql
