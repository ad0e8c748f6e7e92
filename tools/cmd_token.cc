// token add, token list, token revoke: the API's tokens (api/tokens.h).
// A grant or revocation is recorded in the log at once when no server
// holds the ledger, and by the server when it reads the changed file
// (api/access.h).

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "api/access.h"
#include "api/ledger_dir.h"
#include "api/tokens.h"
#include "ledger/replay.h"
#include "ledger/writer.h"
#include "tools/cli.h"
#include "tools/commands.h"

namespace fundledger::cli {
namespace {

struct TokenOptions {
  std::string data;
  std::string name;
  std::string role;
  std::string donor;     // --role donor: the donor whose records it reads
  int expires_days = 0;  // 0: never
  std::string actor = default_actor();
};

std::filesystem::path tokens_path(const TokenOptions& o) { return std::filesystem::path(o.data) / api::kTokensFile; }

// Records the file's grants and revocations in the log, or says that the
// server holding the ledger will, or why they are not recorded yet: the
// file has changed already, and the next `serve` records what the log
// lacks, so the command goes on to print what it did.
void record(const TokenOptions& o, nlohmann::ordered_json& out) {
  Result<std::unique_ptr<Store>> store = Store::open(o.data, OpenOptions{});
  if (!store && store.status().code() == Code::kLedgerInUse) {
    out["log"] = "the server holding the ledger applies it and records it within a second";
    return;
  }
  Status why = store.status();
  if (store) {
    Result<api::TokenStore> tokens = api::TokenStore::load(tokens_path(o));
    why = tokens.status();
    if (tokens) {
      Writer writer(**store);
      why = api::record_access(writer, *tokens).status();
    }
  }
  if (!why) {
    out["log"] = "not recorded yet (" + why.to_string() + "); serve records it when it starts";
    return;
  }
  out["log"] = "recorded";
  out["tree_size"] = (*store)->head().size;
}

// The ledger must exist: the tokens are its. A donor's token must name a
// donor the ledger has registered.
bool ledger_exists(const TokenOptions& o, int& exit_code) {
  const auto store = open_store(o.data, OpenOptions{.read_only = true}, exit_code);
  if (store == nullptr || o.role != "donor" || o.donor.empty()) return store != nullptr;
  Result<std::unique_ptr<FundState>> state = state_as_of(store->reader(), store->head().size);
  if (!state) {
    exit_code = fail(state.status());
    return false;
  }
  if ((*state)->donor(o.donor) == nullptr) {
    exit_code = fail(Status::error(Code::kUnknownDonor, "there is no donor \"" + o.donor + "\"", "donor"));
    return false;
  }
  return true;
}

api::TokenChange change_of(const TokenOptions& o) {
  api::TokenChange change;
  change.by = o.actor;
  if (o.expires_days != 0) change.expires_days = o.expires_days;
  return change;
}

nlohmann::ordered_json time_or_null(const std::optional<Millis>& t) {
  return t ? nlohmann::ordered_json(format_timestamp(*t)) : nlohmann::ordered_json(nullptr);
}

int run_token_add(const TokenOptions& o) {
  const std::optional<api::Role> role = api::role_from_name(o.role);
  if (!role) return fail(Status::error(Code::kUsage, "--role is manager, board, auditor or donor", "role"));
  if (!is_actor(o.actor)) return fail(Status::error(Code::kUsage, "--actor is ROLE:NAME", "actor"));
  int exit_code = kExitOk;
  if (!ledger_exists(o, exit_code)) return exit_code;
  const api::TokenChange change = change_of(o);
  Result<std::string> token = api::TokenStore::add(tokens_path(o), o.name, *role, change, o.donor);
  if (!token) return fail(token.status());
  nlohmann::ordered_json out;
  out["name"] = o.name;
  out["role"] = o.role;
  out["actor"] = o.role + ":" + o.name;
  if (!o.donor.empty()) out["donor"] = o.donor;
  out["token"] = *token;
  out["expires"] = time_or_null(change.expires_at());
  record(o, out);
  print_json(out);
  std::cerr << "The token is shown this once; the ledger keeps only its hash.\n";
  return kExitOk;
}

int run_token_revoke(const TokenOptions& o) {
  if (!is_actor(o.actor)) return fail(Status::error(Code::kUsage, "--actor is ROLE:NAME", "actor"));
  int exit_code = kExitOk;
  if (!ledger_exists(o, exit_code)) return exit_code;
  Result<api::TokenRecord> revoked = api::TokenStore::revoke(tokens_path(o), o.name, change_of(o));
  if (!revoked) return fail(revoked.status());
  nlohmann::ordered_json out;
  out["name"] = o.name;
  out["role"] = api::role_name(revoked->owner.role);
  out["token"] = revoked->hash_prefix();
  out["revoked"] = format_timestamp(*revoked->revoked);
  record(o, out);
  print_json(out);
  return kExitOk;
}

int run_token_list(const TokenOptions& o) {
  int exit_code = kExitOk;
  if (!ledger_exists(o, exit_code)) return exit_code;
  Result<api::TokenStore> tokens = api::TokenStore::load(tokens_path(o));
  if (!tokens) return fail(tokens.status());
  const std::map<std::string, Millis> used = api::read_used(std::filesystem::path(o.data) / api::kTokensUsedFile);
  const Millis now = to_millis(std::chrono::system_clock::now());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const api::TokenRecord& r : tokens->records()) {
    nlohmann::ordered_json t;
    t["name"] = r.owner.name;
    t["role"] = api::role_name(r.owner.role);
    if (!r.owner.donor.empty()) t["donor"] = r.owner.donor;
    t["state"] = r.state(now);
    t["token"] = r.hash_prefix();
    t["created"] = time_or_null(r.created);
    t["granted_by"] = r.granted_by.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.granted_by);
    t["expires"] = time_or_null(r.expires);
    const auto last = used.find(r.hash_prefix());
    t["last_used"] = last == used.end() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(format_timestamp(last->second));
    if (r.revoked) {
      t["revoked"] = format_timestamp(*r.revoked);
      t["revoked_by"] = r.revoked_by;
    }
    list.push_back(std::move(t));
  }
  nlohmann::ordered_json out;
  out["tokens"] = std::move(list);
  print_json(out);
  return kExitOk;
}

}  // namespace

void add_token_commands(CLI::App& app, Action& action) {
  auto t = std::make_shared<TokenOptions>();
  CLI::App* token = app.add_subcommand("token", "API tokens: add, list, revoke");
  token->require_subcommand(1);

  CLI::App* add = token->add_subcommand("add", "Make a token for --name with --role, printed once");
  add_data_option(*add, t->data);
  add->add_option("--name", t->name, "Who holds it: the name part of the actor of what it appends")->required();
  add->add_option("--role", t->role, "manager (writes and reads), board (views and proofs), auditor (views, "
                                     "events and proofs), donor (the fund's views and its own records)")->required();
  add->add_option("--donor", t->donor, "With --role donor: the donor whose records the token reads");
  add->add_option("--expires", t->expires_days, "Days until it stops working, 1 to 3660 (default: never)");
  add->add_option("--actor", t->actor, "Who grants it, as ROLE:NAME, recorded in the log")->capture_default_str();
  add->callback([t, &action] { action = [t] { return run_token_add(*t); }; });

  CLI::App* list = token->add_subcommand("list", "Every token: name, role, state, created, expires, last used");
  add_data_option(*list, t->data);
  list->callback([t, &action] { action = [t] { return run_token_list(*t); }; });

  CLI::App* revoke = token->add_subcommand("revoke", "Revoke NAME's token: refused from then on");
  add_data_option(*revoke, t->data);
  revoke->add_option("name", t->name, "The token's name")->required();
  revoke->add_option("--actor", t->actor, "Who revokes it, as ROLE:NAME, recorded in the log")->capture_default_str();
  revoke->callback([t, &action] { action = [t] { return run_token_revoke(*t); }; });
}

}  // namespace fundledger::cli
