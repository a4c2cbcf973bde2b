#pragma once
// The one place that writes to stderr: every error and note is one line,
// "cltv: <what>", so a script can read it and a person can act on it.

#include <span>
#include <string>
#include <string_view>

namespace cltv::cli {

/// "cltv: <message>" on stderr (the caller returns exit code 2).
void print_error(std::string_view message);

/// "cltv: <message>" on stderr, for what the user should know but is not an
/// error (rows left out, a model that did not converge); nothing when empty.
void print_note(std::string_view message);

/// " (did you mean NAME?)" for the name of `names` closest to `word`, or ""
/// when none is close: the tail of an "unknown …" message.
[[nodiscard]] std::string did_you_mean(std::string_view word,
                                       std::span<const std::string_view> names);

}  // namespace cltv::cli
