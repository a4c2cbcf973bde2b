#include "lifespan.hpp"

namespace cltv::cli {

CLI::App* setup_lifespan(CLI::App& app, lifespan_options& options) {
  CLI::App* cmd = app.add_subcommand("lifespan", "(being written)");
  cmd->add_option("input", options.table.path, "Input file")->required();
  return cmd;
}

int run_lifespan(const lifespan_options& /*options*/) { return 2; }

}  // namespace cltv::cli
