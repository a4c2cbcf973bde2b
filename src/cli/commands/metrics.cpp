#include "commands/metrics.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <cstdio>

#include "cltv/metrics.hpp"
#include "cltv/number.hpp"
#include "io/format_option.hpp"
#include "io/id_table.hpp"
#include "io/messages.hpp"
#include "io/output.hpp"
#include "io/text.hpp"
#include "io/threads.hpp"
#include "io/writers.hpp"

namespace cltv::cli {
namespace {

constexpr const char* metrics_examples = R"(Examples:
  cltv metrics transactions.csv
  cltv metrics transactions.csv --period year --cac 120 --format json
  cltv metrics transactions.csv --by cohort               # retention table
  cltv metrics transactions.csv --emit-scenario | cltv check --input - --cac 30
  cltv metrics CDNOW_master.txt --delimiter whitespace --date-format %Y%m%d \
      --amount-col dollar_value

A customer is counted (at risk) in every period from their first purchase's to
their last's, and churns at the end of the last one when --inactive-after
periods without a purchase follow it inside the log's window; later ones are
censored (still at risk). churn = churn events / customer-periods at risk,
lifespan = 1 / churn, ARPU = revenue / customer-periods, historical
CLTV = ARPU x lifespan. Orders are rows. Revenue is the exact sum of the
amounts at their own scale (cents stay cents); means are rounded once from it.
The csv format has one row per period; the whole-window figures and the
LTV:CAC verdict are in the table and json.
Exit codes: 0 ok, 2 bad input.)";

/// One period's figures: an object in json, a row in csv.
flat_record period_record(const period_metrics& p, period unit) {
  flat_record r;
  r.text("period", period_label(p.start, unit))
      .count("customers", p.customers)
      .count("new_customers", p.new_customers)
      .count("active_customers", p.active_customers)
      .count("orders", p.orders)
      .decimal("revenue", p.revenue.text())
      .number("arpu", p.arpu)
      .number("average_order_value", p.average_order_value)
      .number("purchase_frequency", p.purchase_frequency)
      .number("repeat_purchase_rate", p.repeat_purchase_rate)
      .count("churned", p.churned)
      .number("churn", p.churn)
      .boolean("censored", p.censored);
  return r;
}

flat_record overall_record(const overall_metrics& a, const cltv::metrics_options& o) {
  flat_record r;
  r.count("customers", a.customers)
      .count("customer_periods", a.customer_periods)
      .count("orders", a.orders)
      .decimal("revenue", a.revenue.text())
      .number("arpu", a.arpu)
      .number("average_order_value", a.average_order_value)
      .number("purchase_frequency", a.purchase_frequency)
      .number("repeat_purchase_rate", a.repeat_purchase_rate)
      .count("churned", a.churned)
      .count("censored_customers", a.censored_customers)
      .number("churn", a.churn)
      .number("lifespan", a.lifespan)
      .number("ltv", a.ltv);
  if (o.cac) {
    r.number("cac", *o.cac)
        .number("net_value", a.net_value)
        .number("ltv_cac_ratio", a.ltv_cac_ratio)
        .number("target", o.target);
    if (a.meets_target)
      r.boolean("meets_target", *a.meets_target);
    else
      r.null("meets_target");
  }
  return r;
}

void write_json(const metrics_report& r, std::uint64_t skipped, std::string& buf) {
  const period unit = r.options.unit;
  buf += fmt::format(
      "{{\"period\":\"{}\",\"first_date\":\"{}\",\"observation_end\":\"{}\","
      "\"inactive_after\":{},\"censored_periods\":",
      to_string(unit), format_date(r.first_day), format_date(r.observation_end),
      r.options.inactive_after);
  const std::string censored = censored_range(r);
  if (censored.empty()) {
    buf += "null";
  } else {
    append_json_string(buf, censored);
  }
  fmt::format_to(std::back_inserter(buf), ",\"transactions_after_end\":{},\"skipped_rows\":{},",
                 r.transactions_after_end, skipped);
  buf += "\"periods\":[";
  for (std::size_t i = 0; i < r.periods.size(); ++i) {
    if (i) buf += ',';
    period_record(r.periods[i], unit).append_json(buf);
  }
  buf += "],\"overall\":";
  overall_record(r.overall, r.options).append_json(buf);
  buf += "}\n";
}

void write_csv(const metrics_report& r, std::string& buf) {
  period_record({}, r.options.unit).append_csv_names(buf);
  for (const period_metrics& p : r.periods) period_record(p, r.options.unit).append_csv_values(buf);
}

void write_table(const metrics_report& r, const std::string& name, std::string& buf) {
  const period unit = r.options.unit;
  const std::string_view per = to_string(unit);
  fmt::format_to(std::back_inserter(buf),
                 "Metrics of {} by {}: first purchase {}, observation end {}\n\n", name, per,
                 format_date(r.first_day), format_date(r.observation_end));
  const std::array<std::string_view, 11> heads{"period",      "customers", "new",  "active",
                                               "orders",      "revenue",   "ARPU", "AOV",
                                               "orders/cust", "repeat",    "churn"};
  std::vector<std::array<std::string, 11>> rows;
  for (const period_metrics& p : r.periods)
    // cppcheck-suppress useStlAlgorithm ; a transform of 11 cells reads worse
    rows.push_back({period_label(p.start, unit), grouped(static_cast<double>(p.customers), 0),
                    grouped(static_cast<double>(p.new_customers), 0),
                    grouped(static_cast<double>(p.active_customers), 0),
                    grouped(static_cast<double>(p.orders), 0), money(p.revenue.value()),
                    money(p.arpu), money(p.average_order_value),
                    trimmed_number(p.purchase_frequency, 3),
                    percent(std::round(p.repeat_purchase_rate * 1000) / 1000),
                    p.churn ? percent(std::round(*p.churn * 1000) / 1000) : std::string("-")});
  std::array<std::size_t, 11> widths{};
  for (std::size_t c = 0; c < heads.size(); ++c) {
    widths[c] = display_width(heads[c]);
    for (const auto& row : rows) widths[c] = std::max(widths[c], display_width(row[c]));
  }
  const auto emit = [&](const auto& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c) buf += "  ";
      buf += c == 0 ? pad_right(cells[c], widths[c]) : pad_left(cells[c], widths[c]);
    }
    while (!buf.empty() && buf.back() == ' ') buf.pop_back();
    buf += '\n';
  };
  emit(heads);
  for (const auto& row : rows) emit(row);
  fmt::format_to(std::back_inserter(buf),
                 "(customers: still customers in the {0}: from the {0} of their first purchase to "
                 "that of their last)\n",
                 per);

  const overall_metrics& a = r.overall;
  const std::string censored = censored_range(r);
  if (!censored.empty())
    fmt::format_to(std::back_inserter(buf),
                   "(churn \"-\": censored, the log ends within {} {}{} of {}; or no customers "
                   "at risk)\n",
                   r.options.inactive_after, per, r.options.inactive_after == 1 ? "" : "s",
                   censored);
  fmt::format_to(std::back_inserter(buf), "\nWhole window, per customer per {} at risk\n", per);
  const auto line = [&](std::string_view label, const std::string& value) {
    fmt::format_to(std::back_inserter(buf), "  {:<22}{}\n", label, value);
  };
  line("Customers", fmt::format("{} who bought by the observation end ({} {}s at risk; {} "
                                "churned, {} censored)",
                                grouped(static_cast<double>(a.customers), 0),
                                grouped(static_cast<double>(a.customer_periods), 0), per,
                                grouped(static_cast<double>(a.churned), 0),
                                grouped(static_cast<double>(a.censored_customers), 0)));
  line("ARPU", fmt::format("{} per customer per {}", money(a.arpu), per));
  line("Average order value", money(a.average_order_value));
  line("Purchase frequency",
       fmt::format("{} orders per customer per {}", trimmed_number(a.purchase_frequency, 4), per));
  line("Repeat purchase rate",
       fmt::format("{} of customers bought in more than one {}",
                   percent(std::round(a.repeat_purchase_rate * 10000) / 10000), per));
  line("Churn", fmt::format("{} per {}", percent(std::round(a.churn * 100000) / 100000), per));
  if (a.lifespan) {
    line("Average lifespan",
         fmt::format("{} {}s (1 / churn)", trimmed_number(*a.lifespan, 2), per));
    line("Historical CLTV", fmt::format("{} (ARPU x lifespan)", money(*a.ltv)));
  } else {
    line("Average lifespan", "unbounded: no churn observed in the window");
  }
  if (r.options.cac && !a.ltv) {
    line("LTV:CAC", "not defined: no churn observed, so the lifetime is unbounded");
  } else if (r.options.cac) {
    line("Net value",
         fmt::format("{} (CLTV - CAC {})", money(*a.net_value), money(*r.options.cac)));
    line("LTV:CAC", fmt::format("{} (target {}): {}",
                                ratio_text(*a.ltv_cac_ratio, r.options.target, *a.meets_target),
                                times(r.options.target), *a.meets_target ? "PASS" : "FAIL"));
  }
}

void write_cohorts(const metrics_report& r, output_format format, std::uint64_t skipped,
                   std::string& buf) {
  const period unit = r.options.unit;
  if (format == output_format::csv) {
    buf += "cohort,customers,periods_since,active_customers,share,retained_customers\n";
    for (const cohort_row& c : r.cohorts)
      for (std::size_t k = 0; k < c.active.size(); ++k) {
        fmt::format_to(std::back_inserter(buf), "{},{},{},{},", period_label(c.start, unit),
                       c.customers, k, c.active[k]);
        append_number(buf, c.share(k));
        buf += ',';
        if (k < c.retained.size()) buf += std::to_string(c.retained[k]);  // empty: churn unseen
        buf += '\n';
      }
    return;
  }
  if (format == output_format::json) {
    fmt::format_to(std::back_inserter(buf),
                   "{{\"period\":\"{}\",\"observation_end\":\"{}\",\"transactions_after_end\":{},"
                   "\"skipped_rows\":{},\"cohorts\":[",
                   to_string(unit), format_date(r.observation_end), r.transactions_after_end,
                   skipped);
    for (std::size_t i = 0; i < r.cohorts.size(); ++i) {
      const cohort_row& c = r.cohorts[i];
      if (i) buf += ',';
      fmt::format_to(std::back_inserter(buf), "{{\"cohort\":\"{}\",\"customers\":{},\"active\":[",
                     period_label(c.start, unit), c.customers);
      fmt::format_to(std::back_inserter(buf), "{}", fmt::join(c.active, ","));
      buf += "],\"share\":[";
      for (std::size_t k = 0; k < c.active.size(); ++k) {
        if (k) buf += ',';
        append_number(buf, c.share(k));
      }
      buf += "],\"retained\":[";
      fmt::format_to(std::back_inserter(buf), "{}]}}", fmt::join(c.retained, ","));
    }
    buf += "]}\n";
    return;
  }
  std::size_t columns = 0;
  for (const cohort_row& c : r.cohorts) columns = std::max(columns, c.active.size());
  enum class cells { active, shares, retained };
  const auto block = [&](cells what) {
    fmt::format_to(std::back_inserter(buf), "{:<8}  {:>9}", "cohort", "customers");
    for (std::size_t k = 0; k < columns; ++k)
      fmt::format_to(std::back_inserter(buf), "  {:>6}", "+" + std::to_string(k));
    buf += '\n';
    for (const cohort_row& c : r.cohorts) {
      fmt::format_to(std::back_inserter(buf), "{:<8}  {:>9}", period_label(c.start, unit),
                     grouped(static_cast<double>(c.customers), 0));
      const std::vector<std::uint64_t>& row = what == cells::retained ? c.retained : c.active;
      for (std::size_t k = 0; k < row.size(); ++k)
        fmt::format_to(std::back_inserter(buf), "  {:>6}",
                       what == cells::shares ? fmt::format("{:.0f}%", c.share(k) * 100)
                                             : grouped(static_cast<double>(row[k]), 0));
      buf += '\n';
    }
  };
  fmt::format_to(std::back_inserter(buf),
                 "Cohort retention by {0}: customers of each cohort purchasing n {0}s after their "
                 "first\n\n",
                 to_string(unit));
  block(cells::active);
  buf += "\nAs shares of the cohort:\n\n";
  block(cells::shares);
  fmt::format_to(std::back_inserter(buf),
                 "\nStill customers n {0}s after acquisition (last purchase n or more {0}s after "
                 "the first;\nshown while a churn can be seen, {1} inactive {0}s; the survival "
                 "curve `cltv fit sbg --from-metrics` fits):\n\n",
                 to_string(unit), r.options.inactive_after);
  block(cells::retained);
}

template <class T>
std::optional<std::string> parse_whole(std::string_view field, const std::string& text, T& out) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size())
    return fmt::format("{} must be a whole number, got \"{}\"", field, printable(text));
  return std::nullopt;
}

}  // namespace

CLI::App* setup_metrics(CLI::App& app, metrics_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "metrics", "ARPU, order value, frequency, churn, lifespan and CLTV per month/year of a log");
  cmd->footer(metrics_examples);
  add_transaction_log_options(*cmd, o.log);
  cmd->add_option("--period", o.period, "month (default) or year")->option_text("PERIOD");
  cmd->add_option("--observation-end", o.observation_end,
                  "Ignore purchases after this date (default: last date in the log)")
      ->option_text("DATE");
  cmd->add_option("--inactive-after", o.inactive_after,
                  "Periods without a purchase that make a customer churned (default 3)")
      ->option_text("N");
  cmd->add_option("--cac", o.cac, "Customer acquisition cost: adds net value and LTV:CAC")
      ->option_text("AMOUNT");
  cmd->add_option("--target", o.target, "LTV:CAC ratio to meet (default 3)")->option_text("X");
  CLI::Option* by = cmd->add_option("--by", o.by, "period (default) or cohort (retention table)")
                        ->option_text("period|cohort");
  CLI::Option* format = add_format_option(*cmd, o.format, {"table", "json", "csv"},
                                          "Output: table (default), json or csv");
  cmd->add_flag(
         "--emit-scenario", o.emit_scenario,
         "Print the JSON scenario (arpu, churn, period) that cltv calc/check --input - reads")
      ->excludes(by)
      ->excludes(format);
  return cmd;
}

result<measured_log> measure_log(const transaction_log_options& log,
                                 const cltv::metrics_options& options) {
  auto threads = parse_thread_count(log.threads);
  if (!threads) return std::move(threads).error();
  auto builder = metrics_builder::create(options);
  if (!builder) return std::move(builder).error();

  auto in = open_transaction_log(log, true);
  if (!in) return std::move(in).error();

  id_table ids;
  transaction_columns cols;
  cols.allow_refunds = log.allow_refunds;
  metrics_builder& b = *builder;
  log_reading how;
  how.threads = *threads;
  const auto stopped = read_transactions(
      *in, cols, ids, how, [](const transaction&) { return std::optional<error>(); },
      [&](std::size_t, std::uint32_t c, day_number d, prefetch_stage stage) {
        if (stage == prefetch_stage::state) b.prefetch(c, d);
      },
      [&](std::size_t, const transaction& t) { b.add(t.customer, t.day, t.amount); });
  if (stopped) return *stopped;
  auto report = std::move(*builder).finish();
  if (!report) {
    const error& e = report.error();
    return e.field == "input" ? error{e.field, in->name() + ": " + e.message} : e;
  }

  return measured_log{std::move(report).value(), in->name(), in->skipped_rows(),
                      in->skipped_note()};
}

int run_metrics(const metrics_options& o) {
  const output_format format = format_named(o.format);
  if (o.by != "period" && o.by != "cohort") {
    print_error(fmt::format("by must be period or cohort, got \"{}\"", printable(o.by)));
    return 2;
  }

  cltv::metrics_options options;
  const auto unit = parse_period("period", o.period);
  if (!unit) return print_error(unit.error().message), 2;
  options.unit = *unit;
  if (auto e = parse_whole("inactive_after", o.inactive_after, options.inactive_after))
    return print_error(*e), 2;
  auto end = parse_date_flag("observation_end", o.observation_end, o.log.table.date_format);
  if (!end) return print_error(end.error().message), 2;
  options.observation_end = *end;
  if (!o.cac.empty()) {
    auto v = parse_number("cac", o.cac, number_style::plain);
    if (!v) return print_error(v.error().message), 2;
    options.cac = *v;
  }
  if (!o.target.empty()) {
    auto v = parse_number("target", o.target, number_style::multiple);
    if (!v) return print_error(v.error().message), 2;
    options.target = *v;
  }
  auto measured = measure_log(o.log, options);
  if (!measured) return print_error(measured.error().message), 2;
  const measured_log& m = *measured;
  const metrics_report* report = &m.report;
  output out(STDOUT_FILENO);
  std::string& buf = out.buffer();
  if (o.emit_scenario) {
    auto scenario = measured_scenario(
        *report, o.target.empty() ? std::nullopt : std::optional<double>(options.target));
    if (!scenario) return print_error(scenario.error().message), 2;
    append_scenario_json(buf, *scenario);
    buf += '\n';
  } else if (o.by == "cohort") {
    write_cohorts(*report, format, m.skipped_rows, buf);
  } else if (format == output_format::json) {
    write_json(*report, m.skipped_rows, buf);
  } else if (format == output_format::csv) {
    write_csv(*report, buf);
  } else {
    write_table(*report, m.name, buf);
  }
  out.finish();
  print_note(m.skipped_note);
  if (report->transactions_after_end > 0)
    print_note(fmt::format(
        "{} transaction{} after the observation end ignored{}", report->transactions_after_end,
        report->transactions_after_end == 1 ? "" : "s",
        report->customers_after_end > 0
            ? fmt::format(" ({} customer{} with no earlier purchase left out)",
                          report->customers_after_end, report->customers_after_end == 1 ? "" : "s")
            : std::string()));
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
