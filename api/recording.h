#pragma once
// Recording through the API: POST /v1/events, its dry run (what the post
// would do, written nowhere), and GET /v1/reference, the tables a form
// chooses from (currencies, countries, regions, donor kinds, the fields of
// each event type).

#include "api/router.h"

namespace fundledger::api {

// POST /v1/events[?dry_run=true]: one event or an array of them. The real
// post answers 201 with the receipts (200 when every event was already
// recorded); a dry run answers 200 {"dry_run":true,"events":[...]} with,
// for each event, the receipt it would get now and the figures it would
// change, or the very refusal the post would give.
Response post_events(const Services& services, const Call& call);

// GET /v1/reference.
Response reference(const Services& services, const Call& call);

}  // namespace fundledger::api
