// fundledger: the command line. It parses arguments and calls the parts;
// the work is done in ledger/, audit/ and api/.

#include <sys/stat.h>

#include <iostream>
#include <string>

#include "tools/cli.h"
#include "tools/commands.h"
#include "util/log.h"

namespace {

// A misspelt command is named, rather than CLI11's "A subcommand is
// required".
fundledger::Status unknown_command(CLI::App& app, int argc, char** argv) {
  using fundledger::Code;
  using fundledger::Status;
  if (argc < 2 || argv[1][0] == '-') return Status::ok();
  std::string names;
  for (const CLI::App* command : app.get_subcommands({})) {
    if (command->check_name(argv[1])) return Status::ok();
    names += (names.empty() ? "" : ", ") + command->get_name();
  }
  return Status::error(Code::kUsage,
                       "there is no command \"" + std::string(argv[1]) + "\"; the commands are " + names);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace fundledger;
  // Every file and directory the program makes (RocksDB's among them) is
  // its owner's alone: 0600 and 0700.
  ::umask(077);
  CLI::App app("fundledger: the ledger of a multi-donor trust fund", "fundledger");
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show the help of every subcommand");
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log more on stderr");
  cli::Action action;
  cli::add_ledger_commands(app, action);
  cli::add_import_command(app, action);
  cli::add_verify_command(app, action);
  cli::add_prove_commands(app, action);
  cli::add_gen_commands(app, action);
  cli::add_view_commands(app, action);
  cli::add_export_command(app, action);
  cli::add_audit_command(app, action);
  cli::add_serve_commands(app, action);
  cli::add_token_commands(app, action);
  cli::add_backup_commands(app, action);
  if (const Status unknown = unknown_command(app, argc, argv); !unknown) return cli::fail(unknown);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return cli::fail(Status::error(Code::kUsage, e.what()));
  }
  // A server logs what it does (its access log); a command only what goes
  // wrong.
  const bool serves = app.got_subcommand("serve") || app.get_subcommand("witness")->got_subcommand("serve");
  log::set_level(verbose ? log::Level::kDebug : serves ? log::Level::kInfo : log::Level::kWarn);
  return action ? action() : cli::kExitUsage;
}
