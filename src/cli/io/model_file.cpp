#include "io/model_file.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <cstdio>
#include <iterator>
#include <string_view>
#include <vector>

#include "cltv/number.hpp"
#include "io/text.hpp"

namespace cltv::cli {
result<std::string> read_whole_input(const std::string& path, std::string_view what) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f)
    return error{std::string(what), fmt::format("cannot open {} file {}", what, printable(path))};
  std::string text;
  std::vector<char> block(std::size_t{1} << 16);
  std::size_t n = 0;
  while ((n = std::fread(block.data(), 1, block.size(), f)) > 0) text.append(block.data(), n);
  const bool failed = std::ferror(f) != 0;
  if (f != stdin) std::fclose(f);
  if (failed)
    return error{std::string(what), fmt::format("cannot read {} file {}", what, printable(path))};
  return text;
}

std::optional<error> read_model_file(const std::string& path, fitted_models& into) {
  const std::string name = path == "-" ? std::string("stdin") : printable(path);
  auto text = read_whole_input(path, "model");
  if (!text) return std::move(text).error();
  const auto fail = [&](std::string_view why) {
    return error{"model", fmt::format("model file {}: {}", name, why)};
  };
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(*text)).get(doc) != simdjson::SUCCESS)
    return fail("not valid JSON (expected the output of `cltv fit`)");
  std::string_view model;
  if (doc["model"].get_string().get(model) != simdjson::SUCCESS)
    return fail("no \"model\" string (expected the output of `cltv fit`)");
  simdjson::dom::object parameters;
  if (doc["parameters"].get_object().get(parameters) != simdjson::SUCCESS)
    return fail("no \"parameters\" object");
  std::optional<error> bad;
  const auto parameter = [&](const char* key) {
    double v = 0;
    if (bad) return v;
    if (parameters[key].get_double().get(v) != simdjson::SUCCESS) {
      bad = fail(fmt::format("parameter \"{}\" is missing or not a number", key));
    } else if (!(v > 0)) {
      bad = fail(fmt::format("parameter \"{}\" must be positive, got {}", key, format_shortest(v)));
    }
    return v;
  };
  const auto twice = [&] { return fail(fmt::format("a second {} model", model)); };
  const auto second_purchase_model = [&] {
    return fail("a second purchase model (bgnbd, mbgnbd or pareto-nbd)");
  };
  if (model == "bgnbd" || model == "mbgnbd") {
    if (into.bgnbd || into.pareto_nbd) return second_purchase_model();
    models::bgnbd_params p{
        parameter("r"), parameter("alpha"), parameter("a"), parameter("b"),
        model == "mbgnbd" ? models::bgnbd_variant::mbgnbd : models::bgnbd_variant::bgnbd};
    if (bad) return bad;
    into.bgnbd = p;
  } else if (model == "pareto-nbd") {
    if (into.bgnbd || into.pareto_nbd) return second_purchase_model();
    models::pareto_nbd_params p{parameter("r"), parameter("alpha"), parameter("s"),
                                parameter("beta")};
    if (bad) return bad;
    into.pareto_nbd = p;
  } else if (model == "gamma-gamma") {
    if (into.gamma_gamma) return twice();
    models::gamma_gamma_params p{parameter("p"), parameter("q"), parameter("gamma")};
    if (bad) return bad;
    into.gamma_gamma = p;
  } else if (model == "sbg") {
    if (into.sbg) return twice();
    models::sbg_params p{parameter("alpha"), parameter("beta")};
    if (bad) return bad;
    into.sbg = p;
  } else {
    return fail(fmt::format("unknown model \"{}\" (bgnbd, mbgnbd, pareto-nbd, gamma-gamma or sbg)",
                            printable(model)));
  }
  return std::nullopt;
}

}  // namespace cltv::cli
