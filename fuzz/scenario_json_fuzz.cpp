// One JSON record → scenario_parser::parse (the CLI's entry point for every
// record) → resolve/evaluate (the CLI's compute path) → every writer.
// Invariants:
// - parse fails with a non-empty one-line message, or yields a scenario_input;
// - then calculation fails with a one-line message, or every result is finite,
//   and calculate() agrees with resolve() + evaluate();
// - the ndjson record of the outcome (result or error) is one line of valid
//   JSON whose numbers read back as exactly the doubles computed;
// - the table, check, csv and json writers and explain() do not crash.

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "check.hpp"
#include "cltv/calculation.hpp"
#include "cltv/ltv.hpp"
#include "cltv/scenario.hpp"
#include "io/outcome_writers.hpp"
#include "io/output.hpp"
#include "io/scenario_json.hpp"
#include "io/writers.hpp"
#include "json_output.hpp"

namespace {

using namespace cltv;
using namespace cltv::cli;

void check_finite(const ltv_result& r) {
  CLTV_FUZZ_CHECK(std::isfinite(r.ltv));
  CLTV_FUZZ_CHECK(std::isfinite(r.margin_per_period));
  CLTV_FUZZ_CHECK(std::isfinite(r.paid_periods));
  CLTV_FUZZ_CHECK(std::isfinite(r.target));
  if (r.lifetime) CLTV_FUZZ_CHECK(std::isfinite(*r.lifetime));
  if (r.net_value) CLTV_FUZZ_CHECK(std::isfinite(*r.net_value));
  if (r.ltv_cac_ratio) CLTV_FUZZ_CHECK(std::isfinite(*r.ltv_cac_ratio));
  if (r.cac_payback) CLTV_FUZZ_CHECK(std::isfinite(*r.cac_payback));
}

bool same(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || *a == *b);
}

// Output that is never flushed during a record (the buffer holds 64 KiB);
// anything that does get flushed goes to /dev/null. One for the whole run:
// its 128 KiB buffer, allocated per input, cost a third of the run's time.
output& null_output() {
  static output out(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  out.buffer().clear();
  return out;
}

// The ndjson text of one outcome, through the writer the CLI uses.
std::string ndjson_of(const outcome& o) {
  output& out = null_output();
  auto writer = make_writer(writer_options{output_format::ndjson, command::calc, true}, out);
  writer->write(o);
  writer->finish();
  return out.buffer();
}

// Every other writer, for crashes only (their text is for people).
void write_everywhere(const outcome& o) {
  output& out = null_output();
  const auto* calc = std::get_if<calculation>(&o.value);
  for (auto format : {output_format::table, output_format::json, output_format::csv}) {
    for (auto cmd : {command::calc, command::check}) {
      for (bool batch : {false, true}) {
        if (!batch && (!calc || format == output_format::csv)) continue;
        if (cmd == command::check && calc && !calc->result.meets_target) continue;
        auto writer = make_writer(writer_options{format, cmd, batch, false, false}, out);
        writer->write(o);
        writer->finish();
        out.buffer().clear();
      }
    }
  }
  if (calc) {
    const std::string text = explain(calc->input, calc->result);
    CLTV_FUZZ_CHECK(!text.empty());
    if (calc->result.meets_target)
      CLTV_FUZZ_CHECK(!verdict_line(calc->input, calc->result).empty());
  }
}

void check_failure(outcome& o, const error& failure) {
  o.value = failure;
  CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(failure.message));
  cltv::fuzz::check_error_json(ndjson_of(o), failure, o.id_json);
  write_everywhere(o);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static scenario_parser parser;  // reused, as the CLI reuses it across records
  // The record followed by json_padding readable bytes, as the reader gives it.
  std::vector<char> buffer(size + json_padding, '\0');
  if (size > 0) std::memcpy(buffer.data(), data, size);
  const std::string_view record(buffer.data(), size);

  parsed_scenario parsed;
  error err;
  outcome o;
  o.from = origin{0, 1, false};
  if (!parser.parse(record, parsed, err)) {
    o.id_json = parsed.id_json;
    check_failure(o, err);
    return 0;
  }
  o.id_json = parsed.id_json;

  const auto calculated = calculate(parsed.input);
  const auto resolved = resolve(parsed.input);
  if (!resolved) {
    CLTV_FUZZ_CHECK(!calculated);
    CLTV_FUZZ_CHECK(calculated.error().message == resolved.error().message);
    check_failure(o, resolved.error());
    return 0;
  }
  const scenario& s = *resolved;
  const auto evaluated = evaluate(s);
  CLTV_FUZZ_CHECK(evaluated.has_value() == calculated.has_value());
  if (!evaluated) {
    check_failure(o, evaluated.error());
    return 0;
  }
  const ltv_result& r = *evaluated;
  check_finite(r);
  CLTV_FUZZ_CHECK(r.ltv == calculated->ltv && same(r.ltv_cac_ratio, calculated->ltv_cac_ratio));

  o.value = calculation{s, r, {}, {}, {}};
  cltv::fuzz::check_result_json(ndjson_of(o), s, r, o.id_json);
  write_everywhere(o);

  // A top-level annual plan: the what-if of the plan, written in every
  // format, or a one-line error.
  if (!parsed.annual.empty()) {
    calculation_options what_if;
    what_if.annual_share = 0.4;
    auto shifted = calculate_scenario(parsed.input, what_if, parsed.annual);
    if (!shifted) {
      CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(shifted.error().message));
    } else {
      o.value = *std::move(shifted);
      write_everywhere(o);
    }
  }

  // The check subcommand's extra rule fails with a one-line message, or passes.
  if (auto e = validate_for_check(s)) CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(e->message));
  return 0;
}
