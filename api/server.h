#pragma once
// The HTTPS API (SPEC 6) on Boost.Beast and Asio with OpenSSL: TLS 1.2 and
// 1.3 only, with Mozilla's "intermediate" cipher suites and groups; HTTP/1.1
// with keep-alive; a pool of threads. No plain-HTTP listener.
//
// Every route of SPEC 6, with bearer tokens and roles (api/router.h).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "api/listener.h"
#include "api/public_access.h"
#include "api/tokens.h"
#include "api/witness_push.h"
#include "audit/note.h"
#include "ledger/store.h"
#include "ledger/writer.h"
#include "util/status.h"

namespace fundledger::api {

struct ServerOptions : ListenOptions {
  // A checkpoint is signed this often while the log grows, and on stop.
  std::chrono::seconds checkpoint_interval{60};
  // Where POST /v1/backups writes (ledger/backup.h); empty: it is refused.
  std::filesystem::path backups;
  // The tokens file the tokens given came from: read again within a
  // second of a change (or on reload_tokens()), its grants and
  // revocations recorded in the log, and the tokens' last uses kept
  // beside it in `tokens.used` (api/access.h). Empty: the tokens given
  // are kept as they are.
  std::filesystem::path tokens_file;
  // The views answered without a token, and how often one client address
  // may ask for them (api/public_access.h). None by default.
  PublicViews public_views;
  RateLimiter::Limits public_limits;
  // The witnesses each new checkpoint is sent to (api/witness_push.h),
  // and how soon one that failed is tried again.
  std::vector<WitnessEndpoint> witnesses;
  WitnessPusher::Backoff witness_backoff;
};

class Server {
 public:
  // Refusals: usage (a bad address), tls_error (the certificate or key
  // cannot be used), storage_error (the port cannot be listened on).
  // Appends go through `writer`, the ledger's single writer; `store` and
  // `writer` outlive the server.
  static Result<std::unique_ptr<Server>> start(Store& store, Writer& writer, TokenStore tokens,
                                               NoteSigner signer, const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port listened on.
  std::uint16_t port() const;
  // Stops accepting, closes idle connections, lets requests in flight
  // finish (up to drain_timeout; new ones on open connections get 503),
  // joins the threads and signs a last checkpoint if the log grew.
  void stop();
  // Blocks until stop() has finished.
  void wait();
  // Whether stop() has begun: requests that arrive now are answered 503.
  bool stopping() const;
  // Reads the tokens file again now (SIGHUP), as a change of it does.
  void reload_tokens();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fundledger::api
