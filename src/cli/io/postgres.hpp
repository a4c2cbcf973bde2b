#pragma once
// Queries PostgreSQL through libpq, loaded at run time (dlopen) on first use:
// the commands that never touch a database do not pay for loading libpq and
// its dependencies (about 25 ms), and the binary runs where libpq is absent.

#include <optional>
#include <string>
#include <string_view>

#include "cltv/error.hpp"

namespace cltv::cli {

/// The rows of `query` as CSV with a header line (COPY (query) TO STDOUT:
/// exact text, shortest round-trip doubles), from the database `conninfo`
/// names: a postgresql:// URI or key=value string, completed by libpq from
/// its usual sources (PG* variables, ~/.pgpass, service files).
///
/// Fails with field "from": libpq is not installed (the message names the
/// Debian package); the connection or the query fails (libpq's message on
/// one line). A password in `conninfo` never appears in a message.
[[nodiscard]] result<std::string> postgres_copy_csv(const std::string& conninfo,
                                                    std::string_view query);

/// Whether the library `soname` loads as libpq: nullopt, or the error that
/// postgres_copy_csv gives when it does not (not installed: the message names
/// the Debian package; a library without libpq's functions).
[[nodiscard]] std::optional<error> check_libpq(const char* soname = "libpq.so.5");

/// Whether `input` names a PostgreSQL database (postgresql:// or postgres://).
[[nodiscard]] bool is_postgres_uri(std::string_view input) noexcept;

/// `text` with every occurrence of the password in `conninfo` (a URI's
/// user:password@ or a key=value password=…) replaced by "***".
[[nodiscard]] std::string without_password(std::string text, std::string_view conninfo);

}  // namespace cltv::cli
