#include "io/batch.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

#include "io/messages.hpp"

namespace cltv::cli {

int finish_output(output& out, int code) {
  out.finish();
  if (out.failure()) {
    print_error(*out.failure());
    return 2;
  }
  return code;
}

int run_records(const std::string& path, record_command& command, const record_run& how) {
  auto reader = record_reader::open(path, how.input);
  if (!reader) {
    print_error(reader.error().message);
    return 2;
  }
  std::optional<record> first = reader->next();
  if (!first) {
    print_error(reader->fatal() ? reader->fatal()->message : "no scenario in " + reader->name());
    return 2;
  }
  // One record: a single scenario. A second record (or an array, or a
  // stream format asked for) makes a batch.
  const bool from_array = reader->shape() == input_shape::array;
  const record_status first_status = command.evaluate(*first, from_array);
  std::optional<record> second = reader->next();
  const bool batch = from_array || second.has_value() || how.always_batch;
  if (!batch) {
    if (reader->fatal()) {
      print_error(reader->fatal()->message);
      return 2;
    }
    if (first_status.failure) {
      print_error(fmt::format("{} ({}, line {})", first_status.failure->message, reader->name(),
                              first_status.line));
      return 2;
    }
  }

  output out(STDOUT_FILENO);
  command.start(out, batch);
  int code = 0;
  std::size_t records = 0, failures = 0;
  std::string first_failure;
  auto emit = [&](const record_status& status) {
    command.write();
    code = std::max(code, status.exit_code);
    ++records;
    if (status.failure && failures++ == 0)
      first_failure = fmt::format("line {}: {}", status.line, status.failure->message);
  };
  // The first record's outcome is written before the next record replaces it.
  emit(first_status);
  for (std::optional<record> rec = second; rec; rec = reader->next()) {
    // A closed pipe (`| head -1`) ends calc; check and solve still owe the
    // verdict of every record, so they read on without writing.
    if (out.failure() || (out.pipe_closed() && !how.every_verdict)) break;
    const record_status status = command.evaluate(*rec, from_array);
    if (out.pipe_closed())
      code = std::max(code, status.exit_code);
    else
      emit(status);
  }
  command.finish();
  if (out.pipe_closed()) return finish_output(out, code);
  // One line on stderr: a broken input outranks the count of invalid records.
  if (reader->fatal()) {
    print_error(reader->fatal()->message);
    code = 2;
  } else if (failures > 0) {
    print_error(fmt::format("{} of {} records in {} are invalid (first: {})", failures, records,
                            reader->name(), first_failure));
  }
  return finish_output(out, code);
}

}  // namespace cltv::cli
