// token add: make an API token for a person or a program, shown once.

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "api/tokens.h"
#include "tools/cli.h"
#include "tools/commands.h"

namespace fundledger::cli {
namespace {

struct TokenOptions {
  std::string data;
  std::string name;
  std::string role;
};

int run_token_add(const TokenOptions& o) {
  const std::optional<api::Role> role = api::role_from_name(o.role);
  if (!role) return fail(Status::error("usage", "--role is manager, board or auditor", "role"));
  // The ledger must exist; the token is for it.
  int exit_code = kExitOk;
  if (!open_store(o.data, OpenOptions{.read_only = true}, exit_code)) return exit_code;
  Result<std::string> token = api::TokenStore::add(std::filesystem::path(o.data) / kTokensFile, o.name, *role);
  if (!token) return fail(token.status());
  nlohmann::ordered_json out;
  out["name"] = o.name;
  out["role"] = o.role;
  out["actor"] = o.role + ":" + o.name;
  out["token"] = *token;
  print_json(out);
  std::cerr << "The token is shown this once; the ledger keeps only its hash.\n";
  return kExitOk;
}

}  // namespace

void add_serve_commands(CLI::App& app, Action& action) {
  auto t = std::make_shared<TokenOptions>();
  CLI::App* token = app.add_subcommand("token", "API tokens");
  token->require_subcommand(1);
  CLI::App* add = token->add_subcommand("add", "Make a token for --name with --role, printed once");
  add_data_option(*add, t->data);
  add->add_option("--name", t->name, "Who holds it: the name part of the actor of what it appends")->required();
  add->add_option("--role", t->role, "manager (writes and reads), board (views and proofs), auditor (views, "
                                     "events and proofs)")->required();
  add->callback([t, &action] { action = [t] { return run_token_add(*t); }; });
}

}  // namespace fundledger::cli
