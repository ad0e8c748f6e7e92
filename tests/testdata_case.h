#pragma once
// The text vectors of tests/testdata/witness and tests/testdata/cosignature:
// '#' lines (where the case came from), "key: value" lines, then sections
// "-- name --" each holding the exact text up to the next section.

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace fundledger::test {

struct TestdataCase {
  std::string name;  // the file's name without its extension
  std::map<std::string, std::string> values;
  std::map<std::string, std::string> sections;
  const std::string& at(const std::string& key) const {
    INFO(name << " has " << key);
    REQUIRE(values.count(key) == 1);
    return values.at(key);
  }
};

inline TestdataCase read_case(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream all;
  all << in.rdbuf();
  TestdataCase c;
  c.name = path.stem().string();
  std::string* section = nullptr;
  std::istringstream lines(all.str());
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("-- ") && line.ends_with(" --")) {
      section = &c.sections[line.substr(3, line.size() - 6)];
    } else if (section != nullptr) {
      *section += line + "\n";
    } else if (!line.empty() && line[0] != '#') {
      const auto colon = line.find(": ");
      REQUIRE(colon != std::string::npos);
      c.values[line.substr(0, colon)] = line.substr(colon + 2);
    }
  }
  return c;
}

// Every case of a folder of tests/testdata, in the order of their names.
inline std::vector<TestdataCase> read_cases(const std::string& folder) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(FUNDLEDGER_TESTDATA) / folder)) {
    if (entry.path().extension() == ".txt") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<TestdataCase> out;
  for (const auto& p : paths) out.push_back(read_case(p));
  return out;
}

}  // namespace fundledger::test
