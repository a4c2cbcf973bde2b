// Input bytes → read_model_file (the reader of predict, clv and --sbg-model:
// a model file as `cltv fit` writes it, or as someone edits it by hand).
// Invariants:
// - an error has a one-line message that names the file;
// - a model read has only positive finite parameters (a purchase model, a
//   Gamma-Gamma spend model or an sBG curve), and each unit stated is a
//   positive finite number of days;
// - reading the same bytes again gives the same model (reading is
//   deterministic), and a second file of the same kind is refused.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "check.hpp"
#include "io/model_file.hpp"
#include "memory_file.hpp"

namespace {

bool positive_finite(double x) {
  return std::isfinite(x) && x > 0;
}

// The parameter values of everything read, in a fixed order.
std::vector<double> values_of(const cltv::cli::fitted_models& m) {
  std::vector<double> v;
  if (m.purchase)
    for (const double x : m.purchase->parameters().values) v.push_back(x);
  if (m.gamma_gamma) v.insert(v.end(), {m.gamma_gamma->p, m.gamma_gamma->q, m.gamma_gamma->gamma});
  if (m.sbg) v.insert(v.end(), {m.sbg->alpha, m.sbg->beta});
  for (const cltv::time_unit_statement& u : m.units) v.push_back(u.days);
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = cltv::fuzz::input_path();
  cltv::fuzz::write_input(std::string_view(reinterpret_cast<const char*>(data), size));

  cltv::cli::fitted_models models;
  if (auto e = cltv::cli::read_model_file(path, models)) {
    CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(e->message));
    CLTV_FUZZ_CHECK(e->message.find(path) != std::string::npos);
    return 0;
  }
  CLTV_FUZZ_CHECK(models.purchase || models.gamma_gamma || models.sbg);
  const std::vector<double> values = values_of(models);
  for (const double x : values) CLTV_FUZZ_CHECK(positive_finite(x));

  cltv::cli::fitted_models again;
  CLTV_FUZZ_CHECK(!cltv::cli::read_model_file(path, again));
  const std::vector<double> values_again = values_of(again);
  CLTV_FUZZ_CHECK(values_again.size() == values.size());
  for (std::size_t i = 0; i < values.size(); ++i) CLTV_FUZZ_CHECK(values_again[i] == values[i]);
  // The same kind twice (predict bgnbd.json bgnbd.json) is refused, in one line.
  auto second = cltv::cli::read_model_file(path, again);
  CLTV_FUZZ_CHECK(second && cltv::fuzz::is_one_line_message(second->message));
  return 0;
}
