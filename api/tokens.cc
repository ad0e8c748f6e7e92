#include "api/tokens.h"

#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "audit/note.h"
#include "domain/formats.h"
#include "domain/schema.h"
#include "util/check.h"
#include "util/files.h"

namespace fundledger::api {
namespace {

constexpr std::string_view kTokenPrefix = "fl_";
constexpr std::size_t kTokenBytes = 32;

// base64url without padding (RFC 4648 section 5).
std::string base64url(std::string_view bytes) {
  std::string s = base64_encode(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return s;
}


}  // namespace

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kManager: return "manager";
    case Role::kBoard: return "board";
    case Role::kAuditor: return "auditor";
    case Role::kDonor: return "donor";
  }
  FL_CHECK(false);
  return "";
}

std::optional<Role> role_from_name(std::string_view name) {
  for (const Role r : kAllRoles) {
    if (role_name(r) == name) return r;
  }
  return std::nullopt;
}

bool valid_owner_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

std::string TokenRecord::hash_prefix() const { return to_hex(hash).substr(0, kTokenHashDigits); }

std::string_view TokenRecord::state(Millis now) const {
  if (revoked) return "revoked";
  return in_force(now) ? "active" : "expired";
}

namespace {

constexpr int kExpiryDaysMax = 3660;
constexpr Millis kDayMillis = 24LL * 60 * 60 * 1000;

std::string time_or(const std::optional<Millis>& t, std::string_view absent) {
  return t ? format_timestamp(*t) : std::string(absent);
}

std::string line_of(const TokenRecord& r) {
  std::string line = to_hex(r.hash) + " " + std::string(role_name(r.owner.role)) + " " + r.owner.name;
  // A line of the first form keeps it: its creation was not kept.
  if (r.created) {
    line += " created=" + format_timestamp(*r.created) + " expires=" + time_or(r.expires, "never") +
            " by=" + r.granted_by;
  }
  if (!r.owner.donor.empty()) line += " donor=" + r.owner.donor;
  if (r.revoked) line += " revoked=" + format_timestamp(*r.revoked) + " revoked_by=" + r.revoked_by;
  return line + "\n";
}

// The `key=value` fields after the name; false for anything else.
bool read_fields(std::istringstream& fields, TokenRecord& r) {
  std::string item;
  bool expires_seen = false;
  while (fields >> item) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) return false;
    const std::string key = item.substr(0, eq);
    const std::string value = item.substr(eq + 1);
    const std::optional<Millis> time = parse_timestamp(value);
    if (key == "created" && time && !r.created) {
      r.created = time;
    } else if (key == "expires" && !expires_seen && (time || value == "never")) {
      r.expires = time;
      expires_seen = true;
    } else if (key == "by" && r.granted_by.empty() && is_actor(value)) {
      r.granted_by = value;
    } else if (key == "donor" && r.owner.donor.empty() && is_business_id(value)) {
      r.owner.donor = value;
    } else if (key == "revoked" && time && !r.revoked) {
      r.revoked = time;
    } else if (key == "revoked_by" && r.revoked_by.empty() && is_actor(value)) {
      r.revoked_by = value;
    } else {
      return false;
    }
  }
  // The first form has none but the revocation, the second all; the
  // revocation comes whole or not at all.
  const bool first_form = !r.created && !expires_seen && r.granted_by.empty();
  const bool second_form = r.created && expires_seen && !r.granted_by.empty();
  return (first_form || second_form) && (!r.revoked == r.revoked_by.empty());
}

}  // namespace

Result<TokenStore> TokenStore::load(const std::filesystem::path& path) {
  TokenStore store;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return store;
    return Status::error(Code::kStorageError, "cannot read " + path.string());
  }
  FL_RETURN_IF_ERROR(check_private(path));
  std::ifstream in(path);
  if (!in) return Status::error(Code::kStorageError, "cannot read " + path.string());
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    std::istringstream fields(line);
    std::string hex, role, name;
    fields >> hex >> role >> name;
    const std::optional<Hash> hash = hash_from_hex(hex);
    const std::optional<Role> r = role_from_name(role);
    TokenRecord record;
    if (!hash || !r || !valid_owner_name(name) || !read_fields(fields, record)) {
      return Status::error(Code::kStoreCorrupt, "line " + std::to_string(number) + " of " + path.string() +
                                                " is not a token's hash, role, name and dates");
    }
    // Read before the role: a donor's token names its donor, no other does.
    if ((*r == Role::kDonor) == record.owner.donor.empty()) {
      return Status::error(Code::kStoreCorrupt, "line " + std::to_string(number) + " of " + path.string() +
                                                " is a donor's token without its donor, or another's with one");
    }
    record.hash = *hash;
    record.owner.role = *r;
    record.owner.name = name;
    store.records_.push_back(std::move(record));
  }
  return store;
}

Status TokenStore::save(const std::filesystem::path& path) const {
  std::string text;
  for (const TokenRecord& r : records_) text += line_of(r);
  return replace_file(path, text, 0600);
}

std::optional<Millis> TokenChange::expires_at() const {
  if (!expires_days) return std::nullopt;
  return now + *expires_days * kDayMillis;
}

Result<std::string> TokenStore::add(const std::filesystem::path& path, std::string_view name, Role role,
                                    const TokenChange& change, std::string_view donor) {
  if (role == Role::kDonor && !is_business_id(donor)) {
    return Status::error(Code::kUsage, "a donor's token names its donor: --donor ID", "donor");
  }
  if (role != Role::kDonor && !donor.empty()) {
    return Status::error(Code::kUsage, "--donor goes with --role donor alone", "donor");
  }
  if (!valid_owner_name(name)) {
    return Status::error(Code::kUsage, "a token's name is 1 to 64 letters, digits, '.', '_' or '-'", "name");
  }
  if (change.expires_days && (*change.expires_days < 1 || *change.expires_days > kExpiryDaysMax)) {
    return Status::error(Code::kUsage, "--expires is 1 to " + std::to_string(kExpiryDaysMax) + " days", "expires");
  }
  Result<TokenStore> store = load(path);
  if (!store) return store.status();
  for (const TokenRecord& r : store->records_) {
    if (r.owner.name == name && !r.revoked) {
      return Status::error(Code::kDuplicate,
                           "\"" + std::string(name) + "\" has a token already (" + std::string(r.state(change.now)) +
                               "); revoke it first",
                           "name");
    }
  }
  std::string random(kTokenBytes, '\0');
  FL_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(random.data()), static_cast<int>(random.size())) == 1);
  std::string token = std::string(kTokenPrefix) + base64url(random);
  OPENSSL_cleanse(random.data(), random.size());

  TokenRecord record;
  record.hash = sha256(token);
  record.owner = TokenOwner{role, std::string(name), std::string(donor)};
  record.created = change.now;
  record.expires = change.expires_at();
  record.granted_by = change.by;
  store->records_.push_back(std::move(record));
  FL_RETURN_IF_ERROR(store->save(path));
  return token;
}

Result<TokenRecord> TokenStore::revoke(const std::filesystem::path& path, std::string_view name,
                                       const TokenChange& change) {
  Result<TokenStore> store = load(path);
  if (!store) return store.status();
  for (TokenRecord& r : store->records_) {
    if (r.owner.name != name || r.revoked) continue;
    r.revoked = change.now;
    r.revoked_by = change.by;
    const TokenRecord revoked = r;
    FL_RETURN_IF_ERROR(store->save(path));
    return revoked;
  }
  return Status::error(Code::kNotFound, "no token of \"" + std::string(name) + "\" that is not revoked", "name");
}

TokenMatch TokenStore::find(std::string_view token, Millis now) const {
  const Hash presented = sha256(token);
  const TokenRecord* found = nullptr;
  // Every record compared, whatever matches.
  for (const TokenRecord& r : records_) {
    const bool same = CRYPTO_memcmp(presented.data(), r.hash.data(), presented.size()) == 0;
    if (same) found = &r;
  }
  if (found == nullptr) return {std::nullopt, "the token is not one of this ledger's", ""};
  if (found->revoked) return {std::nullopt, "the token was revoked on " + format_timestamp(*found->revoked), ""};
  if (!found->in_force(now)) return {std::nullopt, "the token expired on " + format_timestamp(*found->expires), ""};
  return {found->owner, "", found->hash_prefix()};
}

std::size_t TokenStore::size(Millis now) const {
  return static_cast<std::size_t>(
      std::count_if(records_.begin(), records_.end(), [now](const TokenRecord& r) { return r.in_force(now); }));
}

}  // namespace fundledger::api
