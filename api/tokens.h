#pragma once
// The API's bearer tokens (SPEC 6). A token is shown once, when it is
// made; the ledger keeps only its SHA-256, with the role and name it was
// given, one per line in the ledger's `tokens` file (mode 0600, never in
// the event log):
//
//   <sha256 hex> <role> <name>
//
// A presented token is hashed and compared with every stored hash in
// constant time, so that neither a match nor its position shows in the
// time taken.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/hash.h"
#include "util/status.h"

namespace fundledger::api {

enum class Role { kManager, kBoard, kAuditor };

std::string_view role_name(Role role);
std::optional<Role> role_from_name(std::string_view name);

// A token's owner: "manager:alice" is the actor of what it appends.
struct TokenOwner {
  Role role = Role::kBoard;
  std::string name;
  std::string actor() const { return std::string(role_name(role)) + ":" + name; }
};

// Whether `name` may name a token's owner: 1 to 64 of A-Z a-z 0-9 . _ -,
// starting with a letter or digit (the name part of an actor, SPEC 1.1).
bool valid_owner_name(std::string_view name);

class TokenStore {
 public:
  // The tokens of the file at `path`; an absent file holds none.
  // Refusals: storage_error (unreadable, or readable by others than its
  // owner), store_corrupt (a line that is not a token's).
  static Result<TokenStore> load(const std::filesystem::path& path);

  // Makes a token for `name` with `role`, adds its hash to the file
  // (rewritten whole, synced, renamed into place, mode 0600) and returns
  // the token, which is not kept. Refusals: usage (a bad name), duplicate
  // (the name has a token), storage_error.
  static Result<std::string> add(const std::filesystem::path& path, std::string_view name, Role role);

  // The owner of `token`, or nullopt when it is no token of this store.
  std::optional<TokenOwner> find(std::string_view token) const;
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Hash hash;
    TokenOwner owner;
  };
  std::vector<Entry> entries_;
};

}  // namespace fundledger::api
