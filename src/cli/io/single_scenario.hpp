#pragma once
// The one scenario of --input, for the commands that take a single scenario
// rather than a batch (grid, plot).

#include <cstddef>
#include <string>
#include <string_view>

#include "cltv/error.hpp"
#include "cltv/scenario.hpp"
#include "io/scenario_json.hpp"

namespace cltv::cli {

struct single_scenario {
  parsed_scenario parsed;  ///< with the flags laid over the record's inputs
  std::string source;      ///< the input's name, for messages
  std::size_t line = 0;    ///< the record's first line
};

/// Reads the only record of `path` (JSON, NDJSON or CSV; `input_format` as
/// --input-format gives it) and lays `flags` over its inputs; warns, as calc
/// does, when a flag is read in another period than the record's. Fails, naming
/// the input and line, when the input holds no scenario or more than one
/// ("`command` takes one `noun`"), or on a bad record.
[[nodiscard]] result<single_scenario> read_single_scenario(const std::string& path,
                                                           const std::string& input_format,
                                                           std::string_view command,
                                                           std::string_view noun,
                                                           const scenario_input& flags);

}  // namespace cltv::cli
