#include "api/router.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "api/proofs.h"
#include "audit/audited_view.h"
#include "util/canonical.h"
#include "ledger/checkpoints.h"
#include "domain/event.h"
#include "domain/exports.h"
#include "ledger/replay.h"
#include "util/json.h"
#include "ledger/tree.h"
#include "util/check.h"
#include "util/log.h"
#include "ledger/snapshots.h"
#include "domain/views.h"

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

// ?as_of=SEQ into `out` (left alone when absent); the 400 to answer when
// it is not a seq.
std::optional<Response> as_of_param(std::string_view query, std::optional<std::uint64_t>& out) {
  const std::optional<std::string_view> text = query_param(query, "as_of");
  if (!text) return std::nullopt;
  out = parse_seq(*text);
  if (!out) return error_response(400, "invalid_as_of", "as_of is a seq: digits, 0 or more", "as_of");
  return std::nullopt;
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

Response error_response(int status, std::string_view code, std::string_view message, std::string_view field) {
  nlohmann::json error = {{"code", code}, {"message", printable(message)}};
  if (!field.empty()) error["field"] = printable(field);
  return json_response(status, nlohmann::json{{"error", std::move(error)}});
}

Router::Router(const Store& store, Writer& writer, TokenStore tokens, NoteSigner signer, const Metrics& metrics)
    : store_(store), writer_(writer), metrics_(metrics), tokens_(std::move(tokens)), signer_(std::move(signer)) {}

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

bool Router::blocks(const Request& request) {
  return request.method == "POST" || request.target.starts_with("/v1/exports/");
}

Response Router::handle(const Request& request) const {
  std::string name = "other";
  Response r = route(request, name);
  r.route = std::move(name);
  return r;
}

Response Router::route(const Request& request, std::string& name) const {
  const std::string_view method = request.method;
  const std::string_view target = request.target;
  const std::string_view authorization = request.authorization;
  const std::string_view content_type = request.content_type;
  const std::string& body = *request.body;
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
  // The token's owner, when its role is one of `roles`; otherwise the 401
  // or 403 to answer.
  auto allowed = [&](std::initializer_list<Role> roles, Response& refusal) -> std::optional<TokenOwner> {
    std::optional<TokenOwner> owner = authenticate(authorization, refusal);
    if (!owner) return std::nullopt;
    if (std::find(roles.begin(), roles.end(), owner->role) == roles.end()) {
      refusal = error_response(403, "forbidden",
                               "a " + std::string(role_name(owner->role)) + "'s token may not use this route");
      return std::nullopt;
    }
    return owner;
  };
  Response refusal;

  // The dashboard: public; its data comes from the routes below, with the
  // token the person signs in with. Its scripts and styles come from here
  // alone, and it may talk to this server alone.
  if (path == "/" || path == "/dashboard.js" || path == "/dashboard.css") {
    name = std::string(path);
    if (auto refused = only("GET")) return *refused;
    Response r;
    r.body = path == "/" ? kDashboardHtml : path == "/dashboard.js" ? kDashboardJs : kDashboardCss;
    r.content_type = path == "/" ? "text/html; charset=utf-8"
                     : path == "/dashboard.js" ? "text/javascript; charset=utf-8"
                                               : "text/css; charset=utf-8";
    r.headers = {{"Content-Security-Policy",
                  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
                  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
                 {"X-Content-Type-Options", "nosniff"},
                 {"Referrer-Policy", "no-referrer"}};
    return r;
  }

  // Public routes.
  if (path == "/healthz" || path == "/openapi.json" || path == "/v1/audit/key" || path == "/v1/audit/checkpoint" || path == "/v1/events" ||
      path == "/v1/audit/inclusion" || path == "/v1/audit/consistency" || path == "/metrics") {
    name = std::string(path);
  }
  if (path == "/healthz") {
    if (auto refused = only("GET")) return *refused;
    return json_response(200, nlohmann::json{{"ok", true}, {"tree_size", store_.head().size}});
  }
  if (path == "/v1/audit/key") {
    if (auto refused = only("GET")) return *refused;
    return key();
  }
  if (path == "/openapi.json") {
    if (auto refused = only("GET")) return *refused;
    Response r;
    r.body = kOpenApiJson;
    return r;
  }
  if (path == "/v1/audit/checkpoint") {
    if (auto refused = only("GET")) return *refused;
    return checkpoint();
  }

  if (path == "/v1/events") {
    if (method == "POST") {
      const std::optional<TokenOwner> owner = allowed({Role::kManager}, refusal);
      if (!owner) return refusal;
      const std::string_view type = content_type.substr(0, content_type.find(';'));
      if (type != "application/json") {
        return error_response(415, "unsupported_media_type", "events are sent as Content-Type: application/json");
      }
      return post_events(*owner, body);
    }
    if (auto refused = only("GET")) {
      refused->allow = "GET, POST";
      refused->body = error_response(405, "method_not_allowed", "this route takes GET and POST only").body;
      return *refused;
    }
    if (!allowed({Role::kManager, Role::kAuditor}, refusal)) return refusal;
    return events(query, request.if_none_match);
  }
  if (parts.size() == 3 && parts[0] == "v1" && parts[1] == "events") {
    name = "/v1/events/{seq}";
    if (auto refused = only("GET")) return *refused;
    if (!allowed({Role::kManager, Role::kAuditor}, refusal)) return refusal;
    return event(parts[2]);
  }
  if (path == "/metrics") {
    if (auto refused = only("GET")) return *refused;
    if (!allowed({Role::kManager, Role::kBoard, Role::kAuditor}, refusal)) return refusal;
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_.render(store_.head().size, writer_.groups(), writer_.events_written(), writer_.largest_group());
    return r;
  }
  if (path == "/v1/audit/inclusion" || path == "/v1/audit/consistency") {
    if (auto refused = only("GET")) return *refused;
    if (!allowed({Role::kManager, Role::kBoard, Role::kAuditor}, refusal)) return refusal;
    return path == "/v1/audit/inclusion" ? inclusion(query) : consistency(query);
  }

  if (parts.size() == 3 && parts[0] == "v1" && parts[1] == "exports") {
    name = "/v1/exports/{file}";
    if (auto refused = only("GET")) return *refused;
    if (!allowed({Role::kManager, Role::kBoard, Role::kAuditor}, refusal)) return refusal;
    return export_file(parts[2], query);
  }

  // The views, for any role.
  static constexpr std::string_view kLists[] = {"fund", "donors", "calls", "programmes", "regions"};
  static constexpr std::string_view kOnes[] = {"donors", "calls", "proposals"};
  auto among = [](const auto& names, std::string_view name) {
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
  };
  if (!parts.empty() && parts[0] == "v1" &&
      ((parts.size() == 2 && among(kLists, parts[1])) || (parts.size() == 3 && among(kOnes, parts[1])))) {
    name = "/v1/" + std::string(parts[1]) + (parts.size() == 3 ? "/{id}" : "");
    if (auto refused = only("GET")) return *refused;
    if (!allowed({Role::kManager, Role::kBoard, Role::kAuditor}, refusal)) return refusal;
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
  if (auto bad = as_of_param(query, as_of)) return *bad;
  // Computed and signed once per (view, id, seq), then served from memory.
  const std::shared_ptr<const StoreReader> reader = store_.reader();
  const std::uint64_t seq = as_of.value_or(reader->head().size);
  std::string key = std::string(view_name(*kind)) + '\n' + std::string(id) + '\n' + std::to_string(seq);
  {
    std::lock_guard lock(views_mu_);
    if (const auto found = views_.find(key); found != views_.end()) {
      Response r;
      r.body = *found->second;
      return r;
    }
  }
  Result<nlohmann::json> view = view_as_of(reader, *kind, id, seq);
  if (!view) {
    const Status& s = view.status();
    if (s.code() == "not_found") return error_response(404, "not_found", s.message());
    if (s.code() == "invalid_as_of") return error_response(400, "invalid_as_of", s.message(), "as_of");
    return internal_error(s);
  }
  Response r = json_response(200, sign_view(std::move(*view), signer_));
  const std::size_t bytes = key.size() + r.body.size();
  std::lock_guard lock(views_mu_);
  if (views_bytes_ + bytes > kSignedViewsBytesMax) {
    views_.clear();
    views_bytes_ = 0;
  }
  if (views_.emplace(std::move(key), std::make_shared<const std::string>(r.body)).second) views_bytes_ += bytes;
  return r;
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

namespace {

// A refusal of the client's request, or an internal failure.
Response refused(const Status& s) {
  const std::string& code = s.code();
  if (code == "store_failed" || code == "storage_error" || code == "store_corrupt") return internal_error(s);
  if (code == "id_conflict") return error_response(409, code, s.message(), s.field());
  if (code == "not_found") return error_response(404, code, s.message(), s.field());
  return error_response(400, code, s.message(), s.field());
}

nlohmann::json receipt_json(const Receipt& r) {
  return nlohmann::json{{"chain_hash", to_hex(r.chain)}, {"id", r.id}, {"leaf_hash", to_hex(r.leaf)}, {"seq", r.seq}};
}

// A query parameter that must be a seq; `out` unset when absent.
std::optional<Response> seq_param(std::string_view query, std::string_view name, std::optional<std::uint64_t>& out,
                                  std::string_view code) {
  const std::optional<std::string_view> text = query_param(query, name);
  if (!text) return std::nullopt;
  out = parse_seq(*text);
  if (!out) return error_response(400, code, std::string(name) + " is a number: digits, no sign", name);
  return std::nullopt;
}

}  // namespace

Response Router::checkpoint() const {
  const auto reader = store_.reader();
  Result<std::optional<std::pair<std::uint64_t, std::string>>> latest = latest_checkpoint(*reader);
  if (!latest) return internal_error(latest.status());
  if (!latest->has_value()) return error_response(404, "not_found", "the ledger has signed no checkpoint yet");
  const auto& [size, note] = **latest;
  Result<LogHead> head = log_head(*reader, size);
  if (!head) return internal_error(head.status());
  nlohmann::json out{{"chain_hash", to_hex(head->chain)},
                     {"note", note},
                     {"root_hash", to_hex(head->root)},
                     {"tree_size", size}};
  // When the log reached that size: the time of its last event.
  if (size > 0) {
    Result<std::optional<std::string>> last = reader->event(size);
    if (!last) return internal_error(last.status());
    const std::optional<Envelope> envelope = *last ? read_envelope(**last) : std::nullopt;
    if (!envelope) return internal_error(Status::error("store_corrupt", "event " + std::to_string(size) + " unreadable"));
    out["last_recorded_at"] = envelope->recorded_at;
  }
  return json_response(200, out);
}

Response Router::post_events(const TokenOwner& owner, const std::string& body) const {
  // An array of events nests one level deeper than an event.
  Result<JsonDoc> doc = parse_json_doc(body, JsonLimits{kEventDepthMax + 1, kFieldBytesMax});
  if (!doc) return error_response(400, doc.status().code(), doc.status().message(), doc.status().field());
  std::vector<Draft> drafts;
  const bool many = (*doc)[JsonDoc::kRoot].kind == JsonDoc::Kind::kArray;
  if (many) {
    std::size_t i = 0;
    for (const std::uint32_t node : doc->children(JsonDoc::kRoot)) {
      if (i == kPostEventsMax) {
        return error_response(400, "too_many_events",
                              "one request carries at most " + std::to_string(kPostEventsMax) + " events");
      }
      Result<Draft> d = decode_draft(*doc, node);
      if (!d) return refused(d.status().under("[" + std::to_string(i) + "]"));
      drafts.push_back(std::move(*d));
      ++i;
    }
    if (drafts.empty()) return error_response(400, "invalid_type", "the array holds no event");
  } else {
    Result<Draft> d = decode_draft(*doc, JsonDoc::kRoot);
    if (!d) return refused(d.status());
    drafts.push_back(std::move(*d));
  }
  const AppendResult result = writer_.append(std::move(drafts), owner.actor());
  if (!result.status) {
    const Status& s = result.status;
    const std::string field =
        many && result.failed_at ? "[" + std::to_string(*result.failed_at) + "]" + (s.field().empty() ? "" : "." + s.field())
                                 : s.field();
    if (s.code() == "store_failed" || s.code() == "storage_error" || s.code() == "store_corrupt") {
      return internal_error(s);
    }
    if (s.code() == "id_conflict") return error_response(409, s.code(), s.message(), field);
    return error_response(422, s.code(), s.message(), field);
  }
  nlohmann::json receipts = nlohmann::json::array();
  bool all_repeats = true;
  for (const Receipt& r : result.receipts) {
    receipts.push_back(receipt_json(r));
    all_repeats = all_repeats && r.repeat;
  }
  return json_response(all_repeats ? 200 : 201, nlohmann::json{{"events", std::move(receipts)}});
}

Response Router::events(std::string_view query, std::string_view if_none_match) const {
  std::optional<std::uint64_t> from, limit;
  if (auto bad = seq_param(query, "from", from, "invalid_seq")) return *bad;
  if (auto bad = seq_param(query, "limit", limit, "invalid_limit")) return *bad;
  const std::uint64_t first = from.value_or(1);
  const std::uint64_t count = limit.value_or(kEventsPageDefault);
  if (first == 0) return error_response(400, "invalid_seq", "from is a seq, 1 or more", "from");
  if (count == 0 || count > kEventsPageMax) {
    return error_response(400, "invalid_limit", "limit is 1 to " + std::to_string(kEventsPageMax), "limit");
  }
  const auto reader = store_.reader();
  const std::uint64_t head = reader->head().size;
  const std::uint64_t last = first > head ? first - 1 : std::min(head, first + count - 1);
  // A complete page never changes: its ETag names its range and the chain
  // hash of its last event, which stands for every event up to it.
  std::string etag;
  if (last == first + count - 1) {
    Result<std::optional<EventHashes>> end = reader->hashes(last);
    if (!end) return internal_error(end.status());
    if (!end->has_value()) return internal_error(Status::error("store_corrupt", "no hashes for event " + std::to_string(last)));
    etag = "\"" + std::to_string(first) + "-" + std::to_string(count) + "-" + to_hex((*end)->chain).substr(0, 32) + "\"";
    if (!if_none_match.empty() && (if_none_match == etag || if_none_match == "*" ||
                                   if_none_match.find(etag) != std::string_view::npos)) {
      Response r;
      r.status = 304;
      r.etag = etag;
      r.cache_control = "private, max-age=31536000, immutable";
      return r;
    }
  }
  std::string out = "{\"events\":[";
  const auto cursor = reader->cursor(Family::kEvents, seq_key(first), StoreReader::Seek::kPoint);
  const auto hashes = reader->hashes_from(first, StoreReader::Seek::kPoint);
  for (std::uint64_t seq = first; seq <= last; ++seq, cursor->next(), hashes->next()) {
    const bool present = cursor->valid() && cursor->key() == seq_key(seq) && hashes->valid() && hashes->seq() == seq;
    if (seq != first) out += ',';
    if (!present || !append_event_with_hashes(out, cursor->value(), hashes->hashes().leaf, hashes->hashes().chain)) {
      return internal_error(Status::error("store_corrupt", "event " + std::to_string(seq) + " cannot be read"));
    }
  }
  out += "],\"next\":";
  out += last < head ? std::to_string(last + 1) : "null";
  out += "}\n";
  Response r;
  r.body = std::move(out);
  if (!etag.empty()) {
    r.etag = std::move(etag);
    r.cache_control = "private, max-age=31536000, immutable";
  }
  return r;
}

Response Router::event(std::string_view text) const {
  const std::optional<std::uint64_t> seq = parse_seq(text);
  if (!seq || *seq == 0) return error_response(404, "not_found", "no event " + std::string(text));
  const auto reader = store_.reader();
  if (*seq > reader->head().size) return error_response(404, "not_found", "no event " + std::string(text));
  Result<std::optional<std::string>> bytes = reader->event(*seq);
  Result<std::optional<EventHashes>> hashes = reader->hashes(*seq);
  if (!bytes) return internal_error(bytes.status());
  if (!hashes) return internal_error(hashes.status());
  std::string out;
  if (!bytes->has_value() || !hashes->has_value() ||
      !append_event_with_hashes(out, **bytes, (*hashes)->leaf, (*hashes)->chain)) {
    return internal_error(Status::error("store_corrupt", "event " + std::string(text) + " cannot be read"));
  }
  Response r;
  r.body = out + "\n";
  return r;
}

Response Router::inclusion(std::string_view query) const {
  std::optional<std::uint64_t> seq, size;
  if (auto bad = seq_param(query, "seq", seq, "invalid_seq")) return *bad;
  if (auto bad = seq_param(query, "tree_size", size, "invalid_tree_size")) return *bad;
  if (!seq) return error_response(400, "invalid_seq", "seq is required", "seq");
  Result<nlohmann::ordered_json> answer = inclusion_answer(*store_.reader(), *seq, size);
  if (!answer) return refused(answer.status());
  Response r;
  r.body = answer->dump() + "\n";
  return r;
}

Response Router::consistency(std::string_view query) const {
  std::optional<std::uint64_t> first, second;
  if (auto bad = seq_param(query, "first", first, "invalid_tree_size")) return *bad;
  if (auto bad = seq_param(query, "second", second, "invalid_tree_size")) return *bad;
  if (!first || !second) return error_response(400, "invalid_tree_size", "first and second are required",
                                               first ? "second" : "first");
  Result<nlohmann::ordered_json> answer = consistency_answer(*store_.reader(), *first, *second);
  if (!answer) return refused(answer.status());
  Response r;
  r.body = answer->dump() + "\n";
  return r;
}

Response Router::export_file(std::string_view file, std::string_view query) const {
  const bool csv = file.ends_with(".csv");
  bool known = file == "iati-activities.xml" || file == "iati-organisation.xml";
  for (const CsvKind& kind : csv_kinds()) known = known || file == kind.file;
  if (!known) return error_response(404, "not_found", "no export " + std::string(file));
  std::optional<std::uint64_t> as_of;
  if (auto bad = as_of_param(query, as_of)) return *bad;
  const std::shared_ptr<const StoreReader> reader = store_.reader();
  const std::uint64_t seq = as_of.value_or(reader->head().size);
  if (const Status within = check_as_of(seq, reader->head().size); !within) {
    return error_response(400, within.code(), within.message(), within.field());
  }
  Exporter exporter(csv ? ExportFormat::kCsv : ExportFormat::kIati);
  const Status read = for_each_event(*reader, seq, [&exporter](const Event& e) { exporter.add(e); });
  if (!read) return internal_error(read);
  const std::vector<ExportFile> files = exporter.files();
  Response r;
  for (const ExportFile& f : files) {
    if (f.name == file) r.body = f.content;
  }
  r.content_type = csv ? "text/csv; charset=utf-8; header=present" : "application/xml; charset=utf-8";
  // Named for the log position it stands at: donors-1234.csv.
  const std::string stem(file.substr(0, file.rfind('.')));
  r.headers = {{"Content-Disposition",
                "attachment; filename=\"" + stem + "-" + std::to_string(seq) + std::string(file.substr(stem.size())) +
                    "\""}};
  return r;
}

}  // namespace fundledger::api
