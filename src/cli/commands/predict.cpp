#include "commands/predict.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cltv/models/base_summary.hpp"
#include "cltv/models/bootstrap.hpp"
#include "cltv/models/clv.hpp"
#include "cltv/models/delta_method.hpp"
#include "cltv/models/dert.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/number.hpp"
#include "cltv/time_unit.hpp"
#include "cltv/value_list.hpp"
#include "commands/summarize.hpp"
#include "io/covariate_input.hpp"
#include "io/format_option.hpp"
#include "io/messages.hpp"
#include "io/model_file.hpp"
#include "io/output.hpp"
#include "io/predictions.hpp"
#include "io/progress.hpp"
#include "io/text.hpp"

namespace cltv::cli {
namespace {

// predict offers both: the bootstrap refits the files' models to the summary.
constexpr interval_methods predict_interval_methods{true, true};

constexpr const char* predict_examples = R"(Examples:
  cltv fit bgnbd summary.csv > bgnbd.json
  cltv predict --model bgnbd.json summary.csv --horizon 39        # next 39 time units
  cltv fit gamma-gamma summary.csv > gg.json
  cltv predict --model bgnbd.json --model gg.json summary.csv --horizon 52 --format ndjson
  cltv summarize log.csv | cltv predict --model bgnbd.json - --horizon 30 | sort -t, -k6 -g
  cltv predict --model bgnbd.json --log log.csv --horizon 30    # the same, in one command
  cltv predict --model bgnbd.json --from postgresql:///shop --table orders --horizon 30  # PostgreSQL
  cltv predict --model bgnbd.json summary.csv --horizon 39 --pmf 0..10   # P(n purchases)
  cltv predict --model bgnbd.json summary.csv --horizon 13,26,52         # one row per horizon
  cltv predict --model bgnbd.json --new-customer --horizon 0..52 --pmf 0..3  # a new customer
  cltv predict --model bgnbd.json summary.csv --horizon 52 --discount-rate 1%  # and DERT
  cltv predict --model bgnbd.json tuples.csv --horizon 52 --months 12 --discount-rate 1%
  cltv predict --model bgnbd.json --model gg.json summary.csv --horizon 52 --delta-method
  cltv predict --model bgnbd.json summary.csv --horizon 52 --bootstrap 200 --seed 7
  cltv fit pareto-nbd summary.csv --covariates attributes.csv --covariate-cols Gender,Channel \
      > pnbd-covariates.json
  cltv predict --model pnbd-covariates.json summary.csv --horizon 52 --covariates attributes.csv
  cltv fit bgbb donations.csv --count-col weights > bgbb.json
  cltv predict --model bgbb.json donations.csv --horizon 5 --pmf 0..5   # next 5 opportunities

Per customer, in the summary's order: with a purchase model (bgnbd, mbgnbd,
pareto-nbd, bgbb, ggomnbd), expected_purchases in the next --horizon time units (the
summary's unit: its time_unit_days column, as `cltv summarize` writes it;
BG/BB: whole opportunities, its T the opportunities n already observed) and
p_alive; with a gamma-gamma model, expected_spend per purchase (the population
mean for customers without repeat purchases). --pmf N lists purchase counts n
(0..10, 0,1,5, a range of whole numbers means each of them): a column p_n per n
with P(exactly n purchases in the horizon | the customer's history). --horizon
takes a list or a range (13,26,52; 0..52; 0..52:5); with more than one, the
output is long: one row per customer and horizon, with a horizon column.
--format table summarizes the base instead of listing it (expected active
customers, P(alive) bands, expected purchases and spend, the top customers);
json carries the same as "summary" (at the last horizon listed).
--new-customer predicts for a customer just acquired instead of a summary:
E[X(t)] and P(X(t) = n) over her first t time units, one row per horizon.
--months N adds discounted_purchases: the expected purchases of the next N
months, month i discounted by (1 + --discount-rate)^i (default 0), as `cltv
clv` values them: her CLV is discounted_purchases x expected_spend x margin.
Without --months, --continuous-discount RATE (per time unit) or
--discount-rate RATE (per month, as the continuous rate ln(1 + RATE) a
month) adds a dert column: the
customer's discounted expected residual purchases over her whole remaining
life (Fader, Hardie & Lee 2005; CLVTools' DERT); with a gamma-gamma model
too, predicted_clv = dert x expected_spend (CLVTools' predicted CLV; times
your margin, her CLV without a horizon). The rate used is stated on stderr
and in JSON. A model file and a summary that
state different units are refused; --time-unit gives the unit of a summary
that does not say. --log FILE reads a transaction log instead of a SUMMARY
and summarizes it as `cltv summarize` does, with summarize's options and their
defaults (--customer-col, --date-col, --amount-col, --date-format, --freq,
--observation-end, ...): the answer is that of `cltv summarize FILE ... | cltv
predict -`; with --log, --time-unit is the unit the log is summarized in
(default: the --freq period), and so of --horizon. The log's other options
need --log; the summary's column options need a SUMMARY.
--delta-method adds intervals at --confidence (default 90%) from the model
files' covariance: expected_purchases_lower/_upper (log scale), p_alive_lower/
_upper (logit scale), expected_spend_lower/_upper (log scale), and in json and
the table the interval of the total expected purchases. --bootstrap N gives
the same columns as percentile intervals instead: it refits the files' models
to N resamples of the summary's customers (with replacement; --seed; on
--threads, which do not change the output). Either is the uncertainty of the
expectation from the parameter estimates, not the spread of a customer's
future purchases. A model fitted with covariates (`cltv fit ... --covariates`)
needs --covariates FILE with its columns for the summary's customers (joined on
the id as fit joins them): each customer is predicted at her own parameters;
intervals, --new-customer and --months do not take covariates yet.
Exit codes: 0 ok, 2 bad input.)";

}  // namespace

CLI::App* setup_predict(CLI::App& app, predict_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "predict", "Per-customer predictions of fitted models (expected purchases, P(alive), spend)");
  cmd->footer(predict_examples);
  cmd->add_option("--model", o.models,
                  "Model file written by `cltv fit` (a purchase model and/or gamma-gamma; repeat "
                  "for both)")
      ->required()
      ->allow_extra_args(false)
      ->option_text("FILE");
  cmd->add_option("--horizon", o.horizon,
                  "Purchase models: predict over the next T time units (the summary's unit); a "
                  "list or range gives one row per horizon")
      ->option_text("T");
  cmd->add_option("--pmf", o.pmf,
                  "Purchase counts n (0..10, 0,1,5): a column p_n with P(exactly n purchases in "
                  "the horizon)")
      ->option_text("NS");
  cmd->add_option("--continuous-discount", o.continuous_discount,
                  "Add a dert column: discounted expected residual purchases at this continuous "
                  "rate per time unit (no horizon)")
      ->option_text("RATE");
  cmd->add_option("--discount-rate", o.discount_rate,
                  "Add a dert column at the continuous rate of this rate per month, ln(1 + RATE) "
                  "a month (0.01 or 1%)")
      ->option_text("RATE");
  cmd->add_option("--months", o.months,
                  "Add discounted_purchases: expected purchases of the next N months, month i "
                  "discounted by (1 + --discount-rate)^i, as cltv clv values them")
      ->option_text("N");
  cmd->add_option("--days-per-month", o.days_per_month,
                  "Length of a month in days for --discount-rate (default 30.4375 = 365.25/12)")
      ->option_text("DAYS");
  cmd->add_flag("--new-customer", o.new_customer,
                "Predict for a newly acquired customer (E[X(t)], P(X(t) = n)) instead of a "
                "summary's customers");
  add_summary_source_options(
      *cmd, o.input, true,
      "RFM summary (as `cltv summarize` writes): CSV or NDJSON (or .gz), - for stdin");
  add_database_source_options(*cmd, o.input);
  add_interval_options(*cmd, o.intervals, predict_interval_methods);
  add_covariate_options(*cmd, o.covariates, false);
  add_format_option(*cmd, o.format, {"csv", "ndjson", "json", "table"},
                    "Output: csv (default), ndjson, json, or table (the base at a glance)");
  return cmd;
}

namespace {

// Horizons and counts are capped so that a typo cannot make a huge output.
constexpr std::size_t max_listed_values = 1000;
constexpr int max_purchase_count = 100000;

// A flag's value list; a structural error quotes the flag ("--pmf \"0..x\": …"),
// one bad value says it as a single value would.
result<std::vector<double>> read_list(std::string_view flag, std::string_view field,
                                      const std::string& text) {
  auto values = parse_value_list(field, text, number_style::plain, max_listed_values);
  if (!values && (text.find("..") != std::string::npos || text.find(',') != std::string::npos))
    return error{std::string(field),
                 fmt::format("{} \"{}\": {}", flag, printable(text), values.error().message)};
  return values;
}

result<std::vector<double>> read_horizons(const std::string& text, model_kind kind) {
  auto horizons = read_list("--horizon", "horizon", text);
  if (!horizons) return horizons;
  for (const double h : *horizons) {
    auto checked = models::check_prediction_horizon(kind, h);
    if (!checked) return std::move(checked).error();
  }
  return horizons;
}

result<std::vector<int>> read_counts(const std::string& text) {
  auto values = read_list("--pmf", "pmf", text);
  if (!values) return std::move(values).error();
  std::vector<int> counts;
  for (const double n : *values) {
    if (!(n >= 0 && n <= max_purchase_count && n == std::floor(n)))
      return error{"pmf", fmt::format("--pmf: a purchase count must be a whole number from 0 to "
                                      "{}, got {}",
                                      max_purchase_count, format_shortest(n))};
    counts.push_back(static_cast<int>(n));
  }
  return counts;
}

// The column names p_0, p_5, … (kept alive for the writer's const char*).
std::vector<std::string> count_columns(const std::vector<int>& counts) {
  std::vector<std::string> names;
  names.reserve(counts.size());
  for (const int n : counts) names.push_back(fmt::format("p_{}", n));
  return names;
}

// The listed counts' probabilities out of P(0..max).
void append_picked(std::vector<double>& values, const std::vector<double>& pmf,
                   const std::vector<int>& counts) {
  for (const int n : counts) values.push_back(pmf[static_cast<std::size_t>(n)]);
}

int max_count(const std::vector<int>& counts) {
  return counts.empty() ? -1 : *std::max_element(counts.begin(), counts.end());
}

// {"horizon":H or [H1,…], — the JSON document's head.
void append_horizon_head(std::string& buf, const std::vector<double>& horizons) {
  buf += "{\"horizon\":";
  if (horizons.empty()) {
    buf += "null";
  } else if (horizons.size() == 1) {
    append_number(buf, horizons[0]);
  } else {
    buf += '[';
    for (std::size_t i = 0; i < horizons.size(); ++i) {
      if (i > 0) buf += ',';
      append_number(buf, horizons[i]);
    }
    buf += ']';
  }
}

// With --months, --discount-rate and --days-per-month belong to the months'
// valuation; without, they ask for DERT.
bool wants_dert(const predict_options& o) {
  return !o.continuous_discount.empty() ||
         (o.months.empty() && (!o.discount_rate.empty() || !o.days_per_month.empty()));
}

// --months: cltv clv's valuation options with a spend of 1 a purchase and no
// margin, so that its value is the discounted expected purchases.
result<models::clv_options> months_valuation(const predict_options& o,
                                             std::optional<double> unit_days) {
  auto n = parse_number("months", o.months, number_style::plain);
  if (!n) return std::move(n).error();
  auto months = models::clv_horizon_months(*n);
  if (!months)
    return error{"months",
                 "--months must be a whole number from 1 to 1200, got " + format_shortest(*n)};
  models::clv_options options;
  options.months = *months;
  if (!o.discount_rate.empty()) {
    auto d = parse_number("discount_rate", o.discount_rate, number_style::rate);
    if (!d) return std::move(d).error();
    options.discount_rate = *d;
  }
  double month = models::days_per_month;
  if (!o.days_per_month.empty()) {
    auto m = parse_number("days_per_month", o.days_per_month, number_style::plain);
    if (!m) return std::move(m).error();
    month = *m;
  }
  if (!unit_days)
    return error{"months",
                 "--months needs the summary's time unit to count months in: give --time-unit"};
  auto per_month = models::periods_per_month(month, *unit_days);
  if (!per_month) return std::move(per_month).error();
  options.periods_per_month = *per_month;
  return models::check_clv_options(options);
}

// The DERT's rate from the flags, in the summary's unit (when stated).
result<chosen_discount> dert_discount(const predict_options& o, std::optional<double> unit_days) {
  std::optional<double> monthly;
  if (!o.discount_rate.empty()) {
    auto d = parse_number("discount_rate", o.discount_rate, number_style::rate);
    if (!d) return std::move(d).error();
    monthly = *d;
  }
  double month = models::days_per_month;
  if (!o.days_per_month.empty()) {
    auto m = parse_number("days_per_month", o.days_per_month, number_style::plain);
    if (!m) return std::move(m).error();
    month = *m;
  }
  if (!o.continuous_discount.empty() && (monthly || !o.days_per_month.empty()))
    return error{"continuous_discount",
                 "--continuous-discount gives the rate per time unit itself: leave out "
                 "--discount-rate and --days-per-month"};
  return choose_continuous_discount(o.continuous_discount, monthly, month, unit_days);
}

// --delta-method: the covariance the file of `kind`'s model gives, or why there is none.
result<std::vector<double>> covariance_of(const fitted_models& fitted, model_kind kind) {
  for (const model_account& a : fitted.accounts)
    if (a.parameters.kind == kind) {
      if (a.covariance.empty())
        return error{"delta_method",
                     fmt::format("--delta-method needs the covariance of the {} model, and {} "
                                 "has none (a fit without standard errors, or a file from an "
                                 "older cltv: fit again)",
                                 names_of(kind).name, a.source)};
      return a.covariance;
    }
  return error{"delta_method", fmt::format("no {} model file", names_of(kind).name)};
}

// --bootstrap: the files' models refitted to resampled customers of the
// summary, and the percentile intervals of every customer's predictions.
result<models::prediction_bootstrap> bootstrap_predictions_of(
    const fitted_models& fitted, const summary_data& s, const std::vector<double>& horizons,
    const models::bootstrap_settings& settings) {
  models::bootstrap_models refit;
  refit.purchase = fitted.purchase->kind();
  if (fitted.gamma_gamma) {
    refit.spend = models::gamma_gamma_options{};
    // Bad spend stops the run naming the customer, before any refit does.
    for (std::size_t i = 0; i < s.size(); ++i)
      if (auto checked = models::check_spend_row({s.rows[i].x, s.monetary[i]}); !checked)
        return at_customer(s, i, checked.error());
  }
  const std::span<const double> monetary =
      fitted.gamma_gamma ? std::span<const double>(s.monetary) : std::span<const double>();
  print_note(fmt::format("--bootstrap refits {}{} to the customers of {}",
                         names_of(refit.purchase).name, refit.spend ? " and gamma-gamma" : "",
                         s.name));
  auto replicates = refit_replicates(s.rows, monetary, refit, settings);
  if (!replicates) return std::move(replicates).error();
  const progress shown("bootstrap: predicting under each replicate");
  auto intervals = models::bootstrap_predictions(s.rows, monetary, *replicates, horizons, settings);
  if (!intervals) return std::move(intervals).error();
  print_bootstrap_notes(settings, intervals->used, intervals->first_failure);
  return intervals;
}

// --new-customer: E[X(t)] and P(X(t) = n) per horizon.
int predict_new_customer(const fitted_models& fitted, const std::vector<double>& horizons,
                         const std::vector<int>& counts, output_format format) {
  if (auto unit = agreed_time_unit(fitted.units); !unit)
    return print_error(unit.error().message), 2;
  const std::vector<std::string> count_names = count_columns(counts);
  record_writer writer{format, "", {"horizon", "expected_purchases"}};
  for (const std::string& n : count_names) writer.names.push_back(n.c_str());
  output out(STDOUT_FILENO);
  std::string& buf = out.buffer();
  if (format == output_format::json) {
    append_horizon_head(buf, horizons);
    buf += ",\"predictions\":[";
  }
  writer.header(buf);
  std::vector<double> values;
  for (const double t : horizons) {
    auto e = models::expected_purchases(*fitted.purchase, t);
    if (!e) return print_error(e.error().message), 2;
    values.assign({t, *e});
    if (!counts.empty()) {
      auto pmf = models::probabilities_of_purchases(*fitted.purchase, t, max_count(counts));
      if (!pmf) return print_error(pmf.error().message), 2;
      append_picked(values, *pmf, counts);
    }
    writer.row(buf, "", values);
    out.maybe_flush();
  }
  if (format == output_format::json) buf += "]}\n";
  out.finish();
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace

int run_predict(const predict_options& o) {
  const output_format format = format_named(o.format);
  auto intervals = parse_interval_flags(o.intervals, predict_interval_methods, o.input.from_log());
  if (!intervals) return print_error(intervals.error().message), 2;
  const bool delta = intervals->delta_method;
  const std::optional<models::bootstrap_settings>& boot_settings = intervals->bootstrap;
  const double level = intervals->confidence;
  if (o.new_customer) {
    if (!o.input.summary.empty() || o.input.from_log())
      return print_error("--new-customer predicts without a SUMMARY or --log (leave them out)"), 2;
  } else if (auto conflict = summary_source_conflict(o.input)) {
    return print_error(*conflict), 2;
  }
  auto given_unit = given_summary_unit(o.input);
  if (!given_unit) return print_error(given_unit.error().message), 2;
  fitted_models fitted;
  fitted.accepts_covariates = true;
  if (auto e = read_model_files(o.models, o.input.path(), fitted))
    return print_error(e->message), 2;
  const bool purchases = fitted.purchase.has_value();
  if (!purchases && !fitted.gamma_gamma)
    return print_error(
               "predict takes bgnbd and gamma-gamma models; an sbg model gives a lifetime to "
               "`cltv calc --sbg-model`"),
           2;
  if (fitted.covariates) {
    // Each customer has her own parameters: what needs one model for all is not there yet.
    const char* flag = o.new_customer      ? "--new-customer"
                       : delta             ? "--delta-method"
                       : boot_settings     ? "--bootstrap"
                       : !o.months.empty() ? "--months"
                                           : nullptr;
    if (flag)
      return print_error(
                 fmt::format("{} does not apply to a model fitted with covariates yet", flag)),
             2;
  }
  if (fitted.sbg) return print_error("predict takes bgnbd and gamma-gamma models, not sbg"), 2;
  std::vector<double> horizons;
  std::vector<int> counts;
  if (purchases) {
    if (o.horizon.empty())
      return print_error(fmt::format("--horizon is required with a {} model (time units to "
                                     "predict)",
                                     names_of(fitted.purchase->kind()).name)),
             2;
    auto h = read_horizons(o.horizon, fitted.purchase->kind());
    if (!h) return print_error(h.error().message), 2;
    horizons = *std::move(h);
    if (!o.pmf.empty()) {
      auto n = read_counts(o.pmf);
      if (!n) return print_error(n.error().message), 2;
      counts = *std::move(n);
    }
  } else {
    const char* flag = !o.horizon.empty()  ? "--horizon"
                       : !o.pmf.empty()    ? "--pmf"
                       : o.new_customer    ? "--new-customer"
                       : wants_dert(o)     ? "DERT (--continuous-discount, --discount-rate)"
                       : !o.months.empty() ? "--months"
                                           : nullptr;
    if (flag)
      return print_error(fmt::format("{} applies to a purchase model ({})", flag,
                                     models::listed_names(models::is_purchase_model))),
             2;
  }
  if (format == output_format::table && (!purchases || o.new_customer))
    return print_error(
               "--format table summarizes a summary's customers with a purchase model; "
               "use csv, ndjson or json"),
           2;
  if (o.new_customer) {
    if (fitted.gamma_gamma)
      return print_error(
                 "--new-customer predicts purchases: give a purchase model, not "
                 "gamma-gamma"),
             2;
    if (!o.months.empty())
      return print_error("--months values a summary's customers, not --new-customer"), 2;
    if (wants_dert(o))
      return print_error(
                 "DERT (--continuous-discount, --discount-rate) values a summary's "
                 "customers, not --new-customer"),
             2;
    if (intervals->any())
      return print_error(fmt::format("{} gives a summary's customers intervals, not --new-customer",
                                     delta ? "--delta-method" : "--bootstrap")),
             2;
    return predict_new_customer(fitted, horizons, counts, format);
  }
  if (fitted.gamma_gamma) {
    auto mean = models::predictable_mean_spend(*fitted.gamma_gamma);
    if (!mean) return print_error(mean.error().message), 2;
  }
  if (boot_settings && !purchases)
    return print_error(
               "--bootstrap refits a purchase model (bgnbd, mbgnbd or pareto-nbd) with the "
               "gamma-gamma one; give its --model file too"),
           2;
  std::vector<double> purchase_covariance;
  std::vector<double> spend_covariance;
  if (delta) {
    if (purchases) {
      auto c = covariance_of(fitted, fitted.purchase->kind());
      if (!c) return print_error(c.error().message), 2;
      purchase_covariance = *std::move(c);
    }
    if (fitted.gamma_gamma) {
      auto c = covariance_of(fitted, model_kind::gamma_gamma);
      if (!c) return print_error(c.error().message), 2;
      spend_covariance = *std::move(c);
    }
  }

  summary_needs needs;
  needs.recency_and_T = purchases;
  needs.monetary = fitted.gamma_gamma.has_value();
  auto summary = read_summary_or_log(o.input, needs, o.intervals.threads);
  if (!summary) return print_error(summary.error().message), 2;
  const summary_data& s = *summary;
  auto unit = stated_time_unit(fitted, s, *given_unit);
  if (!unit) return print_error(unit.error().message), 2;
  auto customer_models = customer_models_of(fitted, o.covariates, s);
  if (!customer_models) return print_error(customer_models.error().message), 2;

  std::optional<models::prediction_bootstrap> boot;
  if (boot_settings) {
    auto b = bootstrap_predictions_of(fitted, s, horizons, *boot_settings);
    if (!b) return print_error(b.error().message), 2;
    boot = *std::move(b);
  }

  std::optional<chosen_discount> discount;
  if (wants_dert(o)) {
    auto chosen = dert_discount(o, *unit);
    if (!chosen) return print_error(chosen.error().message), 2;
    discount = *std::move(chosen);
    print_note("DERT at a continuous discount of " + discount->source);
  }

  std::optional<models::clv_valuer> valuer;
  if (!o.months.empty()) {
    auto options = months_valuation(o, *unit);
    if (!options) return print_error(options.error().message), 2;
    auto made = models::clv_valuer::make(*fitted.purchase, *options);
    if (!made) return print_error(made.error().message), 2;
    valuer.emplace(*std::move(made));
  }

  // Several horizons: one row per customer and horizon, the horizon first.
  const bool long_form = horizons.size() > 1;
  const std::vector<std::string> count_names = count_columns(counts);
  record_writer writer{format, s.id_name, {}};
  if (long_form) writer.names.push_back("horizon");
  writer.names.push_back("frequency");
  if (purchases) {
    for (const char* n : {"recency", "T", "expected_purchases", "p_alive"})
      writer.names.push_back(n);
    if (discount) writer.names.push_back("dert");
    if (valuer) writer.names.push_back("discounted_purchases");
    for (const std::string& n : count_names) writer.names.push_back(n.c_str());
  }
  if (fitted.gamma_gamma) {
    writer.names.push_back("monetary_value");
    writer.names.push_back("expected_spend");
    if (discount) writer.names.push_back("predicted_clv");  // CLVTools': DERT × spend
  }
  const bool with_intervals = intervals->any();
  if (with_intervals && purchases)
    for (const char* n :
         {"expected_purchases_lower", "expected_purchases_upper", "p_alive_lower", "p_alive_upper"})
      writer.names.push_back(n);
  if (with_intervals && fitted.gamma_gamma)
    for (const char* n : {"expected_spend_lower", "expected_spend_upper"})
      writer.names.push_back(n);
  if (delta) print_note(delta_method_description(level));
  // The total expected purchases at the summary's horizon and its gradient.
  double total_expected = 0;
  std::vector<double> total_gradient(
      purchase_covariance.empty() ? 0 : fitted.purchase->parameters().values.size(), 0.0);

  output out(STDOUT_FILENO);
  std::string& buf = out.buffer();
  const bool per_customer = format != output_format::table;
  models::base_summary_builder base_builder;
  if (format == output_format::json) {
    append_horizon_head(buf, horizons);
    if (discount) {
      append_number_member(buf, "continuous_discount", discount->rate);
      buf += ",\"continuous_discount_source\":";
      append_json_string(buf, discount->source);
    }
    buf += fmt::format(",\"customers\":{},\"skipped_rows\":{},\"predictions\":[", s.size(),
                       s.skipped_rows);
  }
  if (per_customer) writer.header(buf);
  std::vector<double> values;
  const std::vector<double> no_horizon{0};  // gamma-gamma alone: one row per customer
  progress predicting("predicting customers", s.size());
  for (std::size_t i = 0; i < s.size() && !out.stopped(); ++i) {
    const models::rfm_tuple& c = s.rows[i];
    const models::purchase_model& model =
        customer_models->empty() ? *fitted.purchase : (*customer_models)[i];
    std::optional<double> alive;
    std::optional<double> dert;
    std::optional<double> discounted;
    std::optional<double> spend;
    std::optional<models::interval_bounds> spend_bounds;
    if (purchases) {
      auto a = models::probability_alive(model, c);
      if (!a) return print_error(at_customer(s, i, a.error()).message), 2;
      alive = *a;
      if (discount) {
        auto d = models::discounted_expected_residual_purchases(model, c, discount->rate);
        if (!d) return print_error(at_customer(s, i, d.error()).message), 2;
        dert = *d;
      }
      if (valuer) {
        auto v = valuer->value(c, 1.0);
        if (!v) return print_error(at_customer(s, i, v.error()).message), 2;
        discounted = v->clv;
      }
    }
    if (fitted.gamma_gamma) {
      if (auto checked = models::check_spend_row({c.x, s.monetary[i]}); !checked)
        return print_error(at_customer(s, i, checked.error()).message), 2;
      auto e =
          models::gamma_gamma_conditional_expected_spend(*fitted.gamma_gamma, c.x, s.monetary[i]);
      if (!e) return print_error(at_customer(s, i, e.error()).message), 2;
      spend = *e;
      if (delta) {
        auto b = models::spend_delta_interval(*fitted.gamma_gamma, spend_covariance, c.x,
                                              s.monetary[i], level);
        if (!b) return print_error(at_customer(s, i, b.error()).message), 2;
        spend_bounds = *b;
      }
    }
    std::size_t horizon_index = 0;
    for (const double horizon : purchases ? horizons : no_horizon) {
      values.clear();
      double expected = 0;
      if (long_form) values.push_back(horizon);
      values.push_back(c.x);
      if (purchases) {
        auto e = models::conditional_expected_purchases(model, c, horizon);
        if (!e) return print_error(at_customer(s, i, e.error()).message), 2;
        expected = *e;
        values.insert(values.end(), {c.t_x, c.T, expected, *alive});
        if (dert) values.push_back(*dert);
        if (discounted) values.push_back(*discounted);
        if (!counts.empty()) {
          auto pmf =
              models::conditional_probabilities_of_purchases(model, c, horizon, max_count(counts));
          if (!pmf) return print_error(at_customer(s, i, pmf.error()).message), 2;
          append_picked(values, *pmf, counts);
        }
      }
      if (spend) values.insert(values.end(), {s.monetary[i], *spend});
      if (spend && dert) values.push_back(*dert * *spend);
      if (delta && purchases) {
        auto b = models::purchase_prediction_delta_intervals(*fitted.purchase, purchase_covariance,
                                                             c, horizon, level);
        if (!b) return print_error(at_customer(s, i, b.error()).message), 2;
        values.insert(values.end(), {b->expected_purchases.lower, b->expected_purchases.upper,
                                     b->probability_alive.lower, b->probability_alive.upper});
        if (horizon == horizons.back()) {
          total_expected += expected;
          for (std::size_t k = 0; k < total_gradient.size(); ++k)
            total_gradient[k] += b->expected_purchases_gradient[k];
        }
      }
      if (boot) {
        const models::customer_prediction_intervals& b = boot->customers[i];
        const models::interval_bounds& e = b.expected_purchases[horizon_index];
        values.insert(values.end(),
                      {e.lower, e.upper, b.probability_alive.lower, b.probability_alive.upper});
        if (b.expected_spend) spend_bounds = b.expected_spend;
      }
      ++horizon_index;
      if (spend_bounds) values.insert(values.end(), {spend_bounds->lower, spend_bounds->upper});
      if (per_customer) writer.row(buf, s.id(i), values);
      if (purchases && horizon == horizons.back()) {  // the summary's horizon
        base_builder.add(
            i, *alive, expected,
            spend ? std::optional<double>(expected * *spend) : std::optional<double>());
      }
    }
    predicting.advance();
    out.maybe_flush();
  }
  const models::base_summary base = std::move(base_builder).finish();
  std::optional<models::interval_bounds> total_bounds;
  if (boot) total_bounds = boot->total_expected_purchases;
  if (delta && purchases) {
    auto b = models::delta_method_interval(total_expected, total_gradient, purchase_covariance,
                                           models::interval_scale::log, level);
    if (!b) return print_error(b.error().message), 2;
    total_bounds = *b;
  }
  const std::string covered =
      purchases ? fmt::format("in the next {} {}", format_shortest(horizons.back()),
                              models::is_discrete_time(fitted.purchase->kind()) ? "opportunities"
                              : *unit ? time_unit_name(**unit)
                                      : "time units")
                : std::string();
  if (format == output_format::json) {
    buf += ']';
    if (purchases) append_base_summary_json(buf, base, s);
    if (with_intervals) {
      buf +=
          fmt::format(",\"intervals\":{{\"method\":\"{}\",", boot ? "bootstrap" : "delta-method");
      if (boot)
        buf += fmt::format("\"replicates\":{},\"used\":{},\"seed\":{},", boot->replicates,
                           boot->used, boot_settings->seed);
      buf += "\"confidence\":";
      append_number(buf, level);
      if (total_bounds) append_interval_member(buf, "total_expected_purchases", *total_bounds);
      buf += ",\"describes\":";
      append_json_string(buf, interval_meaning);
      buf += '}';
    }
    buf += "}\n";
  } else if (format == output_format::table) {
    const std::string with_covariates =
        fitted.covariates
            ? fmt::format(" with covariates {}",
                          fmt::join(models::covariate_columns(fitted.covariates->terms), ", "))
            : std::string();
    buf += fmt::format("Predictions for {} customers ({}{}, {})\n",
                       grouped(static_cast<double>(s.size()), 0),
                       names_of(fitted.purchase->kind()).label, with_covariates, covered);
    append_base_summary_table(buf, base, "spend", covered);
    if (total_bounds)
      buf += fmt::format(
          "{:<20}expected purchases {} to {} ({})\n", percent(level) + " interval",
          grouped(total_bounds->lower, 1), grouped(total_bounds->upper, 1),
          boot ? fmt::format("bootstrap, {} of {} replicates", boot->used, boot->replicates)
               : std::string("delta method"));
    buf += '\n';
    append_top_customers_table(buf, base, s, "spend");
  }
  out.finish();
  print_note(s.skipped_note);
  print_note(s.left_out_note);
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
