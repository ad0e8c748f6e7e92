#pragma once
// A check that failed: what `verify` finds in a stored log and `audit` in a
// bundle, the same for both. `check` is a code of util/error_codes.h
// (leaf_hash_mismatch, checkpoint_root, history, ...).

#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "util/error_codes.h"

namespace fundledger {

struct Failure {
  Failure() = default;
  // Written out for compilers without C++20's parenthesised aggregate
  // initialisation (clang 14, which builds the fuzz targets).
  Failure(std::uint64_t seq_, Code check_, std::string message_, std::string expected_ = {}, std::string found_ = {})
      : seq(seq_), check(check_), message(std::move(message_)), expected(std::move(expected_)), found(std::move(found_)) {}

  std::uint64_t seq = 0;  // the first seq that is wrong (first_bad_seq); 0 when no one seq is
  Code check = Code::kOk;
  std::string message;
  std::string expected = {};  // what the record (or the signed checkpoint) says, when it says
  std::string found = {};     // what the stored bytes (or the events) give
};

// {"ok":false,"first_bad_seq"?,"check","message","expected"?,"found"?}: as
// verify and audit print it. first_bad_seq, expected and found are left
// out when they name nothing.
nlohmann::ordered_json failure_json(const Failure& f);

}  // namespace fundledger
