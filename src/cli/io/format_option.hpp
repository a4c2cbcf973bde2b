#pragma once
// The --format option of every command: one declaration, so that a wrong
// value is refused in the same words everywhere and completion lists the
// choices.

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cltv::cli {

/// What a command writes.
enum class output_format { table, json, ndjson, csv };

/// The format a value that add_format_option accepted names ("json", "ndjson",
/// "csv"; "table" or empty: table).
[[nodiscard]] output_format format_named(std::string_view name) noexcept;

/// Whether `name` is a format of one record per line or row (ndjson, csv),
/// whose output is a stream however many records the input holds.
[[nodiscard]] bool is_stream_format(std::string_view name) noexcept;

/// Declares `names` (default "--format") taking one of `choices`, matched
/// case-insensitively and stored lower-case in `format`. CLI11 checks it:
/// "--format: xml not in {table,json,csv}". `option_text` is what --help shows
/// for the value.
CLI::Option* add_format_option(CLI::App& app, std::string& format,
                               const std::vector<std::string>& choices, const std::string& help,
                               const std::string& option_text = "FORMAT",
                               const std::string& names = "--format");

}  // namespace cltv::cli
