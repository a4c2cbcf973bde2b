#pragma once
// The customer base at a glance, from per-customer predictions: how many are
// expected to be active, how P(alive) spreads, what the base is expected to
// buy and be worth, and its top customers — what an analyst reads before
// the per-customer file (`cltv predict` and `cltv clv` tables and JSON).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace cltv::models {

/// Customers with P(alive) in [from, to) (the last band includes 1).
struct alive_band {
  double from = 0;
  double to = 0;
  std::uint64_t customers = 0;
};

/// One of the top customers: its index in the input and its predictions.
struct top_customer {
  std::size_t index = 0;
  double probability_alive = 0;
  double expected_purchases = 0;
  std::optional<double> value;
};

struct base_summary {
  std::uint64_t customers = 0;
  double expected_active = 0;  ///< Σ P(alive)
  /// P(alive) in fifths: [0, 0.2), [0.2, 0.4), … [0.8, 1].
  std::array<alive_band, 5> alive_bands{};
  double expected_purchases = 0;         ///< Σ over customers, in the horizon
  std::optional<double> expected_value;  ///< Σ of the values, when customers have one
  /// The most valuable customers (by value, else by expected purchases),
  /// highest first; ties keep the input order.
  std::vector<top_customer> top;
};

/// Builds the summary one customer at a time (memory: the top list only).
class base_summary_builder {
 public:
  /// Keeps the `top_count` best customers.
  explicit base_summary_builder(std::size_t top_count = 10);
  /// Customer `index` with P(alive), its expected purchases and, when known,
  /// its value (a CLV, an expected spend in the horizon).
  void add(std::size_t index, double probability_alive, double expected_purchases,
           std::optional<double> value = std::nullopt);
  [[nodiscard]] base_summary finish() &&;

 private:
  std::size_t top_count_;
  base_summary summary_;
};

}  // namespace cltv::models
