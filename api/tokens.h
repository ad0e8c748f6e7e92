#pragma once
// The API's bearer tokens (SPEC 6). A token is shown once, when it is
// made; the ledger keeps only its SHA-256, with the role and name it was
// given, one per line in the ledger's `tokens` file (mode 0600, never in
// the event log):
//
//   <sha256 hex> <role> <name> created=<time> expires=<time|never> by=<actor>
//       [donor=<donor id>] [revoked=<time> revoked_by=<actor>]
//
// (one line; times as RFC 3339, format_timestamp; `donor` for a donor's
// token alone, naming the donor whose records it reads). A revoked token's line
// stays, so that the file says who could use the API when; a line of the
// first form, `<sha256 hex> <role> <name>` alone, is a token made before
// these were kept and never expires.
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
#include "util/timestamp.h"

namespace fundledger::api {

enum class Role { kManager, kBoard, kAuditor, kDonor };
inline constexpr Role kAllRoles[] = {Role::kManager, Role::kBoard, Role::kAuditor, Role::kDonor};

std::string_view role_name(Role role);
std::optional<Role> role_from_name(std::string_view name);

// A token's owner: "manager:alice" is the actor of what it appends.
struct TokenOwner {
  Role role = Role::kBoard;
  std::string name;
  std::string donor;  // a donor's token: the donor it reads for; "" for the other roles
  std::string actor() const { return std::string(role_name(role)) + ":" + name; }
};

// Whether `name` may name a token's owner: 1 to 64 of A-Z a-z 0-9 . _ -,
// starting with a letter or digit (the name part of an actor, SPEC 1.1).
bool valid_owner_name(std::string_view name);

// One line of the tokens file.
struct TokenRecord {
  Hash hash{};
  TokenOwner owner;
  std::optional<Millis> created;  // nullopt for a line of the first form
  std::optional<Millis> expires;  // nullopt: never
  std::string granted_by;         // the actor who made it; "" for the first form
  std::optional<Millis> revoked;
  std::string revoked_by;
  // The first 16 hex digits of the hash: what access events and
  // `token list` name it by.
  std::string hash_prefix() const;
  bool in_force(Millis now) const { return !revoked && (!expires || now < *expires); }
  // "active", "expired" or "revoked".
  std::string_view state(Millis now) const;
};

// Who makes or revokes a token, and when; what `token add` sets.
struct TokenChange {
  std::string by = "manager:ledger";
  Millis now = to_millis(std::chrono::system_clock::now());
  std::optional<int> expires_days;  // add only; nullopt: never
  // When a token made by this change expires; nullopt: never.
  std::optional<Millis> expires_at() const;
};

// A presented token's owner and its record's hash prefix, or why it is
// refused.
struct TokenMatch {
  std::optional<TokenOwner> owner;
  std::string refusal;      // when there is no owner
  std::string hash_prefix;  // when there is one
};

class TokenStore {
 public:
  // The tokens of the file at `path`; an absent file holds none.
  // Refusals: storage_error (unreadable, or readable by others than its
  // owner), store_corrupt (a line that is not a token's).
  static Result<TokenStore> load(const std::filesystem::path& path);

  // Makes a token for `name` with `role`, adds its line to the file
  // (rewritten whole, synced, renamed into place, mode 0600) and returns
  // the token, which is not kept. A donor's token names its donor
  // (`donor`), no other does. Refusals: usage (a bad name, expiry days
  // outside 1 to 3,660, a donor role without a donor id or another role
  // with one), duplicate (a token of that name not revoked), storage_error.
  static Result<std::string> add(const std::filesystem::path& path, std::string_view name, Role role,
                                 const TokenChange& change = {}, std::string_view donor = {});
  // Marks the token of `name` that is not yet revoked as revoked, in the
  // same way. Returns its line as now written. Refusals: not_found, storage_error.
  static Result<TokenRecord> revoke(const std::filesystem::path& path, std::string_view name,
                                    const TokenChange& change = {});

  // The owner of `token` when it is one of this store's and in force at
  // `now`; otherwise why not ("not one of this ledger's", "revoked", "expired").
  TokenMatch find(std::string_view token, Millis now) const;
  std::optional<TokenOwner> find(std::string_view token) const {
    return find(token, to_millis(std::chrono::system_clock::now())).owner;
  }
  // Every line, in the file's order.
  const std::vector<TokenRecord>& records() const { return records_; }
  // Tokens in force at `now`.
  std::size_t size(Millis now = to_millis(std::chrono::system_clock::now())) const;

 private:
  Status save(const std::filesystem::path& path) const;
  std::vector<TokenRecord> records_;
};

}  // namespace fundledger::api
