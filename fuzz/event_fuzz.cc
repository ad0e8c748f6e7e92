// The event decoder (domain/event.h): a client's line is decoded or refused;
// a decoded draft becomes canonical stored bytes that read back as the same
// event, envelope and all. Stored bytes of any shape are read or refused.

#include "domain/event.h"
#include "fuzz/fuzz_support.h"
#include "util/json.h"

using namespace fundledger;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text_of(data, size);
  // As stored bytes (verify and audit read these).
  (void)read_envelope(text);
  (void)decode_event(text);
  // As a client's line.
  Result<Draft> draft = decode_draft(text);
  if (!draft) return 0;
  const std::string bytes = event_bytes(*draft, 57, "2026-11-23T10:15:30.123Z", "manager:alice");
  fuzz::require(check_canonical(bytes, JsonLimits{}).is_ok(), "an event's bytes are canonical");
  Result<Event> event = decode_event(bytes);
  fuzz::require(event.is_ok(), "an event's bytes decode");
  fuzz::require(event->seq == 57 && event->id == draft->id && event->type == draft->type &&
                    event->actor == "manager:alice" && event->recorded_at == "2026-11-23T10:15:30.123Z",
                "the envelope reads back");
  const std::optional<Envelope> envelope = read_envelope(bytes);
  fuzz::require(envelope && envelope->seq == 57 && envelope->id == draft->id, "the envelope reads by its shape");
  fuzz::require(event_bytes(*draft, 57, "2026-11-23T10:15:30.123Z", "manager:alice") == bytes,
                "the same draft gives the same bytes");
  return 0;
}
