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

// How a shell completes a value: a fixed set of words (given as "a b"), a
// file name, or a value of the user's own. The words are [-a-z0-9_] (see
// is_choice_word), safe unquoted and inside any quotes.
struct value_syntax {
  std::string_view choices, file, free;
};

std::string action(const completion_value& value, const value_syntax& syntax) {
  if (!value.choices.empty())
    return fmt::format(fmt::runtime(syntax.choices), join(value.choices, " "));
  return std::string(value.file ? syntax.file : syntax.free);
}

constexpr value_syntax bash_values{"_cltv_words \"{}\"", "_cltv_files", ":"};
constexpr value_syntax zsh_values{"({})", "_files", " "};
constexpr value_syntax fish_option_values{" -x -a '{}'", " -r -F", " -x"};
constexpr value_syntax fish_positional_values{" -a '{}'", " -F", ""};

// --- bash ---------------------------------------------------------------

// Words and option names are [-a-zA-Z0-9_]: safe unquoted in bash patterns.
std::string bash_value_cases(const std::vector<completion_option>& options,
                             std::string_view indent) {
  std::string out;
  std::vector<std::string> free;
  for (const auto& option : options) {
    if (!option.takes_value) continue;
    const std::string pattern = join(option.names, "|");
    if (option.value.choices.empty() && !option.value.file)
      free.push_back(pattern);
    else
      out +=
          fmt::format("{}{}) {}; return ;;\n", indent, pattern, action(option.value, bash_values));
  }
  if (!free.empty()) {
    out += fmt::format("{}{}) return ;;  # a value of your own\n", indent, join(free, "|"));
  }
  return out;
}

// Every option's names ("-f --format"), or with `pattern` only those of the
// options that take a value, as a bash case pattern ("-f|--format").
std::string option_names(const std::vector<completion_option>& options, bool pattern = false) {
  std::vector<std::string> names;
  for (const auto& option : options)
    if (!pattern || option.takes_value)
      names.insert(names.end(), option.names.begin(), option.names.end());
  return join(names, pattern ? "|" : " ");
}

std::string bash_command_function(std::string_view program, const completion_command& command) {
  std::string out = fmt::format("_{}_{}() {{\n", program, command.name);
  out += "    case $prev in\n" + bash_value_cases(command.options, "        ") + "    esac\n";
  out += fmt::format(
      "    if [[ $cur == -* ]]; then\n"
      "        _cltv_words \"{}\"\n"
      "        return\n"
      "    fi\n",
      option_names(command.options));
  if (command.positionals.empty()) return out + "}\n\n";
  // Which positional the cursor is on: count the earlier words that are
  // neither options nor option values.
  const std::string values = option_names(command.options, true);
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
                       action(command.positionals[i], bash_values));
  }
  return out + "    esac\n}\n\n";
}

// The top level's options that take a value: skipped on the way to the command.
std::string bash_top_skip(std::string_view, const std::vector<completion_option>& options) {
  const std::string values = option_names(options, true);
  return values.empty() ? "" : fmt::format("            {}) ((i++)) ;;\n", values);
}

std::string bash_top_cases(const std::vector<completion_option>& options) {
  const std::string cases = bash_value_cases(options, "                ");
  return cases.empty() ? "" : "            case $prev in\n" + cases + "            esac\n";
}

constexpr std::string_view bash_script =
    R"(# bash completion for {p}                                 -*- shell-script -*-
# Generated by `{p} completion bash` from {p}'s own option definitions.

_{p}_words() {{
    mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
}}

_{p}_files() {{
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}}

{functions}_{p}() {{
    local cur prev i command=""
    COMPREPLY=()
    cur=${{COMP_WORDS[COMP_CWORD]}}
    prev=""
    ((COMP_CWORD > 0)) && prev=${{COMP_WORDS[COMP_CWORD-1]}}
    # bash splits --option=value at the '=' (COMP_WORDBREAKS).
    if [[ $cur == = ]]; then
        cur=""
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${{COMP_WORDS[COMP_CWORD-2]}}
    fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${{COMP_WORDS[i]}} in
{options}            {names}) command=${{COMP_WORDS[i]}}; break ;;
        esac
    done
    case $command in
{dispatch}        *)
{values}            if [[ $cur == -* ]]; then
                _{p}_words "{option_words}"
            else
                _{p}_words "{words}"
            fi
            ;;
    esac
}}

complete -F _{p} {p}
)";

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

std::string zsh_option_specs(const std::vector<completion_option>& options, bool top) {
  std::string out;
  for (const auto& option : options) {
    for (const auto& name : option.names) {
      const bool is_long = name.size() > 2;
      std::string spec = name;
      if (option.takes_value) spec += is_long ? "=" : "+";
      spec += "[" + zsh_escaped(first_line(option.help)) + "]";
      if (option.takes_value) {
        spec += ":" + zsh_escaped(option.value.label) + ":" +
                zsh_quoted(action(option.value, zsh_values));
      }
      // --help and --version end the command line: nothing else after them.
      const bool terminal =
          top && (name == "-h" || name == "--help" || name == "-V" || name == "--version");
      out += fmt::format("    '{}{}' \\\n", terminal ? "(- :)" : "", spec);
    }
  }
  return out;
}

std::string zsh_command_function(std::string_view program, const completion_command& command) {
  std::string out = fmt::format("_{}_{}() {{\n  _arguments -s -S \\\n", program, command.name);
  out += zsh_option_specs(command.options, false);
  for (std::size_t i = 0; i < command.positionals.size(); ++i) {
    const auto& value = command.positionals[i];
    const bool repeats = i + 1 == command.positionals.size() && command.last_positional_repeats;
    out += fmt::format("    '{}:{}:{}' \\\n", repeats ? "*" : "", zsh_escaped(value.label),
                       zsh_quoted(action(value, zsh_values)));
  }
  out.resize(out.size() - 3);  // the last " \\\n"
  return out + "\n}\n\n";
}

std::string zsh_top_specs(std::string_view, const std::vector<completion_option>& options) {
  return zsh_option_specs(options, true);
}

constexpr std::string_view zsh_script = R"(#compdef {p}
# zsh completion for {p}. Generated by `{p} completion zsh` from {p}'s own
# option definitions.

{functions}_{p}() {{
  local curcontext="$curcontext" state state_descr line ret=1
  typeset -A opt_args
  _arguments -C \
{options}    '1:command:->command' \
    '*:: :->argument' && ret=0
  case $state in
    command)
      local -a commands
      commands=(
{entries}      )
      _describe -t commands '{p} command' commands && ret=0
      ;;
    argument)
      curcontext="${{curcontext%:*:*}}:{p}-$words[1]:"
      case $words[1] in
{dispatch}      esac
      ;;
  esac
  return ret
}}

# Autoloaded from $fpath, or sourced: `source <({p} completion zsh)`.
if [[ $funcstack[1] == _{p} ]]; then
  _{p} "$@"
else
  compdef _{p} {p}
fi
)";

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
    if (option.takes_value) line += action(option.value, fish_option_values);
    out += line + " -d " + fish_quoted(first_line(option.help)) + "\n";
  }
  return out;
}

std::string fish_command_lines(std::string_view program, const completion_command& command) {
  const std::string prefix =
      fmt::format("complete -c {} -n '__fish_seen_subcommand_from {}'", program, command.name);
  std::string out = "\n" + fish_option_lines(prefix, command.options);
  // fish cannot tell the positionals apart: offer what any of them takes.
  for (const auto& value : command.positionals) {
    const std::string what = action(value, fish_positional_values);
    if (!what.empty()) out += prefix + what + "\n";
  }
  return out;
}

std::string fish_top_lines(std::string_view program,
                           const std::vector<completion_option>& options) {
  return fish_option_lines(fmt::format("complete -c {} -n __fish_use_subcommand", program),
                           options);
}

constexpr std::string_view fish_script =
    R"(# fish completion for {p}. Generated by `{p} completion fish` from {p}'s own
# option definitions.

complete -c {p} -f
{options}{entries}{functions})";

// --- one walk, three syntaxes ---------------------------------------------

// How one shell spells the script: script() fills `script` with the named
// arguments {p} (the program), {functions} (each command's completion),
// {entries} and {dispatch} (a line per command, from `entry` and `dispatch`
// with {name} and {help}), {options} and {values} (the top level's options),
// {names} (a|b), {words} (a b) and {option_words}.
struct shell_syntax {
  std::string_view name;
  std::string_view script, entry, dispatch;
  std::string (*function)(std::string_view program, const completion_command&);
  std::string (*quote)(std::string_view);  // a command's help in `entry`, if it shows it
  std::string (*options)(std::string_view program, const std::vector<completion_option>&);
  std::string (*values)(const std::vector<completion_option>&);  // or none
};

constexpr std::array<shell_syntax, 3> shells{{
    {"bash", bash_script, "", "        {name}) _{p}_{name} \"$i\" ;;\n", bash_command_function,
     nullptr, bash_top_skip, bash_top_cases},
    {"zsh", zsh_script, "        '{name}:{help}'\n", "        {name}) _{p}_{name} && ret=0 ;;\n",
     zsh_command_function, zsh_quoted, zsh_top_specs, nullptr},
    {"fish", fish_script, "complete -c {p} -n __fish_use_subcommand -a {name} -d {help}\n", "",
     fish_command_lines, fish_quoted, fish_top_lines, nullptr},
}};

std::string script(const completion_model& model, const shell_syntax& shell) {
  const std::string_view p = model.program;
  std::string functions, entries, dispatch;
  for (const auto& command : model.commands) {
    functions += shell.function(p, command);
    entries +=
        fmt::format(fmt::runtime(shell.entry), fmt::arg("p", p), fmt::arg("name", command.name),
                    fmt::arg("help", shell.quote ? shell.quote(first_line(command.help)) : ""));
    dispatch +=
        fmt::format(fmt::runtime(shell.dispatch), fmt::arg("p", p), fmt::arg("name", command.name));
  }
  const std::vector<std::string> names = command_names(model);
  return fmt::format(fmt::runtime(shell.script), fmt::arg("p", p), fmt::arg("functions", functions),
                     fmt::arg("entries", entries), fmt::arg("dispatch", dispatch),
                     fmt::arg("options", shell.options(p, model.options)),
                     fmt::arg("values", shell.values ? shell.values(model.options) : ""),
                     fmt::arg("names", join(names, "|")), fmt::arg("words", join(names, " ")),
                     fmt::arg("option_words", option_names(model.options)));
}

const shell_syntax* find_shell(std::string_view name) {
  const auto it = std::find_if(shells.begin(), shells.end(),
                               [name](const shell_syntax& shell) { return shell.name == name; });
  return it == shells.end() ? nullptr : &*it;
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
  const shell_syntax* syntax = find_shell(shell);
  return syntax ? script(model, *syntax) : "";
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
  if (!find_shell(options.shell)) {
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
