#pragma once
// What each route of the API answers (SPEC 6), apart from how requests
// arrive: the server hands the router the method, the target, the
// Authorization header and the body, and sends back what it returns.
//
// Every route is one row of one table (routes(), api/routes.cc): its
// method, its path pattern, the roles that may use it and its handler.
// The router finds the row, answers 404 when no pattern matches the path
// and 405 (with Allow) when one matches but not with this method, checks
// the token and its role (401, 403), and calls the handler. The OpenAPI
// document served at /openapi.json takes each operation's x-roles from
// the same table.

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/metrics.h"
#include "api/access.h"
#include "api/public_access.h"
#include "api/tokens.h"
#include "api/view_cache.h"
#include "audit/note.h"
#include "ledger/store.h"
#include "ledger/writer.h"
#include "util/status.h"

namespace fundledger::api {

// The most events one POST may carry, and one page of GET /v1/events (the
// server's own limits are api/server.h's Limits).
inline constexpr std::size_t kPostEventsMax = 1000;
inline constexpr std::uint64_t kEventsPageMax = 1000;
inline constexpr std::uint64_t kEventsPageDefault = 100;

struct Request {
  std::string_view method;
  std::string_view target;
  std::string_view authorization;
  std::string_view content_type;
  std::string_view if_none_match;
  const std::string* body = nullptr;
  std::string_view client;  // the client's address, for the public's rate limit
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

// {"error":{"code","message","field"?}} with the code's HTTP status
// (util/error_codes.h), which must be a client's error (400 to 499) or
// 503.
Response error_response(Code code, std::string_view message, std::string_view field = "");
// The answer to a refusal: error_response of its code and `field`, but
// for the server's own failures (codes of status 500, and those the server
// never answers), which are logged and answered 500 internal_error with
// no internal message in the body.
Response refusal_response(const Status& status, std::string_view field);
inline Response refusal_response(const Status& status) { return refusal_response(status, status.field()); }

// 200 with `body` as canonical JSON and a newline.
Response json_response(const nlohmann::json& body);
// The value of `name` in a query string ("a=1&b=2"), nullopt when absent.
std::optional<std::string_view> query_param(std::string_view query, std::string_view name);
// Whether a request's If-None-Match (empty when it has none) names `etag`
// or is "*": the client holds what the answer would be, and gets 304.
bool etag_matches(std::string_view if_none_match, std::string_view etag);
// A seq in a query: decimal digits, no sign, no leading zeros but "0".
std::optional<std::uint64_t> parse_seq(std::string_view text);

// The roles a route takes, as bits of Role; kPublic needs no token.
using Roles = std::uint8_t;
inline constexpr Roles kPublic = 0;
constexpr Roles roles(std::initializer_list<Role> list) {
  Roles out = 0;
  for (const Role r : list) out |= static_cast<Roles>(1u << static_cast<unsigned>(r));
  return out;
}
// The fund's own people: the Secretariat's managers, the Board, auditors.
inline constexpr Roles kFundRoles = roles({Role::kManager, Role::kBoard, Role::kAuditor});
// They and a donor, who reads the fund's views and its own records alone
// (the handlers of routes that name a record answer a donor 404 for
// another donor's, as for none).
inline constexpr Roles kReaders = kFundRoles | roles({Role::kDonor});
constexpr bool takes(Roles allowed, Role role) { return (allowed & roles({role})) != 0; }
// "public", or the role names joined by ',' in the order of Role.
std::string roles_text(Roles allowed);

// What the handlers answer from: the ledger, its single writer and key,
// the server's metrics and its signed views.
struct Services {
  const Store& store;
  Writer& writer;
  const NoteSigner& signer;
  const Metrics& metrics;
  ViewCache& views;
  const std::filesystem::path& backups;  // empty: backups are off
  const PublicViews& public_views;       // what answers without a token
};

// One request as a handler sees it: the value of its pattern's parameter
// ({seq}, {id} or {file}; "" for a pattern without one), the query string
// and the token's owner (null on a public route).
struct Call {
  const Request& request;
  std::string_view param;
  std::string_view query;
  const TokenOwner* owner;
};

struct Route {
  std::string_view method;
  // Segments separated by '/', each literal or one "{name}" matching any
  // non-empty segment: "/v1/events/{seq}". At most one parameter.
  std::string_view pattern;
  Roles roles;
  Response (*handler)(const Services& services, const Call& call);
  // Whether answering waits long on the disk (an append's synced write, an
  // export's pass over the log): the server answers such requests on its
  // pool for blocking work.
  bool blocks;
};

// Every route the API answers, in the order of api/openapi.json.
std::span<const Route> routes();

// Whether `path` has the shape of `pattern`; sets `param` to the value of
// its parameter.
bool matches(std::string_view pattern, std::string_view path, std::string_view& param);

// The OpenAPI 3.1 document of the routes (api/openapi.json, compiled in),
// each operation's x-roles filled from routes(), the error codes from the
// table of util/error_codes.h.
const std::string& openapi_document();

// The dashboard and the raw OpenAPI text (compiled in).
extern const char kOpenApiJson[];
extern const char kDashboardHtml[];
extern const char kDashboardJs[];
extern const char kDashboardCss[];

// The route a request is for, found once: the row of routes() whose
// method and pattern match (null when none does), its parameter, and the
// target's path and query. Views into the request's target.
struct RouteMatch {
  const Route* route = nullptr;
  std::string_view param;
  std::string_view path;
  std::string_view query;
  // Whether answering waits long on the disk (Route::blocks), as a view as
  // of a day does: it reads the log from its first event.
  bool blocks() const {
    return route != nullptr && (route->blocks || query_param(query, "as_of_date").has_value());
  }
};
RouteMatch match_route(const Request& request);

// What a server answers requests with: the ledger's routes (Router), or a
// witness's one route (api/witness.h). Thread-safe.
class Handler {
 public:
  virtual ~Handler() = default;
  // The route a request is for; whether it blocks decides the thread
  // that answers it.
  virtual RouteMatch match(const Request& request) const { return match_route(request); }
  virtual Response handle(const Request& request, const RouteMatch& match) const = 0;
};

class Router final : public Handler {
 public:
  // Appends go through `writer`, the ledger's single writer. `store`,
  // `writer` and `metrics` outlive the router.
  // `public_views` answer without a token (api/public_access.h), at most
  // as often as `limits` let one client address.
  Router(const Store& store, Writer& writer, TokenStore tokens, NoteSigner signer, const Metrics& metrics,
         std::filesystem::path backups = {}, PublicViews public_views = {}, RateLimiter::Limits limits = {});

  // Thread-safe. `match` is match_route(request).
  Response handle(const Request& request, const RouteMatch& match) const override;
  Response handle(const Request& request) const { return handle(request, match_route(request)); }
  // The tokens it answers to, which the server replaces when the file changes.
  LiveTokens& tokens() { return tokens_; }

 private:
  // The owner of the request's bearer token when its role is one of
  // `allowed`; otherwise the 401 or 403 to answer.
  std::optional<TokenOwner> authorize(std::string_view authorization, Roles allowed, Response& refusal) const;
  // A request without a token to a public view: rate-limited per client
  // address, its answer cacheable.
  Response answer_public(const Request& request, const RouteMatch& match) const;

  LiveTokens tokens_;
  NoteSigner signer_;
  mutable ViewCache views_;
  std::filesystem::path backups_;
  PublicViews public_;
  mutable RateLimiter limiter_;
  Services services_;
};

}  // namespace fundledger::api
