#pragma once
// The subcommands of `fundledger`. Each add_* function adds its subcommands
// to the app; when one is chosen on the command line, `action` is set to the
// function that runs it and returns the exit code.

#include <functional>

#include <CLI/CLI.hpp>

namespace fundledger::cli {

using Action = std::function<int()>;

void add_ledger_commands(CLI::App& app, Action& action);  // init, append, events
void add_verify_command(CLI::App& app, Action& action);   // verify
void add_gen_commands(CLI::App& app, Action& action);     // gen, demo
void add_view_commands(CLI::App& app, Action& action);    // view, statement, rebuild
void add_prove_commands(CLI::App& app, Action& action);   // checkpoint, prove inclusion, prove consistency, receipt
void add_export_command(CLI::App& app, Action& action);   // export
void add_audit_command(CLI::App& app, Action& action);    // audit
void add_serve_commands(CLI::App& app, Action& action);   // serve
void add_token_commands(CLI::App& app, Action& action);   // token add, token list, token revoke
void add_backup_commands(CLI::App& app, Action& action);  // backup, restore
void add_import_command(CLI::App& app, Action& action);   // import

}  // namespace fundledger::cli
