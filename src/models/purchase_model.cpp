#include "cltv/models/purchase_model.hpp"

#include <cmath>
#include <string>

#include "cltv/number.hpp"

namespace cltv::models {

namespace {

error not_a_purchase_model(model_kind kind) {
  return error{"model", "the " + std::string(names_of(kind).name) +
                            " model is not a purchase model (" + listed_names(is_purchase_model) +
                            ")"};
}

}  // namespace

model_kind purchase_model::kind() const noexcept {
  if (const auto* bg = std::get_if<bgnbd_params>(&params_))
    return bg->variant == bgnbd_variant::mbgnbd ? model_kind::mbgnbd : model_kind::bgnbd;
  if (std::holds_alternative<bgbb_params>(params_)) return model_kind::bgbb;
  if (std::holds_alternative<ggomnbd_params>(params_)) return model_kind::ggomnbd;
  return model_kind::pareto_nbd;
}

model_parameters purchase_model::parameters() const {
  return std::visit([](const auto& p) { return parameters_of(p); }, params_);
}

result<purchase_model> make_purchase_model(const model_parameters& p) {
  if (!is_purchase_model(p.kind)) return not_a_purchase_model(p.kind);
  auto checked = check_model_parameters(p);
  if (!checked) return std::move(checked).error();
  const std::size_t wanted = names_of(p.kind).parameters.size();
  if (p.values.size() != wanted)
    return error{"parameters", "the " + std::string(names_of(p.kind).name) + " model has " +
                                   std::to_string(wanted) + " parameters, got " +
                                   std::to_string(p.values.size())};
  const std::vector<double>& v = p.values;
  if (p.kind == model_kind::ggomnbd)
    return purchase_model{ggomnbd_params{v[0], v[1], v[2], v[3], v[4]}};
  if (p.kind == model_kind::pareto_nbd)
    return purchase_model{pareto_nbd_params{v[0], v[1], v[2], v[3]}};
  if (p.kind == model_kind::bgbb) return purchase_model{bgbb_params{v[0], v[1], v[2], v[3]}};
  return purchase_model{
      bgnbd_params{v[0], v[1], v[2], v[3],
                   p.kind == model_kind::mbgnbd ? bgnbd_variant::mbgnbd : bgnbd_variant::bgnbd}};
}

result<purchase_model_fit> fit_purchase_model(model_kind kind, std::span<const rfm_tuple> rows,
                                              const fit_penalty& penalty) {
  if (!is_purchase_model(kind)) return not_a_purchase_model(kind);
  if (kind == model_kind::pareto_nbd) {
    auto fit = fit_pareto_nbd(rows, penalty);
    if (!fit) return std::move(fit).error();
    return purchase_model_fit{fit->params, {fit->r, fit->alpha, fit->s, fit->beta}, fit->report};
  }
  if (kind == model_kind::ggomnbd) {
    if (penalty.coefficient > 0) return error{"penalty", "the GGompertz/NBD fit takes no penalty"};
    auto fit = fit_ggomnbd(rows);
    if (!fit) return std::move(fit).error();
    return purchase_model_fit{fit->params, std::move(fit->estimates), fit->report};
  }
  if (kind == model_kind::bgbb) {
    if (penalty.coefficient > 0) return error{"penalty", "the BG/BB fit takes no penalty"};
    std::vector<bgbb_tuple> histories;
    histories.reserve(rows.size());
    for (const rfm_tuple& row : rows) histories.push_back(bgbb_tuple_of(row));
    auto fit = fit_bgbb(histories);
    if (!fit) return std::move(fit).error();
    return purchase_model_fit{fit->params, std::move(fit->estimates), fit->report};
  }
  auto fit = fit_bgnbd(
      rows, kind == model_kind::mbgnbd ? bgnbd_variant::mbgnbd : bgnbd_variant::bgnbd, penalty);
  if (!fit) return std::move(fit).error();
  return purchase_model_fit{fit->params, {fit->r, fit->alpha, fit->a, fit->b}, fit->report};
}

result<double> conditional_expected_purchases(const purchase_model& model,
                                              const rfm_tuple& customer, double t) {
  return std::visit([&](const auto& p) { return conditional_expected_purchases(p, customer, t); },
                    model.params());
}

result<double> probability_alive(const purchase_model& model, const rfm_tuple& customer) {
  return std::visit([&](const auto& p) { return probability_alive(p, customer); }, model.params());
}

result<std::vector<double>> expected_purchases_by_period(const purchase_model& model,
                                                         const rfm_tuple& customer, int periods,
                                                         double period_length) {
  return std::visit(
      [&](const auto& p) {
        return expected_purchases_by_period(p, customer, periods, period_length);
      },
      model.params());
}

result<std::vector<double>> expected_purchases_by_period_if_alive(const purchase_model& model,
                                                                  double x, double T, int periods,
                                                                  double period_length) {
  return std::visit(
      [&](const auto& p) {
        return expected_purchases_by_period_if_alive(p, x, T, periods, period_length);
      },
      model.params());
}

result<double> expected_purchases(const purchase_model& model, double t) {
  return std::visit([&](const auto& p) { return expected_purchases(p, t); }, model.params());
}

namespace {

// Element n of 0..n_max from a model that gives one n at a time.
template <class Probability>
result<std::vector<double>> each_count(int n_max, const Probability& probability) {
  if (n_max < 0)
    return error{"n", "n must be a non-negative integer, got " + std::to_string(n_max)};
  std::vector<double> pmf;
  pmf.reserve(static_cast<std::size_t>(n_max) + 1);
  for (int n = 0; n <= n_max; ++n) {
    auto v = probability(n);
    if (!v) return std::move(v).error();
    pmf.push_back(*v);
  }
  return pmf;
}

}  // namespace

result<std::vector<double>> probabilities_of_purchases(const purchase_model& model, double t,
                                                       int n_max) {
  if (const auto* p = std::get_if<pareto_nbd_params>(&model.params()))
    return probabilities_of_purchases(*p, t, n_max);
  if (const auto* p = std::get_if<bgbb_params>(&model.params()))
    return probabilities_of_purchases(*p, t, n_max);
  if (const auto* p = std::get_if<ggomnbd_params>(&model.params()))
    return probabilities_of_purchases(*p, t, n_max);
  const auto& p = std::get<bgnbd_params>(model.params());
  return each_count(n_max, [&](int n) { return probability_of_purchases(p, t, n); });
}

result<std::vector<double>> conditional_probabilities_of_purchases(const purchase_model& model,
                                                                   const rfm_tuple& customer,
                                                                   double t, int n_max) {
  if (const auto* p = std::get_if<pareto_nbd_params>(&model.params()))
    return conditional_probabilities_of_purchases(*p, customer, t, n_max);
  if (const auto* p = std::get_if<bgbb_params>(&model.params()))
    return conditional_probabilities_of_purchases(*p, customer, t, n_max);
  if (const auto* p = std::get_if<ggomnbd_params>(&model.params()))
    return conditional_probabilities_of_purchases(*p, customer, t, n_max);
  const auto& p = std::get<bgnbd_params>(model.params());
  return each_count(n_max,
                    [&](int n) { return conditional_probability_of_purchases(p, customer, t, n); });
}

result<double> check_prediction_horizon(double horizon) {
  if (!(horizon >= 0))
    return error{"horizon", "horizon must be >= 0, got " + format_shortest(horizon)};
  return horizon;
}

result<double> check_prediction_horizon(model_kind kind, double horizon) {
  auto checked = check_prediction_horizon(horizon);
  if (checked && is_discrete_time(kind) && horizon != std::floor(horizon))
    return error{"horizon", "horizon: " + std::string(names_of(kind).label) +
                                " counts whole opportunities, got " + format_shortest(horizon)};
  return checked;
}

}  // namespace cltv::models
