#include "api/recording.h"

#include <boost/beast/core/string.hpp>

#include "domain/csv_import.h"
#include "domain/event.h"
#include "domain/formats.h"
#include "domain/iso_codes.h"
#include "domain/schema.h"
#include "util/canonical.h"
#include "util/json.h"

namespace fundledger::api {
namespace {

nlohmann::json receipt_json(const Receipt& r) {
  return nlohmann::json{{"chain_hash", to_hex(r.chain)}, {"id", r.id}, {"leaf_hash", to_hex(r.leaf)}, {"seq", r.seq}};
}

// The drafts a body holds: one event, or an array of at most
// kPostEventsMax. Refusals name the event's index in an array.
Result<std::vector<Draft>> body_drafts(const JsonDoc& doc, bool many) {
  std::vector<Draft> drafts;
  if (!many) {
    Result<Draft> d = decode_draft(doc, JsonDoc::kRoot);
    if (!d) return d.status();
    FL_RETURN_IF_ERROR(check_client_type(*d));
    drafts.push_back(std::move(*d));
    return drafts;
  }
  std::size_t i = 0;
  for (const std::uint32_t node : doc.children(JsonDoc::kRoot)) {
    if (i == kPostEventsMax) {
      return Status::error(Code::kTooManyEvents,
                           "one request carries at most " + std::to_string(kPostEventsMax) + " events");
    }
    Result<Draft> d = decode_draft(doc, node);
    if (d) {
      if (Status sent = check_client_type(*d); !sent) d = std::move(sent);
    }
    if (!d) return d.status().under("[" + std::to_string(i) + "]");
    drafts.push_back(std::move(*d));
    ++i;
  }
  if (drafts.empty()) return Status::error(Code::kInvalidType, "the array holds no event");
  return drafts;
}

// A refusal of the writer, its field under the index of the refused event
// when the body was an array.
Response writer_refusal(const Status& refused, bool many, std::optional<std::size_t> failed_at) {
  if (!many || !failed_at) return refusal_response(refused);
  const std::string at = "[" + std::to_string(*failed_at) + "]";
  return refusal_response(refused, refused.field().empty() ? at : at + "." + refused.field());
}

nlohmann::json changes_json(const std::vector<FigureChange>& changes) {
  nlohmann::json out = nlohmann::json::array();
  for (const FigureChange& c : changes) {
    nlohmann::json change = {{"view", c.view}, {"figure", c.figure}, {"before", c.before}, {"after", c.after}};
    if (!c.id.empty()) change["id"] = c.id;
    out.push_back(std::move(change));
  }
  return out;
}

Response dry_run(const Services& s, const Call& c, std::vector<Draft> drafts, bool many) {
  const DryRunResult result = s.writer.dry_run(std::move(drafts), c.owner->actor());
  if (!result.status) return writer_refusal(result.status, many, result.failed_at);
  nlohmann::json events = nlohmann::json::array();
  for (const Preview& p : result.events) {
    nlohmann::json event = receipt_json(p.receipt);
    event["repeat"] = p.receipt.repeat;
    event["changes"] = changes_json(p.changes);
    events.push_back(std::move(event));
  }
  return json_response({{"dry_run", true}, {"events", std::move(events)}});
}

// ?dry_run=true or false; absent is false.
Result<bool> dry_run_param(std::string_view query) {
  const std::optional<std::string_view> text = query_param(query, "dry_run");
  if (!text || *text == "false") return false;
  if (*text == "true") return true;
  return Status::error(Code::kBadRequest, "dry_run is true or false", "dry_run");
}

nlohmann::json names_json(std::span<const IsoName> names) {
  nlohmann::json out = nlohmann::json::array();
  for (const IsoName& n : names) out.push_back({{"code", n.code}, {"name", n.name}});
  return out;
}

// Whether the body is JSON by its media type, which is case-insensitive
// (RFC 9110, 8.3.1) and may have spaces before its parameters.
bool json_body(const Request& request) {
  std::string_view type = request.content_type.substr(0, request.content_type.find(';'));
  type = type.substr(0, type.find_last_not_of(" \t") + 1);
  return boost::beast::iequals(type, "application/json");
}

// A refusal of an import, with the file and row it concerns beside its
// field (the column).
Response import_refusal(const Status& status, const ImportRow& where) {
  Response r = refusal_response(status);
  if (r.status >= 500 || where.file.empty()) return r;
  nlohmann::json body = nlohmann::json::parse(r.body);
  body["error"]["file"] = where.file;
  if (where.row != 0) body["error"]["row"] = where.row;
  r.body = canonical_json(body) + "\n";
  return r;
}

// The longest file an import may carry: the whole body.
constexpr std::size_t kImportBytesMax = 1 << 20;

// {"files":[{"name","content"}]}: the CSV files of an import.
Result<std::vector<ExportFile>> import_files(const std::string& body) {
  const auto bad = [](std::string why) { return Status::error(Code::kInvalidType, std::move(why), "files"); };
  // The strict reader of every request (duplicate keys, depth), each file
  // a string as long as the body allows.
  Result<nlohmann::json> parsed = parse_json(body, JsonLimits{3, kImportBytesMax});
  if (!parsed) return parsed.status();
  const nlohmann::json& doc = *parsed;
  if (!doc.is_object() || !doc.contains("files") || !doc["files"].is_array() || doc.size() != 1) {
    return bad("the body is {\"files\":[{\"name\",\"content\"}]}");
  }
  std::vector<ExportFile> files;
  for (const nlohmann::json& f : doc["files"]) {
    if (!f.is_object() || f.size() != 2 || !f.contains("name") || !f["name"].is_string() || !f.contains("content") ||
        !f["content"].is_string()) {
      return bad("each file is {\"name\",\"content\"}, both strings");
    }
    const std::string name = f["name"];
    if (!is_csv_export_file(name)) return Status::error(Code::kInvalidCsv, name + " is not a file of `export --format csv`", "files");
    files.push_back({name, f["content"]});
  }
  if (files.empty()) return bad("the body holds no file");
  return files;
}

}  // namespace

Response post_import(const Services& s, const Call& c) {
  const Result<bool> dry = dry_run_param(c.query);
  if (!dry) return refusal_response(dry.status());
  if (!json_body(c.request)) {
    return error_response(Code::kUnsupportedMediaType, "the files are sent as Content-Type: application/json");
  }
  Result<std::vector<ExportFile>> files = import_files(*c.request.body);
  if (!files) return refusal_response(files.status());
  ImportRow where;
  Result<CsvImport> import = import_csv(*files, where);
  if (!import) return import_refusal(import.status(), where);
  if (import->drafts.empty()) return error_response(Code::kInvalidCsv, "the files hold no row to import", "files");
  const std::vector<ImportRow> rows = import->rows;
  const nlohmann::json left_out = {{"access.csv", import->access_rows_left_out},
                                   {"statement.csv", import->statement_rows_left_out}};
  const DryRunResult result = s.writer.submit(std::move(import->drafts), c.owner->actor(), *dry);
  const Status& status = result.status;
  const std::optional<std::size_t> failed_at = result.failed_at;
  if (!status) {
    if (!failed_at) return refusal_response(status);
    return import_refusal(Status::error(status.code(), status.message(), import_column(status.field())),
                          rows[*failed_at]);
  }
  nlohmann::json events = nlohmann::json::array();
  bool all_repeats = true;
  for (std::size_t i = 0; i < result.events.size(); ++i) {
    const Receipt& receipt = result.events[i].receipt;
    nlohmann::json e = receipt_json(receipt);
    e["file"] = rows[i].file;
    e["row"] = rows[i].row;
    e["repeat"] = receipt.repeat;
    if (*dry) e["changes"] = changes_json(result.events[i].changes);
    events.push_back(std::move(e));
    all_repeats = all_repeats && receipt.repeat;
  }
  Response r = json_response(
      {{"dry_run", *dry}, {"events", std::move(events)}, {"left_out", left_out}});
  r.status = *dry || all_repeats ? 200 : 201;
  return r;
}

Response post_events(const Services& s, const Call& c) {
  const Result<bool> dry = dry_run_param(c.query);
  if (!dry) return refusal_response(dry.status());
  if (!json_body(c.request)) {
    return error_response(Code::kUnsupportedMediaType, "events are sent as Content-Type: application/json");
  }
  // An array of events nests one level deeper than an event.
  Result<JsonDoc> doc = parse_json_doc(*c.request.body, JsonLimits{kEventDepthMax + 1, kFieldBytesMax});
  if (!doc) return refusal_response(doc.status());
  const bool many = (*doc)[JsonDoc::kRoot].kind == JsonDoc::Kind::kArray;
  Result<std::vector<Draft>> drafts = body_drafts(*doc, many);
  if (!drafts) return refusal_response(drafts.status());
  if (*dry) return dry_run(s, c, std::move(*drafts), many);
  const AppendResult result = s.writer.append(std::move(*drafts), c.owner->actor());
  if (!result.status) return writer_refusal(result.status, many, result.failed_at);
  nlohmann::json receipts = nlohmann::json::array();
  bool all_repeats = true;
  for (const Receipt& r : result.receipts) {
    receipts.push_back(receipt_json(r));
    all_repeats = all_repeats && r.repeat;
  }
  Response r = json_response({{"events", std::move(receipts)}});
  r.status = all_repeats ? 200 : 201;
  return r;
}

Response reference(const Services&, const Call&) {
  nlohmann::json currencies = nlohmann::json::array();
  for (const IsoName& n : currency_names()) {
    currencies.push_back({{"code", n.code}, {"name", n.name}, {"minor_units", *currency_minor_units(n.code)}});
  }
  nlohmann::json regions = nlohmann::json::array();
  for (std::size_t r = 0; r < kRegions.size(); ++r) {
    regions.push_back({{"code", kRegions[r]}, {"name", kRegionNames[r]}});
  }
  const auto listed = [](std::span<const std::string_view> kinds) {
    nlohmann::json out = nlohmann::json::array();
    for (const std::string_view kind : kinds) out.push_back(kind);
    return out;
  };
  nlohmann::json types = nlohmann::json::array();
  for (std::size_t t = 0; t < kFundEventTypeCount; ++t) {
    const auto type = static_cast<EventType>(t);
    nlohmann::json fields = nlohmann::json::array();
    for (const FieldInfo& f : data_fields(type)) {
      fields.push_back({{"name", f.name}, {"kind", f.kind}, {"required", f.required}, {"filled", f.filled}});
    }
    types.push_back({{"type", event_type_name(type)}, {"fields", std::move(fields)}});
  }
  Response r = json_response({{"countries", names_json(country_names())},
                              {"currencies", std::move(currencies)},
                              {"cost_kinds", listed(cost_kinds())},
                              {"decision_kinds", listed(decision_kinds())},
                              {"donor_kinds", listed(donor_kinds())},
                              {"income_kinds", listed(income_kinds())},
                              {"event_types", std::move(types)},
                              {"regions", std::move(regions)}});
  // The same for every ledger of this version: the page may keep it.
  r.cache_control = "private, max-age=3600";
  return r;
}

}  // namespace fundledger::api
