#pragma once
// A customer's expected purchases per period as P(alive now) times the stream
// of one who is alive, for the models whose stream given alive depends on the
// history only through (x, T): Pareto/NBD, BG/BB, Gamma-Gompertz/NBD.
// Internal to the library (not installed).

#include <utility>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models::detail {

/// probability_alive(params, customer) × expected_purchases_by_period_if_alive(
/// params, x, T, periods, period_length), each found for the model's params
/// type (argument-dependent lookup).
template <class Params>
[[nodiscard]] result<std::vector<double>> alive_weighted_stream(const Params& params,
                                                                const rfm_tuple& customer,
                                                                int periods, double period_length) {
  auto alive = probability_alive(params, customer);
  if (!alive) return std::move(alive).error();
  auto stream =
      expected_purchases_by_period_if_alive(params, customer.x, customer.T, periods, period_length);
  if (!stream) return stream;
  for (double& v : *stream) v *= *alive;
  return stream;
}

}  // namespace cltv::models::detail
