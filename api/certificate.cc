#include "api/certificate.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include "util/files.h"

namespace fundledger::api {
namespace {

// From a minute before it is made (for clocks a little behind) for 366
// days in all, the most Mozilla's guidelines allow.
constexpr long kValidSeconds = 366L * 24 * 3600;

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

// The PEM text `write` puts in a memory BIO; empty when it fails.
template <typename Write>
std::string pem(Write write) {
  const Owned<BIO> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || !write(bio.get())) return "";
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

bool add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  const Owned<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1;
}

}  // namespace

Status write_self_signed_certificate(const std::filesystem::path& cert_path, const std::filesystem::path& key_path) {
  const auto cannot = [](const std::string& what) { return Status::error(Code::kTlsError, "cannot " + what); };
  const Owned<EVP_PKEY> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  const Owned<X509> cert(X509_new());
  if (key == nullptr || cert == nullptr) return cannot("make a key");
  // A random positive serial of 159 bits (RFC 5280 allows 20 octets).
  const Owned<BIGNUM> serial(BN_new());
  if (serial == nullptr || BN_rand(serial.get(), 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return cannot("make a serial number");
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  const bool made =
      X509_set_version(cert.get(), 2) == 1 && X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60) != nullptr &&
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValidSeconds - 60) != nullptr &&
      X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("fundledger"), -1,
                                 -1, 0) == 1 &&
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1,
                                 -1, 0) == 1 &&
      X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), key.get()) == 1 &&
      add_extension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") &&
      add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") &&
      add_extension(cert.get(), NID_key_usage, "critical,digitalSignature") &&
      add_extension(cert.get(), NID_ext_key_usage, "serverAuth") &&
      X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
  if (!made) return cannot("make the certificate");

  std::string key_pem = pem([&key](BIO* b) {
    return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  });
  const std::string cert_pem = pem([&cert](BIO* b) { return PEM_write_bio_X509(b, cert.get()) == 1; });
  if (key_pem.empty() || cert_pem.empty()) return cannot("encode the certificate");
  const Status written = write_new_file(key_path, key_pem, 0600);
  OPENSSL_cleanse(key_pem.data(), key_pem.size());
  FL_RETURN_IF_ERROR(written);
  return write_new_file(cert_path, cert_pem, 0644);
}

}  // namespace fundledger::api
