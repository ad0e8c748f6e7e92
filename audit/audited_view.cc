#include "audit/audited_view.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "util/canonical.h"
#include "util/check.h"

namespace fundledger {
namespace {

bool is_hash_hex(const nlohmann::json& value) {
  if (!value.is_string()) return false;
  const std::string& s = value.get_ref<const std::string&>();
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The shape of a date, YYYY-MM-DD (the day's existence is the signer's
// business: the signature covers it).
bool is_date_text(const nlohmann::json& value) {
  if (!value.is_string()) return false;
  const std::string& s = value.get_ref<const std::string&>();
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace

nlohmann::json log_head_json(const LogHead& head) {
  return nlohmann::json{{"chain_hash", to_hex(head.chain)},
                        {"root_hash", to_hex(head.root)},
                        {"tree_size", head.tree_size}};
}

nlohmann::json unsigned_view(const LogHead& head, nlohmann::json view) {
  nlohmann::json out = nlohmann::json::object();
  out["as_of"] = log_head_json(head);
  out["view"] = std::move(view);
  return out;
}

nlohmann::json audited_view(const LogHead& head, nlohmann::json view, const NoteSigner& signer) {
  return sign_view(unsigned_view(head, std::move(view)), signer);
}

nlohmann::json sign_view(nlohmann::json out, const NoteSigner& signer) {
  FL_CHECK(out.is_object() && out.size() == 2 && out.contains("as_of") && out.contains("view"));
  const Ed25519Signature signature = signer.signature(canonical_json(out));
  out["signature"] = base64_encode(std::string_view(reinterpret_cast<const char*>(signature.data()), signature.size()));
  return out;
}

Status check_audited_view(const nlohmann::json& audited, const NoteVerifier& verifier) {
  const auto malformed = [](std::string what) { return Status::error(Code::kViewMalformed, std::move(what)); };
  if (!audited.is_object() || audited.size() != 3 || !audited.contains("as_of") ||
      !audited.contains("signature") || !audited.contains("view")) {
    return malformed("an audited view holds exactly as_of, signature and view");
  }
  const nlohmann::json& as_of = audited["as_of"];
  const bool dated = as_of.is_object() && as_of.contains("date");
  if (dated && !is_date_text(as_of["date"])) return malformed("as_of's date is not YYYY-MM-DD");
  if (!as_of.is_object() || as_of.size() != (dated ? 4u : 3u) || !as_of.contains("tree_size") ||
      !as_of["tree_size"].is_number_integer() ||
      as_of["tree_size"].get<std::int64_t>() < 0 || !as_of.contains("root_hash") || !is_hash_hex(as_of["root_hash"]) ||
      !as_of.contains("chain_hash") || !is_hash_hex(as_of["chain_hash"])) {
    return malformed("as_of holds exactly chain_hash and root_hash (lower-case hex), tree_size and, for a view as "
                     "of a day, date");
  }
  if (!audited["signature"].is_string()) return malformed("the signature is not a string");
  const std::optional<std::string> signature = base64_decode(audited["signature"].get_ref<const std::string&>());
  if (!signature || signature->size() != 64) return malformed("the signature is not base64 of 64 bytes");
  Ed25519Signature bytes{};
  std::copy(signature->begin(), signature->end(), bytes.begin());
  nlohmann::json covered = nlohmann::json::object();
  covered["as_of"] = as_of;
  covered["view"] = audited["view"];
  if (!verifier.verifies(canonical_json(covered), bytes)) {
    return Status::error(Code::kViewSignatureInvalid, "the signature does not verify with " + verifier.name() + "'s key");
  }
  return Status::ok();
}

}  // namespace fundledger
