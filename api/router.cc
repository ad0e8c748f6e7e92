#include "api/router.h"

#include <algorithm>
#include <charconv>

#include <boost/beast/core/string.hpp>

#include "util/canonical.h"
#include "util/check.h"
#include "util/json.h"
#include "util/log.h"

namespace fundledger::api {
namespace {

// `text` as it may go into JSON: a client's bytes that are not UTF-8 (a
// path, an id) have each byte above 0x7F shown as '?'.
std::string printable(std::string_view text) {
  std::string out(text);
  if (!is_valid_utf8(out)) {
    for (char& c : out) {
      if (static_cast<unsigned char>(c) > 0x7f) c = '?';
    }
  }
  return out;
}

Response internal_error(const Status& status) {
  // What went wrong goes to the log, never to the client.
  log::error("request failed", {{"code", code_name(status.code())}, {"message", status.message()}});
  Response r;
  r.status = http_status(Code::kInternalError);
  r.body = canonical_json(nlohmann::json{
               {"error",
                {{"code", code_name(Code::kInternalError)},
                 {"message", "the ledger could not answer; see the server's log"}}}}) +
           "\n";
  return r;
}

// The methods of the routes whose pattern matches `path`, in alphabetical
// order, and the first such pattern; no methods when none does.
std::vector<std::string_view> methods_of(std::string_view path, std::string& pattern) {
  std::vector<std::string_view> methods;
  for (const Route& route : routes()) {
    std::string_view param;
    if (!matches(route.pattern, path, param)) continue;
    if (methods.empty()) pattern = std::string(route.pattern);
    if (std::find(methods.begin(), methods.end(), route.method) == methods.end()) methods.push_back(route.method);
  }
  std::sort(methods.begin(), methods.end());  // "GET, POST"
  return methods;
}

std::string joined(const std::vector<std::string_view>& parts, std::string_view between) {
  std::string out;
  for (const std::string_view p : parts) out += (out.empty() ? "" : std::string(between)) + std::string(p);
  return out;
}

}  // namespace

Response json_response(const nlohmann::json& body) {
  Response r;
  r.body = canonical_json(body) + "\n";
  return r;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  return !if_none_match.empty() && (if_none_match == "*" || if_none_match.find(etag) != std::string_view::npos);
}

std::optional<std::string_view> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::uint64_t> parse_seq(std::string_view text) {
  if (text.empty() || text.size() > 19 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

Response error_response(Code code, std::string_view message, std::string_view field) {
  const int status = http_status(code);
  FL_CHECK((status >= 400 && status < 500) || status == 503);
  nlohmann::json error = {{"code", code_name(code)}, {"message", printable(message)}};
  if (!field.empty()) error["field"] = printable(field);
  Response r;
  r.status = status;
  r.body = canonical_json(nlohmann::json{{"error", std::move(error)}}) + "\n";
  return r;
}

Response refusal_response(const Status& status, std::string_view field) {
  const int http = http_status(status.code());
  // The server's own failures are told in its log, not to the client; but
  // 503 says what the client can wait for (a stop, a disk).
  if (http < 400 || (http >= 500 && http != 503)) return internal_error(status);
  return error_response(status.code(), status.message(), field);
}

std::string roles_text(Roles allowed) {
  if (allowed == kPublic) return "public";
  std::string out;
  for (const Role r : kAllRoles) {
    if (takes(allowed, r)) out += (out.empty() ? "" : ",") + std::string(role_name(r));
  }
  return out;
}

bool matches(std::string_view pattern, std::string_view path, std::string_view& param) {
  param = {};
  for (;;) {
    if (pattern.empty() || path.empty()) return pattern.empty() && path.empty();
    if (pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const std::string_view want = pattern.substr(0, pattern.find('/'));
    const std::string_view got = path.substr(0, path.find('/'));
    if (want.starts_with('{')) {
      if (got.empty()) return false;
      param = got;
    } else if (want != got) {
      return false;
    }
    pattern.remove_prefix(want.size());
    path.remove_prefix(got.size());
  }
}

Router::Router(const Store& store, Writer& writer, TokenStore tokens, NoteSigner signer, const Metrics& metrics,
               std::filesystem::path backups, PublicViews public_views, RateLimiter::Limits limits)
    : tokens_(std::move(tokens)),
      signer_(std::move(signer)),
      backups_(std::move(backups)),
      public_(std::move(public_views)),
      limiter_(limits),
      services_{store, writer, signer_, metrics, views_, backups_, public_} {}

std::optional<TokenOwner> Router::authorize(std::string_view authorization, Roles allowed,
                                            Response& refusal) const {
  // The scheme is case-insensitive (RFC 9110, 11.1), then one or more spaces.
  const std::string_view scheme = authorization.substr(0, authorization.find(' '));
  std::string_view token = authorization.substr(scheme.size());
  if (!boost::beast::iequals(scheme, "Bearer") || !token.starts_with(' ')) {
    refusal = error_response(Code::kUnauthorized, "this route needs Authorization: Bearer TOKEN");
    return std::nullopt;
  }
  token.remove_prefix(std::min(token.find_first_not_of(' '), token.size()));
  TokenMatch match = tokens_.find(token, to_millis(std::chrono::system_clock::now()));
  if (!match.owner) {
    refusal = error_response(Code::kUnauthorized, match.refusal);
    return std::nullopt;
  }
  std::optional<TokenOwner>& owner = match.owner;
  if (!takes(allowed, owner->role)) {
    refusal = error_response(Code::kForbidden,
                             "a " + std::string(role_name(owner->role)) + "'s token may not use this route");
    return std::nullopt;
  }
  return owner;
}

Response Router::answer_public(const Request& request, const RouteMatch& match) const {
  Response r;
  if (const int wait = limiter_.retry_after(request.client, std::chrono::steady_clock::now()); wait > 0) {
    r = error_response(Code::kRateLimited, "too many requests without a token from this address; try again in " +
                                               std::to_string(wait) + (wait == 1 ? " second" : " seconds"));
    r.headers.emplace_back("Retry-After", std::to_string(wait));
  } else {
    r = match.route->handler(services_, Call{request, match.param, match.query, nullptr});
    make_cacheable(r, match.query, request.if_none_match);
  }
  r.route = std::string(match.route->pattern);
  return r;
}

RouteMatch match_route(const Request& request) {
  RouteMatch m;
  const auto question = request.target.find('?');
  m.path = request.target.substr(0, question);
  m.query = question == std::string_view::npos ? "" : request.target.substr(question + 1);
  // HEAD is GET without the body (RFC 9110, 9.3.2): the server sends the
  // same header and no body.
  const std::string_view method = request.method == "HEAD" ? std::string_view("GET") : request.method;
  for (const Route& r : routes()) {
    if (r.method == method && matches(r.pattern, m.path, m.param)) {
      m.route = &r;
      return m;
    }
  }
  m.param = {};
  return m;
}

Response Router::handle(const Request& request, const RouteMatch& match) const {
  const Route* route = match.route;
  if (route == nullptr) {
    std::string pattern = "other";
    const std::vector<std::string_view> methods = methods_of(match.path, pattern);
    Response r = methods.empty() ? error_response(Code::kNotFound, "no route " + std::string(match.path))
                                 : error_response(Code::kMethodNotAllowed,
                                                  "this route takes " + joined(methods, " and ") + " only");
    r.allow = joined(methods, ", ");
    r.route = std::move(pattern);
    return r;
  }
  if (route->roles != kPublic && request.authorization.empty() && public_.opens(route->method, route->pattern)) {
    return answer_public(request, match);
  }
  std::optional<TokenOwner> owner;
  if (route->roles != kPublic) {
    Response refusal;
    owner = authorize(request.authorization, route->roles, refusal);
    if (!owner) {
      refusal.route = std::string(route->pattern);
      return refusal;
    }
  }
  Response r = route->handler(services_, Call{request, match.param, match.query, owner ? &*owner : nullptr});
  r.route = std::string(route->pattern);
  return r;
}

}  // namespace fundledger::api
