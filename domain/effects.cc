#include "domain/effects.h"

#include <utility>

namespace fundledger {
namespace {

using json = nlohmann::json;

// The name of a list element, so that a figure keeps its path when
// elements come and go: its own id, or its programme, region and currency.
std::string element_key(const json& element, std::size_t index) {
  if (!element.is_object()) return std::to_string(index);
  for (const char* id : {"disbursement", "pledge", "proposal", "call", "donor", "seq"}) {
    const auto it = element.find(id);
    if (it == element.end()) continue;
    return it->is_string() ? it->get<std::string>() : it->dump();
  }
  std::string key;
  for (const char* part : {"programme", "region", "currency"}) {
    const auto it = element.find(part);
    if (it == element.end() || !it->is_string()) continue;
    if (!key.empty()) key += ',';
    key += it->get<std::string>();
  }
  return key.empty() ? std::to_string(index) : key;
}

void flatten_into(const json& value, const std::string& path, std::map<std::string, json>& out) {
  if (value.is_object()) {
    for (const auto& [name, member] : value.items()) {
      flatten_into(member, path.empty() ? name : path + "." + name, out);
    }
    return;
  }
  // An empty list has no figures, so that its first element shows as new
  // rather than as the list changing.
  if (value.is_array() && value.empty()) return;
  if (!value.is_array() || !value.front().is_object()) {
    out[path] = value;
    return;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    flatten_into(value[i], path + "[" + element_key(value[i], i) + "]", out);
  }
}

}  // namespace

std::map<std::string, json> flatten_view(const json& view) {
  std::map<std::string, json> out;
  flatten_into(view, "", out);
  return out;
}

EffectProbe::EffectProbe(const FundState& state, EventType type, const DataView& data) {
  if (is_access_event(type)) return;  // they change no figure
  targets_.push_back({ViewKind::kFund, ""});
  std::string donor(data.get("donor"));
  if (donor.empty() && data.has("pledge")) donor = state.pledge_owner(data.get("pledge"));
  if (!donor.empty()) targets_.push_back({ViewKind::kDonor, donor});
  std::string call(data.get("call"));
  if (call.empty() && data.has("proposal")) {
    if (const Proposal* p = state.proposal(data.get("proposal"))) call = p->call;
  }
  if (!call.empty()) targets_.push_back({ViewKind::kCall, call});
  if (data.has("proposal")) targets_.push_back({ViewKind::kProposal, std::string(data.get("proposal"))});
  if (data.has("decision")) targets_.push_back({ViewKind::kDecision, std::string(data.get("decision"))});
  if (data.has("member")) targets_.push_back({ViewKind::kBoard, ""});
  targets_.push_back({ViewKind::kRegions, ""});
  targets_.push_back({ViewKind::kProgrammes, ""});
  before_.reserve(targets_.size());
  for (const Target& target : targets_) before_.push_back(figures(state, target));
}

EffectProbe::Figures EffectProbe::figures(const FundState& state, const Target& target) {
  Result<json> view = render_view(state, target.kind, target.id, ViewDetail::kFigures);
  // An entity the event creates has no view before it.
  if (!view) return {};
  return flatten_view(*view);
}

std::vector<FigureChange> EffectProbe::changes(const FundState& state) const {
  std::vector<FigureChange> out;
  for (std::size_t t = 0; t < targets_.size(); ++t) {
    const Target& target = targets_[t];
    const Figures after = figures(state, target);
    const Figures& before = before_[t];
    const auto add = [&](const std::string& figure, const json& was, const json& is) {
      out.push_back({std::string(view_name(target.kind)), target.id, figure, was, is});
    };
    // Both maps are sorted by path: walk them together.
    auto b = before.begin();
    auto a = after.begin();
    while (b != before.end() || a != after.end()) {
      if (a == after.end() || (b != before.end() && b->first < a->first)) {
        add(b->first, b->second, nullptr);
        ++b;
      } else if (b == before.end() || a->first < b->first) {
        add(a->first, nullptr, a->second);
        ++a;
      } else {
        if (a->second != b->second) add(a->first, b->second, a->second);
        ++a;
        ++b;
      }
    }
  }
  return out;
}

}  // namespace fundledger
