#include "api/access.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "domain/schema.h"
#include "util/check.h"
#include "util/files.h"

namespace fundledger::api {

LiveTokens::LiveTokens(TokenStore store) : store_(std::make_shared<const TokenStore>(std::move(store))) {}

TokenMatch LiveTokens::find(std::string_view token, Millis now) const {
  const std::shared_ptr<const TokenStore> store = current();
  TokenMatch match = store->find(token, now);
  if (match.owner) {
    std::lock_guard lock(mu_);
    used_[match.hash_prefix] = now;
  }
  return match;
}

void LiveTokens::replace(TokenStore store) {
  auto next = std::make_shared<const TokenStore>(std::move(store));
  std::lock_guard lock(mu_);
  store_ = std::move(next);
}

std::shared_ptr<const TokenStore> LiveTokens::current() const {
  std::lock_guard lock(mu_);
  return store_;
}

std::map<std::string, Millis> LiveTokens::used() const {
  std::lock_guard lock(mu_);
  return used_;
}

void LiveTokens::merge_used(const std::map<std::string, Millis>& earlier) {
  std::lock_guard lock(mu_);
  for (const auto& [prefix, at] : earlier) {
    Millis& mine = used_[prefix];
    mine = std::max(mine, at);
  }
}

namespace {

AccessDraft access_draft(const TokenRecord& r, EventType type) {
  const bool granted = type == EventType::kAccessGranted;
  nlohmann::json data{{"name", r.owner.name}, {"role", role_name(r.owner.role)}, {"token", r.hash_prefix()}};
  if (granted && r.expires) data["expires_on"] = format_timestamp(*r.expires).substr(0, 10);
  if (granted && !r.owner.donor.empty()) data["donor"] = r.owner.donor;
  const nlohmann::json event{{"id", std::string(granted ? "access-granted-" : "access-revoked-") + r.owner.name +
                                        "-" + r.hash_prefix()},
                             {"type", event_type_name(type)},
                             {"data", data}};
  Result<Draft> draft = decode_draft(event.dump());
  FL_CHECK_OK(draft.status());  // every field of a loaded record is valid
  std::string actor = granted ? r.granted_by : r.revoked_by;
  // A token made before the file kept who made it.
  if (actor.empty()) actor = "manager:ledger";
  return AccessDraft{std::move(*draft), std::move(actor)};
}

}  // namespace

std::vector<AccessDraft> access_drafts(const TokenStore& tokens) {
  std::vector<AccessDraft> drafts;
  for (const TokenRecord& r : tokens.records()) {
    drafts.push_back(access_draft(r, EventType::kAccessGranted));
    if (r.revoked) drafts.push_back(access_draft(r, EventType::kAccessRevoked));
  }
  return drafts;
}

Result<std::size_t> record_access(Writer& writer, const TokenStore& tokens) {
  std::size_t recorded = 0;
  for (AccessDraft& d : access_drafts(tokens)) {
    std::vector<Draft> one;
    one.push_back(std::move(d.draft));
    const AppendResult result = writer.append(std::move(one), d.actor);
    if (!result.status) return result.status;
    if (!result.receipts.front().repeat) ++recorded;
  }
  return recorded;
}

std::map<std::string, Millis> read_used(const std::filesystem::path& path) {
  std::map<std::string, Millis> used;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string prefix, at;
    fields >> prefix >> at;
    const std::optional<Millis> time = parse_timestamp(at);
    if (prefix.size() == kTokenHashDigits && time) used[prefix] = *time;
  }
  return used;
}

Status write_used(const std::filesystem::path& path, const std::map<std::string, Millis>& used) {
  std::string text;
  for (const auto& [prefix, at] : used) text += prefix + " " + format_timestamp(at) + "\n";
  return replace_file(path, text, 0600);
}

}  // namespace fundledger::api
