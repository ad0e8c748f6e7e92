// A dry run (Writer::dry_run) answers what the append would, refusal for
// refusal and figure for figure, and leaves the log, the head and every
// view as they were.

#include <map>
#include <set>
#include <tuple>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/effects.h"
#include "domain/generator.h"
#include "domain/views.h"
#include "tests/support.h"

namespace fundledger {
namespace {

using nlohmann::json;

// A figure change as a comparable row.
using Row = std::tuple<std::string, std::string, std::string, std::string, std::string>;

// The figures of the views a dry run reports on: the fund, the regions, the
// programmes, and every donor, call (without its list of proposals, whose
// figures are theirs) and named proposal.
std::map<std::pair<std::string, std::string>, std::map<std::string, json>> figures(
    const FundState& s, const std::vector<std::string>& proposals) {
  std::map<std::pair<std::string, std::string>, std::map<std::string, json>> out;
  const auto add = [&](ViewKind kind, const std::string& id) {
    Result<json> v = render_view(s, kind, id, ViewDetail::kFigures);
    REQUIRE(v.status().to_string() == "ok");
    out[{std::string(view_name(kind)), id}] = flatten_view(*v);
  };
  add(ViewKind::kFund, "");
  add(ViewKind::kRegions, "");
  add(ViewKind::kProgrammes, "");
  add(ViewKind::kBoard, "");
  for (const Donor* d : s.donors()) add(ViewKind::kDonor, d->id);
  for (const Call* c : s.calls()) add(ViewKind::kCall, c->id);
  for (const Decision* x : s.decisions()) add(ViewKind::kDecision, x->id);
  for (const std::string& p : proposals) {
    if (s.proposal(p) != nullptr) add(ViewKind::kProposal, p);
  }
  return out;
}

// What differs between two sets of figures, as rows.
std::set<Row> difference(const decltype(figures(FundState(), {}))& before,
                         const decltype(figures(FundState(), {}))& after) {
  std::set<Row> rows;
  const auto compare = [&](const auto& key, const std::map<std::string, json>* b,
                           const std::map<std::string, json>* a) {
    std::set<std::string> paths;
    if (b) for (const auto& [path, value] : *b) paths.insert(path);
    if (a) for (const auto& [path, value] : *a) paths.insert(path);
    for (const std::string& path : paths) {
      const json was = b && b->contains(path) ? b->at(path) : json();
      const json is = a && a->contains(path) ? a->at(path) : json();
      if (was != is) rows.insert({key.first, key.second, path, was.dump(), is.dump()});
    }
  };
  for (const auto& [key, b] : before) {
    const auto a = after.find(key);
    compare(key, &b, a == after.end() ? nullptr : &a->second);
  }
  for (const auto& [key, a] : after) {
    if (!before.contains(key)) compare(key, nullptr, &a);
  }
  return rows;
}

std::set<Row> rows_of(const std::vector<FigureChange>& changes) {
  std::set<Row> rows;
  for (const FigureChange& c : changes) rows.insert({c.view, c.id, c.figure, c.before.dump(), c.after.dump()});
  return rows;
}

struct Seen {
  std::string views;
  Head head;
  std::uint64_t writes;
};

Seen seen(test::Ledger& ledger, const std::vector<std::string>& proposals) {
  Seen out;
  REQUIRE(ledger.writer
              ->read_state([&](const FundState& s, const Head& head) {
                out.views = test::all_views(s, proposals);
                out.head = head;
              })
              .to_string() == "ok");
  out.writes = ledger.store->writes();
  return out;
}

std::string proposal_of(const std::string& line) {
  const json e = json::parse(line);
  return e["type"] == "proposal.submitted" ? e["data"]["proposal"].get<std::string>() : "";
}

TEST_CASE("a dry run answers as the append does, refusal for refusal and figure for figure", "[writer][property]") {
  std::map<std::string, int> refusals;
  int previews = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    INFO("seed " << seed);
    test::Ledger ledger;
    Generator gen({.seed = seed});
    test::Dice dice(seed + 200);
    std::vector<std::string> proposals;
    for (int i = 0; i < 300; ++i) {
      const std::string original = gen.next();
      if (std::string p = proposal_of(original); !p.empty()) proposals.push_back(p);
      std::vector<std::string> tries;
      if (dice.one_in(3)) tries.push_back(test::mutate(original, dice));
      tries.push_back(original);
      // Now and then the same event again: a repeat changes nothing.
      if (dice.one_in(20)) tries.push_back(original);
      for (const std::string& line : tries) {
        INFO(line);
        const Seen before = seen(ledger, proposals);
        decltype(figures(FundState(), {})) figures_before;
        REQUIRE(ledger.writer->read_state([&](const FundState& s, const Head&) {
          figures_before = figures(s, proposals);
        }).to_string() == "ok");

        DryRunResult dry = ledger.writer->dry_run(test::drafts(line), "manager:alice");
        const Seen between = seen(ledger, proposals);
        CHECK(between.views == before.views);
        CHECK(between.head == before.head);
        CHECK(between.writes == before.writes);

        AppendResult real = ledger.writer->append(test::drafts(line), "manager:alice");
        REQUIRE(dry.status.to_string() == real.status.to_string());
        CHECK(dry.status.field() == real.status.field());
        CHECK(dry.failed_at == real.failed_at);
        if (!real.status) {
          ++refusals[std::string(code_name(real.status.code()))];
          continue;
        }
        REQUIRE(dry.events.size() == 1);
        REQUIRE(real.receipts.size() == 1);
        CHECK(dry.events[0].receipt.seq == real.receipts[0].seq);
        CHECK(dry.events[0].receipt.id == real.receipts[0].id);
        CHECK(dry.events[0].receipt.repeat == real.receipts[0].repeat);
        decltype(figures(FundState(), {})) figures_after;
        REQUIRE(ledger.writer->read_state([&](const FundState& s, const Head&) {
          figures_after = figures(s, proposals);
        }).to_string() == "ok");
        CHECK(rows_of(dry.events[0].changes) == difference(figures_before, figures_after));
        if (!real.receipts[0].repeat) ++previews;
      }
    }
  }
  // Both sides were exercised, with refusals of several kinds.
  CHECK(previews > 6 * 300 * 9 / 10);
  for (const char* code : {"duplicate", "unknown_pledge", "unknown_proposal", "exceeds_outstanding"}) {
    INFO(code);
    CHECK(refusals[code] > 0);
  }
}

TEST_CASE("a dry run of many events sees each against the ones before it, and writes none", "[writer]") {
  test::Ledger ledger;
  ledger.append(test::generated(400, 7));
  const Seen before = seen(ledger, {});
  // A donor, its pledge and a contribution against it: the later events
  // need the earlier ones.
  const std::string request =
      R"({"id":"dr-donor","type":"donor.registered","data":{"donor":"DRY","name":"Dry Run","kind":"government","country":"NOR"}}
{"id":"dr-pledge","type":"pledge.recorded","data":{"pledge":"dr-p","donor":"DRY","currency":"EUR","amount":"1000.00","pledged_on":"2014-02-01"}}
{"id":"dr-contribution","type":"contribution.received","data":{"contribution":"dr-c","donor":"DRY","pledge":"dr-p","currency":"EUR","amount":"400.00","usd":"440.00","received_on":"2014-03-01"}})";
  DryRunResult dry = ledger.writer->dry_run(test::drafts(request), "manager:alice");
  REQUIRE(dry.status.to_string() == "ok");
  REQUIRE(dry.events.size() == 3);
  CHECK(dry.events[0].receipt.seq == 401);
  CHECK(dry.events[2].receipt.seq == 403);
  // The contribution's effect on its donor, in words a test can read.
  std::map<std::string, std::pair<std::string, std::string>> donor;
  for (const FigureChange& c : dry.events[2].changes) {
    if (c.view == "donor") {
      CHECK(c.id == "DRY");
      donor[c.figure] = {c.before.dump(), c.after.dump()};
    }
  }
  CHECK(donor["received_usd"] == std::pair<std::string, std::string>("\"0.00\"", "\"440.00\""));
  CHECK(donor["pledges[dr-p].outstanding"] == std::pair<std::string, std::string>("\"1000.00\"", "\"600.00\""));
  CHECK(donor["currencies[EUR].received"] == std::pair<std::string, std::string>("\"0.00\"", "\"400.00\""));
  CHECK(donor["contributions"] == std::pair<std::string, std::string>("0", "1"));
  const Seen after = seen(ledger, {});
  CHECK(after.views == before.views);
  CHECK(after.head == before.head);
  CHECK(after.writes == before.writes);
  CHECK(ledger.writer->events_written() == 400);

  // Refused at its third event: the same index and code as the append.
  const std::string too_much = request.substr(0, request.rfind("400.00")) + "4000.00" +
                               request.substr(request.rfind("400.00") + 6);
  DryRunResult refused = ledger.writer->dry_run(test::drafts(too_much), "manager:alice");
  CHECK(refused.status.code() == Code::kExceedsOutstanding);
  CHECK(refused.failed_at == std::optional<std::size_t>(2));
  CHECK(seen(ledger, {}).views == before.views);
  // And the real post of the first request lands as previewed.
  AppendResult real = ledger.writer->append(test::drafts(request), "manager:alice");
  REQUIRE(real.status.to_string() == "ok");
  CHECK(real.receipts[2].seq == 403);
}

}  // namespace
}  // namespace fundledger
