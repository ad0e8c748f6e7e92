#pragma once
// A table of entities by id, for the fund in memory (domain/state.h).
//
// A replay holds every proposal of the fund (hundreds of thousands) and
// looks one up for almost every event, in no order. A node-based hash map
// costs a cache miss for the bucket, one for the node before and one for
// the node, and freeing it walks every node again. Here the entries live
// in fixed chunks, in the order they were added, and never move (a
// reference stays good while the table grows); the index is an
// open-addressing array of 8-byte slots, each the id's 32-bit hash and
// the entry's position, probed linearly and kept at most half full. A
// lookup reads one index slot (two at most, usually) and the entry.
//
// Entries are never removed: the fund never forgets an entity.

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/keyed_hash.h"

namespace fundledger {

template <typename V>
class EntityTable {
 public:
  struct Entry {
    std::string id;
    V value{};
    bool dirty = false;  // changed since the last snapshot (FundState)
  };

  EntityTable() = default;
  EntityTable(const EntityTable&) = delete;
  EntityTable& operator=(const EntityTable&) = delete;

  std::size_t size() const { return size_; }

  Entry* find(std::string_view id) { return const_cast<Entry*>(std::as_const(*this).find(id)); }
  const Entry* find(std::string_view id) const {
    if (size_ == 0) return nullptr;
    const std::uint32_t h = hash(id);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const std::uint64_t slot = index_[i];
      if (slot == 0) return nullptr;
      if (static_cast<std::uint32_t>(slot >> 32) == h) {
        const Entry& e = at(static_cast<std::uint32_t>(slot) - 1);
        if (e.id == id) return &e;
      }
    }
  }

  // The entry of `id`, added (with a value-initialised V) when absent.
  // `added` says which.
  Entry& find_or_add(std::string_view id, bool& added) {
    if (Entry* e = find(id)) {
      added = false;
      return *e;
    }
    added = true;
    if ((size_ + 1) * 2 > index_.size()) grow();
    if (size_ == chunks_.size() * kChunkEntries) chunks_.push_back(std::make_unique<Entry[]>(kChunkEntries));
    Entry& e = at(size_);
    e.id.assign(id);
    place(hash(id), size_);
    ++size_;
    return e;
  }

  // Reading ahead: asks the processor to bring in what a find of `id` will
  // read, so that the find, some events later, does not wait for memory.
  // In two steps, the second once the first has had time: the index slot,
  // then the entry it names.
  void prefetch_slot(std::string_view id) const {
    if (size_ != 0) __builtin_prefetch(&index_[hash(id) & mask_]);
  }
  void prefetch_entry(std::string_view id) const {
    if (size_ == 0) return;
    const std::uint32_t h = hash(id);
    const std::uint64_t slot = index_[h & mask_];
    if (slot != 0 && static_cast<std::uint32_t>(slot >> 32) == h) {
      const Entry& e = at(static_cast<std::uint32_t>(slot) - 1);
      __builtin_prefetch(&e);
      __builtin_prefetch(reinterpret_cast<const char*>(&e) + 64);
    }
  }

  // Every entry, in the order added.
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < size_; ++i) f(at(i));
  }

 private:
  static constexpr std::size_t kChunkEntries = 1024;

  // Eight bytes at a time, keyed with a random key for the process so that
  // no set of ids chosen in advance piles up in one run of the index.
  static std::uint32_t hash(std::string_view id) {
    static const std::uint64_t key = random_hash_key();
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
    std::uint64_t h = key ^ (id.size() * kMul);
    std::size_t i = 0;
    for (; i + 8 <= id.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, id.data() + i, 8);
      h = (h ^ word) * kMul;
      h ^= h >> 32;
    }
    if (i < id.size()) {
      std::uint64_t word = 0;
      for (std::size_t k = 0; i + k < id.size(); ++k) {
        word |= static_cast<std::uint64_t>(static_cast<unsigned char>(id[i + k])) << (8 * k);
      }
      h = (h ^ word) * kMul;
      h ^= h >> 32;
    }
    h *= 0xBF58476D1CE4E5B9ull;
    return static_cast<std::uint32_t>(h >> 32);
  }

  Entry& at(std::size_t i) { return chunks_[i / kChunkEntries][i % kChunkEntries]; }
  const Entry& at(std::size_t i) const { return chunks_[i / kChunkEntries][i % kChunkEntries]; }

  void place(std::uint32_t h, std::size_t position) {
    std::size_t i = h & mask_;
    while (index_[i] != 0) i = (i + 1) & mask_;
    index_[i] = (static_cast<std::uint64_t>(h) << 32) | (position + 1);
  }

  void grow() {
    std::vector<std::uint64_t> old = std::move(index_);
    index_.assign(old.empty() ? 16 : old.size() * 2, 0);
    mask_ = index_.size() - 1;
    for (const std::uint64_t slot : old) {
      if (slot != 0) place(static_cast<std::uint32_t>(slot >> 32), static_cast<std::uint32_t>(slot) - 1);
    }
  }

  std::vector<std::unique_ptr<Entry[]>> chunks_;
  std::vector<std::uint64_t> index_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace fundledger
