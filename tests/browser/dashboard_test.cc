// The dashboard in a real browser: Debian's Chromium, headless, driven over
// the DevTools protocol (a WebSocket, with Beast), against `fundledger
// serve` over the demo ledger on loopback. A Board member signs in; the
// figures the page shows for the fund, one donor, one region and one call
// equal the API's; a proposal's trail lists the seqs of the events that
// name it; its proofs verify, and one tampered on the way is shown as
// failed; the checkpoint's signature verifies in the page.
//
// With FUNDLEDGER_SCREENSHOTS=DIR the screenshots of each page are written
// there (tools/screenshots writes them to docs/screenshots). Without
// /usr/bin/chromium the test fails; tools/test installs it.

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "audit/note.h"
#include "tests/browser/browser.h"
#include "tests/client.h"
#include "tests/serve_process.h"
#include "tests/support.h"
#include "tests/temp_dir.h"

namespace fundledger {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using nlohmann::json;

using test::Browser;
using test::grouped;
using test::kChromium;
using test::Page;
using test::save_screenshot;
using test::usd;

TEST_CASE("the dashboard in Chromium shows the API's figures, a proposal's trail, and catches a tampered proof",
          "[browser][slow]") {
  // A missing browser is a failure, never a pass: tools/test installs it.
  INFO("the browser test needs " << kChromium << " (Debian's chromium; tools/install-deps --test installs it)");
  REQUIRE(std::filesystem::exists(kChromium));
  test::TempDir dir;
  const std::string data = dir.str() + "/ledger";
  REQUIRE(test::run_cli("demo --data " + data).exit_code == 0);
  const test::Run added = test::run_cli("token add --name bea --role board --data " + data);
  REQUIRE(added.exit_code == 0);
  const std::string board = json::parse(added.out)["token"];
  // The demo's 54 events, and the grant of bea's token as the 55th.
  test::ServeProcess serve(dir, data);
  const std::string base = "https://127.0.0.1:" + std::to_string(serve.port());
  test::Client api(serve.port());
  REQUIRE_FALSE(api.handshake_error);
  auto get = [&](const std::string& target) {
    const test::Reply r = api.send(http::verb::get, target, board);
    INFO(target);
    REQUIRE(r.status == 200);
    return r.body;
  };

  Browser browser(dir.path() / "chromium");
  Page page(browser.port());
  page.call("Page.enable");
  page.call("Runtime.enable");
  page.call("Page.navigate", {{"url", base + "/"}});
  page.wait_for("document.readyState === 'complete' && document.getElementById('token') !== null");
  save_screenshot(page.screenshot(), "sign-in.png");

  // A Board member signs in with the token.
  page.evaluate("document.getElementById('token').value = '" + board +
                "'; document.getElementById('sign-in-form').requestSubmit(); true");
  page.wait_for("document.body.dataset.ready === 'fund'");
  CHECK(page.evaluate("sessionStorage.getItem('fundledger.token')") == board);
  CHECK(page.evaluate("localStorage.length") == 0);

  SECTION("the figures on every page are the API's") {
    const json fund = get("/v1/fund")["view"];
    CHECK(page.text("fund-received") == usd(fund["received"]));
    CHECK(page.text("fund-approved") == usd(fund["approved"]));
    CHECK(page.text("fund-disbursed") == usd(fund["disbursed"]));
    CHECK(page.text("fund-cash") == usd(fund["cash"]));
    CHECK(page.text("fund-unallocated") == usd(fund["unallocated"]));
    CHECK(page.text("fund-received") == "2,565,000.00 USD");
    // Other income and costs, and the payment waiting for a second manager.
    CHECK(page.text("fund-income") == usd(fund["income"]["total"]));
    CHECK(page.text("fund-costs") == usd(fund["costs"]["total"]));
    CHECK(page.text("fund-income") == "6,050.00 USD");
    CHECK(page.text("fund-costs") == "12,820.00 USD");
    CHECK(page.text("income-interest") == "Interest: 6,050.00 USD");
    CHECK(page.text("cost-bank_charge") == "Bank charges: 320.00 USD");
    CHECK(page.text("cost-direct_cost") == "Direct costs: 12,500.00 USD");
    CHECK(page.text("fund-requested") == "60,000.00 USD");
    CHECK(page.text("request-d-sle-PER-01-1") ==
          "60,000.00 USD to sle-PER-01, requested on 2016-06-15 (d-sle-PER-01-1)");
    CHECK(page.text("view-signature") == "Views signed by the log key: verified.");
    // One donor: Switzerland, pledged in francs.
    const json che = get("/v1/donors/CHE")["view"];
    CHECK(page.text("donor-CHE-CHF-pledged") == grouped(che["currencies"][0]["pledged"]));
    CHECK(page.text("donor-CHE-CHF-received") == grouped(che["currencies"][0]["received"]));
    CHECK(page.text("donor-CHE-CHF-outstanding") == grouped(che["currencies"][0]["outstanding"]));
    CHECK(page.text("donor-CHE-received-usd") == usd(che["received_usd"]));
    CHECK(page.text("donor-CHE-CHF-pledged") == "300,000.00");
    save_screenshot(page.screenshot(), "fund.png");

    page.show("regions", "regions");
    const json regions = get("/v1/regions")["view"];
    for (const json& r : regions["regions"]) {
      const std::string code = r["region"];
      CHECK(page.text("region-" + code + "-approved") == usd(r["approved"]));
      CHECK(page.text("region-" + code + "-disbursed") == usd(r["disbursed"]));
      CHECK(page.text("region-" + code + "-requested") == usd(r["requested"]));
    }
    CHECK(page.text("region-AFR-share") == "34.02 %");
    save_screenshot(page.screenshot(), "regions.png");

    page.show("calls/call-2014-spp", "calls");
    const json call = get("/v1/calls/call-2014-spp")["view"];
    CHECK(page.text("call-call-2014-spp-budget") == usd(call["budget"]));
    CHECK(page.text("call-call-2014-spp-approved") == usd(call["approved"]));
    CHECK(page.text("call-call-2014-spp-disbursed") == usd(call["disbursed"]));
    CHECK(page.text("call-call-2014-spp-remaining") == usd(call["remaining"]));
    CHECK(page.text("call-call-2014-spp-proposals") == "6: 5 approved, 1 rejected, 0 pending");
    for (const json& r : call["by_region"]) {
      CHECK(page.text("call-region-" + r["region"].get<std::string>() + "-approved") == usd(r["approved"]));
    }
    save_screenshot(page.screenshot(), "calls.png");

    // At a tablet's width nothing runs off the side.
    page.call("Emulation.setDeviceMetricsOverride",
              {{"width", 768}, {"height", 1024}, {"deviceScaleFactor", 1}, {"mobile", false}});
    page.show("regions", "regions");
    CHECK(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth") == true);
    save_screenshot(page.screenshot(), "regions-tablet.png");
    page.call("Emulation.clearDeviceMetricsOverride");

    // As of an earlier seq, with the field: the view then.
    page.show("fund", "fund");
    page.evaluate("document.body.dataset.ready = ''; const f = document.getElementById('as-of-seq'); f.value = '20';"
                  "f.dispatchEvent(new Event('change')); true");
    page.wait_for("document.body.dataset.ready === 'fund'");
    const json then = get("/v1/fund?as_of=20")["view"];
    CHECK(page.text("fund-received") == usd(then["received"]));
    CHECK(page.text("fund-received") != usd(fund["received"]));
    CHECK(page.text("as-of-status") == "Showing the ledger as it stood after event 20 of 77.");
    save_screenshot(page.screenshot(), "as-of.png");
  }

  SECTION("a proposal's trail lists its events; a proof verifies, and a tampered one fails") {
    page.show("proposal/spp-MDA-01", "proposal");
    CHECK(page.errors() == "");
    // The seqs of the events that name the proposal, read from the log.
    const test::Run events = test::run_cli("events --limit 1000 --data " + data);
    REQUIRE(events.exit_code == 0);
    std::vector<std::string> expected;
    std::size_t start = 0;
    while (start < events.out.size()) {
      const std::size_t end = events.out.find('\n', start);
      const json e = json::parse(events.out.substr(start, end - start));
      if (e["data"].value("proposal", "") == "spp-MDA-01") expected.push_back(std::to_string(e["seq"].get<int>()));
      start = end + 1;
    }
    CHECK(expected == std::vector<std::string>{"26", "35", "43", "57"});
    CHECK(page.evaluate("Array.from(document.querySelectorAll('#trail-table tbody tr')).map(r => r.dataset.seq)") ==
          json(expected));
    CHECK(page.text("proposal-approved") == "110,000.00 USD");
    CHECK(page.text("proposal-decision") == "Decided on 2015-02-10 under the Board's decision BD-2015-1");

    page.evaluate("document.querySelector('[data-test=\"check-26\"]').click(); true");
    page.wait_for("document.querySelector('[data-test=\"proof-26\"]').textContent.startsWith('verified')");
    CHECK(page.text("proof-26") == "verified: in the checkpoint of 77 events");
    save_screenshot(page.screenshot(), "proposal.png");

    // Every inclusion proof now comes back with one hash of its path changed.
    int tampered = 0;
    page.on_event = [&](const json& e) {
      if (e["method"] != "Fetch.requestPaused") return;
      const json& p = e["params"];
      const json body = page.call("Fetch.getResponseBody", {{"requestId", p["requestId"]}});
      std::string text = body["base64Encoded"] == true ? *base64_decode(body["body"].get<std::string>())
                                                       : body["body"].get<std::string>();
      json proof = json::parse(text);
      std::string h = proof["path"][0];
      h[0] = h[0] == '0' ? '1' : '0';
      proof["path"][0] = h;
      ++tampered;
      page.call("Fetch.fulfillRequest", {{"requestId", p["requestId"]},
                                         {"responseCode", 200},
                                         {"responseHeaders", json::array({{{"name", "Content-Type"}, {"value", "application/json"}}})},
                                         {"body", base64_encode(proof.dump())}});
    };
    page.call("Fetch.enable", {{"patterns", json::array({{{"urlPattern", "*/v1/audit/inclusion*"}, {"requestStage", "Response"}}})}});
    page.evaluate("document.querySelector('[data-test=\"check-43\"]').click(); true");
    page.wait_for("document.querySelector('[data-test=\"proof-43\"]').textContent.startsWith('failed')");
    CHECK(tampered == 1);
    CHECK(page.text("proof-43") == "failed: the proof does not lead to the signed root");
    save_screenshot(page.screenshot(), "proposal-tampered.png");
    page.call("Fetch.disable");
    page.on_event = nullptr;
  }

  SECTION("the Board's decisions, each with what rests on it, and a proof one click away") {
    page.show("board", "board");
    CHECK(page.errors() == "");
    // The Board last appointed, on its first day, by regional group.
    CHECK(page.text("board-status") == "10 members on 2013-09-01; co-chairs IDN and MEX");
    CHECK(page.text("board-GRULAC-seats") == "2 of 2");
    CHECK(page.text("board-GRULAC-members") ==
          "CHL — seat GRULAC-1, 2013-09-01 to 2015-08-31; MEX, co-chair — seat GRULAC-2, 2013-09-01 to 2015-08-31");
    CHECK(page.text("board-APG-members") ==
          "JPN (sharing with KOR) — seat APG-1, 2013-09-01 to 2015-08-31; IDN (sharing with BGD), co-chair — seat APG-2, "
          "2013-09-01 to 2015-08-31");
    const auto on = [&](const std::string& day, const std::string& status) {
      page.evaluate("(() => { const d = document.getElementById('board-day'); d.value = '" + day +
                    "'; d.dispatchEvent(new Event('change')); return true; })()");
      page.wait_for("document.getElementById('board-status').textContent.includes('" + day + "')");
      CHECK(page.text("board-status") == status);
    };
    on("2014-09-17", "10 members on 2014-09-17");
    on("2015-09-01", "No member sits on the Board on 2015-09-01.");
    on("2014-09-16", "10 members on 2014-09-16; co-chairs IDN and MEX");
    CHECK(page.evaluate("Array.from(document.querySelectorAll('#decision-table tbody tr'), r => r.dataset.test)") ==
          json({"decision-BD-2015-4", "decision-BD-2015-3", "decision-BD-2015-2", "decision-BD-2015-1",
                "decision-BD-2014-2", "decision-BD-2014-1"}));
    CHECK(page.text("decision-BD-2015-1-proposals") == "5 approved, 1 rejected");
    CHECK(page.text("decision-BD-2015-1-approved") == "750,000.00 USD");
    CHECK(page.text("decision-BD-2014-2-calls") == "1");
    page.show("board/BD-2015-1", "board");
    CHECK(page.text("decision-title") ==
          "Decision BD-2015-1 of the meeting of 2015-02-10: Five proposals of the first call are approved, one of them "
          "reduced, and one is rejected");
    CHECK(page.text("decision-approval-spp-MDA-01") ==
          "spp-MDA-01 (Moldovan Public Procurement Agency, EEG) approved on 2015-02-10: 120,000.00 USD");
    CHECK(page.text("decision-rejection-spp-GHA-01") ==
          "spp-GHA-01 (Ghana Environmental Protection Agency, AFR) rejected on 2015-02-10: Outside the scope of the call");
    page.evaluate("document.querySelector('#decision-proof [data-test^=\"check-\"]').click(); true");
    page.wait_for("document.querySelector('#decision-proof [data-test^=\"proof-\"]').textContent.startsWith('verified')");
    CHECK(page.text("proof-31") == "verified: in the checkpoint of 77 events");
    save_screenshot(page.screenshot(), "board.png");
  }

  SECTION("the chain: the checkpoint's signature verifies in the page") {
    page.show("chain", "chain");
    CHECK(page.errors() == "");
    const json checkpoint = get("/v1/audit/checkpoint");
    CHECK(page.text("chain-size") == "77 events");
    CHECK(page.text("chain-root") == checkpoint["root_hash"]);
    CHECK(page.text("chain-time") == checkpoint["last_recorded_at"]);
    CHECK(page.text("chain-signature") == "verified in this browser (Ed25519, WebCrypto)");
    CHECK(page.text("chain-note") == checkpoint["note"]);
    save_screenshot(page.screenshot(), "chain.png");
  }

  SECTION("a failed request says what failed") {
    page.show("proposal/no-such-proposal", "proposal");
    CHECK(page.evaluate("document.getElementById('errors').textContent") ==
          R"(GET /v1/proposals/no-such-proposal failed: 404 not_found: there is no proposal "no-such-proposal")");
  }
}

}  // namespace
}  // namespace fundledger
