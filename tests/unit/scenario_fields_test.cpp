// Tests of cltv/scenario_fields.hpp: the one table of a scenario's inputs.

#include "cltv/scenario_fields.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "cltv/scenario.hpp"

using cltv::field_kind;
using cltv::scenario_field;
using cltv::scenario_fields;
using cltv::scenario_input;
using cltv::source_group;

namespace {

const scenario_field& field(std::string_view name) {
  const scenario_field* f = cltv::find_scenario_field(name);
  if (!f) FAIL("no scenario field \"" << std::string(name) << "\"");
  return *f;
}

std::vector<std::string> names_in(source_group group) {
  std::vector<std::string> names;
  for (const scenario_field& f : scenario_fields)
    if (f.group == group) names.emplace_back(f.name);
  return names;
}

// An input giving every field: number i of the table is i + 1.
scenario_input every_field() {
  scenario_input in;
  double x = 1;
  for (const scenario_field& f : scenario_fields) {
    if (f.member)
      in.*f.member = x;
    else
      in.period = cltv::period::year;
    x += 1;
  }
  return in;
}

}  // namespace

TEST_CASE("scenario_fields lists every input once", "[scenario_fields]") {
  SECTION("21 fields: the 20 numbers of scenario_input and its period") {
    CHECK(scenario_fields.size() == 21);
  }
  SECTION("names and members are unique") {
    std::set<std::string_view> names;
    for (const scenario_field& f : scenario_fields) CHECK(names.insert(f.name).second);
    for (std::size_t i = 0; i < scenario_fields.size(); ++i)
      for (std::size_t j = i + 1; j < scenario_fields.size(); ++j)
        if (scenario_fields[i].member)
          CHECK(scenario_fields[i].member != scenario_fields[j].member);
  }
  SECTION("each member is reached: setting every field leaves none unset") {
    const scenario_input in = every_field();
    for (const scenario_field& f : scenario_fields) CHECK(cltv::is_given(in, f));
    CHECK(in.arpu == 2.0);  // row 1 (after period)
    CHECK(in.target == 20.0);
    CHECK(in.max_payback == 21.0);  // the last row
    CHECK(in.period == cltv::period::year);
  }
  SECTION("in the documented order: period, the value and lifetime sources, the rest") {
    CHECK(scenario_fields.front().name == "period");
    CHECK(scenario_fields[1].name == "arpu");
    CHECK(scenario_fields.back().name == "max_payback");
  }
  SECTION("every field has a help text") {
    for (const scenario_field& f : scenario_fields) CHECK_FALSE(f.help.empty());
  }
}

TEST_CASE("find_scenario_field looks a field up by its JSON name", "[scenario_fields]") {
  SECTION("a number field: its member and how its text reads") {
    const scenario_field& churn = field("churn");
    CHECK(churn.member == &scenario_input::churn);
    CHECK(churn.kind == field_kind::rate);
    CHECK(churn.style() == cltv::number_style::rate);
    CHECK(field("cac").style() == cltv::number_style::plain);
    CHECK(field("gross_margin").member == &scenario_input::gross_margin);
  }
  SECTION("period is a field without a number member") {
    CHECK(field("period").member == nullptr);
    CHECK(field("period").kind == field_kind::period);
  }
  SECTION("names only: no flag spellings, no other keys, no prefixes") {
    CHECK(cltv::find_scenario_field("gross-margin") == nullptr);
    CHECK(cltv::find_scenario_field("--churn") == nullptr);
    CHECK(cltv::find_scenario_field("id") == nullptr);
    CHECK(cltv::find_scenario_field("chur") == nullptr);
    CHECK(cltv::find_scenario_field("") == nullptr);
  }
}

TEST_CASE("each field's flag is its name with dashes, listed by flag_position",
          "[scenario_fields]") {
  SECTION("spellings") {
    CHECK(cltv::flag_spelling(field("arpu")) == "--arpu");
    CHECK(cltv::flag_spelling(field("purchase_frequency")) == "--purchase-frequency");
    CHECK(cltv::flag_spelling(field("cost_to_serve")) == "--cost-to-serve");
    CHECK(cltv::flag_spelling(field("period")) == "--period");
  }
  SECTION("scenario_flag_order holds the field of flag_position i at i") {
    for (std::size_t i = 0; i < cltv::scenario_flag_order.size(); ++i)
      CHECK(cltv::scenario_flag_order[i]->flag_position == i);
  }
  SECTION("the order of --help: arpu first, period 14th, max_payback last") {
    CHECK(cltv::scenario_flag_order.front()->name == "arpu");
    CHECK(cltv::scenario_flag_order[13]->name == "period");
    CHECK(cltv::scenario_flag_order.back()->name == "max_payback");
  }
}

TEST_CASE("source groups: the alternatives a scenario takes one of", "[scenario_fields]") {
  SECTION("the value group: arpu, value, or aov with purchase_frequency") {
    CHECK(names_in(source_group::value) ==
          std::vector<std::string>{"arpu", "value", "aov", "purchase_frequency"});
    CHECK(field("aov").source == field("purchase_frequency").source);
    CHECK(cltv::to_string(source_group::value) == "value per period");
  }
  SECTION("the lifetime group: lifetime, contract_length, churn, the counts, an sBG curve") {
    CHECK(names_in(source_group::lifetime) ==
          std::vector<std::string>{"lifetime", "contract_length", "churn", "customers_start",
                                   "customers_lost", "confidence", "sbg_alpha", "sbg_beta"});
    CHECK(field("customers_start").source == field("customers_lost").source);
    CHECK(field("sbg_alpha").source == field("sbg_beta").source);
    CHECK(cltv::to_string(source_group::lifetime) == "lifetime");
  }
  SECTION("confidence belongs to the counts but gives no lifetime by itself") {
    CHECK(field("confidence").source == field("customers_start").source);
    CHECK_FALSE(field("confidence").gives_source);
  }
  SECTION("every other field is in no group") {
    for (auto name : {"period", "expansion", "gross_margin", "cost_to_serve", "cac",
                      "discount_rate", "horizon", "target"}) {
      CHECK(field(name).group == source_group::none);
      CHECK(field(name).source.empty());
    }
  }
  SECTION("are_alternatives: two sources of one group") {
    CHECK(cltv::are_alternatives(field("arpu"), field("value")));
    CHECK(cltv::are_alternatives(field("arpu"), field("aov")));
    CHECK(cltv::are_alternatives(field("churn"), field("lifetime")));
    CHECK(cltv::are_alternatives(field("churn"), field("customers_start")));
    CHECK(cltv::are_alternatives(field("customers_lost"), field("sbg_beta")));
    SECTION("not the fields of one source, nor confidence, nor fields of no group") {
      CHECK_FALSE(cltv::are_alternatives(field("aov"), field("purchase_frequency")));
      CHECK_FALSE(cltv::are_alternatives(field("sbg_alpha"), field("sbg_beta")));
      CHECK_FALSE(cltv::are_alternatives(field("churn"), field("confidence")));
      CHECK_FALSE(cltv::are_alternatives(field("arpu"), field("churn")));
      CHECK_FALSE(cltv::are_alternatives(field("cac"), field("target")));
    }
  }
}

TEST_CASE("the field a mistyped key most likely meant", "[scenario_fields]") {
  CHECK(cltv::closest_field_name("chrun", {"id"}) == "churn");               // two edits
  CHECK(cltv::closest_field_name("gros_margin", {"id"}) == "gross_margin");  // one edit
  CHECK(cltv::closest_field_name("churn_rate", {"id"}) == "churn");          // the name inside
  CHECK(cltv::closest_field_name("ix", {"id"}) == "id");                     // a record's other key
  CHECK(cltv::closest_field_name("revenue", {"id"}).empty());                // nothing close
  CHECK(cltv::closest_field_name("", {"id"}).empty());
}
