#include "api/ledger_dir.h"

#include <fstream>

#include "api/certificate.h"
#include "audit/checkpoint.h"
#include "ledger/store.h"
#include "util/check.h"
#include "util/files.h"

namespace fundledger::api {

std::vector<std::string> ledger_files() {
  return {std::string(kSigningKeyFile), std::string(kVerifierKeyFile), std::string(kTokensFile),
          std::string(kCertificateFile), std::string(kCertificateKeyFile)};
}

Result<std::string> create_ledger(const std::filesystem::path& dir, const std::string& origin) {
  FL_RETURN_IF_ERROR(Store::create(dir, origin));
  const std::optional<NoteSigner> signer = NoteSigner::generate(origin);
  FL_CHECK(signer.has_value());  // origin is a valid key name
  const auto lacking = [](const char* what, const Status& why) {
    return Status::error(why.code(), "the ledger was created without its " + std::string(what) + ": " + why.message());
  };
  if (const Status written = write_signing_key(dir / kSigningKeyFile, *signer); !written) {
    return lacking("signing key", written);
  }
  if (const Status written = write_new_file(dir / kVerifierKeyFile, signer->verifier_key() + "\n"); !written) {
    return lacking("verifier key", written);
  }
  if (const Status written = write_self_signed_certificate(dir / kCertificateFile, dir / kCertificateKeyFile);
      !written) {
    return lacking("TLS certificate", written);
  }
  return signer->verifier_key();
}

Result<NoteSigner> read_ledger_key(const std::filesystem::path& dir, const std::string& origin) {
  return read_signing_key(dir / kSigningKeyFile, origin);
}

Result<std::string> read_key_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line) || line.empty()) {
    return Status::error(Code::kNoSigningKey, "no verifier key in " + path.string());
  }
  std::string more;
  if (std::getline(in, more)) {
    return Status::error(Code::kNoSigningKey, path.string() + " holds more than the one line of a verifier key");
  }
  return line;
}

}  // namespace fundledger::api
