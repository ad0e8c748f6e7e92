#pragma once
// The views a fund may open to the public, answered without a token: which
// are open (`serve --public fund,regions,...` or the ledger's `public`
// file), how often one client address may ask (a token bucket a client,
// refused with 429 and Retry-After beyond it), and the caching headers
// that let any HTTP cache in front of the server carry the load.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/status.h"

namespace fundledger::api {

struct Response;  // api/router.h

// The file beside the ledger that turns public views on: one line, the
// names as --public takes them.
inline constexpr std::string_view kPublicFile = "public";

// The views that may be public, as --public names them.
inline constexpr std::string_view kPublicViewNames[] = {"fund", "regions", "programmes", "calls", "statements",
                                                        "exports"};

// The names of the views open to the public, each once, in the order of
// kPublicViewNames.
struct PublicViews {
  std::vector<std::string> names;
  bool empty() const { return names.empty(); }
  bool has(std::string_view name) const;
  // Whether the route of `method` and `pattern` answers the public: the
  // routes of an open view (`/v1/calls` and `/v1/calls/{id}` for "calls",
  // `/v1/exports/{file}` for "exports").
  bool opens(std::string_view method, std::string_view pattern) const;
};

// "fund,regions,calls" (spaces and a trailing newline allowed). Refusals:
// usage (a name not of kPublicViewNames).
Result<PublicViews> parse_public_views(std::string_view list);
// The views the ledger's `public` file opens; none when there is no file.
// Refusals: those of parse_public_views, storage_error.
Result<PublicViews> read_public_views(const std::filesystem::path& ledger_dir);

// Requests without a token, per client address: `burst` at once, then
// `per_second`. Thread-safe. Remembers at most `addresses_max` addresses,
// forgetting all when full (a client forgotten starts with a full bucket).
class RateLimiter {
 public:
  struct Limits {
    double per_second = 20;
    double burst = 60;
    std::size_t addresses_max = 100000;
  };
  RateLimiter() : RateLimiter(Limits{}) {}
  explicit RateLimiter(Limits limits) : limits_(limits) {}
  // 0 when the request may go on; otherwise the whole seconds to wait.
  int retry_after(std::string_view address, std::chrono::steady_clock::time_point now);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  const Limits limits_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
};

// Makes a 200 answer to the public cacheable: `Cache-Control: public`,
// for a minute at the head and for a year (immutable) when the request
// names its seq (`as_of=`), and a strong ETag of the body's SHA-256; a 304
// without the body when `if_none_match` holds that tag.
void make_cacheable(Response& r, std::string_view query, std::string_view if_none_match);

}  // namespace fundledger::api
