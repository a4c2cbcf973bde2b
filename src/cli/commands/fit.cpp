#include "commands/fit.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cltv/models/bgbb.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/model_choice.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/models/rfm_data.hpp"
#include "cltv/models/sbg.hpp"
#include "cltv/number.hpp"
#include "cltv/time_unit.hpp"
#include "commands/summarize.hpp"
#include "io/database_input.hpp"
#include "io/format_option.hpp"
#include "io/messages.hpp"
#include "io/model_file.hpp"
#include "io/output.hpp"
#include "io/progress.hpp"
#include "io/summary_input.hpp"
#include "io/text.hpp"

namespace cltv::cli {
namespace {

constexpr const char* fit_examples = R"(Examples:
  cltv fit sbg survival.csv --column highend        # active counts at the start of periods 0..n
  cltv fit bgnbd summary.csv                        # columns frequency,recency,T (or x,t_x,T)
  cltv fit mbgnbd summary.csv --format table        # MBG/NBD: same columns and parameters
  cltv fit pareto-nbd summary.csv                   # Pareto/NBD: r, alpha, s, beta
  cltv fit ggomnbd summary.csv --format table       # Gamma-Gompertz/NBD: r, alpha, b, s, beta
  cltv fit gamma-gamma summary.csv --format table   # frequency,monetary_value (or x,zbar)
  cltv fit bgbb donations.csv --count-col weights   # BG/BB: frequency,recency,periods
  cltv summarize drive.csv --freq Y --opportunities | cltv fit bgbb -   # a yearly drive
  cltv summarize log.csv --observation-end 2024-06-30 | cltv fit bgnbd -
  cltv fit bgnbd tuples.csv --count-col customers   # pre-aggregated (x, t_x, T) rows
  cltv fit bgnbd --from postgresql:///shop --table orders --freq W --observation-end 2024-06-30
  cltv fit bgnbd cdnow_summary.csv --time-unit weeks   # a summary that does not say
  cltv fit gamma-gamma summary.csv --drop-nonpositive | jq .parameters
  cltv metrics log.csv --by cohort --format json | cltv fit sbg - --from-metrics
  cltv fit bgnbd summary.csv --penalty 0.01        # lifetimes' penalizer_coef 0.01
  cltv fit pareto-nbd summary.csv --covariates attributes.csv --covariate-cols Gender,Channel
  cltv fit bgnbd summary.csv --covariates attributes.csv --trans-covariates Channel \
      --life-covariates Gender --reg-trans 0.1 --format table
  cltv fit --compare bgnbd,mbgnbd,pareto-nbd summary.csv   # which model? AIC, BIC
  cltv summarize log.csv --calibration-end 2024-03-31 > cal.csv && cltv fit --compare bgnbd,pareto-nbd cal.csv

bgnbd (Fader, Hardie & Lee 2005): r, alpha (purchase rates), a, b (dropout).
mbgnbd (Batislam, Denizel & Filiztekin 2007): the same parameters; customers
may also drop out right after their first purchase, so those without repeat
purchases are not counted alive for sure.
pareto-nbd (Schmittlein, Morrison & Colombo 1987): r, alpha (purchase rates),
s, beta (exponential lifetimes). When the dropout rates hardly vary, s and beta
run off together: the fit reports that limit (one dropout rate mu = s/beta for
everyone, s = 1e12) and says so in "degenerate" (the table: a degenerate line).
gamma-gamma (Fader, Hardie & Lee 2005; note 025): p, q, gamma, fitted on the
rows with frequency > 0; warns when |corr(frequency, monetary value)| > 0.3.
bgbb (Fader, Hardie & Shang 2010): alpha, beta (transaction probability p at
each opportunity), gamma, delta (dropout probability theta before each), for
purchases at discrete opportunities: frequency x of the n opportunities after
the first (periods; T is read where there is no periods column), the last at
opportunity recency t_x, all whole numbers (`cltv summarize --opportunities`).
Its times are opportunities; it is not compared with the continuous-time
models.
sbg (Fader & Hardie 2007): alpha, beta of a cohort's survival curve; the counts
are whole numbers that never increase. The JSON holds each parameter's
estimate, standard error and 95% interval, the log-likelihood, n, whether the
optimiser converged, the XXH3 64-bit checksum of the input file's bytes, and
time_unit_days: the summary's time unit (its time_unit_days column, as `cltv
summarize` writes it, or --time-unit), which predict and clv check.
It also holds "covariance", the estimates' covariance matrix (its diagonal
the standard errors squared), and "hessian", the Hessian of what was minimised
with respect to the log-parameters, from which the covariance follows by the
delta method. Where the likelihood is flat at the estimate (its Hessian is not
negative definite), the estimates are still written, with null standard errors
and intervals, no covariance and "standard_errors_missing" saying why (the
table: n/a).
--from URI --table NAME fits a log in PostgreSQL: the database makes the
summary (`cltv sql summarize`'s query: the distinct (frequency, recency, T),
gamma-gamma's (frequency, monetary_value), with a customers count), as the
--customer-col, --date-col, --amount-col, --freq, --observation-end,
--calibration-end and --time-unit options say, and only those rows come back.
--penalty c minimises the mean -log-likelihood per customer plus c times the
sum of the squared parameters, alpha (and Pareto/NBD's beta) in units of the
longest T: lifetimes' penalizer_coef. It shrinks the parameters towards 0 as c
grows and is not scale-invariant (it depends on the data's span and, for
gamma-gamma, the currency unit); the log-likelihood written is without it.
--covariates FILE (bgnbd, mbgnbd, pareto-nbd) joins customer attributes on the
customer id (one row each, numeric values) and fits CLVTools' static-covariate
model: alpha_i = alpha exp(-g z) in the purchase process (--covariate-cols: both
processes; --trans-covariates: purchase only), Pareto/NBD beta_i = beta exp(-g z)
and BG/NBD a_i, b_i = a, b exp(g z) in the dropout process (--life-covariates);
--equal-covariates gives a covariate of both processes one coefficient (and
tests that constraint against the model without it: "constraint_test");
--reg-trans/--reg-life add lambda times the sum of squared coefficients to the
mean -log-likelihood (CLVTools' reg.lambdas). The parameters are then a
customer's whose values are all 0; "covariates" holds each coefficient with its
standard error, interval, z and p-value, the likelihood-ratio test against the
model without covariates, and the covariance of all the estimates. predict and
clv take the model with --covariates FILE.
--compare fits each listed purchase model to SUMMARY and prints, side by side,
log-likelihood, k, AIC and BIC and, when SUMMARY has frequency_holdout and
duration_holdout columns (`cltv summarize --calibration-end`), the holdout's
mean absolute and root mean squared error and predicted vs actual purchases,
as `cltv backtest` computes them. It prefers the lowest holdout mean absolute
error when there is a holdout, otherwise the lowest BIC, and says so.
Exit codes: 0 ok, 2 bad input or a fit that failed (one line says why; with
--compare, a model whose fit fails is listed with the reason, and 2 only when
none fits).)";

/// 4 significant digits, for people; "n/a" for a standard error or interval
/// the fit does not have (NaN).
std::string readable(double x) {
  return std::isnan(x) ? std::string("n/a") : fmt::format("{:.4g}", x);
}

/// A fitted model: its file (model_file's fields but the input's), and the
/// lines of its own that the table adds.
struct fitted {
  model_file file;
  std::vector<std::pair<std::string, std::string>> extra_table{};
};

/// A titled n×n matrix of the model's parameters (nothing when it has none).
/// Each row and column is labelled `prefix` and the parameter's name.
void write_matrix(std::string_view title, std::string_view prefix, const models::model_names& names,
                  const std::vector<double>& m, std::string& out) {
  const std::size_t n = names.parameters.size();
  if (m.size() != n * n) return;
  out += fmt::format("\n{}\n{:<10}", title, "");
  for (const auto& name : names.parameters)
    out += fmt::format(" {:>12}", fmt::format("{}{}", prefix, name));
  out += '\n';
  for (std::size_t i = 0; i < n; ++i) {
    out += fmt::format("{:<10}", fmt::format("{}{}", prefix, names.parameters[i]));
    for (std::size_t j = 0; j < n; ++j) out += fmt::format(" {:>12}", readable(m[i * n + j]));
    out += '\n';
  }
}

/// The coefficients of a fit with covariates, their test against the model
/// without them, and the regularisation when there is one.
void write_covariate_table(model_kind kind, const covariate_record& c, std::string& out) {
  out += fmt::format("\n{:<24} {:>10} {:>10}  {:<22} {:>8} {:>9}\n", "coefficient", "estimate",
                     "std. error", "95% interval", "z", "p");
  for (std::size_t j = 0; j < c.effects.terms.size(); ++j) {
    const models::coefficient_estimate& e = c.estimates[j];
    const std::string interval =
        std::isnan(e.lower_95)
            ? std::string("n/a")
            : fmt::format("[{}, {}]", readable(e.lower_95), readable(e.upper_95));
    out += fmt::format("{:<24} {:>10} {:>10}  {:<22} {:>8} {:>9}\n",
                       fmt::format("{} {}", models::process_name(c.effects.terms[j].process),
                                   c.effects.terms[j].covariate),
                       readable(c.effects.coefficients[j]), readable(e.standard_error), interval,
                       readable(e.z), readable(e.p_value));
  }
  out += kind == model_kind::pareto_nbd
             ? "(purchase: alpha_i = alpha exp(-g z), positive = more purchases; dropout: beta_i "
               "= beta exp(-g z), positive = earlier dropout)\n"
             : "(purchase: alpha_i = alpha exp(-g z), positive = more purchases; dropout: a_i = a "
               "exp(g z), b_i = b exp(g z))\n";
  const models::likelihood_ratio_test& t = c.against_no_covariates;
  out += fmt::format(
      "LR test         against no covariates: statistic {}, df {}, p {} (LL without {})\n",
      readable(t.statistic), t.degrees_of_freedom, readable(t.p_value),
      trimmed_number(t.restricted_log_likelihood, 4));
  if (c.against_unconstrained) {
    const models::likelihood_ratio_test& u = *c.against_unconstrained;
    out += fmt::format(
        "LR test         of the constraints (against each free in both processes): "
        "statistic {}, df {}, p {} (LL unconstrained {})\n",
        readable(u.statistic), u.degrees_of_freedom, readable(u.p_value),
        trimmed_number(u.full_log_likelihood, 4));
  } else if (!c.constraint_test_missing.empty()) {
    out += fmt::format("LR test         of the constraints: none: {}\n", c.constraint_test_missing);
  }
  if (c.penalty.purchase > 0 || c.penalty.dropout > 0)
    out += fmt::format(
        "regularisation  trans {}, life {} (log-likelihood without it; standard "
        "errors and tests of the penalised fit)\n",
        format_shortest(c.penalty.purchase), format_shortest(c.penalty.dropout));
}

void write_table(const fitted& f, const std::string& name, std::string& out) {
  const models::model_names& names = names_of(f.file.kind);
  const models::fit_report& report = f.file.report;
  out += fmt::format("{} fit of {}\n", names.name, name);
  out += fmt::format("{:<10} {:>12} {:>12}  {}\n", "parameter", "estimate", "std. error",
                     "95% interval");
  for (std::size_t i = 0; i < names.parameters.size(); ++i) {
    const models::parameter_estimate& e = f.file.estimates[i];
    const std::string interval =
        std::isnan(e.lower_95)
            ? std::string("n/a")
            : fmt::format("[{}, {}]", readable(e.lower_95), readable(e.upper_95));
    out += fmt::format("{:<10} {:>12} {:>12}  {}\n", names.parameters[i], readable(e.value),
                       readable(e.standard_error), interval);
  }
  out += fmt::format("log-likelihood  {}\n", trimmed_number(report.log_likelihood, 4));
  out += fmt::format("n               {} ({} distinct)\n", report.customers, report.unique_tuples);
  out += fmt::format("converged       {} ({}; {} evaluations)\n", report.converged ? "yes" : "no",
                     report.status, report.evaluations);
  if (!report.standard_errors_missing.empty())
    out += fmt::format("std. errors     none: {}\n", report.standard_errors_missing);
  if (!report.degenerate.empty()) out += fmt::format("degenerate      {}\n", report.degenerate);
  if (!std::isnan(report.integration_error))
    out += fmt::format("integration     {} against adaptive Gauss-Kronrod (|difference in LL|)\n",
                       readable(report.integration_error));
  if (report.penalty > 0)
    out += fmt::format("penalty         {} (log-likelihood without it)\n",
                       format_shortest(report.penalty));
  for (const auto& [key, value] : f.extra_table) out += fmt::format("{:<15} {}\n", key, value);
  if (f.file.covariates) write_covariate_table(f.file.kind, *f.file.covariates, out);
  write_matrix("covariance (diagonal: std. error squared)", "", names, report.covariance, out);
  write_matrix(fmt::format("Hessian of the {}-log-likelihood in log-parameters",
                           report.penalty > 0 ? "penalised " : ""),
               "ln ", names, report.log_hessian, out);
}

/// A number field the fast way when it is a plain decimal ("38", "30.43":
/// what a summary holds; -0 made 0); false for anything else (also a missing
/// field), which then goes through number_field to be parsed or explained.
bool plain_number(std::optional<std::string_view> text, double& out) noexcept {
  if (!text || !parse_plain_decimal(*text, out)) return false;
  out += 0.0;  // -0 → 0: equal tuples must hash equal
  return true;
}

/// A field of digits only ("38": what a summary of whole days or weeks
/// holds), up to 9 of them; false for anything else, which then goes the
/// general way.
bool whole_number(std::optional<std::string_view> text, std::uint64_t& out) noexcept {
  if (!text || text->empty() || text->size() > 9) return false;
  std::uint64_t v = 0;
  for (const char c : *text) {
    const auto digit = static_cast<unsigned>(c - '0');
    if (digit > 9) return false;
    v = v * 10 + digit;
  }
  out = v;
  return true;
}

result<double> count_field(const table_input& in, std::size_t column) {
  auto c = number_field(in, column, "count");
  if (!c) return c;
  return models::check_customer_count(*c);
}

error fit_failed(std::string_view input, std::string_view model, const error& e) {
  return error{e.field, fmt::format("{}: cannot fit {}: {}", input, model, e.message)};
}

/// The unit the model file records: the summary's, or --time-unit's for a
/// summary that does not say; both given, they must agree.
result<std::optional<double>> fitted_time_unit(const fit_options& o, std::string_view input_name,
                                               const summary_stamp& stamp) {
  std::vector<time_unit_statement> statements;
  if (!o.time_unit.empty()) {
    auto given = parse_time_unit(o.time_unit);
    if (!given) return std::move(given).error();
    statements.push_back({"--time-unit says", *given});
  }
  if (stamp.time_unit_days)
    statements.push_back({the_summary(input_name) + " is in", *stamp.time_unit_days});
  return agreed_time_unit(statements);
}

/// Opens the summary at its frequency column, then `columns`, then the
/// --count-col column when there is one, then the stamp's columns.
result<table_input> open_summary(const fit_options& o, std::vector<named_column> columns,
                                 std::vector<std::optional<std::size_t>>& at,
                                 summary_stamp_reader& stamp, std::string& name) {
  columns.insert(columns.begin(), frequency_column(o.frequency_col));
  if (!o.count_col.empty()) columns.push_back({"count", "--count-col", o.count_col, {}});
  stamp.add_columns(columns);
  auto in = open_named_columns(o.table, columns, at);
  if (in) name = in->name();
  return in;
}

/// A summary's customers as the purchase models take them.
struct purchase_summary {
  std::vector<models::rfm_tuple> tuples;  ///< merged (x, t_x, T) with counts
  /// One per row, when the summary has holdout columns and they were asked for.
  std::vector<models::holdout_customer> holdout;
  std::optional<double> time_unit_days;
  std::uint64_t rows = 0;  ///< customer rows read
  std::uint64_t skipped_rows = 0;
};

/// Reads the summary's (x, t_x, T) rows; with `with_holdout`, also each row's
/// holdout columns when the summary has them (a calibration summary).
result<purchase_summary> read_purchase_summary(const fit_options& o, bool with_holdout,
                                               std::string& name) {
  std::vector<std::optional<std::size_t>> at;
  summary_stamp_reader stamp;
  std::vector<named_column> columns{recency_column(o.recency_col), T_column(o.T_col)};
  if (with_holdout) {
    columns.push_back(holdout_purchases_column(false));
    columns.push_back(holdout_duration_column(false));
  }
  auto in = open_summary(o, columns, at, stamp, name);
  if (!in) return std::move(in).error();
  const std::size_t x_col = *at[0], tx_col = *at[1], T_col = *at[2];
  const bool has_holdout = with_holdout && at[3] && at[4];
  const bool counted = !o.count_col.empty();
  const std::size_t count_at = with_holdout ? 5 : 3;
  // BG/BB's histories are whole opportunities with x <= t_x: checked row by
  // row, so that an error names its line.
  const std::optional<model_kind> kind = models::model_named(o.model);
  const bool discrete = kind && models::is_discrete_time(*kind);
  if (has_holdout && counted)
    return error{"count", fmt::format("{} has holdout columns, which are one customer a row: "
                                      "leave out --count-col",
                                      in->name())};
  // Rows are merged into distinct tuples as they are read: memory grows with
  // the distinct (x, t_x, T), not with the file (and with the customers only
  // when their holdouts are kept).
  purchase_summary out;
  models::rfm_compressor merged;
  // A valid row of whole numbers that fits the compressor's key, merged
  // without the general parser; false, with nothing merged, for any other.
  const auto merge_whole = [&](std::uint64_t x, std::uint64_t t_x, std::uint64_t T) {
    return !counted && !has_holdout && (!discrete || x <= t_x) && merged.add_whole(x, t_x, T);
  };
  // A row read by `rows` (table_input or a block of it): the fatal error, or
  // nullopt when merged or skipped (--skip-bad-rows).
  const auto add_row = [&](table_input& rows) -> std::optional<error> {
    if (auto e = stamp.check_row(rows, at)) return e;
    std::uint64_t wx = 0, wt = 0, wT = 0;
    if (whole_number(rows.field(x_col), wx) && whole_number(rows.field(tx_col), wt) &&
        whole_number(rows.field(T_col), wT) && merge_whole(wx, wt, wT))
      return std::nullopt;  // the common case: whole days or weeks, a valid row
    models::holdout_customer customer;
    const auto row = [&]() -> result<models::rfm_tuple> {
      models::rfm_tuple t;
      if (!counted && plain_number(rows.field(x_col), t.x) &&
          plain_number(rows.field(tx_col), t.t_x) && plain_number(rows.field(T_col), t.T)) {
        // without the general parser
      } else {
        auto x = number_field(rows, x_col, "frequency");
        if (!x) return std::move(x).error();
        auto tx = number_field(rows, tx_col, "recency");
        if (!tx) return std::move(tx).error();
        auto T = number_field(rows, T_col, "T");
        if (!T) return std::move(T).error();
        t.x = *x;
        t.t_x = *tx;
        t.T = *T;
        if (counted) {
          auto c = count_field(rows, *at[count_at]);
          if (!c) return std::move(c).error();
          t.count = *c;
        }
      }
      if (has_holdout) {
        auto h = holdout_fields(rows, *at[3], *at[4]);
        if (!h) return std::move(h).error();
        customer.actual = h->first;
        customer.duration = h->second;
      }
      auto checked = models::check_rfm_tuple(t);
      if (checked && discrete) {
        auto history = models::check_bgbb_tuple(models::bgbb_tuple_of(*checked));
        if (!history) return std::move(history).error();
      }
      return checked;
    }();
    if (!row) return rows.bad_row(row.error());
    if (auto e = merged.add(*row)) return e;  // checked already: cannot fail
    if (has_holdout) {
      customer.calibration = *row;
      out.holdout.push_back(customer);
    }
    return std::nullopt;
  };
  // The first row the general way (it sets the stamp the others must
  // repeat), then blocks of rows in one pass each where they are whole
  // numbers (whole_number_rows), falling back to add_row where not.
  whole_number_rows layout(in->field_delimiter());
  const bool blocks = !counted && !has_holdout && in->splittable() && in->field_delimiter() != '\0';
  const bool first = blocks && in->next();
  if (first)
    if (auto e = add_row(*in)) return *e;
  if (first && stamp.add_fixed_fields(*in, at, layout)) {
    for (const std::size_t column : {x_col, tx_col, T_col})
      layout.add_number(in->field_position(column));
  }
  if (layout.usable()) {
    const auto take = [&](const whole_number_rows::numbers& v) {
      return merge_whole(v[0], v[1], v[2]);
    };
    if (auto e = read_whole_number_rows(*in, layout, take, add_row)) return *e;
  } else {
    while (in->next())
      if (auto e = add_row(*in)) return *e;
  }
  if (auto e = in->failure()) return *e;
  out.skipped_rows = in->skipped_rows();
  print_note(in->skipped_note());
  if (merged.rows() == 0) return error{"input", fmt::format("{} has no customer rows", in->name())};
  auto unit = fitted_time_unit(o, in->name(), stamp.stamp());
  if (!unit) return std::move(unit).error();
  out.time_unit_days = *unit;
  out.rows = merged.rows();
  out.tuples = merged.take();
  return out;
}

result<fitted> fit_purchase_input(const fit_options& o, models::model_kind kind,
                                  const models::fit_penalty& penalty, std::string& name) {
  auto summary = read_purchase_summary(o, false, name);
  if (!summary) return std::move(summary).error();
  auto fit = [&] {
    const progress shown(fmt::format("fitting {} to {} rows", o.model,
                                     grouped(static_cast<double>(summary->rows), 0)));
    return models::fit_purchase_model(kind, summary->tuples, penalty);
  }();
  if (!fit) return fit_failed(name, o.model, fit.error());
  return fitted{{.kind = kind,
                 .time_unit_days = summary->time_unit_days,
                 .estimates = std::move(fit->estimates),
                 .report = fit->report,
                 .skipped_rows = summary->skipped_rows,
                 .input_path = o.table.path}};
}

/// A purchase model fitted with covariates: the summary read one customer a
/// row (the covariates are joined on its ids), then the fit.
result<fitted> fit_covariate_input(const fit_options& o, models::model_kind kind,
                                   const std::vector<models::covariate_term>& terms,
                                   const models::covariate_penalty& penalty, std::string& name) {
  const summary_columns columns{"", o.frequency_col, o.recency_col, o.T_col, ""};
  auto summary = read_summary(o.table, columns, {});
  if (!summary) return std::move(summary).error();
  name = summary->name;
  print_note(summary->skipped_note);
  auto read = read_covariates(o.covariates, models::covariate_columns(terms), *summary);
  if (!read) return std::move(read).error();
  for (const std::string& note : read->notes) print_note(note);
  auto unit = fitted_time_unit(o, name, summary->stamp);
  if (!unit) return std::move(unit).error();
  auto fit = [&] {
    const progress shown(fmt::format("fitting {} with covariates to {} customers", o.model,
                                     grouped(static_cast<double>(summary->size()), 0)));
    return models::fit_with_covariates(kind, summary->rows, read->values, terms, penalty);
  }();
  if (!fit) return fit_failed(name, o.model, fit.error());
  // The file's own covariance is the parameters' block; the whole matrix is
  // in its "covariates".
  models::fit_report report = fit->report;
  const std::size_t n = 4 + terms.size();
  if (report.covariance.size() == n * n) {
    std::vector<double> block(16);
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t j = 0; j < 4; ++j) block[i * 4 + j] = report.covariance[i * n + j];
    report.covariance = std::move(block);
  }
  report.log_hessian.clear();
  fitted out{{.kind = kind,
              .time_unit_days = *unit,
              .estimates = fit->estimates,
              .report = std::move(report),
              .covariates = covariate_record{fit->effects, fit->coefficients, fit->penalty,
                                             fit->against_no_covariates, fit->against_unconstrained,
                                             fit->constraint_test_missing, fit->report.covariance,
                                             fit->report.log_hessian, fit->value_rows},
              .skipped_rows = summary->skipped_rows,
              .input_path = o.table.path}};
  out.extra_table.emplace_back(
      "covariates",
      fmt::format("{} ({} distinct rows of values)",
                  fmt::join(models::covariate_columns(terms), ", "), fit->value_rows));
  return out;
}

result<fitted> fit_gamma_gamma_input(const fit_options& o, const models::fit_penalty& penalty,
                                     std::string& name) {
  std::vector<std::optional<std::size_t>> at;
  summary_stamp_reader stamp;
  auto in = open_summary(o, {monetary_column(o.monetary_col)}, at, stamp, name);
  if (!in) return std::move(in).error();
  models::gamma_gamma_options options;
  options.drop_nonpositive_spend = o.drop_nonpositive;
  options.penalty = penalty;
  std::vector<models::spend_row> rows;  // as read: a count stands for its customers
  while (in->next()) {
    if (auto e = stamp.check_row(*in, at)) return *e;
    const auto row = [&]() -> result<models::spend_row> {
      models::spend_row r;
      auto x = number_field(*in, *at[0], "frequency");
      if (!x) return std::move(x).error();
      r.frequency = *x;
      if (!o.count_col.empty()) {
        auto c = count_field(*in, *at[2]);
        if (!c) return std::move(c).error();
        r.count = *c;
      }
      if (r.frequency != 0) {  // without repeat purchases, the spend is not read
        auto m = number_field(*in, *at[1], "monetary_value");
        if (!m) return std::move(m).error();
        r.monetary_value = *m;
      }
      auto checked = models::check_spend_row(r, 0, options);
      if (!checked && checked.error().field == "monetary_value" && r.monetary_value <= 0)
        return error{"monetary_value",
                     checked.error().message + "; leave such rows out with --drop-nonpositive"};
      return checked;
    }();
    if (!row) {
      if (auto fatal = in->bad_row(row.error())) return *fatal;
      continue;
    }
    rows.push_back(*row);
  }
  if (auto e = in->failure()) return *e;
  const std::uint64_t skipped = in->skipped_rows();
  print_note(in->skipped_note());
  auto unit = fitted_time_unit(o, in->name(), stamp.stamp());
  if (!unit) return std::move(unit).error();
  auto fit = models::fit_gamma_gamma(rows, options);
  if (!fit) {
    error e = fit_failed(in->name(), "gamma-gamma", fit.error());
    e.message += spend_fit_hint(fit.error());
    return e;
  }
  if (fit->dropped > 0)
    print_note(fmt::format("dropped {} repeat customer{} with a monetary value <= 0", fit->dropped,
                           fit->dropped == 1 ? "" : "s"));
  print_note(correlation_note(*fit));
  const std::optional<double> corr = fit->frequency_spend_correlation;
  const auto mean = models::gamma_gamma_mean_spend(fit->params);
  fitted out{{.kind = model_kind::gamma_gamma,
              .time_unit_days = *unit,
              .estimates = {fit->p, fit->q, fit->gamma},
              .report = fit->report,
              .facts = {{"without_repeats", static_cast<double>(fit->without_repeats)},
                        {"dropped", static_cast<double>(fit->dropped)},
                        {"frequency_spend_correlation", corr},
                        {"mean_spend", mean ? std::optional<double>(*mean) : std::nullopt}},
              .skipped_rows = skipped,
              .input_path = o.table.path}};
  out.extra_table.emplace_back("without repeats", fmt::format("{}", fit->without_repeats));
  out.extra_table.emplace_back("dropped", fmt::format("{}", fit->dropped));
  out.extra_table.emplace_back("correlation", corr ? fmt::format("{:.3f}", *corr) : "n/a");
  out.extra_table.emplace_back("mean spend",
                               mean ? readable(*mean) : std::string("unbounded (q <= 1)"));
  return out;
}

/// The `retained` curves of `cltv metrics --by cohort --format json`.
result<std::vector<std::vector<double>>> read_metrics_cohorts(const std::string& path,
                                                              const std::string& name) {
  auto text = read_whole_input(path, "metrics");
  if (!text) return std::move(text).error();
  const auto fail = [&](std::string_view why) {
    return error{"input", fmt::format("{}: {} (expected `cltv metrics --by cohort --format json`)",
                                      name, why)};
  };
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(*text)).get(doc) != simdjson::SUCCESS)
    return fail("not valid JSON");
  simdjson::dom::array cohorts;
  if (doc["cohorts"].get_array().get(cohorts) != simdjson::SUCCESS)
    return fail("no \"cohorts\" array");
  std::vector<std::vector<double>> curves;
  for (simdjson::dom::element cohort : cohorts) {
    simdjson::dom::array retained;
    if (cohort["retained"].get_array().get(retained) != simdjson::SUCCESS)
      return fail(fmt::format("cohort {} has no \"retained\" array", curves.size() + 1));
    std::vector<double> curve;
    for (simdjson::dom::element n : retained) {
      double v = 0;
      if (n.get_double().get(v) != simdjson::SUCCESS)
        return fail(fmt::format("cohort {}: a retained count is not a number", curves.size() + 1));
      curve.push_back(v);
    }
    curves.push_back(std::move(curve));
  }
  if (curves.empty()) return fail("no cohorts");
  return curves;
}

/// An sBG fit with the expected lifetime, and `counted` ("periods",
/// "cohorts"): how much data the fit had.
fitted sbg_fitted(const models::sbg_fit& fit, std::string_view counted, std::size_t count,
                  std::vector<std::vector<double>> counts, const fit_options& o) {
  const std::optional<double> lifetime = models::sbg_expected_lifetime(fit.params);
  fitted out{{.kind = model_kind::sbg,
              .estimates = {fit.alpha, fit.beta},
              .report = fit.report,
              .facts = {{counted, static_cast<double>(count)}, {"expected_lifetime", lifetime}},
              .counts = std::move(counts),
              .input_path = o.table.path}};
  out.extra_table.emplace_back(counted, std::to_string(count));
  out.extra_table.emplace_back("lifetime", lifetime ? readable(*lifetime) + " periods"
                                                    : std::string("unbounded (alpha <= 1)"));
  return out;
}

result<fitted> fit_sbg_metrics(const fit_options& o, const std::string& name) {
  auto curves = read_metrics_cohorts(o.table.path, name);
  if (!curves) return std::move(curves).error();
  auto fit = models::fit_sbg_cohorts(*curves);
  if (!fit)
    return error{fit.error().field,
                 fmt::format("{}: cannot fit sbg: {}", name, fit.error().message)};
  const std::size_t cohorts = curves->size();
  return sbg_fitted(*fit, "cohorts", cohorts, std::move(*curves), o);
}

result<fitted> fit_sbg_input(const fit_options& o, std::string& name) {
  if (o.from_metrics) return fit_sbg_metrics(o, name);
  const std::string text = o.column.empty() ? std::string("2") : o.column;
  const std::array<column_choice, 1> columns{{{"active", "--column", text, false}}};
  auto in = table_input::open(o.table, columns);
  if (!in) return std::move(in).error();
  name = in->name();
  std::vector<double> active;
  while (in->next()) {
    auto n = number_field(*in, 0, "active");
    if (n)
      n = models::check_next_active_count(
          *n, active.empty() ? std::nullopt : std::optional<double>(active.back()));
    if (!n) return error{"active", in->row_message(n.error())};
    active.push_back(*n);
  }
  if (auto e = in->failure()) return *e;
  auto fit = models::fit_sbg(active);
  if (!fit) return fit_failed(in->name(), "sbg", fit.error());
  const std::size_t periods = active.size() - 1;
  return sbg_fitted(*fit, "periods", periods, {std::move(active)}, o);
}

/// Why a fit with covariates cannot be made as asked, or nullopt.
std::optional<std::string> covariate_conflict(const fit_options& o, model_kind kind) {
  if (!o.compare.empty()) return "--covariates does not apply to --compare";
  if (!models::takes_covariates(kind))
    return fmt::format("covariates apply to bgnbd, mbgnbd and pareto-nbd, not {}", o.model);
  if (o.database.given())
    return "--covariates needs one row per customer to join on, and --from returns (frequency, "
           "recency, T) tuples: give a SUMMARY";
  if (!o.count_col.empty())
    return "--covariates needs one row per customer to join on: leave out --count-col";
  if (!o.penalty.empty())
    return "--penalty applies to fits without covariates; --reg-trans and --reg-life regularise "
           "the covariate coefficients";
  return std::nullopt;
}

/// The flags that do not apply to `model`, refused rather than ignored.
std::optional<std::string> stray_flag(const fit_options& o) {
  const bool sbg = o.model == "sbg";
  const bool gg = o.model == "gamma-gamma";
  const bool bgbb = o.model == "bgbb";
  const bool bg = o.model == "bgnbd" || o.model == "mbgnbd" || o.model == "pareto-nbd" ||
                  o.model == "ggomnbd" || bgbb;
  if (sbg && !o.frequency_col.empty()) return "--frequency-col";
  if (sbg && !o.count_col.empty()) return "--count-col";
  if (sbg && !o.time_unit.empty()) return "--time-unit";
  if (!bg && !o.recency_col.empty()) return "--recency-col";
  if (!bg && !o.T_col.empty()) return "--T-col";
  if (!gg && !o.monetary_col.empty()) return "--monetary-col";
  if (!gg && o.drop_nonpositive) return "--drop-nonpositive";
  if (!sbg && !o.column.empty()) return "--column";
  if (sbg && o.table.skip_bad_rows) return "--skip-bad-rows";
  if (!sbg && o.from_metrics) return "--from-metrics";
  if ((sbg || bgbb || o.model == "ggomnbd") && !o.penalty.empty()) return "--penalty";
  if (o.from_metrics && !o.column.empty()) return "--column";
  return std::nullopt;
}

}  // namespace

CLI::App* setup_fit(CLI::App& app, fit_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "fit", fmt::format("Fit a CLV model ({}) by maximum likelihood; write it as JSON",
                         models::listed_names(models::any_model)));
  cmd->footer(fit_examples);
  cmd->add_option(
         "model", o.model,
         fmt::format("{} (with --compare: the SUMMARY)", models::listed_names(models::any_model)))
      ->option_text("MODEL");
  cmd->add_option("input", o.table.path,
                  "(m)bgnbd, pareto-nbd, gamma-gamma, bgbb: an RFM summary (as `cltv summarize` "
                  "writes); sbg: active counts per period. CSV (or .gz), - for stdin")
      ->option_text("INPUT");
  cmd->add_option("--frequency-col", o.frequency_col,
                  "Frequency column (default frequency, else x, else frequency_cal)")
      ->option_text("NAME|N");
  cmd->add_option("--recency-col", o.recency_col,
                  "Purchase models: recency column (default recency, else t_x, else recency_cal)")
      ->option_text("NAME|N");
  cmd->add_option("--T-col", o.T_col,
                  "Continuous-time purchase models: age column (default T, else T_cal); bgbb: the "
                  "opportunities n (default T, else T_cal, else periods, else periods_cal)")
      ->option_text("NAME|N");
  cmd->add_option("--monetary-col", o.monetary_col,
                  "gamma-gamma: mean spend column (default monetary_value, else zbar, else "
                  "monetary_value_cal)")
      ->option_text("NAME|N");
  cmd->add_option("--count-col", o.count_col,
                  "Customers a row stands for (pre-aggregated rows; default: 1 each)")
      ->option_text("NAME|N");
  cmd->add_option(
         "--time-unit", o.time_unit,
         "Unit of recency and T (days, weeks, months, years or N days) of a summary without a "
         "time_unit_days column")
      ->option_text("UNIT");
  cmd->add_flag("--drop-nonpositive", o.drop_nonpositive,
                "gamma-gamma: leave out repeat customers with monetary value <= 0 (counted)");
  cmd->add_option(
         "--penalty", o.penalty,
         "Add c * sum of squared parameters to the mean -log-likelihood (lifetimes' "
         "penalizer_coef; rates of time in units of the longest T); not sbg, bgbb or ggomnbd")
      ->option_text("C");
  cmd->add_option("--column", o.column, "sbg: column of active counts (default: the second)")
      ->option_text("NAME|N");
  cmd->add_flag("--from-metrics", o.from_metrics,
                "sbg: INPUT is `cltv metrics --by cohort --format json`; fit every cohort's "
                "retained curve at once");
  add_table_input_options(*cmd, o.table, false);  // a summary: no dates
  add_database_log_options(*cmd, o.database, o.log);
  add_covariate_options(*cmd, o.covariates, true);
  cmd->add_option("--compare", o.compare,
                  "Fit each purchase model of the list (bgnbd,mbgnbd,pareto-nbd) to SUMMARY and "
                  "compare: log-likelihood, AIC, BIC, holdout errors; says which to prefer")
      ->option_text("MODELS");
  o.format_option = add_format_option(*cmd, o.format, {"json", "table", "csv"},
                                      "Output: json (default; --compare: table) or table; csv "
                                      "with --compare");
  return cmd;
}

namespace {

/// The candidates' common columns (also the CSV's), for one model.
flat_record comparison_record(const models::model_candidate& c, bool preferred) {
  flat_record r;
  r.text("model", names_of(c.kind).name).count("k", static_cast<std::uint64_t>(c.parameters));
  if (!c.fit) {
    r.null("log_likelihood").null("aic").null("bic");
  } else {
    r.number("log_likelihood", c.fit->report.log_likelihood)
        .number("aic", c.aic)
        .number("bic", c.bic);
  }
  const auto holdout = [&](const char* name, double models::backtest_report::*field) {
    if (c.holdout) {
      r.number(name, (*c.holdout).*field);
    } else {
      r.null(name);
    }
  };
  holdout("holdout_mean_absolute_error", &models::backtest_report::mean_absolute_error);
  holdout("holdout_root_mean_squared_error", &models::backtest_report::root_mean_squared_error);
  holdout("holdout_actual", &models::backtest_report::actual_total);
  holdout("holdout_predicted", &models::backtest_report::predicted_total);
  r.boolean("preferred", preferred);
  if (c.fit) {
    r.null("error");
  } else {
    r.text("error", c.failure);
  }
  return r;
}

void write_comparison_table(const models::model_comparison& c, std::size_t holdout_customers,
                            const std::string& name, std::string& out) {
  out += fmt::format("model comparison on {} ({} customers)\n", name, grouped(c.customers, 0));
  const bool holdout = holdout_customers > 0;
  out += fmt::format("{:<11} {:>2} {:>15} {:>12} {:>12}", "model", "k", "log-likelihood", "AIC",
                     "BIC");
  if (holdout)
    out += fmt::format(" {:>12} {:>12} {:>17}", "holdout MAE", "RMSE", "predicted/actual");
  out += '\n';
  for (std::size_t i = 0; i < c.candidates.size(); ++i) {
    const models::model_candidate& m = c.candidates[i];
    const std::string_view model = names_of(m.kind).name;
    if (!m.fit) {
      out += fmt::format("{:<11} {:>2} fit failed: {}\n", model, m.parameters, m.failure);
      continue;
    }
    out += fmt::format("{:<11} {:>2} {:>15} {:>12} {:>12}", model, m.parameters,
                       trimmed_number(m.fit->report.log_likelihood, 2), trimmed_number(m.aic, 2),
                       trimmed_number(m.bic, 2));
    if (m.holdout)
      out += fmt::format(" {:>12} {:>12} {:>17}",
                         fmt::format("{:.4f}", m.holdout->mean_absolute_error),
                         fmt::format("{:.4f}", m.holdout->root_mean_squared_error),
                         fmt::format("{} / {}", trimmed_number(m.holdout->predicted_total, 1),
                                     trimmed_number(m.holdout->actual_total, 0)));
    out += c.preferred == i ? "  <- preferred\n" : "\n";
  }
  if (c.preferred)
    out += fmt::format("preferred: {} ({})\n", names_of(c.candidates[*c.preferred].kind).name,
                       describe(c.rule));
  out += holdout ? fmt::format("holdout: {} customers (frequency_holdout, duration_holdout)\n",
                               grouped(static_cast<double>(holdout_customers), 0))
                 : std::string(
                       "no holdout columns: BIC decides (summarize --calibration-end "
                       "writes a holdout)\n");
  out += "AIC = 2k - 2 LL; BIC = k ln(n) - 2 LL; lower is better\n";
}

void write_comparison_json(const models::model_comparison& c, std::size_t holdout_customers,
                           std::string& out) {
  out += "{\"customers\":";
  append_number(out, c.customers);
  out += ",\"holdout_customers\":";
  out += holdout_customers > 0 ? std::to_string(holdout_customers) : std::string("null");
  out += ",\"rule\":";
  append_json_string(out, describe(c.rule));
  out += ",\"preferred\":";
  if (c.preferred) {
    append_json_string(out, names_of(c.candidates[*c.preferred].kind).name);
  } else {
    out += "null";
  }
  out += ",\"models\":[";
  for (std::size_t i = 0; i < c.candidates.size(); ++i) {
    const models::model_candidate& m = c.candidates[i];
    if (i > 0) out += ',';
    std::string record;
    comparison_record(m, c.preferred == i).append_json(record);
    record.pop_back();  // the closing brace: the parameters follow
    out += record;
    out += ",\"parameters\":";
    if (m.fit) {
      out += '{';
      append_parameter_members(out, m.fit->model.parameters());
      out += '}';
    } else {
      out += "null";
    }
    out += '}';
  }
  out += "]}\n";
}

void write_comparison_csv(const models::model_comparison& c, std::string& out) {
  for (std::size_t i = 0; i < c.candidates.size(); ++i) {
    const flat_record r = comparison_record(c.candidates[i], c.preferred == i);
    if (i == 0) r.append_csv_names(out);
    r.append_csv_values(out);
  }
}

/// `cltv fit --compare MODELS SUMMARY`.
int run_compare(const fit_options& o, const models::fit_penalty& penalty) {
  std::vector<models::model_kind> kinds;
  for (std::string_view rest = o.compare; !rest.empty();) {
    const std::size_t comma = rest.find(',');
    const std::string_view text = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    auto kind = models::comparable_model_named("compare", text);
    if (!kind) return print_error(kind.error().message), 2;
    kinds.push_back(*kind);
  }
  std::string name = display_name(o.table.path);
  auto summary = read_purchase_summary(o, true, name);
  if (!summary) return print_error(summary.error().message), 2;
  auto comparison = [&] {
    const progress shown(fmt::format("fitting {} models to {} rows", kinds.size(),
                                     grouped(static_cast<double>(summary->rows), 0)));
    return models::compare_purchase_models(kinds, summary->tuples, summary->holdout, penalty);
  }();
  if (!comparison) return print_error(fmt::format("{}: {}", name, comparison.error().message)), 2;
  for (const models::model_candidate& c : comparison->candidates)
    if (c.fit && !c.fit->report.degenerate.empty())
      print_note(fmt::format("{}: the {} model degenerates: {}", name, names_of(c.kind).label,
                             c.fit->report.degenerate));
  output out(STDOUT_FILENO);
  const std::string format = o.format_option && o.format_option->count() > 0 ? o.format : "table";
  if (format == "json") {
    write_comparison_json(*comparison, summary->holdout.size(), out.buffer());
  } else if (format == "csv") {
    write_comparison_csv(*comparison, out.buffer());
  } else {
    write_comparison_table(*comparison, summary->holdout.size(), name, out.buffer());
  }
  out.finish();
  if (out.failure()) return print_error(*out.failure()), 2;
  return comparison->preferred ? 0 : 2;
}

/// With --from: the summary the model is fitted on, made in the database
/// (the distinct (frequency, recency, T), or gamma-gamma's (frequency,
/// monetary_value), with a customers count), as `o.table` to read.
std::optional<error> fetch_fit_input(fit_options& o, model_kind kind) {
  if (kind == model_kind::sbg)
    return error{"from",
                 "sbg fits active counts per period (`cltv metrics --by cohort`), not a log's "
                 "summary: --from does not apply"};
  const std::array<std::pair<const char*, const std::string*>, 5> columns{
      {{"--frequency-col", &o.frequency_col},
       {"--recency-col", &o.recency_col},
       {"--T-col", &o.T_col},
       {"--monetary-col", &o.monetary_col},
       {"--count-col", &o.count_col}}};
  for (const auto& [flag, value] : columns)
    if (!value->empty())
      return error{"from", fmt::format("{} names a column of a SUMMARY; with --from the "
                                       "database makes the summary (leave {} out)",
                                       flag, flag)};
  auto rfm = parse_rfm_options(o.log.freq, o.time_unit, o.log.observation_end,
                               o.log.calibration_end, o.log.calibration_periods, "");
  if (!rfm) return std::move(rfm).error();
  const bool spend = kind == model_kind::gamma_gamma;
  auto table = fetch_summary(o.database, o.log.log, spend, *rfm,
                             spend ? sql::summary_output::spend : sql::summary_output::tuples);
  if (!table) return std::move(table).error();
  o.table = std::move(*table);
  o.count_col = "customers";
  return std::nullopt;
}

}  // namespace

int run_fit(const fit_options& options) {
  fit_options o = options;
  if (!o.compare.empty()) {
    // `fit --compare MODELS SUMMARY`: the one positional is the summary.
    if (!o.table.path.empty()) {
      print_error(fmt::format("--compare takes one SUMMARY, got \"{}\" and \"{}\"",
                              printable(o.model), printable(o.table.path)));
      return 2;
    }
    o.table.path = o.model;
    o.model = "bgnbd";  // for the flags that apply: those of the purchase models
  }
  if (auto conflict = database_conflict(o.database)) return print_error(conflict->message), 2;
  if (o.database.given() && !o.table.path.empty()) {
    print_error("give an INPUT or --from URI, not both");
    return 2;
  }
  if (o.table.path.empty() && !o.database.given()) {
    print_error(
        "fit needs a MODEL and an INPUT, or --from URI --table NAME (see 'cltv fit --help')");
    return 2;
  }
  const std::optional<models::model_kind> kind = models::model_named(o.model);
  if (!kind) {
    print_error(fmt::format("model must be {}, got \"{}\"", models::listed_names(models::any_model),
                            printable(o.model)));
    return 2;
  }
  if (const auto flag = stray_flag(o)) {
    print_error(o.compare.empty()
                    ? fmt::format("{} does not apply to `cltv fit {}`", *flag, o.model)
                    : fmt::format("{} does not apply to `cltv fit --compare`", *flag));
    return 2;
  }
  if (o.format == "csv" && o.compare.empty()) {
    print_error("--format csv is for --compare; a fit writes json or table");
    return 2;
  }
  if (!o.time_unit.empty()) {  // checked before the input is read
    if (auto unit = parse_time_unit(o.time_unit); !unit)
      return print_error(unit.error().message), 2;
  }
  models::fit_penalty penalty;
  if (!o.penalty.empty()) {
    auto c = parse_number("penalty", o.penalty, number_style::plain);
    auto checked = c ? models::make_fit_penalty(*c) : result<models::fit_penalty>(c.error());
    if (!checked) return print_error(checked.error().message), 2;
    penalty = *checked;
  }
  auto terms = covariate_terms_of(o.covariates);
  if (!terms) return print_error(terms.error().message), 2;
  auto covariate_penalty = covariate_penalty_of(o.covariates);
  if (!covariate_penalty) return print_error(covariate_penalty.error().message), 2;
  if (!terms->empty()) {
    if (auto refused = covariate_conflict(o, *kind)) return print_error(*refused), 2;
  }
  if (o.database.given())
    if (auto e = fetch_fit_input(o, *kind)) return print_error(e->message), 2;
  if (!o.compare.empty()) return run_compare(o, penalty);
  std::string name = display_name(o.table.path);
  result<fitted> fit = !terms->empty()
                           ? fit_covariate_input(o, *kind, *terms, *covariate_penalty, name)
                       : *kind == model_kind::gamma_gamma ? fit_gamma_gamma_input(o, penalty, name)
                       : *kind == model_kind::sbg         ? fit_sbg_input(o, name)
                                                  : fit_purchase_input(o, *kind, penalty, name);
  if (!fit) return print_error(fit.error().message), 2;
  // The JSON has the reason in a field; a note says it to whoever watches (the table shows it).
  if (o.format == "json" && !fit->file.report.standard_errors_missing.empty())
    print_note(fmt::format("{}: the {} fit has no standard errors: {}", name, names_of(*kind).label,
                           fit->file.report.standard_errors_missing));
  if (o.format == "json" && !fit->file.report.degenerate.empty())
    print_note(fmt::format("{}: the {} model degenerates: {}", name, names_of(*kind).label,
                           fit->file.report.degenerate));

  output out(STDOUT_FILENO);
  if (o.format == "json") {
    fit->file.input_xxh3 =
        o.table.fetched ? text_checksum(*o.table.fetched) : input_checksum(o.table.path);
    write_model_file(fit->file, out.buffer());
  } else {
    write_table(*fit, name, out.buffer());
  }
  out.finish();
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
