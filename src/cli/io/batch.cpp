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

  // A written record: `describe()` gives "line N: message" when it failed.
  template <typename Describe>
  void count(int exit_code, bool failed, Describe describe) {
    code = std::max(code, exit_code);
    ++records;
    if (failed && failures++ == 0) first_failure = describe();
  }
  void count(const record_status& status) {
    count(status.exit_code, status.failure != nullptr,
          [&] { return fmt::format("line {}: {}", status.line, status.failure->message); });
  }
};

// Records read on the main thread, evaluated and formatted on a worker, then
// handed to the output record by record as the one-thread loop hands them.
struct record_chunk {
  // Enough records that handing a chunk over costs little next to them, few
  // enough that the chunks in flight stay small.
  static constexpr std::size_t max_records = 1024;
  static constexpr std::size_t max_bytes = std::size_t{1} << 18;
  static constexpr std::uint8_t failed_bit = 0x80;  // in `outcomes`, over the exit code

  std::string text;  // the records' JSON one after another, then json_padding bytes
  std::vector<record> records;
  std::vector<std::size_t> offsets;  // where each record's text starts in `text`
  // Filled by the worker, a record at a time:
  std::string written;                 // the outcomes in the output format
  std::vector<std::size_t> ends;       // where each outcome ends in `written` (none when discarded)
  std::vector<std::uint8_t> outcomes;  // each record's exit code, | failed_bit when invalid
  std::vector<std::pair<std::size_t, std::string>> failures;  // record, "line N: message"
  std::vector<std::pair<std::size_t, std::string>> remarks;   // record, remark
  std::exception_ptr failure;  // thrown at record `failed_at` (out of memory)
  std::size_t failed_at = 0;
  bool done = false;

  void clear() {
    text.clear();
    records.clear();
    offsets.clear();
    written.clear();
    ends.clear();
    outcomes.clear();
    failures.clear();
    remarks.clear();
    failure = nullptr;
    failed_at = 0;
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
  // Fills the chunk from `rec` on; returns the record after it, if any.
  std::optional<record> fill(std::optional<record> rec, record_reader& reader) {
    while (rec && records.size() < max_records && text.size() < max_bytes) {
      add(*std::move(rec));
      rec = reader.next();
    }
    seal();
    return rec;
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
  // Chunks still queued are dropped; the chunks are freed only after every
  // worker has stopped.
  ~batch_workers() { stop(); }

  /// A chunk to fill, owned here so that it outlives the workers.
  record_chunk* take_chunk() {
    if (free_.empty()) return chunks_.emplace_back(std::make_unique<record_chunk>()).get();
    record_chunk* chunk = free_.back();
    free_.pop_back();
    return chunk;
  }
  /// Takes a chunk filled before the workers started.
  record_chunk* adopt(std::unique_ptr<record_chunk> chunk) {
    return chunks_.emplace_back(std::move(chunk)).get();
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
        if (closed_) return;  // the end, or a stop: the chunks left are not wanted
        chunk = queue_.front();
        queue_.pop_front();
      }
      evaluate(w, *chunk);
      {
        std::lock_guard lock(mutex_);
        chunk->done = true;
      }
      chunk_done_.notify_all();
    }
  }

  void evaluate(worker& w, record_chunk& chunk) const {
    const bool discard = discard_.load(std::memory_order_relaxed);
    std::size_t i = 0;
    try {
      for (; i < chunk.records.size(); ++i) {
        record_status status = w.command->evaluate(chunk.records[i], from_array_);
        if (!status.remark.empty()) chunk.remarks.emplace_back(i, std::move(status.remark));
        auto outcome = static_cast<std::uint8_t>(status.exit_code);
        if (status.failure) {
          outcome |= record_chunk::failed_bit;
          chunk.failures.emplace_back(
              i, fmt::format("line {}: {}", status.line, status.failure->message));
        }
        chunk.outcomes.push_back(outcome);
        if (!discard) {
          w.command->write();
          chunk.ends.push_back(w.out.buffer().size());
        }
      }
    } catch (...) {
      chunk.failure = std::current_exception();
      chunk.failed_at = i;
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

// The state of the loop over the records after the first, on one thread or
// several: the one-thread rules, record by record.
struct record_loop {
  record_command& command;
  output& out;
  const record_run& how;
  batch_tally tally;
  bool stopped_early = false;  // stopped before a record that was there (its input unread)

  // A closed pipe (`| head -1`) ends calc; check and solve still owe the
  // verdict of every record, so they read on without writing.
  [[nodiscard]] bool stops() {
    if (out.failure() || (out.pipe_closed() && !how.every_verdict)) stopped_early = true;
    return stopped_early;
  }

  // The records from `rec` on, `next()` giving each after it, on this thread.
  template <typename Next>
  void run_here(std::optional<record> rec, bool from_array, Next next) {
    for (; rec; rec = next()) {
      if (stops()) return;
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

  // A chunk's records as run_here would take them, from the worker's outcomes.
  // Returns false at a stop.
  bool take(record_chunk& chunk) {
    std::size_t from = 0, next_failure = 0, next_remark = 0;
    for (std::size_t i = 0; i < chunk.records.size(); ++i) {
      if (stops()) return false;
      if (chunk.failure && i == chunk.failed_at) std::rethrow_exception(chunk.failure);
      for (; next_remark < chunk.remarks.size() && chunk.remarks[next_remark].first == i;
           ++next_remark)
        command.remark(std::move(chunk.remarks[next_remark].second));
      const bool failed = (chunk.outcomes[i] & record_chunk::failed_bit) != 0;
      const int exit_code = chunk.outcomes[i] & 0x7f;
      if (out.pipe_closed()) {
        tally.code = std::max(tally.code, exit_code);
      } else {
        // Not discarded: the pipe was open when the worker took the chunk.
        out.write(std::string_view(chunk.written).substr(from, chunk.ends[i] - from));
        from = chunk.ends[i];
        out.maybe_flush();
        tally.count(exit_code, failed, [&] { return chunk.failures[next_failure].second; });
      }
      if (failed) ++next_failure;
    }
    return true;
  }

  // The records from `rec` on: a batch that ends within one chunk on this
  // thread; a longer one in chunks evaluated on `threads` workers.
  void run(std::optional<record> rec, record_reader& reader, bool from_array, int threads) {
    if (threads <= 1 || !rec || !command.fork()) {
      run_here(std::move(rec), from_array, [&] { return reader.next(); });
      return;
    }
    auto first = std::make_unique<record_chunk>();
    rec = first->fill(std::move(rec), reader);
    if (!rec) {  // a small batch: threads would cost more than they save
      std::size_t i = 0;
      run_here(first->records[0], from_array, [&]() -> std::optional<record> {
        if (++i < first->records.size()) return first->records[i];
        return std::nullopt;
      });
      return;
    }
    batch_workers workers(command, threads, from_array);
    if (workers.size() == 0) {
      std::size_t i = 0;
      run_here(first->records[0], from_array, [&]() -> std::optional<record> {
        if (++i < first->records.size()) return first->records[i];
        return reader.next();
      });
      return;
    }
    run_on(workers, workers.adopt(std::move(first)), std::move(rec), reader);
  }

  void run_on(batch_workers& workers, record_chunk* first, std::optional<record> rec,
              record_reader& reader) {
    // Chunks in flight: enough to keep every worker busy while one is taken,
    // and at most 64 (about 50 MB of records and outcomes) however many threads.
    const std::size_t depth = std::min<std::size_t>(2 * workers.size() + 2, 64);
    std::deque<record_chunk*> in_flight{first};
    workers.submit(first);
    bool reading = true;
    auto take_front = [&] {
      record_chunk* chunk = in_flight.front();
      in_flight.pop_front();
      const bool more = take(*chunk);
      if (out.pipe_closed()) workers.stop_writing();
      workers.give_back(chunk);
      return more;
    };
    for (;;) {
      while (!in_flight.empty() && workers.done(*in_flight.front()))
        if (!take_front()) return;  // the workers stop as they are destroyed
      if (reading && in_flight.size() < depth) {
        record_chunk* chunk = workers.take_chunk();
        rec = chunk->fill(std::move(rec), reader);
        reading = rec.has_value();
        in_flight.push_back(chunk);
        workers.submit(chunk);
        continue;
      }
      if (in_flight.empty()) return;
      workers.wait(*in_flight.front());
      if (!take_front()) return;
    }
  }
};

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
  record_loop loop{command, out, how, {}, false};
  // The first record's outcome is written before the next record replaces it.
  command.write();
  loop.tally.count(first_status);
  loop.run(std::move(second), *reader, from_array, how.threads);
  command.finish();
  const batch_tally& tally = loop.tally;
  if (out.pipe_closed()) return finish_output(out, tally.code);
  // One line on stderr: a broken input outranks the count of invalid records
  // (unless the run stopped before the input's end, where it was not reached).
  int code = tally.code;
  if (reader->fatal() && !loop.stopped_early) {
    print_error(reader->fatal()->message);
    code = 2;
  } else if (tally.failures > 0) {
    print_error(fmt::format("{} of {} records in {} are invalid (first: {})", tally.failures,
                            tally.records, reader->name(), tally.first_failure));
  }
  return finish_output(out, code);
}

}  // namespace cltv::cli
