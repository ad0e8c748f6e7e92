// serve: the HTTPS API, until SIGINT or SIGTERM; SIGHUP reads the tokens
// file again.

#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "api/certificate.h"
#include "api/ledger_dir.h"
#include "api/public_access.h"
#include "api/server.h"
#include "api/tokens.h"
#include "ledger/checkpoints.h"
#include "ledger/writer.h"
#include "tools/cli.h"
#include "tools/commands.h"
#include "util/log.h"

namespace fundledger::cli {
namespace {

struct ServeOptions {
  std::string data;
  std::string listen = "127.0.0.1:8443";
  std::string cert;
  std::string key;
  unsigned threads = 0;
  std::string backups;
  std::optional<std::string> public_views;  // --public; nullopt: the ledger's `public` file, if any
  double public_rate = api::RateLimiter::Limits{}.per_second;  // requests/s per address; thrice that at once
};

// As many open files as the system lets this process have: every
// connection is one, and so is every table file of the store.
void raise_file_limit() {
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_cur == files.rlim_max) return;
  files.rlim_cur = files.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &files) != 0) log::warn("the open-file limit could not be raised");
}

// jemalloc, where linked (tools/jemalloc_conf.cc), keeps freed memory for
// the commands; a server that runs for months hands it back instead, a
// second after it was freed, from jemalloc's own thread, so that a burst
// of connections leaves no lasting trace. A weak symbol: the sanitizer
// builds have no jemalloc.
extern "C" int mallctl(const char* name, void* old, std::size_t* old_size, void* value, std::size_t size)
    __attribute__((weak));
void hand_back_freed_memory() {
  if (mallctl == nullptr) return;
  bool on = true;
  ssize_t decay_ms = 1000;
  ssize_t muzzy_ms = 0;
  const bool ok = mallctl("background_thread", nullptr, nullptr, &on, sizeof(on)) == 0 &&
                  mallctl("arenas.dirty_decay_ms", nullptr, nullptr, &decay_ms, sizeof(decay_ms)) == 0 &&
                  mallctl("arenas.muzzy_decay_ms", nullptr, nullptr, &muzzy_ms, sizeof(muzzy_ms)) == 0 &&
                  mallctl("arena.4096.dirty_decay_ms", nullptr, nullptr, &decay_ms, sizeof(decay_ms)) == 0 &&
                  mallctl("arena.4096.muzzy_decay_ms", nullptr, nullptr, &muzzy_ms, sizeof(muzzy_ms)) == 0;
  if (!ok) log::warn("jemalloc's decay could not be set; freed memory stays with the process");
}

// Serves until SIGINT or SIGTERM (SIGHUP reads the tokens again), then
// stops gracefully; a second signal exits at once.
int serve_until_stopped(api::Server& server, const sigset_t& signals) {
  int received = 0;
  while (sigwait(&signals, &received) == 0 && received == SIGHUP) {
    log::info("reading the tokens again", {{"signal", "SIGHUP"}});
    server.reload_tokens();
  }
  log::info("stopping", {{"signal", received == SIGINT ? "SIGINT" : "SIGTERM"}});
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server.stop();
    stopped = true;
  });
  const timespec tick{0, 100'000'000};
  while (!stopped) {
    if (const int again = sigtimedwait(&signals, nullptr, &tick); again > 0 && again != SIGHUP) {
      log::warn("stopped at once by a second signal");
      // Every 201 was already synced; the store's files are left as a
      // crash leaves them, which it recovers from at the next open.
      std::_Exit(128 + again);
    }
  }
  stopper.join();
  return kExitOk;
}

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

  raise_file_limit();
  hand_back_freed_memory();
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{}, exit_code);
  if (!store) return exit_code;
  std::optional<NoteSigner> signer = ledger_key(o.data, *store, exit_code);
  if (!signer) return exit_code;
  Result<api::TokenStore> tokens = api::TokenStore::load(std::filesystem::path(o.data) / api::kTokensFile);
  if (!tokens) return fail(tokens.status());
  Result<api::PublicViews> open = o.public_views ? api::parse_public_views(*o.public_views)
                                                 : api::read_public_views(o.data);
  if (!open) return fail(open.status());

  // SIGINT and SIGTERM are taken by this thread alone (sigwait below), not
  // by the server's threads, which inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  api::ServerOptions options;
  options.address = address;
  options.port = static_cast<std::uint16_t>(port);
  options.cert = o.cert.empty() ? std::filesystem::path(o.data) / api::kCertificateFile : std::filesystem::path(o.cert);
  options.key = o.key.empty() ? std::filesystem::path(o.data) / api::kCertificateKeyFile : std::filesystem::path(o.key);
  options.threads = o.threads;
  options.backups = o.backups;
  options.tokens_file = std::filesystem::path(o.data) / api::kTokensFile;
  options.public_views = *open;
  if (!(o.public_rate > 0)) return fail(Status::error(Code::kUsage, "--public-rate is above 0", "public_rate"));
  options.public_limits.per_second = o.public_rate;
  options.public_limits.burst = 3 * o.public_rate;
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
  out["public"] = open->names;
  print_json(out);
  std::cout.flush();  // the URL, at once: whoever started the server waits for it
  return serve_until_stopped(**server, signals);
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
  serve->add_option("--public", s->public_views,
                    "Views answered without a token, comma-separated: fund, regions, programmes, calls, statements, "
                    "exports (default: those of the ledger's `public` file, else none)");
  serve->add_option("--public-rate", s->public_rate,
                    "Requests a second one client address may make without a token, thrice that at once (default 20)");
  serve->callback([s, &action] { action = [s] { return run_serve(*s); }; });

}

}  // namespace fundledger::cli
