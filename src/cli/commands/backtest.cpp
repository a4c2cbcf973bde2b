#include "commands/backtest.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cltv/models/backtest.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/models/tracking.hpp"
#include "cltv/number.hpp"
#include "cltv/time_unit.hpp"
#include "commands/summarize.hpp"
#include "io/format_option.hpp"
#include "io/messages.hpp"
#include "io/model_file.hpp"
#include "io/output.hpp"
#include "io/progress.hpp"
#include "io/text.hpp"

namespace cltv::cli {
namespace {

constexpr const char* backtest_examples = R"(Examples:
  cltv backtest log.csv --calibration-end 2024-03-31
  cltv backtest log.csv --calibration-end 2024-03-31 --observation-end 2024-06-30 --freq W
  cltv backtest log.csv --calibration-end 2024-03-31 --max-error 0.5 || echo "model drifted"
  cltv backtest log.csv --calibration-end 2024-03-31 --format csv > holdout.csv
  cltv backtest log.csv --calibration-end 2024-03-31 --model mbgnbd   # MBG/NBD instead
  cltv backtest log.csv --calibration-end 2024-03-31 --freq W --tracking --format csv
  cltv backtest CDNOW_master.txt --delimiter whitespace --amount-col dollar_value \
      --date-format %Y%m%d --freq D --time-unit weeks \
      --calibration-end 1997-09-30 --observation-end 1998-06-30

Fits BG/NBD (or --model mbgnbd, pareto-nbd, bgbb, ggomnbd) on the purchases up to
--calibration-end, or N --calibration-periods after the log's first date (the
summary `cltv summarize` makes with the same options), predicts each
customer's purchases in the holdout (calibration end, observation end], and
compares: per-customer mean absolute error and RMSE,
predicted vs actual total, and the mean holdout purchases by calibration
frequency 0, 1, ..., 7+ (Fader, Hardie & Lee 2005, figure 4). Customers first
seen in the holdout are left out. --format csv writes one row per customer
instead. --tracking prints, per --freq period from the log's first, the
repeat purchases of the whole base and those the model expects, incremental
and cumulative, with each period marked calibration or holdout (lifetimes'
expected_cumulative_transactions: each customer enters at her first
purchase period, including those first seen in the holdout, and is expected
to make E[X(t)] repeat purchases by age t; a customer's purchases in one
period count once). Exit codes: 0 ok, 1 the mean absolute error exceeds --max-error, 2
bad input or a failed fit.)";

std::string signed_percent(double actual, double predicted) {
  if (actual == 0) return "n/a";
  return fmt::format("{:+.1f}%", (predicted - actual) / actual * 100);
}

const char* period_word(period_unit unit) {
  switch (unit) {
    case period_unit::day:
      return "day";
    case period_unit::week:
      return "week";
    case period_unit::year:
      return "year";
    case period_unit::month:
      break;
  }
  return "month";
}

// --tracking: one record per period of the log.
std::optional<std::string> write_tracking(const models::purchase_model& model,
                                          const rfm_summary& summary, const rfm_options& options,
                                          const std::string& format) {
  std::vector<models::period_purchases> periods;
  periods.reserve(summary.activity.size());
  for (const period_activity& a : summary.activity)
    periods.push_back({a.first_purchases, a.repeat_purchases});
  const double period_length = period_days(options.unit) / summary.time_unit_days;
  auto tracked = models::track_repeat_purchases(model, periods, period_length);
  if (!tracked) return tracked.error().message;
  const std::int32_t last_calibration = period_index(*summary.calibration_end, options.unit);
  output out(STDOUT_FILENO);
  std::string& buf = out.buffer();
  const auto sample_of = [&](std::size_t k) {
    return summary.activity[k].period > last_calibration ? "holdout" : "calibration";
  };
  if (format == "table") {
    buf += fmt::format("Repeat purchases by {} (calibration to {}, holdout to {})\n",
                       period_word(options.unit), format_date(*summary.calibration_end),
                       format_date(summary.observation_end));
    buf += fmt::format("{:>6} {:>10} {:>11} {:>8} {:>10} {:>12} {:>12}\n", "period", "start",
                       "sample", "actual", "expected", "actual cum", "expected cum");
  } else if (format == "csv") {
    buf += "period,period_start,sample,actual,expected,actual_cumulative,expected_cumulative\n";
  } else {
    buf += fmt::format("{{\"calibration_end\":\"{}\",\"observation_end\":\"{}\",\"tracking\":[",
                       format_date(*summary.calibration_end), format_date(summary.observation_end));
  }
  for (std::size_t k = 0; k < tracked->size() && !out.stopped(); ++k) {
    const models::tracking_period& t = (*tracked)[k];
    const std::string start = format_date(period_start(summary.activity[k].period, options.unit));
    if (format == "table") {
      buf += fmt::format("{:>6} {:>10} {:>11} {:>8} {:>10} {:>12} {:>12}\n", k + 1, start,
                         sample_of(k), grouped(t.actual, 0), grouped(t.expected, 1),
                         grouped(t.actual_cumulative, 0), grouped(t.expected_cumulative, 1));
    } else if (format == "csv") {
      buf += fmt::format("{},{},{}", k + 1, start, sample_of(k));
      for (const double v : {t.actual, t.expected, t.actual_cumulative, t.expected_cumulative}) {
        buf += ',';
        append_number(buf, v);
      }
      buf += '\n';
    } else {
      buf += fmt::format("{}{{\"period\":{},\"period_start\":\"{}\",\"sample\":\"{}\",\"actual\":",
                         k ? "," : "", k + 1, start, sample_of(k));
      append_number(buf, t.actual);
      append_number_member(buf, "expected", t.expected);
      append_number_member(buf, "actual_cumulative", t.actual_cumulative);
      append_number_member(buf, "expected_cumulative", t.expected_cumulative);
      buf += '}';
    }
    out.maybe_flush();
  }
  if (format == "json") buf += "]}\n";
  out.finish();
  return out.failure();
}

}  // namespace

CLI::App* setup_backtest(CLI::App& app, backtest_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "backtest", "Fit BG/NBD on a calibration period and check its holdout predictions");
  cmd->footer(backtest_examples);
  add_transaction_log_options(*cmd, o.log);
  cmd->add_option("--calibration-end", o.calibration_end,
                  "Last date of the calibration period; the holdout follows it")
      ->option_text("DATE");
  cmd->add_option("--calibration-periods", o.calibration_periods,
                  "Or: the calibration is N --freq periods from the log's first date (that day "
                  "included)")
      ->option_text("N");
  cmd->add_option("--observation-end", o.observation_end,
                  "Last date of the holdout (default: the last date in the log)")
      ->option_text("DATE");
  cmd->add_option("--freq", o.freq,
                  "Period purchases are grouped in: D (day), W (week), M (month), Y (year)")
      ->option_text("D|W|M|Y");
  cmd->add_option("--time-unit", o.time_unit,
                  "Unit of recency, T and the holdout length: days, weeks, months, years or N days "
                  "(default: the --freq period)")
      ->option_text("UNIT");
  cmd->add_option("--max-error", o.max_error,
                  "Exit 1 when the per-customer mean absolute error exceeds this many purchases")
      ->option_text("X");
  cmd->add_option("--model", o.model,
                  fmt::format("Model to fit: {} (default bgnbd; for bgbb each --freq period is an "
                              "opportunity)",
                              models::listed_names(models::is_purchase_model)))
      ->option_text("MODEL");
  cmd->add_flag("--tracking", o.tracking,
                "Per period: actual and expected repeat purchases of the whole base, incremental "
                "and cumulative");
  add_format_option(*cmd, o.format, {"table", "json", "csv"},
                    "Output: table (default), json, or csv (per customer)");
  return cmd;
}

int run_backtest(const backtest_options& o) {
  auto kind = models::purchase_model_named("model", o.model);
  if (!kind) return print_error(kind.error().message), 2;
  std::optional<double> max_error;
  if (!o.max_error.empty()) {
    auto m = parse_number("max_error", o.max_error, number_style::plain);
    if (m) m = models::check_max_error(*m);
    if (!m) return print_error(m.error().message), 2;
    max_error = *m;
  }
  if (o.calibration_end.empty() && o.calibration_periods.empty())
    return print_error(
               "backtest needs a calibration period: --calibration-end DATE or "
               "--calibration-periods N"),
           2;
  auto options = parse_rfm_options(o.freq, o.time_unit, o.observation_end, o.calibration_end,
                                   o.calibration_periods, o.log.table.date_format);
  if (!options) return print_error(options.error().message), 2;
  options->track_activity = o.tracking;
  auto read = summarize_log(o.log, *options, false);
  if (!read) return print_error(read.error().message), 2;
  const rfm_summary& summary = read->summary;

  auto holdout = models::holdout_customers(summary);
  if (!holdout) return print_error(fmt::format("{}: {}", read->name, holdout.error().message)), 2;
  const std::vector<models::holdout_customer>& customers = holdout->customers;
  const double duration = customers.front().duration;

  std::vector<models::rfm_tuple> calibration(customers.size());
  for (std::size_t k = 0; k < customers.size(); ++k) calibration[k] = customers[k].calibration;
  auto fit = [&] {
    const progress shown(fmt::format("fitting {} to {} customers", o.model,
                                     grouped(static_cast<double>(calibration.size()), 0)));
    return models::fit_purchase_model(*kind, calibration);
  }();
  if (!fit)
    return print_error(fmt::format("{}: cannot fit {} on the calibration period: {}", read->name,
                                   o.model, fit.error().message)),
           2;
  const models::model_parameters params = fit->model.parameters();
  const double log_likelihood = fit->report.log_likelihood;
  std::vector<double> predicted(customers.size());
  auto report = models::backtest(fit->model, customers, 7, predicted);
  if (!report) return print_error(report.error().message), 2;
  // The notes once the backtest stands: a failure is one line on stderr.
  print_note(read->skipped_note);
  if (summary.customers_excluded > 0)
    print_note(fmt::format("{} customer{} first seen in the holdout left out",
                           summary.customers_excluded, summary.customers_excluded == 1 ? "" : "s"));
  const models::backtest_report& r = *report;
  const models::model_names& names = names_of(params.kind);
  const bool fails = max_error && models::exceeds_max_error(r, *max_error);
  if (o.tracking) {
    if (auto e = write_tracking(fit->model, summary, *options, o.format)) return print_error(*e), 2;
    return fails ? 1 : 0;
  }

  output out(STDOUT_FILENO);
  std::string& buf = out.buffer();
  if (o.format == "csv") {
    buf += "customer_id,frequency_cal,recency_cal,T_cal,frequency_holdout,predicted_holdout\n";
    for (std::size_t k = 0; k < customers.size() && !out.stopped(); ++k) {
      append_csv_field(buf, read->ids.id_at(static_cast<std::uint32_t>(holdout->index[k])));
      for (const double v : {customers[k].calibration.x, customers[k].calibration.t_x,
                             customers[k].calibration.T, customers[k].actual, predicted[k]}) {
        buf += ',';
        append_number(buf, v);
      }
      buf += '\n';
      out.maybe_flush();
    }
  } else if (o.format == "json") {
    buf +=
        fmt::format("{{\"calibration_end\":\"{}\",\"observation_end\":\"{}\",\"duration_holdout\":",
                    format_date(*summary.calibration_end), format_date(summary.observation_end));
    append_number(buf, duration);
    // One key whatever the model, which "name" says (as a model file's "model").
    buf += ",\"model\":{\"name\":";
    append_json_string(buf, names.name);
    buf += ",\"parameters\":{";
    append_parameter_members(buf, params);
    buf += "},\"log_likelihood\":";
    append_number(buf, log_likelihood);
    buf += fmt::format("}},\"customers\":{},\"mean_absolute_error\":", r.customers);
    append_number(buf, r.mean_absolute_error);
    buf += ",\"rmse\":";
    append_number(buf, r.root_mean_squared_error);
    buf += ",\"actual_total\":";
    append_number(buf, r.actual_total);
    buf += ",\"predicted_total\":";
    append_number(buf, r.predicted_total);
    buf += ",\"by_frequency\":[";
    for (std::size_t k = 0; k < r.by_frequency.size(); ++k) {
      const models::frequency_group& g = r.by_frequency[k];
      // A number; the last group, "7+" in the table, is marked open-ended.
      buf += fmt::format("{}{{\"frequency\":{},\"open_ended\":{},\"customers\":{},\"actual_mean\":",
                         k ? "," : "", g.frequency, g.or_more ? "true" : "false", g.customers);
      append_number(buf, g.actual_mean);
      buf += ",\"predicted_mean\":";
      append_number(buf, g.predicted_mean);
      buf += '}';
    }
    buf += "],\"max_error\":";
    if (max_error) {
      append_number(buf, *max_error);
      buf += fmt::format(",\"passes\":{}", fails ? "false" : "true");
    } else {
      buf += "null,\"passes\":null";
    }
    buf += "}\n";
  } else {
    const std::string unit = time_unit_name(summary.time_unit_days);
    buf += fmt::format("{} backtest: calibration to {}, holdout to {} ({} {})\n", names.label,
                       format_date(*summary.calibration_end), format_date(summary.observation_end),
                       trimmed_number(duration, 2), unit);
    buf += fmt::format("  fitted on {} customers: {}\n\n",
                       grouped(static_cast<double>(r.customers), 0), parameters_text(params));
    buf += fmt::format("Holdout purchases   predicted {}, actual {} ({})\n",
                       grouped(r.predicted_total, 1), grouped(r.actual_total, 0),
                       signed_percent(r.actual_total, r.predicted_total));
    buf += fmt::format("Per customer        mean absolute error {}, RMSE {}\n\n",
                       trimmed_number(r.mean_absolute_error, 4),
                       trimmed_number(r.root_mean_squared_error, 4));
    buf += fmt::format("{:>11} {:>10} {:>12} {:>12}\n", "calibration", "customers", "actual mean",
                       "predicted");
    buf += fmt::format("{:>11} {:>10} {:>12} {:>12}\n", "purchases", "", "(holdout)", "mean");
    for (const models::frequency_group& g : r.by_frequency)
      buf += fmt::format("{:>11} {:>10} {:>12} {:>12}\n",
                         fmt::format("{}{}", g.frequency, g.or_more ? "+" : ""),
                         grouped(static_cast<double>(g.customers), 0),
                         g.customers ? fmt::format("{:.3f}", g.actual_mean) : "-",
                         g.customers ? fmt::format("{:.3f}", g.predicted_mean) : "-");
    if (max_error)
      buf += fmt::format("\n{}: mean absolute error {} {} the maximum {}\n",
                         fails ? "FAIL" : "PASS", trimmed_number(r.mean_absolute_error, 4),
                         fails ? ">" : "<=", trimmed_number(*max_error, 4));
  }
  out.finish();
  if (out.failure()) return print_error(*out.failure()), 2;
  return fails ? 1 : 0;
}

}  // namespace cltv::cli
