// API tokens: shown once, kept only as hashes in a file of mode 0600, found
// by the token alone; and the self-signed certificate init makes.

#include <sys/stat.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include <catch2/catch.hpp>

#include "api/certificate.h"
#include "api/access.h"
#include "api/tokens.h"
#include "util/files.h"
#include "tests/temp_dir.h"

namespace fundledger::api {
namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TokenChange change_by(const std::string& by, Millis now, std::optional<int> expires_days = std::nullopt) {
  TokenChange c;
  c.by = by;
  c.now = now;
  c.expires_days = expires_days;
  return c;
}

mode_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

TEST_CASE("a token is shown once, kept as a hash, and names its owner", "[tokens]") {
  test::TempDir dir;
  const auto path = dir.path() / "tokens";
  Result<std::string> alice = TokenStore::add(path, "alice", Role::kManager);
  Result<std::string> board = TokenStore::add(path, "board-1", Role::kBoard);
  REQUIRE(alice.status().to_string() == "ok");
  REQUIRE(board.status().to_string() == "ok");
  CHECK(alice->size() == 46);  // "fl_" and 32 random bytes in base64url
  CHECK(alice->rfind("fl_", 0) == 0);
  CHECK(*alice != *board);
  CHECK(mode_of(path) == 0600);
  const std::string file = read_all(path);
  CHECK(file.find(*alice) == std::string::npos);
  CHECK(file.find(to_hex(sha256(*alice)) + " manager alice created=") == 0);

  Result<TokenStore> store = TokenStore::load(path);
  REQUIRE(store.status().to_string() == "ok");
  CHECK(store->size() == 2);
  const std::optional<TokenOwner> a = store->find(*alice);
  REQUIRE(a.has_value());
  CHECK(a->role == Role::kManager);
  CHECK(a->actor() == "manager:alice");
  CHECK(store->find(*board)->actor() == "board:board-1");
  std::string other = *alice;
  other.back() = other.back() == 'A' ? 'B' : 'A';
  CHECK_FALSE(store->find(other).has_value());
  CHECK_FALSE(store->find("").has_value());
  CHECK_FALSE(store->find(to_hex(sha256(*alice))).has_value());  // the hash is not the token

  CHECK(TokenStore::add(path, "alice", Role::kAuditor).status().code() == Code::kDuplicate);
  CHECK(TokenStore::add(path, "al ice", Role::kAuditor).status().code() == Code::kUsage);
  CHECK(TokenStore::add(path, "-alice", Role::kAuditor).status().code() == Code::kUsage);
  CHECK(TokenStore::add(path, std::string(65, 'a'), Role::kAuditor).status().code() == Code::kUsage);
}

TEST_CASE("a tokens file others may read, or one that is not tokens, is refused", "[tokens]") {
  test::TempDir dir;
  const auto path = dir.path() / "tokens";
  CHECK(TokenStore::load(path)->size() == 0);  // none yet
  REQUIRE(TokenStore::add(path, "alice", Role::kManager).status().to_string() == "ok");
  std::filesystem::permissions(path, std::filesystem::perms::group_read, std::filesystem::perm_options::add);
  CHECK(TokenStore::load(path).status().code() == Code::kStorageError);
  std::filesystem::permissions(path, std::filesystem::perms::group_read, std::filesystem::perm_options::remove);
  CHECK(TokenStore::load(path).status().to_string() == "ok");
  std::ofstream(path, std::ios::app) << "not a token line\n";
  const Status bad = TokenStore::load(path).status();
  CHECK(bad.code() == Code::kStoreCorrupt);
  CHECK(bad.message() == "line 2 of " + path.string() + " is not a token's hash, role, name and dates");
}

TEST_CASE("a token's line says when it was made, by whom, when it expires and when it was revoked", "[tokens]") {
  test::TempDir dir;
  const auto path = dir.path() / "tokens";
  const Millis made = *parse_timestamp("2026-12-01T09:00:00.000Z");
  const TokenChange change = change_by("manager:sam", made, 30);
  const Result<std::string> carol = TokenStore::add(path, "carol", Role::kBoard, change);
  REQUIRE(carol.status().to_string() == "ok");
  const std::string hash = to_hex(sha256(*carol));
  CHECK(read_all(path) == hash + " board carol created=2026-12-01T09:00:00.000Z expires=2026-12-31T09:00:00.000Z"
                                 " by=manager:sam\n");

  Result<TokenStore> store = TokenStore::load(path);
  REQUIRE(store.status().to_string() == "ok");
  const Millis day = 24LL * 60 * 60 * 1000;
  const TokenMatch in_force = store->find(*carol, made + 29 * day);
  CHECK(in_force.owner->actor() == "board:carol");
  CHECK(in_force.hash_prefix == hash.substr(0, 16));
  const TokenMatch late = store->find(*carol, made + 30 * day);
  CHECK_FALSE(late.owner.has_value());
  CHECK(late.refusal == "the token expired on 2026-12-31T09:00:00.000Z");
  CHECK(store->records().front().state(made + 30 * day) == "expired");
  CHECK(store->size(made + 30 * day) == 0);
  // An expired token keeps its name until it is revoked.
  CHECK(TokenStore::add(path, "carol", Role::kBoard, change).status().to_string() ==
        "duplicate: \"carol\" has a token already (active); revoke it first (name)");

  const Millis gone = made + day;
  const Result<TokenRecord> revoked = TokenStore::revoke(path, "carol", change_by("manager:sam", gone));
  REQUIRE(revoked.status().to_string() == "ok");
  CHECK(revoked->hash_prefix() == hash.substr(0, 16));
  CHECK(read_all(path) == hash + " board carol created=2026-12-01T09:00:00.000Z expires=2026-12-31T09:00:00.000Z"
                                 " by=manager:sam revoked=2026-12-02T09:00:00.000Z revoked_by=manager:sam\n");
  store = TokenStore::load(path);
  const TokenMatch after = store->find(*carol, gone + 1);
  CHECK_FALSE(after.owner.has_value());
  CHECK(after.refusal == "the token was revoked on 2026-12-02T09:00:00.000Z");
  CHECK(store->records().front().state(gone) == "revoked");
  CHECK(TokenStore::revoke(path, "carol").status().to_string() ==
        "not_found: no token of \"carol\" that is not revoked (name)");
  // The name is free again; the revoked line stays.
  const Result<std::string> again = TokenStore::add(path, "carol", Role::kAuditor, change);
  REQUIRE(again.status().to_string() == "ok");
  store = TokenStore::load(path);
  REQUIRE(store->records().size() == 2);
  CHECK(store->find(*again, gone).owner->actor() == "auditor:carol");
  CHECK_FALSE(store->find(*carol, gone).owner.has_value());
}

TEST_CASE("a tokens file of the first form loads, and a revocation keeps its form", "[tokens]") {
  test::TempDir dir;
  const auto path = dir.path() / "tokens";
  const std::string hash = to_hex(sha256("fl_old"));
  REQUIRE(replace_file(path, hash + " manager olga\n", 0600).to_string() == "ok");
  Result<TokenStore> store = TokenStore::load(path);
  REQUIRE(store.status().to_string() == "ok");
  CHECK(store->find("fl_old")->actor() == "manager:olga");
  CHECK_FALSE(store->records().front().created.has_value());
  const Millis now = *parse_timestamp("2026-12-02T10:00:00.000Z");
  REQUIRE(TokenStore::revoke(path, "olga", change_by("manager:sam", now)).status().to_string() == "ok");
  CHECK(read_all(path) == hash + " manager olga revoked=2026-12-02T10:00:00.000Z revoked_by=manager:sam\n");
  CHECK(TokenStore::load(path)->find("fl_old", now).refusal == "the token was revoked on 2026-12-02T10:00:00.000Z");
  // Half a revocation, or a second form missing its maker, is no token's line.
  for (const std::string& bad : std::vector<std::string>{hash + " manager olga revoked=2026-12-02T10:00:00.000Z\n",
                                hash + " manager olga created=2026-12-02T10:00:00.000Z expires=never\n",
                                hash + " manager olga expires=sometime\n"}) {
    INFO(bad);
    REQUIRE(replace_file(path, bad, 0600).to_string() == "ok");
    CHECK(TokenStore::load(path).status().code() == Code::kStoreCorrupt);
  }
}

TEST_CASE("each grant and revocation of the file is an access event, never the token", "[tokens]") {
  test::TempDir dir;
  const auto path = dir.path() / "tokens";
  const Millis made = *parse_timestamp("2026-12-01T09:00:00.000Z");
  const Result<std::string> dan =
      TokenStore::add(path, "dan", Role::kManager, change_by("manager:sam", made, 90));
  REQUIRE(TokenStore::add(path, "eve", Role::kAuditor, change_by("manager:sam", made)).status().to_string() == "ok");
  REQUIRE(TokenStore::revoke(path, "eve", change_by("manager:tom", made)).status().to_string() == "ok");
  const Result<TokenStore> store = TokenStore::load(path);
  const std::vector<AccessDraft> drafts = access_drafts(*store);
  REQUIRE(drafts.size() == 3);
  const std::string d = to_hex(sha256(*dan)).substr(0, 16);
  const std::string e = store->records()[1].hash_prefix();
  CHECK(drafts[0].draft.id == "access-granted-dan-" + d);
  CHECK(drafts[0].draft.data_bytes == R"({"expires_on":"2027-03-01","name":"dan","role":"manager","token":")" + d + "\"}");
  CHECK(drafts[0].actor == "manager:sam");
  CHECK(drafts[1].draft.id == "access-granted-eve-" + e);
  CHECK(drafts[1].draft.data_bytes == R"({"name":"eve","role":"auditor","token":")" + e + "\"}");
  CHECK(drafts[2].draft.id == "access-revoked-eve-" + e);
  CHECK(drafts[2].draft.type == EventType::kAccessRevoked);
  CHECK(drafts[2].actor == "manager:tom");
  for (const AccessDraft& a : drafts) CHECK(a.draft.data_bytes.find(*dan) == std::string::npos);
}

TEST_CASE("init's certificate is for localhost, self-signed, with its key kept private", "[tokens]") {
  test::TempDir dir;
  const auto cert_path = dir.path() / "tls.crt";
  const auto key_path = dir.path() / "tls.key";
  REQUIRE(write_self_signed_certificate(cert_path, key_path).to_string() == "ok");
  CHECK(mode_of(key_path) == 0600);
  std::FILE* f = std::fopen(cert_path.c_str(), "r");
  REQUIRE(f != nullptr);
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  REQUIRE(cert != nullptr);
  f = std::fopen(key_path.c_str(), "r");
  EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  REQUIRE(key != nullptr);
  CHECK(X509_check_private_key(cert, key) == 1);
  CHECK(X509_verify(cert, key) == 1);  // self-signed
  CHECK(X509_check_host(cert, "localhost", 0, 0, nullptr) == 1);
  CHECK(X509_check_ip_asc(cert, "127.0.0.1", 0) == 1);
  CHECK(X509_check_ip_asc(cert, "::1", 0) == 1);
  CHECK(X509_check_host(cert, "example.org", 0, 0, nullptr) == 0);
  int days = 0, seconds = 0;
  REQUIRE(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert), X509_get0_notAfter(cert)) == 1);
  CHECK(days == 366);  // the most Mozilla's guidelines allow
  CHECK(seconds == 0);
  EVP_PKEY_free(key);
  X509_free(cert);
  // Never over a key that exists.
  CHECK(write_self_signed_certificate(dir.path() / "other.crt", key_path).to_string() ==
        "storage_error: cannot create " + key_path.string() + ": File exists");
}

}  // namespace
}  // namespace fundledger::api
