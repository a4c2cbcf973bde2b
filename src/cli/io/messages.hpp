#pragma once
// The one place that writes to stderr: every error and note is one line,
// "cltv: <what>", so a script can read it and a person can act on it.

#include <string_view>

namespace cltv::cli {

/// "cltv: <message>" on stderr (the caller returns exit code 2).
void print_error(std::string_view message);

/// "cltv: <message>" on stderr, for what the user should know but is not an
/// error (rows left out, a model that did not converge); nothing when empty.
void print_note(std::string_view message);

}  // namespace cltv::cli
