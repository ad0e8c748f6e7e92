// jemalloc's settings for the programs that link it (CMakeLists.txt,
// fundledger_use_jemalloc): back the heap with transparent huge pages, and
// keep freed memory for reuse instead of handing it back to the system.
//
// Replaying the log builds every proposal of the fund in memory: hundreds
// of megabytes touched for the first time, which with 4 KiB pages costs a
// page fault for every 4 KiB; huge pages take one for every 2 MiB, and
// `fundledger rebuild` of 1,000,000 events ran in 1.9 s instead of 2.7 s.
// Handing memory back would split those huge pages again and again while
// the program frees and allocates (the rebuild benchmark took twice as
// long with it), and the commands are short-lived. `serve` hands freed
// memory back a second after it is freed (tools/cmd_serve.cc,
// hand_back_freed_memory): connections opened and dropped by the thousand
// left it half as large again otherwise. README, "Why jemalloc".
// The MALLOC_CONF environment variable still overrides this.
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's.
const char* malloc_conf = "thp:always,metadata_thp:always,dirty_decay_ms:-1,muzzy_decay_ms:-1";
}
