#include "io/scenario_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "cltv/number.hpp"
#include "cltv/scenario_fields.hpp"
#include "io/json_scan.hpp"
#include "io/record_reader.hpp"
#include "io/scenario_json.hpp"
#include "io/text.hpp"

namespace cltv::cli {

result<scenario_csv_reader> scenario_csv_reader::open(const std::string& path) {
  auto rows = table_reader::open(path, table_options{','});
  if (!rows) return std::move(rows).error();
  return scenario_csv_reader(std::move(*rows), path == "-" ? "stdin" : path);
}

scenario_csv_reader scenario_csv_reader::from_string(std::string text) {
  return {table_reader::from_string(std::move(text), table_options{','}), "text"};
}

scenario_csv_reader::scenario_csv_reader(table_reader rows, std::string name)
    : rows_(std::move(rows)), name_(std::move(name)), id_column_(0) {}

void scenario_csv_reader::set_fatal(std::string message) {
  if (!fatal_) fatal_ = error{"input", std::move(message)};
  done_ = true;
}

bool scenario_csv_reader::read_header() {
  if (!rows_.next()) {
    if (rows_.failure())
      set_fatal(fmt::format("{}: {}", name_, rows_.failure()->message));
    else
      set_fatal("no scenario in " + name_ + ": the input is empty");
    return false;
  }
  const auto line = rows_.line();
  auto refuse = [&](const std::string& what) {
    set_fatal(fmt::format("{} ({}, line {})", what, name_, line));
    return false;
  };
  std::vector<std::string_view> seen;
  const auto names = rows_.fields();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string_view column = names[i];
    if (column.empty())
      return refuse(
          fmt::format("CSV column {} has no name (an index column? write the CSV without it, e.g. "
                      "pandas' index=False)",
                      i + 1));
    if (column == "segments") return refuse(csv_segments_refusal);
    number_style unused{};
    annual_plan_input plan;
    if (column != "id" && !find_scenario_field(column) && !annual_plan_field(plan, column, unused))
      return refuse(unknown_key_message(column, "column", false));
    if (std::find(seen.begin(), seen.end(), column) != seen.end())
      return refuse("duplicate column \"" + printable(column) + "\"");
    seen.push_back(column);
  }
  columns_.clear();
  id_column_ = names.size();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "id") id_column_ = i;
    columns_.emplace_back();
    append_json_string(columns_.back(), names[i]);
  }
  return true;
}

std::optional<record> scenario_csv_reader::next() {
  if (!started_) {
    started_ = true;
    if (!read_header()) return std::nullopt;
  }
  if (done_) return std::nullopt;
  if (!rows_.next()) {
    if (rows_.failure()) set_fatal(fmt::format("{}: {}", name_, rows_.failure()->message));
    done_ = true;
    return std::nullopt;
  }
  record r;
  r.line = static_cast<std::size_t>(rows_.line());
  r.index = index_++;
  const auto cells = rows_.fields();
  if (cells.size() != columns_.size()) {
    r.failure = error{"", fmt::format("the row has {} field{}, the header {} column{}",
                                      cells.size(), cells.size() == 1 ? "" : "s", columns_.size(),
                                      columns_.size() == 1 ? "" : "s")};
    return r;
  }
  // The id is checked here, raw: the JSON built below would turn bytes that
  // are not UTF-8 into U+FFFD.
  if (id_column_ < cells.size()) {
    if (std::string why = unprintable_id("id", cells[id_column_]); !why.empty()) {
      r.failure = error{"id", std::move(why)};
      return r;
    }
  }
  json_.assign(1, '{');
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].empty()) continue;  // not given
    if (json_.size() > 1) json_ += ',';
    json_ += columns_[i];
    json_ += ':';
    if (i == id_column_ && is_json_number(cells[i]))
      json_ += cells[i];
    else
      append_json_string(json_, cells[i]);
  }
  json_ += '}';
  const std::size_t size = json_.size();
  json_.append(json_padding, ' ');
  r.text = std::string_view(json_.data(), size);
  return r;
}

}  // namespace cltv::cli
