#pragma once
// The models cltv fits and how each is named: the name a model file and the
// command line use, the key an output holds it under, a label for people, and
// its parameters in the order files and tables list them. A model file reads
// back through these names; every output spells a model the same way.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/bgbb.hpp"
#include "cltv/models/bgnbd.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/ggomnbd.hpp"
#include "cltv/models/pareto_nbd.hpp"
#include "cltv/models/sbg.hpp"

namespace cltv::models {

/// The models cltv fits.
enum class model_kind { bgnbd, mbgnbd, pareto_nbd, gamma_gamma, sbg, bgbb, ggomnbd };

/// How a model and its parameters are named.
struct model_names {
  std::string_view name;   ///< "pareto-nbd": a model file's "model", as the command line says it
  std::string_view key;    ///< "pareto_nbd": its key where an output holds several models
  std::string_view label;  ///< "Pareto/NBD": for people
  std::vector<std::string_view> parameters;  ///< "r", "alpha", "s", "beta": the canonical order
};

/// The names of `kind`.
///
/// Example: names_of(model_kind::mbgnbd).label == "MBG/NBD".
[[nodiscard]] const model_names& names_of(model_kind kind);

/// The names of the models for which `which` holds, in the order of
/// model_kind, as a list for people and messages.
///
/// Example: listed_names(is_purchase_model) == "bgnbd, mbgnbd, pareto-nbd, bgbb or ggomnbd".
[[nodiscard]] std::string listed_names(bool (*which)(model_kind));

/// The model whose names_of().name is `name` ("bgnbd", "mbgnbd", "pareto-nbd",
/// "gamma-gamma", "sbg", "bgbb", "ggomnbd"); nullopt for any other text.
[[nodiscard]] std::optional<model_kind> model_named(std::string_view name);

/// Whether `kind` is a purchase-count model (BG/NBD, MBG/NBD, Pareto/NBD,
/// BG/BB, GGompertz/NBD).
[[nodiscard]] bool is_purchase_model(model_kind kind) noexcept;

/// Whether `kind` is a purchase model in continuous time, the ones a
/// comparison ranks by their log-likelihoods (all but BG/BB).
[[nodiscard]] bool is_comparable_purchase_model(model_kind kind) noexcept;

/// Any model: listed_names(any_model) names them all.
[[nodiscard]] bool any_model(model_kind kind) noexcept;

/// Whether `kind` counts purchases at discrete opportunities (BG/BB), not in
/// continuous time: its data are (x, t_x, n), its times whole opportunities,
/// and it is not compared with the continuous-time models.
[[nodiscard]] bool is_discrete_time(model_kind kind) noexcept;

/// The purchase model named `text` (listed_names(is_purchase_model)); fails
/// for any other text: "`field` must be bgnbd, mbgnbd, …, got "…"".
[[nodiscard]] result<model_kind> purchase_model_named(std::string_view field,
                                                      std::string_view text);

/// The continuous-time purchase model named `text`
/// (listed_names(is_comparable_purchase_model): the ones a comparison ranks);
/// fails for any other text: "`field` must be bgnbd, mbgnbd, …, got "…"", and
/// for "bgbb" says why it is not among them.
[[nodiscard]] result<model_kind> comparable_model_named(std::string_view field,
                                                        std::string_view text);

/// A model's parameter values, in the order of names_of(kind).parameters.
struct model_parameters {
  model_kind kind = model_kind::bgnbd;
  std::vector<double> values;
};

/// Checks that each value is positive, as a fitted model's parameters are
/// ("parameter "r" must be positive, got -1"); the values may be the first
/// few of the model's (a file read so far), not more.
[[nodiscard]] result<model_parameters> check_model_parameters(const model_parameters& p);

[[nodiscard]] model_parameters parameters_of(const bgnbd_params& p);  ///< BG/NBD or MBG/NBD
[[nodiscard]] model_parameters parameters_of(const pareto_nbd_params& p);
[[nodiscard]] model_parameters parameters_of(const gamma_gamma_params& p);
[[nodiscard]] model_parameters parameters_of(const sbg_params& p);
[[nodiscard]] model_parameters parameters_of(const bgbb_params& p);
[[nodiscard]] model_parameters parameters_of(const ggomnbd_params& p);

}  // namespace cltv::models
