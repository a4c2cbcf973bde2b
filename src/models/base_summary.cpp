#include "cltv/models/base_summary.hpp"

#include <algorithm>

namespace cltv::models {
namespace {

double rank_of(const top_customer& c) {
  return c.value.value_or(c.expected_purchases);
}

// Higher rank first; the earlier customer first among equals.
bool ranks_before(const top_customer& a, const top_customer& b) {
  const double ra = rank_of(a), rb = rank_of(b);
  return ra != rb ? ra > rb : a.index < b.index;
}

}  // namespace

base_summary_builder::base_summary_builder(std::size_t top_count) : top_count_(top_count) {
  for (std::size_t k = 0; k < summary_.alive_bands.size(); ++k)
    summary_.alive_bands[k] = {static_cast<double>(k) / 5, static_cast<double>(k + 1) / 5, 0};
}

void base_summary_builder::add(std::size_t index, double probability_alive,
                               double expected_purchases, std::optional<double> value) {
  base_summary& s = summary_;
  ++s.customers;
  s.expected_active += probability_alive;
  const auto band = std::min<std::size_t>(static_cast<std::size_t>(probability_alive * 5), 4);
  ++s.alive_bands[band].customers;
  s.expected_purchases += expected_purchases;
  if (value) s.expected_value = s.expected_value.value_or(0) + *value;
  if (top_count_ == 0) return;
  // A min-heap of the best so far: its front is the one a better customer displaces.
  const top_customer c{index, probability_alive, expected_purchases, value};
  if (s.top.size() < top_count_) {
    s.top.push_back(c);
    std::push_heap(s.top.begin(), s.top.end(), ranks_before);
  } else if (ranks_before(c, s.top.front())) {
    std::pop_heap(s.top.begin(), s.top.end(), ranks_before);
    s.top.back() = c;
    std::push_heap(s.top.begin(), s.top.end(), ranks_before);
  }
}

base_summary base_summary_builder::finish() && {
  std::sort(summary_.top.begin(), summary_.top.end(), ranks_before);
  return std::move(summary_);
}

}  // namespace cltv::models
