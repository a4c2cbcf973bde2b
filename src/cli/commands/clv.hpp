#pragma once
// `cltv clv SUMMARY`: fit BG/NBD and Gamma-Gamma (or take fitted models),
// then each customer's CLV.

#include <CLI/CLI.hpp>

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cltv/models/base_summary.hpp"
#include "cltv/models/clv.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/purchase_model.hpp"
#include "io/covariate_input.hpp"
#include "io/interval_flags.hpp"
#include "io/log_input.hpp"
#include "io/model_file.hpp"
#include "io/summary_input.hpp"

namespace cltv::cli {

/// What values customers, as typed: the summary (or log), the models (or
/// what to fit) and the valuation. `cltv clv` and `cltv plot clv` share it.
struct clv_valuation_options {
  std::vector<std::string> models;  // optional: fitted models instead of fitting
  std::string purchase_model;       // bgnbd (default) or mbgnbd, when fitting
  summary_source input;             // a SUMMARY or --log FILE; --time-unit is input.log.time_unit
  std::string horizon = "12";       // months
  std::string discount_rate = "0";
  std::string gross_margin = "1";
  std::string days_per_month;  // default 365.25 / 12
  bool drop_nonpositive = false;
  std::string spend_per_purchase;   // instead of Gamma-Gamma: one amount for every purchase
  bool spend_from_summary = false;  // instead of Gamma-Gamma: each customer's own mean spend
  covariate_options covariates;     // --covariates FILE: a model fitted with covariates
};

struct clv_command_options {
  clv_valuation_options valuation;
  interval_flags intervals;  // --bootstrap N: percentile intervals from refits
  bool cash_flows = false;
  std::string format = "table";
};

/// Declares the options of clv_valuation_options (SUMMARY, --log and its
/// options, --model, --purchase-model, --horizon, --discount-rate,
/// --gross-margin, --days-per-month, the spend options).
void add_clv_valuation_options(CLI::App& app, clv_valuation_options& o);

/// The valuation settings, parsed and checked.
struct clv_settings {
  models::clv_options clv;
  std::optional<double> given_unit;  // --time-unit, in days
  double unit_days = 1;              // the summary's, once known
  double days_per_month = models::days_per_month;
};

/// Everything a valuation needs, read and fitted: the customers, the models
/// and what a purchase is worth.
struct clv_valuation {
  summary_data customers;
  clv_settings settings;
  models::purchase_model model;
  std::optional<models::gamma_gamma_params> gamma_gamma;
  models::purchase_spend spend;
  bool reads_spend = true;              // monetary_value is read (not with --spend-per-purchase)
  std::vector<model_account> accounts;  // the models, read or fitted, for a report
  /// With a model fitted with covariates: each customer's own model (`model`
  /// is then the baseline); empty otherwise.
  std::vector<models::purchase_model> customer_models{};
  std::vector<std::string> covariates{};  ///< their names, for the table
};

/// The CLV valuers of a valuation: one for its model or, with covariates, one
/// per distinct customer model, so that customers with the same values share
/// the streams a valuer keeps.
class clv_valuers {
 public:
  [[nodiscard]] static result<clv_valuers> make(const clv_valuation& v);
  /// The valuer of customer i.
  [[nodiscard]] result<models::clv_valuer*> of(std::size_t i);

 private:
  clv_valuers(const clv_valuation& v, models::clv_valuer shared)
      : valuation_(&v), shared_(std::move(shared)) {}
  const clv_valuation* valuation_;
  models::clv_valuer shared_;
  std::map<std::vector<double>, models::clv_valuer> by_parameters_;
};

/// Reads the summary (or log) and the model files, fits what is not given
/// (notes on stderr, as `cltv clv` prints them) and checks every setting.
/// `threads`: --threads as typed, for reading a --log (empty: the available cores).
[[nodiscard]] result<clv_valuation> prepare_clv_valuation(const clv_valuation_options& o,
                                                          const std::string& threads = {});

/// The purchase model to fit when the --model files give none: the one
/// --purchase-model names (default bgnbd). Refuses --purchase-model beside a
/// file that gives a purchase model.
[[nodiscard]] result<models::model_kind> purchase_model_to_fit(const std::string& purchase_model,
                                                               const fitted_models& fitted);

/// Fits `kind` to the customers of `data_name` with a progress line; the
/// error names the data and the model.
[[nodiscard]] result<models::purchase_model_fit> fit_purchase_model_of(
    models::model_kind kind, std::span<const models::rfm_tuple> rows, const std::string& data_name);

/// Every customer's CLV, and the base at a glance with its `top_count` most
/// valuable customers (progress on stderr for a long run).
struct valued_customers {
  std::vector<double> clv;  ///< in the summary's order
  models::base_summary base;
};
[[nodiscard]] result<valued_customers> value_customers(clv_valuation& v,
                                                       std::size_t top_count = 10);

CLI::App* setup_clv(CLI::App& app, clv_command_options& options);
int run_clv(const clv_command_options& command);

}  // namespace cltv::cli
