#pragma once
// Writing an output file whole or not at all (`-o FILE`): a failed run
// leaves no partial file behind, nor truncates one that was there.

#include <optional>
#include <string>
#include <string_view>

#include "cltv/error.hpp"

namespace cltv::cli {

/// Writes `contents` to `path`: into a new temporary file in the same
/// directory, renamed over `path` once every byte is written and flushed; the
/// temporary file is removed on any failure. "-" writes to stdout (a closed
/// pipe is not an error). The error names the path and the reason.
[[nodiscard]] std::optional<error> write_whole_file(const std::string& path,
                                                    std::string_view contents);

}  // namespace cltv::cli
