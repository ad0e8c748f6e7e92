// API tokens: shown once, kept only as hashes in a file of mode 0600, found
// by the token alone; and the self-signed certificate init makes.

#include <sys/stat.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "api/certificate.h"
#include "api/tokens.h"
#include "tests/temp_dir.h"

namespace fundledger::api {
namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
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
  CHECK(file.find(to_hex(sha256(*alice)) + " manager alice\n") == 0);

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
  CHECK(bad.message() == "line 2 of " + path.string() + " is not a token's hash, role and name");
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
