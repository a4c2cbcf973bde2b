#include "cltv/models/model_kind.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "cltv/number.hpp"

namespace cltv::models {

namespace {

const std::array<model_names, 7> all_names{{
    {"bgnbd", "bgnbd", "BG/NBD", {"r", "alpha", "a", "b"}},
    {"mbgnbd", "mbgnbd", "MBG/NBD", {"r", "alpha", "a", "b"}},
    {"pareto-nbd", "pareto_nbd", "Pareto/NBD", {"r", "alpha", "s", "beta"}},
    {"gamma-gamma", "gamma_gamma", "Gamma-Gamma", {"p", "q", "gamma"}},
    {"sbg", "sbg", "sBG", {"alpha", "beta"}},
    {"bgbb", "bgbb", "BG/BB", {"alpha", "beta", "gamma", "delta"}},
    {"ggomnbd", "ggomnbd", "GGompertz/NBD", {"r", "alpha", "b", "s", "beta"}},
}};

constexpr std::array<model_kind, 7> all_kinds{
    model_kind::bgnbd, model_kind::mbgnbd, model_kind::pareto_nbd, model_kind::gamma_gamma,
    model_kind::sbg,   model_kind::bgbb,   model_kind::ggomnbd};

}  // namespace

const model_names& names_of(model_kind kind) {
  return all_names[static_cast<std::size_t>(kind)];
}

std::optional<model_kind> model_named(std::string_view name) {
  for (const model_kind kind : all_kinds)
    if (names_of(kind).name == name) return kind;
  return std::nullopt;
}

bool is_purchase_model(model_kind kind) noexcept {
  return kind == model_kind::bgnbd || kind == model_kind::mbgnbd ||
         kind == model_kind::pareto_nbd || kind == model_kind::bgbb || kind == model_kind::ggomnbd;
}

bool is_discrete_time(model_kind kind) noexcept {
  return kind == model_kind::bgbb;
}

bool is_comparable_purchase_model(model_kind kind) noexcept {
  return is_purchase_model(kind) && !is_discrete_time(kind);
}

bool any_model(model_kind /*kind*/) noexcept {
  return true;
}

std::string listed_names(bool (*which)(model_kind)) {
  std::vector<std::string_view> names;
  for (const model_kind kind : all_kinds)
    if (which(kind)) names.push_back(names_of(kind).name);
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

result<model_kind> purchase_model_named(std::string_view field, std::string_view text) {
  const std::optional<model_kind> kind = model_named(text);
  if (!kind || !is_purchase_model(*kind))
    return error{std::string(field), std::string(field) + " must be " +
                                         listed_names(is_purchase_model) + ", got \"" +
                                         printable(text) + "\""};
  return *kind;
}

result<model_kind> comparable_model_named(std::string_view field, std::string_view text) {
  const std::optional<model_kind> kind = model_named(text);
  if (kind && is_discrete_time(*kind))
    return error{std::string(field),
                 std::string(field) + ": " + std::string(names_of(*kind).label) +
                     " counts purchases at discrete opportunities; its log-likelihood is not "
                     "comparable with the continuous-time models' (" +
                     listed_names(is_comparable_purchase_model) + "): fit it on its own"};
  if (!kind || !is_comparable_purchase_model(*kind))
    return error{std::string(field), std::string(field) + " must be " +
                                         listed_names(is_comparable_purchase_model) + ", got \"" +
                                         printable(text) + "\""};
  return *kind;
}

result<model_parameters> check_model_parameters(const model_parameters& p) {
  const model_names& names = names_of(p.kind);
  if (p.values.size() > names.parameters.size())
    return error{"parameters", "the " + std::string(names.name) + " model has " +
                                   std::to_string(names.parameters.size()) + " parameters, got " +
                                   std::to_string(p.values.size())};
  for (std::size_t i = 0; i < p.values.size(); ++i)
    if (!(p.values[i] > 0))
      return error{std::string(names.parameters[i]),
                   "parameter \"" + std::string(names.parameters[i]) + "\" must be positive, got " +
                       format_shortest(p.values[i])};
  return p;
}

model_parameters parameters_of(const bgnbd_params& p) {
  return {p.variant == bgnbd_variant::mbgnbd ? model_kind::mbgnbd : model_kind::bgnbd,
          {p.r, p.alpha, p.a, p.b}};
}

model_parameters parameters_of(const pareto_nbd_params& p) {
  return {model_kind::pareto_nbd, {p.r, p.alpha, p.s, p.beta}};
}

model_parameters parameters_of(const gamma_gamma_params& p) {
  return {model_kind::gamma_gamma, {p.p, p.q, p.gamma}};
}

model_parameters parameters_of(const sbg_params& p) {
  return {model_kind::sbg, {p.alpha, p.beta}};
}

model_parameters parameters_of(const ggomnbd_params& p) {
  return {model_kind::ggomnbd, {p.r, p.alpha, p.b, p.s, p.beta}};
}

model_parameters parameters_of(const bgbb_params& p) {
  return {model_kind::bgbb, {p.alpha, p.beta, p.gamma, p.delta}};
}

}  // namespace cltv::models
