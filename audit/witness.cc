#include "audit/witness.h"

#include <algorithm>
#include <charconv>

#include "audit/policy.h"
#include "audit/proof.h"

namespace fundledger {
namespace {

WitnessAnswer answer(int status, std::string body, std::string_view content_type = "text/plain; charset=utf-8") {
  WitnessAnswer out;
  out.status = status;
  out.body = std::move(body);
  out.content_type = std::string(content_type);
  return out;
}
WitnessAnswer refuse(int status, const std::string& message) { return answer(status, message + "\n"); }

// A decimal without leading zeros but "0".
std::optional<std::uint64_t> decimal(std::string_view text) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || (text.size() > 1 && text[0] == '0')) {
    return std::nullopt;
  }
  return v;
}

std::string hash_base64(const Hash& h) {
  return base64_encode(std::string_view(reinterpret_cast<const char*>(h.data()), h.size()));
}

}  // namespace

Result<std::vector<WitnessedLog>> parse_witnessed_logs(std::string_view text) {
  std::vector<WitnessedLog> logs;
  FL_RETURN_IF_ERROR(for_each_policy_line(text, Code::kUsage, "the logs file", [&](const auto& f) -> std::optional<std::string> {
    if (f[0] != "log" || f.size() < 2 || f.size() > 3) return "a line is \"log <verifier key> [<URL>]\"";
    std::optional<NoteVerifier> key = NoteVerifier::parse(f[1]);
    if (!key) return "\"" + std::string(f[1]) + "\" is not an Ed25519 verifier key";
    auto same = std::find_if(logs.begin(), logs.end(), [&](const WitnessedLog& l) { return l.origin == key->name(); });
    if (same == logs.end()) same = logs.insert(logs.end(), WitnessedLog{key->name(), {}});
    same->keys.push_back(std::move(*key));
    return std::nullopt;
  }));
  return logs;
}

Result<AddCheckpoint> parse_add_checkpoint(std::string_view body) {
  const auto bad = [](std::string what) { return Status::error(Code::kBadRequest, std::move(what)); };
  AddCheckpoint out;
  std::size_t end = body.find('\n');
  if (end == std::string_view::npos || !body.starts_with("old ")) return bad("the body starts with \"old <size>\"");
  const std::optional<std::uint64_t> old = decimal(body.substr(4, end - 4));
  if (!old) return bad("the old size is not a decimal number without leading zeros");
  out.old_size = *old;
  body.remove_prefix(end + 1);
  while (true) {
    end = body.find('\n');
    if (end == std::string_view::npos) return bad("the proof lines end with an empty line");
    const std::string_view line = body.substr(0, end);
    body.remove_prefix(end + 1);
    if (line.empty()) break;
    if (out.proof.size() == kWitnessProofLinesMax) {
      return bad("a consistency proof has at most " + std::to_string(kWitnessProofLinesMax) + " hashes");
    }
    const std::optional<std::string> hash = base64_decode(line);
    if (!hash || hash->size() != 32) return bad("a proof line is not the base64 of 32 bytes");
    Hash h{};
    std::copy(hash->begin(), hash->end(), h.begin());
    out.proof.push_back(h);
  }
  out.note = std::string(body);
  return out;
}

std::string add_checkpoint_body(std::uint64_t old_size, const std::vector<Hash>& proof, std::string_view note) {
  std::string out = "old " + std::to_string(old_size) + "\n";
  for (const Hash& h : proof) out += hash_base64(h) + "\n";
  out += "\n";
  out += note;
  return out;
}

std::optional<Submitted> submitted(std::string_view body, const std::vector<WitnessedLog>& logs,
                                   WitnessAnswer& refusal) {
  Result<AddCheckpoint> request = parse_add_checkpoint(body);
  if (!request) {
    refusal = refuse(400, request.status().message());
    return std::nullopt;
  }
  Result<SplitNote> note = split_note(request->note);
  Result<Checkpoint> checkpoint = note ? parse_checkpoint(note->body) : Result<Checkpoint>(note.status());
  if (!checkpoint) {
    refusal = refuse(400, "not a signed checkpoint: " + checkpoint.status().message());
    return std::nullopt;
  }
  const auto log = std::find_if(logs.begin(), logs.end(), [&](const WitnessedLog& l) { return l.origin == checkpoint->origin; });
  if (log == logs.end()) {
    refusal = refuse(404, "unknown log origin");
    return std::nullopt;
  }
  const bool signed_by_log = std::any_of(log->keys.begin(), log->keys.end(),
                                         [&](const NoteVerifier& key) { return key.check(request->note).is_ok(); });
  if (!signed_by_log) {
    refusal = refuse(403, "no valid signature by the log's key");
    return std::nullopt;
  }
  return Submitted{std::move(*request), std::move(*checkpoint), std::move(note->body)};
}

WitnessAnswer witness_answer(const Submitted& s, const std::optional<WitnessedHead>& held, const Cosigner& cosigner,
                             std::uint64_t time) {
  const std::uint64_t size = s.checkpoint.size;
  const std::uint64_t held_size = held ? held->size : 0;
  if (s.request.old_size > size) return refuse(400, "the old size is larger than the checkpoint's");
  if (s.request.old_size != held_size) {
    return answer(409, std::to_string(held_size) + "\n", kTlogSizeType);
  }
  if (held && held->size == size && held->root != s.checkpoint.root) {
    return refuse(422, "size " + std::to_string(size) + " was cosigned with another root");
  }
  // Without a head held, the empty tree is a prefix of every tree.
  const Hash& first_root = held ? held->root : s.checkpoint.root;
  if (const Status proof = check_consistency(held_size, size, first_root, s.checkpoint.root, s.request.proof); !proof) {
    return refuse(422, "the consistency proof does not verify: " + proof.message());
  }
  WitnessAnswer out = answer(200, cosigner.cosign(s.text, time));
  out.origin = s.checkpoint.origin;
  out.keep = WitnessedHead{size, s.checkpoint.root};
  return out;
}

}  // namespace fundledger
