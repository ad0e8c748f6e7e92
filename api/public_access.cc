#include "api/public_access.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "api/router.h"
#include "util/hash.h"

namespace fundledger::api {

bool PublicViews::has(std::string_view name) const {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool PublicViews::opens(std::string_view method, std::string_view p) const {
  if (method != "GET" || !p.starts_with("/v1/")) return false;
  if (p == "/v1/fund") return has("fund");
  if (p == "/v1/regions") return has("regions");
  if (p == "/v1/programmes") return has("programmes");
  if (p == "/v1/calls" || p == "/v1/calls/{id}") return has("calls");
  if (p == "/v1/statements") return has("statements");
  if (p == "/v1/exports/{file}") return has("exports");
  return false;
}

Result<PublicViews> parse_public_views(std::string_view list) {
  std::vector<std::string> asked;
  std::string item;
  std::istringstream in{std::string(list)};
  while (std::getline(in, item, ',')) {
    item.erase(std::remove_if(item.begin(), item.end(), [](char c) { return c == ' ' || c == '\n' || c == '\r'; }),
               item.end());
    if (item.empty()) continue;
    if (std::find(std::begin(kPublicViewNames), std::end(kPublicViewNames), item) == std::end(kPublicViewNames)) {
      return Status::error(Code::kUsage,
                           "\"" + item + "\" cannot be public; the views that can are fund, regions, programmes, "
                           "calls, statements and exports",
                           "public");
    }
    asked.push_back(item);
  }
  PublicViews out;
  for (std::string_view name : kPublicViewNames) {
    if (std::find(asked.begin(), asked.end(), name) != asked.end()) out.names.emplace_back(name);
  }
  return out;
}

Result<PublicViews> read_public_views(const std::filesystem::path& ledger_dir) {
  const std::filesystem::path path = ledger_dir / kPublicFile;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return PublicViews{};
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return Status::error(Code::kStorageError, "cannot read " + path.string());
  return parse_public_views(text.str());
}

int RateLimiter::retry_after(std::string_view address, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(address));
  if (it == buckets_.end()) {
    if (buckets_.size() >= limits_.addresses_max) buckets_.clear();
    it = buckets_.emplace(std::string(address), Bucket{limits_.burst, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.at).count();
  b.tokens = std::min(limits_.burst, b.tokens + elapsed * limits_.per_second);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / limits_.per_second)));
}

void make_cacheable(Response& r, std::string_view query, std::string_view if_none_match) {
  if (r.status != 200) return;
  const bool pinned = query_param(query, "as_of").has_value();
  r.cache_control = pinned ? "public, max-age=31536000, immutable" : "public, max-age=60";
  r.etag = "\"" + to_hex(sha256(r.body)).substr(0, 32) + "\"";
  if (etag_matches(if_none_match, r.etag)) {
    r.status = 304;
    r.body.clear();
  }
}

}  // namespace fundledger::api
