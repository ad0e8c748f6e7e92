#include "api/tokens.h"

#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <fstream>
#include <sstream>

#include "audit/note.h"
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
  }
  FL_CHECK(false);
  return "";
}

std::optional<Role> role_from_name(std::string_view name) {
  for (const Role r : {Role::kManager, Role::kBoard, Role::kAuditor}) {
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
    std::string hex, role, name, extra;
    fields >> hex >> role >> name;
    const std::optional<Hash> hash = hash_from_hex(hex);
    const std::optional<Role> r = role_from_name(role);
    if (!hash || !r || !valid_owner_name(name) || (fields >> extra)) {
      return Status::error(Code::kStoreCorrupt, "line " + std::to_string(number) + " of " + path.string() +
                                                " is not a token's hash, role and name");
    }
    store.entries_.push_back(Entry{*hash, TokenOwner{*r, name}});
  }
  return store;
}

Result<std::string> TokenStore::add(const std::filesystem::path& path, std::string_view name, Role role) {
  if (!valid_owner_name(name)) {
    return Status::error(Code::kUsage, "a token's name is 1 to 64 letters, digits, '.', '_' or '-'", "name");
  }
  Result<TokenStore> existing = load(path);
  if (!existing) return existing.status();
  for (const Entry& e : existing->entries_) {
    if (e.owner.name == name) {
      return Status::error(Code::kDuplicate, "\"" + std::string(name) + "\" has a token already", "name");
    }
  }
  std::string random(kTokenBytes, '\0');
  FL_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(random.data()), static_cast<int>(random.size())) == 1);
  std::string token = std::string(kTokenPrefix) + base64url(random);
  OPENSSL_cleanse(random.data(), random.size());

  std::string text;
  for (const Entry& e : existing->entries_) {
    text += to_hex(e.hash) + " " + std::string(role_name(e.owner.role)) + " " + e.owner.name + "\n";
  }
  text += to_hex(sha256(token)) + " " + std::string(role_name(role)) + " " + std::string(name) + "\n";
  FL_RETURN_IF_ERROR(replace_file(path, text, 0600));
  return token;
}

std::optional<TokenOwner> TokenStore::find(std::string_view token) const {
  const Hash presented = sha256(token);
  const Entry* found = nullptr;
  // Every entry compared, whatever matches.
  for (const Entry& e : entries_) {
    const bool same = CRYPTO_memcmp(presented.data(), e.hash.data(), presented.size()) == 0;
    if (same) found = &e;
  }
  if (found == nullptr) return std::nullopt;
  return found->owner;
}

}  // namespace fundledger::api
