#pragma once
// The Pareto/NBD likelihood without Gauss's 2F1. One customer's likelihood is
//   Γ(r+x)/Γ(r) α^−x [ Ã(T) + μ ∫_{t_x}^{T} g̃(τ) dτ ],   μ = s/β,
//   Ã(T) = (1+T/α)^−(r+x) (1+T/β)^−s,  g̃(τ) = (1+τ/α)^−(r+x) (1+τ/β)^−(s+1)
// (Fader & Hardie 2005, "A note on deriving the Pareto/NBD model", eq. 19
// before the integral is written as 2F1). The integral of the silent time is
// summed by Gauss–Legendre quadrature in w = ln(m+τ), m = min(α, β), where
// the integrand is smooth and log-concave. Unlike the 2F1 series, this costs
// the same whatever |α−β| / (max(α,β)+t) is, so the fit cannot crawl where
// the dropout heterogeneity runs off (s, β → ∞ with s/β = μ: every customer
// has the same dropout rate), and every parameter has an exact derivative.
// Internal to the library (not installed).

#include <cstdint>
#include <span>
#include <vector>

#include "cltv/models/pareto_nbd.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models::detail {

/// The compressed rows of a fit, grouped by frequency x: for each group, its
/// distinct times (every t_x and T of its tuples, ascending). The integrals of
/// a group are summed once per evaluation over the gaps between its times,
/// then combined from the latest time down, so a tuple costs two lookups.
class pareto_nbd_data {
 public:
  /// `tuples` must be valid (compress_rfm's output, or checked rows).
  explicit pareto_nbd_data(std::span<const rfm_tuple> tuples);

  /// The total log-likelihood (count-weighted, without constants) at p, and,
  /// when `gradient` has four elements, its derivatives in ln r, ln α, ln s,
  /// ln β. Finite for every positive finite p whose integrals do not
  /// underflow entirely; −∞ otherwise.
  [[nodiscard]] double log_likelihood(const pareto_nbd_params& p, std::span<double> gradient) const;

  [[nodiscard]] double customers() const noexcept { return customers_; }

 private:
  struct group {
    double x = 0;
    double count = 0;       // customers in the group
    std::size_t first = 0;  // its times are times_[first, first + size)
    std::size_t size = 0;
  };
  struct entry {
    double count = 0;
    std::uint32_t group = 0;
    std::uint32_t t_x = 0;  // indices into times_
    std::uint32_t T = 0;
  };
  std::vector<group> groups_;
  std::vector<double> times_;
  // The distinct times of all groups, and each of times_' place among them:
  // ln(1 + t/α) and ln(1 + t/β) are computed once per time, not per group.
  std::vector<double> distinct_times_;
  std::vector<std::uint32_t> time_slot_;
  std::vector<entry> entries_;
  double customers_ = 0;
};

/// ln of the odds that a customer with history (x, t_x, T) dropped out during
/// her silence (t_x, T] against her being alive at T: P(alive) = 1 / (1 +
/// e^odds). −∞ when t_x = T.
[[nodiscard]] double pareto_nbd_log_dead_odds(const pareto_nbd_params& p, const rfm_tuple& c);

/// One customer's log-likelihood (without constants), as the fit sums it.
[[nodiscard]] double pareto_nbd_customer_log_likelihood(const pareto_nbd_params& p,
                                                        const rfm_tuple& c);

}  // namespace cltv::models::detail
