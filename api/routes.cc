// The handlers of the API's routes and the table that names them
// (api/router.h): what each route answers, once the router has matched
// its pattern and checked the token's role.

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <charconv>
#include <vector>


#include "api/ledger_dir.h"
#include "api/proofs.h"
#include "api/recording.h"
#include "api/router.h"
#include "audit/audited_view.h"
#include "domain/event.h"
#include "domain/exports.h"
#include "domain/views.h"
#include "ledger/backup.h"
#include "ledger/checkpoints.h"
#include "ledger/event_pages.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "ledger/tree.h"
#include "ledger/view_as_of.h"
#include "util/canonical.h"
#include "util/check.h"
#include "util/json.h"

namespace fundledger::api {
namespace {

// A query parameter that must be a seq, refused with `code` when it is
// not one; nullopt when absent.
Result<std::optional<std::uint64_t>> seq_param(std::string_view query, std::string_view name, Code code) {
  const std::optional<std::string_view> text = query_param(query, name);
  if (!text) return std::optional<std::uint64_t>();
  const std::optional<std::uint64_t> seq = parse_seq(*text);
  if (!seq) return Status::error(code, std::string(name) + " is a number: digits, no sign", std::string(name));
  return seq;
}

// ?as_of=SEQ, bounded by the log of `head` events; the head when absent.
Result<std::uint64_t> as_of_param(std::string_view query, std::uint64_t head) {
  const std::optional<std::string_view> text = query_param(query, "as_of");
  if (!text) return head;
  const std::optional<std::uint64_t> seq = parse_seq(*text);
  if (!seq) return Status::error(Code::kInvalidAsOf, "as_of is a seq: digits, 0 or more", "as_of");
  FL_RETURN_IF_ERROR(check_as_of(*seq, head));
  return *seq;
}

// --- the dashboard and the documents ---------------------------------------------

// A page of the dashboard: public; its data comes from the routes below,
// with the token the person signs in with. Its scripts and styles come
// from here alone, and it may talk to this server alone.
Response page(const char* body, std::string_view content_type) {
  Response r;
  r.body = body;
  r.content_type = std::string(content_type);
  r.headers = {{"Content-Security-Policy",
                "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
               {"X-Content-Type-Options", "nosniff"},
               {"Referrer-Policy", "no-referrer"}};
  return r;
}

Response dashboard(const Services&, const Call&) { return page(kDashboardHtml, "text/html; charset=utf-8"); }
Response dashboard_js(const Services&, const Call&) { return page(kDashboardJs, "text/javascript; charset=utf-8"); }
Response dashboard_css(const Services&, const Call&) { return page(kDashboardCss, "text/css; charset=utf-8"); }

// 503 while the disk refuses writes, so that a supervisor restarts the
// server if it does not recover on its own (reads are still answered).
Response healthz(const Services& s, const Call&) {
  const std::optional<std::string> failure = s.store.failure();
  nlohmann::json body = {{"ok", !failure}, {"tree_size", s.store.head().size}};
  if (!failure) return json_response(body);
  body["code"] = code_name(Code::kStorageUnavailable);
  body["reason"] = *failure;
  Response r = json_response(body);
  r.status = http_status(Code::kStorageUnavailable);
  return r;
}

Response openapi(const Services&, const Call&) {
  Response r;
  r.body = openapi_document();
  return r;
}

// Which views answer without a token: what the dashboard offers before
// anyone signs in.
Response public_views(const Services& s, const Call&) {
  return json_response({{"public", s.public_views.names}});
}

// Who the token belongs to, so that a page shows what its role may do.
Response me(const Services&, const Call& c) {
  nlohmann::json out = {{"name", c.owner->name}, {"role", role_name(c.owner->role)}};
  if (c.owner->role == Role::kDonor) out["donor"] = c.owner->donor;
  return json_response(out);
}

// --- what a donor may read ------------------------------------------------------

bool is_donor(const Call& c) { return c.owner != nullptr && c.owner->role == Role::kDonor; }

// Whether event `seq` is a record of `donor`: its registration, its
// pledges, contributions and write-offs, and their reversals. False when
// it cannot be read: the caller answers 404 either way.
bool donors_event(const Services& s, std::uint64_t seq, std::string_view donor) {
  const Result<std::optional<std::string>> bytes = s.store.reader()->event(seq);
  if (!bytes || !*bytes) return false;
  const Result<Event> e = decode_event(**bytes);
  if (!e || is_access_event(e->type)) return false;
  if (const std::string* of = e->data.get("donor")) return *of == donor;
  if (e->type != EventType::kPledgeWrittenOff) return false;
  bool owned = false;
  const Status read = s.writer.read_state(
      [&](const FundState& state, const Head&) { owned = state.pledge_owner(*e->data.get("pledge")) == donor; });
  return read && owned;
}

// The answer to a donor asking for another donor's event: the one for an
// event that does not exist, so that ids and seqs cannot be probed.
Response no_event(std::string_view seq) { return error_response(Code::kNotFound, "no event " + std::string(seq)); }

Response metrics(const Services& s, const Call&) {
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = s.metrics.render(s.store.head().size, s.writer.groups(), s.writer.events_written(),
                            s.writer.largest_group());
  return r;
}

// --- the audit routes -------------------------------------------------------------

Response key(const Services& s, const Call&) {
  // The public key also as PEM (SubjectPublicKeyInfo), for tools that take
  // no signed-note verifier key.
  const Ed25519PublicKey& raw = s.signer.public_key();
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size());
  BIO* bio = BIO_new(BIO_s_mem());
  FL_CHECK(pkey != nullptr && bio != nullptr && PEM_write_bio_PUBKEY(bio, pkey) == 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  EVP_PKEY_free(pkey);
  return json_response(
      {{"origin", s.store.origin()}, {"public_key_pem", pem}, {"verifier_key", s.signer.verifier_key()}});
}

Response checkpoint(const Services& s, const Call&) {
  Result<nlohmann::json> out = checkpoint_answer(*s.store.reader());
  if (!out) return refusal_response(out.status());
  return json_response(*out);
}

Response proof_response(const Result<nlohmann::ordered_json>& answer) {
  if (!answer) return refusal_response(answer.status());
  Response r;
  r.body = answer->dump() + "\n";
  return r;
}

Response inclusion(const Services& s, const Call& c) {
  const Result<std::optional<std::uint64_t>> seq = seq_param(c.query, "seq", Code::kInvalidSeq);
  if (!seq) return refusal_response(seq.status());
  const Result<std::optional<std::uint64_t>> size = seq_param(c.query, "tree_size", Code::kInvalidTreeSize);
  if (!size) return refusal_response(size.status());
  if (!*seq) return error_response(Code::kInvalidSeq, "seq is required", "seq");
  if (is_donor(c) && !donors_event(s, **seq, c.owner->donor)) return no_event(std::to_string(**seq));
  return proof_response(inclusion_answer(*s.store.reader(), **seq, *size));
}

Response consistency(const Services& s, const Call& c) {
  const Result<std::optional<std::uint64_t>> first = seq_param(c.query, "first", Code::kInvalidTreeSize);
  if (!first) return refusal_response(first.status());
  const Result<std::optional<std::uint64_t>> second = seq_param(c.query, "second", Code::kInvalidTreeSize);
  if (!second) return refusal_response(second.status());
  if (!*first || !*second) {
    return error_response(Code::kInvalidTreeSize, "first and second are required", *first ? "second" : "first");
  }
  return proof_response(consistency_answer(*s.store.reader(), **first, **second));
}

// --- events -----------------------------------------------------------------------

constexpr std::string_view kImmutable = "private, max-age=31536000, immutable";

// A complete page never changes: its ETag names its range and the chain
// hash of its last event, which stands for every event up to it.
Result<std::string> page_etag(const StoreReader& reader, std::uint64_t first, std::uint64_t count) {
  const std::uint64_t last = first + count - 1;
  Result<std::optional<EventHashes>> end = reader.hashes(last);
  if (!end) return end.status();
  if (!end->has_value()) return Status::error(Code::kStoreCorrupt, "no hashes for event " + std::to_string(last));
  return "\"" + std::to_string(first) + "-" + std::to_string(count) + "-" + to_hex((*end)->chain).substr(0, 32) +
         "\"";
}

Response events(const Services& s, const Call& c) {
  const Result<std::optional<std::uint64_t>> from = seq_param(c.query, "from", Code::kInvalidSeq);
  if (!from) return refusal_response(from.status());
  const Result<std::optional<std::uint64_t>> limit = seq_param(c.query, "limit", Code::kInvalidLimit);
  if (!limit) return refusal_response(limit.status());
  const std::uint64_t first = from->value_or(1);
  const std::uint64_t count = limit->value_or(kEventsPageDefault);
  if (first == 0) return error_response(Code::kInvalidSeq, "from is a seq, 1 or more", "from");
  if (count == 0 || count > kEventsPageMax) {
    return error_response(Code::kInvalidLimit, "limit is 1 to " + std::to_string(kEventsPageMax), "limit");
  }
  const auto reader = s.store.reader();
  const std::uint64_t head = reader->head().size;
  const std::uint64_t last = first > head ? first - 1 : std::min(head, first + count - 1);
  std::string etag;
  if (last == first + count - 1) {
    Result<std::string> tag = page_etag(*reader, first, count);
    if (!tag) return refusal_response(tag.status());
    etag = std::move(*tag);
    if (etag_matches(c.request.if_none_match, etag)) {
      Response r;
      r.status = 304;
      r.etag = etag;
      r.cache_control = std::string(kImmutable);
      return r;
    }
  }
  std::string out = "{\"events\":[";
  if (first <= last) {
    if (const Status read = append_events(*reader, first, last, ',', out); !read) return refusal_response(read);
  }
  out += "],\"next\":";
  out += last < head ? std::to_string(last + 1) : "null";
  out += "}\n";
  Response r;
  r.body = std::move(out);
  if (!etag.empty()) {
    r.etag = std::move(etag);
    r.cache_control = std::string(kImmutable);
  }
  return r;
}

Response event(const Services& s, const Call& c) {
  const std::optional<std::uint64_t> seq = parse_seq(c.param);
  const auto reader = s.store.reader();
  if (!seq || *seq == 0 || *seq > reader->head().size || (is_donor(c) && !donors_event(s, *seq, c.owner->donor))) {
    return no_event(c.param);
  }
  Response r;
  if (const Status read = append_events(*reader, *seq, *seq, '\n', r.body); !read) return refusal_response(read);
  r.body += "\n";
  return r;
}

// A receipt (audit/receipt.h) of event `seq`, under the latest checkpoint
// kept, as a file to keep.
Response receipt(const Services& s, const Call& c) {
  const std::optional<std::uint64_t> seq = parse_seq(c.param);
  const auto reader = s.store.reader();
  if (!seq || *seq == 0 || *seq > reader->head().size || (is_donor(c) && !donors_event(s, *seq, c.owner->donor))) {
    return no_event(c.param);
  }
  Result<std::string> text = receipt_answer(*reader, *seq);
  if (!text) return refusal_response(text.status());
  Response r;
  r.body = std::move(*text);
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"event-" + std::to_string(*seq) + ".tlog-proof\"");
  return r;
}

// --- views and exports --------------------------------------------------------------

// An audited view (SPEC 3), computed and signed once per (view, id, seq,
// day), then served from memory. ?as_of_date=YYYY-MM-DD asks for the view
// of the events dated on or before that day.
Response signed_view(const Services& s, ViewKind kind, std::string_view id, std::string_view query) {
  const std::shared_ptr<const StoreReader> reader = s.store.reader();
  const Result<std::uint64_t> seq = as_of_param(query, reader->head().size);
  if (!seq) return refusal_response(seq.status());
  const std::optional<std::string_view> day = query_param(query, "as_of_date");
  std::string key = std::string(view_name(kind)) + '\n' + std::string(id) + '\n' + std::to_string(*seq) + '\n' +
                    std::string(day.value_or(""));
  Response r;
  if (const std::shared_ptr<const std::string> kept = s.views.find(key)) {
    r.body = *kept;
    return r;
  }
  Result<nlohmann::json> view =
      day ? view_as_of_date(reader, kind, id, *seq, *day) : view_as_of(reader, kind, id, *seq);
  if (!view) return refusal_response(view.status(), view.status().field() == "as_of_date" ? "as_of_date" : "");
  r.body = canonical_json(sign_view(std::move(*view), s.signer)) + "\n";
  s.views.add(std::move(key), r.body);
  return r;
}

template <ViewKind kKind>
Response view(const Services& s, const Call& c) {
  // A donor reads its own donor view alone; another's is as none.
  if (kKind == ViewKind::kDonor && is_donor(c) && c.param != c.owner->donor) {
    return error_response(Code::kNotFound, "there is no donor \"" + std::string(c.param) + "\"");
  }
  return signed_view(s, kKind, c.param, c.query);
}

// The period of ?period=2014 | 2014-2015, or of ?from=&to=.
Result<Period> period_param(std::string_view query) {
  if (const std::optional<std::string_view> name = query_param(query, "period")) return named_period(*name);
  const std::optional<std::string_view> from = query_param(query, "from");
  const std::optional<std::string_view> to = query_param(query, "to");
  if (!from || !to) {
    return Status::error(Code::kInvalidPeriod, "a statement is for ?period=2014 (or 2014-2015) or ?from=&to=",
                         "period");
  }
  return period_between(*from, *to);
}

// The statement of sources and uses for a period, signed as a view is
// (SPEC 3), kept per (period, seq, recorded_after).
Response statement(const Services& s, const Call& c) {
  const std::shared_ptr<const StoreReader> reader = s.store.reader();
  const Result<std::uint64_t> seq = as_of_param(c.query, reader->head().size);
  if (!seq) return refusal_response(seq.status());
  const Result<Period> period = period_param(c.query);
  if (!period) return refusal_response(period.status());
  const Result<std::optional<std::uint64_t>> after = seq_param(c.query, "recorded_after", Code::kInvalidAsOf);
  if (!after) return refusal_response(after.status());
  std::string key = "statement\n" + period->from + ".." + period->to + '\n' + std::to_string(*seq) + '\n' +
                    (*after ? std::to_string(**after) : "");
  Response r;
  if (const std::shared_ptr<const std::string> kept = s.views.find(key)) {
    r.body = *kept;
    return r;
  }
  Result<nlohmann::json> view = statement_as_of(*reader, *period, *seq, *after);
  if (!view) return refusal_response(view.status());
  r.body = canonical_json(sign_view(std::move(*view), s.signer)) + "\n";
  s.views.add(std::move(key), r.body);
  return r;
}

// A backup into the server's --backups directory, made while appends go on.
Response post_backup(const Services& s, const Call&) {
  if (s.backups.empty()) {
    return error_response(Code::kBackupsOff, "this server takes no backups: start it with --backups DIR");
  }
  Result<BackupEntry> e = back_up_ledger(s.store, s.signer, ledger_files(), s.backups);
  if (!e) return refusal_response(e.status());
  Response r = json_response(backup_json(*e));
  r.status = 201;
  return r;
}

// The statement of ?period= or ?from=&to= as CSV (statement_csv), named
// for its period and log position: statement-2015-1234.csv.
Response statement_file(const Services& s, const Call& c) {
  const std::shared_ptr<const StoreReader> reader = s.store.reader();
  const Result<std::uint64_t> seq = as_of_param(c.query, reader->head().size);
  if (!seq) return refusal_response(seq.status());
  const Result<Period> period = period_param(c.query);
  if (!period) return refusal_response(period.status());
  Result<nlohmann::json> view = statement_as_of(*reader, *period, *seq, std::nullopt);
  if (!view) return refusal_response(view.status());
  Response r;
  r.body = statement_csv((*view)["view"]);
  r.content_type = "text/csv; charset=utf-8; header=present";
  r.headers = {{"Content-Disposition", "attachment; filename=\"statement-" + period->name + "-" +
                                           std::to_string(*seq) + ".csv\""}};
  return r;
}

// One file of `export --format`, as the log stood after ?as_of=SEQ.
Response export_file(const Services& s, const Call& c) {
  const std::string_view file = c.param;
  if (file == "statement.csv") return statement_file(s, c);
  if (is_donor(c)) {
    return error_response(Code::kForbidden, "a donor's token reads statement.csv alone of the exports");
  }
  const bool csv = file.ends_with(".csv");
  bool known = file == "iati-activities.xml" || file == "iati-organisation.xml";
  for (const CsvKind& kind : csv_kinds()) known = known || file == kind.file;
  if (!known) return error_response(Code::kNotFound, "no export " + std::string(file));
  const std::shared_ptr<const StoreReader> reader = s.store.reader();
  const Result<std::uint64_t> seq = as_of_param(c.query, reader->head().size);
  if (!seq) return refusal_response(seq.status());
  // The public reads the records without their actors and free text, and
  // not who may use the API.
  const bool anyone = c.owner == nullptr;
  if (anyone && file == "access.csv") return error_response(Code::kNotFound, "no export " + std::string(file));
  Exporter exporter(csv ? ExportFormat::kCsv : ExportFormat::kIati);
  const Status read = for_each_event(*reader, *seq, [&exporter, anyone](const Event& e) {
    if (!anyone) return exporter.add(e);
    Event seen = e;
    redact_for_public(seen);
    exporter.add(seen);
  });
  if (!read) return refusal_response(read);
  Response r;
  for (ExportFile& f : exporter.files()) {
    if (f.name == file) r.body = std::move(f.content);
  }
  r.content_type = csv ? "text/csv; charset=utf-8; header=present" : "application/xml; charset=utf-8";
  // Named for the log position it stands at: donors-1234.csv.
  const std::string stem(file.substr(0, file.rfind('.')));
  r.headers = {{"Content-Disposition", "attachment; filename=\"" + stem + "-" + std::to_string(*seq) +
                                           std::string(file.substr(stem.size())) + "\""}};
  return r;
}

constexpr Roles kManager = roles({Role::kManager});
constexpr Roles kEventReaders = roles({Role::kManager, Role::kAuditor});
// And a donor, for its own records' events.
constexpr Roles kRecordReaders = kEventReaders | roles({Role::kDonor});
constexpr bool kBlocks = true;

// Every route, in the order of api/openapi.json.
constexpr Route kRoutes[] = {
    {"GET", "/", kPublic, dashboard, false},
    {"GET", "/dashboard.js", kPublic, dashboard_js, false},
    {"GET", "/dashboard.css", kPublic, dashboard_css, false},
    {"GET", "/healthz", kPublic, healthz, false},
    {"GET", "/openapi.json", kPublic, openapi, false},
    {"GET", "/metrics", kFundRoles, metrics, false},
    {"GET", "/v1/public", kPublic, public_views, false},
    {"GET", "/v1/me", kReaders, me, false},
    {"POST", "/v1/events", kManager, post_events, kBlocks},
    {"GET", "/v1/events", kEventReaders, events, false},
    {"GET", "/v1/events/{seq}", kRecordReaders, event, false},
    {"GET", "/v1/events/{seq}/receipt", kRecordReaders, receipt, false},
    {"POST", "/v1/imports", kManager, post_import, kBlocks},
    {"GET", "/v1/reference", kFundRoles, reference, false},
    {"GET", "/v1/fund", kReaders, view<ViewKind::kFund>, false},
    {"GET", "/v1/donors", kFundRoles, view<ViewKind::kDonors>, false},
    {"GET", "/v1/donors/{id}", kReaders, view<ViewKind::kDonor>, false},
    {"GET", "/v1/calls", kReaders, view<ViewKind::kCalls>, false},
    {"GET", "/v1/calls/{id}", kReaders, view<ViewKind::kCall>, false},
    {"GET", "/v1/proposals/{id}", kFundRoles, view<ViewKind::kProposal>, false},
    {"GET", "/v1/programmes", kReaders, view<ViewKind::kProgrammes>, false},
    {"GET", "/v1/regions", kReaders, view<ViewKind::kRegions>, false},
    {"GET", "/v1/decisions", kFundRoles, view<ViewKind::kDecisions>, false},
    {"GET", "/v1/decisions/{id}", kFundRoles, view<ViewKind::kDecision>, false},
    {"GET", "/v1/board", kFundRoles, view<ViewKind::kBoard>, false},
    {"GET", "/v1/statements", kReaders, statement, kBlocks},
    {"GET", "/v1/audit/checkpoint", kPublic, checkpoint, false},
    {"GET", "/v1/audit/key", kPublic, key, false},
    {"GET", "/v1/audit/inclusion", kReaders, inclusion, false},
    {"GET", "/v1/audit/consistency", kReaders, consistency, false},
    {"GET", "/v1/exports/{file}", kReaders, export_file, kBlocks},
    {"POST", "/v1/backups", kManager, post_backup, kBlocks},
};

}  // namespace

std::span<const Route> routes() { return kRoutes; }

const std::string& openapi_document() {
  static const std::string kDocument = [] {
    nlohmann::json doc = nlohmann::json::parse(kOpenApiJson);
    for (const Route& route : kRoutes) {
      std::string method(route.method);
      std::transform(method.begin(), method.end(), method.begin(), ::tolower);
      nlohmann::json roles = nlohmann::json::array();
      for (const Role r : kAllRoles) {
        if (takes(route.roles, r)) roles.push_back(role_name(r));
      }
      if (route.roles == kPublic) roles.push_back("public");
      doc["paths"][std::string(route.pattern)][method]["x-roles"] = std::move(roles);
    }
    // The codes an error body may carry: those the server answers with.
    nlohmann::json codes = nlohmann::json::array();
    for (const CodeInfo& info : kCodes) {
      if (info.http_status >= 400 && (info.http_status < 500 || info.code == Code::kInternalError ||
                                      info.code == Code::kShuttingDown)) {
        codes.push_back(info.name);
      }
    }
    doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"] = std::move(codes);
    return doc.dump(2) + "\n";
  }();
  return kDocument;
}

}  // namespace fundledger::api
