#include "commands/plot_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "cltv/models/backtest.hpp"
#include "cltv/models/frequency_histogram.hpp"
#include "cltv/models/history_matrix.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/models/tracking.hpp"
#include "cltv/number.hpp"
#include "cltv/time_unit.hpp"
#include "cltv/value_distribution.hpp"
#include "commands/metrics.hpp"
#include "commands/summarize.hpp"
#include "io/format_option.hpp"
#include "io/messages.hpp"
#include "io/model_file.hpp"
#include "io/predictions.hpp"
#include "io/progress.hpp"
#include "io/text.hpp"
#include "io/whole_file.hpp"
#include "plot/charts.hpp"

namespace cltv::cli {
namespace {

constexpr const char* output_help =
    "The chart is SVG; --format csv or json writes the plotted numbers instead, and vega-lite a "
    "Vega-Lite v5 spec with the data inline. -o FILE writes the file whole or not at all. Exit "
    "codes: 0 written, 2 bad input, usage or a failed fit (nothing is written).";

constexpr const char* tracking_examples = R"(Examples:
  cltv plot tracking log.csv --calibration-end 2024-03-31 --freq W -o tracking.svg
  cltv plot tracking log.csv --calibration-end 2024-03-31 --freq W --metric incremental
  cltv plot tracking CDNOW_master.txt --delimiter whitespace --amount-col dollar_value \
      --date-format %Y%m%d --freq W --calibration-end 1997-09-30 -o cdnow-tracking.svg

The repeat purchases of the whole customer base per --freq period, actual and
expected by the purchase model fitted to the calibration period, across the
calibration and the holdout with the split marked: cumulative (default) or
--metric incremental (lifetimes' plot_cumulative_transactions and
plot_incremental_transactions; the numbers of `cltv backtest --tracking`).
)";

constexpr const char* holdout_examples = R"(Examples:
  cltv plot holdout --log log.csv --calibration-end 2024-03-31 --freq W -o holdout.svg
  cltv plot holdout --log log.csv --calibration-periods 6 --freq M --purchase-model pareto-nbd
  cltv summarize log.csv --calibration-end 2024-03-31 --freq W > cal.csv && cltv plot holdout cal.csv
  cltv plot holdout --log CDNOW_master.txt --delimiter whitespace --amount-col dollar_value \
      --date-format %Y%m%d --freq D --time-unit weeks --calibration-end 1997-09-30 --format csv

The mean purchases in the holdout of the customers with 0, 1, ..., 6 and 7+
repeat purchases in the calibration period, actual against the prediction of
the purchase model fitted to the calibration period (Fader, Hardie & Lee 2005,
figure 4; the table of `cltv backtest`). The input is a calibration summary
(its _cal columns, frequency_holdout and duration_holdout, as `cltv summarize
--calibration-end` and lifetimes' calibration_and_holdout_data write them), or
--log split at --calibration-end (or --calibration-periods).
)";

constexpr const char* frequency_examples = R"(Examples:
  cltv plot frequency summary.csv -o frequency.svg
  cltv plot frequency summary.csv --model bgnbd.json --format csv
  cltv plot frequency --log log.csv --freq W --open-from 10

Customers by repeat purchases in the (calibration) period, 0, 1, ..., 6 and
7+, actual against the expected count under the purchase model: the sum over
customers of P(X(T) = k) at each customer's age T -- exact, where lifetimes'
plot_period_transactions simulates.
)";

constexpr const char* matrix_examples = R"(Examples:
  cltv plot matrix summary.csv -o p-alive.svg
  cltv plot matrix summary.csv --metric expected_purchases --horizon 4
  cltv plot matrix summary.csv --model bgnbd.json --format csv

P(alive) (default) or the expected purchases in the next --horizon time units
over every frequency x recency a customer of the summary's largest age T can
have (lifetimes' plot_probability_alive_matrix and
plot_frequency_recency_matrix); at most 100 x 100 cells.
)";

constexpr const char* cohorts_examples = R"(Examples:
  cltv plot cohorts log.csv -o retention.svg
  cltv plot cohorts log.csv --metric revenue -o revenue.svg
  cltv plot cohorts log.csv --period year --format csv

Retention (default): the share of each acquisition cohort purchasing k periods
after its first purchase (`cltv metrics --by cohort`). --metric revenue: the
cumulative revenue per acquired customer of each cohort by periods since
acquisition.
)";

constexpr const char* clv_examples = R"(Examples:
  cltv plot clv summary.csv -o clv-deciles.svg
  cltv plot clv summary.csv --metric lorenz --horizon 24 --discount-rate 1%
  cltv plot clv summary.csv --model bgnbd.json --model gg.json --format csv

How the CLV `cltv clv` computes (with its options) is spread over customers:
each decile's share (default), or --metric lorenz, the Lorenz curve (the
lowest share of customers against the share of CLV they hold) and its Gini
coefficient.
)";

void add_output_options(CLI::App& sub, plot_data_options& o, const char* metrics) {
  add_format_option(sub, o.format, {"svg", "csv", "json", "vega-lite"},
                    "Output: svg (default), csv or json (the plotted numbers), vega-lite (a "
                    "Vega-Lite v5 spec with the data inline)",
                    "svg|csv|json|vega-lite", "-f,--format")
      ->group("Output");
  sub.add_option("-o,--output", o.output, "Write to FILE (whole or not at all) instead of stdout")
      ->type_name("FILE")
      ->group("Output");
  if (metrics)
    sub.add_option("-m,--metric", o.metric, "What to draw")->option_text(metrics)->group("Output");
}

void add_model_options(CLI::App& sub, std::vector<std::string>& models, std::string& purchase_model,
                       const char* fitted_to) {
  sub.add_option("--model", models,
                 fmt::format("A purchase model written by `cltv fit` instead of fitting one to {}",
                             fitted_to))
      ->allow_extra_args(false)
      ->option_text("FILE")
      ->group("Model");
  sub.add_option("--purchase-model", purchase_model,
                 "Purchase model to fit: bgnbd (default), mbgnbd or pareto-nbd")
      ->option_text("MODEL")
      ->group("Model");
}

CLI::App* add_kind(CLI::App& plot, plot_data_options& o, const char* name, const char* what,
                   const char* examples) {
  CLI::App* sub = plot.add_subcommand(name, what);
  sub->footer(fmt::format("{}\n{}", examples, output_help));
  sub->parse_complete_callback([&o, name] { o.kind = name; });
  return sub;
}

// ---------------------------------------------------------------- models

/// The purchase model: the one --model file gives, or `kind` fitted to `rows`.
struct chosen_model {
  models::purchase_model model;
  // cppcheck-suppress unusedStructMember ; read through the result<chosen_model>
  std::string label;                // "BG/NBD"
  std::optional<double> unit_days;  // as the model file states it
};

result<chosen_model> choose_purchase_model(const std::vector<std::string>& paths,
                                           const std::string& data_path,
                                           const std::string& purchase_model,
                                           std::span<const models::rfm_tuple> rows,
                                           const std::string& data_name) {
  fitted_models fitted;
  if (auto e = read_model_files(paths, data_path, fitted)) return *e;
  if (!paths.empty() && !fitted.purchase)
    return error{"model",
                 "plot needs a purchase model (bgnbd, mbgnbd or pareto-nbd); the --model "
                 "files hold none"};
  auto kind = purchase_model_to_fit(purchase_model, fitted);
  if (!kind) return std::move(kind).error();
  std::optional<double> unit;
  for (const time_unit_statement& u : fitted.units) unit = u.days;
  if (fitted.purchase)
    return chosen_model{*fitted.purchase,
                        std::string(names_of(fitted.purchase->parameters().kind).label), unit};
  auto fit = fit_purchase_model_of(*kind, rows, data_name);
  if (!fit) return std::move(fit).error();
  return chosen_model{fit->model, std::string(names_of(*kind).label), std::nullopt};
}

/// A summary and its model, for frequency and matrix.
struct fitted_summary {
  summary_data summary;
  chosen_model model;
  std::optional<double> unit_days;
};

result<fitted_summary> read_fitted_summary(const fitted_summary_options& in,
                                           const summary_needs& needs = {}) {
  if (auto conflict = summary_source_conflict(in.input)) return error{"input", *conflict};
  auto given = given_summary_unit(in.input);
  if (!given) return std::move(given).error();
  auto summary = read_summary_or_log(in.input, needs);
  if (!summary) return std::move(summary).error();
  print_note(summary->skipped_note);
  print_note(summary->left_out_note);
  auto model = choose_purchase_model(in.models, in.input.path(), in.purchase_model, summary->rows,
                                     summary->name);
  if (!model) return std::move(model).error();
  // The model's unit and the summary's must agree (a weekly model on a daily
  // summary would be nonsense); either may not say.
  fitted_models stated;
  if (model->unit_days) stated.units.push_back({"the model file is in", *model->unit_days});
  auto unit = stated_time_unit(stated, *summary, *given);
  if (!unit) return std::move(unit).error();
  return fitted_summary{std::move(summary).value(), std::move(model).value(), *unit};
}

// ---------------------------------------------------------------- kinds

result<std::string> frequency_text(const plot_data_options& o, plot::chart_format format) {
  auto open_from = parse_number("open_from", o.open_from, number_style::plain);
  if (!open_from) return std::move(open_from).error();
  if (!(*open_from >= 1 && *open_from <= 1000 && *open_from == std::floor(*open_from)))
    return error{"open_from",
                 fmt::format("--open-from must be a whole number in 1..1000, got {}", o.open_from)};
  auto data = read_fitted_summary(o.frequency);
  if (!data) return std::move(data).error();
  auto buckets = models::frequency_histogram(data->model.model, data->summary.rows,
                                             static_cast<int>(*open_from));
  if (!buckets) return std::move(buckets).error();
  return plot::frequency_chart({data->model.label, std::move(buckets).value()}, format);
}

result<std::string> matrix_text(const plot_data_options& o, plot::chart_format format) {
  plot::matrix_metric metric = plot::matrix_metric::p_alive;
  if (o.metric == "expected_purchases")
    metric = plot::matrix_metric::expected_purchases;
  else if (!o.metric.empty() && o.metric != "p_alive")
    return error{"metric", fmt::format("plot matrix --metric must be p_alive or "
                                       "expected_purchases, got \"{}\"",
                                       printable(o.metric))};
  auto horizon = parse_number("horizon", o.matrix_horizon, number_style::plain);
  if (!horizon) return std::move(horizon).error();
  auto data = read_fitted_summary(o.matrix);
  if (!data) return std::move(data).error();
  double max_frequency = 0, max_T = 0;
  for (const models::rfm_tuple& c : data->summary.rows) {
    max_frequency = std::max(max_frequency, c.x);
    max_T = std::max(max_T, c.T);
  }
  auto matrix = models::make_history_matrix(data->model.model, max_frequency, max_T, *horizon);
  if (!matrix) return std::move(matrix).error();
  return plot::matrix_chart(
      {data->model.label, data->unit_days ? time_unit_name(*data->unit_days) : "time units",
       std::move(matrix).value(), metric},
      format);
}

}  // namespace

result<split_log_charts> chart_split_log(const split_log_options& in, std::string_view command) {
  const log_summary_options& l = in.log;
  if (l.calibration_end.empty() && l.calibration_periods.empty())
    return error{"calibration_end",
                 fmt::format("{} needs a calibration period: --calibration-end DATE or "
                             "--calibration-periods N",
                             command)};
  auto options = parse_rfm_options(l.freq, l.time_unit, l.observation_end, l.calibration_end,
                                   l.calibration_periods, l.log.table.date_format);
  if (!options) return std::move(options).error();
  options->track_activity = true;
  auto read = summarize_log(l.log, *options, false);
  if (!read) return std::move(read).error();
  print_note(read->skipped_note);
  const rfm_summary& summary = read->summary;
  auto holdout = models::holdout_customers(summary);
  if (!holdout) return error{"holdout", fmt::format("{}: {}", read->name, holdout.error().message)};
  std::vector<models::rfm_tuple> calibration(holdout->customers.size());
  for (std::size_t k = 0; k < calibration.size(); ++k)
    calibration[k] = holdout->customers[k].calibration;
  auto model = choose_purchase_model(in.models, l.log.table.path, in.purchase_model, calibration,
                                     read->name + " (calibration)");
  if (!model) return std::move(model).error();
  if (model->unit_days && *model->unit_days != summary.time_unit_days)
    return error{
        "time_unit",
        fmt::format("time_unit: the model file is in {} but the log is summarized in {} "
                    "(--time-unit)",
                    time_unit_name(*model->unit_days), time_unit_name(summary.time_unit_days))};

  split_log_charts out;
  // Tracking: every period of the log, each customer from her first.
  std::vector<models::period_purchases> periods;
  periods.reserve(summary.activity.size());
  for (const period_activity& a : summary.activity)
    periods.push_back({a.first_purchases, a.repeat_purchases});
  const double period_length = period_days(options->unit) / summary.time_unit_days;
  auto tracked = models::track_repeat_purchases(model->model, periods, period_length);
  if (!tracked) return std::move(tracked).error();
  plot::tracking_view& view = out.tracking;
  view.model_name = model->label;
  view.unit = options->unit;
  const std::int32_t last_calibration = period_index(*summary.calibration_end, options->unit);
  for (const period_activity& a : summary.activity) {
    view.starts.push_back(period_start(a.period, options->unit));
    if (a.period <= last_calibration) ++view.calibration_periods;
  }
  view.periods = std::move(tracked).value();
  view.calibration_end = *summary.calibration_end;
  view.observation_end = summary.observation_end;
  // Holdout: the backtest's table.
  auto report = models::backtest(model->model, holdout->customers, 7, {});
  if (!report) return std::move(report).error();
  out.holdout.model_name = model->label;
  out.holdout.calibration_end = *summary.calibration_end;
  out.holdout.observation_end = summary.observation_end;
  out.holdout.groups = std::move(report->by_frequency);
  out.customers = calibration.size();
  out.time_unit_days = summary.time_unit_days;
  return out;
}

namespace {

result<std::string> tracking_text(const plot_data_options& o, plot::chart_format format) {
  if (!o.metric.empty() && o.metric != "cumulative" && o.metric != "incremental")
    return error{"metric", fmt::format("plot tracking --metric must be cumulative or "
                                       "incremental, got \"{}\"",
                                       printable(o.metric))};
  auto charts = chart_split_log(o.split, "plot tracking");
  if (!charts) return std::move(charts).error();
  charts->tracking.incremental = o.metric == "incremental";
  return plot::tracking_chart(charts->tracking, format);
}

result<std::string> holdout_text(const plot_data_options& o, plot::chart_format format) {
  if (!o.metric.empty()) return error{"metric", "plot holdout has one view: leave out --metric"};
  const fitted_summary_options& in = o.holdout;
  if (in.input.from_log()) {
    auto charts = chart_split_log({in.input.log, in.models, in.purchase_model}, "plot holdout");
    if (!charts) return std::move(charts).error();
    return plot::holdout_chart(charts->holdout, format);
  }
  // A calibration summary: its _cal columns and the holdout's.
  summary_needs needs;
  needs.holdout = true;
  auto data = read_fitted_summary(in, needs);
  if (!data) return std::move(data).error();
  const summary_data& summary = data->summary;
  std::vector<models::holdout_customer> customers(summary.size());
  for (std::size_t i = 0; i < customers.size(); ++i)
    customers[i] = {summary.rows[i], summary.holdout_purchases[i], summary.holdout_duration[i]};
  auto report = models::backtest(data->model.model, customers, 7, {});
  if (!report) return std::move(report).error();
  plot::holdout_view view;
  view.model_name = data->model.label;
  view.calibration_end = summary.stamp.calibration_end;
  view.observation_end = summary.stamp.observation_end;
  view.duration = customers.front().duration;
  view.time_unit = data->unit_days ? time_unit_name(*data->unit_days) : "time units";
  view.groups = std::move(report->by_frequency);
  return plot::holdout_chart(view, format);
}

result<std::string> cohorts_text(const plot_data_options& o, plot::chart_format format) {
  plot::cohort_metric metric = plot::cohort_metric::retention;
  if (o.metric == "revenue")
    metric = plot::cohort_metric::revenue;
  else if (!o.metric.empty() && o.metric != "retention")
    return error{"metric", fmt::format("plot cohorts --metric must be retention or revenue, got "
                                       "\"{}\"",
                                       printable(o.metric))};
  cltv::metrics_options options;
  auto unit = parse_period("period", o.cohort_period);
  if (!unit) return std::move(unit).error();
  options.unit = *unit;
  auto end =
      parse_date_flag("observation_end", o.cohort_observation_end, o.cohort_log.table.date_format);
  if (!end) return std::move(end).error();
  options.observation_end = *end;
  options.cohort_revenue = metric == plot::cohort_metric::revenue;
  auto measured = measure_log(o.cohort_log, options);
  if (!measured) return std::move(measured).error();
  print_note(measured->skipped_note);
  return plot::cohorts_chart({*unit, std::move(measured->report.cohorts), metric}, format);
}

result<std::string> clv_text(const plot_data_options& o, plot::chart_format format) {
  plot::value_metric metric = plot::value_metric::deciles;
  if (o.metric == "lorenz")
    metric = plot::value_metric::lorenz;
  else if (!o.metric.empty() && o.metric != "deciles")
    return error{"metric", fmt::format("plot clv --metric must be deciles or lorenz, got \"{}\"",
                                       printable(o.metric))};
  auto prepared = prepare_clv_valuation(o.clv);
  if (!prepared) return std::move(prepared).error();
  auto valued = value_customers(*prepared, 0);
  if (!valued) return std::move(valued).error();
  const summary_data& s = prepared->customers;
  const std::vector<double>& values = valued->clv;
  auto distribution = distribute_values(values);
  if (!distribution) return std::move(distribution).error();
  const models::clv_options& clv = prepared->settings.clv;
  std::string spend = prepared->gamma_gamma ? "Gamma-Gamma" : "spend from the summary";
  if (prepared->spend.kind() == models::purchase_spend::source::fixed)
    spend = fmt::format("{} per purchase", trimmed_number(prepared->spend.mean(), 4));
  const std::string subtitle = fmt::format(
      "{} months · {} × {} · discount {} per month · gross margin {} · {} customers", clv.months,
      names_of(prepared->model.parameters().kind).label, spend, percent(clv.discount_rate),
      percent(clv.gross_margin), grouped(static_cast<double>(s.size()), 0));
  return plot::value_chart({"CLV", subtitle, std::move(distribution).value(), metric}, format);
}

}  // namespace

void add_data_plots(CLI::App& plot, plot_data_options& o) {
  CLI::App* tracking =
      add_kind(plot, o, "tracking",
               "Repeat purchases per period, actual vs expected, calibration and holdout",
               tracking_examples);
  CLI::App* holdout = add_kind(
      plot, o, "holdout", "Mean holdout purchases by calibration frequency, actual vs predicted",
      holdout_examples);
  add_log_summary_options(*tracking, o.split.log, log_argument::positional);
  add_model_options(*tracking, o.split.models, o.split.purchase_model, "the calibration period");
  add_summary_source_options(*holdout, o.holdout.input, false,
                             "Calibration summary with frequency_holdout and duration_holdout (as "
                             "`cltv summarize --calibration-end` writes): CSV or NDJSON (or .gz), "
                             "- for stdin");
  add_model_options(*holdout, o.holdout.models, o.holdout.purchase_model, "the calibration period");
  add_output_options(*tracking, o, "cumulative|incremental");
  add_output_options(*holdout, o, nullptr);

  CLI::App* frequency = add_kind(plot, o, "frequency",
                                 "Customers by repeat purchases, actual vs expected by the model",
                                 frequency_examples);
  add_summary_source_options(*frequency, o.frequency.input, false,
                             "RFM summary (as `cltv summarize` writes; a calibration summary's "
                             "_cal columns are read): CSV or NDJSON (or .gz), - for stdin");
  add_model_options(*frequency, o.frequency.models, o.frequency.purchase_model, "the summary");
  frequency
      ->add_option("--open-from", o.open_from,
                   "The last bar: this many repeat purchases or more (default 7)")
      ->option_text("N");
  add_output_options(*frequency, o, nullptr);

  CLI::App* matrix = add_kind(plot, o, "matrix",
                              "P(alive) or expected purchases over frequency x recency (heatmap)",
                              matrix_examples);
  add_summary_source_options(*matrix, o.matrix.input, false,
                             "RFM summary (as `cltv summarize` writes): CSV or NDJSON (or .gz), "
                             "- for stdin");
  add_model_options(*matrix, o.matrix.models, o.matrix.purchase_model, "the summary");
  matrix
      ->add_option("--horizon", o.matrix_horizon,
                   "expected_purchases: in the next N time units of the summary (default 1)")
      ->option_text("N");
  add_output_options(*matrix, o, "p_alive|expected_purchases");

  CLI::App* cohorts = add_kind(plot, o, "cohorts",
                               "Retention or cumulative revenue per customer by acquisition cohort",
                               cohorts_examples);
  add_transaction_log_options(*cohorts, o.cohort_log);
  cohorts->add_option("--period", o.cohort_period, "month (default) or year")
      ->option_text("PERIOD");
  cohorts
      ->add_option("--observation-end", o.cohort_observation_end,
                   "Ignore purchases after this date (default: last date in the log)")
      ->option_text("DATE");
  add_output_options(*cohorts, o, "retention|revenue");

  CLI::App* clv =
      add_kind(plot, o, "clv", "How CLV is spread over customers: deciles, Lorenz", clv_examples);
  add_clv_valuation_options(*clv, o.clv);
  add_output_options(*clv, o, "deciles|lorenz");
}

int run_data_plot(const plot_data_options& o) {
  auto format = plot::parse_chart_format(o.format);
  if (!format) return print_error(format.error().message), 2;
  result<std::string> text = error{"kind", "no chart"};
  if (o.kind == "tracking")
    text = tracking_text(o, *format);
  else if (o.kind == "holdout")
    text = holdout_text(o, *format);
  else if (o.kind == "frequency")
    text = frequency_text(o, *format);
  else if (o.kind == "matrix")
    text = matrix_text(o, *format);
  else if (o.kind == "cohorts")
    text = cohorts_text(o, *format);
  else if (o.kind == "clv")
    text = clv_text(o, *format);
  if (!text) return print_error(text.error().message), 2;
  if (auto e = write_whole_file(o.output, *text)) return print_error(e->message), 2;
  return 0;
}

}  // namespace cltv::cli
