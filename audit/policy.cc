#include "audit/policy.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>

namespace fundledger {
namespace {

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < line.size()) {
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
    std::size_t end = at;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    if (end > at) out.push_back(line.substr(at, end - at));
    at = end;
  }
  return out;
}

// One line of a policy, into `policy`; the error's words when it is wrong.
std::optional<std::string> add_line(Policy& policy, const std::vector<std::string_view>& f, bool& quorum_seen) {
  const auto defined = [&](std::string_view name) {
    return name == "none" ||
           std::any_of(policy.witnesses.begin(), policy.witnesses.end(), [&](const auto& w) { return w.name == name; }) ||
           std::any_of(policy.groups.begin(), policy.groups.end(), [&](const auto& g) { return g.name == name; });
  };
  const std::string_view kind = f[0];
  if (kind == "log" && (f.size() == 2 || f.size() == 3)) {
    std::optional<NoteVerifier> key = NoteVerifier::parse(f[1]);
    if (!key) return "\"" + std::string(f[1]) + "\" is not a log's Ed25519 verifier key";
    for (const NoteVerifier& other : policy.logs) {
      if (other.public_key() == key->public_key()) return std::string("a log's key is named twice");
    }
    policy.logs.push_back(std::move(*key));
  } else if (kind == "witness" && (f.size() == 3 || f.size() == 4)) {
    if (defined(f[1])) return "\"" + std::string(f[1]) + "\" is defined twice";
    std::optional<CosignatureVerifier> key = CosignatureVerifier::parse(f[2]);
    if (!key) return "\"" + std::string(f[2]) + "\" is not a cosigner's verifier key (type 0x04)";
    for (const Policy::Witness& other : policy.witnesses) {
      if (other.key.public_key() == key->public_key()) return std::string("a witness's key is named twice");
    }
    policy.witnesses.push_back({std::string(f[1]), std::move(*key)});
  } else if (kind == "group" && f.size() >= 4) {
    if (defined(f[1])) return "\"" + std::string(f[1]) + "\" is defined twice";
    Policy::Group g{std::string(f[1]), 0, {}};
    for (std::size_t i = 3; i < f.size(); ++i) {
      if (f[i] == "none" || !defined(f[i])) return "\"" + std::string(f[i]) + "\" is not defined above";
      if (std::find(g.members.begin(), g.members.end(), f[i]) != g.members.end()) {
        return "\"" + std::string(f[i]) + "\" is named twice in a group";
      }
      g.members.emplace_back(f[i]);
    }
    const std::string_view k = f[2];
    if (k == "all") {
      g.threshold = g.members.size();
    } else if (k == "any") {
      g.threshold = 1;
    } else {
      const auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), g.threshold);
      if (ec != std::errc() || end != k.data() + k.size() || k[0] == '0' || g.threshold < 1 ||
          g.threshold > g.members.size()) {
        return "a group's threshold is all, any or a number from 1 to its members' count";
      }
    }
    policy.groups.push_back(std::move(g));
  } else if (kind == "quorum" && f.size() == 2) {
    if (quorum_seen) return std::string("a policy has one quorum line");
    if (!defined(f[1])) return "\"" + std::string(f[1]) + "\" is not defined above";
    quorum_seen = true;
    policy.quorum = std::string(f[1]);
  } else {
    return "\"" + std::string(kind) + "\" with " + std::to_string(f.size() - 1) + " fields is not a policy line";
  }
  return std::nullopt;
}

}  // namespace

Status for_each_policy_line(std::string_view text, Code code, std::string_view file, const PolicyLine& line) {
  std::size_t number = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::vector<std::string_view> fields = fields_of(text.substr(at, end - at));
    at = end + 1;
    ++number;
    if (fields.empty() || fields[0].starts_with("#")) continue;
    if (const std::optional<std::string> wrong = line(fields)) {
      return Status::error(code, "line " + std::to_string(number) + " of " + std::string(file) + ": " + *wrong);
    }
  }
  return Status::ok();
}

Result<Policy> parse_policy(std::string_view text) {
  Policy policy;
  bool quorum_seen = false;
  FL_RETURN_IF_ERROR(for_each_policy_line(text, Code::kPolicy, "the policy", [&](const auto& fields) {
    return add_line(policy, fields, quorum_seen);
  }));
  if (policy.logs.empty()) return Status::error(Code::kPolicy, "the policy names no log");
  if (!quorum_seen) return Status::error(Code::kPolicy, "the policy has no quorum line");
  return policy;
}

QuorumReport check_quorum(const Policy& policy, const SplitNote& note) {
  QuorumReport report;
  std::map<std::string, bool> met;  // by witness and group
  for (const Policy::Witness& w : policy.witnesses) {
    const CosignatureCheck c = w.key.check(note);
    met[w.name] = c.outcome == Cosigned::kValid;
    if (c.outcome == Cosigned::kValid) report.signed_by.push_back({w.name, c.time});
    if (c.outcome == Cosigned::kAbsent) report.missing.push_back(w.name);
    if (c.outcome == Cosigned::kInvalid) report.bad.push_back(w.name);
  }
  for (const Policy::Group& g : policy.groups) {
    const auto count = static_cast<std::size_t>(
        std::count_if(g.members.begin(), g.members.end(), [&](const std::string& m) { return met[m]; }));
    met[g.name] = count >= g.threshold;
  }
  report.met = policy.quorum == "none" || met[policy.quorum];
  return report;
}

Result<Checkpoint> read_policy_checkpoint(std::string_view note, const Policy& policy, QuorumReport& report) {
  Result<SplitNote> split = split_note(note);
  if (!split) return split.status();
  Result<Checkpoint> origin = parse_checkpoint(split->body);
  if (!origin) return origin.status();
  const auto log = std::find_if(policy.logs.begin(), policy.logs.end(),
                                [&](const NoteVerifier& key) { return key.name() == origin->origin; });
  if (log == policy.logs.end()) {
    return Status::error(Code::kPolicy, "the policy names no log of origin " + origin->origin);
  }
  Result<Checkpoint> checkpoint = read_checkpoint_note(note, *log);
  if (!checkpoint) return checkpoint.status();
  report = check_quorum(policy, *split);
  if (!report.met) {
    return Status::error(Code::kQuorum, "the checkpoint of size " + std::to_string(checkpoint->size) +
                                            " does not meet the quorum " + policy.quorum + ": " +
                                            quorum_summary(report));
  }
  return checkpoint;
}

std::string quorum_summary(const QuorumReport& report) {
  const auto names = [](const std::vector<std::string>& list) {
    std::string out;
    for (const std::string& n : list) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  std::vector<std::string> signed_names;
  for (const QuorumReport::Signed& s : report.signed_by) signed_names.push_back(s.name);
  std::string out = "signed by " + (signed_names.empty() ? std::string("none") : names(signed_names));
  if (!report.missing.empty()) out += "; not signed by " + names(report.missing);
  if (!report.bad.empty()) out += "; bad signature by " + names(report.bad);
  return out;
}

}  // namespace fundledger
