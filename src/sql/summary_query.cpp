#include "sql/summary_query.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <string>
#include <vector>

#include "cltv/number.hpp"
#include "cltv/time_unit.hpp"

namespace cltv::sql {

namespace {

// Writes the query's fragments from the dialect's rules. Every expression
// the engine sees comes from here or from rules(); names only through
// quote_identifier.
class writer {
 public:
  writer(const summary_query_options& o, const dialect_rules& r) : o_(o), r_(r) {}

  template <typename... Args>
  [[nodiscard]] std::string rule(std::string_view fragment, const Args&... args) const {
    return fmt::format(fmt::runtime(fragment), args...);
  }
  [[nodiscard]] std::string literal(std::string_view text) const {
    return string_literal(o_.engine, text);
  }
  [[nodiscard]] std::string as_text(const std::string& expr) const {
    return fmt::format("COALESCE(CAST({} AS {}), 'NULL')", expr, r_.text_type);
  }
  [[nodiscard]] std::string as_double(const std::string& expr) const {
    return fmt::format("CAST({} AS {})", expr, r_.double_type);
  }
  [[nodiscard]] std::string number(double x) const { return double_literal(o_.engine, x); }
  // Days since 1970-01-01 of a date given to cltv, written as the
  // dialect's date literal.
  [[nodiscard]] std::string day_literal(day_number day) const {
    return rule(r_.utc_day, rule(r_.date_literal, format_date(day)));
  }
  // A value that stops the query with "cltv: <message><detail>"; `detail`
  // is an expression over the row, so the engine cannot fold it (and fail)
  // while planning.
  [[nodiscard]] std::string fail(std::string_view message, const std::string& detail) const {
    return rule(r_.fail,
                fmt::format("{} || {}", literal(fmt::format("cltv: {}", message)), detail));
  }
  // The index of the `rfm.unit` period that day expression `day` is in, as
  // period_index() numbers them.
  [[nodiscard]] std::string period_of(const std::string& day) const {
    switch (o_.rfm.unit) {
      case period_unit::week:  // Monday-start weeks: 1970-01-01 was a Thursday
        return rule(r_.floor_div, fmt::format("{} + 3", day), 7);
      case period_unit::month:
        return "(" + rule(r_.month_index, day) + ")";
      case period_unit::year:
        return rule(r_.floor_div, rule(r_.month_index, day), 12);
      case period_unit::day:
        break;
    }
    return day;
  }
  // Day expression `day` plus `count` periods, as add_periods() does.
  [[nodiscard]] std::string add_periods(const std::string& day, std::int32_t count) const {
    switch (o_.rfm.unit) {
      case period_unit::week:
        return fmt::format("({} + {})", day, std::int64_t{count} * 7);
      case period_unit::month:
        return rule(r_.add_months, day, count);
      case period_unit::year:
        return rule(r_.add_months, day, std::int64_t{count} * 12);
      case period_unit::day:
        break;
    }
    return fmt::format("({} + {})", day, count);
  }
  // A number of periods (an integer expression) in the time unit:
  // periods × period length / unit, in that order, as the summary computes it.
  [[nodiscard]] std::string in_time_unit(const std::string& periods) const {
    return fmt::format("{} * {} / {}", as_double(periods), number(period_days(o_.rfm.unit)),
                       number(unit_days()));
  }
  [[nodiscard]] double unit_days() const {
    return o_.rfm.time_unit_days.value_or(period_days(o_.rfm.unit));
  }

 private:
  const summary_query_options& o_;
  const dialect_rules& r_;
};

struct quoted_names {
  std::string table, customer, date, amount;
};

result<quoted_names> quote_names(const summary_query_options& o) {
  quoted_names q;
  auto table = quote_table_name(o.engine, o.table);
  if (!table) return std::move(table).error();
  q.table = *table;
  auto customer = quote_identifier(o.engine, "customer_col", o.customer_column);
  if (!customer) return std::move(customer).error();
  q.customer = *customer;
  auto date = quote_identifier(o.engine, "date_col", o.date_column);
  if (!date) return std::move(date).error();
  q.date = *date;
  if (o.with_amount) {
    auto amount = quote_identifier(o.engine, "amount_col", o.amount_column);
    if (!amount) return std::move(amount).error();
    q.amount = *amount;
  }
  return q;
}

// The log's rows as (customer, UTC day, amount), each row checked as
// `cltv summarize` checks it: a row it would refuse stops the query.
std::string rows_cte(const summary_query_options& o, const dialect_rules& r, const writer& w,
                     const quoted_names& q) {
  // The user's names appear once, in cltv_input; the checks use its aliases.
  const std::string in_row = fmt::format("' (customer ' || {} || ', date ' || {} || ')'",
                                         w.as_text("customer"), w.as_text("date_value"));
  std::vector<std::string> checks;
  checks.push_back(
      fmt::format("WHEN customer IS NULL THEN {}", w.fail("the customer is NULL", in_row)));
  // An empty text id is a value to the database, but not an id to `cltv summarize`.
  checks.push_back(fmt::format("WHEN {} = '' THEN {}", w.as_text("customer"),
                               w.fail("the customer is empty", in_row)));
  checks.push_back(
      fmt::format("WHEN date_value IS NULL THEN {}", w.fail("the date is NULL", in_row)));
  if (!r.unreadable_date.empty())
    checks.push_back(fmt::format("WHEN {} THEN {}", w.rule(r.unreadable_date, "date_value"),
                                 w.fail("the date is not an ISO 8601 date", in_row)));
  std::string amount = "0";
  if (o.with_amount) {
    const std::string value = w.as_double("amount_value");
    checks.push_back(
        fmt::format("WHEN amount_value IS NULL THEN {}", w.fail("the amount is NULL", in_row)));
    if (!r.not_a_number.empty())
      checks.push_back(fmt::format("WHEN {} THEN {}", w.rule(r.not_a_number, "amount_value"),
                                   w.fail("the amount is not a number", in_row)));
    checks.push_back(fmt::format("WHEN {} THEN {}", w.rule(r.not_finite, value),
                                 w.fail("the amount is not a finite number", in_row)));
    if (!o.allow_refunds)
      checks.push_back(fmt::format(
          "WHEN {} < 0 THEN {}", value,
          w.fail("a negative amount (a refund? --allow-refunds accepts them)", in_row)));
    amount = value;
  }
  std::string out = fmt::format(
      "cltv_input AS (\n"
      "  SELECT {} AS customer, {} AS date_value{}\n"
      "  FROM {}\n"
      "),\n"
      "cltv_rows AS (\n"
      "  -- one row per purchase: the customer, its UTC calendar day (days since 1970-01-01)\n"
      "  -- and the amount; a row `cltv summarize` refuses stops the query\n"
      "  SELECT customer, {} AS day, {} AS amount\n"
      "  FROM cltv_input\n"
      "  WHERE CASE\n",
      q.customer, q.date, o.with_amount ? ", " + q.amount + " AS amount_value" : "", q.table,
      w.rule(utc_day_rule(o.engine, o.date_type.value_or(date_column_type::date)), "date_value"),
      amount);
  for (const std::string& c : checks) out += fmt::format("    {}\n", c);
  out += "    ELSE 0 END = 0\n)";
  return out;
}

// The observation end (default: the last day in the log) and the
// calibration end (given, or periods after the first day). A calibration end
// the data decide must still come before the observation end, as the
// summary requires: the query stops otherwise.
std::string bounds_cte(const summary_query_options& o, const dialect_rules& r, const writer& w) {
  const rfm_options& rfm = o.rfm;
  const std::string observation_end =
      rfm.observation_end ? w.day_literal(*rfm.observation_end) : "MAX(day)";
  std::string calibration_end;
  std::string what;
  if (rfm.calibration_end) {
    calibration_end = w.day_literal(*rfm.calibration_end);
    what = "the calibration end ";
  } else if (rfm.calibration_periods) {
    const std::string first_day =
        rfm.observation_end ? fmt::format("MIN(CASE WHEN day <= {} THEN day END)", observation_end)
                            : std::string("MIN(day)");
    calibration_end = w.add_periods(first_day, *rfm.calibration_periods);
    what = fmt::format("calibration_periods {} ends the calibration on ", *rfm.calibration_periods);
  }
  const bool aggregates = !rfm.observation_end || (!rfm.calibration_end && rfm.calibration_periods);
  // Constant ends are inlined where the engine would otherwise materialize
  // them; ends computed from the rows are computed once.
  const std::string as = aggregates ? " AS (" : fmt::format(" AS {}(", r.inline_cte);
  std::string out = "cltv_ends" + as + "\n  SELECT " + observation_end + " AS observation_end";
  if (!calibration_end.empty()) out += ",\n    " + calibration_end + " AS calibration_end";
  if (aggregates) out += "\n  FROM cltv_rows";
  out += "\n),\ncltv_bounds" + as + "\n  SELECT observation_end";
  if (!calibration_end.empty()) {
    const std::string detail = fmt::format("{} || {} || {}", w.rule(r.date_text, "calibration_end"),
                                           w.literal(", not before the observation end "),
                                           w.rule(r.date_text, "observation_end"));
    out += fmt::format(
        ",\n    CASE WHEN calibration_end >= observation_end THEN {} ELSE "
        "calibration_end END AS calibration_end",
        w.fail(what, detail));
  }
  out += "\n  FROM cltv_ends\n)";
  return out;
}

// Periods, customers and the summary rows, from cltv_rows and cltv_bounds.
// One aggregation per customer gives the calibration and the holdout
// columns together: no join between two per-customer results, which a
// planner misjudging their sizes could turn into a nested loop.
std::string summary_ctes(const summary_query_options& o, const writer& w) {
  const bool split = o.rfm.calibration_end || o.rfm.calibration_periods;
  const summary_column_names n = summary_columns(o);
  const std::string end_period = w.period_of(split ? "b.calibration_end" : "b.observation_end");
  std::string out = fmt::format(
      "cltv_periods AS (\n"
      "  -- a customer's purchases in one period merge into one{}\n"
      "  SELECT customer, holdout, period, SUM(amount) AS amount, COUNT(*) AS purchases\n"
      "  FROM (\n"
      "    SELECT r.customer, {} AS holdout, {} AS period, r.amount\n"
      "    FROM cltv_rows r CROSS JOIN cltv_bounds b\n"
      "    WHERE r.day <= b.observation_end\n"
      "  ) p\n"
      "  GROUP BY customer, holdout, period\n"
      "),\n"
      "cltv_customers AS (\n"
      "  -- frequency counts the calibration periods after the first; the first\n"
      "  -- period's amount is not in the mean spend; customers with purchases\n"
      "  -- only in the holdout are left out\n"
      "  SELECT customer,\n"
      "    SUM(1 - holdout) - 1 AS frequency,\n"
      "    MIN(CASE WHEN holdout = 0 THEN period END) AS first_period,\n"
      "    MAX(CASE WHEN holdout = 0 THEN period END) AS last_period,\n"
      "    SUM(holdout) AS holdout_periods,\n"
      "    SUM(holdout * purchases) AS holdout_purchases{}\n"
      "  FROM {}\n"
      "  GROUP BY customer\n"
      "  HAVING SUM(1 - holdout) > 0\n"
      "),\n"
      "cltv_summary AS (\n"
      "  SELECT c.customer AS customer_id,\n"
      "    c.last_period - c.first_period AS recency_periods,\n"
      "    {} - c.first_period AS t_periods,\n"
      "    c.frequency AS {},\n"
      "    {} AS {},\n"
      "    {} AS {}",
      split ? "; holdout: 1 after the calibration end" : "",
      split ? "CASE WHEN r.day > b.calibration_end THEN 1 ELSE 0 END" : "0", w.period_of("r.day"),
      // The spend needs each customer's first period beside every period (a
      // window: a sort by customer); without amounts it is left out.
      o.with_amount
          ? ",\n    SUM(CASE WHEN holdout = 0 AND period > customer_first THEN amount ELSE 0 END) "
            "AS repeat_amount,\n"
            "    SUM(CASE WHEN holdout = 1 THEN amount ELSE 0 END) AS holdout_amount"
          : "",
      o.with_amount ? "(\n"
                      "    SELECT customer, holdout, period, amount, purchases,\n"
                      "      MIN(CASE WHEN holdout = 0 THEN period END) OVER (PARTITION BY "
                      "customer) AS customer_first\n"
                      "    FROM cltv_periods\n"
                      "  ) c"
                    : "cltv_periods c",
      end_period, n.frequency, w.in_time_unit("c.last_period - c.first_period"), n.recency,
      w.in_time_unit(fmt::format("{} - c.first_period", end_period)), n.T);
  if (o.with_amount)
    out += fmt::format(
        ",\n    CASE WHEN c.frequency > 0 THEN c.repeat_amount / c.frequency ELSE 0 END AS {}",
        n.monetary_value);
  if (split) {
    out += ",\n    c.holdout_periods AS frequency_holdout";
    if (o.with_amount)
      out +=
          ",\n    CASE WHEN c.holdout_purchases > 0 THEN c.holdout_amount / c.holdout_purchases "
          "ELSE 0 END AS monetary_value_holdout";
    out += fmt::format(
        ",\n    {} AS duration_holdout",
        w.in_time_unit(fmt::format("{} - {}", w.period_of("b.observation_end"), end_period)));
    if (o.with_amount) out += ",\n    c.holdout_amount AS spend_holdout";
  }
  out += "\n  FROM cltv_customers c CROSS JOIN cltv_bounds b\n)";
  return out;
}

// time_unit_days, freq, observation_end (and calibration_end) of cltv_bounds b.
std::string unit_columns(const summary_query_options& o, const dialect_rules& r, const writer& w) {
  std::string out = fmt::format("{} AS time_unit_days, {} AS freq, {} AS observation_end",
                                w.number(w.unit_days()), w.literal(period_letter(o.rfm.unit)),
                                w.rule(r.date_text, "b.observation_end"));
  if (o.rfm.calibration_end || o.rfm.calibration_periods)
    out += fmt::format(", {} AS calibration_end", w.rule(r.date_text, "b.calibration_end"));
  return out;
}

std::string final_select(const summary_query_options& o, const dialect_rules& r, const writer& w) {
  const bool split = o.rfm.calibration_end || o.rfm.calibration_periods;
  const summary_column_names n = summary_columns(o);
  const std::string f = n.frequency, rc = n.recency, T = n.T, m = n.monetary_value;
  std::vector<std::string> columns{"s.customer_id", "s." + f, "s." + rc, "s." + T};
  if (o.with_amount) columns.push_back("s." + m);
  if (split) {
    columns.emplace_back("s.frequency_holdout");
    if (o.with_amount) columns.emplace_back("s.monetary_value_holdout");
    columns.emplace_back("s.duration_holdout");
    if (o.with_amount) columns.emplace_back("s.spend_holdout");
  }
  switch (o.output) {
    case summary_output::customers:
      return fmt::format(
          "SELECT {}, {}\nFROM cltv_summary s CROSS JOIN cltv_bounds b\nORDER BY s.customer_id",
          fmt::join(columns, ", "), unit_columns(o, r, w));
    case summary_output::tuples:
      return fmt::format(
          "SELECT t.{0}, t.{1}, t.{2}, t.customers, {3}\n"
          "FROM (\n"
          "  SELECT {0}, {1}, {2}, COUNT(*) AS customers\n"
          "  FROM cltv_summary GROUP BY {0}, {1}, {2}\n"
          ") t CROSS JOIN cltv_bounds b\n"
          "ORDER BY t.{0}, t.{1}, t.{2}",
          f, rc, T, unit_columns(o, r, w));
    case summary_output::spend:
      return fmt::format(
          "SELECT t.{0}, t.{1}, t.customers, {2}\n"
          "FROM (\n"
          "  SELECT {0}, {1}, COUNT(*) AS customers\n"
          "  FROM cltv_summary WHERE {0} > 0 GROUP BY {0}, {1}\n"
          ") t CROSS JOIN cltv_bounds b\n"
          "ORDER BY t.{0}, t.{1}",
          f, m, unit_columns(o, r, w));
    case summary_output::counts:
      break;
  }
  // Single-row aggregates joined, not scalar subqueries in the select list,
  // which not every engine's grammar takes.
  std::string out = fmt::format(
      "SELECT i.customers_included, a.customers_all - i.customers_included AS "
      "customers_excluded,\n"
      "  t.transactions_after_end,\n"
      "  {} AS observation_end",
      w.rule(r.date_text, "b.observation_end"));
  if (split)
    out += fmt::format(",\n  {} AS calibration_end", w.rule(r.date_text, "b.calibration_end"));
  out +=
      "\nFROM cltv_bounds b\n"
      "CROSS JOIN (SELECT COUNT(*) AS customers_included FROM cltv_customers) i\n"
      "CROSS JOIN (SELECT COUNT(DISTINCT customer) AS customers_all FROM cltv_rows) a\n"
      "CROSS JOIN (SELECT COUNT(*) AS transactions_after_end FROM cltv_rows r CROSS JOIN "
      "cltv_bounds e WHERE r.day > e.observation_end) t";
  return out;
}

}  // namespace

result<std::string> summary_with_clause(const summary_query_options& o) {
  const rfm_options& rfm = o.rfm;
  if (rfm.time_unit_days && !(std::isfinite(*rfm.time_unit_days) && *rfm.time_unit_days > 0))
    return error{"time_unit", "time_unit must be a positive number of days, got " +
                                  format_shortest(*rfm.time_unit_days)};
  if (rfm.calibration_end && rfm.calibration_periods)
    return error{"calibration_periods",
                 "calibration_periods and calibration_end exclude each other"};
  if (rules(o.engine).needs_date_type && !o.date_type)
    return error{"date_type",
                 "date_type is required with " + std::string(rules(o.engine).display_name) +
                     ": date, timestamp (without a zone: its day as written) or timestamptz (an "
                     "instant: its UTC day); the date column's type decides how its day is "
                     "computed"};
  if (rfm.calibration_end && rfm.observation_end && *rfm.calibration_end >= *rfm.observation_end)
    return error{"calibration_end", "calibration_end " + format_date(*rfm.calibration_end) +
                                        " must be before observation_end " +
                                        format_date(*rfm.observation_end)};
  if (rfm.calibration_periods) {
    auto checked = check_calibration_periods(*rfm.calibration_periods);
    if (!checked) return std::move(checked).error();
  }
  auto names = quote_names(o);
  if (!names) return std::move(names).error();
  const dialect_rules& r = rules(o.engine);
  const writer w(o, r);
  return fmt::format("WITH\n{},\n{},\n{}\n", rows_cte(o, r, w, *names), bounds_cte(o, r, w),
                     summary_ctes(o, w));
}

summary_column_names summary_columns(const summary_query_options& o) {
  const char* suffix = o.rfm.calibration_end || o.rfm.calibration_periods ? "_cal" : "";
  const auto name = [&](const char* base) {
    return *quote_identifier(o.engine, "column", fmt::format("{}{}", base, suffix));
  };
  return {name("frequency"), name("recency"), name("T"), name("monetary_value")};
}

std::string periods_per_time_unit(const summary_query_options& o) {
  const writer w(o, rules(o.engine));
  return w.number(w.unit_days() / period_days(o.rfm.unit));
}

result<std::string> summary_query(const summary_query_options& o) {
  if (o.output == summary_output::spend && !o.with_amount)
    return error{"no_amount", "the spend tuples need amounts: leave out --no-amount"};
  auto with = summary_with_clause(o);
  if (!with) return with;
  const dialect_rules& r = rules(o.engine);
  return fmt::format(
      "-- cltv sql summarize ({}): the result equals `cltv summarize` on the same rows\n{}{};\n",
      r.name, *with, final_select(o, r, writer(o, r)));
}

}  // namespace cltv::sql
