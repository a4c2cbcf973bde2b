#include "io/postgres.hpp"

#include <libpq-fe.h>

#include <string>

#include "io/shared_library.hpp"

namespace cltv::cli {

namespace {

// The libpq functions cltv calls, looked up in the library once.
struct libpq {
  decltype(&PQconnectdb) connectdb = nullptr;
  decltype(&PQstatus) status = nullptr;
  decltype(&PQerrorMessage) error_message = nullptr;
  decltype(&PQfinish) finish = nullptr;
  decltype(&PQsetClientEncoding) set_client_encoding = nullptr;
  decltype(&PQexec) exec = nullptr;
  decltype(&PQresultStatus) result_status = nullptr;
  decltype(&PQresultErrorMessage) result_error_message = nullptr;
  decltype(&PQclear) clear = nullptr;
  decltype(&PQgetCopyData) get_copy_data = nullptr;
  decltype(&PQgetResult) get_result = nullptr;
  decltype(&PQfreemem) freemem = nullptr;
};

// The library `soname` opened and its functions looked up (never closed:
// its functions are used until the process ends).
result<libpq> open_libpq(const char* soname) {
  const auto opened = open_shared_library(
      soname, "from",
      "reading from PostgreSQL needs libpq, which is not installed (Debian: apt-get install "
      "libpq5): ");
  if (!opened) return opened.error();
  void* const library = *opened;
  libpq f;
  if (!look_up(library, "PQconnectdb", f.connectdb) || !look_up(library, "PQstatus", f.status) ||
      !look_up(library, "PQerrorMessage", f.error_message) ||
      !look_up(library, "PQfinish", f.finish) ||
      !look_up(library, "PQsetClientEncoding", f.set_client_encoding) ||
      !look_up(library, "PQexec", f.exec) || !look_up(library, "PQresultStatus", f.result_status) ||
      !look_up(library, "PQresultErrorMessage", f.result_error_message) ||
      !look_up(library, "PQclear", f.clear) ||
      !look_up(library, "PQgetCopyData", f.get_copy_data) ||
      !look_up(library, "PQgetResult", f.get_result) || !look_up(library, "PQfreemem", f.freemem))
    return error{"from",
                 std::string("the libpq found (") + soname + ") lacks a function cltv needs"};
  return f;
}

result<const libpq*> load_libpq() {
  static const result<libpq> loaded = open_libpq("libpq.so.5");
  if (!loaded) return loaded.error();
  return &*loaded;
}

// libpq's messages end in newlines and may span lines: one line, trimmed,
// without the server's quote of the query ("LINE 5: …" and a caret under it),
// which shows the generated SQL, not anything the user wrote.
std::string one_line(std::string text) {
  if (const std::size_t quote = text.find("\nLINE "); quote != std::string::npos)
    text.resize(quote);
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The password a conninfo carries: a URI's user:PASSWORD@host, or password=….
std::string password_in(std::string_view conninfo) {
  if (is_postgres_uri(conninfo)) {
    const std::size_t scheme = conninfo.find("://") + 3;
    const std::size_t at = conninfo.find('@', scheme);
    if (at == std::string_view::npos) return {};
    const std::size_t colon = conninfo.find(':', scheme);
    if (colon == std::string_view::npos || colon > at) return {};
    return std::string(conninfo.substr(colon + 1, at - colon - 1));
  }
  const std::size_t key = conninfo.find("password");
  if (key == std::string_view::npos) return {};
  std::size_t start = conninfo.find('=', key);
  if (start == std::string_view::npos) return {};
  ++start;
  while (start < conninfo.size() && conninfo[start] == ' ') ++start;
  const bool quoted = start < conninfo.size() && conninfo[start] == '\'';
  if (quoted) ++start;
  std::size_t end = start;
  while (end < conninfo.size() && conninfo[end] != (quoted ? '\'' : ' ')) ++end;
  return std::string(conninfo.substr(start, end - start));
}

}  // namespace

std::optional<error> check_libpq(const char* soname) {
  auto opened = open_libpq(soname);
  if (!opened) return opened.error();
  return std::nullopt;
}

bool is_postgres_uri(std::string_view input) noexcept {
  return input.starts_with("postgresql://") || input.starts_with("postgres://");
}

std::string without_password(std::string text, std::string_view conninfo) {
  const std::string password = password_in(conninfo);
  if (password.empty()) return text;
  for (std::size_t at = text.find(password); at != std::string::npos;
       at = text.find(password, at + 3))
    text.replace(at, password.size(), "***");
  return text;
}

result<std::string> postgres_copy_csv(const std::string& conninfo, std::string_view query) {
  auto pq = load_libpq();
  if (!pq) return pq.error();
  const libpq& f = **pq;
  const auto failed = [&](const std::string& what, const char* message) {
    std::string text = one_line(message);
    // A row the summary refuses stops the query through a failing cast of
    // the text "cltv: why": that text is the message.
    if (const std::size_t ours = text.find("\"cltv: "); ours != std::string::npos)
      text = text.substr(ours + 7, text.size() - ours - 7 - (text.ends_with('"') ? 1 : 0));
    return error{"from", without_password(what + text, conninfo)};
  };
  PGconn* connection = f.connectdb(conninfo.c_str());
  if (connection == nullptr) return error{"from", "cannot connect to PostgreSQL: out of memory"};
  struct closer {
    const libpq& f;
    PGconn* c;
    ~closer() { f.finish(c); }
  } close_at_end{f, connection};
  if (f.status(connection) != CONNECTION_OK)
    return failed("cannot connect to PostgreSQL: ", f.error_message(connection));
  if (f.set_client_encoding(connection, "UTF8") != 0)
    return failed("PostgreSQL: ", f.error_message(connection));
  const std::string copy = "COPY (" + std::string(query) + ") TO STDOUT WITH (FORMAT csv, HEADER)";
  PGresult* started = f.exec(connection, copy.c_str());
  const ExecStatusType status = f.result_status(started);
  if (status != PGRES_COPY_OUT) {
    error e = failed("PostgreSQL: ", f.result_error_message(started));
    f.clear(started);
    return e;
  }
  f.clear(started);
  std::string csv;
  char* buffer = nullptr;
  int got = 0;
  while ((got = f.get_copy_data(connection, &buffer, 0)) > 0) {
    csv.append(buffer, static_cast<std::size_t>(got));
    f.freemem(buffer);
  }
  if (got == -2) return failed("PostgreSQL: ", f.error_message(connection));
  // The COPY's own result says whether the query failed part-way (a row that
  // `cltv summarize` refuses stops it with a "cltv:" message).
  std::string message;
  for (PGresult* r = f.get_result(connection); r != nullptr; r = f.get_result(connection)) {
    if (f.result_status(r) != PGRES_COMMAND_OK && message.empty())
      message = f.result_error_message(r);
    f.clear(r);
  }
  if (!message.empty()) return failed("PostgreSQL: ", message.c_str());
  return csv;
}

}  // namespace cltv::cli
