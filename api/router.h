#pragma once
// What each route of the API answers (SPEC 6), apart from how requests
// arrive: the server hands it the method, the target, the Authorization
// header and the body, and sends back what it returns.

#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>
#include <string>
#include <string_view>

#include "api/metrics.h"
#include "api/tokens.h"
#include "audit/note.h"
#include "ledger/store.h"
#include "ledger/writer.h"

namespace fundledger::api {

struct Request {
  std::string_view method;
  std::string_view target;
  std::string_view authorization;
  std::string_view content_type;
  std::string_view if_none_match;
  const std::string* body = nullptr;
};

struct Response {
  int status = 200;
  std::string body;  // JSON ending in a newline, or what content_type says
  std::string content_type = "application/json";
  std::string allow;  // for 405: the methods the route takes
  std::string route;  // the route's pattern, for the metrics and the log
  std::string etag;   // a strong ETag, for what never changes
  std::string cache_control = "no-store";
  // Further headers: the dashboard's Content-Security-Policy, an export's
  // Content-Disposition.
  std::vector<std::pair<std::string, std::string>> headers;
};

// {"error":{"code","message","field"?}} with `status`.
Response error_response(int status, std::string_view code, std::string_view message, std::string_view field = "");

// Every route the router answers, with the roles that may use it
// ("public": no token). api/openapi.json documents exactly these (a test
// holds the two together).
struct RouteSpec {
  std::string_view method;
  std::string_view pattern;
  std::string_view roles;  // "public", or role names joined by ','
};
inline constexpr RouteSpec kRoutes[] = {
    {"GET", "/", "public"},
    {"GET", "/dashboard.js", "public"},
    {"GET", "/dashboard.css", "public"},
    {"GET", "/healthz", "public"},
    {"GET", "/openapi.json", "public"},
    {"GET", "/metrics", "manager,board,auditor"},
    {"POST", "/v1/events", "manager"},
    {"GET", "/v1/events", "manager,auditor"},
    {"GET", "/v1/events/{seq}", "manager,auditor"},
    {"GET", "/v1/fund", "manager,board,auditor"},
    {"GET", "/v1/donors", "manager,board,auditor"},
    {"GET", "/v1/donors/{id}", "manager,board,auditor"},
    {"GET", "/v1/calls", "manager,board,auditor"},
    {"GET", "/v1/calls/{id}", "manager,board,auditor"},
    {"GET", "/v1/proposals/{id}", "manager,board,auditor"},
    {"GET", "/v1/programmes", "manager,board,auditor"},
    {"GET", "/v1/regions", "manager,board,auditor"},
    {"GET", "/v1/audit/checkpoint", "public"},
    {"GET", "/v1/audit/key", "public"},
    {"GET", "/v1/audit/inclusion", "manager,board,auditor"},
    {"GET", "/v1/audit/consistency", "manager,board,auditor"},
    {"GET", "/v1/exports/{file}", "manager,board,auditor"},
};

// The OpenAPI 3.1 document of the routes (api/openapi.json, compiled in).
extern const char kOpenApiJson[];
// The dashboard (api/dashboard/, compiled in).
extern const char kDashboardHtml[];
extern const char kDashboardJs[];
extern const char kDashboardCss[];

// The most events one POST may carry, and one page of GET /v1/events.
inline constexpr std::size_t kPostEventsMax = 1000;
inline constexpr std::uint64_t kEventsPageMax = 1000;
inline constexpr std::uint64_t kEventsPageDefault = 100;
// The memory kept for signed views, computed once per (view, id, seq): all
// are dropped when one more would pass it (a large fund's calls view is
// some hundreds of kilobytes, its fund view two).
inline constexpr std::size_t kSignedViewsBytesMax = 64 << 20;

class Router {
 public:
  // Appends go through `writer`, the ledger's single writer.
  Router(const Store& store, Writer& writer, TokenStore tokens, NoteSigner signer, const Metrics& metrics);

  Response handle(const Request& request) const;
  // Whether answering `request` waits long on the disk: an append's synced
  // write, an export's pass over the whole log. The server answers those
  // on its pool for blocking work.
  static bool blocks(const Request& request);

 private:
  Response route(const Request& request, std::string& name) const;
  // The owner of the request's bearer token, or the 401 to answer.
  std::optional<TokenOwner> authenticate(std::string_view authorization, Response& refusal) const;
  Response view(std::string_view name, std::string_view id, std::string_view query) const;
  Response key() const;
  Response checkpoint() const;
  Response post_events(const TokenOwner& owner, const std::string& body) const;
  Response events(std::string_view query, std::string_view if_none_match) const;
  Response event(std::string_view seq) const;
  Response inclusion(std::string_view query) const;
  Response consistency(std::string_view query) const;
  Response export_file(std::string_view file, std::string_view query) const;

  // Signed views by (view, id, seq), up to kSignedViewsBytesMax.
  mutable std::mutex views_mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const std::string>> views_;  // guarded by views_mu_
  mutable std::size_t views_bytes_ = 0;                                                 // guarded by views_mu_

  const Store& store_;
  Writer& writer_;
  const Metrics& metrics_;
  TokenStore tokens_;
  NoteSigner signer_;
};

}  // namespace fundledger::api
