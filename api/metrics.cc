#include "api/metrics.h"

#include <cstdio>
#include <string_view>

namespace fundledger::api {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// One metric of a single value, with its HELP and TYPE lines.
void scalar(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            std::int64_t value) {
  out += "# HELP " + std::string(name) + " " + std::string(help) + "\n";
  out += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
  out += std::string(name) + " " + std::to_string(value) + "\n";
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

void Metrics::witness_cosigned(const std::string& name, std::uint64_t tree_size) {
  std::lock_guard lock(mu_);
  witnesses_[name] = tree_size;
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
  scalar(out, "fundledger_appended_events_total", "counter",
         "Events the ledger's writer has carried since it started, idempotent repeats included, refusals not.", events_appended);
  scalar(out, "fundledger_append_writes_total", "counter", "Synced writes that carried them (group commit).", groups);
  scalar(out, "fundledger_append_write_events_max", "gauge", "Events in the largest synced write.", largest_group);
  scalar(out, "fundledger_tree_size", "gauge", "Events in the log.", tree_size);
  scalar(out, "fundledger_open_connections", "gauge", "Connections open now.", open_.load());
  scalar(out, "fundledger_requests_in_flight", "gauge",
         "Requests whose header has arrived and whose answer is not yet sent.", in_flight_.load());
  if (witnesses_.empty()) return out;
  out += "# HELP fundledger_witness_cosigned_size The latest tree size each witness cosigned.\n";
  out += "# TYPE fundledger_witness_cosigned_size gauge\n";
  for (const auto& [name, size] : witnesses_) {
    out += "fundledger_witness_cosigned_size{witness=\"" + name + "\"} " + std::to_string(size) + "\n";
  }
  out += "# HELP fundledger_witness_lag Events in the log that each witness has not cosigned yet.\n";
  out += "# TYPE fundledger_witness_lag gauge\n";
  for (const auto& [name, size] : witnesses_) {
    out += "fundledger_witness_lag{witness=\"" + name + "\"} " + std::to_string(tree_size > size ? tree_size - size : 0) + "\n";
  }
  return out;
}

}  // namespace fundledger::api
