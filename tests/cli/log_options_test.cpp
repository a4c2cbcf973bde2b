// summarize's read options are declared in one place (add_log_summary_options)
// and so offered by clv and predict with --log, under the same names, with
// the same defaults; the ones a SUMMARY cannot take are known as log-only.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "commands/clv.hpp"
#include "commands/predict.hpp"
#include "commands/summarize.hpp"

namespace {

std::set<std::string> option_names(const CLI::App& command) {
  std::set<std::string> names;
  for (const CLI::Option* o : command.get_options()) names.insert(o->get_name());
  return names;
}

std::set<std::string> names_of(const std::vector<const CLI::Option*>& options) {
  std::set<std::string> names;
  for (const CLI::Option* o : options) names.insert(o->get_name());
  return names;
}

}  // namespace

TEST_CASE("clv and predict offer every read option of summarize", "[log-options]") {
  CLI::App app{"test", "cltv"};
  cltv::cli::summarize_options summarize;
  cltv::cli::clv_command_options clv;
  cltv::cli::predict_options predict;
  const CLI::App* s = cltv::cli::setup_summarize(app, summarize);
  const CLI::App* c = cltv::cli::setup_clv(app, clv);
  const CLI::App* p = cltv::cli::setup_predict(app, predict);

  std::set<std::string> read = option_names(*s);
  read.erase("log");       // clv and predict: --log FILE instead of the argument
  read.erase("--format");  // summarize's output, not how it reads
  // summarize's output too: names the T column `periods`; with --log, a
  // BG/BB model already counts each --freq period as an opportunity.
  read.erase("--opportunities");
  for (const CLI::App* command : {c, p}) {
    const std::set<std::string> offered = option_names(*command);
    for (const std::string& name : read) {
      INFO(command->get_name() << " " << name);
      CHECK(offered.count(name) == 1);
    }
    CHECK(offered.count("--log") == 1);
  }

  SECTION("with the same defaults") {
    CHECK(clv.valuation.input.log.freq == summarize.freq);
    CHECK(clv.valuation.input.log.log.customer_col == summarize.log.customer_col);
    CHECK(clv.valuation.input.log.log.date_col == summarize.log.date_col);
    CHECK(clv.valuation.input.log.log.amount_col == summarize.log.amount_col);
    CHECK(predict.input.log.time_unit == summarize.time_unit);
  }

  SECTION("log-only: all but the id column, the unit and the table layout") {
    const std::set<std::string> log_only = names_of(clv.valuation.input.log_flags.log_only);
    CHECK(log_only == std::set<std::string>{"--date-col", "--amount-col", "--allow-refunds",
                                            "--date-format", "--no-amount", "--freq",
                                            "--observation-end", "--calibration-end",
                                            "--calibration-periods", "--sorted"});
    CHECK(names_of(predict.input.log_flags.log_only) == log_only);
    CHECK(names_of(clv.valuation.input.summary_only) ==
          std::set<std::string>{"--frequency-col", "--recency-col", "--T-col", "--monetary-col"});
  }
}
