// The completion model is read off the CLI11 definition: whatever a command
// declares is completed, with no list kept by hand.
#include "commands/completion.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

namespace {

using cltv::cli::completion_command;
using cltv::cli::completion_option;

const completion_command& command(const cltv::cli::completion_model& model,
                                  const std::string& name) {
  for (const auto& c : model.commands) {
    if (c.name == name) return c;
  }
  FAIL("no command " << name);
  throw;  // unreachable: FAIL throws
}

const completion_option& option(const completion_command& c, const std::string& name) {
  for (const auto& o : c.options) {
    for (const auto& n : o.names) {
      if (n == name) return o;
    }
  }
  FAIL("no option " << name << " in " << c.name);
  throw;
}

}  // namespace

TEST_CASE("describe_cli walks every command the app declares", "[completion]") {
  CLI::App app{"test", "cltv"};
  app.set_version_flag("-V,--version", "1");
  std::string format;
  std::string color;
  std::string input;
  std::string period;
  std::string freq;
  std::string model_name;
  std::vector<std::string> files;
  std::string secret;
  bool flag = false;
  auto* solve = app.add_subcommand("solve", "Solve for one input\nsecond line");
  solve->add_option("-f,--format", format, "Output")
      ->transform(CLI::IsMember({"table", "json"}, CLI::ignore_case))
      ->option_text("table|json");
  solve->add_option("--color", color, "Colour")->check(CLI::IsMember({"auto", "never"}));
  solve->add_option("-i,--input", input, "Scenarios")->type_name("FILE");
  solve->add_option("--period", period, "Period")->type_name("month|year");
  solve->add_option("--freq", freq, "Grouping")->option_text("D|W|M");
  solve->add_option("--secret", secret, "Hidden")->group("");
  solve->add_flag("--explain", flag, "Explain");
  auto* fit = app.add_subcommand("fit", "Fit");
  fit->add_option("model", model_name, "Model")->required()->option_text("MODEL");
  fit->add_option("inputs", files, "Inputs")->option_text("INPUT");
  const std::map<std::string, int> units{{"day", 1}, {"week", 7}};
  std::string unit;
  fit->add_option("--unit", unit, "Unit")->transform(CLI::CheckedTransformer(units));
  app.add_subcommand("internal", "Hidden command")->group("");

  const auto model = cltv::cli::describe_cli(app);
  CHECK(model.program == "cltv");

  SECTION("commands in declaration order, hidden ones left out, help cut to one line later") {
    REQUIRE(model.commands.size() == 2);
    CHECK(model.commands[0].name == "solve");
    CHECK(model.commands[1].name == "fit");
    CHECK(model.commands[0].help == "Solve for one input\nsecond line");
  }
  SECTION("top-level options: help and version flags") {
    REQUIRE(model.options.size() == 2);
    CHECK(model.options[0].names == std::vector<std::string>{"-h", "--help"});
    CHECK(model.options[1].names == std::vector<std::string>{"-V", "--version"});
    CHECK_FALSE(model.options[1].takes_value);
  }
  SECTION("choices from IsMember validators, whatever the help label says") {
    const auto& s = command(model, "solve");
    CHECK(option(s, "--format").names == std::vector<std::string>{"-f", "--format"});
    CHECK(option(s, "-f").value.choices == std::vector<std::string>{"table", "json"});
    CHECK(option(s, "--color").value.choices == std::vector<std::string>{"auto", "never"});
  }
  SECTION("choices from a lower-case label; upper-case labels are placeholders") {
    const auto& s = command(model, "solve");
    CHECK(option(s, "--period").value.choices == std::vector<std::string>{"month", "year"});
    CHECK(option(s, "--freq").value.choices.empty());
    CHECK_FALSE(option(s, "--freq").value.file);
    CHECK(option(s, "--freq").takes_value);
  }
  SECTION("file names for FILE and INPUT values") {
    const auto& s = command(model, "solve");
    CHECK(option(s, "--input").value.file);
    CHECK(option(s, "--input").value.label == "FILE");
    const auto& f = command(model, "fit");
    REQUIRE(f.positionals.size() == 2);
    CHECK_FALSE(f.positionals[0].file);
    CHECK(f.positionals[1].file);
    CHECK(f.last_positional_repeats);
  }
  SECTION("a map's keys are the choices") {
    CHECK(option(command(model, "fit"), "--unit").value.choices ==
          std::vector<std::string>{"day", "week"});
  }
  SECTION("flags take no value; hidden options are left out") {
    const auto& s = command(model, "solve");
    CHECK_FALSE(option(s, "--explain").takes_value);
    for (const auto& o : s.options) CHECK(o.names.back() != "--secret");
  }
}

TEST_CASE("completion_script knows three shells", "[completion]") {
  CLI::App app{"test", "cltv"};
  std::string format;
  app.add_subcommand("grid", "Sensitivity grid")
      ->add_option("--metric", format, "Metric")
      ->check(CLI::IsMember({"ltv", "net_value"}));
  const auto model = cltv::cli::describe_cli(app);
  const std::string bash = cltv::cli::completion_script(model, "bash");
  CHECK(bash.find("complete -F _cltv cltv") != std::string::npos);
  CHECK(bash.find("--metric) _cltv_words \"ltv net_value\"; return ;;") != std::string::npos);
  CHECK(
      cltv::cli::completion_script(model, "zsh").find("'--metric=[Metric]:TEXT:(ltv net_value)'") !=
      std::string::npos);
  CHECK(cltv::cli::completion_script(model, "fish")
            .find("complete -c cltv -n '__fish_seen_subcommand_from grid' -l metric -x -a 'ltv "
                  "net_value' "
                  "-d 'Metric'") != std::string::npos);
  CHECK(cltv::cli::completion_script(model, "powershell").empty());
  CHECK(cltv::cli::completion_script(model, "Bash").empty());
}
