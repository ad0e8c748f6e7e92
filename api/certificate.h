#pragma once
// The server's TLS certificate: `init` makes a self-signed one for
// localhost (SPEC 5), so that `serve` works at once; a fund puts its own
// in its place with `serve --cert --key`.

#include <filesystem>
#include <string>
#include <string_view>

#include "util/status.h"

namespace fundledger::api {

// In a ledger's directory: the certificate (PEM, public) and its private
// key (PEM, mode 0600).
inline constexpr std::string_view kCertificateFile = "tls.crt";
inline constexpr std::string_view kCertificateKeyFile = "tls.key";

// Writes a new ECDSA P-256 key and a self-signed certificate for it,
// valid for 366 days from now (Mozilla's limit), for localhost, 127.0.0.1 and ::1. Refuses
// to write over a file. Refusals: tls_error (OpenSSL cannot make them),
// storage_error (write_new_file's).
Status write_self_signed_certificate(const std::filesystem::path& cert_path, const std::filesystem::path& key_path);

}  // namespace fundledger::api
