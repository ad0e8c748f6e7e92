// serve: the HTTPS API, until SIGINT or SIGTERM; SIGHUP reads the tokens
// file again.

#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
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
#include "api/witness.h"
#include "ledger/checkpoints.h"
#include "ledger/writer.h"
#include "tools/cli.h"
#include "util/files.h"
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
  unsigned checkpoint_interval = 60;  // seconds
  std::string witnesses;  // --witnesses; empty: the ledger's `witnesses` file, if any
};

// The witnesses each checkpoint is sent to: --witnesses, else the
// ledger's `witnesses` file when there is one, else none.
Result<std::vector<api::WitnessEndpoint>> read_witnesses(const ServeOptions& o) {
  const std::filesystem::path path =
      o.witnesses.empty() ? std::filesystem::path(o.data) / api::kWitnessesFile : std::filesystem::path(o.witnesses);
  if (o.witnesses.empty() && !std::filesystem::exists(path)) return std::vector<api::WitnessEndpoint>{};
  Result<std::string> text = read_text_file(path);
  if (!text) return text.status();
  return api::parse_witness_endpoints(*text);
}

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

// SIGINT, SIGTERM and SIGHUP, taken by the thread that waits for them
// alone (sigwait), not by the server's threads, which inherit the mask.
sigset_t blocked_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// Serves until SIGINT or SIGTERM (SIGHUP calls `reload`), then stops
// gracefully; a second signal exits at once.
int serve_until_stopped(const std::function<void()>& stop, const std::function<void()>& reload,
                        const sigset_t& signals) {
  int received = 0;
  while (sigwait(&signals, &received) == 0 && received == SIGHUP) reload();
  log::info("stopping", {{"signal", received == SIGINT ? "SIGINT" : "SIGTERM"}});
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    stop();
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

// --listen's ADDRESS:PORT into `options`. Refusal: usage.
Status parse_listen(const std::string& listen, api::ListenOptions& options) {
  const auto colon = listen.rfind(':');
  unsigned port = 0;
  if (colon == std::string::npos || colon == 0 ||
      std::sscanf(listen.c_str() + colon + 1, "%u", &port) != 1 || port > 65535 ||
      std::to_string(port) != listen.substr(colon + 1)) {
    return Status::error(Code::kUsage, "--listen is ADDRESS:PORT, e.g. 127.0.0.1:8443", "listen");
  }
  std::string address = listen.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);
  options.address = address;
  options.port = static_cast<std::uint16_t>(port);
  return Status::ok();
}

// The URL a server listening as `listen` answers at, on the port it got.
std::string served_url(const std::string& listen, std::uint16_t port) {
  return "https://" + listen.substr(0, listen.rfind(':')) + ":" + std::to_string(port) + "/";
}

int run_serve(const ServeOptions& o) {
  api::ServerOptions options;
  if (const Status listen = parse_listen(o.listen, options); !listen) return fail(listen);

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
  Result<std::vector<api::WitnessEndpoint>> witnesses = read_witnesses(o);
  if (!witnesses) return fail(witnesses.status());

  const sigset_t signals = blocked_signals();
  options.cert = o.cert.empty() ? std::filesystem::path(o.data) / api::kCertificateFile : std::filesystem::path(o.cert);
  options.key = o.key.empty() ? std::filesystem::path(o.data) / api::kCertificateKeyFile : std::filesystem::path(o.key);
  options.threads = o.threads;
  options.backups = o.backups;
  options.tokens_file = std::filesystem::path(o.data) / api::kTokensFile;
  options.public_views = *open;
  if (!(o.public_rate > 0)) return fail(Status::error(Code::kUsage, "--public-rate is above 0", "public_rate"));
  options.public_limits.per_second = o.public_rate;
  options.public_limits.burst = 3 * o.public_rate;
  options.witnesses = std::move(*witnesses);
  if (o.checkpoint_interval == 0) {
    return fail(Status::error(Code::kUsage, "--checkpoint-interval is a number of seconds above 0", "checkpoint_interval"));
  }
  options.checkpoint_interval = std::chrono::seconds(o.checkpoint_interval);
  const std::size_t witness_count = options.witnesses.size();
  const std::size_t token_count = tokens->size();
  // A checkpoint of the log as it stands, before the writer starts (the
  // server signs the next ones).
  if (Result<std::string> note = sign_checkpoint(*store, *signer); !note) return fail(note.status());
  Writer writer(*store);
  Result<std::unique_ptr<api::Server>> server =
      api::Server::start(*store, writer, std::move(*tokens), std::move(*signer), options);
  if (!server) return fail(server.status());
  nlohmann::ordered_json out;
  out["url"] = served_url(o.listen, (*server)->port());
  out["tree_size"] = store->head().size;
  out["tokens"] = token_count;
  out["public"] = open->names;
  out["witnesses"] = witness_count;
  print_json(out);
  std::cout.flush();  // the URL, at once: whoever started the server waits for it
  api::Server& served = **server;
  return serve_until_stopped([&] { served.stop(); },
                             [&] {
                               log::info("reading the tokens again", {{"signal", "SIGHUP"}});
                               served.reload_tokens();
                             },
                             signals);
}

struct WitnessOptions {
  std::string dir;
  std::string name;
  std::string listen = "127.0.0.1:7380";
};

int run_witness_init(const WitnessOptions& o) {
  Result<std::string> vkey = api::create_witness(o.dir, o.name);
  if (!vkey) return fail(vkey.status());
  nlohmann::ordered_json out;
  out["witness"] = o.dir;
  out["verifier_key"] = *vkey;
  out["logs_file"] = (std::filesystem::path(o.dir) / api::kWitnessLogsFile).string();
  print_json(out);
  return kExitOk;
}

int run_witness_serve(const WitnessOptions& o) {
  api::ListenOptions options;
  if (const Status listen = parse_listen(o.listen, options); !listen) return fail(listen);
  const std::filesystem::path dir(o.dir);
  options.cert = dir / api::kCertificateFile;
  options.key = dir / api::kCertificateKeyFile;
  Result<Cosigner> cosigner = api::read_witness_key(dir);
  if (!cosigner) return fail(cosigner.status());
  Result<std::string> logs_text = read_text_file(dir / api::kWitnessLogsFile);
  if (!logs_text) return fail(logs_text.status());
  Result<std::vector<WitnessedLog>> logs = parse_witnessed_logs(*logs_text);
  if (!logs) return fail(logs.status());
  Result<std::unique_ptr<WitnessState>> state = WitnessState::open(dir / api::kWitnessStateDir);
  if (!state) return fail(state.status());
  const sigset_t signals = blocked_signals();
  const std::string vkey = cosigner->verifier_key();
  const std::size_t log_count = logs->size();
  Result<std::unique_ptr<api::WitnessServer>> server =
      api::WitnessServer::start(std::move(*logs), std::move(*cosigner), **state, options);
  if (!server) return fail(server.status());
  nlohmann::ordered_json out;
  out["url"] = served_url(o.listen, (*server)->port());
  out["verifier_key"] = vkey;
  out["logs"] = log_count;
  print_json(out);
  std::cout.flush();
  api::WitnessServer& served = **server;
  return serve_until_stopped([&] { served.stop(); }, [] {}, signals);
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
  serve->add_option("--checkpoint-interval", s->checkpoint_interval,
                    "Seconds between checkpoints while the log grows (default 60); each goes to the witnesses");
  serve->add_option("--witnesses", s->witnesses,
                    "The witnesses each checkpoint is sent to, lines \"witness NAME VERIFIER_KEY URL\" "
                    "(default: the ledger's `witnesses` file, if any)");
  serve->callback([s, &action] { action = [s] { return run_serve(*s); }; });

  auto w = std::make_shared<WitnessOptions>();
  CLI::App* witness = app.add_subcommand("witness", "A witness that cosigns logs' checkpoints (c2sp.org/tlog-witness)");
  witness->require_subcommand(1);
  CLI::App* init = witness->add_subcommand("init", "Make a witness's directory: its key, logs file and certificate");
  init->add_option("--dir", w->dir, "The witness's directory, new or empty")->required();
  init->add_option("--name", w->name, "The witness's name, as its cosignatures carry it (e.g. witness.example.org)")
      ->required();
  init->callback([w, &action] { action = [w] { return run_witness_init(*w); }; });
  CLI::App* run = witness->add_subcommand("serve", "Answer POST /add-checkpoint over HTTPS until SIGINT or SIGTERM");
  run->add_option("--dir", w->dir, "The witness's directory")->required();
  run->add_option("--listen", w->listen, "ADDRESS:PORT to listen on (default 127.0.0.1:7380; port 0: any free one)");
  run->callback([w, &action] { action = [w] { return run_witness_serve(*w); }; });
}

}  // namespace fundledger::cli
