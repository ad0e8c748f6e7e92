// The audit bundle's line checks (audit/bundle.h): the input is the
// bundle's events.jsonl, written with a verifier key and a checkpoint
// signed here for the lines it holds (its count of newlines, and the root
// of those lines' leaf hashes), so that every line reaches the checks of
// its bytes, its seq and, through the hook audit uses, its event. Every
// bundle is refused or checked whole; one checked holds events 1..N.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "audit/bundle.h"
#include "audit/merkle.h"
#include "domain/event.h"
#include "fuzz/fuzz_support.h"

using namespace fundledger;

namespace {

const std::filesystem::path& bundle_dir() {
  static const std::filesystem::path dir = [] {
    std::filesystem::path d = std::filesystem::temp_directory_path() / ("fundledger-fuzz-bundle-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

const NoteSigner& signer() {
  static const NoteSigner s = *NoteSigner::from_seed("fuzz.example/ledger", Ed25519Seed{7});
  return s;
}

void write(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  fuzz::require(out.good(), "the bundle's file is written");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view events = fuzz::text_of(data, size);
  Checkpoint c{.origin = signer().name()};
  RootBuilder tree;
  for (std::string_view rest = events; !rest.empty();) {
    const std::size_t end = rest.find('\n');
    if (end == std::string_view::npos) break;
    tree.add_leaf(leaf_hash(rest.substr(0, end)));
    rest.remove_prefix(end + 1);
    ++c.size;
  }
  c.root = tree.root();
  const std::filesystem::path& dir = bundle_dir();
  write(dir / kBundleVerifierKey, signer().verifier_key() + "\n");
  write(dir / kBundleCheckpoint, signer().sign(checkpoint_text(c)));
  write(dir / kBundleEvents, events);

  BundleOptions options;
  std::uint64_t handed = 0;
  options.on_event = [&handed](std::uint64_t first_seq,
                               const std::vector<std::string_view>& lines) -> std::optional<Failure> {
    fuzz::require(first_seq == handed + 1, "the hook gets the lines in order");
    for (std::string_view line : lines) {
      ++handed;
      Result<Event> event = decode_event(line);
      if (!event) return Failure(handed, Code::kEvent, event.status().message());
    }
    return std::nullopt;
  };
  const BundleReport report = check_bundle(dir, options);
  if (report.ok()) {
    fuzz::require(report.events == c.size && report.root == c.root && handed == c.size,
                  "a bundle checked holds every line signed, each handed to the hook");
  }
  return 0;
}
