/*
 * pipeline.c - libipmipool example: N Get Device ID requests (ipmi.raw,
 * netfn 0x06 cmd 0x01) to one BMC, at most WINDOW (default 64) in flight,
 * collected as they come back, from one thread with poll(2).  Prints how
 * many succeeded.  (The daemon queues a bounded number of requests per BMC:
 * a window keeps a big run from overflowing it.)
 *
 *   cc -o pipeline pipeline.c $(pkg-config --cflags --libs libipmipool)
 *   ./pipeline node01 1000 [SOCKET [WINDOW]]
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include <json.h>
#include <ipmipool.h>

int
main(int argc, char **argv)
{
	struct ipmipool *p;
	struct ipmipool_error err;
	char msg[2048];
	long n, window = 64, sent = 0;
	int ok = 0, failed = 0;

	if (argc < 3 || (n = strtol(argv[2], NULL, 10)) <= 0 ||
	    (argc > 4 && (window = strtol(argv[4], NULL, 10)) <= 0)) {
		fprintf(stderr, "usage: %s BMC COUNT [SOCKET [WINDOW]]\n", argv[0]);
		return 2;
	}
	if (ipmipool_connect(&p, argc > 3 ? argv[3] : NULL, &err) < 0) {
		fprintf(stderr, "%s\n", ipmipool_error_format(&err, msg, sizeof(msg)));
		return 1;
	}

	while (sent < n || ipmipool_pending(p) > 0) {
		struct pollfd pfd;
		struct ipmipool_reply reply;

		/* Top the window up; the library writes what the socket takes. */
		while (sent < n && (long)ipmipool_pending(p) < window) {
			struct json_object *params =
			    ipmipool_raw_params(argv[1], NULL, 0x06, 0x01, 0, NULL, 0);
			int r =
			    params ? ipmipool_send(p, "ipmi.raw", params, 10000, NULL) : -ENOMEM;

			json_object_put(params);
			sent++;
			if (r < 0) {
				fprintf(stderr, "send: %s\n", ipmipool_strerror(r));
				failed++;
			}
		}
		if (ipmipool_pending(p) == 0)
			continue;
		/* Wait for the socket (or the next deadline) and take the replies. */
		pfd.fd = ipmipool_get_fd(p);
		pfd.events = ipmipool_get_events(p);
		pfd.revents = 0;
		if (pfd.events && poll(&pfd, 1, ipmipool_get_timeout(p)) < 0 && errno != EINTR)
			break;
		ipmipool_process(p);
		while (ipmipool_receive(p, &reply) > 0) {
			struct ipmipool_raw_response rsp;

			if (reply.status == 0 && ipmipool_raw_result(reply.result, &rsp) == 0 &&
			    rsp.completion_code == 0) {
				ok++;
			} else {
				if (failed++ == 0)
					fprintf(stderr, "first failure: %s\n",
					        reply.status ? ipmipool_error_format(
					                           &reply.error, msg, sizeof(msg))
					                     : "non-zero completion code");
			}
			json_object_put(reply.result);
		}
	}
	printf("%d of %ld succeeded\n", ok, n);
	ipmipool_close(p);
	return ok == n ? 0 : 1;
}
