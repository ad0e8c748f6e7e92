#include "api/metrics.h"

#include <cstdio>

namespace fundledger::api {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::request(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  ++latency_[i];
  latency_sum_ += seconds;
  ++latency_count_;
}

std::string Metrics::render(std::uint64_t tree_size, std::uint64_t groups, std::uint64_t events_appended,
                            std::size_t largest_group) const {
  std::string out;
  out += "# HELP fundledger_requests_total Requests answered, by route and status.\n";
  out += "# TYPE fundledger_requests_total counter\n";
  std::lock_guard lock(mu_);
  for (const auto& [key, count] : requests_) {
    out += "fundledger_requests_total{route=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"} " +
           std::to_string(count) + "\n";
  }
  out += "# HELP fundledger_request_seconds Time from a request's last byte read to its answer.\n";
  out += "# TYPE fundledger_request_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += latency_[i];
    out += "fundledger_request_seconds_bucket{le=\"" + number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  cumulative += latency_[kBuckets.size()];
  out += "fundledger_request_seconds_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += "fundledger_request_seconds_sum " + number(latency_sum_) + "\n";
  out += "fundledger_request_seconds_count " + std::to_string(latency_count_) + "\n";
  out += "# HELP fundledger_appended_events_total Events appended since the server started.\n";
  out += "# TYPE fundledger_appended_events_total counter\n";
  out += "fundledger_appended_events_total " + std::to_string(events_appended) + "\n";
  out += "# HELP fundledger_append_writes_total Synced writes that carried them (group commit).\n";
  out += "# TYPE fundledger_append_writes_total counter\n";
  out += "fundledger_append_writes_total " + std::to_string(groups) + "\n";
  out += "# HELP fundledger_append_write_events_max Events in the largest synced write.\n";
  out += "# TYPE fundledger_append_write_events_max gauge\n";
  out += "fundledger_append_write_events_max " + std::to_string(largest_group) + "\n";
  out += "# HELP fundledger_tree_size Events in the log.\n";
  out += "# TYPE fundledger_tree_size gauge\n";
  out += "fundledger_tree_size " + std::to_string(tree_size) + "\n";
  out += "# HELP fundledger_open_connections Connections open now.\n";
  out += "# TYPE fundledger_open_connections gauge\n";
  out += "fundledger_open_connections " + std::to_string(open_.load()) + "\n";
  return out;
}

}  // namespace fundledger::api
