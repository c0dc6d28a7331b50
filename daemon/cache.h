/*
 * cache.h - per-BMC caches of decoded data shared by every client: the SDR
 * repository (method_sdr.c) and the SEL (method_sel.c).  Each is allocated
 * on first use, hangs off struct bmc, and is freed with the BMC.  Core.
 */
#ifndef IPMIPOOL_CACHE_H
#define IPMIPOOL_CACHE_H

struct sdr_cache;
struct sel_cache;

/* NULL-safe; also fails any job still waiting on the cache. */
void sdr_cache_free(struct sdr_cache *c);
void sel_cache_free(struct sel_cache *c);

#endif
