#include "commands/completion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "io/messages.hpp"
#include "io/output.hpp"

namespace cltv::cli {

namespace {

constexpr std::array<std::string_view, 3> shells{"bash", "zsh", "fish"};

constexpr const char* completion_examples = R"(Examples:
  source <(cltv completion bash)                       # this bash only
  cltv completion bash > ~/.local/share/bash-completion/completions/cltv
  source <(cltv completion zsh)                        # zsh, after compinit
  cltv completion fish > ~/.config/fish/completions/cltv.fish

The script is generated from cltv's own option definitions, so it completes
every subcommand and option of this binary: subcommand names, option names,
fixed choices (--format, --color, --period, ...) and file names for inputs.
Installed packages (cpack -G DEB, cmake --install) put the three scripts where
bash-completion, zsh and fish look for them. Exit codes: 0 ok, 2 unknown shell.)";

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool is_choice_word(std::string_view word) {
  if (word.empty() || word.front() < 'a' || word.front() > 'z') return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// The sets of the option's IsMember/Transformer validators, which CLI11
// appends to the type name: "TEXT:{a,b,c}", maps as
// "TEXT:value in {a->x,b->y} OR {x,y}" (the mapped-to values are not words).
std::vector<std::string> validator_choices(const std::string& type_name) {
  std::vector<std::string> choices;
  std::size_t at = type_name.find(':');
  while (at != std::string::npos && (at = type_name.find('{', at)) != std::string::npos) {
    const std::size_t close = type_name.find('}', at);
    if (close == std::string::npos) break;
    for (auto& item : split(std::string_view(type_name).substr(at + 1, close - at - 1), ',')) {
      std::string word = item.substr(0, item.find("->"));
      if (is_choice_word(word) &&
          std::find(choices.begin(), choices.end(), word) == choices.end()) {
        choices.push_back(std::move(word));
      }
    }
    at = close;
  }
  return choices;
}

completion_value describe_value(const CLI::Option& opt) {
  completion_value value;
  const std::string type_name = opt.get_type_name();
  value.label = !opt.get_option_text().empty() ? opt.get_option_text()
                                               : type_name.substr(0, type_name.find(':'));
  value.choices = validator_choices(type_name);
  if (value.choices.empty()) {
    // A label of lower-case words is the list of values itself ("month|year");
    // upper-case ones (NAME|N, D|W|M) are placeholders and complete nothing.
    auto words = split(value.label, '|');
    if (words.size() > 1 && std::all_of(words.begin(), words.end(), is_choice_word)) {
      value.choices = std::move(words);
    }
  }
  static constexpr std::array<std::string_view, 5> file_labels{"FILE", "INPUT", "LOG", "RECORDS",
                                                               "PATH"};
  value.file = value.choices.empty() &&
               std::find(file_labels.begin(), file_labels.end(), value.label) != file_labels.end();
  return value;
}

// Options and positionals of one command; hidden options (no group) left out.
template <typename Command>
void describe_options(const CLI::App& app, Command& command) {
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;
    if (opt->nonpositional()) {
      completion_option option;
      for (const auto& name : opt->get_snames()) option.names.push_back("-" + name);
      for (const auto& name : opt->get_lnames()) option.names.push_back("--" + name);
      option.help = opt->get_description();
      option.takes_value = opt->get_expected_max() != 0;  // flags expect 0 values
      if (option.takes_value) option.value = describe_value(*opt);
      command.options.push_back(std::move(option));
    } else if constexpr (requires { command.positionals; }) {
      command.positionals.push_back(describe_value(*opt));
      command.last_positional_repeats = opt->get_items_expected_max() > 1;
    }
  }
}

std::string join(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += separator;
    out += word;
  }
  return out;
}

std::vector<std::string> command_names(const completion_model& model) {
  std::vector<std::string> names(model.commands.size());
  std::transform(model.commands.begin(), model.commands.end(), names.begin(),
                 [](const completion_command& command) { return command.name; });
  return names;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// --- bash ---------------------------------------------------------------

// Words and option names are [-a-zA-Z0-9_]: safe unquoted in bash patterns.
std::string bash_value_cases(const std::vector<completion_option>& options,
                             std::string_view indent) {
  std::string out;
  std::vector<std::string> free;
  for (const auto& option : options) {
    if (!option.takes_value) continue;
    const std::string pattern = join(option.names, "|");
    if (!option.value.choices.empty()) {
      out += fmt::format("{}{}) _cltv_words \"{}\"; return ;;\n", indent, pattern,
                         join(option.value.choices, " "));
    } else if (option.value.file) {
      out += fmt::format("{}{}) _cltv_files; return ;;\n", indent, pattern);
    } else {
      free.push_back(pattern);
    }
  }
  if (!free.empty()) {
    out += fmt::format("{}{}) return ;;  # a value of your own\n", indent, join(free, "|"));
  }
  return out;
}

std::string value_option_pattern(const std::vector<completion_option>& options) {
  std::vector<std::string> names;
  for (const auto& option : options) {
    if (option.takes_value) names.insert(names.end(), option.names.begin(), option.names.end());
  }
  return join(names, "|");
}

std::string option_words(const std::vector<completion_option>& options) {
  std::vector<std::string> names;
  for (const auto& option : options)
    names.insert(names.end(), option.names.begin(), option.names.end());
  return join(names, " ");
}

std::string bash_value_action(const completion_value& value) {
  if (!value.choices.empty()) return fmt::format("_cltv_words \"{}\"", join(value.choices, " "));
  if (value.file) return "_cltv_files";
  return ":";
}

std::string bash_command_function(const completion_model& model,
                                  const completion_command& command) {
  std::string out = fmt::format("_{}_{}() {{\n", model.program, command.name);
  out += "    case $prev in\n" + bash_value_cases(command.options, "        ") + "    esac\n";
  out += fmt::format(
      "    if [[ $cur == -* ]]; then\n"
      "        _cltv_words \"{}\"\n"
      "        return\n"
      "    fi\n",
      option_words(command.options));
  if (command.positionals.empty()) return out + "}\n";
  // Which positional the cursor is on: count the earlier words that are
  // neither options nor option values.
  const std::string values = value_option_pattern(command.options);
  out +=
      "    local i npos=0\n"
      "    for ((i = $1 + 1; i < COMP_CWORD; i++)); do\n"
      "        case ${COMP_WORDS[i]} in\n";
  if (!values.empty()) {
    out += fmt::format("            {}) [[ ${{COMP_WORDS[i+1]}} == = ]] && ((i++)); ((i++)) ;;\n",
                       values);
  }
  out +=
      "            -*|=) ;;\n"
      "            *) ((npos++)) ;;\n"
      "        esac\n"
      "    done\n"
      "    case $npos in\n";
  for (std::size_t i = 0; i < command.positionals.size(); ++i) {
    const bool last = i + 1 == command.positionals.size();
    out += fmt::format("        {}) {} ;;\n",
                       last && command.last_positional_repeats ? "*" : std::to_string(i),
                       bash_value_action(command.positionals[i]));
  }
  return out + "    esac\n}\n";
}

std::string bash_script(const completion_model& model) {
  const std::string& p = model.program;
  const std::vector<std::string> names = command_names(model);
  std::string out = fmt::format(
      "# bash completion for {0}                                 -*- shell-script -*-\n"
      "# Generated by `{0} completion bash` from {0}'s own option definitions.\n"
      "\n"
      "_{0}_words() {{\n"
      "    mapfile -t COMPREPLY < <(compgen -W \"$1\" -- \"$cur\")\n"
      "}}\n"
      "\n"
      "_{0}_files() {{\n"
      "    compopt -o filenames 2>/dev/null\n"
      "    mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n"
      "}}\n"
      "\n",
      p);
  for (const auto& command : model.commands) out += bash_command_function(model, command) + "\n";
  const std::string top_values = value_option_pattern(model.options);
  out += fmt::format(
      "_{0}() {{\n"
      "    local cur prev i command=\"\"\n"
      "    COMPREPLY=()\n"
      "    cur=${{COMP_WORDS[COMP_CWORD]}}\n"
      "    prev=\"\"\n"
      "    ((COMP_CWORD > 0)) && prev=${{COMP_WORDS[COMP_CWORD-1]}}\n"
      "    # bash splits --option=value at the '=' (COMP_WORDBREAKS).\n"
      "    if [[ $cur == = ]]; then\n"
      "        cur=\"\"\n"
      "    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then\n"
      "        prev=${{COMP_WORDS[COMP_CWORD-2]}}\n"
      "    fi\n"
      "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "        case ${{COMP_WORDS[i]}} in\n",
      p);
  if (!top_values.empty()) out += fmt::format("            {}) ((i++)) ;;\n", top_values);
  out += fmt::format(
      "            {0}) command=${{COMP_WORDS[i]}}; break ;;\n"
      "        esac\n"
      "    done\n"
      "    case $command in\n",
      join(names, "|"));
  for (const auto& command : model.commands) {
    out += fmt::format("        {1}) _{0}_{1} \"$i\" ;;\n", p, command.name);
  }
  const std::string top_cases = bash_value_cases(model.options, "                ");
  out += fmt::format(
      "        *)\n"
      "{1}"
      "            if [[ $cur == -* ]]; then\n"
      "                _{0}_words \"{2}\"\n"
      "            else\n"
      "                _{0}_words \"{3}\"\n"
      "            fi\n"
      "            ;;\n"
      "    esac\n"
      "}}\n"
      "\n"
      "complete -F _{0} {0}\n",
      p, top_cases.empty() ? "" : "            case $prev in\n" + top_cases + "            esac\n",
      option_words(model.options), join(names, " "));
  return out;
}

// --- zsh ----------------------------------------------------------------

// Text inside a single-quoted zsh word.
std::string zsh_quoted(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out;
}

// An _arguments description ("[...]") or message: brackets and colons escaped.
std::string zsh_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || c == '[' || c == ']' || c == ':') out += '\\';
    out += c;
  }
  return zsh_quoted(out);
}

std::string zsh_action(const completion_value& value) {
  if (!value.choices.empty()) return "(" + join(value.choices, " ") + ")";
  if (value.file) return "_files";
  return " ";
}

std::string zsh_option_specs(const std::vector<completion_option>& options, bool top) {
  std::string out;
  for (const auto& option : options) {
    for (const auto& name : option.names) {
      const bool is_long = name.size() > 2;
      std::string spec = name;
      if (option.takes_value) spec += is_long ? "=" : "+";
      spec += "[" + zsh_escaped(first_line(option.help)) + "]";
      if (option.takes_value) {
        spec += ":" + zsh_escaped(option.value.label) + ":" + zsh_quoted(zsh_action(option.value));
      }
      // --help and --version end the command line: nothing else after them.
      const bool terminal =
          top && (name == "-h" || name == "--help" || name == "-V" || name == "--version");
      out += fmt::format("    '{}{}' \\\n", terminal ? "(- :)" : "", spec);
    }
  }
  return out;
}

std::string zsh_script(const completion_model& model) {
  const std::string& p = model.program;
  std::string out = fmt::format(
      "#compdef {0}\n"
      "# zsh completion for {0}. Generated by `{0} completion zsh` from {0}'s own\n"
      "# option definitions.\n"
      "\n",
      p);
  for (const auto& command : model.commands) {
    out += fmt::format("_{}_{}() {{\n  _arguments -s -S \\\n", p, command.name);
    out += zsh_option_specs(command.options, false);
    for (std::size_t i = 0; i < command.positionals.size(); ++i) {
      const auto& value = command.positionals[i];
      const bool repeats = i + 1 == command.positionals.size() && command.last_positional_repeats;
      out += fmt::format("    '{}:{}:{}' \\\n", repeats ? "*" : "", zsh_escaped(value.label),
                         zsh_quoted(zsh_action(value)));
    }
    out.resize(out.size() - 3);  // the last " \\\n"
    out += "\n}\n\n";
  }
  out += fmt::format(
      "_{0}() {{\n"
      "  local curcontext=\"$curcontext\" state state_descr line ret=1\n"
      "  typeset -A opt_args\n"
      "  _arguments -C \\\n"
      "{1}"
      "    '1:command:->command' \\\n"
      "    '*:: :->argument' && ret=0\n"
      "  case $state in\n"
      "    command)\n"
      "      local -a commands\n"
      "      commands=(\n",
      p, zsh_option_specs(model.options, true));
  for (const auto& command : model.commands) {
    out += fmt::format("        '{}:{}'\n", command.name, zsh_quoted(first_line(command.help)));
  }
  out += fmt::format(
      "      )\n"
      "      _describe -t commands '{0} command' commands && ret=0\n"
      "      ;;\n"
      "    argument)\n"
      "      curcontext=\"${{curcontext%:*:*}}:{0}-$words[1]:\"\n"
      "      case $words[1] in\n",
      p);
  for (const auto& command : model.commands) {
    out += fmt::format("        {1}) _{0}_{1} && ret=0 ;;\n", p, command.name);
  }
  out += fmt::format(
      "      esac\n"
      "      ;;\n"
      "  esac\n"
      "  return ret\n"
      "}}\n"
      "\n"
      "# Autoloaded from $fpath, or sourced: `source <({0} completion zsh)`.\n"
      "if [[ $funcstack[1] == _{0} ]]; then\n"
      "  _{0} \"$@\"\n"
      "else\n"
      "  compdef _{0} {0}\n"
      "fi\n",
      p);
  return out;
}

// --- fish ---------------------------------------------------------------

std::string fish_quoted(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string fish_option_lines(const std::string& prefix,
                              const std::vector<completion_option>& options) {
  std::string out;
  for (const auto& option : options) {
    std::string line = prefix;
    for (const auto& name : option.names) {
      line += (name.size() > 2 ? " -l " + name.substr(2) : " -s " + name.substr(1));
    }
    if (option.takes_value) {
      if (!option.value.choices.empty()) {
        line += " -x -a " + fish_quoted(join(option.value.choices, " "));
      } else if (option.value.file) {
        line += " -r -F";
      } else {
        line += " -x";
      }
    }
    out += line + " -d " + fish_quoted(first_line(option.help)) + "\n";
  }
  return out;
}

std::string fish_script(const completion_model& model) {
  const std::string& p = model.program;
  std::string out = fmt::format(
      "# fish completion for {0}. Generated by `{0} completion fish` from {0}'s own\n"
      "# option definitions.\n"
      "\n"
      "complete -c {0} -f\n",
      p);
  out +=
      fish_option_lines(fmt::format("complete -c {} -n __fish_use_subcommand", p), model.options);
  for (const auto& command : model.commands) {
    out += fmt::format("complete -c {} -n __fish_use_subcommand -a {} -d {}\n", p, command.name,
                       fish_quoted(first_line(command.help)));
  }
  for (const auto& command : model.commands) {
    const std::string prefix =
        fmt::format("complete -c {} -n '__fish_seen_subcommand_from {}'", p, command.name);
    out += "\n" + fish_option_lines(prefix, command.options);
    // fish cannot tell the positionals apart: offer what any of them takes.
    for (const auto& value : command.positionals) {
      if (!value.choices.empty()) {
        out += prefix + " -a " + fish_quoted(join(value.choices, " ")) + "\n";
      } else if (value.file) {
        out += prefix + " -F\n";
      }
    }
  }
  return out;
}

}  // namespace

completion_model describe_cli(const CLI::App& root) {
  completion_model model;
  model.program = root.get_name();
  describe_options(root, model);
  for (const CLI::App* sub : root.get_subcommands([](const CLI::App* app) {
         return !app->get_name().empty() && !app->get_group().empty();
       })) {
    completion_command command;
    command.name = sub->get_name();
    command.help = sub->get_description();
    describe_options(*sub, command);
    model.commands.push_back(std::move(command));
  }
  return model;
}

std::string completion_script(const completion_model& model, std::string_view shell) {
  if (shell == "bash") return bash_script(model);
  if (shell == "zsh") return zsh_script(model);
  if (shell == "fish") return fish_script(model);
  return "";
}

CLI::App* setup_completion(CLI::App& app, completion_options& options) {
  CLI::App* cmd =
      app.add_subcommand("completion", "Print a shell completion script (bash, zsh, fish)");
  cmd->footer(completion_examples);
  cmd->add_option("shell", options.shell, "bash, zsh or fish")
      ->required()
      ->type_name("bash|zsh|fish");
  return cmd;
}

int run_completion(const CLI::App& root, const completion_options& options) {
  if (std::find(shells.begin(), shells.end(), options.shell) == shells.end()) {
    print_error(fmt::format("unknown shell \"{}\" for completion (shells: bash, zsh, fish)",
                            options.shell));
    return 2;
  }
  output out(1);
  out.write(completion_script(describe_cli(root), options.shell));
  out.finish();
  if (out.failure()) {
    std::fputs(fmt::format("cltv: {}\n", *out.failure()).c_str(), stderr);
    return 2;
  }
  return 0;
}

}  // namespace cltv::cli
