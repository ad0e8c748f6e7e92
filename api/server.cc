#include "api/server.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <sys/stat.h>

#include <array>
#include <map>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "api/access.h"
#include "api/http_request.h"
#include "api/ledger_dir.h"
#include "api/metrics.h"
#include "api/router.h"
#include "api/session.h"
#include "ledger/checkpoints.h"
#include "util/files.h"
#include "util/log.h"

namespace fundledger::api {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

// Mozilla's "intermediate" configuration (version 5.7): TLS 1.2 and 1.3,
// these suites for TLS 1.2 (TLS 1.3's are OpenSSL's defaults, all three
// of them AEAD), these groups.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:prime256v1:secp384r1";

Result<std::shared_ptr<ssl::context>> tls_context(const ServerOptions& o) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  boost::system::error_code ec;
  const bool ok = SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) == 1 &&
                  SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) == 1 &&
                  SSL_CTX_set_cipher_list(native, kTls12Ciphers) == 1 && SSL_CTX_set1_groups_list(native, kGroups) == 1;
  if (!ok) return Status::error(Code::kTlsError, "the TLS settings were refused by OpenSSL");
  // Mozilla's intermediate profile lets the client choose among the
  // suites, all of them strong: no server preference.
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  ctx->use_certificate_chain_file(o.cert.string(), ec);
  if (ec) return Status::error(Code::kTlsError, "cannot use the certificate " + o.cert.string());
  if (const Status shut = check_private(o.key); !shut) return Status::error(Code::kTlsError, shut.message());
  ctx->use_private_key_file(o.key.string(), ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(native) != 1) {
    return Status::error(Code::kTlsError, "cannot use the key " + o.key.string() + " with the certificate");
  }
  return ctx;
}

}  // namespace

constexpr std::size_t kBlockingThreads = 64;
constexpr std::chrono::milliseconds kTokensPoll{250};
constexpr std::chrono::milliseconds kAcceptRetry{50};
constexpr std::uint64_t kUsedWriteTicks = 240;  // a minute of polls

// What tells a changed file: a new inode (a file replaced by rename), size
// or time of change. All zero for a file that is not there.
struct FileStamp {
  ino_t inode = 0;
  off_t size = 0;
  std::int64_t changed_ns = 0;
  bool operator==(const FileStamp&) const = default;
};
FileStamp file_stamp(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {st.st_ino, st.st_size, st.st_ctim.tv_sec * 1'000'000'000LL + st.st_ctim.tv_nsec};
}
constexpr std::chrono::seconds kDiskRetryFirst{1};
constexpr std::chrono::seconds kDiskRetryMax{60};

struct Server::Impl {
  Impl(Store& store, Writer& writer, TokenStore tokens, NoteSigner signer, const ServerOptions& o,
       std::shared_ptr<ssl::context> tls)
      : options(o),
        store(store),
        writer(writer),
        signer(signer),
        router(store, writer, std::move(tokens), std::move(signer), metrics, o.backups, o.public_views,
               o.public_limits),
        tls(std::move(tls)),
        connections(SlotLimits{static_cast<std::size_t>(o.limits.connections_max), o.limits.per_address_max,
                               o.limits.handshakes_max}),
        shared{*this->tls, router, options.limits, draining, metrics, blocking, connections},
        acceptor(io),
        checkpoint_timer(io),
        disk_timer(io),
        tokens_timer(io),
        accept_timer(io) {}

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) {
        start_session(std::move(socket), shared);
        return accept();
      }
      // Out of file descriptors, most likely: waiting a moment rather than
      // failing again at once keeps a core free for those being served.
      log::warn("accept failed", {{"message", ec.message()}});
      accept_timer.expires_after(kAcceptRetry);
      accept_timer.async_wait([this](beast::error_code e) {
        if (!e) accept();
      });
    });
  }

  // Signs a checkpoint when the log grew since the last one, under the
  // writer's lock, so that no append is half written meanwhile.
  void sign_if_grown() {
    const Status status = writer.read_state([this](const FundState&, const Head& head) {
      if (head.size == signed_size) return;
      Result<std::string> note = sign_checkpoint(store, signer);
      if (!note) {
        log::error("checkpoint not signed", {{"code", code_name(note.status().code())}, {"message", note.status().message()}});
        return;
      }
      signed_size = head.size;
      log::info("checkpoint signed", {{"tree_size", head.size}});
    });
    if (!status) log::error("checkpoint not signed", {{"code", code_name(status.code())}, {"message", status.message()}});
  }

  // While the store refuses writes, asks it to recover, first after a
  // second and then twice as long each time it still fails, up to a minute.
  void watch_disk() {
    disk_timer.expires_after(disk_retry);
    disk_timer.async_wait([this](beast::error_code ec) {
      if (ec) return;
      if (!store.failure()) {
        disk_retry = kDiskRetryFirst;
        return watch_disk();
      }
      // Recovering flushes to disk: on the pool, not on a connection's thread.
      net::post(blocking, [this] {
        const Status status = writer.recover();
        net::post(io, [this, ok = status.is_ok()] {
          disk_retry = ok ? kDiskRetryFirst : std::min(disk_retry * 2, kDiskRetryMax);
          watch_disk();
        });
      });
    });
  }

  // Every kTokensPoll: reads the tokens file again when it changed or a
  // reload was asked for, and writes the tokens' last uses now and then.
  void watch_tokens() {
    tokens_timer.expires_after(kTokensPoll);
    tokens_timer.async_wait([this](beast::error_code ec) {
      if (ec) return;
      const bool due = ++tokens_ticks % kUsedWriteTicks == 0;
      if (!tokens_busy.exchange(true)) {
        net::post(blocking, [this, due] {
          if (reload_asked.exchange(false) || file_stamp(options.tokens_file) != tokens_stamp) read_tokens();
          if (due) write_used();
          tokens_busy = false;
        });
      }
      watch_tokens();
    });
  }

  // On the pool: the writer may wait on the disk.
  void read_tokens() {
    tokens_stamp = file_stamp(options.tokens_file);
    Result<TokenStore> tokens = TokenStore::load(options.tokens_file);
    if (!tokens) {
      log::error("tokens not read again; the ones before stay",
                 {{"code", code_name(tokens.status().code())}, {"message", tokens.status().message()}});
      return;
    }
    log::info("tokens read", {{"in_force", tokens->size()}, {"lines", tokens->records().size()}});
    const Result<std::size_t> recorded = record_access(writer, *tokens);
    router.tokens().replace(std::move(*tokens));
    if (!recorded) {
      log::error("access not recorded in the log",
                 {{"code", code_name(recorded.status().code())}, {"message", recorded.status().message()}});
    } else if (*recorded > 0) {
      log::info("access recorded in the log", {{"events", *recorded}});
    }
  }

  void write_used() {
    std::map<std::string, Millis> used = router.tokens().used();
    if (used == used_written) return;
    if (const Status s = api::write_used(options.tokens_file.parent_path() / kTokensUsedFile, used); !s) {
      log::error("tokens.used not written", {{"code", code_name(s.code())}, {"message", s.message()}});
      return;
    }
    used_written = std::move(used);
  }

  void schedule_checkpoint() {
    checkpoint_timer.expires_after(options.checkpoint_interval);
    checkpoint_timer.async_wait([this](beast::error_code ec) {
      if (ec) return;
      sign_if_grown();
      schedule_checkpoint();
    });
  }

  ServerOptions options;
  Metrics metrics;  // before the router, which reads it
  Store& store;
  Writer& writer;
  NoteSigner signer;
  Router router;
  std::shared_ptr<ssl::context> tls;
  std::atomic<bool> draining{false};
  // Appends wait for their synced write here, as many at once as
  // connections post them, so that they meet in one group commit.
  net::thread_pool blocking{kBlockingThreads};
  Connections connections;
  SessionShared shared;
  net::io_context io;
  tcp::acceptor acceptor;
  net::steady_timer checkpoint_timer;
  net::steady_timer disk_timer;
  net::steady_timer tokens_timer;
  net::steady_timer accept_timer;
  FileStamp tokens_stamp;  // the tokens file as last read; under tokens_busy
  std::uint64_t tokens_ticks = 0;  // on io's threads, one timer at a time
  std::atomic<bool> reload_asked{false};
  std::atomic<bool> tokens_busy{false};  // a read of the file or a write of tokens.used is under way
  std::map<std::string, Millis> used_written;  // under tokens_busy
  std::chrono::seconds disk_retry = kDiskRetryFirst;  // on io's threads, one timer at a time
  std::uint64_t signed_size = UINT64_MAX;  // under the writer's lock
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};
};

Result<std::unique_ptr<Server>> Server::start(Store& store, Writer& writer, TokenStore tokens,
                                              NoteSigner signer, const ServerOptions& options) {
  Result<std::shared_ptr<ssl::context>> tls = tls_context(options);
  if (!tls) return tls.status();
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(options.address, ec);
  if (ec) return Status::error(Code::kUsage, "\"" + options.address + "\" is not an IP address", "listen");
  auto impl = std::make_unique<Impl>(store, writer, std::move(tokens), std::move(signer), options, std::move(*tls));
  const tcp::endpoint endpoint(address, options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::error(Code::kStorageError, "cannot listen on " + options.address + ":" + std::to_string(options.port) +
                                              ": " + ec.message());
  }
  if (!options.tokens_file.empty()) {
    impl->router.tokens().merge_used(read_used(options.tokens_file.parent_path() / kTokensUsedFile));
    impl->used_written = impl->router.tokens().used();
    impl->read_tokens();
    impl->watch_tokens();
  }
  impl->accept();
  impl->schedule_checkpoint();
  impl->watch_disk();
  const unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) impl->threads.emplace_back([io = &impl->io] { io->run(); });
  log::info("serving", {{"address", options.address}, {"port", impl->acceptor.local_endpoint().port()},
                        {"threads", threads}});
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { stop(); }

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

bool Server::stopping() const { return impl_->draining; }

void Server::stop() {
  if (impl_->stopped.exchange(true)) return wait();
  Impl& impl = *impl_;
  // Stop accepting; close idle connections; let those answering finish.
  impl.draining = true;
  net::post(impl.io, [&impl] {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    impl.checkpoint_timer.cancel();
    impl.disk_timer.cancel();
    impl.tokens_timer.cancel();
    impl.accept_timer.cancel();
  });
  impl.connections.for_each([](Evictable& session) { session.evict(); });
  const auto deadline = std::chrono::steady_clock::now() + impl.options.drain_timeout;
  if (impl.metrics.open_connections() > 0) {
    log::info("waiting for connections to finish", {{"open", impl.metrics.open_connections()},
                                                     {"seconds_max", impl.options.drain_timeout.count()}});
  }
  while (impl.metrics.open_connections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (impl.metrics.open_connections() > 0) {
    log::warn("stopping with connections still open", {{"open", impl.metrics.open_connections()}});
  }
  impl.io.stop();
  wait();
  impl.blocking.join();
  // A last checkpoint of everything appended, and the tokens' last uses.
  impl.sign_if_grown();
  if (!impl.options.tokens_file.empty() && !impl.tokens_busy.exchange(true)) impl.write_used();
  log::info("stopped");
}

void Server::reload_tokens() { impl_->reload_asked = true; }

void Server::wait() {
  for (std::thread& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace fundledger::api
