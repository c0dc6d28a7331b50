/*
 * log.h - the daemon's logging, in the OpenBSD shape.
 *
 * To stderr; with "<N>" syslog priority prefixes when JOURNAL_STREAM is set
 * (systemd reads them).  Never pass a password, key or K_g.
 */
#ifndef IPMIPOOL_LOG_H
#define IPMIPOOL_LOG_H

#include <stdarg.h>

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARNING, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_init(enum log_level level);
/* From now on log to syslog (a daemon detached from its terminal). */
void log_to_syslog(void);
void log_set_level(enum log_level level);
int log_get_level(void);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* + strerror(errno) */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Start-up only: logs and exits 1. */
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
