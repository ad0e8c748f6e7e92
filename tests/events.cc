#include "tests/events.h"

#include <sstream>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/generator.h"
#include "domain/views.h"

namespace fundledger::test {

using nlohmann::json;

std::vector<Draft> drafts(std::string_view jsonl) {
  std::vector<Draft> out;
  std::istringstream in{std::string(jsonl)};
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    Result<Draft> d = decode_draft(line);
    INFO(line);
    REQUIRE(d.status().to_string() == "ok");
    out.push_back(std::move(*d));
  }
  return out;
}

std::string generated(std::size_t count, std::uint64_t seed) {
  Generator gen(GeneratorOptions{seed, "2014-01-01"});
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    out += gen.next();
    out += '\n';
  }
  return out;
}

namespace {

// An amount ten times as large: "12.50" -> "125.00", "700" -> "7000".
std::string tenfold(const std::string& amount) {
  const std::size_t dot = amount.find('.');
  if (dot == std::string::npos) return amount + "0";
  std::string s = amount.substr(0, dot) + amount.substr(dot + 1, 1) + "." + amount.substr(dot + 2) + "0";
  while (s.size() > 1 && s[0] == '0' && s[1] != '.') s.erase(0, 1);
  return s;
}

}  // namespace

std::string mutate(const std::string& line, Dice& dice) {
  json e = json::parse(line);
  e["id"] = e["id"].get<std::string>() + "-m";
  json& d = e["data"];
  switch (dice.next() % 3) {
    case 0:
      for (const char* field : {"amount", "usd", "amount_usd", "approved_usd", "requested_usd", "budget_usd"}) {
        if (d.contains(field)) d[field] = tenfold(d[field].get<std::string>());
      }
      break;
    case 1: {
      // One of the records it names, chosen by the dice: never the one it
      // creates.
      std::vector<std::string> named;
      for (const char* field : {"donor", "pledge", "call", "proposal", "programme", "decision", "member"}) {
        if (d.contains(field) && !(e["type"] == "donor.registered" && std::string(field) == "donor") &&
            !(e["type"] == "programme.registered" && std::string(field) == "programme") &&
            !(e["type"] == "pledge.recorded" && std::string(field) == "pledge") &&
            !(e["type"] == "call.opened" && std::string(field) == "call") &&
            !(e["type"] == "decision.recorded" && std::string(field) == "decision") &&
            !(e["type"] == "board.member.appointed" && std::string(field) == "member") &&
            !(e["type"] == "proposal.submitted" && std::string(field) == "proposal")) {
          named.push_back(field);
        }
      }
      if (!named.empty()) {
        const std::string& field = named[dice.next() % named.size()];
        d[field] = "no-such-" + field;
      }
      break;
    }
    default:
      break;  // the same record under another event id
  }
  return e.dump();
}

std::string all_views(const FundState& s, const std::vector<std::string>& proposals) {
  std::string out;
  auto add = [&](ViewKind kind, std::string_view id) {
    Result<json> v = render_view(s, kind, id);
    REQUIRE(v.status().to_string() == "ok");
    out += v->dump();
    out += '\n';
  };
  add(ViewKind::kFund, "");
  add(ViewKind::kDonors, "");
  add(ViewKind::kCalls, "");
  add(ViewKind::kProgrammes, "");
  add(ViewKind::kRegions, "");
  add(ViewKind::kDecisions, "");
  add(ViewKind::kBoard, "");
  for (const Donor* d : s.donors()) add(ViewKind::kDonor, d->id);
  for (const Call* c : s.calls()) add(ViewKind::kCall, c->id);
  for (const Decision* x : s.decisions()) add(ViewKind::kDecision, x->id);
  for (const std::string& p : proposals) {
    if (s.proposal(p) != nullptr) add(ViewKind::kProposal, p);
  }
  return out;
}

}  // namespace fundledger::test
