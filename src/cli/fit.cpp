#include "fit.hpp"

namespace cltv::cli {

CLI::App* setup_fit(CLI::App& app, fit_options& options) {
  CLI::App* cmd = app.add_subcommand("fit", "Fit a CLV model (being written)");
  cmd->add_option("model", options.model, "bgnbd, gamma-gamma or sbg")->required();
  cmd->add_option("input", options.table.path, "Input file")->required();
  return cmd;
}

int run_fit(const fit_options& /*options*/) { return 2; }

}  // namespace cltv::cli
