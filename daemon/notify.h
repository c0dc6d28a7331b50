/*
 * notify.h - systemd integration without libsystemd: sd_notify messages
 * (READY=1, STATUS=, STOPPING=1, WATCHDOG=1) and socket activation
 * (LISTEN_FDS).  Shell module.
 */
#ifndef IPMIPOOL_NOTIFY_H
#define IPMIPOOL_NOTIFY_H

#include <stdint.h>

/* Sends msg to $NOTIFY_SOCKET if set; 0, or -errno. */
int notify_send(const char *msg);
/* The watchdog interval in microseconds asked for by systemd, or 0. */
uint64_t notify_watchdog_usec(void);
/* The first socket passed by systemd (fd 3) or -1; clears the variables. */
int notify_listen_fd(void);

#endif
