// The HTTPS API over real TLS on loopback, with a Beast client: the public
// routes, tokens and roles, audited views that verify with the published
// key, the errors of SPEC 6 with their JSON bodies, TLS versions, keep-alive
// and the body limit.

#include <openssl/ssl.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/certificate.h"
#include "api/router.h"
#include "api/server.h"
#include "api/tokens.h"
#include "audit/audited_view.h"
#include "audit/checkpoint.h"
#include "audit/proof.h"
#include "domain/exports.h"
#include "ledger/checkpoints.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "ledger/verify.h"
#include "ledger/view_as_of.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "tests/api/served.h"

namespace fundledger::api {
namespace {

using fundledger::test::Client;
using fundledger::test::Reply;
namespace net = boost::asio;
namespace http = boost::beast::http;

using test::check_error;
using test::donor_event;
using test::Served;
using test::ServedOptions;

TEST_CASE("public routes answer without a token", "[server]") {
  Served s;
  Client c(s.port());
  REQUIRE_FALSE(c.handshake_error);
  Reply r = c.send(http::verb::get, "/healthz");
  CHECK(r.status == 200);
  CHECK(r.body == nlohmann::json{{"ok", true}, {"tree_size", 300}});
  CHECK(r.keep_alive);
  CHECK(r.headers["strict-transport-security"] == "max-age=63072000");
  // The same connection again (keep-alive).
  r = c.send(http::verb::get, "/v1/audit/key");
  CHECK(r.status == 200);
  CHECK(r.body["origin"] == "test.example/ledger");
  CHECK(r.body["verifier_key"] == s.signer.verifier_key());
  CHECK(r.body["public_key_pem"].get<std::string>().rfind("-----BEGIN PUBLIC KEY-----\n", 0) == 0);
}

TEST_CASE("the dashboard is served from the binary, with a policy that lets it load nothing from elsewhere", "[server]") {
  Served s;
  Client c(s.port());
  const Reply page = c.send(http::verb::get, "/");
  CHECK(page.status == 200);
  CHECK(page.content_type == "text/html; charset=utf-8");
  CHECK(page.text == kDashboardHtml);
  CHECK(page.text.find("<script src=\"/dashboard.js\" defer></script>") != std::string::npos);
  CHECK(page.headers.at("content-security-policy") ==
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  CHECK(page.headers.at("x-content-type-options") == "nosniff");
  // Nothing the page loads comes from another host.
  for (std::string text : {std::string(kDashboardHtml), std::string(kDashboardJs), std::string(kDashboardCss)}) {
    // SVG's namespace is a name, not an address the page loads.
    const std::string svg_namespace = "http://www.w3.org/2000/svg";
    if (const auto at = text.find(svg_namespace); at != std::string::npos) text.erase(at, svg_namespace.size());
    CHECK(text.find("http://") == std::string::npos);
    CHECK(text.find("https://") == std::string::npos);
    CHECK(text.find("//cdn") == std::string::npos);
    CHECK(text.find("@import") == std::string::npos);
  }
  const Reply js = c.send(http::verb::get, "/dashboard.js");
  CHECK(js.content_type == "text/javascript; charset=utf-8");
  CHECK(js.text == kDashboardJs);
  const Reply css = c.send(http::verb::get, "/dashboard.css");
  CHECK(css.content_type == "text/css; charset=utf-8");
  CHECK(css.text == kDashboardCss);
  check_error(c.send(http::verb::post, "/", "", "{}"), 405, "method_not_allowed");
}

TEST_CASE("exports for the Board and auditors: the files of `export --format`, as of a seq", "[server]") {
  Served s;
  Client c(s.port());
  Exporter exporter(ExportFormat::kCsv);
  REQUIRE(for_each_event(*s.ledger.store->reader(), 250, [&](const Event& e) { exporter.add(e); }).to_string() == "ok");
  const std::vector<ExportFile> csv = exporter.files();
  const Reply donors = c.send(http::verb::get, "/v1/exports/donors.csv?as_of=250", s.board);
  CHECK(donors.status == 200);
  CHECK(donors.content_type == "text/csv; charset=utf-8; header=present");
  CHECK(donors.headers.at("content-disposition") == "attachment; filename=\"donors-250.csv\"");
  CHECK(donors.text == csv[0].content);
  const Reply iati = c.send(http::verb::get, "/v1/exports/iati-organisation.xml", s.auditor);
  CHECK(iati.status == 200);
  CHECK(iati.content_type == "application/xml; charset=utf-8");
  CHECK(iati.headers.at("content-disposition") == "attachment; filename=\"iati-organisation-300.xml\"");
  CHECK(iati.text.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-organisations version=\"2.03\"", 0) == 0);
  check_error(c.send(http::verb::get, "/v1/exports/secrets.csv", s.board), 404, "not_found");
  check_error(c.send(http::verb::get, "/v1/exports/donors.csv?as_of=301", s.board), 400, "invalid_as_of");
  check_error(c.send(http::verb::get, "/v1/exports/donors.csv?as_of=x", s.board), 400, "invalid_as_of");
}

TEST_CASE("views need a token of any role and are audited views that verify", "[server]") {
  Served s;
  Client c(s.port());
  check_error(c.send(http::verb::get, "/v1/fund"), 401, "unauthorized");
  check_error(c.send(http::verb::get, "/v1/fund", "fl_not-a-token"), 401, "unauthorized");
  const NoteVerifier verifier = *NoteVerifier::parse(c.send(http::verb::get, "/v1/audit/key").body["verifier_key"].get<std::string>());
  for (const std::string& token : {s.manager, s.board, s.auditor}) {
    for (const std::string target : {"/v1/fund", "/v1/donors", "/v1/calls", "/v1/programmes", "/v1/regions",
                                      "/v1/fund?as_of=120", "/v1/regions?as_of=0"}) {
      INFO(target);
      const Reply r = c.send(http::verb::get, target, token);
      REQUIRE(r.status == 200);
      CHECK(check_audited_view(r.body, verifier).to_string() == "ok");
    }
  }
  // The view is the ledger's own, as of the seq asked.
  const Reply fund = c.send(http::verb::get, "/v1/fund?as_of=120", s.board);
  Result<nlohmann::json> expected = view_as_of(s.ledger.store->reader(), ViewKind::kFund, "", 120);
  REQUIRE(expected.is_ok());
  CHECK(fund.body["view"] == (*expected)["view"]);
  CHECK(fund.body["as_of"] == (*expected)["as_of"]);
  CHECK(fund.body["as_of"]["tree_size"] == 120);
  // Errors, each with its code.
  check_error(c.send(http::verb::get, "/v1/donors/NOBODY", s.board), 404, "not_found");
  check_error(c.send(http::verb::get, "/v1/fund?as_of=abc", s.board), 400, "invalid_as_of");
  check_error(c.send(http::verb::get, "/v1/fund?as_of=0120", s.board), 400, "invalid_as_of");
  check_error(c.send(http::verb::get, "/v1/fund?as_of=301", s.board), 400, "invalid_as_of");
  check_error(c.send(http::verb::get, "/v1/nothing", s.board), 404, "not_found");
  check_error(c.send(http::verb::get, "/v1/proposals/nope", s.board), 404, "not_found");
  const Reply post = c.send(http::verb::post, "/v1/fund", s.manager, "{}");
  check_error(post, 405, "method_not_allowed");
  CHECK(post.allow == "GET");
  CHECK(post.body["error"]["message"] == "this route takes GET only");
  const Reply put = c.send(http::verb::put, "/v1/events", s.manager, "{}");
  check_error(put, 405, "method_not_allowed");
  CHECK(put.allow == "GET, POST");
  CHECK(put.body["error"]["message"] == "this route takes GET and POST only");
}

TEST_CASE("TLS 1.2 and 1.3 are accepted, 1.0 and 1.1 refused", "[server]") {
  Served s;
  Client v13(s.port());
  REQUIRE_FALSE(v13.handshake_error);
  CHECK(v13.version() == TLS1_3_VERSION);
  Client v12(s.port(), TLS1_2_VERSION);
  REQUIRE_FALSE(v12.handshake_error);
  CHECK(v12.version() == TLS1_2_VERSION);
  CHECK(v12.send(http::verb::get, "/healthz").status == 200);
  Client v11(s.port(), TLS1_1_VERSION, TLS1_VERSION);
  CHECK(v11.handshake_error);
  Client v10(s.port(), TLS1_VERSION, TLS1_VERSION);
  CHECK(v10.handshake_error);
}

TEST_CASE("a body announced over 1 MiB is refused from its header", "[server]") {
  Served s;
  Client c(s.port());
  const Reply r = c.send_header_only("/v1/events", (1 << 20) + 1);
  check_error(r, 413, "body_too_large");
  CHECK_FALSE(r.keep_alive);
}

TEST_CASE("every route refuses the roles SPEC 6 does not give it", "[server]") {
  Served s;
  Client c(s.port());
  struct Route {
    http::verb method;
    std::string target;
    bool manager, board, auditor;
  };
  const std::vector<Route> routes = {
      {http::verb::post, "/v1/events", true, false, false},
      {http::verb::get, "/v1/events?from=1&limit=2", true, false, true},
      {http::verb::get, "/v1/events/1", true, false, true},
      {http::verb::get, "/v1/fund", true, true, true},
      {http::verb::get, "/v1/donors", true, true, true},
      {http::verb::get, "/v1/calls", true, true, true},
      {http::verb::get, "/v1/programmes", true, true, true},
      {http::verb::get, "/v1/regions", true, true, true},
      {http::verb::get, "/v1/audit/inclusion?seq=1", true, true, true},
      {http::verb::get, "/v1/audit/consistency?first=1&second=2", true, true, true},
      {http::verb::get, "/v1/exports/donors.csv", true, true, true},
      {http::verb::get, "/v1/exports/iati-activities.xml", true, true, true},
  };
  int posted = 0;
  for (const Route& route : routes) {
    INFO(route.target);
    const std::string body = route.method == http::verb::post ? donor_event("r" + std::to_string(posted++)) : "";
    check_error(c.send(route.method, route.target, "", body), 401, "unauthorized");
    check_error(c.send(route.method, route.target, "fl_wrong", body), 401, "unauthorized");
    const std::pair<const std::string*, bool> tokens[] = {
        {&s.manager, route.manager}, {&s.board, route.board}, {&s.auditor, route.auditor}};
    for (const auto& [token, may] : tokens) {
      const std::string b = route.method == http::verb::post ? donor_event("r" + std::to_string(posted++)) : "";
      const Reply r = c.send(route.method, route.target, *token, b);
      if (may) {
        CHECK((r.status == 200 || r.status == 201));
      } else {
        check_error(r, 403, "forbidden");
      }
    }
  }
  // Public routes.
  CHECK(c.send(http::verb::get, "/").status == 200);
  CHECK(c.send(http::verb::get, "/dashboard.js").status == 200);
  CHECK(c.send(http::verb::get, "/dashboard.css").status == 200);
  CHECK(c.send(http::verb::get, "/healthz").status == 200);
  CHECK(c.send(http::verb::get, "/v1/audit/key").status == 200);
  CHECK(c.send(http::verb::get, "/v1/audit/checkpoint").status == 200);
}

TEST_CASE("checkpoints are signed while the log grows, and a last one when the server stops", "[server][slow]") {
  ServedOptions options;
  options.checkpoint_interval = std::chrono::seconds(1);
  Served s(options);
  Client c(s.port());
  REQUIRE(c.send(http::verb::post, "/v1/events", s.manager, donor_event("grow-1")).status == 201);
  nlohmann::json cp;
  for (int i = 0; i < 50; ++i) {  // within five seconds
    cp = c.send(http::verb::get, "/v1/audit/checkpoint").body;
    if (cp["tree_size"] == 301) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(cp["tree_size"] == 301);
  REQUIRE(c.send(http::verb::post, "/v1/events", s.manager, donor_event("grow-2")).status == 201);
  s.server->stop();
  const auto latest = latest_checkpoint(*s.ledger.store->reader());
  REQUIRE(latest.is_ok());
  REQUIRE(latest->has_value());
  CHECK((*latest)->first == 302);
  // Every checkpoint kept verifies and is consistent with the log.
  const Result<KeptCheckpoints> kept =
      verify_kept_checkpoints(*s.ledger.store->reader(), *NoteVerifier::parse(s.signer.verifier_key()));
  REQUIRE(kept.is_ok());
  CHECK_FALSE(kept->failure.has_value());
  CHECK(kept->count >= 3);  // 300 before it started, 301, 302
}

TEST_CASE("/metrics counts requests by route and status, appends and writes, for any role", "[server]") {
  Served s;
  Client c(s.port());
  check_error(c.send(http::verb::get, "/metrics"), 401, "unauthorized");
  REQUIRE(c.send(http::verb::get, "/healthz").status == 200);
  REQUIRE(c.send(http::verb::get, "/v1/donors/NOBODY", s.board).status == 404);
  REQUIRE(c.send(http::verb::post, "/v1/events", s.manager, "[" + donor_event("m1") + "," + donor_event("m2") + "]")
              .status == 201);
  // A refused append carries nothing: the counts stay.
  REQUIRE(c.send(http::verb::post, "/v1/events", s.manager,
                 R"({"id":"p-x","type":"pledge.recorded","data":{"pledge":"p-x","donor":"NOBODY","amount":"1.00",)"
                 R"("currency":"USD","pledged_on":"2014-01-01"}})")
              .status == 422);
  const Reply m = c.send(http::verb::get, "/metrics", s.auditor);
  REQUIRE(m.status == 200);
  CHECK(m.content_type == "text/plain; version=0.0.4; charset=utf-8");
  const std::string& t = m.text;
  CHECK(t.find("fundledger_requests_total{route=\"/healthz\",status=\"200\"} 1\n") != std::string::npos);
  CHECK(t.find("fundledger_requests_total{route=\"/v1/donors/{id}\",status=\"404\"} 1\n") != std::string::npos);
  CHECK(t.find("fundledger_requests_total{route=\"/metrics\",status=\"401\"} 1\n") != std::string::npos);
  CHECK(t.find("fundledger_requests_total{route=\"/v1/events\",status=\"201\"} 1\n") != std::string::npos);
  CHECK(t.find("fundledger_requests_total{route=\"/v1/events\",status=\"422\"} 1\n") != std::string::npos);
  CHECK(t.find("fundledger_request_seconds_count 5\n") != std::string::npos);
  CHECK(t.find("fundledger_request_seconds_bucket{le=\"+Inf\"} 5\n") != std::string::npos);
  CHECK(t.find("fundledger_appended_events_total 302\n") != std::string::npos);  // the fixture's 300 too
  CHECK(t.find("fundledger_tree_size 302\n") != std::string::npos);
  CHECK(t.find("fundledger_open_connections 1\n") != std::string::npos);
  CHECK(t.find("fundledger_append_write_events_max 300\n") != std::string::npos);
}

TEST_CASE("requests a server must not guess at are refused with 400, and never a 5xx", "[server]") {
  Served s;
  {
    Client c(s.port());
    check_error(c.send_raw("GARBAGE\r\n\r\n"), 400, "bad_request");
  }
  {
    Client c(s.port());
    check_error(c.send_raw("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"), 400,
                "bad_request");
  }
  {
    Client c(s.port());
    check_error(c.send_raw("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                400, "bad_request");
  }
  for (const std::string head : {"Host: x\r\nTransfer-Encoding: identity\r\nContent-Length: 2\r\n", "",
                                 "Host: x\r\nHost: y\r\n"}) {
    // A length beside a transfer coding, or no Host, or two.
    Client c(s.port());
    const Reply r = c.send_raw("POST /v1/events HTTP/1.1\r\n" + head + "\r\n{}");
    check_error(r, 400, "bad_request");
    CHECK(r.body["error"]["message"] == (head.find("identity") != std::string::npos
                                            ? "a request has a Content-Length or a Transfer-Encoding, not both"
                                            : "an HTTP/1.1 request names its Host exactly once"));
  }
  {
    Client c(s.port());
    check_error(c.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " + std::string(20000, 'a') + "\r\n\r\n"),
                400, "bad_request");
  }
  {
    // Bytes that are not UTF-8 in a path, or in an id, are named back as '?'.
    Client c(s.port());
    const Reply r = c.send_raw("GET /v1/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n");
    check_error(r, 404, "not_found");
    CHECK(r.body["error"]["message"] == "no route /v1/??");
    const Reply d = c.send_raw("GET /v1/donors/\xc3\x28 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + s.board +
                               "\r\n\r\n");
    check_error(d, 404, "not_found");
  }
  {
    // Bodies that are not JSON, or not events, are the client's: 400s.
    Client c(s.port());
    const std::vector<std::string> bodies = {"", "null", "[]", "[1]", "\"x\"", "{\"id\":1}", "\xff\xfe"};
    for (const std::string& body : bodies) {
      INFO(body);
      const Reply r = c.send(http::verb::post, "/v1/events", s.manager, body.empty() ? " " : body);
      CHECK(r.status == 400);
    }
  }
}

TEST_CASE("a client that sends nothing or too slowly is closed at its timeout", "[server][slow]") {
  Limits limits;
  limits.header_timeout = std::chrono::seconds(1);
  limits.body_timeout = std::chrono::seconds(1);
  ServedOptions options;
  options.limits = limits;
  Served s(options);
  using std::chrono::milliseconds;
  {
    Client idle(s.port());
    const milliseconds t = idle.time_until_closed("");
    CHECK(t >= milliseconds(900));
    CHECK(t < milliseconds(3000));
  }
  {
    Client slow(s.port());
    const milliseconds t = slow.time_until_closed("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    CHECK(t >= milliseconds(900));
    CHECK(t < milliseconds(3000));
  }
  {
    // A body announced, a part of it sent: 408, then the connection closes.
    Client slow(s.port());
    const auto start = std::chrono::steady_clock::now();
    const Reply r = slow.send_raw(
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\"");
    const auto t = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
    check_error(r, 408, "request_timeout");
    CHECK(r.body["error"]["message"] == "the request's body did not arrive within 1 seconds");
    CHECK_FALSE(r.keep_alive);
    CHECK(t >= milliseconds(900));
    CHECK(t < milliseconds(3000));
    CHECK(slow.time_until_closed("") < milliseconds(3000));
  }
  {
    // One that keeps to its time is answered, then kept open until idle.
    Client quick(s.port());
    CHECK(quick.send(http::verb::get, "/healthz").status == 200);
    CHECK(quick.time_until_closed("") >= milliseconds(900));
  }
}

TEST_CASE("a connection beyond the limit takes the slot of the one idle longest", "[server]") {
  Limits limits;
  limits.connections_max = 2;
  ServedOptions options;
  options.limits = limits;
  Served s(options);
  Client a(s.port());
  Client b(s.port());
  REQUIRE(a.send(http::verb::get, "/healthz").status == 200);
  // The server marks a connection waiting once its answer is written,
  // which may be after the client has read it: b's answer comes well after.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  REQUIRE(b.send(http::verb::get, "/healthz").status == 200);
  Client c(s.port());
  REQUIRE_FALSE(c.handshake_error);
  CHECK(c.send(http::verb::get, "/healthz").status == 200);
  CHECK(a.time_until_closed("") < std::chrono::milliseconds(3000));  // a waited longest
  CHECK(b.send(http::verb::get, "/healthz").status == 200);
}

TEST_CASE("the OpenAPI document lists exactly the routes the server answers, with their roles", "[server]") {
  Served s;
  Client c(s.port());
  const Reply r = c.send(http::verb::get, "/openapi.json");
  REQUIRE(r.status == 200);
  const nlohmann::json& doc = r.body;
  CHECK(doc["openapi"] == "3.1.0");
  std::set<std::pair<std::string, std::string>> documented, routed;
  std::map<std::pair<std::string, std::string>, std::string> documented_roles;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, operation] : ops.items()) {
      std::string m = method;
      std::transform(m.begin(), m.end(), m.begin(), ::toupper);
      documented.insert({m, path});
      std::string roles;
      for (const auto& role : operation["x-roles"]) roles += (roles.empty() ? "" : ",") + role.get<std::string>();
      documented_roles[{m, path}] = roles;
      CHECK(operation.contains("responses"));
    }
  }
  for (const Route& route : routes()) {
    const std::pair<std::string, std::string> key{std::string(route.method), std::string(route.pattern)};
    routed.insert(key);
    INFO(key.first << " " << key.second);
    CHECK(documented_roles[key] == roles_text(route.roles));
  }
  CHECK(documented == routed);
  // The document's roles come from the route table alone: the file
  // compiled in has none of its own.
  CHECK(std::string(kOpenApiJson).find("\"x-roles\"") == std::string::npos);
  // Its error codes are the table's that the server answers with.
  const nlohmann::json& codes = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"];
  CHECK(std::find(codes.begin(), codes.end(), "invalid_amount") != codes.end());
  CHECK(std::find(codes.begin(), codes.end(), "internal_error") != codes.end());
  CHECK(std::find(codes.begin(), codes.end(), "storage_error") == codes.end());
  CHECK(std::find(codes.begin(), codes.end(), "usage") == codes.end());

  // Every route listed answers (not "no route"), with a token of its roles.
  for (const Route& route : routes()) {
    std::string target(route.pattern);
    if (const auto at = target.find("{seq}"); at != std::string::npos) target.replace(at, 5, "1");
    if (const auto at = target.find("{id}"); at != std::string::npos) target.replace(at, 4, "x");
    if (target == "/v1/audit/inclusion") target += "?seq=1";
    if (target == "/v1/audit/consistency") target += "?first=1&second=2";
    const std::string& token = route.roles == kPublic                  ? std::string()
                               : takes(route.roles, Role::kAuditor) ? s.auditor
                                                                    : s.manager;
    const bool post = route.method == "POST";
    const Reply answer = c.send(post ? http::verb::post : http::verb::get, target, token, post ? donor_event("o-1") : "");
    INFO(target << " " << answer.status << " " << answer.text);
    CHECK(answer.status != 405);
    if (answer.status == 404) CHECK(answer.body["error"]["message"].get<std::string>().rfind("no route", 0) != 0);
  }
  // And nothing else does.
  for (const std::string target :
       {"/index.html", "/v1", "/v2/fund", "/v1/events/1/x", "/v1/audit", "/v1/fund/x", "/v1/fund/x/y", "/v1/proposals"}) {
    const Reply answer = c.send(http::verb::get, target, s.manager);
    INFO(target);
    check_error(answer, 404, "not_found");
    CHECK(answer.body["error"]["message"] == "no route " + target);
  }
}

TEST_CASE("a request in flight when the server stops is answered 503, and the server stops", "[server][slow]") {
  Served s;
  // Half a body: the connection is busy reading a request when the stop
  // begins.
  const Reply r = test::request_while_stopping(s);
  check_error(r, 503, "shutting_down");
  CHECK_FALSE(r.keep_alive);
  CHECK(s.ledger.store->head().size == 300);  // nothing appended
}

TEST_CASE("a certificate or key the server cannot use is refused before it listens", "[server]") {
  fundledger::test::TempDir dir;
  fundledger::test::Ledger ledger;
  const NoteSigner signer = *NoteSigner::generate("test.example/ledger");
  REQUIRE(write_self_signed_certificate(dir.path() / "tls.crt", dir.path() / "tls.key").to_string() == "ok");
  REQUIRE(write_self_signed_certificate(dir.path() / "other.crt", dir.path() / "other.key").to_string() == "ok");
  ServerOptions o;
  o.port = 0;
  o.cert = dir.path() / "missing.crt";
  o.key = dir.path() / "tls.key";
  Result<std::unique_ptr<Server>> s = Server::start(*ledger.store, *ledger.writer, TokenStore(), signer, o);
  CHECK(s.status().to_string() == "tls_error: cannot use the certificate " + o.cert.string());
  // A key of another certificate.
  o.cert = dir.path() / "tls.crt";
  o.key = dir.path() / "other.key";
  s = Server::start(*ledger.store, *ledger.writer, TokenStore(), signer, o);
  CHECK(s.status().to_string() == "tls_error: cannot use the key " + o.key.string() + " with the certificate");
  // A key that others may read, as log.key and tokens are refused.
  o.key = dir.path() / "tls.key";
  std::filesystem::permissions(o.key, std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  s = Server::start(*ledger.store, *ledger.writer, TokenStore(), signer, o);
  CHECK(s.status().to_string() == "tls_error: " + o.key.string() +
                                      " may be read by others than its owner (mode 0644); chmod 600 it");
}

}  // namespace
}  // namespace fundledger::api
