#include "commands/report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "cltv/models/frequency_histogram.hpp"
#include "cltv/number.hpp"
#include "cltv/time_unit.hpp"
#include "cltv/value_distribution.hpp"
#include "commands/metrics.hpp"
#include "commands/plot_data.hpp"
#include "io/format_option.hpp"
#include "io/log_input.hpp"
#include "io/messages.hpp"
#include "io/model_file.hpp"
#include "io/single_scenario.hpp"
#include "io/text.hpp"
#include "io/whole_file.hpp"
#include "report/reports.hpp"

namespace cltv::cli {
namespace {

constexpr const char* report_examples = R"(Examples:
  cltv report scenario --arpu 50 --churn 4% --cac 300 -o unit-economics.html
  cltv report customers summary.csv -o customers.html
  cltv report customers summary.csv --model bgnbd.json --model gg.json --horizon 24 -o customers.html

One HTML file, self-contained (inline SVG and CSS, no script, nothing
fetched), light or dark as the reader's system is, and printable to PDF on A4
or Letter with no chart cut across pages. The same input gives the same
bytes. Exit codes: 0 written, 2 bad input, usage or a failed fit (nothing is
written).)";

constexpr const char* scenario_examples = R"(Examples:
  cltv report scenario --arpu 50 --churn 4% --cac 300 -o unit-economics.html
  cltv report scenario --input examples/saas.json -o saas.html
  cltv report scenario --sbg-model sbg.json --arpu 120 --period year --discount-rate 10% --cac 300 -o sbg.html

The budget-meeting page of one scenario (given as for calc: flags, or one
record of --input with the flags over it): the verdict, LTV, CAC, LTV:CAC,
net value, the expected and simple paybacks, the payback curve, LTV:CAC over
the value and lifetime inputs at 50 % to 150 % of the scenario's (a heatmap),
the survival curve and the inputs.)";

constexpr const char* customers_examples = R"(Examples:
  cltv report customers summary.csv -o customers.html
  cltv report customers --log log.csv --freq W -o customers.html
  cltv report customers --log log.csv --freq W --calibration-end 2024-03-31 -o customers.html
  cltv report customers summary.csv --model bgnbd.json --model gg.json --discount-rate 1% -o customers.html

The analyst's page of a customer base: the data (customers, one-time buyers,
spend), the models with their standard errors (fitted as `cltv clv` fits
them, or --model files), the frequency chart (actual against expected), the
CLV `cltv clv` computes with the same options, its deciles and Lorenz curve,
the expected active customers and the top customers. With --log, also the
retention of the monthly cohorts; with --log and --calibration-end (or
--calibration-periods), also the fit over time (tracking) and the holdout
check of the model fitted to the calibration period, while the CLV is valued
on the whole log (the log is then read three times: a file, not stdin). The
page says what it leaves out.)";

result<std::string> scenario_report(const report_options& o) {
  auto flags = parse_scenario_flags(o.scenario_flags, o.scenario_options);
  if (!flags) return std::move(flags).error();
  auto counts = apply_sbg_model_with_counts(o.sbg_model, o.input, *flags);
  if (!counts) return std::move(counts).error();
  report::scenario_page_input in{*flags, "flags", *counts};
  if (!o.input.empty()) {
    auto one = read_single_scenario(o.input, o.input_format, "report scenario", "scenario", *flags);
    if (!one) return std::move(one).error();
    if (one->parsed.has_segments)
      return error{"segments", fmt::format("report scenario does not take segments ({}, line {})",
                                           one->source, one->line)};
    in.input = one->parsed.input;
    in.source = one->source;
  }
  return report::scenario_page(in);
}

report::model_summary summary_of(const model_account& a) {
  const models::model_names& names = names_of(a.parameters.kind);
  report::model_summary m{std::string(names.label), {}, a.log_likelihood, a.source};
  for (std::size_t i = 0; i < a.parameters.values.size(); ++i) {
    std::optional<double> se;
    if (i < a.standard_errors.size() && std::isfinite(a.standard_errors[i]))
      se = a.standard_errors[i];
    m.parameters.push_back({std::string(names.parameters[i]), a.parameters.values[i], se});
  }
  return m;
}

result<std::string> customers_report(const report_options& o) {
  auto top = parse_number("top", o.top, number_style::plain);
  if (!top) return std::move(top).error();
  if (!(*top >= 0 && *top <= 1000 && *top == std::floor(*top)))
    return error{"top", fmt::format("--top must be a whole number in 0..1000, got {}", o.top)};
  // A dated log split at a calibration end also shows the fit over time
  // (tracking, holdout: a model fitted to the calibration period) and the
  // cohorts; the CLV is valued on the whole log. The log is read three times.
  const summary_source& source = o.valuation.input;
  const bool split = source.from_log() && (!source.log.calibration_end.empty() ||
                                           !source.log.calibration_periods.empty());
  if (split && source.path() == "-")
    return error{"log",
                 "report customers reads a split log more than once: give a file, not stdin"};
  clv_valuation_options whole = o.valuation;
  whole.input.log.calibration_end.clear();
  whole.input.log.calibration_periods.clear();
  auto prepared = prepare_clv_valuation(whole);
  if (!prepared) return std::move(prepared).error();
  if (!prepared->customer_models.empty())
    return error{"covariates",
                 "report customers does not take a model fitted with covariates "
                 "yet (its charts use one model for everyone): `cltv clv` and "
                 "`cltv predict` do"};
  auto valued = value_customers(*prepared, static_cast<std::size_t>(*top));
  if (!valued) return std::move(valued).error();
  auto distribution = distribute_values(valued->clv);
  if (!distribution) return std::move(distribution).error();
  const summary_data& s = prepared->customers;
  const clv_settings& st = prepared->settings;

  report::customer_page_input in;
  in.source = s.name;
  in.time_unit = time_unit_name(st.unit_days);
  in.customers = static_cast<double>(s.size());
  double spend_sum = 0, repeat_customers = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.rows[i].x == 0) {
      in.one_time_buyers += 1;
    } else if (prepared->reads_spend && s.monetary[i] > 0) {
      spend_sum += s.monetary[i];
      repeat_customers += 1;
    }
  }
  if (repeat_customers > 0) in.mean_spend = spend_sum / repeat_customers;
  for (const model_account& a : prepared->accounts) in.models.push_back(summary_of(a));
  if (prepared->accounts.empty() ||
      !models::is_purchase_model(prepared->accounts.front().parameters.kind))
    in.models.insert(in.models.begin(),
                     summary_of({prepared->model.parameters(), {}, std::nullopt, "given"}));

  auto buckets = models::frequency_histogram(prepared->model, s.rows, 7);
  if (!buckets) return std::move(buckets).error();
  in.frequency = plot::frequency_view{
      std::string(names_of(prepared->model.parameters().kind).label), std::move(buckets).value()};

  in.horizon_months = st.clv.months;
  in.valuation_text =
      fmt::format("CLV over {} months, discount {} per month, gross margin {}.", st.clv.months,
                  percent(st.clv.discount_rate), percent(st.clv.gross_margin));
  in.clv = std::move(distribution).value();
  in.expected_active = valued->base.expected_active;
  in.expected_purchases = valued->base.expected_purchases;
  for (const models::top_customer& t : valued->base.top) {
    const models::rfm_tuple& c = s.rows[t.index];
    in.top.push_back({std::string(s.id(t.index)), c.x, c.t_x, c.T, t.probability_alive,
                      t.expected_purchases, t.value.value_or(0)});
  }
  if (split) {
    auto charts = chart_split_log({source.log, {}, o.valuation.purchase_model}, "report customers");
    if (!charts) return std::move(charts).error();
    in.tracking = std::move(charts->tracking);
    in.holdout = std::move(charts->holdout);
    in.frequency->model_name += " (calibration fit)";
  }
  if (source.from_log()) {
    cltv::metrics_options measured;
    auto end = parse_date_flag("observation_end", source.log.observation_end,
                               source.log.log.table.date_format);
    if (!end) return std::move(end).error();
    measured.observation_end = *end;
    if (source.path() != "-") {
      auto log = measure_log(source.log.log, measured);
      if (!log) return std::move(log).error();
      in.transactions = static_cast<double>(log->report.overall.orders);
      in.period_text = fmt::format("{} to {}", format_date(log->report.first_day),
                                   format_date(log->report.observation_end));
      in.cohorts = plot::cohort_view{period::month, std::move(log->report.cohorts),
                                     plot::cohort_metric::retention};
    } else {
      in.missing.emplace_back(
          "Left out: the cohorts, which read the log again (give a file, not stdin).");
    }
  }
  if (!split)
    in.missing.emplace_back(
        source.from_log()
            ? "Left out: the fit over time (tracking) and the holdout check, which need a "
              "calibration end (--calibration-end or --calibration-periods)."
            : "Left out: the fit over time (tracking), the holdout check and the cohorts, which "
              "need the dated log (--log, with --calibration-end for the first two).");
  return report::customer_page(in);
}

}  // namespace

CLI::App* setup_report(CLI::App& app, report_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "report",
      "One HTML page: a scenario for a budget meeting, or a customer base and its models");
  cmd->footer(report_examples);

  CLI::App* scenario =
      cmd->add_subcommand("scenario", "The budget-meeting page of one scenario (as calc reads it)");
  scenario->footer(scenario_examples);
  scenario->parse_complete_callback([&o] { o.kind = "scenario"; });
  add_scenario_flags(*scenario, o.scenario_flags, o.scenario_options);
  add_sbg_model_option(*scenario, o.sbg_model);
  auto* input = scenario
                    ->add_option("-i,--input", o.input,
                                 "Read the scenario from a JSON or CSV file (- for stdin); flags "
                                 "override its fields")
                    ->type_name("FILE")
                    ->group("Input and output");
  add_format_option(*scenario, o.input_format, {"json", "ndjson", "csv"},
                    "How --input is written: json (JSON or NDJSON, the default) or csv",
                    "json|ndjson|csv", "--input-format")
      ->needs(input)
      ->group("Input and output");

  CLI::App* customers = cmd->add_subcommand(
      "customers", "The analyst's page of a customer base: data, models, fit, CLV, top customers");
  customers->footer(customers_examples);
  customers->parse_complete_callback([&o] { o.kind = "customers"; });
  add_clv_valuation_options(*customers, o.valuation);
  customers->add_option("--top", o.top, "Customers in the top list (default 10)")->option_text("N");

  for (CLI::App* sub : {scenario, customers})
    sub->add_option("-o,--output", o.output,
                    "Write the page to FILE (whole or not at all) instead of stdout")
        ->type_name("FILE")
        ->group("Input and output");
  return cmd;
}

int run_report(const report_options& o) {
  if (o.kind.empty())
    return print_error(
               "report needs a page: report scenario (a scenario, as calc reads it) or report "
               "customers (a summary or a log; see 'cltv report --help')"),
           2;
  auto page = o.kind == "scenario" ? scenario_report(o) : customers_report(o);
  if (!page) return print_error(page.error().message), 2;
  if (auto e = write_whole_file(o.output, *page)) return print_error(e->message), 2;
  return 0;
}

}  // namespace cltv::cli
