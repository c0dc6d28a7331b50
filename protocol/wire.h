/*
 * wire.h - bounds-checked byte cursor (reader) and bounded writer.
 *
 * Every byte that comes from the network or a client is read through a
 * struct wire_rd.  Errors are sticky: once a read runs past the end, every
 * later read returns zeros and wire_rd_ok() stays false.  Endianness is in
 * the function name.  The writer is the mirror image over a caller-owned
 * buffer; overflow is sticky as well.  No allocation, no I/O.
 */
#ifndef IPMIPOOL_WIRE_H
#define IPMIPOOL_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct wire_rd {
	const uint8_t *p;
	size_t len;
	size_t pos;
	bool err;
};

struct wire_wr {
	uint8_t *p;
	size_t cap;
	size_t len;
	bool err;
};

static inline struct wire_rd
wire_rd_make(const void *p, size_t len)
{
	struct wire_rd r = { .p = p, .len = p != NULL ? len : 0, .pos = 0, .err = false };
	return r;
}

static inline size_t
wire_rd_left(const struct wire_rd *r)
{
	return r->err ? 0 : r->len - r->pos;
}

static inline bool
wire_rd_ok(const struct wire_rd *r)
{
	return !r->err;
}

/* True when no error happened and every byte was consumed. */
static inline bool
wire_rd_done(const struct wire_rd *r)
{
	return !r->err && r->pos == r->len;
}

/* The next byte without consuming it; -1 at the end or after an error. */
static inline int
wire_peek_u8(const struct wire_rd *r)
{
	return r->err || r->pos >= r->len ? -1 : r->p[r->pos];
}

/* Returns a pointer to the next n bytes and consumes them, or NULL. */
static inline const uint8_t *
wire_get_ref(struct wire_rd *r, size_t n)
{
	const uint8_t *q;

	if (r->err || n > r->len - r->pos) {
		r->err = true;
		return NULL;
	}
	q = r->p + r->pos;
	r->pos += n;
	return q;
}

static inline void
wire_get_bytes(struct wire_rd *r, void *dst, size_t n)
{
	const uint8_t *q = wire_get_ref(r, n);

	if (q != NULL)
		memcpy(dst, q, n);
	else if (n > 0)
		memset(dst, 0, n);
}

static inline void
wire_skip(struct wire_rd *r, size_t n)
{
	(void)wire_get_ref(r, n);
}

static inline uint8_t
wire_get_u8(struct wire_rd *r)
{
	const uint8_t *q = wire_get_ref(r, 1);
	return q != NULL ? q[0] : 0;
}

static inline uint16_t
wire_get_le16(struct wire_rd *r)
{
	const uint8_t *q = wire_get_ref(r, 2);
	return q != NULL ? (uint16_t)(q[0] | q[1] << 8) : 0;
}

static inline uint16_t
wire_get_be16(struct wire_rd *r)
{
	const uint8_t *q = wire_get_ref(r, 2);
	return q != NULL ? (uint16_t)(q[0] << 8 | q[1]) : 0;
}

static inline uint32_t
wire_get_le24(struct wire_rd *r)
{
	const uint8_t *q = wire_get_ref(r, 3);
	return q != NULL ? (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 : 0;
}

static inline uint32_t
wire_get_le32(struct wire_rd *r)
{
	const uint8_t *q = wire_get_ref(r, 4);
	return q != NULL ? (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 |
	                       (uint32_t)q[3] << 24
	                 : 0;
}

static inline uint32_t
wire_get_be32(struct wire_rd *r)
{
	const uint8_t *q = wire_get_ref(r, 4);
	return q != NULL ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 |
	                       (uint32_t)q[3]
	                 : 0;
}

/* A sub-reader over the next n bytes (consumed from r). */
static inline struct wire_rd
wire_get_sub(struct wire_rd *r, size_t n)
{
	const uint8_t *q = wire_get_ref(r, n);
	struct wire_rd s = wire_rd_make(q, n);

	s.err = q == NULL;
	return s;
}

/* The rest of the input, consumed. */
static inline const uint8_t *
wire_get_rest(struct wire_rd *r, size_t *n)
{
	*n = wire_rd_left(r);
	return wire_get_ref(r, *n);
}

static inline struct wire_wr
wire_wr_make(void *p, size_t cap)
{
	struct wire_wr w = { .p = p, .cap = p != NULL ? cap : 0, .len = 0, .err = false };
	return w;
}

static inline bool
wire_wr_ok(const struct wire_wr *w)
{
	return !w->err;
}

/* Reserves n bytes and returns where they start, or NULL (sticky error). */
static inline uint8_t *
wire_put_reserve(struct wire_wr *w, size_t n)
{
	uint8_t *q;

	if (w->err || n > w->cap - w->len) {
		w->err = true;
		return NULL;
	}
	q = w->p + w->len;
	w->len += n;
	return q;
}

static inline void
wire_put_bytes(struct wire_wr *w, const void *src, size_t n)
{
	uint8_t *q = wire_put_reserve(w, n);

	if (q != NULL && n > 0)
		memcpy(q, src, n);
}

static inline void
wire_put_fill(struct wire_wr *w, uint8_t v, size_t n)
{
	uint8_t *q = wire_put_reserve(w, n);

	if (q != NULL && n > 0)
		memset(q, v, n);
}

static inline void
wire_put_u8(struct wire_wr *w, uint8_t v)
{
	wire_put_bytes(w, &v, 1);
}

static inline void
wire_put_le16(struct wire_wr *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	wire_put_bytes(w, b, 2);
}

static inline void
wire_put_le32(struct wire_wr *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	wire_put_bytes(w, b, 4);
}

static inline void
wire_put_be16(struct wire_wr *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	wire_put_bytes(w, b, 2);
}

/* Overwrites 2 bytes at offset off (already written) little-endian. */
static inline void
wire_patch_le16(struct wire_wr *w, size_t off, uint16_t v)
{
	if (w->err || off > w->len || w->len - off < 2) {
		w->err = true;
		return;
	}
	w->p[off] = (uint8_t)v;
	w->p[off + 1] = (uint8_t)(v >> 8);
}

#endif
