#pragma once
// Confidence intervals for a churn rate observed as counts (lost of start).

namespace cltv {

/// A closed interval [low, high] of a proportion.
struct proportion_interval {
  double low = 0;
  double high = 0;
};

/// The two-sided standard normal quantile of a confidence level in (0, 1):
/// the z with P(−z ≤ Z ≤ z) = level, from Boost.Math's normal distribution.
/// Example: z_for_confidence(0.95) ≈ 1.959964.
[[nodiscard]] double z_for_confidence(double level);

/// Wilson score interval of a proportion p̂ = successes / trials (Wilson 1927;
/// Newcombe 1998, method 3):
///   (p̂ + z²/2n ± z √(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n),
/// clamped to [0, 1], with the bound exactly 0 when successes = 0 and exactly 1
/// when successes = trials. Requires 0 ≤ successes ≤ trials, trials > 0.
/// Example: wilson_interval(15, 148, 1.959964) ≈ [0.0624, 0.1605] (Newcombe's
/// example 15/148).
[[nodiscard]] proportion_interval wilson_interval(double successes, double trials,
                                                  double z) noexcept;

}  // namespace cltv
