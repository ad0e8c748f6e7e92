#pragma once
// The server's connection slots, shared fairly. Each open connection holds
// one, from its acceptance to its close, with its client's address and its
// stage (the TLS handshake, waiting for a request, answering one).
//
// A new connection is admitted when there is room; when there is none it
// takes the slot of a connection that is doing nothing, so that one client
// holding a thousand connections cannot lock the others out:
//   - a client address holds at most `per_address_max` slots: past that, its
//     own oldest connection that waits (in its handshake or for a request)
//     is closed for the new one;
//   - at most `handshakes_max` connections are in their handshake at once:
//     past that, the oldest of them is closed;
//   - when every slot is taken, the oldest waiting connection of the
//     address that holds the most is closed.
// A connection answering a request is never closed for another; when every
// slot answers, the new connection is refused.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fundledger::api {

// What a slot's holder does when its slot is given to another.
class Evictable {
 public:
  virtual ~Evictable() = default;
  // Closes the connection soon; called on any thread.
  virtual void evict() = 0;
};

struct SlotLimits {
  std::size_t connections_max = 1024;
  std::size_t per_address_max = 64;
  std::size_t handshakes_max = 256;
};

class Connections {
 public:
  enum class Stage { kHandshake, kWaiting, kAnswering };
  using Id = std::uint64_t;

  explicit Connections(SlotLimits limits) : limits_(limits) {}

  // A slot for a new connection from `address`, or 0 when there is none
  // (every slot answers a request). Connections closed to make room have
  // evict() called, after the lock is released. Thread-safe, as all below.
  Id admit(const std::string& address, std::weak_ptr<Evictable> holder);
  // A connection moves to `stage` (admitted in kHandshake).
  void set_stage(Id id, Stage stage);
  // A connection is gone.
  void release(Id id);
  // Calls `fn` with each holder that is still alive.
  void for_each(const std::function<void(Evictable&)>& fn);

  std::size_t open() const;
  // Connections closed to make room, since the start.
  std::uint64_t evicted() const;

 private:
  struct Slot {
    Id id = 0;
    std::string address;
    Stage stage = Stage::kHandshake;
    std::uint64_t since = 0;  // when it entered its stage, as a count of changes
    std::weak_ptr<Evictable> holder;
  };
  // The oldest waiting slot that `fits`, or -1.
  long oldest(const std::function<bool(const Slot&)>& fits) const;
  // Removes slot `i` and keeps its holder for evicting.
  void take(long i, std::vector<std::shared_ptr<Evictable>>& evicted);
  // The slot of `id`, or end(): slots_ is in the order of their ids, which
  // only grow, so a binary search finds it.
  std::vector<Slot>::iterator find(Id id);

  const SlotLimits limits_;
  mutable std::mutex mu_;
  std::vector<Slot> slots_;  // guarded by mu_; in the order of their ids
  Id next_id_ = 1;           // guarded by mu_
  std::uint64_t clock_ = 0;  // guarded by mu_
  std::uint64_t evicted_ = 0;  // guarded by mu_
};

}  // namespace fundledger::api
