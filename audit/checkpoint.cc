#include "audit/checkpoint.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>

#include "util/files.h"

namespace fundledger {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

}  // namespace

std::string checkpoint_text(const Checkpoint& c) {
  std::string out = c.origin + "\n" + std::to_string(c.size) + "\n" +
                    base64_encode(std::string_view(reinterpret_cast<const char*>(c.root.data()), c.root.size())) +
                    "\n";
  for (const std::string& line : c.extensions) out += line + "\n";
  return out;
}

Result<Checkpoint> parse_checkpoint(std::string_view text) {
  const auto bad = [](std::string what) { return Status::error(Code::kCheckpointText, std::move(what)); };
  if (const Status note = check_note_text(text); !note) return bad(note.message());
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  if (lines.size() < 3) return bad("a checkpoint has an origin, a tree size and a root hash");
  Checkpoint c;
  c.origin = std::string(lines[0]);
  const std::string_view size = lines[1];
  const auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), c.size);
  if (ec != std::errc() || end != size.data() + size.size() || (size.size() > 1 && size[0] == '0') ||
      size[0] == '+' || size[0] == '-') {
    return bad("the tree size \"" + std::string(size) + "\" is not a decimal number without leading zeros");
  }
  const std::optional<std::string> root = base64_decode(lines[2]);
  if (!root || root->size() != 32) return bad("the root hash is not the base64 of 32 bytes");
  std::copy(root->begin(), root->end(), c.root.begin());
  for (std::size_t i = 3; i < lines.size(); ++i) c.extensions.emplace_back(lines[i]);
  return c;
}

Result<Checkpoint> read_checkpoint_note(std::string_view note, const NoteVerifier& verifier) {
  Result<std::string> text = verifier.check(note);
  if (!text) return text.status();
  Result<Checkpoint> checkpoint = parse_checkpoint(*text);
  if (checkpoint && checkpoint->origin != verifier.name()) {
    return Status::error(Code::kCheckpointText,
                         "the checkpoint is of the log " + checkpoint->origin + ", not of " + verifier.name());
  }
  return checkpoint;
}

Status write_signing_key(const std::filesystem::path& path, const NoteSigner& signer) {
  const std::unique_ptr<EVP_PKEY, PkeyFree> key(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, signer.seed().data(), signer.seed().size()));
  const std::unique_ptr<BIO, BioFree> pem(BIO_new(BIO_s_mem()));
  if (!key || !pem || PEM_write_bio_PrivateKey(pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Status::error(Code::kStorageError, "cannot encode the signing key");
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(pem.get(), &data);
  return write_new_file(path, std::string_view(data, static_cast<std::size_t>(length)), 0600);
}

Result<NoteSigner> read_signing_key(const std::filesystem::path& path, const std::string& name) {
  const auto cannot = [](std::string why) { return Status::error(Code::kNoSigningKey, std::move(why)); };
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return cannot("cannot read the signing key " + path.string() + ": " + std::strerror(errno));
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 0777));
    return cannot("the signing key " + path.string() + " may be read or written by others than its owner (mode " +
                  mode + "); it must be 0600");
  }
  const std::unique_ptr<BIO, BioFree> file(BIO_new_file(path.c_str(), "r"));
  const std::unique_ptr<EVP_PKEY, PkeyFree> key(
      file ? PEM_read_bio_PrivateKey(file.get(), nullptr, nullptr, nullptr) : nullptr);
  Ed25519Seed seed{};
  std::size_t length = seed.size();
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_ED25519 ||
      EVP_PKEY_get_raw_private_key(key.get(), seed.data(), &length) != 1 || length != seed.size()) {
    return cannot("the signing key " + path.string() + " is not an Ed25519 private key in PEM");
  }
  std::optional<NoteSigner> signer = NoteSigner::from_seed(name, seed);
  if (!signer) return cannot("\"" + name + "\" cannot name a key");
  return std::move(*signer);
}

}  // namespace fundledger
