#include "io/model_file.hpp"

#include <fmt/format.h>
#include <simdjson.h>

// Header-only: the hash's code is compiled in; no library to link.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cmath>
#include <limits>
#include <vector>

#include "cltv/number.hpp"
#include "io/byte_source.hpp"
#include "io/text.hpp"

namespace cltv::cli {

namespace {

void append_json_number(std::string& out, double x) {
  if (std::isfinite(x)) {
    append_number(out, x);
  } else {
    out += "null";
  }
}

// `"name":value,…` over the model's parameters, each value written by `emit`.
template <class Emit>
void append_members(std::string& out, model_kind kind, Emit&& emit) {
  const models::model_names& names = names_of(kind);
  for (std::size_t i = 0; i < names.parameters.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, names.parameters[i]);
    out += ':';
    emit(i);
  }
}

// A model's n×n matrix (row-major, in the order of its parameters) as nested
// objects, `"r":{"r":…,"alpha":…},…`: each entry named by its row and column.
void append_matrix_members(std::string& out, model_kind kind, const std::vector<double>& m) {
  const std::size_t n = names_of(kind).parameters.size();
  append_members(out, kind, [&](std::size_t i) {
    out += '{';
    append_members(out, kind, [&](std::size_t j) { append_json_number(out, m[i * n + j]); });
    out += '}';
  });
}

}  // namespace

void append_parameter_members(std::string& out, const model_parameters& p) {
  append_members(out, p.kind, [&](std::size_t i) { append_number(out, p.values[i]); });
}

std::string parameters_text(const model_parameters& p) {
  const models::model_names& names = names_of(p.kind);
  std::string text;
  for (std::size_t i = 0; i < p.values.size(); ++i)
    text += fmt::format("{}{} {:.4g}", i > 0 ? ", " : "", names.parameters[i], p.values[i]);
  return text;
}

std::string model_line(const model_parameters& p) {
  return fmt::format("  {:<12} {}\n", names_of(p.kind).label, parameters_text(p));
}

void append_model(std::string& out, const model_parameters& p) {
  append_json_string(out, names_of(p.kind).key);
  out += ":{";
  append_parameter_members(out, p);
  out += '}';
}

namespace {

/// "covariates": the terms with their estimates, the regularisation, the test
/// against the model without covariates, and the whole fit's covariance and
/// Hessian over the parameters (first) and the coefficients, each labelled.
void append_covariates(std::string& out, model_kind kind, const covariate_record& c) {
  out += ",\"covariates\":{\"columns\":[";
  const std::vector<std::string> columns = models::covariate_columns(c.effects.terms);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, columns[i]);
  }
  out += "],\"coefficients\":[";
  for (std::size_t j = 0; j < c.effects.terms.size(); ++j) {
    const models::coefficient_estimate& e = c.estimates[j];
    out += j == 0 ? "{\"covariate\":" : ",{\"covariate\":";
    append_json_string(out, c.effects.terms[j].covariate);
    out += ",\"process\":";
    append_json_string(out, models::process_name(c.effects.terms[j].process));
    out += ",\"estimate\":";
    append_json_number(out, c.effects.coefficients[j]);
    out += ",\"standard_error\":";
    append_json_number(out, e.standard_error);
    out += ",\"interval_95\":[";
    append_json_number(out, e.lower_95);
    out += ',';
    append_json_number(out, e.upper_95);
    out += "],\"z\":";
    append_json_number(out, e.z);
    out += ",\"p_value\":";
    append_json_number(out, e.p_value);
    out += '}';
  }
  out += fmt::format("],\"value_rows\":{},\"regularisation\":{{\"trans\":", c.value_rows);
  append_number(out, c.penalty.purchase);
  out += ",\"life\":";
  append_number(out, c.penalty.dropout);
  out += "},\"test\":{\"against\":\"no covariates\",\"statistic\":";
  append_json_number(out, c.against_no_covariates.statistic);
  out += fmt::format(",\"degrees_of_freedom\":{},\"p_value\":",
                     c.against_no_covariates.degrees_of_freedom);
  append_json_number(out, c.against_no_covariates.p_value);
  out += ",\"log_likelihood_without\":";
  append_json_number(out, c.against_no_covariates.restricted_log_likelihood);
  out += '}';
  if (c.against_unconstrained) {
    const models::likelihood_ratio_test& t = *c.against_unconstrained;
    out +=
        ",\"constraint_test\":{\"against\":\"the constrained covariates free in each "
        "process\",\"statistic\":";
    append_json_number(out, t.statistic);
    out += fmt::format(",\"degrees_of_freedom\":{},\"p_value\":", t.degrees_of_freedom);
    append_json_number(out, t.p_value);
    out += ",\"log_likelihood_unconstrained\":";
    append_json_number(out, t.full_log_likelihood);
    out += '}';
  } else if (!c.constraint_test_missing.empty()) {
    out += ",\"constraint_test_missing\":";
    append_json_string(out, c.constraint_test_missing);
  }
  out += ",\"names\":[";
  std::vector<std::string> names;
  for (const std::string_view p : names_of(kind).parameters) names.emplace_back(p);
  for (const models::covariate_term& t : c.effects.terms)
    names.push_back(fmt::format("{}.{}", models::process_name(t.process), t.covariate));
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, names[i]);
  }
  out += ']';
  const auto matrix = [&](const char* key, const std::vector<double>& m) {
    if (m.size() != names.size() * names.size()) return;
    out += fmt::format(",\"{}\":[", key);
    for (std::size_t i = 0; i < names.size(); ++i) {
      out += i == 0 ? "[" : ",[";
      for (std::size_t j = 0; j < names.size(); ++j) {
        if (j > 0) out += ',';
        append_json_number(out, m[i * names.size() + j]);
      }
      out += ']';
    }
    out += ']';
  };
  matrix("covariance", c.covariance);
  if (!c.log_hessian.empty())
    out += c.penalty.purchase > 0 || c.penalty.dropout > 0
               ? ",\"hessian_of\":\"penalised negative log-likelihood\""
               : ",\"hessian_of\":\"negative log-likelihood\"";
  matrix("hessian", c.log_hessian);
  out += '}';
}

}  // namespace

void write_model_file(const model_file& f, std::string& out) {
  const auto& e = f.estimates;
  out += "{\"model\":";
  append_json_string(out, names_of(f.kind).name);
  if (f.time_unit_days) {
    out += ",\"time_unit_days\":";
    append_number(out, *f.time_unit_days);
  }
  out += ",\"parameters\":{";
  append_members(out, f.kind, [&](std::size_t i) { append_json_number(out, e[i].value); });
  out += "},\"standard_errors\":{";
  append_members(out, f.kind, [&](std::size_t i) { append_json_number(out, e[i].standard_error); });
  out += "},\"intervals_95\":{";
  append_members(out, f.kind, [&](std::size_t i) {
    out += '[';
    append_json_number(out, e[i].lower_95);
    out += ',';
    append_json_number(out, e[i].upper_95);
    out += ']';
  });
  out += '}';
  const std::size_t n = names_of(f.kind).parameters.size();
  if (f.report.covariance.size() == n * n) {
    out += ",\"covariance\":{";
    append_matrix_members(out, f.kind, f.report.covariance);
    out += '}';
  }
  if (f.report.log_hessian.size() == n * n) {
    // What the fit minimised, with respect to (ln θ₁, ln θ₂, …).
    out += f.report.penalty > 0 ? ",\"hessian\":{\"of\":\"penalised negative log-likelihood\","
                                : ",\"hessian\":{\"of\":\"negative log-likelihood\",";
    out += "\"parameterisation\":\"log\",\"matrix\":{";
    append_matrix_members(out, f.kind, f.report.log_hessian);
    out += "}}";
  }
  out += ",\"log_likelihood\":";
  append_json_number(out, f.report.log_likelihood);
  if (f.report.penalty > 0) {
    out += ",\"penalty\":";
    append_number(out, f.report.penalty);
  }
  out +=
      fmt::format(",\"n\":{},\"unique_tuples\":{},\"converged\":{},\"evaluations\":{},\"status\":",
                  f.report.customers, f.report.unique_tuples, f.report.converged ? "true" : "false",
                  f.report.evaluations);
  append_json_string(out, f.report.status);
  if (!f.report.standard_errors_missing.empty()) {  // only then: the usual file stays as it was
    out += ",\"standard_errors_missing\":";
    append_json_string(out, f.report.standard_errors_missing);
  }
  if (!f.report.degenerate.empty()) {
    out += ",\"degenerate\":";
    append_json_string(out, f.report.degenerate);
  }
  if (!std::isnan(f.report.integration_error)) {
    out += ",\"integration_error\":";
    append_json_number(out, f.report.integration_error);
  }
  if (f.covariates) append_covariates(out, f.kind, *f.covariates);
  for (const auto& [key, value] : f.facts) {
    out += ',';
    append_json_string(out, key);
    out += ':';
    if (value) {
      append_json_number(out, *value);
    } else {
      out += "null";
    }
  }
  if (!f.counts.empty()) {
    out += ",\"counts\":[";
    for (std::size_t c = 0; c < f.counts.size(); ++c) {
      out += c == 0 ? "[" : ",[";
      for (std::size_t t = 0; t < f.counts[c].size(); ++t) {
        if (t > 0) out += ',';
        append_json_number(out, f.counts[c][t]);
      }
      out += ']';
    }
    out += ']';
  }
  out += fmt::format(",\"skipped_rows\":{},\"input\":{{\"path\":", f.skipped_rows);
  append_json_string(out, f.input_path);
  out += ",\"xxh3_64\":";
  if (f.input_xxh3) {
    out += fmt::format("\"{:016x}\"", *f.input_xxh3);
  } else {
    out += "null";
  }
  out += "}}\n";
}

// XXH3, not a byte-at-a-time hash such as FNV-1a: that took 4 % of a whole fit.
std::optional<std::uint64_t> input_checksum(const std::string& path) {
  if (path == "-") return std::nullopt;
  auto source = byte_source::open(path, byte_source::decoding::raw);
  if (!source) return std::nullopt;
  XXH3_state_t state;
  XXH3_INITSTATE(&state);
  XXH3_64bits_reset(&state);
  std::vector<char> block(std::size_t{1} << 16);
  for (;;) {
    std::size_t got = 0;
    if (!source->read(block.data(), block.size(), got)) return std::nullopt;
    if (got == 0) break;
    XXH3_64bits_update(&state, block.data(), got);
  }
  return XXH3_64bits_digest(&state);
}

std::uint64_t text_checksum(std::string_view text) noexcept {
  return XXH3_64bits(text.data(), text.size());
}

result<std::string> read_whole_input(const std::string& path, std::string_view what) {
  auto source = byte_source::open(path, byte_source::decoding::raw);
  if (!source)
    return error{std::string(what), fmt::format("cannot open {} file {}", what, printable(path))};
  std::string text;
  std::vector<char> block(std::size_t{1} << 16);
  for (;;) {
    std::size_t got = 0;
    if (!source->read(block.data(), block.size(), got))
      return error{std::string(what), fmt::format("cannot read {} file {}", what, printable(path))};
    if (got == 0) return text;
    text.append(block.data(), got);
  }
}

namespace {

/// The terms and coefficients of a model file's "covariates"; the rest of it
/// (standard errors, test, covariance) is the fit's account, not the model.
result<models::covariate_effects> read_covariate_effects(simdjson::dom::element c) {
  const auto bad = [](std::string_view why) {
    return error{"model", fmt::format("\"covariates\" {}", why)};
  };
  simdjson::dom::array coefficients;
  if (c["coefficients"].get_array().get(coefficients) != simdjson::SUCCESS)
    return bad("needs a \"coefficients\" array");
  models::covariate_effects effects;
  for (simdjson::dom::element e : coefficients) {
    std::string_view covariate, process;
    double estimate = 0;
    if (e["covariate"].get_string().get(covariate) != simdjson::SUCCESS || covariate.empty() ||
        e["process"].get_string().get(process) != simdjson::SUCCESS ||
        e["estimate"].get_double().get(estimate) != simdjson::SUCCESS || !std::isfinite(estimate))
      return bad(
          "coefficients need a \"covariate\" name, a \"process\" and a finite "
          "\"estimate\"");
    models::covariate_term term{std::string(covariate), models::covariate_process::both};
    if (process == "purchase") {
      term.process = models::covariate_process::purchase;
    } else if (process == "dropout") {
      term.process = models::covariate_process::dropout;
    } else if (process != "both") {
      return bad(
          fmt::format("process must be purchase, dropout or both, got \"{}\"", printable(process)));
    }
    for (const models::covariate_term& t : effects.terms)
      if (t.covariate == term.covariate &&
          (t.process == term.process || t.process == models::covariate_process::both ||
           term.process == models::covariate_process::both))
        return bad(fmt::format("has two coefficients of {} in one process", term.covariate));
    effects.terms.push_back(std::move(term));
    effects.coefficients.push_back(estimate);
  }
  if (effects.terms.empty()) return bad("has no coefficients");
  return effects;
}

}  // namespace

std::optional<error> read_model_file(const std::string& path, fitted_models& into) {
  const std::string name = path == "-" ? std::string("stdin") : printable(path);
  auto text = read_whole_input(path, "model");
  if (!text) return std::move(text).error();
  const auto fail = [&](std::string_view why) {
    return error{"model", fmt::format("model file {}: {}", name, why)};
  };
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(*text)).get(doc) != simdjson::SUCCESS)
    return fail("not valid JSON (expected the output of `cltv fit`)");
  std::string_view model;
  if (doc["model"].get_string().get(model) != simdjson::SUCCESS)
    return fail("no \"model\" string (expected the output of `cltv fit`)");
  simdjson::dom::object parameters;
  if (doc["parameters"].get_object().get(parameters) != simdjson::SUCCESS)
    return fail("no \"parameters\" object");
  const std::optional<model_kind> kind = models::model_named(model);
  if (!kind)
    return fail(fmt::format("unknown model \"{}\" (bgnbd, mbgnbd, pareto-nbd, gamma-gamma or sbg)",
                            printable(model)));
  const bool purchases = models::is_purchase_model(*kind);
  if (purchases && into.purchase)
    return fail("a second purchase model (bgnbd, mbgnbd or pareto-nbd)");
  if ((*kind == model_kind::gamma_gamma && into.gamma_gamma) ||
      (*kind == model_kind::sbg && into.sbg))
    return fail(fmt::format("a second {} model", model));

  // The unit: absent or null in an older or hand-written file (unknown).
  simdjson::dom::element unit;
  std::optional<double> unit_days;
  if (doc["time_unit_days"].get(unit) == simdjson::SUCCESS && !unit.is_null()) {
    double days = 0;
    if (unit.get_double().get(days) != simdjson::SUCCESS || !std::isfinite(days) || !(days > 0))
      return fail("\"time_unit_days\" must be a positive number of days");
    unit_days = days;
  }

  model_parameters read{*kind, {}};
  std::optional<std::string_view> missing;  // the first parameter that is not a number
  for (const std::string_view key : names_of(*kind).parameters) {
    double value = 0;
    if (parameters[key].get_double().get(value) != simdjson::SUCCESS) {
      missing = key;
      break;
    }
    read.values.push_back(value);
  }
  // A value read before the missing one is reported first, in the file's order.
  if (auto checked = models::check_model_parameters(read); !checked)
    return fail(checked.error().message);
  if (missing) return fail(fmt::format("parameter \"{}\" is missing or not a number", *missing));
  const std::vector<double>& v = read.values;
  if (*kind != model_kind::sbg) {
    model_account account{read, {}, std::nullopt, name};
    for (const std::string_view key : names_of(*kind).parameters) {
      double se = 0;
      account.standard_errors.push_back(doc["standard_errors"][key].get_double().get(se) ==
                                                simdjson::SUCCESS
                                            ? se
                                            : std::numeric_limits<double>::quiet_NaN());
    }
    double ll = 0;
    if (doc["log_likelihood"].get_double().get(ll) == simdjson::SUCCESS)
      account.log_likelihood = ll;
    // "covariance": {p: {q: number or null}}, as write_model_file writes it
    // (absent from older files and fits without standard errors).
    simdjson::dom::object covariance;
    if (doc["covariance"].get_object().get(covariance) == simdjson::SUCCESS) {
      for (const std::string_view row : names_of(*kind).parameters)
        for (const std::string_view column : names_of(*kind).parameters) {
          simdjson::dom::element cell;
          double c = 0;
          if (covariance[row][column].get(cell) != simdjson::SUCCESS ||
              (!cell.is_null() && cell.get_double().get(c) != simdjson::SUCCESS))
            return fail(
                fmt::format("\"covariance\" needs a number or null for {}, {}", row, column));
          account.covariance.push_back(cell.is_null() ? std::numeric_limits<double>::quiet_NaN()
                                                      : c);
        }
    }
    into.accounts.push_back(std::move(account));
  }
  if (purchases) {
    auto model_read = models::make_purchase_model(read);
    if (!model_read) return fail(model_read.error().message);
    into.purchase = *model_read;
    simdjson::dom::element covariates;
    if (doc["covariates"].get(covariates) == simdjson::SUCCESS && !covariates.is_null()) {
      auto effects = read_covariate_effects(covariates);
      if (!effects) return fail(effects.error().message);
      if (!models::takes_covariates(*kind))
        return fail(fmt::format("the {} model takes no covariates", model));
      if (!into.accepts_covariates)
        return fail(
            "fitted with covariates, which this command does not take yet (`cltv "
            "predict` and `cltv clv` do, with --covariates FILE)");
      into.covariates = std::move(*effects);
      into.covariates_source = "the model " + name;
    }
  } else if (*kind == model_kind::gamma_gamma) {
    into.gamma_gamma = models::gamma_gamma_params{v[0], v[1], v[2]};
  } else {
    into.sbg = models::sbg_params{v[0], v[1]};
    // The counts it was fitted on (absent in files written before they were
    // recorded): arrays of numbers, checked as counts where they are used.
    simdjson::dom::array cohorts;
    if (doc["counts"].get_array().get(cohorts) == simdjson::SUCCESS) {
      for (simdjson::dom::element cohort : cohorts) {
        simdjson::dom::array counts;
        if (cohort.get_array().get(counts) != simdjson::SUCCESS)
          return fail("\"counts\" must be an array of arrays of active counts");
        std::vector<double>& curve = into.sbg_counts.emplace_back();
        for (simdjson::dom::element n : counts) {
          double count = 0;
          if (n.get_double().get(count) != simdjson::SUCCESS)
            return fail("\"counts\" must be an array of arrays of active counts");
          curve.push_back(count);
        }
      }
    }
  }
  if (unit_days)
    into.units.push_back(
        {(path == "-" ? std::string("the model on stdin") : "the model " + name) + " is in",
         *unit_days});
  return std::nullopt;
}

std::optional<error> read_model_files(const std::vector<std::string>& paths,
                                      const std::string& summary_path, fitted_models& into) {
  for (const std::string& path : paths) {
    if (path == "-" && summary_path == "-")
      return error{"model", "the model and the summary cannot both come from stdin"};
    if (auto e = read_model_file(path, into)) return e;
  }
  return std::nullopt;
}

std::string spend_fit_hint(const error& e) {
  if (e.field != "spend") return {};
  return "; `cltv clv` can value spend without it: --spend-per-purchase AMOUNT or "
         "--spend-from-summary";
}

std::string correlation_note(const models::gamma_gamma_fit& fit) {
  if (!models::spend_correlated_with_frequency(fit)) return {};
  return fmt::format(
      "warning: frequency and monetary value are correlated ({:.3f}); the Gamma-Gamma model "
      "assumes they are independent",
      *fit.frequency_spend_correlation);
}

}  // namespace cltv::cli
