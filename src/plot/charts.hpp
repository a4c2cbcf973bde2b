#pragma once
// The charts of `cltv plot`, each from the library's chart data, in every
// format: SVG, the plotted numbers as CSV or JSON, and a Vega-Lite v5 spec
// with its data inline.

#include <string>
#include <string_view>

#include "cltv/date.hpp"
#include "cltv/error.hpp"
#include "cltv/grid.hpp"
#include "cltv/metrics.hpp"
#include "cltv/models/backtest.hpp"
#include "cltv/models/frequency_histogram.hpp"
#include "cltv/models/history_matrix.hpp"
#include "cltv/models/tracking.hpp"
#include "cltv/payback_curve.hpp"
#include "cltv/segments.hpp"
#include "cltv/survival_curve.hpp"
#include "cltv/value_distribution.hpp"
#include "plot/text_box.hpp"

namespace cltv::plot {

enum class chart_format { svg, csv, json, vega_lite };

/// "svg", "csv", "json", "vega-lite"; anything else is an error (field "format").
[[nodiscard]] result<chart_format> parse_chart_format(std::string_view name);

/// An SVG chart and the boxes of the labels it placed (for overlap tests).
struct rendered_chart {
  std::string svg;
  text_boxes labels;
};

/// The payback chart: the cumulative expected margin per acquired customer by
/// period, the CAC and target × CAC lines, the expected payback (where the
/// curve crosses the CAC) and calc's simple payback (CAC / margin), marked
/// with different shapes.
[[nodiscard]] rendered_chart render_payback(const payback_curve& curve);
[[nodiscard]] std::string payback_chart(const payback_curve& curve, chart_format format);

/// The survival chart: S(t) and the retention rate r(t) of the model, and the
/// observed shares as markers when there are counts.
[[nodiscard]] rendered_chart render_survival(const survival_curve& curve);
[[nodiscard]] std::string survival_chart(const survival_curve& curve, chart_format format);

/// The grid heatmap: one metric over one or two varied inputs (cltv::grid),
/// cells that fail a rule hatched, and the boundary between passing and
/// failing cells drawn.
[[nodiscard]] rendered_chart render_grid(const grid& g);
[[nodiscard]] std::string grid_chart(const grid& g, chart_format format);

/// The segments chart: each segment's LTV and the blend's as bars, each with
/// its target × CAC line; bars below it hatched and marked ✗.
[[nodiscard]] rendered_chart render_segments(const segmented_result& r);
[[nodiscard]] std::string segments_chart(const segmented_result& r, chart_format format);

// The charts of a customer base and a fitted model (`cltv plot tracking`,
// frequency, holdout, matrix, cohorts, clv). Each takes a small view: the
// library's numbers and the words the chart needs (the model's name, the unit).
// A chart of a million customers stays small: every view is already binned.

/// Tracking: the repeat purchases of the whole base per period, actual and
/// expected, across calibration and holdout with the split marked
/// (lifetimes' plot_cumulative_transactions / plot_incremental_transactions).
struct tracking_view {
  std::string model_name;  ///< "BG/NBD"
  period_unit unit = period_unit::week;
  std::vector<day_number> starts;                ///< the first day of each period
  std::vector<models::tracking_period> periods;  ///< as long as starts
  std::size_t calibration_periods = 0;           ///< periods 0 … this − 1 are calibration
  day_number calibration_end = 0, observation_end = 0;
  bool incremental = false;  ///< per period instead of cumulative
};
[[nodiscard]] rendered_chart render_tracking(const tracking_view& v);
[[nodiscard]] std::string tracking_chart(const tracking_view& v, chart_format format);

/// Frequency: customers by repeat purchases in the calibration period,
/// actual against expected, the last bucket open (7+).
struct frequency_view {
  std::string model_name;
  std::vector<models::frequency_bucket> buckets;
};
[[nodiscard]] rendered_chart render_frequency(const frequency_view& v);
[[nodiscard]] std::string frequency_chart(const frequency_view& v, chart_format format);

/// Holdout: mean holdout purchases by calibration frequency, actual against
/// predicted (the table of `cltv backtest`).
struct holdout_view {
  std::string model_name;
  /// The holdout's dates; nullopt for a summary that does not state them
  /// (then `duration`, in `time_unit`, says how long it was).
  std::optional<day_number> calibration_end, observation_end;
  double duration = 0;
  std::string time_unit;
  std::vector<models::frequency_group> groups;
};
[[nodiscard]] rendered_chart render_holdout(const holdout_view& v);
[[nodiscard]] std::string holdout_chart(const holdout_view& v, chart_format format);

/// Matrix: P(alive) or expected purchases over frequency × recency as a
/// heatmap with a colour legend (lifetimes' plot_probability_alive_matrix,
/// plot_frequency_recency_matrix). Cells that no customer can have (NaN) are
/// left blank.
enum class matrix_metric { p_alive, expected_purchases };
struct matrix_view {
  std::string model_name;
  std::string time_unit;  ///< of recency, T and the horizon: "weeks"
  models::history_matrix matrix;
  matrix_metric metric = matrix_metric::p_alive;
};
[[nodiscard]] rendered_chart render_matrix(const matrix_view& v);
[[nodiscard]] std::string matrix_chart(const matrix_view& v, chart_format format);

/// Cohorts: the share of each acquisition cohort purchasing k periods after
/// acquisition as a heatmap, or the cumulative revenue per customer of each
/// cohort by periods since acquisition as lines.
enum class cohort_metric { retention, revenue };
struct cohort_view {
  period unit = period::month;
  std::vector<cohort_row> cohorts;  ///< revenue filled for cohort_metric::revenue
  cohort_metric metric = cohort_metric::retention;
};
[[nodiscard]] rendered_chart render_cohorts(const cohort_view& v);
[[nodiscard]] std::string cohorts_chart(const cohort_view& v, chart_format format);

/// Value: how CLV (or any per-customer value) is spread: the share of each
/// decile, or the Lorenz curve with its Gini coefficient.
enum class value_metric { deciles, lorenz };
struct value_view {
  std::string what = "CLV";  ///< the value's name, for titles
  std::string subtitle;      ///< what it was computed with: "12 months, BG/NBD × Gamma-Gamma"
  value_distribution distribution;
  value_metric metric = value_metric::deciles;
};
[[nodiscard]] rendered_chart render_value(const value_view& v);
[[nodiscard]] std::string value_chart(const value_view& v, chart_format format);

}  // namespace cltv::plot
