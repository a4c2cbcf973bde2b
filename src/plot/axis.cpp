#include "plot/axis.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace cltv::plot {

namespace {

// "1234567.5" → "1,234,567.5": separators in the whole part only.
std::string with_separators(const std::string& digits) {
  const std::size_t start = digits[0] == '-' ? 1 : 0;
  std::size_t end = digits.find('.');
  if (end == std::string::npos) end = digits.size();
  std::string out = digits.substr(0, start);
  for (std::size_t i = start; i < end; ++i) {
    if (i > start && (end - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  out += digits.substr(end);
  return out;
}

// Decimals that write multiples of `step` exactly: those of the step itself
// (2.5 → 1, 0.25 → 2, 500 → 0).
int decimals_for(double step) {
  if (!(step > 0) || !std::isfinite(step)) return 0;
  for (int decimals = 0; decimals < 12; ++decimals) {
    const double scaled = step * std::pow(10.0, decimals);
    if (std::abs(scaled - std::round(scaled)) <= 1e-9 * scaled) return decimals;
  }
  return 12;
}

std::string fixed(double v, int decimals) {
  std::string text = fmt::format("{:.{}f}", v, decimals);
  // No "-0" for a value that rounds to zero.
  if (text[0] == '-' && text.find_first_not_of("0.", 1) == std::string::npos) text.erase(0, 1);
  return text;
}

// The nice step (1, 2 or 5 × 10^k) nearest to `raw` from above.
double nice_step(double raw) {
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / power;
  const double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

}  // namespace

std::string tick_label(double value, value_style style, double step) {
  // A log axis (step 0): each tick is a power of ten, or 2 or 5 times one,
  // and shows its own leading digit.
  if (step == 0) step = style == value_style::percent ? value : std::abs(value);
  switch (style) {
    case value_style::percent:
      return fixed(value * 100, decimals_for(step * 100)) + "%";
    case value_style::count:
      return with_separators(fixed(value, 0));
    case value_style::amount:
    default:
      return with_separators(fixed(value, decimals_for(step)));
  }
}

std::string readable_number(double value, value_style style) {
  if (style == value_style::percent) return readable_number(value * 100, value_style::amount) + "%";
  if (style == value_style::count) return with_separators(fixed(value, 0));
  const double size = std::abs(value);
  if (size >= 100 || size == 0) return with_separators(fixed(value, 0));
  // 3 significant digits below 100: 6.68, 0.0412.
  const int decimals = std::clamp(2 - static_cast<int>(std::floor(std::log10(size))), 0, 12);
  std::string text = fixed(value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return with_separators(text);
}

std::string periods_text(double n, cltv::period p) {
  const std::string_view unit = n == 1 ? to_string(p) : plural(p);
  return readable_number(n, value_style::amount) + " " + std::string(unit);
}

double scale::operator()(double v) const {
  double position = 0;
  if (logarithmic)
    position =
        (std::log(v) - std::log(domain_low)) / (std::log(domain_high) - std::log(domain_low));
  else
    position = (v - domain_low) / (domain_high - domain_low);
  return range_low + position * (range_high - range_low);
}

ticks linear_ticks(double low, double high, int wanted, bool whole) {
  if (!(high > low)) {
    const double pad = low == 0 ? 1 : std::abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  double step = nice_step((high - low) / std::max(wanted, 1));
  if (whole) step = std::max(step, 1.0);
  ticks t;
  t.step = step;
  t.low = std::floor(low / step + 1e-9) * step;
  t.high = std::ceil(high / step - 1e-9) * step;
  const auto count = static_cast<int>(std::llround((t.high - t.low) / step));
  for (int i = 0; i <= count; ++i) t.values.push_back(t.low + i * step);
  return t;
}

ticks log_ticks(double low, double high) {
  ticks t;
  t.step = 0;
  const int first = static_cast<int>(std::floor(std::log10(low) + 1e-9));
  const int last = static_cast<int>(std::ceil(std::log10(high) - 1e-9));
  t.low = std::pow(10.0, first);
  t.high = std::pow(10.0, std::max(last, first + 1));
  const bool only_powers = last - first > 3;
  for (int k = first; k <= std::max(last, first + 1); ++k) {
    const double power = std::pow(10.0, k);
    for (const double m : {1.0, 2.0, 5.0}) {
      if (only_powers && m != 1) continue;
      const double v = m * power;
      if (v >= t.low * (1 - 1e-12) && v <= t.high * (1 + 1e-12)) t.values.push_back(v);
    }
  }
  return t;
}

bool spans_decades(double low, double high) {
  return low > 0 && high / low >= 100;
}

}  // namespace cltv::plot
