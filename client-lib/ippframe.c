/*
 * ippframe.c - newline framing of the daemon's responses (see ippframe.h).
 * Owns the input buffer; knows nothing about sockets or JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "ipmipool.h"
#include "ippframe.h"

void
ippframe_init(struct ippframe *f, size_t max)
{
	memset(f, 0, sizeof(*f));
	f->max = max;
}

void
ippframe_clear(struct ippframe *f)
{
	free(f->buf);
	f->buf = NULL;
	f->cap = f->start = f->len = f->scanned = 0;
}

char *
ippframe_space(struct ippframe *f, size_t min, size_t *ret_avail)
{
	if (f->start > 0 && (f->start == f->len || f->cap - f->len < min)) {
		memmove(f->buf, f->buf + f->start, f->len - f->start);
		f->len -= f->start;
		f->scanned -= f->start;
		f->start = 0;
	}
	if (f->cap - f->len < min) {
		size_t ncap = f->cap ? f->cap : min;
		char *nbuf;

		while (ncap - f->len < min)
			ncap *= 2;
		nbuf = realloc(f->buf, ncap);
		if (!nbuf)
			return NULL;
		f->buf = nbuf;
		f->cap = ncap;
	}
	*ret_avail = f->cap - f->len;
	return f->buf + f->len;
}

void
ippframe_commit(struct ippframe *f, size_t n)
{
	f->len += n;
}

int
ippframe_next(struct ippframe *f, const char **ret_line, size_t *ret_len)
{
	const char *nl = NULL;
	size_t n;

	if (f->scanned < f->len)
		nl = memchr(f->buf + f->scanned, '\n', f->len - f->scanned);
	if (!nl) {
		f->scanned = f->len;
		if (f->len - f->start > f->max)
			return IPMIPOOL_E_TOOBIG;
		return 0;
	}
	n = (size_t)(nl - (f->buf + f->start));
	if (n > f->max)
		return IPMIPOOL_E_TOOBIG;
	*ret_line = f->buf + f->start;
	f->start += n + 1;
	f->scanned = f->start;
	if (n > 0 && (*ret_line)[n - 1] == '\r')
		n--;
	*ret_len = n;
	return 1;
}

size_t
ippframe_partial(const struct ippframe *f)
{
	return f->len - f->start;
}
