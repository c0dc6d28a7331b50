/*
 * ippframe.h - newline framing of the daemon's responses: a growable input
 * buffer that hands out complete lines and caps the length of the line
 * being assembled.  Pure: no I/O (the caller reads into the space it gets
 * from ippframe_space()), no JSON.  Internal to libipmipool.
 */
#ifndef IPMIPOOL_IPPFRAME_H
#define IPMIPOOL_IPPFRAME_H

#include <stddef.h>

struct ippframe {
	char *buf;
	size_t cap;
	size_t start;   /* first byte not yet handed out */
	size_t len;     /* bytes held (from buf[0]) */
	size_t scanned; /* buf[start..scanned) holds no '\n' */
	size_t max;     /* longest line accepted, '\n' excluded */
};

void ippframe_init(struct ippframe *f, size_t max);
void ippframe_clear(struct ippframe *f);

/*
 * Room for at least min more bytes at the end (compacting or growing the
 * buffer).  Returns the space and stores its size in *ret_avail, or NULL
 * when memory ran out.
 */
char *ippframe_space(struct ippframe *f, size_t min, size_t *ret_avail);

/* Records that n bytes were written into the space from ippframe_space(). */
void ippframe_commit(struct ippframe *f, size_t n);

/*
 * The next complete line, without its '\n' (and without a '\r' before it).
 * Returns 1 with the line in ret_line and ret_len, valid until the next call that changes
 * f; 0 when no complete line is held; IPMIPOOL_E_TOOBIG when the line
 * being assembled (or a complete one) is longer than f->max.
 */
int ippframe_next(struct ippframe *f, const char **ret_line, size_t *ret_len);

/* Bytes of an incomplete line held (what an EOF now would cut off). */
size_t ippframe_partial(const struct ippframe *f);

#endif
