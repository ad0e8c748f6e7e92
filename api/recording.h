#pragma once
// Recording through the API: POST /v1/events, its dry run (what the post
// would do, written nowhere), POST /v1/imports, and GET /v1/reference, the tables a form
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

// POST /v1/imports[?dry_run=true]: {"files":[{"name","content"}]}, the
// CSV files of `export --format csv`, recorded as one atomic request as
// `fundledger import` does (domain/csv_import.h). 201 (200 for a dry run,
// or when every row was already recorded) {"dry_run","events":[{receipt,
// "file","row","repeat","changes"? (a dry run)}],"left_out"}; a refusal
// names the column as its field, with its "file" and "row".
Response post_import(const Services& services, const Call& call);

// GET /v1/reference.
Response reference(const Services& services, const Call& call);

}  // namespace fundledger::api
