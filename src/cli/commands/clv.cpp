#include "commands/clv.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cltv/models/base_summary.hpp"
#include "cltv/models/bootstrap.hpp"
#include "cltv/models/clv.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/number.hpp"
#include "cltv/time_unit.hpp"
#include "cltv/value_distribution.hpp"
#include "commands/summarize.hpp"
#include "io/format_option.hpp"
#include "io/messages.hpp"
#include "io/model_file.hpp"
#include "io/output.hpp"
#include "io/predictions.hpp"
#include "io/progress.hpp"
#include "io/text.hpp"

namespace cltv::cli {
namespace {

// clv offers the bootstrap (its models are refitted; a delta-method CLV is not built).
constexpr interval_methods clv_interval_methods{true, false};

constexpr const char* clv_examples = R"(Examples:
  cltv summarize log.csv | cltv clv -                    # 12 months, no discount
  cltv clv summary.csv --time-unit days                  # a summary that does not say
  cltv clv summary.csv --horizon 12 --discount-rate 1% --gross-margin 30%
  cltv clv cdnow_summary.csv --time-unit weeks --format csv > clv.csv
  cltv summarize log.csv | cltv clv - --format ndjson | jq 'select(.clv > 100)'
  cltv clv summary.csv --cash-flows | jq -s 'group_by(.month) | map(add)'
  cltv clv summary.csv --model bgnbd.json --model gg.json   # reuse fitted models
  cltv clv summary.csv --purchase-model mbgnbd            # or pareto-nbd, instead of BG/NBD
  cltv clv summary.csv --spend-per-purchase 25            # no spend model: 25 a purchase
  cltv clv --log log.csv --freq W --discount-rate 1%      # summarize and value in one step
  cltv clv --from postgresql:///shop --table orders --freq W   # the log in PostgreSQL
  cltv clv summary.csv --bootstrap 200 --seed 7           # with 90% bootstrap intervals
  cltv fit pareto-nbd summary.csv --covariates attributes.csv --covariate-cols Gender \
      > pnbd-gender.json && cltv clv summary.csv --model pnbd-gender.json --covariates attributes.csv
  cltv clv --log CDNOW_master.txt --delimiter whitespace --amount-col dollar_value \
      --date-format %Y%m%d --freq W --observation-end 1997-06-30 --drop-nonpositive

With --from URI --table NAME the log is a PostgreSQL table, summarized there
(`cltv sql summarize`'s query) with --log's options; only the customers' rows
come back.
Fits BG/NBD (purchases; --purchase-model mbgnbd or pareto-nbd instead) and
Gamma-Gamma (spend per purchase) to the summary, unless --model gives them,
then values each customer over --horizon months (spend without Gamma-Gamma,
e.g. where it cannot be fitted: --spend-per-purchase, one amount for every
purchase, or --spend-from-summary, each customer's own monetary_value and the
mean of those for customers without repeat purchases):
  CLV = sum over months i = 1..H of
        E[purchases in month i] x E[spend per purchase] x gross margin / (1 + d)^i
Purchases happen during the month, so month i is discounted by (1 + d)^i (the
convention of lifetimes and BTYD) -- unlike `cltv calc`, where a subscriber
pays at the start of each period. A month is 365.25/12 = 30.4375 days
(--days-per-month 30 reproduces lifetimes' daily convention). Recency and T are
in the unit the summary states (its time_unit_days column, as `cltv summarize`
writes it) or a --model file states; --time-unit gives it for a summary that
does not say, and must agree with one that does.
--log FILE reads a transaction log instead of a SUMMARY and summarizes it as
`cltv summarize` does, with summarize's options and their defaults (the log's
--customer-col, --date-col, --amount-col, --date-format, --freq,
--observation-end, ...): the answer is that of `cltv summarize FILE ... | cltv
clv -`. --customer-col, --time-unit and the table options keep one meaning
for either input: with --log, --time-unit is the unit the log is summarized in
(default: the --freq period). The log's other options need --log; the
summary's column options need a SUMMARY. The table shows the base at a
glance (expected active customers, P(alive) bands, expected purchases,
totals), value deciles and the top 10 customers; json gives one record per
customer with the same as "summary"; csv/ndjson one record per customer;
--cash-flows
streams one NDJSON record per customer per month.
--bootstrap N refits the models to N resamples of the customers (drawn with
replacement; CLVTools' uncertainty = "boots") and adds percentile intervals at
--confidence (default 90%) for each customer's expected purchases, P(alive),
expected spend and CLV (columns *_lower, *_upper) and for the totals. They
describe the uncertainty of the expectation that comes from the parameter
estimates, not the spread of a customer's future purchases. Replicate k draws
from a stream seeded by --seed and k, so the output is the same for any
--threads. A --model fitted with covariates needs --covariates FILE: each
customer is valued at her own parameters (not with --bootstrap yet).
Exit codes: 0 ok, 2 bad input or a failed fit.)";

}  // namespace

void add_clv_valuation_options(CLI::App& app, clv_valuation_options& o) {
  app.add_option("--horizon", o.horizon, "Months to value (whole number, 1..1200; default 12)")
      ->option_text("MONTHS");
  app.add_option("--discount-rate", o.discount_rate,
                 "Discount rate per month, 0.01 or 1% (default 0)")
      ->option_text("RATE");
  app.add_option("--gross-margin", o.gross_margin,
                 "Share of spend kept as margin, 0.3 or 30% (default 100%)")
      ->option_text("RATE");
  app.add_option("--days-per-month", o.days_per_month,
                 "Length of a month in days (default 30.4375 = 365.25/12)")
      ->option_text("DAYS");
  add_covariate_options(app, o.covariates, false);
  app.add_option("--model", o.models,
                 "Use this fitted model (`cltv fit` output) instead of fitting; repeatable")
      ->allow_extra_args(false)
      ->option_text("FILE");
  app.add_option("--purchase-model", o.purchase_model,
                 fmt::format("Purchase model to fit: {} (default bgnbd)",
                             models::listed_names(models::is_purchase_model)))
      ->option_text("MODEL");
  app.add_flag("--drop-nonpositive", o.drop_nonpositive,
               "Fit spend without repeat customers whose monetary value is <= 0 (counted; they "
               "are valued at the population mean spend)");
  app.add_option("--spend-per-purchase", o.spend_per_purchase,
                 "Value every purchase at AMOUNT instead of fitting Gamma-Gamma (monetary_value "
                 "is not read)")
      ->option_text("AMOUNT");
  app.add_flag("--spend-from-summary", o.spend_from_summary,
               "Value each customer's purchases at their own monetary_value instead of fitting "
               "Gamma-Gamma (customers without repeat purchases: the mean of those)");
  add_summary_source_options(app, o.input, true,
                             "RFM summary with monetary_value (as `cltv summarize` writes): CSV "
                             "or NDJSON (or .gz), - for stdin");
}

CLI::App* setup_clv(CLI::App& app, clv_command_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "clv",
      "Per-customer CLV from an RFM summary or a log: BG/NBD x Gamma-Gamma, fitted and applied");
  cmd->footer(clv_examples);
  add_clv_valuation_options(*cmd, o.valuation);
  add_database_source_options(*cmd, o.valuation.input);
  cmd->add_flag("--cash-flows", o.cash_flows,
                "Write one NDJSON record per customer per month instead (month, "
                "expected_purchases, expected_margin, discounted_value)");
  add_interval_options(*cmd, o.intervals, clv_interval_methods);
  add_format_option(*cmd, o.format, {"table", "csv", "ndjson", "json"},
                    "Output: table (default), csv, ndjson or json");
  return cmd;
}

namespace {

/// How purchases are valued: a Gamma-Gamma model (fitted or given), one
/// fixed amount, or the summary's own mean spends.
using spend_source = models::purchase_spend::source;

spend_source spend_source_of(const clv_valuation_options& o) {
  if (!o.spend_per_purchase.empty()) return spend_source::fixed;
  return o.spend_from_summary ? spend_source::summary : spend_source::gamma_gamma;
}

/// The spend flags that conflict with each other or with the rest, refused
/// rather than one of them ignored.
std::optional<std::string> spend_conflict(const clv_valuation_options& o,
                                          const fitted_models& fitted) {
  const bool fixed = !o.spend_per_purchase.empty();
  if (fixed && o.spend_from_summary)
    return "--spend-per-purchase and --spend-from-summary both say what a purchase is worth; "
           "give one";
  if ((fixed || o.spend_from_summary) && fitted.gamma_gamma)
    return fmt::format(
        "{} values spend instead of a gamma-gamma model; a --model file gives one "
        "(leave out one of them)",
        fixed ? "--spend-per-purchase" : "--spend-from-summary");
  if (fixed && o.drop_nonpositive)
    return "--drop-nonpositive does not apply with --spend-per-purchase (monetary_value is not "
           "read)";
  return std::nullopt;
}

model_account account_of(const models::model_parameters& p,
                         const std::vector<models::parameter_estimate>& estimates,
                         const models::fit_report& report, std::size_t customers) {
  model_account a{
      p,
      {},
      report.log_likelihood,
      fmt::format("fitted to {} customers", grouped(static_cast<double>(customers), 0))};
  for (const models::parameter_estimate& e : estimates)
    a.standard_errors.push_back(e.standard_error);
  a.covariance = report.covariance;
  return a;
}

result<clv_settings> parse_clv_settings(const clv_valuation_options& o) {
  clv_settings s;
  auto h = parse_number("horizon", o.horizon, number_style::plain);
  if (!h) return std::move(h).error();
  auto months = models::clv_horizon_months(*h);
  if (!months) return std::move(months).error();
  s.clv.months = *months;
  auto d = parse_number("discount_rate", o.discount_rate, number_style::rate);
  if (!d) return std::move(d).error();
  s.clv.discount_rate = *d;
  auto gm = parse_number("gross_margin", o.gross_margin, number_style::rate);
  if (!gm) return std::move(gm).error();
  s.clv.gross_margin = *gm;
  auto unit = given_summary_unit(o.input);
  if (!unit) return std::move(unit).error();
  s.given_unit = *unit;
  if (!o.days_per_month.empty()) {
    auto m = parse_number("days_per_month", o.days_per_month, number_style::plain);
    if (!m) return std::move(m).error();
    s.days_per_month = *m;
  }
  // Checked now, before the summary is read; in its unit once that is known.
  auto periods = models::periods_per_month(s.days_per_month, 1);
  if (!periods) return std::move(periods).error();
  auto checked = models::check_clv_options(s.clv);
  if (!checked) return std::move(checked).error();
  return s;
}

/// The spend model as a line of the table, like model_line().
std::string spend_line(spend_source source, const std::optional<models::gamma_gamma_params>& gg,
                       double mean_spend) {
  if (source == spend_source::gamma_gamma) return model_line(parameters_of(*gg));
  if (source == spend_source::fixed)
    return fmt::format("  {:<12} {} per purchase (--spend-per-purchase)\n", "Spend",
                       trimmed_number(mean_spend, 4));
  return fmt::format(
      "  {:<12} each customer's monetary_value; without repeats, their mean {} "
      "(--spend-from-summary)\n",
      "Spend", trimmed_number(mean_spend, 4));
}

/// --bootstrap: the valuation's models refitted to resampled customers, and
/// the percentile intervals of every customer's values and of the totals.
result<models::clv_bootstrap> bootstrap_valuation(const clv_valuation& v,
                                                  const clv_valuation_options& o,
                                                  const models::bootstrap_settings& settings) {
  const summary_data& s = v.customers;
  models::bootstrap_models refit;
  refit.purchase = v.model.kind();
  std::optional<models::purchase_spend> fixed_spend;
  if (v.spend.kind() == spend_source::gamma_gamma) {
    models::gamma_gamma_options spend;
    spend.drop_nonpositive_spend = o.drop_nonpositive;
    refit.spend = spend;
  } else {
    fixed_spend = v.spend;  // a fixed amount or the summary's own: nothing to refit
  }
  if (!o.models.empty())
    print_note(
        fmt::format("--bootstrap refits {}{} to the customers of {}, as the --model files "
                    "name them",
                    names_of(refit.purchase).name, refit.spend ? " and gamma-gamma" : "", s.name));
  const std::span<const double> monetary =
      v.reads_spend ? std::span<const double>(s.monetary) : std::span<const double>();
  auto replicates = refit_replicates(s.rows, monetary, refit, settings);
  if (!replicates) return std::move(replicates).error();
  const progress shown("bootstrap: valuing customers under each replicate");
  auto intervals =
      models::bootstrap_clv(s.rows, monetary, *replicates, fixed_spend, v.settings.clv, settings);
  if (!intervals) return std::move(intervals).error();
  print_bootstrap_notes(settings, intervals->used, intervals->first_failure);
  return intervals;
}

void write_clv_table(const clv_settings& st, const models::purchase_model& model,
                     const std::string& spend, const summary_data& customers,
                     const models::base_summary& base, std::span<const value_decile> deciles,
                     const std::optional<models::clv_bootstrap>& boot,
                     const std::optional<models::bootstrap_settings>& boot_settings,
                     std::string& out) {
  const double total = base.expected_value.value_or(0);
  out +=
      fmt::format("Customer lifetime value over {} month{} ({} customers)\n", st.clv.months,
                  st.clv.months == 1 ? "" : "s", grouped(static_cast<double>(customers.size()), 0));
  const std::string unit = time_unit_name(st.unit_days);
  // A discrete-time model's unit is its opportunity; a month holds those that fall in it.
  const std::string summary_unit =
      models::is_discrete_time(model.kind()) ? unit + ", one opportunity each" : unit;
  out += fmt::format("  summary in {}; a month is {} {}; discount {} per month; gross margin {}\n",
                     summary_unit, trimmed_number(st.clv.periods_per_month, 4),
                     unit.starts_with("units") ? "units" : unit, percent(st.clv.discount_rate),
                     percent(st.clv.gross_margin));
  out += model_line(model.parameters());
  out += spend;
  out += '\n';
  append_base_summary_table(
      out, base, "CLV",
      fmt::format("in the next {} month{}", st.clv.months, st.clv.months == 1 ? "" : "s"));
  out += fmt::format("Mean CLV            {} per customer\n",
                     money(total / static_cast<double>(customers.size())));
  if (boot) {
    const double n = static_cast<double>(customers.size());
    out += fmt::format("{:<20}total CLV {} to {}; mean {} to {}; purchases {} to {}\n",
                       percent(boot_settings->confidence) + " interval",
                       money(boot->total_clv.lower), money(boot->total_clv.upper),
                       money(boot->total_clv.lower / n), money(boot->total_clv.upper / n),
                       grouped(boot->total_expected_purchases.lower, 0),
                       grouped(boot->total_expected_purchases.upper, 0));
    out += fmt::format(
        "  bootstrap, {} of {} replicates (seed {}): the uncertainty of the "
        "expectation,\n  not the spread of what customers will buy\n",
        boot->used, boot->replicates, boot_settings->seed);
  }
  out += '\n';
  out += fmt::format("{:>6} {:>10} {:>14} {:>7} {:>10} {:>10} {:>10}\n", "decile", "customers",
                     "total CLV", "share", "mean", "min", "max");
  for (const value_decile& d : deciles)
    out += fmt::format("{:>6} {:>10} {:>14} {:>7} {:>10} {:>10} {:>10}\n", d.decile,
                       grouped(static_cast<double>(d.customers), 0), money(d.total),
                       fmt::format("{:.1f}%", d.share * 100), money(d.mean), money(d.min),
                       money(d.max));
  out += '\n';
  append_top_customers_table(out, base, customers, "CLV");
}

}  // namespace

result<models::model_kind> purchase_model_to_fit(const std::string& purchase_model,
                                                 const fitted_models& fitted) {
  if (!purchase_model.empty() && fitted.purchase)
    return error{"purchase_model",
                 "--purchase-model chooses the model to fit; a --model file gives one "
                 "already (leave out one of them)"};
  return models::purchase_model_named("--purchase-model",
                                      purchase_model.empty() ? "bgnbd" : purchase_model);
}

result<models::purchase_model_fit> fit_purchase_model_of(models::model_kind kind,
                                                         std::span<const models::rfm_tuple> rows,
                                                         const std::string& data_name) {
  const progress shown(fmt::format("fitting {} to {} customers", names_of(kind).name,
                                   grouped(static_cast<double>(rows.size()), 0)));
  auto fit = models::fit_purchase_model(kind, rows);
  if (!fit)
    return error{fit.error().field, fmt::format("{}: cannot fit {}: {}", data_name,
                                                names_of(kind).name, fit.error().message)};
  return fit;
}

result<clv_valuation> prepare_clv_valuation(const clv_valuation_options& o,
                                            const std::string& threads) {
  if (auto conflict = summary_source_conflict(o.input)) return error{"input", *conflict};
  auto settings = parse_clv_settings(o);
  if (!settings) return std::move(settings).error();
  clv_settings& st = *settings;

  fitted_models fitted;
  fitted.accepts_covariates = true;
  if (auto e = read_model_files(o.models, o.input.path(), fitted)) return *e;
  if (fitted.sbg) return error{"model", "clv takes bgnbd and gamma-gamma models, not sbg"};
  auto kind = purchase_model_to_fit(o.purchase_model, fitted);
  if (!kind) return std::move(kind).error();
  if (const auto conflict = spend_conflict(o, fitted)) return error{"spend", *conflict};
  const spend_source source = spend_source_of(o);
  std::optional<models::purchase_spend> spend;  // known now when fixed
  if (source == spend_source::fixed) {
    auto amount = parse_number("spend_per_purchase", o.spend_per_purchase, number_style::plain);
    auto fixed = amount ? models::purchase_spend::fixed(*amount)
                        : result<models::purchase_spend>(std::move(amount).error());
    if (!fixed) return std::move(fixed).error();
    spend = *fixed;
  }
  const bool reads_spend = source != spend_source::fixed;

  auto summary = read_summary_or_log(o.input, summary_needs{true, reads_spend}, threads);
  if (!summary) return std::move(summary).error();
  const summary_data& s = *summary;
  print_note(s.skipped_note);
  print_note(s.left_out_note);
  auto unit = stated_time_unit(fitted, s, st.given_unit);
  if (!unit) return std::move(unit).error();
  if (!*unit)
    return error{"time_unit",
                 fmt::format("time_unit: nothing states the time unit of {} (no time_unit_days "
                             "column, no model that says); give --time-unit days, weeks, months "
                             "or N days",
                             the_summary(s.name))};
  st.unit_days = **unit;
  st.clv.periods_per_month = *models::periods_per_month(st.days_per_month, st.unit_days);
  // A repeat customer with a spend <= 0 (a $0 order, a refund) stops the run
  // before any fit, with the same words whether models are fitted or given.
  if (reads_spend && !o.drop_nonpositive) {
    for (std::size_t i = 0; i < s.size(); ++i)
      if (auto checked = models::check_spend_row({s.rows[i].x, s.monetary[i]}); !checked) {
        error e = at_customer(s, i, checked.error());
        e.message += "; value such customers at the mean spend with --drop-nonpositive";
        return e;
      }
  }

  if (!fitted.purchase) {
    auto fit = fit_purchase_model_of(*kind, s.rows, s.name);
    if (!fit) return std::move(fit).error();
    fitted.purchase = fit->model;
    fitted.accounts.push_back(
        account_of(fit->model.parameters(), fit->estimates, fit->report, s.size()));
  }
  if (source == spend_source::gamma_gamma && !fitted.gamma_gamma) {
    models::gamma_gamma_options options;
    options.drop_nonpositive_spend = o.drop_nonpositive;
    std::vector<models::spend_row> spend_rows(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) spend_rows[i] = {s.rows[i].x, s.monetary[i]};
    auto fit = models::fit_gamma_gamma(spend_rows, options);
    if (!fit)
      return error{fit.error().field,
                   fmt::format("{}: cannot fit gamma-gamma: {}{}", s.name, fit.error().message,
                               spend_fit_hint(fit.error()))};
    if (fit->dropped > 0)
      print_note(
          fmt::format("{} repeat customer{} with a monetary value <= 0 left out of the "
                      "spend fit and valued at the population mean spend",
                      fit->dropped, fit->dropped == 1 ? "" : "s"));
    print_note(correlation_note(*fit));
    fitted.gamma_gamma = fit->params;
    fitted.accounts.push_back(account_of(parameters_of(fit->params), {fit->p, fit->q, fit->gamma},
                                         fit->report, fit->report.customers));
  }
  if (!spend) {
    auto valued = source == spend_source::gamma_gamma
                      ? models::purchase_spend::from_gamma_gamma(*fitted.gamma_gamma)
                      : models::purchase_spend::from_summary(s.rows, s.monetary);
    if (!valued)
      return error{valued.error().field, fmt::format("{}: {}", s.name, valued.error().message)};
    spend = *valued;
  }
  auto customer_models = customer_models_of(fitted, o.covariates, s);
  if (!customer_models) return std::move(customer_models).error();
  return clv_valuation{std::move(summary).value(),
                       st,
                       *fitted.purchase,
                       fitted.gamma_gamma,
                       *spend,
                       reads_spend,
                       std::move(fitted.accounts),
                       std::move(*customer_models),
                       fitted.covariates ? models::covariate_columns(fitted.covariates->terms)
                                         : std::vector<std::string>{}};
}

result<clv_valuers> clv_valuers::make(const clv_valuation& v) {
  auto shared = models::clv_valuer::make(v.model, v.settings.clv);
  if (!shared) return std::move(shared).error();
  return clv_valuers(v, std::move(*shared));
}

result<models::clv_valuer*> clv_valuers::of(std::size_t i) {
  if (valuation_->customer_models.empty()) return &shared_;
  const models::purchase_model& model = valuation_->customer_models[i];
  std::vector<double> key = model.parameters().values;
  auto at = by_parameters_.find(key);
  if (at == by_parameters_.end()) {
    auto made = models::clv_valuer::make(model, valuation_->settings.clv);
    if (!made) return std::move(made).error();
    at = by_parameters_.emplace(std::move(key), std::move(*made)).first;
  }
  return &at->second;
}

result<valued_customers> value_customers(clv_valuation& v, std::size_t top_count) {
  const summary_data& s = v.customers;
  auto valuers = clv_valuers::make(v);
  if (!valuers) return std::move(valuers).error();
  valued_customers out{std::vector<double>(s.size()), {}};
  models::base_summary_builder base(top_count);
  progress valuing("valuing customers", s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const models::rfm_tuple& c = s.rows[i];
    auto per_purchase = v.spend.of_customer(c.x, v.reads_spend ? s.monetary[i] : 0);
    if (!per_purchase) return at_customer(s, i, per_purchase.error());
    auto valuer = valuers->of(i);
    if (!valuer) return at_customer(s, i, valuer.error());
    auto valued = (*valuer)->value(c, *per_purchase);
    if (!valued) return at_customer(s, i, valued.error());
    out.clv[i] = valued->clv;
    base.add(i, valued->probability_alive, valued->expected_purchases, valued->clv);
    valuing.advance();
  }
  out.base = std::move(base).finish();
  return out;
}

int run_clv(const clv_command_options& command) {
  const clv_valuation_options& o = command.valuation;
  const output_format format = format_named(command.format);
  if (command.cash_flows && command.format != "table" && command.format != "ndjson")
    return print_error("--cash-flows writes NDJSON; leave out --format or say ndjson"), 2;
  auto intervals_asked =
      parse_interval_flags(command.intervals, clv_interval_methods, o.input.from_log());
  if (!intervals_asked) return print_error(intervals_asked.error().message), 2;
  const std::optional<models::bootstrap_settings>& boot_settings = intervals_asked->bootstrap;
  if (boot_settings && command.cash_flows)
    return print_error(
               "--bootstrap gives intervals of each customer's values, not of "
               "--cash-flows; leave out one of them"),
           2;
  auto prepared = prepare_clv_valuation(o, command.intervals.threads);
  if (!prepared) return print_error(prepared.error().message), 2;
  const summary_data& s = prepared->customers;
  const clv_settings& st = prepared->settings;
  const models::purchase_model& model = prepared->model;
  const std::optional<models::gamma_gamma_params>& gg = prepared->gamma_gamma;
  const std::optional<models::purchase_spend> spend = prepared->spend;
  const spend_source source = spend->kind();
  const bool reads_spend = prepared->reads_spend;
  std::optional<models::clv_bootstrap> boot;
  if (boot_settings && !prepared->customer_models.empty())
    return print_error("--bootstrap does not apply to a model fitted with covariates yet"), 2;
  if (boot_settings) {
    auto intervals = bootstrap_valuation(*prepared, o, *boot_settings);
    if (!intervals) return print_error(intervals.error().message), 2;
    boot = *std::move(intervals);
  }

  output out(STDOUT_FILENO);
  std::string& buf = out.buffer();
  const bool per_customer = format != output_format::table && !command.cash_flows;
  record_writer writer{format,
                       s.id_name,
                       {"frequency", "recency", "T", "monetary_value", "expected_purchases",
                        "p_alive", "expected_spend", "clv"}};
  if (!reads_spend) writer.names.erase(writer.names.begin() + 3);  // monetary_value: not read
  if (boot)
    for (const char* n :
         {"expected_purchases_lower", "expected_purchases_upper", "p_alive_lower", "p_alive_upper",
          "expected_spend_lower", "expected_spend_upper", "clv_lower", "clv_upper"})
      writer.names.push_back(n);
  if (format == output_format::json) {
    buf += fmt::format("{{\"horizon_months\":{},\"discount_rate\":", st.clv.months);
    append_number(buf, st.clv.discount_rate);
    buf += ",\"gross_margin\":";
    append_number(buf, st.clv.gross_margin);
    buf += ",\"time_unit_days\":";
    append_number(buf, st.unit_days);
    buf += ",\"days_per_month\":";
    append_number(buf, st.days_per_month);
    buf += ",\"models\":{";
    append_model(buf, model.parameters());
    if (gg) {
      buf += ',';
      append_model(buf, parameters_of(*gg));
    }
    buf += '}';
    if (source != spend_source::gamma_gamma) {  // what the spend is instead of a model
      buf += fmt::format(",\"spend\":{{\"source\":\"{}\",\"{}\":",
                         source == spend_source::fixed ? "fixed" : "summary",
                         source == spend_source::fixed ? "per_purchase" : "mean");
      append_number(buf, spend->mean());
      buf += '}';
    }
    if (boot) {
      buf += fmt::format(
          ",\"bootstrap\":{{\"method\":\"percentile\",\"replicates\":{},"
          "\"used\":{},\"seed\":{},\"confidence\":",
          boot->replicates, boot->used, boot_settings->seed);
      append_number(buf, boot_settings->confidence);
      buf += ",\"describes\":";
      append_json_string(buf, interval_meaning);
      buf += '}';
    }
    buf += ",\"customers\":[";
  } else if (per_customer) {
    writer.header(buf);
  }

  record_writer flow_writer{output_format::ndjson,
                            s.id_name,
                            {"month", "expected_purchases", "expected_margin", "discounted_value"}};
  std::vector<models::monthly_cash_flow> flows(
      command.cash_flows ? static_cast<std::size_t>(st.clv.months) : 0);
  auto valuers = clv_valuers::make(*prepared);
  if (!valuers) return print_error(valuers.error().message), 2;
  std::vector<double> values(s.size());
  std::vector<double> row;
  models::base_summary_builder base_builder;
  progress valuing("valuing customers", s.size());
  for (std::size_t i = 0; i < s.size() && !out.stopped(); ++i) {
    const models::rfm_tuple& c = s.rows[i];
    const double m = reads_spend ? s.monetary[i] : 0;
    auto per_purchase = spend->of_customer(c.x, m);
    if (!per_purchase) return print_error(at_customer(s, i, per_purchase.error()).message), 2;
    auto valuer = valuers->of(i);
    if (!valuer) return print_error(at_customer(s, i, valuer.error()).message), 2;
    auto v = (*valuer)->value(c, *per_purchase, flows);
    if (!v) return print_error(at_customer(s, i, v.error()).message), 2;
    values[i] = v->clv;
    base_builder.add(i, v->probability_alive, v->expected_purchases, v->clv);
    valuing.advance();
    if (command.cash_flows) {
      for (std::size_t k = 0; k < flows.size(); ++k) {
        const double flow[] = {static_cast<double>(k + 1), flows[k].expected_purchases,
                               flows[k].expected_margin, flows[k].discounted_value};
        flow_writer.row(buf, s.id(i), flow);
      }
    } else if (per_customer) {
      row.assign({c.x, c.t_x, c.T, m, v->expected_purchases, v->probability_alive,
                  v->expected_spend, v->clv});
      if (!reads_spend) row.erase(row.begin() + 3);
      if (boot) {
        const models::customer_clv_intervals& b = boot->customers[i];
        for (const models::interval_bounds* bounds :
             {&b.expected_purchases, &b.probability_alive, &b.expected_spend, &b.clv})
          row.insert(row.end(), {bounds->lower, bounds->upper});
      }
      writer.row(buf, s.id(i), row);
    }
    out.maybe_flush();
  }
  auto distribution = distribute_values(values);
  if (!distribution) return print_error(distribution.error().message), 2;
  const std::vector<value_decile>& deciles = distribution->deciles;
  const models::base_summary base = std::move(base_builder).finish();
  if (format == output_format::json) {
    const double total = base.expected_value.value_or(0);
    buf += fmt::format("],\"totals\":{{\"customers\":{},\"expected_purchases\":", s.size());
    append_number(buf, base.expected_purchases);
    buf += ",\"clv\":";
    append_number(buf, total);
    buf += ",\"mean_clv\":";
    append_number(buf, total / static_cast<double>(s.size()));
    if (boot) {
      const double n = static_cast<double>(s.size());
      append_interval_member(buf, "expected_purchases_interval", boot->total_expected_purchases);
      append_interval_member(buf, "clv_interval", boot->total_clv);
      append_interval_member(buf, "mean_clv_interval",
                             {boot->total_clv.lower / n, boot->total_clv.upper / n});
    }
    buf += "},\"deciles\":[";
    for (std::size_t k = 0; k < deciles.size(); ++k) {
      const value_decile& d = deciles[k];
      buf += fmt::format("{}{{\"decile\":{},\"customers\":{},\"total\":", k ? "," : "", d.decile,
                         d.customers);
      append_number(buf, d.total);
      buf += ",\"share\":";
      append_number(buf, d.share);
      buf += ",\"mean\":";
      append_number(buf, d.mean);
      buf += ",\"min\":";
      append_number(buf, d.min);
      buf += ",\"max\":";
      append_number(buf, d.max);
      buf += '}';
    }
    buf += ']';
    append_base_summary_json(buf, base, s);
    buf += fmt::format(",\"skipped_rows\":{}}}\n", s.skipped_rows);
  } else if (format == output_format::table && !command.cash_flows) {
    const std::string covariates =
        prepared->covariates.empty()
            ? std::string()
            : fmt::format(
                  "  Covariates   {}: each customer's own parameters (the line above: "
                  "all values 0)\n",
                  fmt::join(prepared->covariates, ", "));
    write_clv_table(st, model, covariates + spend_line(source, gg, spend->mean()), s, base, deciles,
                    boot, boot_settings, buf);
  }
  out.finish();
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
