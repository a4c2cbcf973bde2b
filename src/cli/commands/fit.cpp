#include "commands/fit.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

// Header-only: the hash's code is compiled in; no library to link.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cltv/models/bgnbd.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/pareto_nbd.hpp"
#include "cltv/models/rfm_data.hpp"
#include "cltv/models/sbg.hpp"
#include "cltv/number.hpp"
#include "io/messages.hpp"
#include "io/model_file.hpp"
#include "io/output.hpp"
#include "io/summary_input.hpp"
#include "io/text.hpp"

namespace cltv::cli {
namespace {

constexpr const char* fit_examples = R"(Examples:
  cltv fit sbg survival.csv --column highend        # active counts at the start of periods 0..n
  cltv fit bgnbd summary.csv                        # columns frequency,recency,T (or x,t_x,T)
  cltv fit mbgnbd summary.csv --format table        # MBG/NBD: same columns and parameters
  cltv fit pareto-nbd summary.csv                   # Pareto/NBD: r, alpha, s, beta
  cltv fit gamma-gamma summary.csv --format table   # frequency,monetary_value (or x,zbar)
  cltv summarize log.csv --observation-end 2024-06-30 | cltv fit bgnbd -
  cltv fit bgnbd tuples.csv --count-col customers   # pre-aggregated (x, t_x, T) rows
  cltv fit gamma-gamma summary.csv --drop-nonpositive | jq .parameters
  cltv metrics log.csv --by cohort --format json | cltv fit sbg - --from-metrics

bgnbd (Fader, Hardie & Lee 2005): r, alpha (purchase rates), a, b (dropout).
mbgnbd (Batislam, Denizel & Filiztekin 2007): the same parameters; customers
may also drop out right after their first purchase, so those without repeat
purchases are not counted alive for sure.
pareto-nbd (Schmittlein, Morrison & Colombo 1987): r, alpha (purchase rates),
s, beta (exponential lifetimes); gradients by central differences (2F1).
gamma-gamma (Fader, Hardie & Lee 2005; note 025): p, q, gamma, fitted on the
rows with frequency > 0; warns when |corr(frequency, monetary value)| > 0.3.
sbg (Fader & Hardie 2007): alpha, beta of a cohort's survival curve; the counts
are whole numbers that never increase. The JSON holds each parameter's
estimate, standard error and 95% interval, the log-likelihood, n, whether the
optimiser converged, and the XXH3 64-bit checksum of the input file's bytes.
Exit codes: 0 ok, 2 bad input or a fit that failed (one line says why).)";

/// XXH3 (64 bits) of the file's bytes (as stored: a .gz file is hashed
/// compressed); nullopt for stdin or when it cannot be read again. (XXH3, not
/// a byte-at-a-time hash such as FNV-1a: that took 4 % of a whole fit.)
std::optional<std::uint64_t> xxh3_of_file(const std::string& path) {
  if (path == "-") return std::nullopt;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return std::nullopt;
  XXH3_state_t state;
  XXH3_INITSTATE(&state);
  XXH3_64bits_reset(&state);
  std::vector<unsigned char> block(std::size_t{1} << 16);
  std::size_t n = 0;
  while ((n = std::fread(block.data(), 1, block.size(), f)) > 0)
    XXH3_64bits_update(&state, block.data(), n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return std::nullopt;
  return XXH3_64bits_digest(&state);
}

void append_json_number(std::string& out, double x) {
  if (std::isfinite(x)) {
    append_number(out, x);
  } else {
    out += "null";
  }
}

/// 4 significant digits, for people.
std::string readable(double x) {
  return fmt::format("{:.4g}", x);
}

struct named_estimate {
  const char* name;
  models::parameter_estimate estimate;
};

/// What every model's output holds, plus its own keys.
struct fitted {
  const char* model;
  std::vector<named_estimate> parameters;
  models::fit_report report;
  std::string extra_json;  // ",\"key\":value…"
  std::vector<std::pair<std::string, std::string>> extra_table;
};

void write_json(const fitted& f, const std::string& path, std::uint64_t skipped_rows,
                std::string& out) {
  out += "{\"model\":\"";
  out += f.model;
  out += "\",\"parameters\":{";
  const auto each = [&](auto&& emit) {
    bool first = true;
    for (const named_estimate& p : f.parameters) {
      if (!first) out += ',';
      first = false;
      append_json_string(out, p.name);
      out += ':';
      emit(p.estimate);
    }
  };
  each([&](const models::parameter_estimate& e) { append_json_number(out, e.value); });
  out += "},\"standard_errors\":{";
  each([&](const models::parameter_estimate& e) { append_json_number(out, e.standard_error); });
  out += "},\"intervals_95\":{";
  each([&](const models::parameter_estimate& e) {
    out += '[';
    append_json_number(out, e.lower_95);
    out += ',';
    append_json_number(out, e.upper_95);
    out += ']';
  });
  out += "},\"log_likelihood\":";
  append_json_number(out, f.report.log_likelihood);
  out +=
      fmt::format(",\"n\":{},\"unique_tuples\":{},\"converged\":{},\"evaluations\":{},\"status\":",
                  f.report.customers, f.report.unique_tuples, f.report.converged ? "true" : "false",
                  f.report.evaluations);
  append_json_string(out, f.report.status);
  out += f.extra_json;
  out += fmt::format(",\"skipped_rows\":{},\"input\":{{\"path\":", skipped_rows);
  append_json_string(out, path);
  out += ",\"xxh3_64\":";
  if (const auto hash = xxh3_of_file(path)) {
    out += fmt::format("\"{:016x}\"", *hash);
  } else {
    out += "null";
  }
  out += "}}\n";
}

void write_table(const fitted& f, const std::string& name, std::string& out) {
  out += fmt::format("{} fit of {}\n", f.model, name);
  out += fmt::format("{:<10} {:>12} {:>12}  {}\n", "parameter", "estimate", "std. error",
                     "95% interval");
  for (const named_estimate& p : f.parameters)
    out += fmt::format("{:<10} {:>12} {:>12}  [{}, {}]\n", p.name, readable(p.estimate.value),
                       readable(p.estimate.standard_error), readable(p.estimate.lower_95),
                       readable(p.estimate.upper_95));
  out += fmt::format("log-likelihood  {}\n", trimmed_number(f.report.log_likelihood, 4));
  out +=
      fmt::format("n               {} ({} distinct)\n", f.report.customers, f.report.unique_tuples);
  out += fmt::format("converged       {} ({}; {} evaluations)\n", f.report.converged ? "yes" : "no",
                     f.report.status, f.report.evaluations);
  for (const auto& [key, value] : f.extra_table) out += fmt::format("{:<15} {}\n", key, value);
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
  if (!(*c >= 1) || *c != std::floor(*c) || *c > 1e9)
    return error{"count", fmt::format("count must be a whole number from 1 to 1e9, got {}",
                                      format_shortest(*c))};
  return c;
}

error fit_failed(const table_input& in, std::string_view model, const error& e) {
  return error{e.field, fmt::format("{}: cannot fit {}: {}", in.name(), model, e.message)};
}

bool is_whole(double x) {
  return x >= 0 && x == std::floor(x) && x < 9007199254740992.0;
}

result<fitted> fit_bgnbd_input(const fit_options& o, std::uint64_t& skipped, std::string& name) {
  const bool modified = o.model == "mbgnbd";
  std::vector<named_column> cols{
      {"frequency", "--frequency-col", o.frequency_col, {"frequency", "x"}},
      {"recency", "--recency-col", o.recency_col, {"recency", "t_x"}},
      {"T", "--T-col", o.T_col, {"T"}},
  };
  if (!o.count_col.empty()) cols.push_back({"count", "--count-col", o.count_col, {}});
  std::vector<std::optional<std::size_t>> at;
  auto in = open_named_columns(o.table, cols, at);
  if (!in) return std::move(in).error();
  name = in->name();
  // Rows are merged into distinct tuples as they are read: memory grows with
  // the distinct (x, t_x, T), not with the file.
  models::rfm_compressor merged;
  const std::size_t x_col = *at[0], tx_col = *at[1], T_col = *at[2];
  const bool counted = cols.size() > 3;
  while (in->next()) {
    std::uint64_t wx = 0, wt = 0, wT = 0;
    if (!counted && whole_number(in->field(x_col), wx) && whole_number(in->field(tx_col), wt) &&
        whole_number(in->field(T_col), wT) && merged.add_whole(wx, wt, wT))
      continue;  // the common case: whole days or weeks, a valid row
    const auto row = [&]() -> result<models::rfm_tuple> {
      models::rfm_tuple t;
      if (!counted && plain_number(in->field(x_col), t.x) &&
          plain_number(in->field(tx_col), t.t_x) && plain_number(in->field(T_col), t.T))
        return models::check_rfm_tuple(t);  // without the general parser
      auto x = number_field(*in, x_col, "frequency");
      if (!x) return std::move(x).error();
      auto tx = number_field(*in, tx_col, "recency");
      if (!tx) return std::move(tx).error();
      auto T = number_field(*in, T_col, "T");
      if (!T) return std::move(T).error();
      t.x = *x;
      t.t_x = *tx;
      t.T = *T;
      if (counted) {
        auto c = count_field(*in, *at[3]);
        if (!c) return std::move(c).error();
        t.count = *c;
      }
      return models::check_rfm_tuple(t);
    }();
    if (!row) {
      if (auto fatal = in->bad_row(row.error())) return *fatal;
      continue;
    }
    if (auto e = merged.add(*row)) return *e;  // checked already: cannot fail
  }
  if (auto e = in->failure()) return *e;
  skipped = in->skipped_rows();
  print_note(in->skipped_note());
  if (merged.rows() == 0) return error{"input", fmt::format("{} has no customer rows", in->name())};
  if (o.model == "pareto-nbd") {
    auto fit = models::fit_pareto_nbd(merged.take());
    if (!fit) return fit_failed(*in, o.model, fit.error());
    return fitted{"pareto-nbd",
                  {{"r", fit->r}, {"alpha", fit->alpha}, {"s", fit->s}, {"beta", fit->beta}},
                  fit->report,
                  {},
                  {}};
  }
  auto fit = models::fit_bgnbd(
      merged.take(), modified ? models::bgnbd_variant::mbgnbd : models::bgnbd_variant::bgnbd);
  if (!fit) return fit_failed(*in, o.model, fit.error());
  return fitted{modified ? "mbgnbd" : "bgnbd",
                {{"r", fit->r}, {"alpha", fit->alpha}, {"a", fit->a}, {"b", fit->b}},
                fit->report,
                {},
                {}};
}

result<fitted> fit_gamma_gamma_input(const fit_options& o, std::uint64_t& skipped,
                                     std::string& name) {
  std::vector<named_column> cols{
      {"frequency", "--frequency-col", o.frequency_col, {"frequency", "x"}},
      {"monetary_value", "--monetary-col", o.monetary_col, {"monetary_value", "zbar"}},
  };
  if (!o.count_col.empty()) cols.push_back({"count", "--count-col", o.count_col, {}});
  std::vector<std::optional<std::size_t>> at;
  auto in = open_named_columns(o.table, cols, at);
  if (!in) return std::move(in).error();
  name = in->name();
  std::vector<double> frequency;
  std::vector<double> monetary;
  constexpr double max_rows = 1e8;  // rows after expanding counts
  while (in->next()) {
    double x = 0;
    double m = 0;
    double count = 1;
    const auto check = [&]() -> std::optional<error> {
      auto fx = number_field(*in, *at[0], "frequency");
      if (!fx) return std::move(fx).error();
      if (!is_whole(*fx))
        return error{"frequency", fmt::format("frequency must be a whole number >= 0, got {}",
                                              format_shortest(*fx))};
      x = *fx;
      if (cols.size() > 2) {
        auto c = count_field(*in, *at[2]);
        if (!c) return std::move(c).error();
        count = *c;
      }
      if (x == 0) return std::nullopt;  // not part of the model: spend not read
      auto fm = number_field(*in, *at[1], "monetary_value");
      if (!fm) return std::move(fm).error();
      m = *fm;
      if (m <= 0 && !o.drop_nonpositive)
        return error{"monetary_value",
                     fmt::format("monetary_value {} of a repeat customer (frequency {}) is not "
                                 "positive; leave such rows out with --drop-nonpositive",
                                 format_shortest(m), format_shortest(x))};
      return std::nullopt;
    }();
    if (check) {
      if (auto fatal = in->bad_row(*check)) return *fatal;
      continue;
    }
    if (static_cast<double>(frequency.size()) + count > max_rows)
      return error{"input", fmt::format("{}: more than 1e8 customers", in->name())};
    frequency.insert(frequency.end(), static_cast<std::size_t>(count), x);
    monetary.insert(monetary.end(), static_cast<std::size_t>(count), m);
  }
  if (auto e = in->failure()) return *e;
  skipped = in->skipped_rows();
  print_note(in->skipped_note());
  models::gamma_gamma_options options;
  options.drop_nonpositive_spend = o.drop_nonpositive;
  auto fit = models::fit_gamma_gamma(frequency, monetary, options);
  if (!fit) return fit_failed(*in, "gamma-gamma", fit.error());
  if (fit->dropped > 0)
    print_note(fmt::format("dropped {} repeat customer{} with a monetary value <= 0", fit->dropped,
                           fit->dropped == 1 ? "" : "s"));
  const std::optional<double> corr = fit->frequency_spend_correlation;
  if (corr && std::fabs(*corr) > 0.3)
    print_note(
        fmt::format("warning: frequency and monetary value are correlated ({:.3f}); the "
                    "Gamma-Gamma model assumes they are independent",
                    *corr));
  fitted out{
      "gamma-gamma", {{"p", fit->p}, {"q", fit->q}, {"gamma", fit->gamma}}, fit->report, {}, {}};
  out.extra_json =
      fmt::format(",\"without_repeats\":{},\"dropped\":{}", fit->without_repeats, fit->dropped);
  out.extra_json += ",\"frequency_spend_correlation\":";
  if (corr) {
    append_json_number(out.extra_json, *corr);
  } else {
    out.extra_json += "null";
  }
  out.extra_json += ",\"mean_spend\":";
  const auto mean = models::gamma_gamma_mean_spend(fit->params);
  if (mean) {
    append_json_number(out.extra_json, *mean);
  } else {
    out.extra_json += "null";
  }
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

result<fitted> fit_sbg_metrics(const fit_options& o, const std::string& name) {
  auto curves = read_metrics_cohorts(o.table.path, name);
  if (!curves) return std::move(curves).error();
  auto fit = models::fit_sbg_cohorts(*curves);
  if (!fit)
    return error{fit.error().field,
                 fmt::format("{}: cannot fit sbg: {}", name, fit.error().message)};
  fitted out{"sbg", {{"alpha", fit->alpha}, {"beta", fit->beta}}, fit->report, {}, {}};
  const std::optional<double> lifetime = models::sbg_expected_lifetime(fit->params);
  out.extra_json = fmt::format(",\"cohorts\":{},\"expected_lifetime\":", curves->size());
  if (lifetime) {
    append_json_number(out.extra_json, *lifetime);
  } else {
    out.extra_json += "null";
  }
  out.extra_table.emplace_back("cohorts", std::to_string(curves->size()));
  out.extra_table.emplace_back("lifetime", lifetime ? readable(*lifetime) + " periods"
                                                    : std::string("unbounded (alpha <= 1)"));
  return out;
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
    if (!n) return error{"active", in->row_message(n.error())};
    if (!is_whole(*n))
      return error{"active", in->row_message(error{
                                 "active", fmt::format("active count must be a whole number >= 0, "
                                                       "got {}",
                                                       format_shortest(*n))})};
    if (!active.empty() && *n > active.back())
      return error{
          "active",
          in->row_message(
              error{"active", fmt::format("active count {} is greater than {} the period "
                                          "before; a survival curve never increases",
                                          format_shortest(*n), format_shortest(active.back()))})};
    active.push_back(*n);
  }
  if (auto e = in->failure()) return *e;
  auto fit = models::fit_sbg(active);
  if (!fit) return fit_failed(*in, "sbg", fit.error());
  fitted out{"sbg", {{"alpha", fit->alpha}, {"beta", fit->beta}}, fit->report, {}, {}};
  const std::optional<double> lifetime = models::sbg_expected_lifetime(fit->params);
  out.extra_json = ",\"periods\":" + std::to_string(active.size() - 1) + ",\"expected_lifetime\":";
  if (lifetime) {
    append_json_number(out.extra_json, *lifetime);
  } else {
    out.extra_json += "null";
  }
  out.extra_table.emplace_back("periods", std::to_string(active.size() - 1));
  out.extra_table.emplace_back("lifetime", lifetime ? readable(*lifetime) + " periods"
                                                    : std::string("unbounded (alpha <= 1)"));
  return out;
}

/// The flags that do not apply to `model`, refused rather than ignored.
std::optional<std::string> stray_flag(const fit_options& o) {
  const bool sbg = o.model == "sbg";
  const bool gg = o.model == "gamma-gamma";
  const bool bg = o.model == "bgnbd" || o.model == "mbgnbd" || o.model == "pareto-nbd";
  if (sbg && !o.frequency_col.empty()) return "--frequency-col";
  if (sbg && !o.count_col.empty()) return "--count-col";
  if (!bg && !o.recency_col.empty()) return "--recency-col";
  if (!bg && !o.T_col.empty()) return "--T-col";
  if (!gg && !o.monetary_col.empty()) return "--monetary-col";
  if (!gg && o.drop_nonpositive) return "--drop-nonpositive";
  if (!sbg && !o.column.empty()) return "--column";
  if (sbg && o.table.skip_bad_rows) return "--skip-bad-rows";
  if (!sbg && o.from_metrics) return "--from-metrics";
  if (o.from_metrics && !o.column.empty()) return "--column";
  return std::nullopt;
}

}  // namespace

CLI::App* setup_fit(CLI::App& app, fit_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "fit",
      "Fit a CLV model (bgnbd, mbgnbd, pareto-nbd, gamma-gamma, sbg) by maximum likelihood; "
      "write it as JSON");
  cmd->footer(fit_examples);
  cmd->add_option("model", o.model, "bgnbd, mbgnbd, pareto-nbd, gamma-gamma or sbg")
      ->required()
      ->option_text("MODEL");
  cmd->add_option("input", o.table.path,
                  "(m)bgnbd, pareto-nbd, gamma-gamma: an RFM summary (as `cltv summarize` "
                  "writes); sbg: active "
                  "counts per period. CSV (or .gz), - for stdin")
      ->required()
      ->option_text("INPUT");
  cmd->add_option("--frequency-col", o.frequency_col,
                  "Frequency column (default frequency, else x)")
      ->option_text("NAME|N");
  cmd->add_option("--recency-col", o.recency_col,
                  "(m)bgnbd, pareto-nbd: recency column (default recency, else t_x)")
      ->option_text("NAME|N");
  cmd->add_option("--T-col", o.T_col, "(m)bgnbd, pareto-nbd: age column (default T)")
      ->option_text("NAME|N");
  cmd->add_option("--monetary-col", o.monetary_col,
                  "gamma-gamma: mean spend column (default monetary_value, else zbar)")
      ->option_text("NAME|N");
  cmd->add_option("--count-col", o.count_col,
                  "Customers a row stands for (pre-aggregated rows; default: 1 each)")
      ->option_text("NAME|N");
  cmd->add_flag("--drop-nonpositive", o.drop_nonpositive,
                "gamma-gamma: leave out repeat customers with monetary value <= 0 (counted)");
  cmd->add_option("--column", o.column, "sbg: column of active counts (default: the second)")
      ->option_text("NAME|N");
  cmd->add_flag("--from-metrics", o.from_metrics,
                "sbg: INPUT is `cltv metrics --by cohort --format json`; fit every cohort's "
                "retained curve at once");
  add_table_input_options(*cmd, o.table);
  cmd->add_option("--format", o.format, "Output: json (default) or table")->option_text("FORMAT");
  return cmd;
}

int run_fit(const fit_options& o) {
  if (o.model != "bgnbd" && o.model != "mbgnbd" && o.model != "pareto-nbd" &&
      o.model != "gamma-gamma" && o.model != "sbg") {
    print_error(
        fmt::format("model must be bgnbd, mbgnbd, pareto-nbd, gamma-gamma or sbg, got \"{}\"",
                    printable(o.model)));
    return 2;
  }
  if (o.format != "json" && o.format != "table") {
    print_error(fmt::format("format must be json or table, got \"{}\"", printable(o.format)));
    return 2;
  }
  if (const auto flag = stray_flag(o)) {
    print_error(fmt::format("{} does not apply to `cltv fit {}`", *flag, o.model));
    return 2;
  }
  std::uint64_t skipped = 0;
  std::string name = display_name(o.table.path);
  result<fitted> fit = o.model == "bgnbd" || o.model == "mbgnbd" || o.model == "pareto-nbd"
                           ? fit_bgnbd_input(o, skipped, name)
                       : o.model == "gamma-gamma" ? fit_gamma_gamma_input(o, skipped, name)
                                                  : fit_sbg_input(o, name);
  if (!fit) return print_error(fit.error().message), 2;

  output out(STDOUT_FILENO);
  if (o.format == "json") {
    write_json(*fit, o.table.path, skipped, out.buffer());
  } else {
    write_table(*fit, name, out.buffer());
  }
  out.finish();
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
