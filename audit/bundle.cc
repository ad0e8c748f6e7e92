#include "audit/bundle.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "audit/merkle.h"
#include "util/json.h"

namespace fundledger {
namespace {

constexpr std::uint64_t kProgressEvery = 1 << 16;
// Events go to the caller's hook in runs of this many.
constexpr std::size_t kHookEvents = 2048;

// A small file read whole; nullopt when it cannot be read.
std::optional<std::string> read_small_file(const std::filesystem::path& path) {
  constexpr std::uintmax_t kMax = 1 << 20;
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || size > kMax) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  if (!in && !in.eof()) return std::nullopt;
  return std::move(s).str();
}

// A file mapped read-only into memory, for one pass from start to end.
class MappedFile {
 public:
  // Sets `error` when the file cannot be opened or mapped.
  MappedFile(const std::filesystem::path& path, std::string& error) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error = std::strerror(errno);
      return;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      error = "not a regular file";
      ::close(fd);
      return;
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        error = std::strerror(errno);
        size_ = 0;
      } else {
        data_ = static_cast<const char*>(p);
        ::madvise(p, size_, MADV_SEQUENTIAL);
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {data_ == nullptr ? "" : data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

// The one line of a verifier.key file, without its newline.
std::string_view key_line(std::string_view text) {
  if (text.ends_with('\n')) text.remove_suffix(1);
  return text;
}

// Reads and checks a signed checkpoint note with `verifier`.
std::string read_checkpoint_note(std::string_view note, const NoteVerifier& verifier, Checkpoint& out) {
  std::string text;
  if (std::string bad = verifier.check(note, text); !bad.empty()) return bad;
  if (std::string bad = parse_checkpoint(text, out); !bad.empty()) return bad;
  if (out.origin != verifier.name()) {
    return "the checkpoint is of the log " + out.origin + ", not of " + verifier.name();
  }
  return "";
}

}  // namespace

std::optional<Failure> read_earlier_checkpoint(const std::filesystem::path& path, const NoteVerifier& verifier,
                                                    EarlierCheckpoint& out) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    BundleOptions options;
    options.keep_leaves = true;
    BundleReport earlier = check_bundle(path, options);
    if (!earlier.ok()) {
      Failure f = std::move(*earlier.failure);
      f.message = "the earlier bundle " + path.string() + " does not verify: " + f.message;
      f.check = Code::kEarlierCheckpoint;
      return f;
    }
    const std::optional<NoteVerifier> its_key = NoteVerifier::parse(earlier.verifier_key);
    if (!its_key || its_key->name() != verifier.name() || its_key->public_key() != verifier.public_key()) {
      return Failure(0, Code::kEarlierCheckpoint, "the earlier bundle " + path.string() + " is signed by another key",
                     verifier.name(), earlier.verifier_key);
    }
    out.checkpoint = earlier.checkpoint;
    out.leaves = std::move(earlier.leaves);
    return std::nullopt;
  }
  const std::optional<std::string> note = read_small_file(path);
  if (!note) return Failure(0, Code::kEarlierCheckpoint, "cannot read the earlier checkpoint " + path.string());
  out.leaves.clear();
  if (const std::string bad = read_checkpoint_note(*note, verifier, out.checkpoint); !bad.empty()) {
    return Failure(0, Code::kEarlierCheckpoint, "the earlier checkpoint " + path.string() + " does not verify: " + bad);
  }
  return std::nullopt;
}

std::optional<Failure> check_extends(const EarlierCheckpoint& earlier, std::uint64_t size,
                                          const std::function<Hash()>& root_then,
                                          const std::function<Hash(std::uint64_t)>& leaf_at) {
  const std::uint64_t then = earlier.checkpoint.size;
  if (!earlier.leaves.empty()) {
    // Where the two logs part, when they do within what both hold.
    const std::uint64_t common = std::min(size, then);
    for (std::uint64_t seq = 1; seq <= common; ++seq) {
      const Hash now = leaf_at(seq);
      if (now != earlier.leaves[seq - 1]) {
        return Failure(seq, Code::kHistory,
                       "event " + std::to_string(seq) + " is not the event the earlier bundle holds at that seq",
                       to_hex(earlier.leaves[seq - 1]), to_hex(now));
      }
    }
  }
  if (size < then) {
    return Failure(size + 1, Code::kCheckpointSize,
                   "the log holds " + std::to_string(size) + " events, fewer than the " + std::to_string(then) +
                       " of the earlier checkpoint: it shrank",
                   std::to_string(then), std::to_string(size));
  }
  const Hash root = root_then();
  if (root != earlier.checkpoint.root) {
    return Failure(0, Code::kCheckpointRoot,
                   "the log's first " + std::to_string(then) +
                       " events are not those of the earlier checkpoint: their root differs (an earlier bundle, "
                       "not a checkpoint alone, names the first event that changed)",
                   to_hex(earlier.checkpoint.root), to_hex(root));
  }
  return std::nullopt;
}

BundleReport check_bundle(const std::filesystem::path& dir, const BundleOptions& options) {
  BundleReport report;
  auto fail = [&report](Failure f) {
    report.failure = std::move(f);
    return std::move(report);
  };

  // The key, the only thing trusted.
  const std::optional<std::string> key_file = read_small_file(dir / kBundleVerifierKey);
  if (!key_file) return fail(Failure(0, Code::kBundleFile, "cannot read " + (dir / kBundleVerifierKey).string()));
  report.verifier_key = std::string(key_line(*key_file));
  if (!options.trusted_key.empty() && report.verifier_key != options.trusted_key) {
    return fail(Failure(0, Code::kVerifierKey, "the bundle's verifier key is not the one trusted", options.trusted_key,
                        report.verifier_key));
  }
  const std::optional<NoteVerifier> verifier = NoteVerifier::parse(report.verifier_key);
  if (!verifier) return fail(Failure(0, Code::kVerifierKey, "verifier.key does not hold a verifier key"));

  // The checkpoint, signed by it.
  const std::optional<std::string> note = read_small_file(dir / kBundleCheckpoint);
  if (!note) return fail(Failure(0, Code::kBundleFile, "cannot read " + (dir / kBundleCheckpoint).string()));
  {
    std::string text;
    if (std::string bad = verifier->check(*note, text); !bad.empty()) {
      return fail(Failure(0, Code::kCheckpointSignature, bad));
    }
    if (std::string bad = parse_checkpoint(text, report.checkpoint); !bad.empty()) {
      return fail(Failure(0, Code::kCheckpointText, bad));
    }
    if (report.checkpoint.origin != verifier->name()) {
      return fail(Failure(0, Code::kCheckpointText, "the checkpoint is of another log than the key's",
                          verifier->name(), report.checkpoint.origin));
    }
  }
  const std::uint64_t signed_size = report.checkpoint.size;

  // Every event.
  std::string map_error;
  const MappedFile events(dir / kBundleEvents, map_error);
  if (!map_error.empty()) {
    return fail(Failure(0, Code::kBundleFile, "cannot read " + (dir / kBundleEvents).string() + ": " + map_error));
  }
  const EarlierCheckpoint* earlier = options.earlier;
  const bool compare_leaves = earlier != nullptr && !earlier->leaves.empty();
  const std::uint64_t earlier_size = earlier != nullptr ? earlier->checkpoint.size : 0;
  std::optional<Hash> root_then;
  if (earlier != nullptr && earlier_size == 0) root_then = empty_root();
  std::vector<Hash> prefix_leaves;  // up to the earlier size, to compare

  if (options.keep_leaves) report.leaves.reserve(signed_size);
  // The events checked and not yet given to the caller's hook.
  std::uint64_t pending_first = 1;
  std::vector<std::string_view> pending;
  auto flush = [&]() -> std::optional<Failure> {
    std::optional<Failure> f;
    if (options.on_event && !pending.empty()) f = options.on_event(pending_first, pending);
    pending_first += pending.size();
    pending.clear();
    return f;
  };
  // A failure of the lines, unless the hook refuses an event before it,
  // which is then the first failure.
  auto fail_at = [&](Failure f) {
    if (std::optional<Failure> earlier_failure = flush()) return fail(std::move(*earlier_failure));
    return fail(std::move(f));
  };
  RootBuilder tree;
  std::vector<TopLevelScalar> top;
  std::string_view rest = events.bytes();
  std::uint64_t seq = 0;
  while (!rest.empty()) {
    ++seq;
    const std::size_t end = rest.find('\n');
    if (end == std::string_view::npos) {
      return fail_at(Failure(seq, Code::kLine, "the last line of events.jsonl does not end with a newline"));
    }
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    if (seq > signed_size) {
      return fail_at(Failure(seq, Code::kTreeSize,
                          "events.jsonl holds more events than the " + std::to_string(signed_size) +
                              " its checkpoint signs",
                          std::to_string(signed_size), "more"));
    }
    if (line.empty()) return fail_at(Failure(seq, Code::kLine, "line " + std::to_string(seq) + " is empty"));
    const Status canonical = check_canonical(line, JsonLimits{}, &top);
    if (!canonical) {
      return fail_at(Failure(seq, Code::kNotCanonical,
                          "line " + std::to_string(seq) + " is not an event's canonical bytes: " + canonical.to_string()));
    }
    const TopLevelScalar* seq_member = nullptr;
    for (const TopLevelScalar& m : top) {
      if (m.key == "seq") seq_member = &m;
    }
    if (seq_member == nullptr || !seq_member->is_integer ||
        seq_member->integer != static_cast<std::int64_t>(seq)) {
      return fail_at(Failure(seq, Code::kSeq, "line " + std::to_string(seq) + " does not hold seq " + std::to_string(seq),
                          std::to_string(seq),
                          seq_member == nullptr         ? "none"
                          : seq_member->is_integer ? std::to_string(seq_member->integer)
                                                   : seq_member->text));
    }
    const Hash leaf = leaf_hash(line);
    report.chain = chain_hash(report.chain, leaf);
    tree.add_leaf(leaf);
    report.events = seq;
    if (options.keep_leaves) report.leaves.push_back(leaf);
    if (compare_leaves && seq <= earlier_size) prefix_leaves.push_back(leaf);
    if (earlier != nullptr && seq == earlier_size) root_then = tree.root();
    if (options.on_event) {
      pending.push_back(line);
      if (pending.size() == kHookEvents) {
        if (std::optional<Failure> f = flush()) return fail(std::move(*f));
      }
    }
    if (options.on_progress && seq % kProgressEvery == 0) options.on_progress(seq, signed_size);
  }
  if (std::optional<Failure> f = flush()) return fail(std::move(*f));
  report.root = tree.root();
  if (report.events < signed_size) {
    return fail_at(Failure(report.events + 1, Code::kTreeSize,
                        "events.jsonl holds " + std::to_string(report.events) + " events, its checkpoint signs " +
                            std::to_string(signed_size),
                        std::to_string(signed_size), std::to_string(report.events)));
  }
  if (report.root != report.checkpoint.root) {
    return fail_at(Failure(0, Code::kRootHash, "the events do not give the root their checkpoint signs",
                        to_hex(report.checkpoint.root), to_hex(report.root)));
  }
  if (earlier != nullptr) {
    std::optional<Failure> f = check_extends(
        *earlier, report.events, [&root_then] { return *root_then; },
        [&prefix_leaves](std::uint64_t s) { return prefix_leaves[s - 1]; });
    if (f) return fail(std::move(*f));
  }
  return report;
}

}  // namespace fundledger
