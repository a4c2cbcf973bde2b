// cltv: the command-line front end. Parses, calls the library, prints.

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cltv/version.hpp"
#include "commands/backtest.hpp"
#include "commands/calc.hpp"
#include "commands/clv.hpp"
#include "commands/completion.hpp"
#include "commands/fit.hpp"
#include "commands/grid.hpp"
#include "commands/lifespan.hpp"
#include "commands/metrics.hpp"
#include "commands/predict.hpp"
#include "commands/solve.hpp"
#include "commands/summarize.hpp"

namespace {

constexpr const char* top_examples = R"(Examples:
  cltv calc --arpu 50 --churn 4% --cac 300
  cltv check --arpu 50 --churn 4% --cac 500 || echo "below 3x"
  cat scenarios.ndjson | cltv calc --input - | jq .ltv
  cltv solve cac --arpu 50 --churn 4%                 # the most you can pay per customer
  cltv summarize transactions.csv --observation-end 2024-06-30 > rfm.csv
  cltv clv rfm.csv --horizon 12 --discount-rate 1%     # BG/NBD x Gamma-Gamma per customer

Run 'cltv <command> --help' for the inputs and more examples.)";

int run(int argc, char** argv) {
  CLI::App app{"cltv: customer lifetime value, LTV:CAC and the 3x rule", "cltv"};
  app.set_version_flag("-V,--version", std::string("cltv ") + cltv::version_string);
  app.require_subcommand(1);
  app.footer(top_examples);

  // Declaring a subcommand's options is a fifth of a one-off run's work:
  // declare only the one named, or all of them for the top-level help and
  // for `completion` (which walks them all).
  const std::string_view named = argc > 1 ? argv[1] : "";
  constexpr std::array<std::string_view, 11> commands{"calc",      "check",   "solve",    "grid",
                                                      "summarize", "metrics", "lifespan", "fit",
                                                      "predict",   "clv",     "backtest"};
  const bool completing = named == "completion";
  const bool all =
      completing || std::find(commands.begin(), commands.end(), named) == commands.end();
  const auto wanted = [&](std::string_view name) { return all || named == name; };

  cltv::cli::calc_options calc;
  calc.cmd = cltv::cli::command::calc;
  cltv::cli::calc_options check;
  check.cmd = cltv::cli::command::check;
  cltv::cli::summarize_options summarize;
  CLI::App* calc_app = wanted("calc") ? cltv::cli::setup_calc(app, calc) : nullptr;
  CLI::App* check_app = wanted("check") ? cltv::cli::setup_calc(app, check) : nullptr;
  cltv::cli::solve_options solve;
  CLI::App* solve_app = wanted("solve") ? cltv::cli::setup_solve(app, solve) : nullptr;
  cltv::cli::grid_options grid;
  CLI::App* grid_app = wanted("grid") ? cltv::cli::setup_grid(app, grid) : nullptr;
  CLI::App* summarize_app =
      wanted("summarize") ? cltv::cli::setup_summarize(app, summarize) : nullptr;
  cltv::cli::metrics_options metrics;
  CLI::App* metrics_app = wanted("metrics") ? cltv::cli::setup_metrics(app, metrics) : nullptr;
  cltv::cli::lifespan_options lifespan;
  CLI::App* lifespan_app = wanted("lifespan") ? cltv::cli::setup_lifespan(app, lifespan) : nullptr;
  cltv::cli::fit_options fit;
  CLI::App* fit_app = wanted("fit") ? cltv::cli::setup_fit(app, fit) : nullptr;
  cltv::cli::predict_options predict;
  CLI::App* predict_app = wanted("predict") ? cltv::cli::setup_predict(app, predict) : nullptr;
  cltv::cli::clv_command_options clv;
  CLI::App* clv_app = wanted("clv") ? cltv::cli::setup_clv(app, clv) : nullptr;
  cltv::cli::backtest_options backtest;
  CLI::App* backtest_app = wanted("backtest") ? cltv::cli::setup_backtest(app, backtest) : nullptr;

  // Declared last, so that it is listed last; always, since it is cheap.
  cltv::cli::completion_options completion;
  CLI::App* completion_app = cltv::cli::setup_completion(app, completion);

  // CLI11 would call an unknown command "a subcommand is required": name it.
  if (argc > 1 && argv[1][0] != '-' && all && !completing) {
    std::string list;
    for (const auto c : commands) list += (list.empty() ? "" : ", ") + std::string(c);
    list += ", completion";
    std::fputs(fmt::format("cltv: unknown command \"{}\" (commands: {}; see 'cltv --help')\n",
                           argv[1], list)
                   .c_str(),
               stderr);
    return 2;
  }
  // "--churn=" (an empty value) would make CLI11 take the next argument
  // instead; pass the empty value explicitly so that it is validated.
  std::vector<std::string> args;
  for (int i = argc - 1; i >= 1; --i) {
    std::string_view arg(argv[i]);
    if (arg.size() > 3 && arg.substr(0, 2) == "--" && arg.back() == '=' &&
        arg.find('=') == arg.size() - 1) {
      args.emplace_back("");
      args.emplace_back(arg.substr(0, arg.size() - 1));
    } else {
      args.emplace_back(arg);
    }
  }

  try {
    app.parse(std::move(args));  // CLI11 takes the arguments in reverse order
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::fputs(fmt::format("cltv {}\n", cltv::version_string).c_str(), stdout);
    return 0;
  } catch (const CLI::ParseError& e) {
    // CLI11's own message is two lines and exits 100+; ours is one line and 2.
    std::string what = e.what();
    while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
    std::fputs(fmt::format("cltv: {} (see 'cltv --help')\n", what).c_str(), stderr);
    return 2;
  }
  if (calc_app && calc_app->parsed()) return cltv::cli::run_calc(calc);
  if (check_app && check_app->parsed()) return cltv::cli::run_calc(check);
  if (summarize_app && summarize_app->parsed()) return cltv::cli::run_summarize(summarize);
  if (metrics_app && metrics_app->parsed()) return cltv::cli::run_metrics(metrics);
  if (lifespan_app && lifespan_app->parsed()) return cltv::cli::run_lifespan(lifespan);
  if (fit_app && fit_app->parsed()) return cltv::cli::run_fit(fit);
  if (predict_app && predict_app->parsed()) return cltv::cli::run_predict(predict);
  if (clv_app && clv_app->parsed()) return cltv::cli::run_clv(clv);
  if (backtest_app && backtest_app->parsed()) return cltv::cli::run_backtest(backtest);
  if (solve_app && solve_app->parsed()) return cltv::cli::run_solve(solve);
  if (grid_app && grid_app->parsed()) return cltv::cli::run_grid(grid);
  if (completion_app->parsed()) return cltv::cli::run_completion(app, completion);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe shows up as EPIPE on write, handled as "stop quietly".
  std::signal(SIGPIPE, SIG_IGN);
#if defined(__GLIBC__)
  // A short-lived process: blocks up to 32 MiB (glibc's maximum) come from
  // the heap and freed memory stays there for the next allocation, instead of
  // being mapped, faulted in page by page and unmapped each time (a quarter
  // of `cltv fit` on 10^5 customers went to page faults).
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
#endif
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fputs(fmt::format("cltv: internal error: {}\n", e.what()).c_str(), stderr);
    return 2;
  }
}
