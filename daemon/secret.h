/*
 * secret.h - reads one secret (a password or K_g) from a file and decodes
 * hex K_g.  Knows nothing of the config format, never logs, and wipes every
 * buffer it uses.  Callers build the messages (never showing the secret).
 */
#ifndef IPMIPOOL_SECRET_H
#define IPMIPOOL_SECRET_H

#include <stddef.h>
#include <stdint.h>

/*
 * Reads the first line of the regular file path into out (at most cap
 * bytes); one trailing "\n" or "\r\n" is not part of it, everything else
 * (spaces included) is.  Returns 0 and *len, or -errno from open/read,
 * -EINVAL when path is not a regular file, -EMSGSIZE when the line is
 * longer than cap, -EBADMSG when it holds a NUL byte.  out and *len are
 * written only on success.
 */
int secret_read_line(const char *path, uint8_t *out, size_t cap, size_t *len);

/*
 * Decodes hex ("0x" or "0X" prefix optional, an even number of digits, at
 * least one byte) of length slen into out (at most cap bytes).  Returns 0
 * and *len, -EINVAL when s is not such hex, -EMSGSIZE when it decodes to
 * more than cap bytes.  out and *len are written only on success.
 */
int secret_parse_hex(const char *s, size_t slen, uint8_t *out, size_t cap, size_t *len);

#endif
