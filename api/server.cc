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
#include <optional>
#include <thread>
#include <vector>

#include "api/access.h"
#include "api/http_request.h"
#include "api/ledger_dir.h"
#include "api/metrics.h"
#include "api/router.h"
#include "ledger/checkpoints.h"
#include "util/files.h"
#include "util/log.h"

namespace fundledger::api {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

constexpr std::chrono::milliseconds kTokensPoll{250};
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
  Impl(Store& store, Writer& writer, TokenStore tokens, NoteSigner signer, const ServerOptions& o)
      : options(o),
        store(store),
        writer(writer),
        signer(signer),
        router(store, writer, std::move(tokens), std::move(signer), metrics, o.backups, o.public_views,
               o.public_limits) {}

  // The timers, once the listener is open: on its threads.
  void start_timers() {
    net::io_context& io = listener->io();
    checkpoint_timer.emplace(io);
    disk_timer.emplace(io);
    tokens_timer.emplace(io);
    schedule_checkpoint();
    watch_disk();
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
      if (pusher) pusher->wake();
    });
    if (!status) log::error("checkpoint not signed", {{"code", code_name(status.code())}, {"message", status.message()}});
  }

  // While the store refuses writes, asks it to recover, first after a
  // second and then twice as long each time it still fails, up to a minute.
  void watch_disk() {
    disk_timer->expires_after(disk_retry);
    disk_timer->async_wait([this](beast::error_code ec) {
      if (ec) return;
      if (!store.failure()) {
        disk_retry = kDiskRetryFirst;
        return watch_disk();
      }
      // Recovering flushes to disk: on the pool, not on a connection's thread.
      net::post(listener->blocking(), [this] {
        const Status status = writer.recover();
        net::post(listener->io(), [this, ok = status.is_ok()] {
          disk_retry = ok ? kDiskRetryFirst : std::min(disk_retry * 2, kDiskRetryMax);
          watch_disk();
        });
      });
    });
  }

  // Every kTokensPoll: reads the tokens file again when it changed or a
  // reload was asked for, and writes the tokens' last uses now and then.
  void watch_tokens() {
    tokens_timer->expires_after(kTokensPoll);
    tokens_timer->async_wait([this](beast::error_code ec) {
      if (ec) return;
      const bool due = ++tokens_ticks % kUsedWriteTicks == 0;
      if (!tokens_busy.exchange(true)) {
        net::post(listener->blocking(), [this, due] {
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
    checkpoint_timer->expires_after(options.checkpoint_interval);
    checkpoint_timer->async_wait([this](beast::error_code ec) {
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
  std::unique_ptr<Listener> listener;
  std::unique_ptr<WitnessPusher> pusher;  // when there are witnesses
  std::optional<net::steady_timer> checkpoint_timer;
  std::optional<net::steady_timer> disk_timer;
  std::optional<net::steady_timer> tokens_timer;
  FileStamp tokens_stamp;  // the tokens file as last read; under tokens_busy
  std::uint64_t tokens_ticks = 0;  // on io's threads, one timer at a time
  std::atomic<bool> reload_asked{false};
  std::atomic<bool> tokens_busy{false};  // a read of the file or a write of tokens.used is under way
  std::map<std::string, Millis> used_written;  // under tokens_busy
  std::chrono::seconds disk_retry = kDiskRetryFirst;  // on io's threads, one timer at a time
  std::uint64_t signed_size = UINT64_MAX;  // under the writer's lock
  std::atomic<bool> stopped{false};
};

Result<std::unique_ptr<Server>> Server::start(Store& store, Writer& writer, TokenStore tokens,
                                              NoteSigner signer, const ServerOptions& options) {
  auto impl = std::make_unique<Impl>(store, writer, std::move(tokens), std::move(signer), options);
  Result<std::unique_ptr<Listener>> listener = Listener::open(options, impl->router, impl->metrics);
  if (!listener) return listener.status();
  impl->listener = std::move(*listener);
  if (!options.witnesses.empty()) {
    impl->pusher = std::make_unique<WitnessPusher>(store, writer, options.witnesses, impl->metrics, options.witness_backoff);
  }
  impl->start_timers();
  if (!options.tokens_file.empty()) {
    impl->router.tokens().merge_used(read_used(options.tokens_file.parent_path() / kTokensUsedFile));
    impl->used_written = impl->router.tokens().used();
    impl->read_tokens();
    impl->watch_tokens();
  }
  impl->listener->start();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { stop(); }

std::uint16_t Server::port() const { return impl_->listener->port(); }

bool Server::stopping() const { return impl_->listener->draining(); }

void Server::stop() {
  if (impl_->stopped.exchange(true)) return wait();
  Impl& impl = *impl_;
  net::post(impl.listener->io(), [&impl] {
    impl.checkpoint_timer->cancel();
    impl.disk_timer->cancel();
    impl.tokens_timer->cancel();
  });
  impl.listener->stop();
  if (impl.pusher) impl.pusher->stop();
  // A last checkpoint of everything appended, and the tokens' last uses.
  impl.sign_if_grown();
  if (!impl.options.tokens_file.empty() && !impl.tokens_busy.exchange(true)) impl.write_used();
  log::info("stopped");
}

void Server::reload_tokens() { impl_->reload_asked = true; }

void Server::wait() { impl_->listener->wait(); }

}  // namespace fundledger::api
