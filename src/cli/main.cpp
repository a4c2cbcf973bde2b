// cltv: the command-line front end. Parses, calls the library, prints.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

#include "cltv/closest_name.hpp"
#include "cltv/version.hpp"
#include "commands/backtest.hpp"
#include "commands/calc.hpp"
#include "commands/clv.hpp"
#include "commands/completion.hpp"
#include "commands/convert.hpp"
#include "commands/fit.hpp"
#include "commands/grid.hpp"
#include "commands/lifespan.hpp"
#include "commands/metrics.hpp"
#include "commands/plot.hpp"
#include "commands/predict.hpp"
#include "commands/report.hpp"
#include "commands/solve.hpp"
#include "commands/sql.hpp"
#include "commands/summarize.hpp"
#include "io/messages.hpp"
#include "io/progress.hpp"

namespace {

using namespace cltv::cli;

// One declared command: its CLI11 subcommand, and how to run it once parsed.
struct declared_command {
  CLI::App* app = nullptr;
  std::function<int(const CLI::App& root)> run;
};

// Declares a command whose options live in an `Options` object that the
// runner owns (CLI11 binds each option to a member of it).
template <typename Options, CLI::App* (*setup)(CLI::App&, Options&), int (*run)(const Options&)>
declared_command declare(CLI::App& root) {
  auto options = std::make_shared<Options>();
  CLI::App* sub = setup(root, *options);
  return {sub, [options](const CLI::App&) { return run(*options); }};
}

// `completion` walks the whole command tree, so its runner takes the root.
declared_command declare_completion(CLI::App& root) {
  auto options = std::make_shared<completion_options>();
  CLI::App* sub = setup_completion(root, *options);
  return {sub, [options](const CLI::App& app) { return run_completion(app, *options); }};
}

struct command_entry {
  std::string_view name;
  declared_command (*declare)(CLI::App& root);
};

// Every command, in the order `cltv --help` lists them. Adding a command is
// one line here (and its file under commands/).
constexpr std::array command_table{
    command_entry{"calc", declare<calc_options, setup_calc, run_calc>},
    command_entry{"check", declare<calc_options, setup_check, run_calc>},
    command_entry{"solve", declare<solve_options, setup_solve, run_solve>},
    command_entry{"grid", declare<grid_options, setup_grid, run_grid>},
    command_entry{"plot", declare<plot_options, setup_plot, run_plot>},
    command_entry{"report", declare<report_options, setup_report, run_report>},
    command_entry{"convert", declare<convert_options, setup_convert, run_convert>},
    command_entry{"summarize", declare<summarize_options, setup_summarize, run_summarize>},
    command_entry{"metrics", declare<metrics_options, setup_metrics, run_metrics>},
    command_entry{"lifespan", declare<lifespan_options, setup_lifespan, run_lifespan>},
    command_entry{"fit", declare<fit_options, setup_fit, run_fit>},
    command_entry{"predict", declare<predict_options, setup_predict, run_predict>},
    command_entry{"clv", declare<clv_command_options, setup_clv, run_clv>},
    command_entry{"backtest", declare<backtest_options, setup_backtest, run_backtest>},
    command_entry{"sql", declare<sql_options, setup_sql, run_sql>},
    // Last, so that it is listed last; always declared, since it is cheap.
    command_entry{"completion", declare_completion},
};

// The names a user could have meant: every command.
std::vector<std::string_view> command_names() {
  std::vector<std::string_view> names;
  names.reserve(command_table.size());
  for (const command_entry& c : command_table) names.push_back(c.name);
  return names;
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> names,
                         std::string_view prefix) {
  const std::string_view best = cltv::closest_name(word, names);
  return best.empty() ? std::string() : fmt::format("; did you mean {}{}?", prefix, best);
}

// Whether `arg` ("--arpu", "--arpu=5", "-h") names an option of `command`
// or of the root (--help, --version).
bool is_known_option(const CLI::App& root, const CLI::App& command, std::string_view arg) {
  std::string name(arg.substr(0, arg.find('=')));
  return command.get_option_no_throw(name) != nullptr || root.get_option_no_throw(name) != nullptr;
}

// An argument that looks like an option, not a negative number ("-5", "-.5").
bool looks_like_option(std::string_view arg) {
  return arg.size() > 1 && arg[0] == '-' && arg[1] != '.' && (arg[1] < '0' || arg[1] > '9');
}

// The text before CLI11's ": " (an option name), or empty.
std::string_view option_named_in(std::string_view what) {
  const std::size_t colon = what.find(": ");
  return colon == std::string_view::npos ? std::string_view() : what.substr(0, colon);
}

// CLI11's parse errors in plain words, one line: the unknown option with a
// suggestion, the repeated or valueless option, the conflicting pair.
std::string plain_parse_error(const CLI::ParseError& e, const CLI::App& root,
                              const CLI::App* command, std::string_view command_name) {
  std::string what = e.what();
  while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
  const std::string help =
      command ? fmt::format("see 'cltv {} --help'", command_name) : "see 'cltv --help'";
  if (dynamic_cast<const CLI::ExtrasError*>(&e) && command) {
    const std::vector<std::string> extras = command->remaining();
    std::vector<std::string> long_names;
    for (const CLI::Option* option : command->get_options())
      for (const std::string& name : option->get_lnames()) long_names.push_back(name);
    const std::vector<std::string_view> names(long_names.begin(), long_names.end());
    for (const std::string& arg : extras)
      if (looks_like_option(arg) && !is_known_option(root, *command, arg)) {
        const std::string_view bare = std::string_view(arg).substr(0, arg.find('='));
        return fmt::format("unknown option {} for {}{} ({})", bare, command_name,
                           did_you_mean(bare.substr(bare.find_first_not_of('-')), names, "--"),
                           help);
      }
    if (!extras.empty())
      return fmt::format("unexpected argument \"{}\" for {} ({})", extras.front(), command_name,
                         help);
  }
  if (const auto* mismatch = dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    const std::string_view option = option_named_in(mismatch->what());
    if (!option.empty() && what.find("At Most") != std::string::npos)
      return fmt::format("{} is given more than once: give it once ({})", option, help);
    if (!option.empty() && what.find("missing") != std::string::npos)
      return fmt::format("{} needs a value ({})", option, help);
  }
  if (dynamic_cast<const CLI::ExcludesError*>(&e)) {
    const std::size_t at = what.find(" excludes ");
    if (at != std::string::npos)
      return fmt::format("give {} or {}, not both ({})", what.substr(0, at), what.substr(at + 10),
                         help);
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e) && command && !what.empty() && what[0] != '-') {
    const std::size_t at = what.find(" is required");
    if (at != std::string::npos)  // a positional argument
      return fmt::format("{} needs its {} argument ({})", command_name, what.substr(0, at), help);
  }
  if (!command && !root.remaining().empty() && looks_like_option(root.remaining().front()))
    return fmt::format("unknown option {} ({})", root.remaining().front(), help);
  return fmt::format("{} ({})", what, help);
}

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
  bool quiet = false;
  app.add_flag("-q,--quiet", quiet,
               "No progress line on stderr (shown only on a terminal, for work over 2 s)");

  // Declaring a subcommand's options is a fifth of a one-off run's work:
  // declare only the one named, or all of them for the top-level help and
  // for `completion` (which walks them all).
  const std::string_view named = argc > 1 ? argv[1] : "";
  const auto known = std::find_if(command_table.begin(), command_table.end(),
                                  [&](const command_entry& c) { return c.name == named; });
  // `cltv --version` needs no command at all.
  const bool version_only = named == "--version" || named == "-V";
  const bool all = (known == command_table.end() && !version_only) || named == "completion";
  std::vector<declared_command> declared;
  for (const command_entry& c : command_table)
    if (all || c.name == named || c.name == "completion") declared.push_back(c.declare(app));
  for (const declared_command& c : declared)  // every command takes it too, after its name
    c.app->add_flag("-q,--quiet", quiet, "No progress line on stderr");

  // `cltv` alone: what it can do, on stderr, as a usage error.
  if (argc == 1) {
    std::fputs(app.help().c_str(), stderr);
    return 2;
  }
  // CLI11 would call an unknown command "a subcommand is required": name it.
  if (argv[1][0] != '-' && known == command_table.end()) {
    const std::vector<std::string_view> names = command_names();
    print_error(fmt::format("unknown command \"{}\"{} (commands: {}; see 'cltv --help')", argv[1],
                            did_you_mean(argv[1], names, ""), fmt::join(names, ", ")));
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
    const CLI::App* command = nullptr;
    for (const declared_command& c : declared)
      if (known != command_table.end() && c.app->get_name() == named) command = c.app;
    // A command's own subcommand (`plot tracking`) was being parsed: name it.
    std::string command_name(named);
    if (command != nullptr) {
      while (!command->get_subcommands().empty()) {
        command = command->get_subcommands().back();
        command_name += " " + command->get_name();
      }
    }
    print_error(plain_parse_error(e, app, command, command_name));
    return 2;
  }
  if (quiet) disable_progress();
  for (const declared_command& c : declared)
    if (c.app->parsed()) return c.run(app);
  return 2;
}

#if defined(__GLIBC__)
// Free memory at the top of the heap up to this much stays for the process
// (well above heap_reservation, which later frees at the top add to).
constexpr std::size_t heap_trim_threshold = std::size_t{512} << 20;
#endif

#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
// Kept below heap_trim_threshold: glibc gives the top of the heap back once
// more than that is free there, and the reservation would go with it.
constexpr std::size_t heap_reservation = std::size_t{240} << 20;

// The next 240 MiB of the heap (address space; pages are touched as used) are
// reserved at once and asked to be backed by 2 MiB pages, as glibc's
// glibc.malloc.hugetlb=1 tunable would do for the whole heap (Debian's
// transparent huge pages are "madvise": only memory asked for gets them). A
// page fault costs about 7 µs on the virtual machines this is measured on,
// and a data command touches thousands of 4 KiB pages: BG/NBD's fit of
// 100,000 customers went from 51 to 39 ms, and `cltv calc` is unchanged
// (bench/RESULTS.md). Memory grows by up to 2 MiB per region touched. Not
// done under an address-space or data limit below 1 GiB (ulimit -v, -d),
// where the reservation could make a later allocation fail, nor when the
// user tunes malloc (GLIBC_TUNABLES, MALLOC_TOP_PAD_), whose pad it resets.
void back_heap_with_huge_pages() {
  constexpr std::uintptr_t huge_page = std::uintptr_t{2} << 20;
  for (const int resource : {RLIMIT_AS, RLIMIT_DATA}) {
    rlimit limit{};
    if (getrlimit(resource, &limit) != 0 ||
        (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < (rlim_t{1} << 30)))
      return;
  }
  if (std::getenv("GLIBC_TUNABLES") != nullptr || std::getenv("MALLOC_TOP_PAD_") != nullptr) return;
  mallopt(M_TOP_PAD, static_cast<int>(heap_reservation));
  char* const start = static_cast<char*>(sbrk(0));
  void* volatile grow = malloc(std::size_t{1} << 20);  // volatile: the pair must not be elided
  const bool grown = grow != nullptr;
  free(grow);
  char* const end = static_cast<char*>(sbrk(0));
  mallopt(M_TOP_PAD, 128 * 1024);  // glibc's default: later growth asks for what it needs
  if (!grown || end <= start) return;
  // The whole 2 MiB pages between the old and the new end of the heap.
  const auto at = reinterpret_cast<std::uintptr_t>(start);
  const std::uintptr_t skip = (huge_page - at % huge_page) % huge_page;
  const auto span = static_cast<std::uintptr_t>(end - start);
  if (span >= skip + huge_page)
    (void)madvise(start + skip, (span - skip) / huge_page * huge_page, MADV_HUGEPAGE);
}
#else
void back_heap_with_huge_pages() {}
#endif

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
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(heap_trim_threshold));
  back_heap_with_huge_pages();
#endif
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    cltv::cli::print_error(fmt::format("internal error: {}", e.what()));
    return 2;
  }
}
