#include "scenario_json.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cltv/number.hpp"
#include "text.hpp"

static_assert(cltv::cli::json_padding >= simdjson::SIMDJSON_PADDING);

namespace cltv::cli {
namespace {

using member_ptr = std::optional<double> scenario_input::*;

struct key_info {
  std::string_view name;
  member_ptr member;  // nullptr for "id" and "period"
  number_style style;
};

// Order: the order keys are documented and echoed in.
constexpr std::array<key_info, 15> keys{{
    {"id", nullptr, number_style::plain},
    {"period", nullptr, number_style::plain},
    {"arpu", &scenario_input::arpu, number_style::plain},
    {"value", &scenario_input::value, number_style::plain},
    {"aov", &scenario_input::aov, number_style::plain},
    {"purchase_frequency", &scenario_input::purchase_frequency, number_style::plain},
    {"lifetime", &scenario_input::lifetime, number_style::plain},
    {"contract_length", &scenario_input::contract_length, number_style::plain},
    {"churn", &scenario_input::churn, number_style::rate},
    {"gross_margin", &scenario_input::gross_margin, number_style::rate},
    {"cost_to_serve", &scenario_input::cost_to_serve, number_style::plain},
    {"cac", &scenario_input::cac, number_style::plain},
    {"discount_rate", &scenario_input::discount_rate, number_style::rate},
    {"horizon", &scenario_input::horizon, number_style::plain},
    {"target", &scenario_input::target, number_style::plain},
}};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::array<std::size_t, 64> row{};
  if (b.size() >= row.size()) return b.size();
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string unknown_key_message(std::string_view key) {
  std::string message = "unknown field \"" + std::string(key) + "\"";
  const key_info* best = nullptr;
  std::size_t best_distance = 3;  // suggest only close misspellings
  for (const auto& k : keys) {
    // A close misspelling ("chrun"), or a known name inside ("churn_rate").
    const std::size_t d = key.find(k.name) != std::string_view::npos && k.name.size() > 2
                              ? 1
                              : edit_distance(key, k.name);
    if (d < best_distance) best = &k, best_distance = d;
  }
  if (best) return message + " (did you mean \"" + std::string(best->name) + "\"?)";
  return message +
         " (known fields: period, arpu, value, aov, purchase_frequency, lifetime, "
         "contract_length, churn, gross_margin, cost_to_serve, cac, discount_rate, "
         "horizon, target, id)";
}

std::string_view trimmed(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r'))
    token.remove_suffix(1);
  return token;
}

std::string syntax_message(simdjson::error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR:
      return "invalid JSON: the text is not valid UTF-8";
    case simdjson::TAPE_ERROR:
      return "invalid JSON: malformed or truncated (a missing value, comma, quote or brace)";
    case simdjson::UNCLOSED_STRING:
      return "invalid JSON: a string is not closed";
    case simdjson::DEPTH_ERROR:
      return "invalid JSON: nested too deeply";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "invalid JSON: the object is not closed (truncated record?)";
    case simdjson::EMPTY:
      return "invalid JSON: empty record";
    case simdjson::UNESCAPED_CHARS:
      return "invalid JSON: control character inside a string";
    case simdjson::STRING_ERROR:
      return "invalid JSON: bad escape in a string";
    default:
      return std::string("invalid JSON: ") + simdjson::error_message(code);
  }
}

// The number whose text does not fit a double (e.g. 1e400): DOM parsing only
// says NUMBER_ERROR, so find the field with the on-demand front end (error
// path only, speed irrelevant).
// Whether `text` follows JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > from;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

// DOM parsing only says NUMBER_ERROR for a record with a bad number. Find the
// field and say what is wrong with it — or, when every number is valid JSON
// and the only trouble is integers beyond 64 bits (which the DOM parser
// refuses), return the record with ".0" after each such integer so that it
// reads as the nearest double. Error path only: speed irrelevant.
std::optional<error> diagnose_number_error(std::string_view record, std::string& rewritten) {
  namespace od = simdjson::ondemand;
  od::parser parser;
  simdjson::padded_string copy(record);
  od::document doc;
  od::object object;
  if (parser.iterate(copy).get(doc) || doc.get_object().get(object)) return std::nullopt;
  std::vector<std::size_t> big_integer_ends;
  for (auto field_result : object) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || field.unescaped_key().get(key)) return std::nullopt;
    od::value value = field.value();
    const std::string_view raw = trimmed(value.raw_json_token());
    if (raw.empty() || !(raw.front() == '-' || (raw.front() >= '0' && raw.front() <= '9')))
      continue;
    const std::string name(key);
    if (!is_json_number(raw))
      return error{name, name + " must be a number, got " + std::string(raw)};
    double parsed = 0;
    if (value.get_double().get(parsed))
      return error{name, name + " is out of range (not a finite double), got " + std::string(raw)};
    const bool big_integer = raw.find_first_of(".eE") == std::string_view::npos && raw.size() > 18;
    if (big_integer && name == "id")
      return error{name, "id " + std::string(raw) +
                             " has too many digits to keep exactly: give it as a string"};
    if (big_integer)
      big_integer_ends.push_back(static_cast<std::size_t>(raw.data() - copy.data()) + raw.size());
  }
  if (big_integer_ends.empty()) return std::nullopt;
  rewritten.clear();
  std::size_t from = 0;
  for (const std::size_t end : big_integer_ends) {
    rewritten.append(record.substr(from, end - from));
    rewritten += ".0";
    from = end;
  }
  rewritten.append(record.substr(from));
  return std::nullopt;
}

const char* type_name(simdjson::dom::element_type type) {
  using simdjson::dom::element_type;
  switch (type) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
    case element_type::STRING:
      return "a string";
    default:
      return "a number";
  }
}

// The id as compact JSON text, for echoing (strings re-escaped, numbers
// printed); without simdjson::minify's allocations, as ids are on every record
// of a typical batch.
void write_id(simdjson::dom::element id, std::string& out) {
  using simdjson::dom::element_type;
  out.clear();
  switch (id.type()) {
    case element_type::STRING:
      append_json_string(out, id.get_string().value_unsafe());
      break;
    case element_type::INT64: {
      std::array<char, 24> buf{};
      out.append(
          buf.data(),
          std::to_chars(buf.data(), buf.data() + buf.size(), id.get_int64().value_unsafe()).ptr);
      break;
    }
    case element_type::UINT64: {
      std::array<char, 24> buf{};
      out.append(
          buf.data(),
          std::to_chars(buf.data(), buf.data() + buf.size(), id.get_uint64().value_unsafe()).ptr);
      break;
    }
    case element_type::DOUBLE:
      append_number(out, id.get_double().value_unsafe());
      break;
    default:
      break;  // not a valid id: the field loop reports it
  }
}

}  // namespace

// DOM parsing, not On Demand: the DOM parser dispatches to the best SIMD kernel
// at run time (haswell/westmere/…), while On Demand is compiled for the
// build's baseline (x86-64 without SSE4.2: the slow fallback kernel).
struct scenario_parser::impl {
  simdjson::dom::parser parser;
};

scenario_parser::scenario_parser() : impl_(std::make_unique<impl>()) {}
scenario_parser::~scenario_parser() = default;

std::string_view known_scenario_keys() {
  return "id, period, arpu, value, aov, purchase_frequency, lifetime, contract_length, churn, "
         "gross_margin, cost_to_serve, cac, discount_rate, horizon, target";
}

bool scenario_parser::parse(std::string_view record, parsed_scenario& out, error& err) {
  using simdjson::dom::element_type;
  out.input = {};
  out.id_json.clear();
  auto fail = [&](error e) {
    err = std::move(e);
    return false;
  };

  simdjson::dom::element doc;
  if (auto code = impl_->parser.parse(record.data(), record.size(), false).get(doc)) {
    if (code == simdjson::NUMBER_ERROR) {
      std::string rewritten;
      if (auto located = diagnose_number_error(record, rewritten)) return fail(*std::move(located));
      if (!rewritten.empty()) {
        rewritten.append(json_padding, ' ');
        return parse(std::string_view(rewritten).substr(0, rewritten.size() - json_padding), out,
                     err);
      }
    }
    return fail(error{"", syntax_message(code)});
  }
  if (doc.type() != element_type::OBJECT)
    return fail(error{
        "", std::string("expected a JSON object (a scenario), got ") + type_name(doc.type())});

  // The id first, so that an error record can still carry it.
  if (simdjson::dom::element id; !doc["id"].get(id)) write_id(id, out.id_json);

  std::uint32_t seen = 0;
  for (const auto field : simdjson::dom::object(doc)) {
    const std::string_view key = field.key;
    const simdjson::dom::element value = field.value;
    const auto it =
        std::find_if(keys.begin(), keys.end(), [key](const key_info& k) { return k.name == key; });
    if (it == keys.end()) return fail(error{std::string(key), unknown_key_message(key)});
    const auto bit = std::uint32_t{1} << static_cast<unsigned>(it - keys.begin());
    if (seen & bit)
      return fail(error{std::string(key), "duplicate field \"" + std::string(key) + "\""});
    seen |= bit;
    const element_type type = value.type();

    if (it->member == nullptr && it->name == "id") {
      if (type == element_type::ARRAY || type == element_type::OBJECT ||
          type == element_type::BOOL || type == element_type::NULL_VALUE)
        return fail(
            error{"id", std::string("id must be a string or a number, got ") + type_name(type)});
      continue;  // already in out.id_json
    }
    if (it->member == nullptr) {  // period
      std::string_view text;
      if (value.get_string().get(text))
        return fail(error{
            "period", std::string("period must be \"month\" or \"year\", got ") + type_name(type)});
      auto p = parse_period(text);
      if (!p)
        return fail(error{
            "period", "period must be \"month\" or \"year\", got \"" + std::string(text) + "\""});
      out.input.period = p;
      continue;
    }

    double number = 0;
    if (type == element_type::DOUBLE || type == element_type::INT64 ||
        type == element_type::UINT64) {
      number = value.get_double().value_unsafe() + 0.0;  // + 0.0: -0 → +0
    } else if (type == element_type::STRING) {
      const std::string field_name(key);
      auto parsed = parse_number(field_name, value.get_string().value_unsafe(), it->style);
      if (!parsed) return fail(std::move(parsed).error());
      number = *parsed;
    } else {
      const std::string field_name(key);
      const char* expected = it->style == number_style::rate
                                 ? " must be a number or a percentage, got "
                                 : " must be a number, got ";
      return fail(error{field_name, field_name + expected + type_name(type)});
    }
    out.input.*(it->member) = number;
  }
  return true;
}

}  // namespace cltv::cli
