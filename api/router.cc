#include "api/router.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "audit/audited_view.h"
#include "ledger/canonical.h"
#include "ledger/check.h"
#include "ledger/log.h"
#include "ledger/snapshots.h"
#include "ledger/views.h"

namespace fundledger::api {
namespace {

Response json_response(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = canonical_json(body) + "\n";
  return r;
}

// The value of `name` in a query string ("a=1&b=2"), nullopt when absent.
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

// A seq in a query: decimal digits, no sign, no leading zeros but "0".
std::optional<std::uint64_t> parse_seq(std::string_view text) {
  if (text.empty() || text.size() > 19 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// The path split at '/': "/v1/donors/JPN" -> {"v1", "donors", "JPN"}.
std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return out;
}

Response internal_error(const Status& status) {
  // What went wrong goes to the log, never to the client.
  log::error("request failed", {{"code", status.code()}, {"message", status.message()}});
  return error_response(500, "internal_error", "the ledger could not answer; see the server's log");
}

}  // namespace

Response error_response(int status, std::string_view code, std::string_view message, std::string_view field) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return json_response(status, nlohmann::json{{"error", std::move(error)}});
}

Router::Router(const Store& store, TokenStore tokens, NoteSigner signer)
    : store_(store), tokens_(std::move(tokens)), signer_(std::move(signer)) {}

std::optional<TokenOwner> Router::authenticate(std::string_view authorization, Response& refusal) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (!authorization.starts_with(kBearer)) {
    refusal = error_response(401, "unauthorized", "this route needs Authorization: Bearer TOKEN");
    return std::nullopt;
  }
  std::optional<TokenOwner> owner = tokens_.find(authorization.substr(kBearer.size()));
  if (!owner) refusal = error_response(401, "unauthorized", "the token is not one of this ledger's");
  return owner;
}

Response Router::handle(std::string_view method, std::string_view target, std::string_view authorization,
                        const std::string& /*body*/) const {
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query = question == std::string_view::npos ? "" : target.substr(question + 1);
  const std::vector<std::string_view> parts = segments(path);
  auto only = [&](std::string_view allowed) -> std::optional<Response> {
    if (method == allowed) return std::nullopt;
    Response r = error_response(405, "method_not_allowed", "this route takes " + std::string(allowed) + " only");
    r.allow = std::string(allowed);
    return r;
  };

  // Public routes.
  if (path == "/healthz") {
    if (auto refused = only("GET")) return *refused;
    return json_response(200, nlohmann::json{{"ok", true}, {"tree_size", store_.head().size}});
  }
  if (path == "/v1/audit/key") {
    if (auto refused = only("GET")) return *refused;
    return key();
  }

  // The views, for any role.
  static constexpr std::string_view kViews[] = {"fund", "donors", "calls", "proposals", "programmes", "regions"};
  if (parts.size() >= 2 && parts.size() <= 3 && parts[0] == "v1" &&
      std::find(std::begin(kViews), std::end(kViews), parts[1]) != std::end(kViews)) {
    if (auto refused = only("GET")) return *refused;
    Response refusal;
    if (!authenticate(authorization, refusal)) return refusal;
    return view(parts[1], parts.size() == 3 ? parts[2] : "", query);
  }
  return error_response(404, "not_found", "no route " + std::string(path));
}

Response Router::view(std::string_view name, std::string_view id, std::string_view query) const {
  // /v1/donors/{id} is the view "donor", and so on.
  std::optional<ViewKind> kind;
  if (id.empty()) {
    kind = name == "proposals" ? std::nullopt : view_from_name(name);
  } else if (name == "donors") {
    kind = ViewKind::kDonor;
  } else if (name == "calls") {
    kind = ViewKind::kCall;
  } else if (name == "proposals") {
    kind = ViewKind::kProposal;
  }
  if (!kind) return error_response(404, "not_found", "no such view");
  std::optional<std::uint64_t> as_of;
  if (const std::optional<std::string_view> text = query_param(query, "as_of")) {
    as_of = parse_seq(*text);
    if (!as_of) return error_response(400, "invalid_as_of", "as_of is a seq: digits, 0 or more", "as_of");
  }
  Result<nlohmann::json> view = view_as_of(store_.reader(), *kind, id, as_of);
  if (!view) {
    const Status& s = view.status();
    if (s.code() == "not_found") return error_response(404, "not_found", s.message());
    if (s.code() == "invalid_as_of") return error_response(400, "invalid_as_of", s.message(), "as_of");
    return internal_error(s);
  }
  return json_response(200, sign_view(std::move(*view), signer_));
}

Response Router::key() const {
  // The public key also as PEM (SubjectPublicKeyInfo), for tools that take
  // no signed-note verifier key.
  const Ed25519PublicKey& raw = signer_.public_key();
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size());
  BIO* bio = BIO_new(BIO_s_mem());
  FL_CHECK(pkey != nullptr && bio != nullptr && PEM_write_bio_PUBKEY(bio, pkey) == 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  EVP_PKEY_free(pkey);
  return json_response(200, nlohmann::json{{"origin", store_.origin()},
                                           {"public_key_pem", pem},
                                           {"verifier_key", signer_.verifier_key()}});
}

}  // namespace fundledger::api
