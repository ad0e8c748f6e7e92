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

constexpr std::uint64_t kProgressEvents = 1 << 16;
// Events go to the caller's hook in runs of this many.
constexpr std::size_t kHookEvents = 2048;

// A small file read whole; nullopt when it cannot be read.
std::optional<std::string> read_small_file(const std::filesystem::path& path) {
  constexpr std::uintmax_t kFileBytesMax = 1 << 20;
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || size > kFileBytesMax) return std::nullopt;
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

}  // namespace

Result<EarlierCheckpoint> read_earlier_checkpoint(const std::filesystem::path& path, const NoteVerifier& verifier) {
  const auto unusable = [&path](const std::string& why) {
    return Status::error(Code::kEarlierCheckpoint, "the earlier checkpoint " + path.string() + " " + why);
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    BundleOptions options;
    options.keep_leaves = true;
    BundleReport earlier = check_bundle(path, options);
    if (!earlier.ok()) {
      const Failure& f = *earlier.failure;
      return unusable("is a bundle that does not verify: " + std::string(code_name(f.check)) +
                      (f.seq != 0 ? " at seq " + std::to_string(f.seq) : "") + ": " + f.message);
    }
    const std::optional<NoteVerifier> its_key = NoteVerifier::parse(earlier.verifier_key);
    if (!its_key || its_key->name() != verifier.name() || its_key->public_key() != verifier.public_key()) {
      return unusable("is a bundle signed by another key: " + earlier.verifier_key + ", not " + verifier.name());
    }
    return EarlierCheckpoint{std::move(earlier.checkpoint), std::move(earlier.leaves)};
  }
  const std::optional<std::string> note = read_small_file(path);
  if (!note) return unusable("cannot be read");
  Result<Checkpoint> checkpoint = read_checkpoint_note(*note, verifier);
  if (!checkpoint) return unusable("does not verify: " + checkpoint.status().message());
  return EarlierCheckpoint{std::move(*checkpoint), {}};
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

namespace {

// One check of a bundle: the key, the checkpoint it signs, then every line
// of events.jsonl, stopping at the first failure.
class BundleCheck {
 public:
  BundleCheck(const std::filesystem::path& dir, const BundleOptions& options)
      : dir_(dir), options_(options), earlier_(options.earlier) {}

  BundleReport run() {
    if (std::optional<Failure> f = read_key()) return failed(std::move(*f));
    if (std::optional<Failure> f = read_checkpoint()) return failed(std::move(*f));
    std::string map_error;
    const MappedFile events(dir_ / kBundleEvents, map_error);
    if (!map_error.empty()) {
      return failed(Failure(0, Code::kBundleFile, "cannot read " + (dir_ / kBundleEvents).string() + ": " + map_error));
    }
    if (std::optional<Failure> f = check_lines(events.bytes())) return failed(std::move(*f));
    if (std::optional<Failure> f = check_whole()) return failed(std::move(*f));
    return std::move(report_);
  }

 private:
  BundleReport failed(Failure f) {
    report_.failure = std::move(f);
    return std::move(report_);
  }

  // The key, the only thing trusted.
  std::optional<Failure> read_key() {
    const std::optional<std::string> key_file = read_small_file(dir_ / kBundleVerifierKey);
    if (!key_file) return Failure(0, Code::kBundleFile, "cannot read " + (dir_ / kBundleVerifierKey).string());
    report_.verifier_key = std::string(key_line(*key_file));
    if (!options_.trusted_key.empty() && report_.verifier_key != options_.trusted_key) {
      return Failure(0, Code::kVerifierKey, "the bundle's verifier key is not the one trusted", options_.trusted_key,
                     report_.verifier_key);
    }
    verifier_ = NoteVerifier::parse(report_.verifier_key);
    if (!verifier_) return Failure(0, Code::kVerifierKey, "verifier.key does not hold a verifier key");
    return std::nullopt;
  }

  // The checkpoint, signed by the key.
  std::optional<Failure> read_checkpoint() {
    const std::optional<std::string> note = read_small_file(dir_ / kBundleCheckpoint);
    if (!note) return Failure(0, Code::kBundleFile, "cannot read " + (dir_ / kBundleCheckpoint).string());
    Result<std::string> text = verifier_->check(*note);
    if (!text) return Failure(0, Code::kCheckpointSignature, text.status().message());
    Result<Checkpoint> checkpoint = parse_checkpoint(*text);
    if (!checkpoint) return Failure(0, Code::kCheckpointText, checkpoint.status().message());
    report_.checkpoint = std::move(*checkpoint);
    if (report_.checkpoint.origin != verifier_->name()) {
      return Failure(0, Code::kCheckpointText, "the checkpoint is of another log than the key's", verifier_->name(),
                     report_.checkpoint.origin);
    }
    return std::nullopt;
  }

  // Every line: one canonical event holding the next seq, its leaf and
  // chain hash, handed to the caller's hook in runs.
  std::optional<Failure> check_lines(std::string_view rest) {
    const std::uint64_t signed_size = report_.checkpoint.size;
    if (earlier_ != nullptr && earlier_->checkpoint.size == 0) root_then_ = empty_root();
    if (options_.keep_leaves) report_.leaves.reserve(signed_size);
    std::uint64_t seq = 0;
    while (!rest.empty()) {
      ++seq;
      const std::size_t end = rest.find('\n');
      if (end == std::string_view::npos) {
        return first_of(Failure(seq, Code::kLine, "the last line of events.jsonl does not end with a newline"));
      }
      const std::string_view line = rest.substr(0, end);
      rest.remove_prefix(end + 1);
      if (seq > signed_size) {
        return first_of(Failure(seq, Code::kTreeSize,
                                "events.jsonl holds more events than the " + std::to_string(signed_size) +
                                    " its checkpoint signs",
                                std::to_string(signed_size), "more"));
      }
      if (std::optional<Failure> f = check_line(seq, line)) return first_of(std::move(*f));
      add_leaf(seq, leaf_hash(line));
      if (options_.on_event) {
        pending_.push_back(line);
        if (pending_.size() == kHookEvents) {
          if (std::optional<Failure> f = flush()) return f;
        }
      }
      if (options_.on_progress && seq % kProgressEvents == 0) options_.on_progress(seq, signed_size);
    }
    return flush();
  }

  // A line holding the canonical bytes of an event with seq `seq`.
  std::optional<Failure> check_line(std::uint64_t seq, std::string_view line) {
    if (line.empty()) return Failure(seq, Code::kLine, "line " + std::to_string(seq) + " is empty");
    const Status canonical = check_canonical(line, JsonLimits{}, &top_);
    if (!canonical) {
      return Failure(seq, Code::kNotCanonical,
                     "line " + std::to_string(seq) + " is not an event's canonical bytes: " + canonical.to_string());
    }
    const TopLevelScalar* seq_member = nullptr;
    for (const TopLevelScalar& m : top_) {
      if (m.key == "seq") seq_member = &m;
    }
    if (seq_member == nullptr || !seq_member->is_integer || seq_member->integer != static_cast<std::int64_t>(seq)) {
      return Failure(seq, Code::kSeq, "line " + std::to_string(seq) + " does not hold seq " + std::to_string(seq),
                     std::to_string(seq),
                     seq_member == nullptr         ? "none"
                     : seq_member->is_integer ? std::to_string(seq_member->integer)
                                              : seq_member->text);
    }
    return std::nullopt;
  }

  void add_leaf(std::uint64_t seq, const Hash& leaf) {
    report_.chain = chain_hash(report_.chain, leaf);
    tree_.add_leaf(leaf);
    report_.events = seq;
    if (options_.keep_leaves) report_.leaves.push_back(leaf);
    if (earlier_ == nullptr) return;
    if (!earlier_->leaves.empty() && seq <= earlier_->checkpoint.size) prefix_leaves_.push_back(leaf);
    if (seq == earlier_->checkpoint.size) root_then_ = tree_.root();
  }

  // The number of events and the root against the checkpoint; the earlier
  // checkpoint, if any.
  std::optional<Failure> check_whole() {
    report_.root = tree_.root();
    const std::uint64_t signed_size = report_.checkpoint.size;
    if (report_.events < signed_size) {
      return Failure(report_.events + 1, Code::kTreeSize,
                     "events.jsonl holds " + std::to_string(report_.events) + " events, its checkpoint signs " +
                         std::to_string(signed_size),
                     std::to_string(signed_size), std::to_string(report_.events));
    }
    if (report_.root != report_.checkpoint.root) {
      return Failure(0, Code::kRootHash, "the events do not give the root their checkpoint signs",
                     to_hex(report_.checkpoint.root), to_hex(report_.root));
    }
    if (earlier_ == nullptr) return std::nullopt;
    return check_extends(
        *earlier_, report_.events, [this] { return *root_then_; },
        [this](std::uint64_t s) { return prefix_leaves_[s - 1]; });
  }

  // The events checked and not yet given to the hook go to it; its refusal.
  std::optional<Failure> flush() {
    std::optional<Failure> f;
    if (options_.on_event && !pending_.empty()) f = options_.on_event(pending_first_, pending_);
    pending_first_ += pending_.size();
    pending_.clear();
    return f;
  }
  // A failure of the lines, unless the hook refuses an event before it,
  // which is then the first failure.
  std::optional<Failure> first_of(Failure f) {
    if (std::optional<Failure> refused = flush()) return refused;
    return f;
  }

  const std::filesystem::path& dir_;
  const BundleOptions& options_;
  const EarlierCheckpoint* earlier_;
  BundleReport report_;
  std::optional<NoteVerifier> verifier_;
  RootBuilder tree_;
  std::vector<TopLevelScalar> top_;
  std::optional<Hash> root_then_;     // the root at the earlier checkpoint's size
  std::vector<Hash> prefix_leaves_;   // up to the earlier size, to compare
  std::uint64_t pending_first_ = 1;
  std::vector<std::string_view> pending_;
};

}  // namespace

BundleReport check_bundle(const std::filesystem::path& dir, const BundleOptions& options) {
  return BundleCheck(dir, options).run();
}

}  // namespace fundledger
