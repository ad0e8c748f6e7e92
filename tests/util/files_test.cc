// Files written beside the database: whole or absent, never half written,
// and the owner's alone when they hold a secret.

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/temp_dir.h"
#include "util/files.h"

namespace fundledger {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_CASE("write_new_file makes a file whole or not at all, and never over another", "[files]") {
  test::TempDir dir;
  const fs::path key = dir.path() / "verifier.key";
  // A leftover of a run that a crash stopped, under the temporary name.
  { std::ofstream(key.string() + ".partial") << "half"; }
  REQUIRE(write_new_file(key, "first\n", 0600).to_string() == "ok");
  CHECK(read_all(key) == "first\n");
  CHECK(fs::status(key).permissions() == (fs::perms::owner_read | fs::perms::owner_write));
  CHECK_FALSE(fs::exists(key.string() + ".partial"));
  // An existing file is refused and left as it was.
  CHECK(write_new_file(key, "second\n").to_string() == "storage_error: cannot create " + key.string() + ": File exists");
  CHECK(read_all(key) == "first\n");
  CHECK_FALSE(fs::exists(key.string() + ".partial"));
  // replace_file writes over it, the same way.
  REQUIRE(replace_file(key, "third\n", 0600).to_string() == "ok");
  CHECK(read_all(key) == "third\n");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++files;
  CHECK(files == 1);
  // A directory that is not there cannot take a file.
  const fs::path nowhere = dir.path() / "absent" / "f";
  CHECK(write_new_file(nowhere, "x").to_string() ==
        "storage_error: cannot create " + nowhere.string() + ": No such file or directory");
  CHECK(sync_directory(dir.path() / "absent").to_string() ==
        "storage_error: cannot open the directory " + (dir.path() / "absent").string() + ": No such file or directory");
}

TEST_CASE("check_private refuses a file that others may read", "[files]") {
  test::TempDir dir;
  const fs::path tokens = dir.path() / "tokens";
  CHECK(check_private(tokens).to_string() == "ok");  // absent
  REQUIRE(write_new_file(tokens, "t\n", 0600).to_string() == "ok");
  CHECK(check_private(tokens).to_string() == "ok");
  fs::permissions(tokens, fs::perms::group_read, fs::perm_options::add);
  CHECK(check_private(tokens).to_string() ==
        "storage_error: " + tokens.string() + " may be read by others than its owner (mode 0640); chmod 600 it");
}

}  // namespace
}  // namespace fundledger
