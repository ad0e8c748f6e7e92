#include "tools/audit_replay.h"

#include <algorithm>
#include <fstream>
#include <string>
#include <utility>

#include "domain/data_view.h"
#include "domain/formats.h"

namespace fundledger::cli {

BundleReplay::BundleReplay() : thread_([this] { apply_runs(); }) {}

BundleReplay::~BundleReplay() { finish(); }

std::optional<Failure> BundleReplay::add(std::uint64_t first_seq, const std::vector<std::string_view>& lines) {
  Run run;
  run.first_seq = first_seq;
  // Every other run is decoded here. One holding an event that does not
  // decode goes as bytes, so that the rules thread reports it in order.
  if (runs_++ % 2 == 0) {
    run.events.reserve(lines.size());
    for (const std::string_view line : lines) {
      Result<Event> event = decode_event(line);
      if (!event) {
        run.events.clear();
        break;
      }
      run.events.push_back(std::move(*event));
    }
  }
  if (run.events.size() != lines.size()) {
    run.events.clear();
    for (const std::string_view line : lines) {
      run.bytes += line;
      run.ends.push_back(run.bytes.size());
    }
  }
  bool failed;
  {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return ready_.size() < kRunsAhead || failed_; });
    if (!failed_) ready_.push_back(std::move(run));
    failed = failed_;
  }
  changed_.notify_all();
  return failed ? finish() : std::nullopt;
}

std::optional<Failure> BundleReplay::finish() {
  if (thread_.joinable()) {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  return failure_;
}

void BundleReplay::apply_runs() {
  for (;;) {
    Run run;
    {
      std::unique_lock lock(mu_);
      changed_.wait(lock, [this] { return !ready_.empty() || closed_; });
      if (ready_.empty()) return;
      run = std::move(ready_.front());
      ready_.pop_front();
    }
    changed_.notify_all();
    if (failure_) continue;  // drain what is queued
    if (std::optional<Failure> f = apply(run)) {
      failure_ = std::move(f);
      std::lock_guard lock(mu_);
      failed_ = true;
    }
  }
}

std::optional<Failure> BundleReplay::apply(Run& run) {
  auto refused = [&run](std::size_t i, const std::string& why, std::string expected = "", std::string found = "") {
    const std::uint64_t seq = run.first_seq + i;
    return Failure{seq, Code::kEvent, "event " + std::to_string(seq) + " " + why, std::move(expected),
                        std::move(found)};
  };
  if (run.events.empty()) {
    run.events.reserve(run.ends.size());
    std::size_t begin = 0;
    for (std::size_t i = 0; i < run.ends.size(); ++i) {
      Result<Event> event = decode_event(std::string_view(run.bytes).substr(begin, run.ends[i] - begin));
      if (!event) return refused(i, "is not an event: " + event.status().to_string());
      run.events.push_back(std::move(*event));
      begin = run.ends[i];
    }
  }
  std::vector<DataView> data;
  data.reserve(run.events.size());
  for (const Event& e : run.events) data.push_back(DataView::of(e.data));
  // Most events name a proposal, one of hundreds of thousands, in no
  // order: ask for it some events ahead, as a replay of the store does.
  constexpr std::size_t kSlotAhead = 8, kEntryAhead = 4;
  const std::size_t n = data.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kSlotAhead < n) state_.prefetch(data[i + kSlotAhead], false);
    if (i + kEntryAhead < n) state_.prefetch(data[i + kEntryAhead], true);
    const Event& e = run.events[i];
    const std::optional<Millis> recorded = parse_timestamp(e.recorded_at);
    FL_CHECK(recorded.has_value());  // decode_event checked it
    if (*recorded < last_recorded_) {
      return refused(i, "is recorded before the one it follows", format_timestamp(last_recorded_), e.recorded_at);
    }
    last_recorded_ = *recorded;
    if (const Status allowed = state_.check(e.type, data[i], e.actor); !allowed) {
      return refused(i, "breaks a rule: " + allowed.to_string());
    }
    if (e.type == EventType::kEntryReversed) {
      const std::optional<std::uint64_t> reversed = parse_seq(e.data.get("seq") ? *e.data.get("seq") : "");
      if (!reversed || *reversed >= e.seq) return refused(i, "reverses no earlier event");
      reversals_.emplace_back(*reversed, e);
    }
    state_.apply(e.type, data[i], run.first_seq + i, e.actor);
  }
  return std::nullopt;
}

std::optional<Failure> BundleReplay::check_reversals(const std::filesystem::path& dir) const {
  if (reversals_.empty()) return std::nullopt;
  std::vector<const std::pair<std::uint64_t, Event>*> wanted;
  for (const auto& r : reversals_) wanted.push_back(&r);
  std::sort(wanted.begin(), wanted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::optional<Failure> first;
  const auto failed = [&first](std::uint64_t seq, const std::string& why) {
    if (!first || seq < first->seq) first = Failure{seq, Code::kEvent, "event " + std::to_string(seq) + " " + why, "", ""};
  };
  std::ifstream in(dir / std::string(kBundleEvents), std::ios::binary);
  std::string line;
  std::uint64_t seq = 0;
  for (std::size_t w = 0; w < wanted.size() && std::getline(in, line);) {
    ++seq;
    for (; w < wanted.size() && wanted[w]->first == seq; ++w) {
      const Event& reversal = wanted[w]->second;
      Result<Event> original = decode_event(line);
      if (!original) {
        failed(reversal.seq, "reverses event " + std::to_string(seq) + ", which cannot be read");
        continue;
      }
      const Status same = check_reversal_facts(seq, DataView::of(reversal.data), original->type,
                                               DataView::of(original->data));
      if (!same) failed(reversal.seq, "breaks a rule: " + same.to_string());
    }
  }
  return first;
}

BundleReport audit_bundle(const std::filesystem::path& dir, BundleOptions options, BundleReplay& replay) {
  options.on_event = [&replay](std::uint64_t first_seq, const std::vector<std::string_view>& lines) {
    return replay.add(first_seq, lines);
  };
  BundleReport report = check_bundle(dir, options);
  // The rules may have refused an event before the lines' failure, or
  // before the root was found wrong (a failure at no one seq).
  std::optional<Failure> refused = replay.finish();
  if (!refused && report.ok()) refused = replay.check_reversals(dir);
  if (refused) {
    if (report.ok() || report.failure->seq == 0 || refused->seq < report.failure->seq) report.failure = refused;
  }
  return report;
}

}  // namespace fundledger::cli
