#pragma once
// Audited views (SPEC section 3): a view together with the head of the log
// it was computed from, signed with the log's key, so that anyone holding
// the verifier key and events 1..N can check that the view is what those
// events give.
//
//   {"as_of":{"chain_hash":…,"root_hash":…,"tree_size":N},
//    "signature":"<base64 Ed25519>","view":{…}}
//
// The signature is over the RFC 8785 bytes of {"as_of":…,"view":…}.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "audit/note.h"
#include "util/hash.h"
#include "util/status.h"

namespace fundledger {

// The log a view was computed from: its first `tree_size` events.
struct LogHead {
  std::uint64_t tree_size = 0;
  Hash root{};   // the Merkle root of those events
  Hash chain{};  // the chain hash of the last of them
};

// {"chain_hash","root_hash","tree_size"}.
nlohmann::json log_head_json(const LogHead& head);

// {"as_of":…,"view":…}: what is signed, and what `audit` prints.
nlohmann::json unsigned_view(const LogHead& head, nlohmann::json view);

// The audited view, signed by `signer`.
nlohmann::json audited_view(const LogHead& head, nlohmann::json view, const NoteSigner& signer);
// The same from the unsigned form: adds "signature".
nlohmann::json sign_view(nlohmann::json unsigned_view, const NoteSigner& signer);

// Checks an audited view: its shape (exactly as_of, signature and view;
// as_of exactly the three members, hashes in lower-case hex, and for a view
// as of a day a fourth, "date": YYYY-MM-DD) and its
// signature by `verifier`. Refusals: view_malformed, view_signature_invalid.
// Whether the view is what events 1..N give is for the caller, who holds
// the events, to check (audit prints the views they imply).
Status check_audited_view(const nlohmann::json& audited, const NoteVerifier& verifier);

}  // namespace fundledger
