#pragma once
// What `/metrics` shows, in Prometheus' text format (version 0.0.4):
// requests by route and status, their latency, events appended and the
// writes that carried them (group commit), the log's size, the open
// connections and the requests in flight. Thread-safe; counting a request takes one short lock.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace fundledger::api {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (and +Inf).
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  // `route` is the route's pattern ("/v1/events/{seq}"), never a raw path.
  void request(const std::string& route, int status, double seconds);
  void connection_opened() { ++open_; }
  void connection_closed() { --open_; }
  // A request's header has arrived; its answer has been sent.
  void request_started() { ++in_flight_; }
  void request_finished() { --in_flight_; }
  // Connections open now (the server's limit reads it too).
  std::int64_t open_connections() const { return open_.load(); }

  // The latest tree size witness `name` cosigned (api/witness_push.h).
  void witness_cosigned(const std::string& name, std::uint64_t tree_size);

  // The text of /metrics, with the writer's and the log's figures given.
  std::string render(std::uint64_t tree_size, std::uint64_t groups, std::uint64_t events_appended,
                     std::size_t largest_group) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;  // guarded by mu_
  std::array<std::uint64_t, kBuckets.size() + 1> latency_{};      // guarded by mu_
  double latency_sum_ = 0;                                         // guarded by mu_
  std::uint64_t latency_count_ = 0;                                // guarded by mu_
  std::map<std::string, std::uint64_t> witnesses_;                 // guarded by mu_
  std::atomic<std::int64_t> open_{0};
  std::atomic<std::int64_t> in_flight_{0};
};

}  // namespace fundledger::api
