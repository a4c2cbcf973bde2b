#include "cltv/models/frequency_histogram.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace cltv::models {

result<std::vector<frequency_bucket>> frequency_histogram(const purchase_model& model,
                                                          std::span<const rfm_tuple> customers,
                                                          int open_from) {
  if (!(open_from >= 1 && open_from <= 1000))
    return error{"open_from", "the open bucket must start at 1 to 1000 repeat purchases, got " +
                                  std::to_string(open_from)};
  std::vector<frequency_bucket> buckets(static_cast<std::size_t>(open_from) + 1);
  for (std::size_t k = 0; k < buckets.size(); ++k)
    buckets[k].repeat_purchases = static_cast<int>(k);
  buckets.back().open = true;

  std::map<double, double> customers_of_age;  // T → customers
  for (const rfm_tuple& c : customers) {
    auto checked = check_rfm_tuple(c);
    if (!checked) return std::move(checked).error();
    const double k = c.x < open_from ? c.x : open_from;
    buckets[static_cast<std::size_t>(k)].actual += c.count;
    customers_of_age[c.T] += c.count;
  }
  for (const auto& [age, count] : customers_of_age) {
    auto p = probabilities_of_purchases(model, age, open_from - 1);
    if (!p) return std::move(p).error();
    double below = 0;  // P(X(T) < open_from), for the open bucket
    for (int k = 0; k < open_from; ++k) {
      buckets[static_cast<std::size_t>(k)].expected += count * (*p)[static_cast<std::size_t>(k)];
      below += (*p)[static_cast<std::size_t>(k)];
    }
    // The rest of the distribution; rounding must not make it negative.
    buckets.back().expected += count * std::max(0.0, 1.0 - below);
  }
  return buckets;
}

}  // namespace cltv::models
