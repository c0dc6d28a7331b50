/*
 * log.c - leveled logging to stderr (journal-aware).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static enum log_level log_level = LOG_LVL_INFO;
static int log_journal;
static int log_syslog;

void
log_init(enum log_level level)
{
	log_level = level;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

void
log_to_syslog(void)
{
	openlog("ipmipoold", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog = 1;
}

void
log_set_level(enum log_level level)
{
	log_level = level;
}

int
log_get_level(void)
{
	return (int)log_level;
}

static void __attribute__((format(printf, 3, 0)))
log_vwrite(enum log_level lvl, const char *suffix, const char *fmt, va_list ap)
{
	/* syslog priorities: err 3, warning 4, info 6, debug 7 */
	static const int prio[] = { 3, 4, 6, 7 };
	static const char *const tag[] = { "error: ", "warning: ", "", "debug: " };
	char line[1024];

	if (lvl > log_level)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_syslog)
		syslog(prio[lvl], "%s%s%s", line, suffix ? ": " : "", suffix ? suffix : "");
	else if (log_journal)
		fprintf(stderr, "<%d>%s%s%s\n", prio[lvl], line, suffix ? ": " : "",
		        suffix ? suffix : "");
	else
		fprintf(stderr, "ipmipoold: %s%s%s%s\n", tag[lvl], line, suffix ? ": " : "",
		        suffix ? suffix : "");
}

void
log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_WARNING, strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

#define LOG_FN(name, lvl)                                                                          \
	void name(const char *fmt, ...)                                                            \
	{                                                                                          \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		log_vwrite(lvl, NULL, fmt, ap);                                                    \
		va_end(ap);                                                                        \
	}

LOG_FN(log_warnx, LOG_LVL_WARNING)
LOG_FN(log_info, LOG_LVL_INFO)
LOG_FN(log_debug, LOG_LVL_DEBUG)
LOG_FN(log_error, LOG_LVL_ERROR)

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
