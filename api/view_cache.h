#pragma once
// The signed views the server keeps, so that a view of one (kind, id, seq)
// is computed and signed once: what the events up to a seq give never
// changes. Bounded by bytes: when one more would pass the limit, all are
// dropped and the cache fills again. Thread-safe.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace fundledger::api {

// A large fund's calls view is some hundreds of kilobytes, its fund view
// two: 64 MiB holds the views a dashboard asks for many times over.
inline constexpr std::size_t kSignedViewsBytesMax = 64 << 20;

class ViewCache {
 public:
  explicit ViewCache(std::size_t bytes_max = kSignedViewsBytesMax) : bytes_max_(bytes_max) {}

  // The body kept for `key`, or null.
  std::shared_ptr<const std::string> find(const std::string& key) const;
  // Keeps `body` for `key` (a key kept already keeps its body).
  void add(std::string key, std::string body);
  // The bytes kept: keys and bodies.
  std::size_t bytes() const;

 private:
  const std::size_t bytes_max_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> views_;  // guarded by mu_
  std::size_t bytes_ = 0;                                                      // guarded by mu_
};

}  // namespace fundledger::api
