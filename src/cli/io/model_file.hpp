#pragma once
// Fitted models as `cltv fit` writes them (JSON), read back for predictions.

#include <optional>
#include <string>
#include <string_view>

#include "cltv/error.hpp"
#include "cltv/models/bgnbd.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/pareto_nbd.hpp"
#include "cltv/models/sbg.hpp"

namespace cltv::cli {

/// The models of one or more `cltv fit` files (at most one of each kind).
struct fitted_models {
  std::optional<models::bgnbd_params> bgnbd;            // BG/NBD or MBG/NBD (its variant)
  std::optional<models::pareto_nbd_params> pareto_nbd;  // or Pareto/NBD: one purchase model
  std::optional<models::gamma_gamma_params> gamma_gamma;
  std::optional<models::sbg_params> sbg;
};

/// The whole of a small JSON input (a file, or stdin for "-"); the error
/// names it as "`what` file PATH".
[[nodiscard]] result<std::string> read_whole_input(const std::string& path, std::string_view what);

/// Reads the model in `path` (JSON with "model" and "parameters", as `cltv
/// fit` writes) into `into`. Fails, naming the file, on unreadable or invalid
/// JSON, an unknown model, a missing or non-positive parameter, or a second
/// model of a kind already read.
[[nodiscard]] std::optional<error> read_model_file(const std::string& path, fitted_models& into);

}  // namespace cltv::cli
