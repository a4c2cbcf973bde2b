#include "metrics.hpp"

namespace cltv::cli {

CLI::App* setup_metrics(CLI::App& app, metrics_options& options) {
  CLI::App* cmd = app.add_subcommand("metrics", "(being written)");
  cmd->add_option("input", options.table.path, "Input file")->required();
  return cmd;
}

int run_metrics(const metrics_options& /*options*/) { return 2; }

}  // namespace cltv::cli
