#include "commands/predict.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cltv/models/bgnbd.hpp"
#include "cltv/models/clv.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/number.hpp"
#include "io/messages.hpp"
#include "io/model_file.hpp"
#include "io/output.hpp"
#include "io/text.hpp"

namespace cltv::cli {
namespace {

constexpr const char* predict_examples = R"(Examples:
  cltv fit bgnbd summary.csv > bgnbd.json
  cltv predict --model bgnbd.json summary.csv --horizon 39        # next 39 time units
  cltv fit gamma-gamma summary.csv > gg.json
  cltv predict --model bgnbd.json --model gg.json summary.csv --horizon 52 --format ndjson
  cltv summarize log.csv | cltv predict --model bgnbd.json - --horizon 30 | sort -t, -k6 -g

Per customer, in the summary's order: with a purchase model (bgnbd, mbgnbd,
pareto-nbd), expected_purchases in the next --horizon time units (the
summary's unit: days from `cltv summarize`, weeks for CDNOW) and p_alive; with
a gamma-gamma model, expected_spend per purchase (the population mean for
customers without repeat purchases). Exit codes: 0 ok, 2 bad input.)";

constexpr const char* clv_examples = R"(Examples:
  cltv clv summary.csv                                   # 12 months, days, no discount
  cltv clv summary.csv --horizon 12 --discount-rate 1% --gross-margin 30%
  cltv clv cdnow_summary.csv --time-unit weeks --format csv > clv.csv
  cltv summarize log.csv | cltv clv - --format ndjson | jq 'select(.clv > 100)'
  cltv clv summary.csv --cash-flows | jq -s 'group_by(.month) | map(add)'
  cltv clv summary.csv --model bgnbd.json --model gg.json   # reuse fitted models
  cltv clv summary.csv --purchase-model mbgnbd            # or pareto-nbd, instead of BG/NBD

Fits BG/NBD (purchases; --purchase-model mbgnbd or pareto-nbd instead) and
Gamma-Gamma (spend per purchase) to the summary, unless --model gives them,
then values each customer over --horizon months:
  CLV = sum over months i = 1..H of
        E[purchases in month i] x E[spend per purchase] x gross margin / (1 + d)^i
Purchases happen during the month, so month i is discounted by (1 + d)^i (the
convention of lifetimes and BTYD) -- unlike `cltv calc`, where a subscriber
pays at the start of each period. A month is 365.25/12 = 30.4375 days
(--days-per-month 30 reproduces lifetimes' daily convention); --time-unit says
what one unit of recency and T is. The table shows totals and value deciles;
csv/ndjson/json give one record per customer; --cash-flows streams one NDJSON
record per customer per month. Exit codes: 0 ok, 2 bad input or a failed fit.)";

enum class record_format { csv, ndjson, json, table };

result<record_format> parse_format(const std::string& text, bool table_allowed) {
  if (text == "csv") return record_format::csv;
  if (text == "ndjson") return record_format::ndjson;
  if (text == "json") return record_format::json;
  if (text == "table" && table_allowed) return record_format::table;
  return error{"format", fmt::format("format must be {}csv, ndjson or json, got \"{}\"",
                                     table_allowed ? "table, " : "", printable(text))};
}

/// One customer's output record: named numbers after the id.
struct record_writer {
  record_format format;
  std::string id_name;
  std::vector<const char*> names;
  bool first = true;

  void header(std::string& out) const {
    if (format != record_format::csv) return;
    append_csv_field(out, id_name);
    for (const char* n : names) (out += ',') += n;
    out += '\n';
  }
  void row(std::string& out, std::string_view id, std::span<const double> values) {
    if (format == record_format::csv) {
      append_csv_field(out, id);
      for (const double v : values) {
        out += ',';
        append_number(out, v);
      }
      out += '\n';
      return;
    }
    if (format == record_format::json && !first) out += ',';
    first = false;
    out += '{';
    append_json_string(out, id_name);
    out += ':';
    append_json_string(out, id);
    for (std::size_t i = 0; i < values.size(); ++i) {
      out += ",\"";
      out += names[i];
      out += "\":";
      append_number(out, values[i]);
    }
    out += '}';
    if (format == record_format::ndjson) out += '\n';
  }
};

std::optional<error> read_models(const std::vector<std::string>& paths,
                                 const table_input_options& table, fitted_models& into) {
  for (const std::string& path : paths) {
    if (path == "-" && table.path == "-")
      return error{"model", "the model and the summary cannot both come from stdin"};
    if (auto e = read_model_file(path, into)) return e;
  }
  return std::nullopt;
}

error at_customer(const summary_data& s, std::size_t i, const error& e) {
  return error{e.field, fmt::format("{}: customer {} (row {}): {}", s.name, printable(s.id(i)),
                                    i + 1, e.message)};
}

void append_json_params(std::string& out, const models::bgnbd_params& p) {
  out += "{\"r\":";
  append_number(out, p.r);
  out += ",\"alpha\":";
  append_number(out, p.alpha);
  out += ",\"a\":";
  append_number(out, p.a);
  out += ",\"b\":";
  append_number(out, p.b);
  out += '}';
}

void append_json_params(std::string& out, const models::gamma_gamma_params& p) {
  out += "{\"p\":";
  append_number(out, p.p);
  out += ",\"q\":";
  append_number(out, p.q);
  out += ",\"gamma\":";
  append_number(out, p.gamma);
  out += '}';
}

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
  cmd->add_option("summary", o.table.path,
                  "RFM summary (as `cltv summarize` writes): CSV or NDJSON (or .gz), - for stdin")
      ->required()
      ->option_text("SUMMARY");
  cmd->add_option("--horizon", o.horizon,
                  "Purchase models: predict over the next T time units (the summary's unit)")
      ->option_text("T");
  add_summary_column_options(*cmd, o.columns, true);
  add_table_input_options(*cmd, o.table);
  cmd->add_option("--format", o.format, "Output: csv (default), ndjson or json")
      ->option_text("FORMAT");
  return cmd;
}

int run_predict(const predict_options& o) {
  auto format = parse_format(o.format, false);
  if (!format) return print_error(format.error().message), 2;
  fitted_models fitted;
  if (auto e = read_models(o.models, o.table, fitted)) return print_error(e->message), 2;
  const bool purchases = fitted.bgnbd || fitted.pareto_nbd;  // a purchase model
  if (!purchases && !fitted.gamma_gamma)
    return print_error(
               "predict takes bgnbd and gamma-gamma models; an sbg model gives a lifetime to "
               "`cltv calc --sbg-model`"),
           2;
  if (fitted.sbg) return print_error("predict takes bgnbd and gamma-gamma models, not sbg"), 2;
  const char* purchase_model =
      fitted.pareto_nbd                                                        ? "pareto-nbd"
      : fitted.bgnbd && fitted.bgnbd->variant == models::bgnbd_variant::mbgnbd ? "mbgnbd"
                                                                               : "bgnbd";
  double horizon = 0;
  if (purchases) {
    if (o.horizon.empty())
      return print_error(fmt::format("--horizon is required with a {} model (time units to "
                                     "predict)",
                                     purchase_model)),
             2;
    auto h = parse_number("horizon", o.horizon, number_style::plain);
    if (!h) return print_error(h.error().message), 2;
    if (*h < 0)
      return print_error(fmt::format("horizon must be >= 0, got {}", format_shortest(*h))), 2;
    horizon = *h;
  } else if (!o.horizon.empty()) {
    return print_error("--horizon applies to a purchase model (bgnbd, mbgnbd or pareto-nbd)"), 2;
  }
  if (fitted.gamma_gamma && !(fitted.gamma_gamma->q > 1))
    return print_error(fmt::format("the gamma-gamma model has q = {} <= 1: its mean spend is "
                                   "infinite, so spend cannot be predicted",
                                   format_shortest(fitted.gamma_gamma->q))),
           2;

  summary_needs needs;
  needs.recency_and_T = purchases;
  needs.monetary = fitted.gamma_gamma.has_value();
  auto summary = read_summary(o.table, o.columns, needs);
  if (!summary) return print_error(summary.error().message), 2;
  const summary_data& s = *summary;

  record_writer writer{*format, s.id_name, {"frequency"}};
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
  if (*format == record_format::json) {
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
      auto e = fitted.bgnbd
                   ? models::conditional_expected_purchases(*fitted.bgnbd, c, horizon)
                   : models::conditional_expected_purchases(*fitted.pareto_nbd, c, horizon);
      if (!e) return print_error(at_customer(s, i, e.error()).message), 2;
      auto alive = fitted.bgnbd ? models::probability_alive(*fitted.bgnbd, c)
                                : models::probability_alive(*fitted.pareto_nbd, c);
      if (!alive) return print_error(at_customer(s, i, alive.error()).message), 2;
      values.insert(values.end(), {c.t_x, c.T, *e, *alive});
    }
    if (fitted.gamma_gamma) {
      const double m = s.monetary[i];
      if (c.x > 0 && m <= 0)
        return print_error(at_customer(s, i,
                                       error{"monetary_value",
                                             fmt::format("monetary_value {} of a repeat customer "
                                                         "is not positive",
                                                         format_shortest(m))})
                               .message),
               2;
      auto spend = models::gamma_gamma_conditional_expected_spend(*fitted.gamma_gamma, c.x, m);
      if (!spend) return print_error(at_customer(s, i, spend.error()).message), 2;
      values.insert(values.end(), {m, *spend});
    }
    writer.row(buf, s.id(i), values);
    out.maybe_flush();
  }
  if (*format == record_format::json) buf += "]}\n";
  out.finish();
  print_note(s.skipped_note);
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

// ---------------------------------------------------------------------------

CLI::App* setup_clv(CLI::App& app, clv_command_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "clv", "Per-customer CLV from an RFM summary: BG/NBD x Gamma-Gamma, fitted and applied");
  cmd->footer(clv_examples);
  cmd->add_option("summary", o.table.path,
                  "RFM summary with monetary_value (as `cltv summarize` writes): CSV or NDJSON "
                  "(or .gz), - for stdin")
      ->required()
      ->option_text("SUMMARY");
  cmd->add_option("--horizon", o.horizon, "Months to value (whole number, 1..1200; default 12)")
      ->option_text("MONTHS");
  cmd->add_option("--discount-rate", o.discount_rate,
                  "Discount rate per month, 0.01 or 1% (default 0)")
      ->option_text("RATE");
  cmd->add_option("--gross-margin", o.gross_margin,
                  "Share of spend kept as margin, 0.3 or 30% (default 100%)")
      ->option_text("RATE");
  cmd->add_option("--time-unit", o.time_unit,
                  "What one unit of recency and T is: days (default), weeks, or a number of days")
      ->option_text("UNIT");
  cmd->add_option("--days-per-month", o.days_per_month,
                  "Length of a month in days (default 30.4375 = 365.25/12)")
      ->option_text("DAYS");
  cmd->add_option("--model", o.models,
                  "Use this fitted model (`cltv fit` output) instead of fitting; repeatable")
      ->allow_extra_args(false)
      ->option_text("FILE");
  cmd->add_option("--purchase-model", o.purchase_model,
                  "Purchase model to fit: bgnbd (default), mbgnbd or pareto-nbd")
      ->option_text("MODEL");
  cmd->add_flag("--drop-nonpositive", o.drop_nonpositive,
                "Fit spend without repeat customers whose monetary value is <= 0 (counted; they "
                "are valued at the population mean spend)");
  cmd->add_flag("--cash-flows", o.cash_flows,
                "Write one NDJSON record per customer per month instead (month, "
                "expected_purchases, expected_margin, discounted_value)");
  add_summary_column_options(*cmd, o.columns, true);
  add_table_input_options(*cmd, o.table);
  cmd->add_option("--format", o.format, "Output: table (default), csv, ndjson or json")
      ->option_text("FORMAT");
  return cmd;
}

namespace {

struct clv_settings {
  models::clv_options clv;
  double unit_days = 1;
  double days_per_month = models::days_per_month;
  std::string unit_name = "days";
};

result<clv_settings> parse_clv_settings(const clv_command_options& o) {
  clv_settings s;
  auto h = parse_number("horizon", o.horizon, number_style::plain);
  if (!h) return std::move(h).error();
  if (!(*h >= 1 && *h <= 1200 && *h == std::floor(*h)))
    return error{"horizon", fmt::format("horizon must be a whole number of months from 1 to 1200, "
                                        "got {}",
                                        format_shortest(*h))};
  s.clv.months = static_cast<int>(*h);
  auto d = parse_number("discount_rate", o.discount_rate, number_style::rate);
  if (!d) return std::move(d).error();
  s.clv.discount_rate = *d;
  auto gm = parse_number("gross_margin", o.gross_margin, number_style::rate);
  if (!gm) return std::move(gm).error();
  s.clv.gross_margin = *gm;
  if (o.time_unit == "days" || o.time_unit == "day") {
    s.unit_days = 1;
  } else if (o.time_unit == "weeks" || o.time_unit == "week") {
    s.unit_days = 7;
    s.unit_name = "weeks";
  } else {
    auto u = parse_number("time_unit", o.time_unit, number_style::plain);
    if (!u || !(*u > 0))
      return error{"time_unit", fmt::format("time_unit must be days, weeks or a positive number "
                                            "of days, got \"{}\"",
                                            printable(o.time_unit))};
    s.unit_days = *u;
    s.unit_name = fmt::format("units of {} days", format_shortest(*u));
  }
  if (!o.days_per_month.empty()) {
    auto m = parse_number("days_per_month", o.days_per_month, number_style::plain);
    if (!m) return std::move(m).error();
    if (!(*m > 0))
      return error{"days_per_month",
                   fmt::format("days_per_month must be positive, got {}", format_shortest(*m))};
    s.days_per_month = *m;
  }
  s.clv.periods_per_month = s.days_per_month / s.unit_days;
  auto checked = models::check_clv_options(s.clv);
  if (!checked) return std::move(checked).error();
  return s;
}

// The purchase model clv applies: BG/NBD (or MBG/NBD) or Pareto/NBD.
struct purchase_model {
  std::optional<models::bgnbd_params> bg;
  std::optional<models::pareto_nbd_params> pnbd;

  [[nodiscard]] result<models::customer_clv> value(
      const models::rfm_tuple& c, double spend, const models::clv_options& options,
      std::span<models::monthly_cash_flow> flows) const {
    return bg ? models::customer_lifetime_value(*bg, c, spend, options, flows)
              : models::customer_lifetime_value(*pnbd, c, spend, options, flows);
  }
  [[nodiscard]] const char* key() const {
    if (pnbd) return "pareto_nbd";
    return bg->variant == models::bgnbd_variant::mbgnbd ? "mbgnbd" : "bgnbd";
  }
  void append_json(std::string& out) const {
    if (bg) {
      append_json_params(out, *bg);
      return;
    }
    out += "{\"r\":";
    append_number(out, pnbd->r);
    out += ",\"alpha\":";
    append_number(out, pnbd->alpha);
    out += ",\"s\":";
    append_number(out, pnbd->s);
    out += ",\"beta\":";
    append_number(out, pnbd->beta);
    out += '}';
  }
  [[nodiscard]] std::string table_line() const {
    if (pnbd)
      return fmt::format("  {:<12} r {:.4g}, alpha {:.4g}, s {:.4g}, beta {:.4g}\n", "Pareto/NBD",
                         pnbd->r, pnbd->alpha, pnbd->s, pnbd->beta);
    return fmt::format("  {:<12} r {:.4g}, alpha {:.4g}, a {:.4g}, b {:.4g}\n",
                       bg->variant == models::bgnbd_variant::mbgnbd ? "MBG/NBD" : "BG/NBD", bg->r,
                       bg->alpha, bg->a, bg->b);
  }
};

void write_clv_table(const clv_settings& st, const purchase_model& model,
                     const models::gamma_gamma_params& gg, std::size_t customers, double purchases,
                     double total, std::span<const models::value_decile> deciles,
                     std::string& out) {
  out += fmt::format("Customer lifetime value over {} month{} ({} customers)\n", st.clv.months,
                     st.clv.months == 1 ? "" : "s", grouped(static_cast<double>(customers), 0));
  out += fmt::format("  summary in {}; a month is {} {}; discount {} per month; gross margin {}\n",
                     st.unit_name, trimmed_number(st.clv.periods_per_month, 4),
                     st.unit_days == 7 ? "weeks" : "units", percent(st.clv.discount_rate),
                     percent(st.clv.gross_margin));
  out += model.table_line();
  out += fmt::format("  Gamma-Gamma  p {:.4g}, q {:.4g}, gamma {:.4g}\n\n", gg.p, gg.q, gg.gamma);
  out += fmt::format("Expected purchases  {}\n", grouped(purchases, 1));
  out += fmt::format("Total CLV           {}\n", money(total));
  out += fmt::format("Mean CLV            {} per customer\n\n",
                     money(total / static_cast<double>(customers)));
  out += fmt::format("{:>6} {:>10} {:>14} {:>7} {:>10} {:>10} {:>10}\n", "decile", "customers",
                     "total CLV", "share", "mean", "min", "max");
  for (const models::value_decile& d : deciles)
    out += fmt::format("{:>6} {:>10} {:>14} {:>7} {:>10} {:>10} {:>10}\n", d.decile,
                       grouped(static_cast<double>(d.customers), 0), money(d.total),
                       fmt::format("{:.1f}%", d.share * 100), money(d.mean), money(d.min),
                       money(d.max));
}

}  // namespace

int run_clv(const clv_command_options& o) {
  auto format = parse_format(o.format, true);
  if (!format) return print_error(format.error().message), 2;
  if (o.cash_flows && o.format != "table" && o.format != "ndjson")
    return print_error("--cash-flows writes NDJSON; leave out --format or say ndjson"), 2;
  auto settings = parse_clv_settings(o);
  if (!settings) return print_error(settings.error().message), 2;
  const clv_settings& st = *settings;

  fitted_models fitted;
  if (auto e = read_models(o.models, o.table, fitted)) return print_error(e->message), 2;
  if (fitted.sbg) return print_error("clv takes bgnbd and gamma-gamma models, not sbg"), 2;
  if (!o.purchase_model.empty() && o.purchase_model != "bgnbd" && o.purchase_model != "mbgnbd" &&
      o.purchase_model != "pareto-nbd")
    return print_error(
               fmt::format("--purchase-model must be bgnbd, mbgnbd or pareto-nbd, got \"{}\"",
                           printable(o.purchase_model))),
           2;
  if (!o.purchase_model.empty() && (fitted.bgnbd || fitted.pareto_nbd))
    return print_error(
               "--purchase-model chooses the model to fit; a --model file gives one "
               "already (leave out one of them)"),
           2;

  auto summary = read_summary(o.table, o.columns, summary_needs{true, true});
  if (!summary) return print_error(summary.error().message), 2;
  const summary_data& s = *summary;
  print_note(s.skipped_note);

  if (!fitted.bgnbd && !fitted.pareto_nbd && o.purchase_model == "pareto-nbd") {
    auto fit = models::fit_pareto_nbd(s.rows);
    if (!fit)
      return print_error(fmt::format("{}: cannot fit pareto-nbd: {}", s.name, fit.error().message)),
             2;
    fitted.pareto_nbd = fit->params;
  } else if (!fitted.bgnbd && !fitted.pareto_nbd) {
    const bool modified = o.purchase_model == "mbgnbd";
    auto fit = models::fit_bgnbd(
        s.rows, modified ? models::bgnbd_variant::mbgnbd : models::bgnbd_variant::bgnbd);
    if (!fit)
      return print_error(fmt::format("{}: cannot fit {}: {}", s.name, modified ? "mbgnbd" : "bgnbd",
                                     fit.error().message)),
             2;
    fitted.bgnbd = fit->params;
  }
  std::vector<double> frequency(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) frequency[i] = s.rows[i].x;
  if (!fitted.gamma_gamma) {
    models::gamma_gamma_options options;
    options.drop_nonpositive_spend = o.drop_nonpositive;
    auto fit = models::fit_gamma_gamma(frequency, s.monetary, options);
    if (!fit)
      return print_error(
                 fmt::format("{}: cannot fit gamma-gamma: {}", s.name, fit.error().message)),
             2;
    if (fit->dropped > 0)
      print_note(
          fmt::format("{} repeat customer{} with a monetary value <= 0 left out of the "
                      "spend fit and valued at the population mean spend",
                      fit->dropped, fit->dropped == 1 ? "" : "s"));
    const std::optional<double> corr = fit->frequency_spend_correlation;
    if (corr && std::fabs(*corr) > 0.3)
      print_note(
          fmt::format("warning: frequency and monetary value are correlated ({:.3f}); the "
                      "Gamma-Gamma model assumes they are independent",
                      *corr));
    fitted.gamma_gamma = fit->params;
  }
  const purchase_model model{fitted.bgnbd, fitted.pareto_nbd};
  const models::gamma_gamma_params& gg = *fitted.gamma_gamma;
  auto mean_spend = models::gamma_gamma_mean_spend(gg);
  if (!mean_spend)
    return print_error(fmt::format("the gamma-gamma model has q = {} <= 1: its mean spend is "
                                   "infinite, so spend cannot be predicted",
                                   format_shortest(gg.q))),
           2;

  output out(STDOUT_FILENO);
  std::string& buf = out.buffer();
  const bool per_customer = *format != record_format::table && !o.cash_flows;
  record_writer writer{*format,
                       s.id_name,
                       {"frequency", "recency", "T", "monetary_value", "expected_purchases",
                        "p_alive", "expected_spend", "clv"}};
  if (*format == record_format::json) {
    buf += fmt::format("{{\"horizon_months\":{},\"discount_rate\":", st.clv.months);
    append_number(buf, st.clv.discount_rate);
    buf += ",\"gross_margin\":";
    append_number(buf, st.clv.gross_margin);
    buf += ",\"time_unit_days\":";
    append_number(buf, st.unit_days);
    buf += ",\"days_per_month\":";
    append_number(buf, st.days_per_month);
    buf += fmt::format(",\"models\":{{\"{}\":", model.key());
    model.append_json(buf);
    buf += ",\"gamma_gamma\":";
    append_json_params(buf, gg);
    buf += "},\"customers\":[";
  } else if (per_customer) {
    writer.header(buf);
  }

  std::vector<models::monthly_cash_flow> flows(
      o.cash_flows ? static_cast<std::size_t>(st.clv.months) : 0);
  std::vector<double> values(s.size());
  double purchases = 0;
  double total = 0;
  for (std::size_t i = 0; i < s.size() && !out.stopped(); ++i) {
    const models::rfm_tuple& c = s.rows[i];
    const double m = s.monetary[i];
    // A repeat customer whose own spend was left out of the fit is valued at
    // the population mean, as a customer without repeat purchases is.
    const bool own_spend = c.x > 0 && m > 0;
    if (c.x > 0 && m <= 0 && !o.drop_nonpositive)  // only with a given model: a fit refuses it
      return print_error(at_customer(s, i,
                                     error{"monetary_value",
                                           fmt::format("monetary_value {} of a repeat customer is "
                                                       "not positive; value such customers at the "
                                                       "mean spend with --drop-nonpositive",
                                                       format_shortest(m))})
                             .message),
             2;
    auto spend = own_spend ? models::gamma_gamma_conditional_expected_spend(gg, c.x, m)
                           : result<double>(*mean_spend);
    if (!spend) return print_error(at_customer(s, i, spend.error()).message), 2;
    auto v = model.value(c, *spend, st.clv, flows);
    if (!v) return print_error(at_customer(s, i, v.error()).message), 2;
    values[i] = v->clv;
    purchases += v->expected_purchases;
    total += v->clv;
    if (o.cash_flows) {
      for (std::size_t k = 0; k < flows.size(); ++k) {
        buf += '{';
        append_json_string(buf, s.id_name);
        buf += ':';
        append_json_string(buf, s.id(i));
        buf += fmt::format(",\"month\":{},\"expected_purchases\":", k + 1);
        append_number(buf, flows[k].expected_purchases);
        buf += ",\"expected_margin\":";
        append_number(buf, flows[k].expected_margin);
        buf += ",\"discounted_value\":";
        append_number(buf, flows[k].discounted_value);
        buf += "}\n";
      }
    } else if (per_customer) {
      const double row[] = {
          c.x,   c.t_x, c.T, m, v->expected_purchases, v->probability_alive, v->expected_spend,
          v->clv};
      writer.row(buf, s.id(i), row);
    }
    out.maybe_flush();
  }
  const std::vector<models::value_decile> deciles = models::value_deciles(values);
  if (*format == record_format::json) {
    buf += fmt::format("],\"totals\":{{\"customers\":{},\"expected_purchases\":", s.size());
    append_number(buf, purchases);
    buf += ",\"clv\":";
    append_number(buf, total);
    buf += ",\"mean_clv\":";
    append_number(buf, total / static_cast<double>(s.size()));
    buf += "},\"deciles\":[";
    for (std::size_t k = 0; k < deciles.size(); ++k) {
      const models::value_decile& d = deciles[k];
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
    buf += fmt::format("],\"skipped_rows\":{}}}\n", s.skipped_rows);
  } else if (*format == record_format::table && !o.cash_flows) {
    write_clv_table(st, model, gg, s.size(), purchases, total, deciles, buf);
  }
  out.finish();
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
