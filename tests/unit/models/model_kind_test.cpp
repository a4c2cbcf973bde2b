// Tests of cltv/models/model_kind.hpp: the models' names and parameter order.

#include "cltv/models/model_kind.hpp"

#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

using cltv::models::model_kind;
using cltv::models::names_of;

TEST_CASE("model kinds: names, labels and parameter order", "[model_kind]") {
  for (const model_kind kind :
       {model_kind::bgnbd, model_kind::mbgnbd, model_kind::pareto_nbd, model_kind::gamma_gamma,
        model_kind::sbg, model_kind::bgbb, model_kind::ggomnbd})
    CHECK(cltv::models::model_named(names_of(kind).name) == kind);
  CHECK(names_of(model_kind::bgbb).label == "BG/BB");
  CHECK(names_of(model_kind::bgbb).parameters ==
        std::vector<std::string_view>{"alpha", "beta", "gamma", "delta"});
  CHECK(cltv::models::is_purchase_model(model_kind::bgbb));
  CHECK(cltv::models::is_discrete_time(model_kind::bgbb));
  CHECK_FALSE(cltv::models::is_discrete_time(model_kind::pareto_nbd));
  CHECK(names_of(model_kind::ggomnbd).parameters ==
        std::vector<std::string_view>{"r", "alpha", "b", "s", "beta"});
  CHECK(cltv::models::is_purchase_model(model_kind::ggomnbd));
  CHECK(names_of(model_kind::pareto_nbd).name == "pareto-nbd");
  CHECK(names_of(model_kind::pareto_nbd).key == "pareto_nbd");
  CHECK(names_of(model_kind::mbgnbd).label == "MBG/NBD");
  CHECK(names_of(model_kind::gamma_gamma).parameters ==
        std::vector<std::string_view>{"p", "q", "gamma"});
  CHECK_FALSE(cltv::models::model_named("pareto"));
  CHECK(cltv::models::is_purchase_model(model_kind::mbgnbd));
  CHECK_FALSE(cltv::models::is_purchase_model(model_kind::gamma_gamma));
}

TEST_CASE("model kinds: a purchase model by name", "[model_kind]") {
  CHECK(*cltv::models::purchase_model_named("model", "pareto-nbd") == model_kind::pareto_nbd);
  auto sbg = cltv::models::purchase_model_named("model", "sbg");
  REQUIRE_FALSE(sbg);
  CHECK(sbg.error().message ==
        "model must be bgnbd, mbgnbd, pareto-nbd, bgbb or ggomnbd, got \"sbg\"");
  CHECK(*cltv::models::purchase_model_named("model", "bgbb") == model_kind::bgbb);
  // BG/BB is a purchase model, but not among the continuous-time ones compared.
  CHECK(*cltv::models::comparable_model_named("compare", "mbgnbd") == model_kind::mbgnbd);
  CHECK(cltv::models::comparable_model_named("compare", "sbg").error().message ==
        "compare must be bgnbd, mbgnbd, pareto-nbd or ggomnbd, got \"sbg\"");
  auto bgbb = cltv::models::comparable_model_named("compare", "bgbb");
  REQUIRE_FALSE(bgbb);
  CHECK_THAT(bgbb.error().message, Catch::Contains("discrete opportunities"));
  CHECK(cltv::models::listed_names(cltv::models::any_model) ==
        "bgnbd, mbgnbd, pareto-nbd, gamma-gamma, sbg, bgbb or ggomnbd");
  CHECK(cltv::models::is_comparable_purchase_model(model_kind::ggomnbd));
  CHECK_FALSE(cltv::models::is_comparable_purchase_model(model_kind::bgbb));
  CHECK_FALSE(cltv::models::is_comparable_purchase_model(model_kind::gamma_gamma));
  auto unknown = cltv::models::purchase_model_named("--purchase-model", "pnbd\n");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().field == "--purchase-model");
  CHECK(unknown.error().message ==
        "--purchase-model must be bgnbd, mbgnbd, pareto-nbd, bgbb or ggomnbd, got \"pnbd\\n\"");
}

TEST_CASE("model kinds: parameters in order, and positive", "[model_kind]") {
  const auto bg = cltv::models::parameters_of(
      cltv::models::bgnbd_params{1, 2, 3, 4, cltv::models::bgnbd_variant::mbgnbd});
  CHECK(bg.kind == model_kind::mbgnbd);
  CHECK(bg.values == std::vector<double>{1, 2, 3, 4});
  CHECK(cltv::models::parameters_of(cltv::models::gamma_gamma_params{6, 4, 15}).values ==
        std::vector<double>{6, 4, 15});
  CHECK(cltv::models::parameters_of(cltv::models::sbg_params{0.7, 3.8}).kind == model_kind::sbg);

  CHECK(cltv::models::check_model_parameters({model_kind::sbg, {0.7, 3.8}}));
  // The values read so far (a file with "beta" missing) are checked too.
  CHECK(cltv::models::check_model_parameters({model_kind::sbg, {0.7}}));
  auto zero = cltv::models::check_model_parameters({model_kind::gamma_gamma, {6, 0, 15}});
  REQUIRE_FALSE(zero);
  CHECK(zero.error().field == "q");
  CHECK(zero.error().message == "parameter \"q\" must be positive, got 0");
  CHECK_FALSE(cltv::models::check_model_parameters({model_kind::sbg, {1, 2, 3}}));
}
