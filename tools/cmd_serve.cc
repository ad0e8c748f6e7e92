// serve: the HTTPS API. token add: make an API token for a person or a
// program, shown once.

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "api/certificate.h"
#include "api/ledger_dir.h"
#include "api/server.h"
#include "api/tokens.h"
#include "ledger/checkpoints.h"
#include "ledger/writer.h"
#include "tools/cli.h"
#include "tools/commands.h"
#include "util/log.h"

namespace fundledger::cli {
namespace {

struct TokenOptions {
  std::string data;
  std::string name;
  std::string role;
};

int run_token_add(const TokenOptions& o) {
  const std::optional<api::Role> role = api::role_from_name(o.role);
  if (!role) return fail(Status::error(Code::kUsage, "--role is manager, board or auditor", "role"));
  // The ledger must exist; the token is for it.
  int exit_code = kExitOk;
  if (!open_store(o.data, OpenOptions{.read_only = true}, exit_code)) return exit_code;
  Result<std::string> token = api::TokenStore::add(std::filesystem::path(o.data) / api::kTokensFile, o.name, *role);
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

struct ServeOptions {
  std::string data;
  std::string listen = "127.0.0.1:8443";
  std::string cert;
  std::string key;
  unsigned threads = 0;
  std::string backups;
};

int run_serve(const ServeOptions& o) {
  const auto colon = o.listen.rfind(':');
  unsigned port = 0;
  if (colon == std::string::npos || colon == 0 ||
      std::sscanf(o.listen.c_str() + colon + 1, "%u", &port) != 1 || port > 65535 ||
      std::to_string(port) != o.listen.substr(colon + 1)) {
    return fail(Status::error(Code::kUsage, "--listen is ADDRESS:PORT, e.g. 127.0.0.1:8443", "listen"));
  }
  std::string address = o.listen.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);

  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{}, exit_code);
  if (!store) return exit_code;
  std::optional<NoteSigner> signer = ledger_key(o.data, *store, exit_code);
  if (!signer) return exit_code;
  Result<api::TokenStore> tokens = api::TokenStore::load(std::filesystem::path(o.data) / api::kTokensFile);
  if (!tokens) return fail(tokens.status());

  // SIGINT and SIGTERM are taken by this thread alone (sigwait below), not
  // by the server's threads, which inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  api::ServerOptions options;
  options.address = address;
  options.port = static_cast<std::uint16_t>(port);
  options.cert = o.cert.empty() ? std::filesystem::path(o.data) / api::kCertificateFile : std::filesystem::path(o.cert);
  options.key = o.key.empty() ? std::filesystem::path(o.data) / api::kCertificateKeyFile : std::filesystem::path(o.key);
  options.threads = o.threads;
  options.backups = o.backups;
  const std::size_t token_count = tokens->size();
  // A checkpoint of the log as it stands, before the writer starts (the
  // server signs the next ones).
  if (Result<std::string> note = sign_checkpoint(*store, *signer); !note) return fail(note.status());
  Writer writer(*store);
  Result<std::unique_ptr<api::Server>> server =
      api::Server::start(*store, writer, std::move(*tokens), std::move(*signer), options);
  if (!server) return fail(server.status());
  nlohmann::ordered_json out;
  out["url"] = "https://" + o.listen.substr(0, colon) + ":" + std::to_string((*server)->port()) + "/";
  out["tree_size"] = store->head().size;
  out["tokens"] = token_count;
  print_json(out);
  std::cout.flush();  // the URL, at once: whoever started the server waits for it
  int received = 0;
  sigwait(&signals, &received);
  log::info("stopping", {{"signal", received == SIGINT ? "SIGINT" : "SIGTERM"}});
  // The first signal stops gracefully; a second one exits at once.
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    (*server)->stop();
    stopped = true;
  });
  const timespec tick{0, 100'000'000};
  while (!stopped) {
    if (const int again = sigtimedwait(&signals, nullptr, &tick); again > 0) {
      log::warn("stopped at once by a second signal");
      // Every 201 was already synced; the store's files are left as a
      // crash leaves them, which it recovers from at the next open.
      std::_Exit(128 + again);
    }
  }
  stopper.join();
  return kExitOk;
}

}  // namespace

void add_serve_commands(CLI::App& app, Action& action) {
  auto s = std::make_shared<ServeOptions>();
  CLI::App* serve = app.add_subcommand("serve", "Serve the HTTPS API (SPEC 6) until SIGINT or SIGTERM");
  add_data_option(*serve, s->data);
  serve->add_option("--listen", s->listen, "ADDRESS:PORT to listen on (default 127.0.0.1:8443; port 0: any free one)");
  serve->add_option("--cert", s->cert, "The TLS certificate chain, PEM (default: the ledger's tls.crt)");
  serve->add_option("--key", s->key, "Its private key, PEM (default: the ledger's tls.key)");
  serve->add_option("--threads", s->threads, "Threads serving requests (default: one per core)");
  serve->add_option("--backups", s->backups,
                    "The directory POST /v1/backups backs the ledger up into (default: none, backups refused)");
  serve->callback([s, &action] { action = [s] { return run_serve(*s); }; });

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
