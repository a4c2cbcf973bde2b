// A batch of records run on several threads (run_records with threads > 1)
// writes what one thread writes: every outcome in input order, the same
// remarks in input order, the same count of invalid records naming the first,
// the same exit code; an exception on a worker reaches the caller. The
// command here is a stand-in whose outcome is its record's text, so that an
// outcome written out of order or twice shows.
#include <fcntl.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/batch.hpp"

namespace {

using cltv::error;
using cltv::cli::output;
using cltv::cli::record;
using cltv::cli::record_command;
using cltv::cli::record_status;

// A record {"n":K,...}: "bad" in it makes an error, "no" a failed verdict,
// "remark" a remark, "throw" an exception. Its outcome line is "index line text".
class echo_command final : public record_command {
 public:
  explicit echo_command(bool forks = true) : forks_(forks) {}

  record_status evaluate(const record& rec, bool) override {
    text_ = std::to_string(rec.index) + " " + std::to_string(rec.line) + " " +
            std::string(rec.text) + "\n";
    record_status status;
    status.line = rec.line;
    if (rec.text.find("throw") != std::string_view::npos) throw std::runtime_error("thrown");
    if (rec.text.find("bad") != std::string_view::npos) {
      failure_ = error{"n", "record " + std::to_string(rec.index) + " is bad"};
      status.failure = &failure_;
      status.exit_code = 2;
    } else if (rec.text.find("no") != std::string_view::npos) {
      status.exit_code = 1;
    }
    if (rec.text.find("remark") != std::string_view::npos) status.remark = std::to_string(rec.line);
    return status;
  }
  void start(output& out, bool batch) override {
    out_ = &out;
    out.write(batch ? "header\n" : "single\n");
  }
  void write() override {
    out_->write(text_);
    out_->maybe_flush();
  }
  void finish() override { out_->write("end\n"); }
  void remark(std::string text) override { remarks += text + ","; }
  [[nodiscard]] std::unique_ptr<record_command> fork() const override {
    return forks_ ? std::make_unique<echo_command>() : nullptr;
  }

  std::string remarks;

 private:
  bool forks_;
  output* out_ = nullptr;
  std::string text_;
  error failure_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// What a run leaves: stdout, stderr, the exit code and the remarks.
struct run_result {
  std::string out, err, remarks;
  int code = 0;
  bool operator==(const run_result&) const = default;
};

std::ostream& operator<<(std::ostream& o, const run_result& r) {
  return o << "code " << r.code << ", " << r.out.size() << " bytes out, err: " << r.err
           << ", remarks: " << r.remarks.substr(0, 80);
}

// Runs `command` over `text` with stdout and stderr sent to files.
run_result run(const std::string& text, int threads, echo_command& command) {
  char dir_template[] = "/tmp/cltv-batch-test.XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string in = dir + "/in.ndjson", out = dir + "/out", err = dir + "/err";
  std::ofstream(in, std::ios::binary) << text;
  std::fflush(stdout);
  std::fflush(stderr);
  const int saved_out = dup(STDOUT_FILENO), saved_err = dup(STDERR_FILENO);
  const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  close(out_fd);
  close(err_fd);
  run_result r;
  std::exception_ptr thrown;
  try {
    r.code = cltv::cli::run_records(in, command,
                                    {cltv::cli::scenario_format::json, false, false, threads});
  } catch (...) {
    thrown = std::current_exception();
  }
  std::fflush(stderr);
  dup2(saved_out, STDOUT_FILENO);
  dup2(saved_err, STDERR_FILENO);
  close(saved_out);
  close(saved_err);
  r.out = slurp(out);
  r.err = slurp(err);
  // The temporary directory's name differs from run to run.
  for (auto at = r.err.find(dir); at != std::string::npos; at = r.err.find(dir))
    r.err.replace(at, dir.size(), "DIR");
  r.remarks = command.remarks;
  std::remove(in.c_str());
  std::remove(out.c_str());
  std::remove(err.c_str());
  rmdir(dir.c_str());
  if (thrown) std::rethrow_exception(thrown);
  return r;
}

// `count` records, with the markers of echo_command at the given strides.
std::string records(int count, int bad_every, int no_every, int note_every) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    text += "{\"n\":" + std::to_string(i);
    if (bad_every > 0 && i % bad_every == bad_every - 1) text += ",\"bad\":1";
    if (no_every > 0 && i % no_every == no_every - 1) text += ",\"no\":1";
    if (note_every > 0 && i % note_every == 3) text += ",\"remark\":1";
    text += "}\n";
    if (i % 997 == 0) text += "\n";  // a blank line: lines and indexes part ways
  }
  return text;
}

run_result run_with(const std::string& text, int threads) {
  echo_command command;
  return run(text, threads, command);
}

}  // namespace

TEST_CASE("a batch on threads writes the one-thread output, in order", "[threads]") {
  const std::string text = records(20000, 0, 0, 300);
  const run_result one = run_with(text, 1);
  CHECK(one.code == 0);
  CHECK(one.err.empty());
  CHECK(one.out.rfind("header\n0 1 {\"n\":0}\n", 0) == 0);
  CHECK(one.out.size() > 20000 * 10);
  CHECK(one.remarks.size() > 10);
  for (int threads : {2, 3, 8}) CHECK(run_with(text, threads) == one);
}

TEST_CASE("a batch on threads: errors and verdicts counted as on one thread", "[threads]") {
  // The first invalid record falls in a late chunk; later chunks add more:
  // the second part marks every 700th of its 3,000 records bad (its 699th,
  // 1,399th, 2,099th and 2,799th: 4), the first at index 9,000 + 699 = 9,699.
  const std::string late = records(9000, 0, 0, 0) + records(3000, 700, 450, 0);
  const run_result one = run_with(late, 1);
  CHECK(one.code == 2);
  CHECK(one.err.find("4 of 12000 records") != std::string::npos);
  CHECK(one.err.find("record 9699 is bad") != std::string::npos);
  for (int threads : {2, 4}) CHECK(run_with(late, threads) == one);

  const std::string verdicts = records(5000, 0, 1300, 0);
  const run_result no = run_with(verdicts, 1);
  CHECK(no.code == 1);
  CHECK(run_with(verdicts, 2) == no);
}

TEST_CASE("a batch on threads: two records (one thread), and a command that does not fork",
          "[threads]") {
  const std::string two = records(2, 0, 0, 0);
  CHECK(run_with(two, 2) == run_with(two, 1));
  const std::string text = records(3000, 0, 0, 0);
  echo_command serial(false);
  CHECK(run(text, 4, serial) == run_with(text, 1));
}

TEST_CASE("a batch on threads: an exception on a worker reaches the caller", "[threads]") {
  std::string text = records(6000, 0, 0, 0);
  text += "{\"throw\":1}\n" + records(3000, 0, 0, 0);
  echo_command command;
  CHECK_THROWS_WITH(run(text, 2, command), "thrown");
}
