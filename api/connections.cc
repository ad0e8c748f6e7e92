#include "api/connections.h"

#include <algorithm>
#include <map>

namespace fundledger::api {

long Connections::oldest(const std::function<bool(const Slot&)>& fits) const {
  long found = -1;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (s.stage == Stage::kAnswering || !fits(s)) continue;
    if (found < 0 || s.since < slots_[static_cast<std::size_t>(found)].since) found = static_cast<long>(i);
  }
  return found;
}

void Connections::take(long i, std::vector<std::shared_ptr<Evictable>>& evicted) {
  const auto at = slots_.begin() + i;
  if (std::shared_ptr<Evictable> holder = at->holder.lock()) evicted.push_back(std::move(holder));
  slots_.erase(at);
  ++evicted_;
}

Connections::Id Connections::admit(const std::string& address, std::weak_ptr<Evictable> holder) {
  std::vector<std::shared_ptr<Evictable>> evicted;
  Id id = 0;
  {
    std::lock_guard lock(mu_);
    const auto mine = [&address](const Slot& s) { return s.address == address; };
    const auto handshaking = [](const Slot& s) { return s.stage == Stage::kHandshake; };
    if (static_cast<std::size_t>(std::count_if(slots_.begin(), slots_.end(), mine)) >= limits_.per_address_max) {
      const long i = oldest(mine);
      if (i >= 0) take(i, evicted);
    }
    if (static_cast<std::size_t>(std::count_if(slots_.begin(), slots_.end(), handshaking)) >=
        limits_.handshakes_max) {
      const long i = oldest(handshaking);
      if (i >= 0) take(i, evicted);
    }
    if (slots_.size() >= limits_.connections_max) {
      // The address that holds the most waiting slots gives one up.
      std::map<std::string, std::size_t> waiting;
      for (const Slot& s : slots_) {
        if (s.stage != Stage::kAnswering) ++waiting[s.address];
      }
      const auto most = std::max_element(waiting.begin(), waiting.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
      if (most != waiting.end()) {
        take(oldest([&most](const Slot& s) { return s.address == most->first; }), evicted);
      }
    }
    if (slots_.size() < limits_.connections_max) {
      id = next_id_++;
      slots_.push_back(Slot{id, address, Stage::kHandshake, ++clock_, std::move(holder)});
    }
  }
  for (const std::shared_ptr<Evictable>& e : evicted) e->evict();
  return id;
}

std::vector<Connections::Slot>::iterator Connections::find(Id id) {
  const auto at = std::lower_bound(slots_.begin(), slots_.end(), id, [](const Slot& s, Id i) { return s.id < i; });
  return at != slots_.end() && at->id == id ? at : slots_.end();
}

void Connections::set_stage(Id id, Stage stage) {
  std::lock_guard lock(mu_);
  if (const auto at = find(id); at != slots_.end()) {
    at->stage = stage;
    at->since = ++clock_;
  }
}

void Connections::release(Id id) {
  std::lock_guard lock(mu_);
  if (const auto at = find(id); at != slots_.end()) slots_.erase(at);
}

void Connections::for_each(const std::function<void(Evictable&)>& fn) {
  std::vector<std::shared_ptr<Evictable>> alive;
  {
    std::lock_guard lock(mu_);
    for (const Slot& s : slots_) {
      if (std::shared_ptr<Evictable> h = s.holder.lock()) alive.push_back(std::move(h));
    }
  }
  for (const std::shared_ptr<Evictable>& h : alive) fn(*h);
}

std::size_t Connections::open() const {
  std::lock_guard lock(mu_);
  return slots_.size();
}

std::uint64_t Connections::evicted() const {
  std::lock_guard lock(mu_);
  return evicted_;
}

}  // namespace fundledger::api
