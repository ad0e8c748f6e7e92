#include "api/view_cache.h"

namespace fundledger::api {

std::shared_ptr<const std::string> ViewCache::find(const std::string& key) const {
  std::lock_guard lock(mu_);
  const auto found = views_.find(key);
  return found == views_.end() ? nullptr : found->second;
}

void ViewCache::add(std::string key, std::string body) {
  const std::size_t bytes = key.size() + body.size();
  std::lock_guard lock(mu_);
  if (bytes_ + bytes > bytes_max_) {
    views_.clear();
    bytes_ = 0;
  }
  if (bytes > bytes_max_) return;  // one view larger than the whole cache
  if (views_.emplace(std::move(key), std::make_shared<const std::string>(std::move(body))).second) bytes_ += bytes;
}

std::size_t ViewCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace fundledger::api
