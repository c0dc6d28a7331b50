/*
 * control.h - the Unix socket clients talk JSON-RPC on: creation (or
 * socket activation), accept, peer credentials, newline framing, limits on
 * line length and buffered output.  Shell module.
 */
#ifndef IPMIPOOL_CONTROL_H
#define IPMIPOOL_CONTROL_H

#include "config.h"
#include "rpc.h"

struct event_base;
struct control;

#define CONTROL_MAX_OUTPUT (4 * 1024 * 1024) /* unread output before a client is dropped */

/*
 * Listens on cfg->socket, or on listen_fd (>= 0: inherited through socket
 * activation).  Returns NULL with a logged reason.
 */
struct control *control_new(struct event_base *base, struct rpc *rpc,
                            const struct config_daemon *cfg, int listen_fd);
/* Stops accepting; existing connections stay until control_free. */
void control_stop(struct control *c);
/* Closes everything and removes the socket file (if we created it). */
void control_free(struct control *c);
/* The daemon settings changed (ACL lists); applies to new connections. */
void control_set_config(struct control *c, const struct config_daemon *cfg);

#endif
