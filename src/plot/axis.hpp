#pragma once
// Axes: a scale maps data values to pixels (linear, or logarithmic where a
// range spans decades), ticks fall on nice numbers (1, 2 or 5 × 10^k), and
// tick labels are written for people: thousands separators, a percent sign
// for shares, whole periods for time.

#include <string>
#include <vector>

#include "cltv/period.hpp"

namespace cltv::plot {

/// How an axis writes its values.
enum class value_style {
  amount,   ///< 1,250 · 12.5 · 0.25 (thousands separators, shortest decimals)
  percent,  ///< a share: 0.25 → 25%
  count,    ///< whole numbers: 12
};

/// A value written in `style` with the decimals `step` (the tick spacing)
/// needs to tell neighbouring ticks apart: label(1250, amount, 250) = "1,250",
/// label(0.125, percent, 0.025) = "12.5%". A log axis passes step 0: each
/// value gets the decimals of its own leading digit (0.001 → "0.1%").
[[nodiscard]] std::string tick_label(double value, value_style style, double step);

/// A value for a sentence, 3 significant digits and thousands separators
/// (1,250 · 6.68 · 0.0412); percent: 4.1%.
[[nodiscard]] std::string readable_number(double value, value_style style);

/// A number of periods for a sentence: "6.73 months", "1 year".
[[nodiscard]] std::string periods_text(double n, cltv::period p);

/// Maps [domain_low, domain_high] onto [range_low, range_high] (pixels; for a
/// y axis range_low is the bottom, the larger pixel value).
struct scale {
  double domain_low = 0, domain_high = 1;
  double range_low = 0, range_high = 1;
  bool logarithmic = false;  ///< then both domain ends are > 0

  [[nodiscard]] double operator()(double v) const;
};

/// Ticks of an axis and the domain they span.
struct ticks {
  double low = 0, high = 1;    ///< the domain, widened to whole ticks
  std::vector<double> values;  ///< ascending, inside [low, high]
  double step = 1;             ///< linear: the spacing; log: 0
};

/// About `wanted` ticks at 1, 2 or 5 × 10^k covering [low, high] (low < high
/// after widening a zero-width range). `whole`: steps of at least 1.
[[nodiscard]] ticks linear_ticks(double low, double high, int wanted, bool whole = false);

/// Ticks at 1, 2 and 5 × 10^k (only the powers of ten when the range spans
/// more than three decades) covering [low, high], 0 < low < high.
[[nodiscard]] ticks log_ticks(double low, double high);

/// Whether values in [low, high] (low > 0) span enough decades (a ratio of
/// 100 or more) that a log scale shows them better.
[[nodiscard]] bool spans_decades(double low, double high);

}  // namespace cltv::plot
