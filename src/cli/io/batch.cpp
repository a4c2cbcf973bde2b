#include "io/batch.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "io/messages.hpp"
#include "io/scenario_json.hpp"

namespace cltv::cli {
namespace {

// What the written records add up to: the exit code, and the count of invalid
// records with the first one's message.
struct batch_tally {
  int code = 0;
  std::size_t records = 0;
  std::size_t failures = 0;
  std::string first_failure;

  void count(const record_status& status) {
    code = std::max(code, status.exit_code);
    ++records;
    if (status.failure && failures++ == 0)
      first_failure = fmt::format("line {}: {}", status.line, status.failure->message);
  }
  void add(batch_tally&& part) {
    code = std::max(code, part.code);
    records += part.records;
    if (failures == 0 && part.failures > 0) first_failure = std::move(part.first_failure);
    failures += part.failures;
  }
};

// Records read on the main thread, evaluated and formatted on a worker.
struct record_chunk {
  // Enough records that handing a chunk over costs little next to them, few
  // enough that the chunks in flight stay small.
  static constexpr std::size_t max_records = 1024;
  static constexpr std::size_t max_bytes = std::size_t{1} << 18;

  std::string text;  // the records' JSON one after another, then json_padding bytes
  std::vector<record> records;
  std::vector<std::size_t> offsets;  // where each record's text starts in `text`
  // Filled by the worker:
  std::string written;  // the outcomes in the output format
  batch_tally tally;
  std::vector<std::string> remarks;
  std::exception_ptr failure;  // an exception thrown while evaluating (out of memory)
  bool done = false;

  void clear() {
    text.clear();
    records.clear();
    offsets.clear();
    written.clear();
    tally = {};
    remarks.clear();
    failure = nullptr;
    done = false;
  }
  void add(record rec) {
    offsets.push_back(text.size());
    text += rec.text;
    records.push_back(std::move(rec));
  }
  // Points the records at their copies, once `text` stops growing.
  void seal() {
    text.append(json_padding, ' ');
    for (std::size_t i = 0; i < records.size(); ++i)
      records[i].text = std::string_view(text).substr(offsets[i], records[i].text.size());
  }
};

// The worker threads of a parallel batch and the chunks handed to them.
class batch_workers {
 public:
  // Starts up to `threads` workers, each with its own fork of `command`;
  // fewer when the system refuses a thread.
  batch_workers(const record_command& command, int threads, bool from_array)
      : from_array_(from_array) {
    try {
      for (int i = 0; i < threads; ++i) {
        auto fork = command.fork();
        if (!fork) break;
        auto& slot = workers_.emplace_back(std::move(fork));
        slot.command->start(slot.out, true);
        slot.out.buffer().clear();  // the main output wrote the header
        try {
          slot.thread = std::thread([this, &slot] { work(slot); });
        } catch (const std::system_error&) {
          workers_.pop_back();
          break;
        }
      }
    } catch (...) {
      stop();
      throw;
    }
  }
  batch_workers(const batch_workers&) = delete;
  batch_workers& operator=(const batch_workers&) = delete;
  // The chunks are freed only after every worker has stopped.
  ~batch_workers() { stop(); }

  /// A chunk to fill, owned here so that it outlives the workers.
  record_chunk* take_chunk() {
    if (free_.empty()) return chunks_.emplace_back(std::make_unique<record_chunk>()).get();
    record_chunk* chunk = free_.back();
    free_.pop_back();
    return chunk;
  }
  void give_back(record_chunk* chunk) {
    chunk->clear();
    free_.push_back(chunk);
  }

  [[nodiscard]] std::size_t size() const noexcept { return workers_.size(); }
  /// Outcomes past a closed pipe are evaluated for the exit code, not written.
  void stop_writing() noexcept { discard_.store(true, std::memory_order_relaxed); }

  void submit(record_chunk* chunk) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(chunk);
    }
    work_ready_.notify_one();
  }
  void wait(const record_chunk& chunk) {
    std::unique_lock lock(mutex_);
    chunk_done_.wait(lock, [&] { return chunk.done; });
  }
  [[nodiscard]] bool done(const record_chunk& chunk) {
    std::lock_guard lock(mutex_);
    return chunk.done;
  }

 private:
  struct worker {
    explicit worker(std::unique_ptr<record_command> c) : command(std::move(c)) {}
    std::unique_ptr<record_command> command;
    output out;  // in memory
    std::thread thread;
  };

  void stop() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    work_ready_.notify_all();
    for (auto& w : workers_)
      if (w.thread.joinable()) w.thread.join();
  }

  void work(worker& w) {
    for (;;) {
      record_chunk* chunk = nullptr;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return closed_ || !queue_.empty(); });
        if (closed_) return;  // the end, or an error: the chunks left are not wanted
        chunk = queue_.front();
        queue_.pop_front();
      }
      try {
        evaluate(w, *chunk);
      } catch (...) {
        chunk->failure = std::current_exception();
      }
      {
        std::lock_guard lock(mutex_);
        chunk->done = true;
      }
      chunk_done_.notify_all();
    }
  }

  void evaluate(worker& w, record_chunk& chunk) const {
    const bool discard = discard_.load(std::memory_order_relaxed);
    for (const record& rec : chunk.records) {
      record_status status = w.command->evaluate(rec, from_array_);
      if (!status.remark.empty()) chunk.remarks.push_back(std::move(status.remark));
      if (discard) {
        chunk.tally.code = std::max(chunk.tally.code, status.exit_code);
        continue;
      }
      chunk.tally.count(status);
      w.command->write();
    }
    std::swap(chunk.written, w.out.buffer());
    w.out.buffer().clear();
  }

  bool from_array_;
  std::vector<std::unique_ptr<record_chunk>> chunks_;
  std::vector<record_chunk*> free_;  // main thread only
  std::deque<worker> workers_;       // a deque: a worker never moves once its thread holds it
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable chunk_done_;
  std::deque<record_chunk*> queue_;
  bool closed_ = false;
  std::atomic<bool> discard_{false};
};

// The records from `rec` on, evaluated on `workers` in chunks and written in
// input order, stopping early as the serial loop does: at a write failure, or
// at a closed pipe unless the verdicts are owed (then nothing more is written).
void run_parallel(record_reader& reader, std::optional<record> rec, record_command& command,
                  batch_workers& workers, output& out, const record_run& how, batch_tally& tally) {
  // Chunks in flight: enough to keep every worker busy while one is written,
  // and at most 64 (about 50 MB of records and outcomes) however many threads.
  const std::size_t depth = std::min<std::size_t>(2 * workers.size() + 2, 64);
  std::deque<record_chunk*> in_flight;
  bool reading = rec.has_value();
  bool writing = true;
  auto write_front = [&] {
    record_chunk* chunk = in_flight.front();
    in_flight.pop_front();
    if (chunk->failure) std::rethrow_exception(chunk->failure);
    if (writing) {
      for (std::string& remark : chunk->remarks) command.remark(std::move(remark));
      if (out.pipe_closed()) {  // check and solve: the verdicts, nothing written
        tally.code = std::max(tally.code, chunk->tally.code);
      } else {
        out.write(chunk->written);
        out.maybe_flush();
        tally.add(std::move(chunk->tally));
      }
      if (out.failure() || (out.pipe_closed() && !how.every_verdict)) {
        writing = reading = false;
      } else if (out.pipe_closed()) {
        workers.stop_writing();
      }
    }
    workers.give_back(chunk);
  };
  for (;;) {
    while (!in_flight.empty() && workers.done(*in_flight.front())) write_front();
    if (reading && in_flight.size() < depth) {
      record_chunk* chunk = workers.take_chunk();
      while (rec && chunk->records.size() < record_chunk::max_records &&
             chunk->text.size() < record_chunk::max_bytes) {
        chunk->add(*std::move(rec));
        rec = reader.next();
      }
      reading = rec.has_value();
      chunk->seal();
      in_flight.push_back(chunk);
      workers.submit(chunk);
      continue;
    }
    if (in_flight.empty()) break;
    workers.wait(*in_flight.front());
    write_front();
  }
}

}  // namespace

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
  record_status first_status = command.evaluate(*first, from_array);
  if (!first_status.remark.empty()) command.remark(std::move(first_status.remark));
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
  batch_tally tally;
  // The first record's outcome is written before the next record replaces it.
  command.write();
  tally.count(first_status);
  std::optional<batch_workers> workers;
  if (second && how.threads > 1) {
    workers.emplace(command, how.threads, from_array);
    if (workers->size() == 0) workers.reset();
  }
  if (workers) {
    run_parallel(*reader, std::move(second), command, *workers, out, how, tally);
  } else {
    for (std::optional<record> rec = second; rec; rec = reader->next()) {
      // A closed pipe (`| head -1`) ends calc; check and solve still owe the
      // verdict of every record, so they read on without writing.
      if (out.failure() || (out.pipe_closed() && !how.every_verdict)) break;
      record_status status = command.evaluate(*rec, from_array);
      if (!status.remark.empty()) command.remark(std::move(status.remark));
      if (out.pipe_closed()) {
        tally.code = std::max(tally.code, status.exit_code);
      } else {
        command.write();
        tally.count(status);
      }
    }
  }
  command.finish();
  if (out.pipe_closed()) return finish_output(out, tally.code);
  // One line on stderr: a broken input outranks the count of invalid records.
  int code = tally.code;
  if (reader->fatal()) {
    print_error(reader->fatal()->message);
    code = 2;
  } else if (tally.failures > 0) {
    print_error(fmt::format("{} of {} records in {} are invalid (first: {})", tally.failures,
                            tally.records, reader->name(), tally.first_failure));
  }
  return finish_output(out, code);
}

}  // namespace cltv::cli
