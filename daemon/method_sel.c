/*
 * method_sel.c - sel.info, sel.list, sel.clear and the per-BMC SEL cache.
 */
#include <stdlib.h>

#include "cache.h"

struct sel_cache {
	int unused;
};

void
sel_cache_free(struct sel_cache *c)
{
	free(c);
}
