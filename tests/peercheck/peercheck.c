/*
 * peercheck.c - a small blocking RMCP+ client on the protocol core, used to
 * prove the core against real BMCs before (and independently of) the
 * daemon: handshake, Get Device ID (optionally bridged), Close Session.
 *
 * Prints the Get Device ID response data as hex bytes, like ipmitool raw.
 * Exit 0 on success, 1 on any failure (with the reason on stderr).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bridge.h"
#include "hsclient.h"
#include "ipmierr.h"
#include "lanmsg.h"

#define PEERCHECK_TRIES      4
#define PEERCHECK_TIMEOUT_MS 1000

struct peercheck {
	int fd;
	struct lanplus_sess sess;
	uint8_t rq_seq;
};

static int
peercheck_connect(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM }, *res;
	int fd, rc = getaddrinfo(host, port, &hints, &res);

	if (rc != 0) {
		fprintf(stderr, "peercheck: %s: %s\n", host, gai_strerror(rc));
		return -1;
	}
	fd = socket(res->ai_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) < 0) {
		perror("peercheck: socket");
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* Waits up to the timeout for one datagram; returns its length, 0 on timeout. */
static ssize_t
peercheck_recv(int fd, uint8_t *buf, size_t cap)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, PEERCHECK_TIMEOUT_MS);

	if (n <= 0)
		return n;
	return recv(fd, buf, cap, 0);
}

static int
peercheck_handshake(struct peercheck *pc, struct hsclient *h)
{
	uint8_t out[HSCLIENT_PKT_MAX], in[1024];
	size_t out_len = 0;
	int n = hsclient_start(h, &rng_system, out, sizeof(out)), tries = 0, rc;

	if (n < 0)
		return n;
	out_len = (size_t)n;
	for (;;) {
		ssize_t got;

		if (send(pc->fd, out, out_len, 0) < 0)
			return -errno;
		for (;;) {
			if ((got = peercheck_recv(pc->fd, in, sizeof(in))) < 0)
				return -errno;
			if (got == 0)
				break;
			rc = hsclient_input(h, in, (size_t)got, &rng_system, out, sizeof(out),
			                    &out_len);
			if (rc < 0)
				return rc;
			if (rc == HSCLIENT_DONE)
				return 0;
			if (rc == HSCLIENT_SEND) {
				tries = 0;
				break;
			}
		}
		if (got == 0) {
			if (++tries >= PEERCHECK_TRIES)
				return -ETIMEDOUT;
			if ((rc = hsclient_retransmit(h, &rng_system, out, sizeof(out))) < 0)
				return rc;
			out_len = (size_t)rc;
		}
	}
}

/* Sends req and waits for its answer into rsp (data in buf). */
static int
peercheck_call(struct peercheck *pc, const struct bridge_path *bp, struct ipmimsg *req,
               uint8_t *buf, size_t cap, struct ipmimsg *rsp)
{
	uint8_t pkt[LANPLUS_MAX_PKT], in[1024], bbuf[BRIDGE_BUFLEN];
	struct ipmimsg outer;
	int n, tries;

	req->seq = pc->rq_seq;
	pc->rq_seq = (uint8_t)((pc->rq_seq + 1) & 0x3f);
	outer = *req;
	if (bp->depth > 0 && (n = bridge_wrap(bp, req, bbuf, sizeof(bbuf), &outer)) < 0)
		return n;
	for (tries = 0; tries < PEERCHECK_TRIES; tries++) {
		ssize_t got;

		n = lanmsg_seal(&pc->sess, &outer, &rng_system, pkt, sizeof(pkt), NULL);
		if (n < 0)
			return n;
		if (send(pc->fd, pkt, (size_t)n, 0) < 0)
			return -errno;
		while ((got = peercheck_recv(pc->fd, in, sizeof(in))) > 0) {
			struct ipmimsg m;

			if (lanmsg_open(&pc->sess, in, (size_t)got, buf, cap, &m) < 0)
				continue;
			if (bp->depth == 0) {
				if (!ipmimsg_matches(req, &m))
					continue;
				*rsp = m;
				return 0;
			}
			if (!bridge_matches(req, &m))
				continue;
			n = bridge_unwrap(bp, req, &m, rsp);
			if (n == BRIDGE_FINAL)
				return 0;
			if (n < 0)
				return n;
		}
		if (got < 0)
			return -errno;
	}
	return -ETIMEDOUT;
}

static int
peercheck_close(struct peercheck *pc, uint32_t bmc_sid)
{
	uint8_t data[4] = { (uint8_t)bmc_sid, (uint8_t)(bmc_sid >> 8), (uint8_t)(bmc_sid >> 16),
		            (uint8_t)(bmc_sid >> 24) };
	uint8_t buf[IPMIMSG_MAX_LEN + 32];
	struct ipmimsg req = { .dst_addr = IPMI_BMC_ADDR,
		               .netfn = IPMI_NETFN_APP,
		               .src_addr = IPMI_REMOTE_SWID,
		               .cmd = IPMI_CMD_CLOSE_SESSION,
		               .data = data,
		               .data_len = 4 },
	               rsp;
	struct bridge_path none = { 0 };
	int rc = peercheck_call(pc, &none, &req, buf, sizeof(buf), &rsp);

	if (rc < 0)
		return rc;
	return rsp.data[0] == 0 ? 0 : IPMI_E_STATUS;
}

static int
peercheck_parse_bridge(const char *s, struct bridge_path *bp)
{
	int c1, a1, c2, a2;

	if (sscanf(s, "%i:%i,%i:%i", &c1, &a1, &c2, &a2) == 4) {
		*bp = (struct bridge_path){ 2, (uint8_t)c2, (uint8_t)a2, (uint8_t)c1, (uint8_t)a1 };
		return 0;
	}
	if (sscanf(s, "%i:%i", &c1, &a1) == 2) {
		*bp = (struct bridge_path){ 1, (uint8_t)c1, (uint8_t)a1, 0, 0 };
		return 0;
	}
	return -1;
}

static void
peercheck_usage(void)
{
	fprintf(stderr, "usage: ipmipool-peercheck -H HOST -p PORT -U USER -P PASS [-L PRIV] "
	                "[-C SUITE] [-b CH:ADDR[,CH:ADDR]] [-n]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *host = "127.0.0.1", *port = "623", *user = "admin", *pass = NULL;
	int suite = 17, priv = IPMI_PRIV_ADMIN, opt, rc;
	bool name_only = true;
	struct bridge_path bp = { 0 };
	struct rakp_creds creds;
	struct hsclient h;
	struct peercheck pc = { .rq_seq = 10 };
	char why[160];

	while ((opt = getopt(argc, argv, "H:p:U:P:L:C:b:r")) != -1) {
		switch (opt) {
		case 'H':
			host = optarg;
			break;
		case 'p':
			port = optarg;
			break;
		case 'U':
			user = optarg;
			break;
		case 'P':
			pass = optarg;
			break;
		case 'L':
			priv = atoi(optarg);
			break;
		case 'C':
			suite = atoi(optarg);
			break;
		case 'b':
			if (peercheck_parse_bridge(optarg, &bp) < 0)
				peercheck_usage();
			break;
		case 'r':
			name_only = false;
			break;
		default:
			peercheck_usage();
		}
	}
	if (pass == NULL || csuite_by_id(suite) == NULL)
		peercheck_usage();
	if (rakp_creds_set(&creds, user, (const uint8_t *)pass, strlen(pass), NULL, 0) < 0 ||
	    hsclient_init(&h, csuite_by_id(suite), &creds, (uint8_t)priv, name_only, 0x0a0b0c0d,
	                  false) < 0) {
		fprintf(stderr, "peercheck: bad user, password or privilege\n");
		return 1;
	}
	rakp_creds_clear(&creds);
	if ((pc.fd = peercheck_connect(host, port)) < 0)
		return 1;
	rc = peercheck_handshake(&pc, &h);
	if (rc < 0) {
		fprintf(stderr, "peercheck: suite %d: %s\n", suite,
		        h.err != 0 ? hsclient_reason(&h, why, sizeof(why)) : ipmierr_str(rc));
		hsclient_clear(&h);
		close(pc.fd);
		return 1;
	}
	hsclient_take_session(&h, &pc.sess);
	pc.rq_seq = h.rq_seq;
	hsclient_clear(&h);

	uint8_t buf[IPMIMSG_MAX_LEN + 32];
	struct ipmimsg req = { .dst_addr = IPMI_BMC_ADDR,
		               .netfn = IPMI_NETFN_APP,
		               .src_addr = IPMI_REMOTE_SWID,
		               .cmd = IPMI_CMD_GET_DEVICE_ID },
	               rsp;
	rc = peercheck_call(&pc, &bp, &req, buf, sizeof(buf), &rsp);
	if (rc == 0 && rsp.data[0] != 0) {
		fprintf(stderr, "peercheck: Get Device ID: completion code 0x%02x\n", rsp.data[0]);
		rc = IPMI_E_STATUS;
	} else if (rc == 0) {
		for (size_t i = 1; i < rsp.data_len; i++)
			printf("%s%02x", i > 1 ? " " : "", rsp.data[i]);
		printf("\n");
	} else {
		fprintf(stderr, "peercheck: Get Device ID: %s\n", ipmierr_str(rc));
	}
	if (rc == 0 && (rc = peercheck_close(&pc, pc.sess.tx_sid)) < 0)
		fprintf(stderr, "peercheck: Close Session: %s\n", ipmierr_str(rc));
	lanplus_sess_clear(&pc.sess);
	close(pc.fd);
	return rc == 0 ? 0 : 1;
}
