// The output formats: JSON/NDJSON that parses and round-trips every number
// exactly, with keys in the documented order; CSV; error records; tables.

#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cltv/ltv.hpp"
#include "cltv/scenario.hpp"
#include "io/outcome_writers.hpp"
#include "io/output.hpp"
#include "io/writers.hpp"

namespace {

using cltv::cli::command;
using cltv::cli::outcome;
using cltv::cli::output_format;
using cltv::cli::writer_options;
using ordered = nlohmann::ordered_json;

// A resolved and evaluated scenario.
struct evaluated {
  cltv::scenario s;
  cltv::ltv_result r;
};

evaluated evaluate(const cltv::scenario_input& in) {
  auto s = cltv::resolve(in);
  INFO((s ? std::string() : s.error().message));
  REQUIRE(s);
  auto r = cltv::evaluate(*s);
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r);
  return {*s, *r};
}

// arpu 50, churn 4 %, cac 300: margin 50, lifetime 1 / 0.04 = 25, LTV 50 × 25 = 1250,
// net 1250 − 300 = 950, ratio 1250 / 300 = 4.1666…, payback 300 / 50 = 6.
cltv::scenario_input basic() {
  cltv::scenario_input in;
  in.arpu = 50;
  in.churn = 0.04;
  in.cac = 300;
  return in;
}

outcome result_outcome(const evaluated& e, std::size_t index = 0, std::size_t line = 0) {
  outcome o;
  o.from = {index, line, false};
  o.value = cltv::calculation{e.s, e.r, {}, {}, {}};
  return o;
}

outcome error_outcome(const cltv::error& err, std::size_t index, std::size_t line,
                      bool from_array = false) {
  outcome o;
  o.from = {index, line, from_array};
  o.value = err;
  return o;
}

// Everything a writer produces for `outcomes`, through a real file descriptor.
std::string render(const writer_options& options, const std::vector<outcome>& outcomes) {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  {
    cltv::cli::output out(::dup(::fileno(file)));
    auto writer = cltv::cli::make_writer(options, out);
    for (const auto& o : outcomes) writer->write(o);
    writer->finish();
    out.finish();
    REQUIRE_FALSE(out.failure());
  }
  std::rewind(file);
  std::string text;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, file)) > 0;) text.append(buf, n);
  std::fclose(file);
  return text;
}

std::string render_one(output_format format, const outcome& o, command cmd = command::calc) {
  return render(writer_options{format, cmd, false, false, false}, {o});
}

std::vector<std::string> keys_of(const ordered& j) {
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  return keys;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Splits one CSV row that has no quoted fields.
std::vector<std::string> cells_of(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  for (const char c : row) {
    if (c == ',') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(cell);
  return cells;
}

double to_double(const std::string& text) {
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  REQUIRE(end == text.c_str() + text.size());
  return x;
}

const std::string csv_header =
    "record,line,id,period,value_per_period,margin_per_period,lifetime,ltv,cac,net_value,"
    "ltv_cac_ratio,target,meets_target,cac_payback,error,segment";

}  // namespace

TEST_CASE("JSON results: keys in the documented order") {
  SECTION("a scenario with a CAC") {
    const auto e = evaluate(basic());
    const auto j = ordered::parse(render_one(output_format::json, result_outcome(e)));
    CHECK(keys_of(j) == std::vector<std::string>{"period", "lifetime", "margin_per_period", "ltv",
                                                 "net_value", "ltv_cac_ratio", "target",
                                                 "meets_target", "cac_payback", "expected_payback",
                                                 "inputs"});
    CHECK(keys_of(j["inputs"]) == std::vector<std::string>{"period", "arpu", "churn",
                                                           "gross_margin", "cost_to_serve", "cac",
                                                           "discount_rate", "target"});
  }
  SECTION("the values of the basic scenario") {
    const auto e = evaluate(basic());
    const auto j = ordered::parse(render_one(output_format::json, result_outcome(e)));
    CHECK(j["period"] == "month");
    CHECK(j["lifetime"].get<double>() == 25.0);           // 1 / 0.04
    CHECK(j["margin_per_period"].get<double>() == 50.0);  // 50 × 1 − 0
    CHECK(j["ltv"].get<double>() == 1250.0);              // 50 × 25
    CHECK(j["net_value"].get<double>() == 950.0);         // 1250 − 300
    CHECK(j["ltv_cac_ratio"].get<double>() == 1250.0 / 300.0);
    CHECK(j["target"].get<double>() == 3.0);
    CHECK(j["meets_target"] == true);              // 4.17 ≥ 3
    CHECK(j["cac_payback"].get<double>() == 6.0);  // 300 / 50
    // 50 × 0.96^t a month: 1250 (1 − 0.96^6) = 271.55 after 6 months, + 39.14
    // in the 7th: 6 + 28.45 / 39.14 = 6.7268 months.
    CHECK_THAT(j["expected_payback"].get<double>(), Catch::Matchers::WithinAbs(6.7268, 1e-4));
    CHECK(j["inputs"]["churn"].get<double>() == 0.04);
    CHECK(j["inputs"]["gross_margin"].get<double>() == 1.0);
  }
  SECTION("the id comes first") {
    const auto e = evaluate(basic());
    auto o = result_outcome(e);
    o.id_json = R"("plan-a")";
    const auto j = ordered::parse(render_one(output_format::ndjson, o));
    CHECK(keys_of(j).front() == "id");
    CHECK(j["id"] == "plan-a");
    o.id_json = "42";
    CHECK(ordered::parse(render_one(output_format::ndjson, o))["id"] == 42);
  }
  SECTION("orders, a fixed lifetime and a horizon in the inputs") {
    cltv::scenario_input in;
    in.aov = 80;
    in.purchase_frequency = 0.5;
    in.lifetime = 36;
    in.horizon = 24;
    in.cac = 150;
    const auto e = evaluate(in);
    const auto j = ordered::parse(render_one(output_format::json, result_outcome(e)));
    CHECK(keys_of(j["inputs"]) == std::vector<std::string>{"period", "aov", "purchase_frequency",
                                                           "lifetime", "gross_margin",
                                                           "cost_to_serve", "cac", "discount_rate",
                                                           "horizon", "target"});
    CHECK(j["lifetime"].get<double>() == 36.0);
    CHECK(j["ltv"].get<double>() == 960.0);  // 40 × min(36, 24)
  }
  SECTION("no CAC: no net value, ratio, verdict or payback") {
    auto in = basic();
    in.cac.reset();
    const auto e = evaluate(in);
    const auto j = ordered::parse(render_one(output_format::json, result_outcome(e)));
    CHECK(keys_of(j) == std::vector<std::string>{"period", "lifetime", "margin_per_period", "ltv",
                                                 "target", "inputs"});
    CHECK_FALSE(j["inputs"].contains("cac"));
  }
  SECTION("CAC 0: a net value and a payback, but no ratio or verdict") {
    auto in = basic();
    in.cac = 0;
    const auto e = evaluate(in);
    const auto j = ordered::parse(render_one(output_format::json, result_outcome(e)));
    CHECK(keys_of(j) == std::vector<std::string>{"period", "lifetime", "margin_per_period", "ltv",
                                                 "net_value", "target", "cac_payback",
                                                 "expected_payback", "inputs"});
    CHECK(j["net_value"].get<double>() == 1250.0);
  }
  SECTION("churn 0 with a horizon: lifetime absent, with a note") {
    cltv::scenario_input in;
    in.arpu = 10;
    in.churn = 0;
    in.horizon = 24;
    in.cac = 60;
    const auto e = evaluate(in);
    const auto j = ordered::parse(render_one(output_format::json, result_outcome(e)));
    CHECK_FALSE(j.contains("lifetime"));
    CHECK(j["ltv"].get<double>() == 240.0);  // 10 × 24
    REQUIRE(j["notes"].is_array());
    CHECK(j["notes"].size() == 1);
    CHECK(keys_of(j).back() == "inputs");
  }
  SECTION("a negative margin: no payback, a note, the negative LTV reported") {
    cltv::scenario_input in;
    in.arpu = 10;
    in.cost_to_serve = 12;
    in.churn = 0.05;
    in.cac = 100;
    const auto e = evaluate(in);
    const auto j = ordered::parse(render_one(output_format::json, result_outcome(e)));
    CHECK(j["margin_per_period"].get<double>() == -2.0);  // 10 − 12
    CHECK(j["ltv"].get<double>() == -40.0);               // −2 × 20
    CHECK(j["meets_target"] == false);
    CHECK_FALSE(j.contains("cac_payback"));
    REQUIRE(j["notes"].is_array());
    CHECK(j["notes"][0].get<std::string>().find("cac_payback") != std::string::npos);
  }
  SECTION("the period is echoed") {
    auto in = basic();
    in.period = cltv::period::year;
    const auto e = evaluate(in);
    const auto j = ordered::parse(render_one(output_format::json, result_outcome(e)));
    CHECK(j["period"] == "year");
    CHECK(j["inputs"]["period"] == "year");
  }
}

TEST_CASE("JSON numbers round-trip exactly") {
  std::vector<cltv::scenario_input> inputs;
  auto add = [&](auto setup) {
    cltv::scenario_input in;
    setup(in);
    inputs.push_back(in);
  };
  add([](auto& in) {
    in.arpu = 99;
    in.gross_margin = 0.85;
    in.churn = 0.03;
    in.cac = 900;
  });
  add([](auto& in) {
    in.arpu = 1200;
    in.gross_margin = 0.8;
    in.churn = 0.2;
    in.discount_rate = 0.08;
    in.cac = 900;
  });
  add([](auto& in) {
    in.value = 15;
    in.churn = 0.02;
    in.horizon = 36;
    in.cac = 120;
  });
  add([](auto& in) {
    in.aov = 0.1;
    in.purchase_frequency = 3;
    in.lifetime = 7.3;
    in.discount_rate = 0.013;
    in.cost_to_serve = 0.01;
    in.cac = 0.07;
  });
  add([](auto& in) {
    in.arpu = 1e-7;
    in.churn = 0.5;
    in.cac = 3e-9;
  });
  add([](auto& in) {
    in.arpu = 1e200;
    in.lifetime = 1e10;
    in.cac = 1e-50;
  });
  add([](auto& in) {
    in.arpu = 999999999999999;
    in.lifetime = 1;
    in.cac = 1;
  });  // below 1e15
  add([](auto& in) {
    in.arpu = 1e15;
    in.lifetime = 1;
    in.cac = 3;
  });  // from 1e15 up
  add([](auto& in) {
    in.arpu = 123456789012345678.0;
    in.lifetime = 2.5;
    in.cac = 7;
  });
  add([](auto& in) {
    in.arpu = 5e-324;
    in.lifetime = 1;
    in.cac = 1e-320;
  });  // subnormals
  add([](auto& in) {
    in.arpu = 90;
    in.gross_margin = 0.7;
    in.churn = 0.1;
    in.cac = 210;
  });
  add([](auto& in) {
    in.arpu = 10;
    in.cost_to_serve = 12.5;
    in.churn = 0.07;
    in.cac = 100;
  });

  for (const auto& in : inputs) {
    const auto e = evaluate(in);
    const std::string text = render_one(output_format::ndjson, result_outcome(e));
    INFO(text);
    CHECK(text.find("inf") == std::string::npos);
    CHECK(text.find("nan") == std::string::npos);
    const auto j = ordered::parse(text);
    const auto& r = e.r;
    CHECK(j["margin_per_period"].get<double>() == r.margin_per_period);
    CHECK(j["ltv"].get<double>() == r.ltv);
    CHECK(j["target"].get<double>() == r.target);
    if (r.lifetime) CHECK(j["lifetime"].get<double>() == *r.lifetime);
    if (r.net_value) CHECK(j["net_value"].get<double>() == *r.net_value);
    if (r.ltv_cac_ratio) CHECK(j["ltv_cac_ratio"].get<double>() == *r.ltv_cac_ratio);
    if (r.cac_payback) CHECK(j["cac_payback"].get<double>() == *r.cac_payback);
    if (r.meets_target) CHECK(j["meets_target"].get<bool>() == *r.meets_target);
    const auto& i = j["inputs"];
    if (e.s.value_from == cltv::value_basis::arpu) {
      CHECK(i["arpu"].get<double>() == e.s.value);
    } else {
      CHECK(i["aov"].get<double>() == e.s.aov);
      CHECK(i["purchase_frequency"].get<double>() == e.s.purchase_frequency);
    }
    if (e.s.lifetime_from == cltv::lifetime_basis::fixed)
      CHECK(i["lifetime"].get<double>() == e.s.lifetime);
    else
      CHECK(i["churn"].get<double>() == e.s.churn);
    CHECK(i["gross_margin"].get<double>() == e.s.gross_margin);
    CHECK(i["cost_to_serve"].get<double>() == e.s.cost_to_serve);
    CHECK(i["discount_rate"].get<double>() == e.s.discount_rate);
    CHECK(i["cac"].get<double>() == *e.s.cac);
  }
}

TEST_CASE("JSON and NDJSON framing") {
  const auto a = evaluate(basic());
  auto in = basic();
  in.cac = 500;
  const auto b = evaluate(in);
  const cltv::error bad{"churn", "churn must be in [0, 1], got 1.5"};

  SECTION("one scenario: one object and a newline") {
    const std::string text = render_one(output_format::json, result_outcome(a));
    CHECK(text.front() == '{');
    CHECK(text.substr(text.size() - 2) == "}\n");
    CHECK(ordered::parse(text).is_object());
  }
  SECTION("json on a batch is one array, in input order, errors in place") {
    const std::string text =
        render(writer_options{output_format::json, command::calc, true, false, false},
               {result_outcome(a, 0, 1), error_outcome(bad, 1, 2), result_outcome(b, 2, 3)});
    const auto j = ordered::parse(text);
    REQUIRE(j.is_array());
    REQUIRE(j.size() == 3);
    CHECK(j[0]["cac_payback"].get<double>() == 6.0);
    CHECK(j[1]["error"] == bad.message);
    CHECK(j[2]["inputs"]["cac"].get<double>() == 500.0);
    CHECK(text.back() == '\n');
  }
  SECTION("json on an empty batch is an empty array") {
    const std::string text =
        render(writer_options{output_format::json, command::calc, true, false, false}, {});
    CHECK(text == "[]\n");
  }
  SECTION("ndjson: one line per record, each a JSON object") {
    const std::string text =
        render(writer_options{output_format::ndjson, command::calc, true, false, false},
               {result_outcome(a, 0, 1), error_outcome(bad, 1, 2), result_outcome(b, 2, 3)});
    const auto lines = lines_of(text);
    REQUIRE(lines.size() == 3);
    for (const auto& line : lines) CHECK(ordered::parse(line).is_object());
    CHECK(ordered::parse(lines[1])["line"] == 2);
  }
}

TEST_CASE("Error records") {
  SECTION("from NDJSON: line, field, error") {
    const cltv::error err{"churn", "churn must be in [0, 1], got 1.5"};
    const auto j = ordered::parse(render_one(output_format::ndjson, error_outcome(err, 6, 7)));
    CHECK(keys_of(j) == std::vector<std::string>{"line", "field", "error"});
    CHECK(j["line"] == 7);
    CHECK(j["field"] == "churn");
    CHECK(j["error"] == "churn must be in [0, 1], got 1.5");
  }
  SECTION("from an array: index (0-based) and line") {
    const cltv::error err{"cac", "cac must be >= 0, got -1"};
    const auto j =
        ordered::parse(render_one(output_format::ndjson, error_outcome(err, 1, 3, true)));
    CHECK(keys_of(j) == std::vector<std::string>{"index", "line", "field", "error"});
    CHECK(j["index"] == 1);
    CHECK(j["line"] == 3);
  }
  SECTION("the record's id comes first") {
    const cltv::error err{"churn", "churn must be in [0, 1], got 1.5"};
    auto o = error_outcome(err, 0, 1);
    o.id_json = R"("plan-b")";
    const auto j = ordered::parse(render_one(output_format::ndjson, o));
    CHECK(keys_of(j) == std::vector<std::string>{"id", "line", "field", "error"});
    CHECK(j["id"] == "plan-b");
  }
  SECTION("an error about no single field has no field key") {
    const cltv::error err{"", "invalid JSON: a string is not closed"};
    const auto j = ordered::parse(render_one(output_format::ndjson, error_outcome(err, 0, 4)));
    CHECK(keys_of(j) == std::vector<std::string>{"line", "error"});
  }
  SECTION("messages are escaped; invalid UTF-8 becomes U+FFFD") {
    const cltv::error err{"id\"x",
                          "quote \" backslash \\ newline \n tab \t ctl \x01 bad \xff ok é"};
    const std::string text = render_one(output_format::ndjson, error_outcome(err, 0, 1));
    CHECK(lines_of(text).size() == 1);  // the newline is escaped
    const auto j = ordered::parse(text);
    CHECK(j["field"] == "id\"x");
    CHECK(j["error"] ==
          "quote \" backslash \\ newline \n tab \t ctl \x01 bad \xEF\xBF\xBD ok \xC3\xA9");
  }
}

TEST_CASE("CSV") {
  SECTION("the header") {
    const std::string text =
        render(writer_options{output_format::csv, command::calc, true, false, false}, {});
    CHECK(text == csv_header + "\n");
  }
  SECTION("a result row: record, line, id, then exact numbers") {
    auto in = basic();
    in.gross_margin = 0.85;  // margin 42.5, LTV 1062.5, ratio 3.5416…, payback 7.0588…
    const auto e = evaluate(in);
    auto o = result_outcome(e, 4, 9);
    o.id_json = R"("basic")";
    const auto lines = lines_of(
        render(writer_options{output_format::csv, command::calc, true, false, false}, {o}));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == csv_header);
    const auto c = cells_of(lines[1]);
    REQUIRE(c.size() == 16);
    CHECK(c[0] == "5");  // record numbers are 1-based
    CHECK(c[1] == "9");
    CHECK(c[2] == "basic");
    CHECK(c[3] == "month");
    CHECK(to_double(c[4]) == e.s.value);
    CHECK(to_double(c[5]) == e.r.margin_per_period);
    CHECK(to_double(c[6]) == *e.r.lifetime);
    CHECK(to_double(c[7]) == e.r.ltv);
    CHECK(to_double(c[8]) == *e.s.cac);
    CHECK(to_double(c[9]) == *e.r.net_value);
    CHECK(to_double(c[10]) == *e.r.ltv_cac_ratio);
    CHECK(to_double(c[11]) == e.r.target);
    CHECK(c[12] == "true");
    CHECK(to_double(c[13]) == *e.r.cac_payback);
    CHECK(c[14].empty());
    CHECK(c[15].empty());  // a plain scenario: no segment
  }
  SECTION("from flags: no line number; no CAC: empty cells") {
    auto in = basic();
    in.cac.reset();
    const auto e = evaluate(in);
    const auto lines = lines_of(render_one(output_format::csv, result_outcome(e)));
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] == "1,,,month,50,50,25,1250,,,,3,,,,");
  }
  SECTION("a failing verdict") {
    auto in = basic();
    in.cac = 500;
    const auto e = evaluate(in);
    const auto c = cells_of(lines_of(render_one(output_format::csv, result_outcome(e)))[1]);
    CHECK(c[12] == "false");
  }
  SECTION("an error row: empty result cells, the message quoted when it needs it") {
    const cltv::error err{"churn", "churn must be in [0, 1], got 1.5"};
    auto o = error_outcome(err, 1, 2);
    o.id_json = R"("bad")";
    const auto lines = lines_of(
        render(writer_options{output_format::csv, command::calc, true, false, false}, {o}));
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] == R"(2,2,bad,,,,,,,,,,,,"churn must be in [0, 1], got 1.5",)");
  }
  SECTION("quotes are doubled") {
    const cltv::error err{"churm", R"(unknown field "churm" (did you mean "churn"?))"};
    const auto lines = lines_of(render_one(output_format::csv, error_outcome(err, 0, 1)));
    CHECK(lines[1] == R"x(1,1,,,,,,,,,,,,,"unknown field ""churm"" (did you mean ""churn""?)",)x");
  }
  SECTION("an error without commas or quotes is not quoted") {
    const cltv::error err{"cac", "check needs cac (customer acquisition cost)"};
    const auto lines = lines_of(render_one(output_format::csv, error_outcome(err, 0, 1)));
    CHECK(lines[1] == "1,1,,,,,,,,,,,,,check needs cac (customer acquisition cost),");
  }
  SECTION("an id with a comma is quoted; a numeric id is bare") {
    const auto e = evaluate(basic());
    auto o = result_outcome(e, 0, 1);
    o.id_json = R"("a,b")";
    CHECK(lines_of(render_one(output_format::csv, o))[1].rfind(R"(1,1,"a,b",month,)", 0) == 0);
    o.id_json = "17";
    CHECK(lines_of(render_one(output_format::csv, o))[1].rfind("1,1,17,month,", 0) == 0);
  }
}

TEST_CASE("Colour only in tables") {
  const auto e = evaluate(basic());
  const auto o = result_outcome(e);
  SECTION("a coloured table verdict") {
    const std::string text =
        render(writer_options{output_format::table, command::check, false, false, true}, {o});
    CHECK(text.find("\x1b[32m") != std::string::npos);
  }
  SECTION("machine formats are never coloured") {
    for (auto format : {output_format::json, output_format::ndjson, output_format::csv}) {
      const std::string text =
          render(writer_options{format, command::check, false, false, true}, {o});
      CHECK(text.find('\x1b') == std::string::npos);
    }
  }
  SECTION("no colour when it is off") {
    const std::string text =
        render(writer_options{output_format::table, command::check, false, false, false}, {o});
    CHECK(text.find('\x1b') == std::string::npos);
  }
}

TEST_CASE("Words for people") {
  SECTION("check's verdict line, pass") {
    const auto e = evaluate(basic());
    CHECK(cltv::cli::verdict_line(e.s, e.r) ==
          "PASS: LTV 1,250.00 is 4.17× CAC 300.00 (target 3×)");
  }
  SECTION("check's verdict line, fail: what would make it pass") {
    auto in = basic();
    in.cac = 500;
    const auto e = evaluate(in);
    // 3 × 500 = 1500; 1250 / 3 = 416.666… rounded down, so that CAC 416.66
    // passes (416.67 would give 2.99998×)
    CHECK(cltv::cli::verdict_line(e.s, e.r) ==
          "FAIL: LTV 1,250.00 is 2.50× CAC 500.00, below the 3× target: LTV must reach "
          "1,500.00, or CAC fall to 416.66");
  }
  SECTION("a ratio just under the target is never rounded up to it") {
    cltv::scenario_input in;
    in.arpu = 2.9996;
    in.lifetime = 1;
    in.cac = 1;
    const auto e = evaluate(in);
    REQUIRE_FALSE(*e.r.meets_target);
    const std::string line = cltv::cli::verdict_line(e.s, e.r);
    INFO(line);
    CHECK(line.find("3.00×") == std::string::npos);
    CHECK(line.find("2.9996×") != std::string::npos);
  }
  SECTION("an exact 3× computed as 2.9999999999999996 passes") {
    cltv::scenario_input in;
    in.arpu = 90;
    in.gross_margin = 0.7;  // 90 × 0.7 = 62.99999999999999
    in.churn = 0.1;
    in.cac = 210;
    const auto e = evaluate(in);
    CHECK(*e.r.ltv_cac_ratio < 3.0);
    CHECK(cltv::cli::verdict_line(e.s, e.r).rfind("PASS: ", 0) == 0);
  }
  SECTION("explain substitutes the numbers") {
    auto in = basic();
    in.gross_margin = 0.8;
    const auto e = evaluate(in);
    const std::string text = cltv::cli::explain(e.s, e.r);
    INFO(text);
    // 50 × 80% = 40; 40 × 25 = 1000
    CHECK(text.find("50.00 × 80% − 0.00 = 40.00") != std::string::npos);
    CHECK(text.find("40.00 × 25 months = 1,000.00") != std::string::npos);
    CHECK(text.find("1,000.00 / 300.00 = 3.33×") != std::string::npos);
  }
  SECTION("a single table names the period and groups thousands") {
    auto in = basic();
    in.period = cltv::period::year;
    in.arpu = 5000;
    const auto e = evaluate(in);
    const std::string text = render_one(output_format::table, result_outcome(e));
    INFO(text);
    CHECK(text.find("per year") != std::string::npos);
    CHECK(text.find("125,000.00") != std::string::npos);  // 5000 × 25
    CHECK(text.find("meets the 3× target") != std::string::npos);
  }
  SECTION("a batch table has a row saying a record failed") {
    const auto e = evaluate(basic());
    const cltv::error err{"churn", "churn must be in [0, 1], got 1.5"};
    const std::string text =
        render(writer_options{output_format::table, command::calc, true, false, false},
               {result_outcome(e, 0, 1), error_outcome(err, 1, 2)});
    const auto lines = lines_of(text);
    REQUIRE(lines.size() == 3);  // header and two rows
    CHECK(lines[2].find("2  error: churn must be in [0, 1], got 1.5") != std::string::npos);
  }
}
