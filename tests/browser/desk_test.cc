// The manager's desk in Chromium (tests/browser/browser.h), against
// `fundledger serve` over the demo ledger: through the page alone a manager
// registers a donor, records a pledge in euros typed as an officer types
// it, previews and records a contribution against it with its dollar
// amount, sends a form twice to have it recorded once, reverses the
// contribution's mistyped twin from the donor's row, opens a call,
// records two proposals, the approval of one and a payment to it, imports a
// spreadsheet of three contributions after checking each row, and sees the
// API's refusal of a payment beyond the cash next to the amount; after each step
// the fund and the donor on the page equal the API's views, and the
// ledger verifies afterwards. A Board member's token gets no desk, and its
// posts 403.

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/browser/browser.h"
#include "tests/client.h"
#include "tests/serve_process.h"
#include "tests/support.h"
#include "tests/temp_dir.h"

namespace fundledger {
namespace {

using nlohmann::json;
using test::Page;
using test::save_screenshot;
using test::usd;
namespace http = boost::beast::http;

// Sets a field of the desk's form as typing would, and tells the page.
void fill(Page& page, const std::string& name, const std::string& value) {
  page.evaluate("(() => { const e = document.querySelector('#desk-fields [name=\"" + name + "\"]'); e.value = " +
                json(value).dump() +
                "; e.dispatchEvent(new Event('input', {bubbles: true}));"
                " e.dispatchEvent(new Event('change', {bubbles: true})); return true; })()");
}

// Opens the desk's form at `hash`, afresh when the page is there already.
void open_form(Page& page, const std::string& hash) {
  page.evaluate("document.body.dataset.ready = ''; if (location.hash === '#" + hash + "') render(); else location.hash = '" +
                hash + "'; true");
  page.wait_for("document.body.dataset.ready === 'record'");
}

void press(Page& page, const std::string& button, const std::string& sent) {
  page.evaluate("document.body.dataset.sent = ''; document.querySelector('[data-test=\"" + button +
                "\"]').click(); true");
  page.wait_for("document.body.dataset.sent === '" + sent + "'");
}

TEST_CASE("a manager records through the desk, the page's figures stay the API's, and a Board member gets no desk",
          "[browser][slow]") {
  INFO("the browser test needs " << test::kChromium << " (Debian's chromium; tools/install-deps --test installs it)");
  REQUIRE(std::filesystem::exists(test::kChromium));
  test::TempDir dir;
  const std::string data = dir.str() + "/ledger";
  REQUIRE(test::run_cli("demo --data " + data).exit_code == 0);
  const test::Run officer = test::run_cli("token add --name amara --role manager --data " + data);
  const test::Run member = test::run_cli("token add --name bea --role board --data " + data);
  REQUIRE(officer.exit_code == 0);
  REQUIRE(member.exit_code == 0);
  const std::string manager = json::parse(officer.out)["token"];
  const std::string board = json::parse(member.out)["token"];
  // The demo's 76 events and the two grants.
  constexpr int kHead = 78;
  {
    test::ServeProcess serve(dir, data);
    test::Client api(serve.port());
    const auto get = [&](const std::string& target) {
      const test::Reply r = api.send(http::verb::get, target, board);
      INFO(target);
      REQUIRE(r.status == 200);
      return r.body["view"];
    };

    test::Browser browser(dir.path() / "chromium");
    Page page(browser.port());
    page.call("Page.enable");
    page.call("Runtime.enable");
    page.call("Page.navigate", {{"url", "https://127.0.0.1:" + std::to_string(serve.port()) + "/"}});
    page.wait_for("document.readyState === 'complete' && document.getElementById('token') !== null");
    page.evaluate("document.getElementById('token').value = '" + manager +
                  "'; document.getElementById('sign-in-form').requestSubmit(); true");
    page.wait_for("document.body.dataset.ready === 'fund'");
    CHECK(page.text("signed-in-as") == "amara (manager)");
    CHECK(page.evaluate("document.getElementById('nav-record').hidden") == false);

    // A donor.
    open_form(page, "record/donor.registered");
    fill(page, "donor", "NOR");
    fill(page, "name", "Norway");
    fill(page, "kind", "government");
    fill(page, "country", "NOR");
    CHECK(page.evaluate("document.getElementById('desk-id').value") == "donor-NOR");
    press(page, "desk-record", "record");
    CHECK(page.text("desk-receipt-title") == "Recorded as event " + std::to_string(kHead + 1));
    CHECK(get("/v1/donors/NOR")["name"] == "Norway");

    // A pledge in euros, typed with thousands separators; the page shows
    // the amount it will send.
    open_form(page, "record/pledge.recorded/donor%3DNOR");
    CHECK(page.evaluate("document.getElementById('desk-donor').value") == "NOR");
    fill(page, "pledge", "NOR-2016");
    fill(page, "currency", "EUR");
    fill(page, "amount", "250,000");
    fill(page, "pledged_on", "2016-02-01");
    CHECK(page.text("shown-amount") == "250,000.00 EUR");
    CHECK(page.evaluate("document.getElementById('desk-id').value") == "pledge-NOR-2016");
    save_screenshot(page.screenshot(), "desk-pledge.png");
    press(page, "desk-record", "record");
    CHECK(page.text("desk-receipt-title") == "Recorded as event " + std::to_string(kHead + 2));
    const json pledge = get("/v1/donors/NOR")["pledges"][0];
    CHECK(pledge["amount"] == "250000.00");
    CHECK(pledge["currency"] == "EUR");

    // A contribution against it: the pledge chosen from the donor's, its
    // currency from the pledge; the preview says what it does in words.
    const json fund_before = get("/v1/fund");
    open_form(page, "record/contribution.received/donor%3DNOR");
    page.wait_for("document.getElementById('desk-pledge').options.length === 2");
    CHECK(page.evaluate("document.getElementById('desk-pledge').options[1].textContent") ==
          "NOR-2016: 250,000.00 EUR outstanding of 250,000.00 EUR");
    fill(page, "pledge", "NOR-2016");
    CHECK(page.evaluate("document.getElementById('desk-currency').value") == "EUR");
    fill(page, "contribution", "NOR-2016-1");
    fill(page, "amount", "100000");
    fill(page, "usd", "110,000.00");
    fill(page, "received_on", "2016-03-15");
    press(page, "desk-preview", "preview");
    const json changes = page.evaluate("Array.from(document.querySelectorAll('#desk-changes li'), li => li.textContent)");
    const json fund_after_preview = get("/v1/fund");
    CHECK(fund_after_preview == fund_before);  // a preview writes nothing
    const auto has = [&](const std::string& line) {
      INFO(changes.dump());
      CHECK(std::find(changes.begin(), changes.end(), json(line)) != changes.end());
    };
    has("donor NOR: pledges NOR-2016 outstanding 250,000.00 EUR → 150,000.00 EUR");
    has("donor NOR: received (USD) 0.00 USD → 110,000.00 USD");
    has("the fund: number of contributions 7 → 8");
    save_screenshot(page.screenshot(), "desk-preview.png");
    press(page, "desk-record", "record");
    CHECK(page.text("desk-receipt-title") == "Recorded as event " + std::to_string(kHead + 3));
    const json fund_after = get("/v1/fund");
    has("the fund: cash on hand " + usd(fund_before["cash"]) + " → " + usd(fund_after["cash"]));
    // Its proof, one click away: the server signs a checkpoint as it starts
    // and each minute, so the new event is not in one yet.
    page.evaluate("document.querySelector('[data-test=\"desk-check\"]').click(); true");
    page.wait_for("document.querySelector('[data-test=\"desk-proof\"]').textContent.startsWith('not yet')");
    CHECK(page.text("desk-proof") == "not yet in a signed checkpoint (it holds " + std::to_string(kHead) + " events)");
    save_screenshot(page.screenshot(), "desk-receipt.png");
    // Sent again (a double click, a retry after a lost answer): recorded once.
    press(page, "desk-record", "record");
    CHECK(page.text("desk-receipt-title") == "Already recorded as event " + std::to_string(kHead + 3));
    CHECK(page.text("receipt-seq") == std::to_string(kHead + 3));
    page.show("fund", "fund");
    CHECK(page.text("fund-cash") == usd(fund_after["cash"]));
    CHECK(page.text("fund-received") == usd(fund_after["received"]));
    CHECK(page.text("donor-NOR-EUR-outstanding") == "150,000.00");
    CHECK(page.text("donor-NOR-received-usd") == usd(get("/v1/donors/NOR")["received_usd"]));

    // The same transfer typed in again under another number: a mistyped
    // twin, reversed from the donor's row. The figures return to what they
    // were, and the donor's view shows the reversal beside the twin.
    open_form(page, "record/contribution.received/donor%3DNOR");
    page.wait_for("document.getElementById('desk-pledge').options.length === 2");
    for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"pledge", "NOR-2016"}, {"contribution", "NOR-2016-1b"}, {"amount", "100,000"}, {"usd", "110000"},
             {"received_on", "2016-03-15"}}) {
      fill(page, name, value);
    }
    press(page, "desk-record", "record");
    CHECK(page.text("desk-receipt-title") == "Recorded as event " + std::to_string(kHead + 4));
    const std::string twin = std::to_string(kHead + 4);
    page.show("fund", "fund");
    CHECK(page.text("donor-NOR-EUR-outstanding") == "50,000.00");
    page.evaluate("document.body.dataset.ready = ''; Array.from(document.querySelectorAll('a.action')).find(a => "
                  "a.textContent === 'reverse a contribution' && a.hash.endsWith('donor%3DNOR')).click(); true");
    page.wait_for("document.body.dataset.ready === 'record'");
    CHECK(page.evaluate("document.getElementById('desk-type').value") == "entry.reversed");
    // Only what the officer decides is asked; the writer copies the rest.
    CHECK(page.evaluate("Array.from(document.querySelectorAll('#desk-fields [name]'), e => e.name)") ==
          json::array({"seq", "reversed_on", "reason"}));
    CHECK(page.evaluate("Array.from(document.getElementById('desk-seq').options, o => o.textContent)") ==
          json::array({"event " + twin + ": contribution NOR-2016-1b of 100,000.00 EUR (110,000.00 USD) from NOR, "
                       "received 2016-03-15",
                       "event " + std::to_string(kHead + 3) + ": contribution NOR-2016-1 of 100,000.00 EUR "
                       "(110,000.00 USD) from NOR, received 2016-03-15"}));
    fill(page, "seq", twin);
    const std::string twin_at = api.send(http::verb::get, "/v1/events/" + twin, manager).body["recorded_at"];
    CHECK(page.text("seq-hint") == "Takes back contribution NOR-2016-1b of 100,000.00 EUR (110,000.00 USD) from NOR, "
                                   "received 2016-03-15, recorded on " +
                                       twin_at.substr(0, 10) + " at " + twin_at.substr(11, 5) + " UTC by manager:amara.");
    fill(page, "reversed_on", "2016-03-20");
    fill(page, "reason", "recorded twice: one transfer on the bank statement of 15 March");
    CHECK(page.evaluate("document.getElementById('desk-id').value") == "reversal-" + twin);
    press(page, "desk-preview", "preview");
    const json undo = page.evaluate("Array.from(document.querySelectorAll('#desk-changes li'), li => li.textContent)");
    const json fund_twin = get("/v1/fund");
    INFO(undo.dump());
    for (const std::string& line : std::vector<std::string>{
             "donor NOR: pledges NOR-2016 outstanding 50,000.00 EUR → 150,000.00 EUR",
             "the fund: cash on hand " + usd(fund_twin["cash"]) + " → " + usd(fund_after["cash"]),
             "the fund: number of reversals 0 → 1"}) {
      CHECK(std::find(undo.begin(), undo.end(), json(line)) != undo.end());
    }
    save_screenshot(page.screenshot(), "desk-reversal.png");
    press(page, "desk-record", "record");
    CHECK(page.text("desk-receipt-title") == "Recorded as event " + std::to_string(kHead + 5));
    const json fund_reversed = get("/v1/fund");
    CHECK(fund_reversed["cash"] == fund_after["cash"]);
    CHECK(fund_reversed["received"] == fund_after["received"]);
    CHECK(get("/v1/donors/NOR")["reversals"] ==
          json::array({{{"seq", kHead + 5}, {"reverses", kHead + 4}, {"type", "contribution.received"}}}));
    page.show("fund", "fund");
    CHECK(page.text("fund-cash") == usd(fund_after["cash"]));
    CHECK(page.text("donor-NOR-EUR-outstanding") == "150,000.00");
    CHECK(page.text("donor-NOR-received-usd") == usd(get("/v1/donors/NOR")["received_usd"]));
    // Reversed once only: the twin is no longer offered.
    open_form(page, "record/entry.reversed/donor%3DNOR");
    CHECK(page.evaluate("document.getElementById('desk-seq').options.length") == 1);
    // Any entry by its number: one of another type is told so, beside the
    // field; a contribution is taken into the choice.
    const auto choose = [&](const std::string& number, const std::string& hint_starts) {
      page.evaluate("(() => { const e = document.getElementById('desk-seq-other'); e.value = '" + number +
                    "'; e.dispatchEvent(new Event('change', {bubbles: true})); return true; })()");
      page.wait_for("document.getElementById('desk-seq-hint').textContent.startsWith(" + json(hint_starts).dump() + ")");
    };
    choose(std::to_string(kHead + 1), "Event ");
    CHECK(page.text("seq-hint") == "Event " + std::to_string(kHead + 1) +
                                       " is a donor.registered, which cannot be reversed: only contributions, "
                                       "write-offs, payments, refunds and releases can.");
    choose(std::to_string(kHead + 3), "Takes back");
    CHECK(page.evaluate("document.getElementById('desk-seq').value") == std::to_string(kHead + 3));
    CHECK(page.evaluate("document.getElementById('desk-id').value") == "reversal-" + std::to_string(kHead + 3));

    // A call, two proposals to it, the Board's approval of one, and its
    // first payment; the fund page's figures follow the API's.
    int seq = kHead + 5;
    const auto record = [&](const std::string& hash, const std::vector<std::pair<std::string, std::string>>& fields) {
      open_form(page, hash);
      for (const auto& [name, value] : fields) fill(page, name, value);
      press(page, "desk-record", "record");
      INFO(hash << ": " << page.evaluate("document.getElementById('page-record').textContent").dump());
      CHECK(page.text("desk-receipt-title") == "Recorded as event " + std::to_string(++seq));
    };
    record("record/decision.recorded", {{"decision", "BD-2015-9"}, {"kind", "call"}, {"meeting_on", "2015-12-10"},
                                        {"summary", "A call on procurement for 2016"}});
    record("record/decision.recorded", {{"decision", "BD-2016-1"}, {"kind", "approval"}, {"meeting_on", "2016-06-01"},
                                        {"summary", "Proposals of the 2016 call"}});
    // The Board's next member for Chile's seat, and its leaving, chosen
    // from the members who have not left.
    record("record/board.member.appointed", {{"member", "board-2015-PER"}, {"country", "PER"}, {"region", "GRULAC"},
                                             {"seat", "GRULAC-1"}, {"from", "2015-09-01"}, {"to", "2017-08-31"}});
    open_form(page, "record/board.member.left");
    CHECK(page.evaluate("Array.from(document.getElementById('desk-member').options, o => o.value).includes("
                        "'board-2015-PER')") == true);
    record("record/board.member.left", {{"member", "board-2015-PER"}, {"left_on", "2016-12-31"}});
    // A call rests on a decision chosen from the Board's, latest first.
    open_form(page, "record/call.opened");
    CHECK(page.evaluate("document.getElementById('desk-decision').options[0].textContent") ==
          "BD-2016-1 of 2016-06-01: Proposals of the 2016 call");
    record("record/call.opened", {{"call", "C-2016"}, {"programme", "spp"}, {"title", "Procurement 2016"},
                                  {"decision", "BD-2015-9"}, {"budget_usd", "500,000"}, {"opened_on", "2016-01-01"},
                                  {"closes_on", "2016-12-31"}});
    for (const char* id : {"P-2016-1", "P-2016-2"}) {
      record("record/proposal.submitted", {{"call", "C-2016"}, {"proposal", id}, {"applicant", "Ministry of Environment"},
                                           {"country", "KEN"}, {"region", "AFR"}, {"requested_usd", "100000"},
                                           {"submitted_on", "2016-05-01"}});
    }
    // A decision's proposal is chosen from the undecided ones, with what
    // each asks for.
    const auto choices = [&](const std::string& field) {
      return page.evaluate("Array.from(document.getElementById('desk-" + field + "').options, o => o.textContent)");
    };
    const auto offers = [](const json& list, const std::string& text) {
      INFO(list.dump());
      return std::find(list.begin(), list.end(), json(text)) != list.end();
    };
    open_form(page, "record/proposal.approved");
    for (const char* id : {"P-2016-1", "P-2016-2"}) {
      CHECK(offers(choices("proposal"), std::string(id) + ": Ministry of Environment (AFR), requested 100,000.00 USD"));
    }
    record("record/proposal.approved/proposal%3DP-2016-1",
           {{"approved_usd", "80,000.00"}, {"decision", "BD-2016-1"}, {"decided_on", "2016-06-01"}});
    record("record/disbursement.made/proposal%3DP-2016-1",
           {{"disbursement", "P-2016-1-t1"}, {"amount_usd", "40,000"}, {"paid_on", "2016-07-01"}});
    // A payment's proposal, from the approved ones with money not yet
    // paid; the one decided is no longer offered a decision.
    open_form(page, "record/disbursement.made");
    CHECK(offers(choices("proposal"),
                 "P-2016-1: Ministry of Environment, approved 80,000.00 USD, not yet paid 40,000.00 USD"));
    // A payment under dual control is requested from the same choices.
    open_form(page, "record/disbursement.requested");
    CHECK(offers(choices("proposal"),
                 "P-2016-1: Ministry of Environment, approved 80,000.00 USD, not yet paid 40,000.00 USD"));
    open_form(page, "record/proposal.rejected");
    CHECK_FALSE(offers(choices("proposal"), "P-2016-1: Ministry of Environment (AFR), requested 100,000.00 USD"));
    CHECK(offers(choices("proposal"), "P-2016-2: Ministry of Environment (AFR), requested 100,000.00 USD"));
    const json proposal = get("/v1/proposals/P-2016-1");
    CHECK(proposal["approved"] == "80000.00");
    CHECK(proposal["disbursed"] == "40000.00");
    CHECK(get("/v1/proposals/P-2016-2")["status"] == "submitted");
    page.show("proposal/P-2016-1", "proposal");
    const std::string payment = "trail-what-" + std::to_string(seq);
    CHECK(page.text(payment) == "40,000.00 USD paid on 2016-07-01 (P-2016-1-t1) reverse");
    const json fund_paid = get("/v1/fund");
    page.show("fund", "fund");
    CHECK(page.text("fund-approved") == usd(fund_paid["approved"]));
    CHECK(page.text("fund-disbursed") == usd(fund_paid["disbursed"]));
    CHECK(page.text("fund-cash") == usd(fund_paid["cash"]));
    CHECK(page.text("fund-cash") == "2,023,230.00 USD");

    // A spreadsheet of three contributions, checked row by row, then
    // imported whole.
    const std::filesystem::path sheet = dir.path() / "contributions.csv";
    std::ofstream(sheet, std::ios::binary) << "contribution,donor,pledge,amount,currency,usd,received_on\r\n"
                                              "NOR-2016-2,NOR,NOR-2016,30000.00,EUR,33000.00,2016-08-01\r\n"
                                              "NOR-2016-3,NOR,NOR-2016,20000.00,EUR,22000.00,2016-09-01\r\n"
                                              "NOR-2016-4,NOR,NOR-2016,10000.00,EUR,11000.00,2016-10-01\r\n";
    open_form(page, "record/contribution.received");
    const json root = page.call("DOM.getDocument");
    const json node = page.call("DOM.querySelector", {{"nodeId", root["root"]["nodeId"]}, {"selector", "#import-files"}});
    page.call("DOM.setFileInputFiles", {{"nodeId", node["nodeId"]}, {"files", json::array({sheet.string()})}});
    press(page, "import-check", "import-check");
    CHECK(page.text("import-error") == "");
    CHECK(page.text("import-contributions.csv-2") ==
          "would be event " + std::to_string(seq + 1) + ": the fund: cash on hand 2,023,230.00 USD → 2,056,230.00 USD");
    CHECK(page.text("import-contributions.csv-4") ==
          "would be event " + std::to_string(seq + 3) + ": the fund: cash on hand 2,078,230.00 USD → 2,089,230.00 USD");
    CHECK(get("/v1/fund") == fund_paid);
    save_screenshot(page.screenshot(), "desk-import.png");
    press(page, "import-record", "import");
    CHECK(page.text("import-contributions.csv-3") == "recorded as event " + std::to_string(seq + 2));
    seq += 3;
    const json fund_imported = get("/v1/fund");
    page.show("fund", "fund");
    CHECK(page.text("fund-cash") == usd(fund_imported["cash"]));
    CHECK(page.text("fund-cash") == "2,089,230.00 USD");
    CHECK(page.text("donor-NOR-EUR-outstanding") == "90,000.00");

    // A payment beyond the cash: the API's refusal, next to the amount.
    open_form(page, "record/disbursement.made/proposal%3Dspp-MDA-01");
    page.wait_for("document.querySelector('[data-test=\"proposal-hint\"]').textContent !== ''");
    CHECK(page.text("proposal-hint") ==
          "Approved 110,000.00 USD, paid " + usd(get("/v1/proposals/spp-MDA-01")["disbursed"]) +
              ", not yet paid " + usd(get("/v1/proposals/spp-MDA-01")["undisbursed"]) + ".");
    fill(page, "disbursement", "spp-MDA-01-big");
    fill(page, "amount_usd", "9,000,000.00");
    fill(page, "paid_on", "2015-12-31");
    press(page, "desk-record", "record");
    const test::Reply refused = api.send(
        http::verb::post, "/v1/events?dry_run=true", manager,
        R"({"id":"disbursement-spp-MDA-01-big","type":"disbursement.made","data":{"amount_usd":"9000000.00","disbursement":"spp-MDA-01-big","paid_on":"2015-12-31","proposal":"spp-MDA-01"}})");
    REQUIRE(refused.status == 422);
    CHECK(page.text("error-amount_usd") == refused.body["error"]["message"].get<std::string>() + " (insufficient_cash)");
    CHECK(page.evaluate("document.activeElement.name") == "amount_usd");
    CHECK(page.evaluate("document.getElementById('desk-amount_usd').getAttribute('aria-invalid')") == "true");
    // The message is the field's description, for a screen reader.
    CHECK(page.evaluate("document.getElementById('desk-amount_usd').getAttribute('aria-describedby')") ==
          "desk-amount_usd-error");
    save_screenshot(page.screenshot(), "desk-refusal.png");
    CHECK(get("/v1/fund") == fund_imported);

    // A Board member: no desk, and posts refused.
    page.evaluate("document.getElementById('sign-out').click(); true");
    page.evaluate("document.getElementById('token').value = '" + board +
                  "'; document.getElementById('sign-in-form').requestSubmit(); true");
    // Still at the desk's address: the page says it is not theirs.
    page.wait_for("document.body.dataset.ready === 'record'");
    CHECK(page.evaluate("document.getElementById('nav-record').hidden") == true);
    CHECK(page.evaluate("document.getElementById('desk-form').hidden") == true);
    CHECK(page.evaluate("document.getElementById('desk-note').textContent") ==
          "Recording is for the fund's managers; this token reads the fund only.");
    page.show("fund", "fund");
    CHECK(page.evaluate("document.querySelectorAll('#page-fund a.action').length") == 0);
    page.show("proposal/P-2016-1", "proposal");
    CHECK(page.evaluate("document.querySelectorAll('#page-proposal a.action').length") == 0);
    CHECK(page.text(payment) == "40,000.00 USD paid on 2016-07-01 (P-2016-1-t1)");
    CHECK(api.send(http::verb::post, "/v1/events?dry_run=true", board, "{}").status == 403);
    CHECK(api.send(http::verb::post, "/v1/events", board, "{}").status == 403);
    CHECK(page.errors() == "");
  }
  const test::Run verify = test::run_cli("verify --data " + data);
  CHECK(verify.exit_code == 0);
  CHECK(json::parse(verify.out)["tree_size"] == kHead + 17);
}

}  // namespace
}  // namespace fundledger
