// `cltv plot frequency`: customers by repeat purchases in the calibration
// period, actual against those the model expects, as grouped bars
// (lifetimes' plot_period_transactions).

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "plot/chart_text.hpp"
#include "plot/charts.hpp"
#include "plot/data_table.hpp"
#include "plot/frame.hpp"
#include "plot/vega_lite.hpp"

namespace cltv::plot {

namespace {

// "3", or "7+" for the open last bucket.
std::string bucket_label(const models::frequency_bucket& b) {
  return fmt::format("{}{}", b.repeat_purchases, b.open ? "+" : "");
}

double customers_of(const frequency_view& v) {
  double total = 0;
  for (const models::frequency_bucket& b : v.buckets) total += b.actual;
  return total;
}

// The bucket where actual and expected differ most (by customers).
const models::frequency_bucket* largest_gap(const frequency_view& v) {
  const models::frequency_bucket* worst = nullptr;
  for (const models::frequency_bucket& b : v.buckets)
    if (!worst || std::abs(b.actual - b.expected) > std::abs(worst->actual - worst->expected))
      worst = &b;
  return worst;
}

std::string repeat_text(const models::frequency_bucket& b) {
  return fmt::format("{} repeat purchase{}", bucket_label(b),
                     b.repeat_purchases == 1 && !b.open ? "" : "s");
}

std::string title(const frequency_view& v) {
  return "Frequency of repeat transactions: actual vs " + v.model_name;
}

std::string subtitle(const frequency_view& v) {
  if (v.buckets.empty()) return "No customers to show";
  const std::string customers = readable_number(customers_of(v), value_style::amount);
  const models::frequency_bucket& worst = *largest_gap(v);
  const std::string gap =
      fmt::format(" · largest gap at {}: {} actual vs {} expected", repeat_text(worst),
                  readable_number(worst.actual, value_style::amount),
                  readable_number(worst.expected, value_style::amount));
  std::string text = customers + " customers in the calibration period" + gap;
  // Shorter when the words would run past the chart's width.
  if (text_width(text, 13) > frame_spec{}.width - 32) return customers + " customers" + gap;
  return text;
}

std::string description(const frequency_view& v) {
  if (v.buckets.empty()) return "Customers by repeat purchases: no customers to show.";
  std::string text = fmt::format(
      "Customers by the number of repeat purchases they made in the calibration period, actual "
      "against those the {} model expects, out of {} customers:",
      v.model_name, readable_number(customers_of(v), value_style::amount));
  for (const models::frequency_bucket& b : v.buckets)
    text += fmt::format(" {}: {} actual, {} expected;", bucket_label(b),
                        readable_number(b.actual, value_style::amount),
                        readable_number(b.expected, value_style::amount));
  text.back() = '.';
  return text;
}

data_table buckets_table(const frequency_view& v) {
  data_table t{{"repeat_purchases", "or_more", "actual", "expected"}, {}};
  for (const models::frequency_bucket& b : v.buckets)
    t.rows.push_back({static_cast<double>(b.repeat_purchases), b.open, b.actual, b.expected});
  return t;
}

std::string json_document(const frequency_view& v) {
  double expected = 0;
  for (const models::frequency_bucket& b : v.buckets) expected += b.expected;
  return fmt::format(
      "{{\"chart\":\"frequency\",\"model\":{},\"customers\":{},\"expected_customers\":{},"
      "\"points\":{}}}\n",
      json_string(v.model_name), json_number(customers_of(v)), json_number(expected),
      json_rows(buckets_table(v)));
}

std::string vega_lite(const frequency_view& v) {
  vega_lite_spec spec(title(v) + " (" + subtitle(v) + ")", description(v));
  const std::string expected_name = "expected (" + v.model_name + ")";
  data_table long_form{{"repeat_purchases", "series", "customers"}, {}};
  for (const models::frequency_bucket& b : v.buckets) {
    long_form.rows.push_back({bucket_label(b), std::string("actual"), b.actual});
    long_form.rows.push_back({bucket_label(b), expected_name, b.expected});
  }
  spec.layer(long_form, R"({"type":"bar"})",
             R"({"x":{"field":"repeat_purchases","type":"ordinal","sort":null,)"
             R"("title":"Repeat purchases in the calibration period"},)"
             R"("xOffset":{"field":"series","sort":null},)"
             R"("y":{"field":"customers","type":"quantitative","title":"Customers"},)"
             R"("color":{"field":"series","type":"nominal","sort":null,)"
             R"("scale":{"range":["#0072B2","#D55E00"]}}})");
  return spec.finish();
}

// A bar as a subpath: "M x y h w v h h -w Z".
std::string bar_path(double x, double top, double width, double height) {
  return fmt::format("M{} {} h{} v{} h-{} Z", svg_number(x), svg_number(top), svg_number(width),
                     svg_number(height), svg_number(width));
}

}  // namespace

rendered_chart render_frequency(const frequency_view& v) {
  const std::size_t n = v.buckets.size();
  double high = 0;
  for (const models::frequency_bucket& b : v.buckets) high = std::max({high, b.actual, b.expected});
  frame_spec spec = category_frame(n, high);
  spec.title = title(v);
  spec.subtitle = subtitle(v);
  spec.x_title = "Repeat purchases in the calibration period";
  spec.y_title = "Customers";
  spec.right_margin = 40;

  rendered_chart out;
  svg_writer svg(spec.width, spec.height, spec.title, description(v));
  frame f(svg, out.labels, spec);
  if (n == 0) {
    f.empty_note("No customers to show");
    out.svg = svg.finish();
    return out;
  }

  // The legend above the plot's top right corner.
  const std::string expected_name = "Expected (" + v.model_name + ")";
  const double key_right = f.right();
  const double expected_x = key_right - text_width(expected_name, label_font) - 18;
  const double actual_x = expected_x - text_width("Actual", label_font) - 36;
  const auto key = [&](double x, const char* fill, const std::string& text) {
    svg.empty("rect", {{"x", svg_number(x)},
                       {"y", svg_number(f.top() - 16)},
                       {"width", "12"},
                       {"height", "12"},
                       {"fill", fill}});
    f.label(x + 18, f.top() - 6, text, "start", colour::ink, label_font, 0);
  };
  key(actual_x, colour::blue, "Actual");
  key(expected_x, colour::vermillion, expected_name);

  // Each bucket a slot: its two bars side by side, a small gap between.
  const double slot = (f.right() - f.left()) / static_cast<double>(n);
  const double bar = std::min(36.0, slot * 0.38);
  const bool each_labelled = n <= 60;  // else one path per series keeps it small
  std::string actual_d, expected_d;
  for (std::size_t i = 0; i < n; ++i) {
    const models::frequency_bucket& b = v.buckets[i];
    const double centre = f.left() + slot * (static_cast<double>(i) + 0.5);
    const auto one = [&](double x, double value, const char* fill, std::string& d,
                         const std::string& name) {
      const double top = f.y_at(value);
      const double height = std::max(f.bottom() - top, value > 0 ? 0.5 : 0.0);
      if (!each_labelled) {
        if (height <= 0) return;
        if (!d.empty()) d += ' ';
        d += bar_path(x, top, bar, height);
        return;
      }
      svg.empty("rect", {{"x", svg_number(x)},
                         {"y", svg_number(top)},
                         {"width", svg_number(bar)},
                         {"height", svg_number(height)},
                         {"fill", fill},
                         {"aria-label", fmt::format("{}: {} {} customers", repeat_text(b), name,
                                                    readable_number(value, value_style::amount))}});
    };
    one(centre - bar - 1, b.actual, colour::blue, actual_d, "actual");
    one(centre + 1, b.expected, colour::vermillion, expected_d, "expected");
  }
  if (!each_labelled) {
    svg.empty("path", {{"d", actual_d}, {"fill", colour::blue}, {"aria-label", "Actual"}});
    svg.empty("path",
              {{"d", expected_d}, {"fill", colour::vermillion}, {"aria-label", expected_name}});
  }

  // The category labels: every one when they fit, else every step-th and
  // always the last (the open bucket).
  double widest = 0;
  for (const models::frequency_bucket& b : v.buckets)
    widest = std::max(widest, text_width(bucket_label(b), label_font));
  const std::size_t step =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((widest + 8) / slot)));
  for (std::size_t i = 0; i < n; ++i) {
    const bool last = i + 1 == n;
    if (!last && (i % step != 0 || n - 1 - i < step)) continue;
    const double centre = f.left() + slot * (static_cast<double>(i) + 0.5);
    f.label(centre, f.bottom() + 19, bucket_label(v.buckets[i]), "middle", colour::ink, label_font,
            0);
  }
  out.svg = svg.finish();
  return out;
}

std::string frequency_chart(const frequency_view& v, chart_format format) {
  return chart_text(v, format, {buckets_table, json_document, vega_lite, render_frequency});
}

}  // namespace cltv::plot
