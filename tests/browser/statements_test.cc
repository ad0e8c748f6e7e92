// The Statements page in Debian's Chromium over the demo ledger: a Board
// member opens the 2014-2015 biennium and the year 2014, sees the API's
// figures with the view's signature checked in the page, and prints the
// statement: on paper the controls go, the signature, tree size and
// verifier key stay, the page fits A4's width, and Chromium's PDF is A4
// with the signature, tree size and key in its text (pdftotext).

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#include "audit/note.h"
#include "tests/browser/browser.h"
#include "tests/client.h"
#include "tests/serve_process.h"
#include "tests/support.h"
#include "tests/temp_dir.h"

namespace fundledger {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;
using test::Browser;
using test::grouped;
using test::kChromium;
using test::Page;
using test::save_screenshot;
using test::usd;

constexpr const char* kPdfToText = "/usr/bin/pdftotext";

// The text of a PDF file, as poppler's pdftotext reads it.
std::string pdf_text(const std::filesystem::path& pdf) {
  INFO("the print test needs " << kPdfToText << " (poppler-utils; tools/install-deps --test installs it)");
  REQUIRE(std::filesystem::exists(kPdfToText));
  const std::filesystem::path out = pdf.string() + ".txt";
  const std::string command = std::string(kPdfToText) + " -enc UTF-8 " + pdf.string() + " " + out.string();
  REQUIRE(std::system(command.c_str()) == 0);
  std::ifstream in(out);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string without_spaces(std::string s) {
  std::erase_if(s, [](unsigned char c) { return std::isspace(c) != 0; });
  return s;
}

void check_figures(Page& page, const json& s) {
  CHECK(page.text("st-opening") == usd(s["opening_cash"]));
  CHECK(page.text("st-sources") == usd(s["sources"]["total"]));
  CHECK(page.text("st-disbursed") == usd(s["uses"]["disbursed"]));
  CHECK(page.text("st-refunded") == usd(s["uses"]["refunded"]));
  CHECK(page.text("st-closing") == usd(s["closing_cash"]));
  CHECK(page.text("st-undisbursed") == usd(s["commitments"]["undisbursed_at_end"]));
  CHECK(page.text("st-unallocated") == usd(s["unallocated_at_end"]));
  for (const auto& [donor, d] : s["sources"]["by_donor"].items()) CHECK(page.text("st-donor-" + donor) == usd(d["usd"]));
  for (const auto& [region, a] : s["uses"]["by_region"].items()) CHECK(page.text("st-region-" + region) == usd(a));
}

TEST_CASE("the Statements page shows the API's statement, signed, and prints on A4", "[browser][slow]") {
  INFO("the browser test needs " << kChromium << " (Debian's chromium; tools/install-deps --test installs it)");
  REQUIRE(std::filesystem::exists(kChromium));
  test::TempDir dir;
  const std::string data = dir.str() + "/ledger";
  REQUIRE(test::run_cli("demo --data " + data).exit_code == 0);
  const test::Run added = test::run_cli("token add --name bea --role board --data " + data);
  REQUIRE(added.exit_code == 0);
  const std::string board = json::parse(added.out)["token"];
  test::ServeProcess serve(dir, data);
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
  test::sign_in(page, "https://127.0.0.1:" + std::to_string(serve.port()), board);

  // The biennium of the first call, 2014-2015, is what the page opens on.
  page.show("statements", "statements");
  CHECK(page.errors() == "");
  CHECK(page.evaluate("document.getElementById('st-biennium').value") == "2014-2015");
  const json biennium = get("/v1/statements?period=2014-2015");
  check_figures(page, biennium["view"]);
  CHECK(page.text("st-sources") == "2,571,050.00 USD");
  CHECK(page.text("view-signature") == "Views signed by the log key: verified.");
  CHECK(page.text("st-signature") == biennium["signature"].get<std::string>());
  CHECK(page.text("st-tree-size") == grouped(std::to_string(biennium["as_of"]["tree_size"].get<int>())) + " events");
  CHECK(page.text("st-key") == get("/v1/audit/key")["verifier_key"].get<std::string>());
  CHECK(page.text("st-dates") == "Business dates 2014-01-01 to 2015-12-31, both included, as recorded up to event " +
                                     std::to_string(biennium["as_of"]["tree_size"].get<int>()) + ".");
  CHECK(page.evaluate("document.querySelectorAll('#st-cash-chart rect').length") == 24);
  save_screenshot(page.screenshot(), "statements.png");

  // One year.
  page.evaluate("document.body.dataset.ready = ''; const k = document.getElementById('st-kind'); k.value = 'year';"
                " k.dispatchEvent(new Event('change')); true");
  page.wait_for("document.body.dataset.ready === 'statements'");
  const json year = get("/v1/statements?period=2014");
  CHECK(page.evaluate("document.getElementById('st-title').textContent") ==
        "Statement of sources and uses, 2014");
  check_figures(page, year["view"]);

  // On paper: A4 is 210 mm wide; less 15 mm margins each side, 180 mm,
  // which is 680 CSS pixels.
  page.call("Emulation.setEmulatedMedia", {{"media", "print"}});
  page.call("Emulation.setDeviceMetricsOverride",
            {{"width", 680}, {"height", 1000}, {"deviceScaleFactor", 1}, {"mobile", false}});
  CHECK(page.evaluate("getComputedStyle(document.querySelector('header')).display") == "none");
  CHECK(page.evaluate("getComputedStyle(document.getElementById('statement-form')).display") == "none");
  CHECK(page.evaluate("document.querySelector('[data-test=st-signature]').getBoundingClientRect().width > 0") == true);
  CHECK(page.evaluate("document.documentElement.scrollWidth <= 680") == true);
  save_screenshot(page.screenshot(), "statements-print.png");
  page.call("Emulation.clearDeviceMetricsOverride");
  const json pdf = page.call("Page.printToPDF", {{"preferCSSPageSize", true}, {"printBackground", true}});
  const std::string bytes = *base64_decode(pdf["data"].get<std::string>());
  REQUIRE(bytes.rfind("%PDF-", 0) == 0);
  // Every page is A4: 595 by 842 points.
  const std::regex media(R"(/MediaBox \[0 0 (\d+)(\.\d+)? (\d+)(\.\d+)?\])");
  int pages = 0;
  for (auto it = std::sregex_iterator(bytes.begin(), bytes.end(), media); it != std::sregex_iterator(); ++it, ++pages) {
    CHECK(std::abs(std::stoi((*it)[1]) - 595) <= 1);
    CHECK(std::abs(std::stoi((*it)[3]) - 842) <= 1);
  }
  CHECK(pages >= 1);
  // What the paper says: the signature, the tree size and the key, in the
  // text of the PDF as pdftotext reads it (line breaks aside: a long
  // signature wraps).
  const std::filesystem::path printed = dir.path() / "statement-2014.pdf";
  std::ofstream(printed, std::ios::binary) << bytes;
  const std::string text = without_spaces(pdf_text(printed));
  CHECK(text.find("Statementofsourcesanduses,2014") != std::string::npos);
  CHECK(text.find(without_spaces(year["signature"].get<std::string>())) != std::string::npos);
  CHECK(text.find(without_spaces(get("/v1/audit/key")["verifier_key"].get<std::string>())) != std::string::npos);
  CHECK(text.find(without_spaces(grouped(std::to_string(year["as_of"]["tree_size"].get<int>())) + " events")) !=
        std::string::npos);
  CHECK(text.find(without_spaces(usd(year["view"]["closing_cash"]))) != std::string::npos);
  page.call("Emulation.setEmulatedMedia", {{"media", ""}});
}

TEST_CASE("the public reads the open views without signing in, and a donor sees its own pledges", "[browser][slow]") {
  INFO("the browser test needs " << kChromium << " (Debian's chromium; tools/install-deps --test installs it)");
  REQUIRE(std::filesystem::exists(kChromium));
  test::TempDir dir;
  const std::string data = dir.str() + "/ledger";
  REQUIRE(test::run_cli("demo --data " + data).exit_code == 0);
  const test::Run added = test::run_cli("token add --name japan --role donor --donor JPN --data " + data);
  REQUIRE(added.exit_code == 0);
  const std::string japan = json::parse(added.out)["token"];
  std::ofstream(data + "/public") << "fund,regions,programmes,calls,statements\n";
  test::ServeProcess serve(dir, data);
  CHECK(serve.listening()["public"] == json{"fund", "regions", "programmes", "calls", "statements"});
  test::Client api(serve.port());
  auto get = [&](const std::string& target, const std::string& token) {
    const test::Reply r = api.send(http::verb::get, target, token);
    INFO(target);
    REQUIRE(r.status == 200);
    return r.body;
  };

  Browser browser(dir.path() / "chromium");
  Page page(browser.port());
  page.call("Page.enable");
  page.call("Runtime.enable");
  page.call("Page.navigate", {{"url", "https://127.0.0.1:" + std::to_string(serve.port()) + "/"}});
  // No sign-in: the fund at a glance, without the donors' table.
  page.wait_for("document.readyState === 'complete' && document.body.dataset.ready === 'fund'");
  CHECK(page.evaluate("document.getElementById('sign-in').hidden") == true);
  CHECK(page.text("fund-received") == usd(get("/v1/fund", "")["view"]["received"]));
  CHECK(page.evaluate("document.getElementById('fund-donors').hidden") == true);
  CHECK(page.evaluate("document.querySelector('#nav a[data-page=proposal]').hidden") == true);
  CHECK(page.text("view-signature") == "Views signed by the log key: verified.");
  page.show("statements", "statements");
  check_figures(page, get("/v1/statements?period=2014-2015", "")["view"]);
  save_screenshot(page.screenshot(), "public-statements.png");

  // Japan's finance officer signs in: its own pledges, nobody else's.
  page.evaluate("document.getElementById('sign-out').click(); true");
  page.wait_for("!document.getElementById('sign-in').hidden");
  page.evaluate("document.body.dataset.ready = ''; document.getElementById('token').value = '" + japan +
                "'; document.getElementById('sign-in-form').requestSubmit(); location.hash = 'fund'; true");
  page.wait_for("document.body.dataset.ready === 'fund' && document.getElementById('signed-in-as').textContent "
                "!== 'public views'");
  CHECK(page.text("signed-in-as") == "japan (donor JPN)");
  const json own = get("/v1/donors/JPN", japan)["view"];
  CHECK(page.text("donor-JPN-USD-pledged") == grouped(own["currencies"][0]["pledged"]));
  CHECK(page.text("donor-JPN-received-usd") == usd(own["received_usd"]));
  CHECK(page.evaluate("document.querySelectorAll('#donor-table tbody tr').length") == own["currencies"].size());
  CHECK(page.errors() == "");
  save_screenshot(page.screenshot(), "donor.png");
}

}  // namespace
}  // namespace fundledger
