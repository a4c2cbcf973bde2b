#include "commands/predict.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/number.hpp"
#include "commands/summarize.hpp"
#include "io/format_option.hpp"
#include "io/messages.hpp"
#include "io/model_file.hpp"
#include "io/output.hpp"
#include "io/predictions.hpp"
#include "io/text.hpp"

namespace cltv::cli {
namespace {

constexpr const char* predict_examples = R"(Examples:
  cltv fit bgnbd summary.csv > bgnbd.json
  cltv predict --model bgnbd.json summary.csv --horizon 39        # next 39 time units
  cltv fit gamma-gamma summary.csv > gg.json
  cltv predict --model bgnbd.json --model gg.json summary.csv --horizon 52 --format ndjson
  cltv summarize log.csv | cltv predict --model bgnbd.json - --horizon 30 | sort -t, -k6 -g
  cltv predict --model bgnbd.json --log log.csv --horizon 30    # the same, in one command

Per customer, in the summary's order: with a purchase model (bgnbd, mbgnbd,
pareto-nbd), expected_purchases in the next --horizon time units (the
summary's unit: its time_unit_days column, as `cltv summarize` writes it) and
p_alive; with a gamma-gamma model, expected_spend per purchase (the population
mean for customers without repeat purchases). A model file and a summary that
state different units are refused; --time-unit gives the unit of a summary
that does not say. --log FILE reads a transaction log instead of a SUMMARY
and summarizes it as `cltv summarize` does, with summarize's options and their
defaults (--customer-col, --date-col, --amount-col, --date-format, --freq,
--observation-end, ...): the answer is that of `cltv summarize FILE ... | cltv
predict -`; with --log, --time-unit is the unit the log is summarized in
(default: the --freq period), and so of --horizon. The log's other options
need --log; the summary's column options need a SUMMARY. Exit codes: 0 ok, 2
bad input.)";

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
                  "Purchase models: predict over the next T time units (the summary's unit)")
      ->option_text("T");
  add_summary_source_options(
      *cmd, o.input, true,
      "RFM summary (as `cltv summarize` writes): CSV or NDJSON (or .gz), - for stdin");
  add_format_option(*cmd, o.format, {"csv", "ndjson", "json"},
                    "Output: csv (default), ndjson or json");
  return cmd;
}

int run_predict(const predict_options& o) {
  const output_format format = format_named(o.format);
  if (auto conflict = summary_source_conflict(o.input)) return print_error(*conflict), 2;
  auto given_unit = given_summary_unit(o.input);
  if (!given_unit) return print_error(given_unit.error().message), 2;
  fitted_models fitted;
  if (auto e = read_model_files(o.models, o.input.path(), fitted))
    return print_error(e->message), 2;
  const bool purchases = fitted.purchase.has_value();
  if (!purchases && !fitted.gamma_gamma)
    return print_error(
               "predict takes bgnbd and gamma-gamma models; an sbg model gives a lifetime to "
               "`cltv calc --sbg-model`"),
           2;
  if (fitted.sbg) return print_error("predict takes bgnbd and gamma-gamma models, not sbg"), 2;
  double horizon = 0;
  if (purchases) {
    if (o.horizon.empty())
      return print_error(fmt::format("--horizon is required with a {} model (time units to "
                                     "predict)",
                                     names_of(fitted.purchase->kind()).name)),
             2;
    auto h = parse_number("horizon", o.horizon, number_style::plain);
    if (h) h = models::check_prediction_horizon(*h);
    if (!h) return print_error(h.error().message), 2;
    horizon = *h;
  } else if (!o.horizon.empty()) {
    return print_error("--horizon applies to a purchase model (bgnbd, mbgnbd or pareto-nbd)"), 2;
  }
  if (fitted.gamma_gamma) {
    auto mean = models::predictable_mean_spend(*fitted.gamma_gamma);
    if (!mean) return print_error(mean.error().message), 2;
  }

  summary_needs needs;
  needs.recency_and_T = purchases;
  needs.monetary = fitted.gamma_gamma.has_value();
  auto summary = read_summary_or_log(o.input, needs);
  if (!summary) return print_error(summary.error().message), 2;
  const summary_data& s = *summary;
  if (auto unit = stated_time_unit(fitted, s, *given_unit); !unit)
    return print_error(unit.error().message), 2;

  record_writer writer{format, s.id_name, {"frequency"}};
  if (purchases) {
    for (const char* n : {"recency", "T", "expected_purchases", "p_alive"})
      writer.names.push_back(n);
  }
  if (fitted.gamma_gamma) {
    writer.names.push_back("monetary_value");
    writer.names.push_back("expected_spend");
  }

  output out(STDOUT_FILENO);
  std::string& buf = out.buffer();
  if (format == output_format::json) {
    buf += "{\"horizon\":";
    if (purchases) {
      append_number(buf, horizon);
    } else {
      buf += "null";
    }
    buf += fmt::format(",\"customers\":{},\"skipped_rows\":{},\"predictions\":[", s.size(),
                       s.skipped_rows);
  }
  writer.header(buf);
  std::vector<double> values;
  for (std::size_t i = 0; i < s.size() && !out.stopped(); ++i) {
    const models::rfm_tuple& c = s.rows[i];
    values.assign(1, c.x);
    if (purchases) {
      auto e = models::conditional_expected_purchases(*fitted.purchase, c, horizon);
      if (!e) return print_error(at_customer(s, i, e.error()).message), 2;
      auto alive = models::probability_alive(*fitted.purchase, c);
      if (!alive) return print_error(at_customer(s, i, alive.error()).message), 2;
      values.insert(values.end(), {c.t_x, c.T, *e, *alive});
    }
    if (fitted.gamma_gamma) {
      const double m = s.monetary[i];
      if (auto checked = models::check_spend_row({c.x, m}); !checked)
        return print_error(at_customer(s, i, checked.error()).message), 2;
      auto spend = models::gamma_gamma_conditional_expected_spend(*fitted.gamma_gamma, c.x, m);
      if (!spend) return print_error(at_customer(s, i, spend.error()).message), 2;
      values.insert(values.end(), {m, *spend});
    }
    writer.row(buf, s.id(i), values);
    out.maybe_flush();
  }
  if (format == output_format::json) buf += "]}\n";
  out.finish();
  print_note(s.skipped_note);
  print_note(s.left_out_note);
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
