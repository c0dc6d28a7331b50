/*
 * secret.c - secret files and hex K_g (see secret.h).  Everything read is
 * wiped with OPENSSL_cleanse before returning, on every path.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "secret.h"

/* Longest first line we look at: far above any IPMI secret. */
#define SECRET_READ_MAX 256

int
secret_read_line(const char *path, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t buf[SECRET_READ_MAX];
	size_t n = 0, line;
	struct stat st;
	const uint8_t *nl;
	int fd, rc = 0;

	/* O_NONBLOCK: opening a FIFO must not hang the daemon. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		goto out;
	}
	while (n < sizeof(buf)) {
		ssize_t r = read(fd, buf + n, sizeof(buf) - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	nl = memchr(buf, '\n', n);
	if (nl) {
		line = (size_t)(nl - buf);
		if (line > 0 && buf[line - 1] == '\r')
			line--;
	} else if (n == sizeof(buf)) {
		rc = -EMSGSIZE;
		goto out;
	} else {
		line = n;
	}
	if (memchr(buf, '\0', line)) {
		rc = -EBADMSG;
		goto out;
	}
	if (line > cap) {
		rc = -EMSGSIZE;
		goto out;
	}
	memcpy(out, buf, line);
	*len = line;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	return rc;
}

static int
hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
secret_parse_hex(const char *s, size_t slen, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t tmp[64];
	size_t n;
	int rc = 0;

	if (slen >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		slen -= 2;
	}
	if (slen == 0 || slen % 2 != 0)
		return -EINVAL;
	n = slen / 2;
	for (size_t i = 0; i < n; i++) {
		int hi = hex_val(s[2 * i]), lo = hex_val(s[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			rc = -EINVAL;
			goto out;
		}
		if (i < sizeof(tmp))
			tmp[i] = (uint8_t)(hi << 4 | lo);
	}
	if (n > cap || n > sizeof(tmp)) {
		rc = -EMSGSIZE;
		goto out;
	}
	memcpy(out, tmp, n);
	*len = n;
out:
	OPENSSL_cleanse(tmp, sizeof(tmp));
	return rc;
}
