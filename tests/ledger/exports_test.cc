// The exports for spreadsheets and IATI: the CSV files parsed back give the
// views' totals, every row and transaction names its event's seq, quoting
// follows RFC 4180, and the IATI files validate against the IATI 2.03
// schemas (xmllint) with transactions that sum to the proposals' figures.

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/exports.h"
#include "domain/iso_codes.h"
#include "domain/money.h"
#include "domain/views.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "ledger/view_as_of.h"
#include "tests/support.h"
#include "tests/temp_dir.h"

namespace fundledger {
namespace {

using nlohmann::json;

// An RFC 4180 reader: a file's rows as maps from the header's names.
std::vector<std::map<std::string, std::string>> parse_csv(const std::string& text) {
  REQUIRE(text.rfind("\xEF\xBB\xBF", 0) == 0);  // the byte-order mark
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 3; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      REQUIRE(field.empty());  // a quote opens a field or is doubled
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\r') {
      REQUIRE(text.at(i + 1) == '\n');  // CRLF
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      ++i;
    } else {
      REQUIRE(c != '\n');  // a bare LF only inside quotes
      field += c;
    }
  }
  REQUIRE_FALSE(quoted);
  REQUIRE(row.empty());  // the last line ends in CRLF
  REQUIRE_FALSE(rows.empty());
  std::vector<std::map<std::string, std::string>> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    REQUIRE(rows[r].size() == rows[0].size());
    std::map<std::string, std::string> m;
    for (std::size_t i = 0; i < rows[0].size(); ++i) m[rows[0][i]] = rows[r][i];
    out.push_back(std::move(m));
  }
  return out;
}

std::int64_t usd(const std::string& text) { return *parse_amount(text, kUsdMinorUnits); }

std::vector<ExportFile> exported(test::Ledger& ledger, std::uint64_t last, ExportFormat format) {
  Exporter exporter(format);
  REQUIRE(for_each_event(*ledger.store->reader(), last, [&](const Event& e) { exporter.add(e); }).to_string() ==
          "ok");
  CHECK(exporter.size() == last);
  return exporter.files();
}

json view(test::Ledger& ledger, ViewKind kind, std::string_view id = "") {
  Result<json> v = view_as_of(ledger.store->reader(), kind, id, std::nullopt);
  REQUIRE(v.status().to_string() == "ok");
  return (*v)["view"];
}

TEST_CASE("the CSV files parsed back give the views' totals, each row with its event's seq", "[exports]") {
  test::Ledger ledger;
  ledger.append(test::generated(3000, 11));
  const std::uint64_t size = ledger.store->head().size;
  const std::vector<ExportFile> files = exported(ledger, size, ExportFormat::kCsv);
  std::map<std::string, std::vector<std::map<std::string, std::string>>> csv;
  REQUIRE(files.size() == csv_kinds().size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    CHECK(files[i].name == csv_kinds()[i].file);
    csv[files[i].name] = parse_csv(files[i].content);
  }

  // Every event is one row (a call's closing fills in its call's row), in
  // the file of its kind, with its seq and id.
  std::map<std::uint64_t, std::string> event_ids;
  REQUIRE(for_each_event(*ledger.store->reader(), size, [&](const Event& e) { event_ids[e.seq] = e.id; })
              .to_string() == "ok");
  std::size_t rows = 0, closed = 0;
  for (const auto& [name, file] : csv) {
    for (const auto& row : file) {
      ++rows;
      CHECK(event_ids.at(std::stoull(row.at("seq"))) == row.at("event_id"));
      if (name == "calls.csv" && !row.at("closed_seq").empty()) ++closed;
    }
  }
  CHECK(rows + closed == size);

  const json fund = view(ledger, ViewKind::kFund);
  std::int64_t received = 0, approved = 0, disbursed = 0;
  for (const auto& c : csv["contributions.csv"]) received += usd(c.at("usd"));
  for (const auto& d : csv["decisions.csv"]) {
    if (d.at("outcome") == "approved") approved += usd(d.at("approved_usd"));
  }
  for (const auto& r : csv["releases.csv"]) approved -= usd(r.at("amount_usd"));
  for (const auto& d : csv["disbursements.csv"]) disbursed += usd(d.at("amount_usd"));
  for (const auto& r : csv["refunds.csv"]) {
    approved -= usd(r.at("amount_usd"));
    disbursed -= usd(r.at("amount_usd"));
  }
  // A reversal takes back what it reverses: the figures are net of it.
  std::map<std::string, std::uint64_t> reversed;  // by the type reversed
  for (const auto& r : csv["reversals.csv"]) {
    const std::string& type = r.at("reverses");
    ++reversed[type];
    if (type == "contribution.received") received -= usd(r.at("usd"));
    if (type == "disbursement.made") disbursed -= usd(r.at("amount_usd"));
    if (type == "refund.received") disbursed += usd(r.at("amount_usd"));
    if (type == "refund.received" || type == "allocation.released") approved += usd(r.at("amount_usd"));
  }
  CHECK(csv["reversals.csv"].size() == fund["counts"]["reversals"]);
  CHECK(reversed.size() >= 3);  // reversals of several types
  CHECK(received > 0);
  CHECK(format_amount(received, 2) == fund["received"]);
  CHECK(format_amount(approved, 2) == fund["approved"]);
  CHECK(format_amount(disbursed, 2) == fund["disbursed"]);
  CHECK(csv["donors.csv"].size() == fund["counts"]["donors"]);
  CHECK(csv["pledges.csv"].size() == fund["counts"]["pledges"]);
  CHECK(csv["write_offs.csv"].size() - reversed["pledge.written_off"] == fund["counts"]["write_offs"]);
  CHECK(csv["calls.csv"].size() == fund["counts"]["calls"]);
  CHECK(csv["proposals.csv"].size() == fund["counts"]["proposals"]);
  CHECK(csv["contributions.csv"].size() - reversed["contribution.received"] == fund["counts"]["contributions"]);
  CHECK(csv["disbursements.csv"].size() - reversed["disbursement.made"] == fund["counts"]["disbursements"]);
  CHECK(csv["refunds.csv"].size() - reversed["refund.received"] == fund["counts"]["refunds"]);
  CHECK(csv["releases.csv"].size() - reversed["allocation.released"] == fund["counts"]["releases"]);
  CHECK(csv["refunds.csv"].size() > 0);
  CHECK(csv["releases.csv"].size() > 0);
  CHECK(csv["write_offs.csv"].size() > 0);

  // Pledged and written off, by currency, against the fund's view.
  std::map<std::string, std::int64_t> pledged;
  std::map<std::string, std::string> currency_of;
  for (const auto& p : csv["pledges.csv"]) {
    const int units = *currency_minor_units(p.at("currency"));
    pledged[p.at("currency")] += *parse_amount(p.at("amount"), units);
    currency_of[p.at("pledge")] = p.at("currency");
  }
  for (const auto& w : csv["write_offs.csv"]) CHECK(w.at("currency") == currency_of.at(w.at("pledge")));
  for (const json& c : fund["pledges_by_currency"]) {
    const int units = *currency_minor_units(c["currency"].get<std::string>());
    CHECK(format_amount(pledged[c["currency"]], units) == c["pledged"]);
  }

  // Approved and disbursed by region, the proposals' regions joined in.
  std::map<std::string, std::string> region_of;
  for (const auto& p : csv["proposals.csv"]) region_of[p.at("proposal")] = p.at("region");
  std::map<std::string, std::int64_t> region_approved, region_disbursed;
  for (const auto& d : csv["decisions.csv"]) {
    if (d.at("outcome") == "approved") region_approved[region_of.at(d.at("proposal"))] += usd(d.at("approved_usd"));
  }
  for (const auto& r : csv["releases.csv"]) region_approved[region_of.at(r.at("proposal"))] -= usd(r.at("amount_usd"));
  for (const auto& d : csv["disbursements.csv"]) {
    region_disbursed[region_of.at(d.at("proposal"))] += usd(d.at("amount_usd"));
  }
  for (const auto& r : csv["refunds.csv"]) {
    region_approved[region_of.at(r.at("proposal"))] -= usd(r.at("amount_usd"));
    region_disbursed[region_of.at(r.at("proposal"))] -= usd(r.at("amount_usd"));
  }
  for (const auto& r : csv["reversals.csv"]) {
    const std::string& type = r.at("reverses");
    if (r.at("proposal").empty()) continue;
    const std::string& region = region_of.at(r.at("proposal"));
    const std::int64_t a = usd(r.at("amount_usd"));
    if (type == "disbursement.made") region_disbursed[region] -= a;
    if (type == "refund.received") region_disbursed[region] += a;
    if (type == "refund.received" || type == "allocation.released") region_approved[region] += a;
  }
  const json regions = view(ledger, ViewKind::kRegions);
  for (const json& r : regions["regions"]) {
    CHECK(format_amount(region_approved[r["region"]], 2) == r["approved"]);
    CHECK(format_amount(region_disbursed[r["region"]], 2) == r["disbursed"]);
  }

  // Received in USD by donor.
  std::map<std::string, std::int64_t> by_donor;
  for (const auto& c : csv["contributions.csv"]) by_donor[c.at("donor")] += usd(c.at("usd"));
  for (const auto& r : csv["reversals.csv"]) {
    if (r.at("reverses") == "contribution.received") by_donor[r.at("donor")] -= usd(r.at("usd"));
  }
  const json donors = view(ledger, ViewKind::kDonors);
  for (const json& d : donors["donors"]) {
    CHECK(format_amount(by_donor[d["donor"]], 2) == d["received_usd"]);
  }
}

TEST_CASE("CSV fields are quoted as RFC 4180 asks, and a would-be formula is defused", "[exports]") {
  test::Ledger ledger;
  ledger.append(
      R"({"id":"d1","type":"donor.registered","data":{"donor":"D1","name":"Smith, \"Jones\" & Co","kind":"private"}})"
      "\n"
      R"j({"id":"d2","type":"donor.registered","data":{"donor":"D2","name":"=HYPERLINK(\"x\")","kind":"other"}})j"
      "\n"
      R"({"id":"d3","type":"donor.registered","data":{"donor":"D3","name":"Côte d’Ivoire","kind":"government","country":"CIV"}})"
      "\n");
  const std::vector<ExportFile> files = exported(ledger, 3, ExportFormat::kCsv);
  const std::string& donors = files[0].content;
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < donors.size();) {
    const std::size_t end = donors.find("\r\n", start);
    lines.push_back(donors.substr(start, end - start));
    start = end + 2;
  }
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "\xEF\xBB\xBFseq,donor,name,kind,country,recorded_at,actor,event_id");
  CHECK(lines[1].rfind(R"(1,D1,"Smith, ""Jones"" & Co",private,,)", 0) == 0);
  CHECK(lines[2].rfind(R"j(2,D2,"'=HYPERLINK(""x"")",other,,)j", 0) == 0);
  CHECK(lines[3].rfind("3,D3,Côte d’Ivoire,government,CIV,", 0) == 0);
  CHECK(lines[3].substr(lines[3].size() - 3) == ",d3");
  // The other files hold their header row alone.
  for (std::size_t i = 1; i < files.size(); ++i) CHECK(parse_csv(files[i].content).empty());
}

std::string xmllint(const std::filesystem::path& file, const std::string& schema) {
  INFO("the IATI 2.03 schemas are read from ../shared/iati-2.03, beside the repository");
  REQUIRE(std::filesystem::exists(std::filesystem::path(FUNDLEDGER_IATI_SCHEMAS) / schema));
  const std::string out = file.string() + ".lint";
  const std::string command = "xmllint --noout --schema " + std::string(FUNDLEDGER_IATI_SCHEMAS) + "/" + schema +
                              " " + file.string() + " >" + out + " 2>&1";
  const int rc = std::system(command.c_str());
  std::ifstream in(out);
  const std::string said((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return rc == 0 ? "" : said;
}

TEST_CASE("the IATI files validate against the 2.03 schemas and sum to the proposals' figures", "[exports]") {
  test::Ledger ledger;
  ledger.append(test::generated(3000, 11));
  const std::uint64_t size = ledger.store->head().size;
  const std::vector<ExportFile> files = exported(ledger, size, ExportFormat::kIati);
  REQUIRE(files.size() == 2);
  CHECK(files[0].name == "iati-activities.xml");
  CHECK(files[1].name == "iati-organisation.xml");
  test::TempDir dir;
  for (const ExportFile& f : files) {
    std::ofstream(dir.path() / f.name) << f.content;
  }
  CHECK(xmllint(dir.path() / "iati-activities.xml", "iati-activities-schema.xsd") == "");
  CHECK(xmllint(dir.path() / "iati-organisation.xml", "iati-organisations-schema.xsd") == "");

  // The same events give the same bytes.
  CHECK(exported(ledger, size, ExportFormat::kIati)[0].content == files[0].content);

  // Each activity's transactions, summed by type, against its proposal's
  // view; every transaction's ref names its seq.
  const std::string& xml = files[0].content;
  const std::regex activity_re(R"(<iati-identifier>XM-DAC-41116-10YFP-TF-([^<]+)</iati-identifier>)");
  const std::regex transaction_re(
      R"re(<transaction ref="seq-(\d+)">\s*<transaction-type code="(\d+)"/>\s*<transaction-date iso-date="[^"]+"/>\s*<value currency="USD" value-date="[^"]+">(-?)([0-9.]+)</value>)re");
  std::size_t activities = 0;
  for (auto a = std::sregex_iterator(xml.begin(), xml.end(), activity_re); a != std::sregex_iterator(); ++a) {
    ++activities;
    const std::string id = (*a)[1];
    const std::size_t begin = static_cast<std::size_t>(a->position());
    const std::size_t end = xml.find("</iati-activity>", begin);
    const std::string body = xml.substr(begin, end - begin);
    std::int64_t committed = 0, paid = 0;
    for (auto t = std::sregex_iterator(body.begin(), body.end(), transaction_re); t != std::sregex_iterator(); ++t) {
      CHECK(std::stoull((*t)[1]) <= size);
      const std::int64_t amount = ((*t)[3] == "-" ? -1 : 1) * usd((*t)[4]);
      if ((*t)[2] == "2") committed += amount;
      if ((*t)[2] == "3") paid += amount;
    }
    const json p = view(ledger, ViewKind::kProposal, id);
    CHECK(p["status"] == "approved");
    CHECK(format_amount(committed, 2) == p["approved"]);
    CHECK(format_amount(paid, 2) == p["disbursed"]);
  }
  std::size_t approved = 0;
  const json calls = view(ledger, ViewKind::kCalls);
  for (const json& c : calls["calls"]) approved += c["proposals"]["approved"].get<std::size_t>();
  CHECK(activities == approved);
  CHECK(activities > 0);

  // The fund's activity: incoming funds sum to what the fund received and
  // its other income, expenditure to its costs (fees among them).
  const std::size_t fund_end = xml.find("</iati-activity>");
  const std::string fund = xml.substr(0, fund_end);
  const auto sum = [&](int code, std::size_t& negative) {
    // A reversed contribution (or its fee) is a negative one.
    const std::regex re("<transaction-type code=\"" + std::to_string(code) +
                        R"re("/>\s*<transaction-date iso-date="[^"]+"/>\s*<value currency="USD" value-date="[^"]+">(-?)([0-9.]+)</value>)re");
    std::int64_t total = 0;
    for (auto t = std::sregex_iterator(fund.begin(), fund.end(), re); t != std::sregex_iterator(); ++t) {
      negative += (*t)[1] == "-";
      total += ((*t)[1] == "-" ? -1 : 1) * usd((*t)[2]);
    }
    return total;
  };
  std::size_t negative = 0;
  const json totals = view(ledger, ViewKind::kFund);
  const auto cents = [](const json& amount) {
    std::string digits = amount.get<std::string>();
    digits.erase(digits.find('.'), 1);
    return std::stoll(digits);
  };
  CHECK(sum(1, negative) == cents(totals["received"]) + cents(totals["income"]["total"]));
  CHECK(negative > 0);
  CHECK(sum(4, negative) == cents(totals["costs"]["total"]));
}

}  // namespace
}  // namespace fundledger
