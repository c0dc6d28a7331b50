/*
 * ipmipool.h - libipmipool, the client library of ipmipoold.
 *
 * ipmipoold keeps authenticated IPMI v2.0 (RMCP+) sessions to many BMCs and
 * serves JSON-RPC 2.0 on a Unix socket, one JSON value per line.  This
 * library connects to that socket and makes calls: blocking ones
 * (ipmipool_call() and the typed helpers), or many at once from an event
 * loop without threads (ipmipool_send(), ipmipool_process(),
 * ipmipool_receive()).  Methods, parameters and results are those of the
 * daemon's interface (see libipmipool(3) and ipmipoolctl(1)).
 *
 * Conventions
 *  - Functions that can fail return 0 (or a count) on success and a
 *    negative code on failure: -errno for system errors (e.g. -ENOENT when
 *    the socket does not exist), IPMIPOOL_E_* (-1000 .. -1099) for failures
 *    found by this library, and the daemon's JSON-RPC error code (-32768 ..
 *    -32000, IPMIPOOL_RPC_*) when the daemon answered with an error.
 *    ipmipool_strerror() names every code.
 *  - Where a function takes `struct ipmipool_error *err` (which may be
 *    NULL), it fills it on failure: err->code equals the return value and
 *    the text fields say what happened (which BMC, the daemon's detail, the
 *    IPMI completion code).  On success err->code is set to 0.
 *  - Out-parameters are written only on success.
 *  - json-c objects: parameters passed in are borrowed (the library takes
 *    its own reference while it needs one); results handed out belong to
 *    the caller, who releases them with json_object_put().
 *  - Timeouts are in milliseconds: > 0 as given, IPMIPOOL_TIMEOUT_DEFAULT
 *    (0) for the handle's default (see ipmipool_set_timeout(); initially
 *    60 s), IPMIPOOL_TIMEOUT_INFINITE (-1) to wait for ever.  A call whose
 *    time runs out fails with IPMIPOOL_E_TIMEOUT; a late answer to it is
 *    dropped.
 *
 * Thread safety
 *   A handle (struct ipmipool) is not thread-safe: use one handle per
 *   thread, or serialize every call on a shared handle yourself.  Distinct
 *   handles are independent; the library has no global mutable state, does
 *   not touch signal dispositions and never raises SIGPIPE (it writes with
 *   MSG_NOSIGNAL).  Strings returned as `const char *` are static.
 *
 * Failures of the connection
 *   When the daemon closes the connection or dies, sends something that is
 *   not a JSON-RPC response (or JSON nested deeper than 64 levels), or a
 *   response line longer than the limit (see ipmipool_set_max_response()),
 *   the handle is broken: every call still
 *   waiting fails with that error (IPMIPOOL_E_DISCONNECTED,
 *   IPMIPOOL_E_PROTOCOL or IPMIPOOL_E_TOOBIG), new calls fail at once, and
 *   the only thing left to do is ipmipool_close() and connect again.
 */
#ifndef IPMIPOOL_H
#define IPMIPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct json_object; /* json-c: #include <json-c/json.h> to build params */

/* The daemon's socket when neither a path nor $IPMIPOOL_SOCKET is given. */
#define IPMIPOOL_SOCKET_DEFAULT "/run/ipmipool/ipmipool.sock"
/* The environment variable that overrides the default socket path. */
#define IPMIPOOL_SOCKET_ENV "IPMIPOOL_SOCKET"

/* Requests longer than this are refused by the daemon, so the library
 * refuses to send them (IPMIPOOL_E_TOOBIG). */
#define IPMIPOOL_REQUEST_MAX (64u * 1024u)
/* Default cap on one response line (see ipmipool_set_max_response()). */
#define IPMIPOOL_RESPONSE_MAX_DEFAULT (16u * 1024u * 1024u)

#define IPMIPOOL_TIMEOUT_DEFAULT  0
#define IPMIPOOL_TIMEOUT_INFINITE (-1)

/* Errors found by the library itself. */
enum ipmipool_errcode {
	IPMIPOOL_E_TIMEOUT = -1000,      /* no response within the call's timeout */
	IPMIPOOL_E_DISCONNECTED = -1001, /* the daemon closed the connection */
	IPMIPOOL_E_PROTOCOL = -1002,     /* the daemon sent something that is not JSON-RPC */
	IPMIPOOL_E_TOOBIG = -1003,       /* a request or response exceeds its size limit */
	IPMIPOOL_E_INVALID = -1004,      /* invalid argument */
	IPMIPOOL_E_RPC = -1005,          /* the daemon returned an error code outside
	                                    -32768..-32000 (error.message says which) */
	IPMIPOOL_E_RESULT = -1006,       /* a typed helper got a result it cannot decode */
};

/* JSON-RPC error codes the daemon uses (error.code). */
enum ipmipool_rpc_code {
	IPMIPOOL_RPC_PARSE_ERROR = -32700,
	IPMIPOOL_RPC_INVALID_REQUEST = -32600,
	IPMIPOOL_RPC_METHOD_NOT_FOUND = -32601,
	IPMIPOOL_RPC_INVALID_PARAMS = -32602,
	IPMIPOOL_RPC_INTERNAL = -32603,
	IPMIPOOL_RPC_UNKNOWN_BMC = -32001,     /* no BMC of that name */
	IPMIPOOL_RPC_UNREACHABLE = -32002,     /* BMC unreachable / timed out after all retries */
	IPMIPOOL_RPC_AUTH = -32003,            /* authentication failed */
	IPMIPOOL_RPC_COMPLETION_CODE = -32004, /* IPMI completion code not zero */
	IPMIPOOL_RPC_SESSION_LOST = -32005,    /* session being re-established; retry later */
	IPMIPOOL_RPC_BUSY = -32006,            /* a queue limit was hit */
	IPMIPOOL_RPC_PERMISSION = -32007,      /* this client may not do that */
};

/*
 * What went wrong.  Plain data: copy it freely, nothing to free.  Strings
 * are NUL-terminated and cut (never overflowed) when the daemon sends
 * longer ones; absent ones are "".
 */
struct ipmipool_error {
	int code;            /* the return value: IPMIPOOL_RPC_*, IPMIPOOL_E_* or -errno; 0: none */
	int completion_code; /* IPMI completion code (1..255) from error.data, or -1 */
	char message[256];   /* error.message, or the library's own description */
	char bmc[128];       /* error.data.bmc: the BMC concerned, if any */
	char detail[1024];   /* error.data.detail: the daemon's explanation */
	char text[256];      /* error.data.text: the completion code's name */
};

/* A connection to ipmipoold.  Opaque. */
struct ipmipool;

/* ---- connecting -------------------------------------------------------- */

/*
 * The socket path a NULL path stands for: $IPMIPOOL_SOCKET when set and
 * not empty, else IPMIPOOL_SOCKET_DEFAULT.  The string is getenv()'s or
 * static; do not free it.
 */
const char *ipmipool_default_socket(void);

/*
 * Connects to the daemon at path (NULL or "": ipmipool_default_socket()).
 * On success stores a new handle in *ret (free it with ipmipool_close()).
 * On failure returns -errno (-ENOENT: no socket there, -ECONNREFUSED: no
 * daemon listening, -EACCES: no permission, -ENAMETOOLONG) with the path
 * named in err->message and a hint in err->detail.
 */
int ipmipool_connect(struct ipmipool **ret, const char *path, struct ipmipool_error *err);

/*
 * Wraps an already connected stream socket (e.g. one end of a socketpair,
 * or a descriptor handed over by a service manager).  The handle owns fd
 * from now on, even on failure (then it is closed).  Returns 0 or -errno.
 */
int ipmipool_connect_fd(struct ipmipool **ret, int fd);

/*
 * Closes the connection and frees the handle, dropping any replies not yet
 * received.  NULL is a no-op.
 */
void ipmipool_close(struct ipmipool *p);

/* The path the handle was connected to ("" for ipmipool_connect_fd()). */
const char *ipmipool_socket_path(const struct ipmipool *p);

/*
 * Sets the timeout used for IPMIPOOL_TIMEOUT_DEFAULT: ms > 0, or
 * IPMIPOOL_TIMEOUT_INFINITE.  Returns 0 or IPMIPOOL_E_INVALID.
 */
int ipmipool_set_timeout(struct ipmipool *p, int timeout_ms);

/*
 * Caps the length of one response line (default
 * IPMIPOOL_RESPONSE_MAX_DEFAULT, at least 1024).  A longer line breaks the
 * connection with IPMIPOOL_E_TOOBIG rather than eating memory.  Returns 0
 * or IPMIPOOL_E_INVALID.
 */
int ipmipool_set_max_response(struct ipmipool *p, size_t bytes);

/* ---- blocking calls ---------------------------------------------------- */

/*
 * Calls method with params (a json-c object or array, or NULL for none;
 * borrowed) and waits up to timeout_ms for the answer.  Returns 0 and the
 * result in *ret_result (owned by the caller; may be NULL if ret_result is
 * NULL), or a negative code with err filled.  Replies to calls made with
 * ipmipool_send() that arrive meanwhile are kept for ipmipool_receive().
 */
int ipmipool_call(struct ipmipool *p, const char *method, struct json_object *params,
                  int timeout_ms, struct json_object **ret_result, struct ipmipool_error *err);

/* ---- event-loop use (pipelining without threads) ------------------------
 *
 * Send any number of calls, then wait for the descriptor and collect the
 * replies as they come, in whatever order the daemon answers:
 *
 *	ipmipool_send(p, "mc.info", params, 0, &id);   ... many times
 *	while (ipmipool_pending(p) > 0) {
 *		struct pollfd pfd = { ipmipool_get_fd(p), ipmipool_get_events(p), 0 };
 *		poll(&pfd, 1, ipmipool_get_timeout(p));
 *		ipmipool_process(p);
 *		struct ipmipool_reply r;
 *		while (ipmipool_receive(p, &r) > 0) {
 *			... r.id, r.status, r.result or r.error ...
 *			json_object_put(r.result);
 *		}
 *	}
 *
 * With libevent, epoll and the like: watch ipmipool_get_fd() for the
 * ipmipool_get_events() conditions, arm a timer for ipmipool_get_timeout(),
 * and call ipmipool_process() when either fires.
 */

/* One finished call, handed out by ipmipool_receive(). */
struct ipmipool_reply {
	uint64_t id;                 /* as returned by ipmipool_send() */
	int status;                  /* 0, or the error code (same as error.code) */
	struct json_object *result;  /* status 0: the result, owned by the caller; else NULL */
	struct ipmipool_error error; /* status != 0: what went wrong */
};

/* The socket descriptor to watch.  Do not read, write or close it. */
int ipmipool_get_fd(const struct ipmipool *p);

/*
 * The poll(2) events to wait for: POLLIN while the connection is up, plus
 * POLLOUT while requests are waiting to be written; 0 once it is broken.
 */
short ipmipool_get_events(const struct ipmipool *p);

/*
 * Milliseconds until the earliest pending call times out (rounded up), 0
 * when replies are ready to receive, -1 when nothing is pending: a poll(2)
 * timeout.
 */
int ipmipool_get_timeout(const struct ipmipool *p);

/*
 * Queues a call.  The queue is written by ipmipool_process() (so a burst of
 * calls leaves in one write), or here once 32 KiB are waiting; meanwhile
 * ipmipool_get_events() includes POLLOUT.  params as for ipmipool_call().
 * Stores the call's id (unique on this handle, never 0) in *ret_id when
 * ret_id is not NULL.  Returns 0, or
 * IPMIPOOL_E_TOOBIG (request over IPMIPOOL_REQUEST_MAX),
 * IPMIPOOL_E_INVALID, -ENOMEM, or the error that broke the connection.
 */
int ipmipool_send(struct ipmipool *p, const char *method, struct json_object *params,
                  int timeout_ms, uint64_t *ret_id);

/*
 * Does whatever can be done without blocking: writes queued requests,
 * reads and decodes the responses that have arrived (any number per read,
 * or a part of one), and times out overdue calls.  Returns how many replies
 * are ready for ipmipool_receive() (>= 0), or the error that broke the
 * connection (< 0; the calls it failed are among the replies to receive).
 */
int ipmipool_process(struct ipmipool *p);

/*
 * Takes one finished call, oldest first.  Returns 1 and fills *ret, or 0
 * when none is ready (nothing is written to *ret then).  It does not read
 * the socket: call ipmipool_process() for that.
 */
int ipmipool_receive(struct ipmipool *p, struct ipmipool_reply *ret);

/* Calls sent and not yet handed out by ipmipool_receive() (or cancelled). */
size_t ipmipool_pending(const struct ipmipool *p);

/*
 * Forgets call id: its reply, when it comes, is dropped.  Returns 0, or
 * -ENOENT when no such call is pending.
 */
int ipmipool_cancel(struct ipmipool *p, uint64_t id);

/* ---- errors and names -------------------------------------------------- */

/* A short English text for any return code (0, -errno, IPMIPOOL_*). */
const char *ipmipool_strerror(int code);

/*
 * The name of an IPMI completion code as ipmitool prints it ("Invalid
 * command" for 0xc1), or "Unknown (0xNN)" from a static buffer per value.
 */
const char *ipmipool_completion_code_str(uint8_t cc);

/*
 * Writes a one-line description of err to buf (always NUL-terminated when
 * size > 0): "BMC: message: detail (completion code 0xNN: text)", leaving
 * out the parts that are empty.  Returns buf.
 */
char *ipmipool_error_format(const struct ipmipool_error *err, char *buf, size_t size);

/*
 * Decodes a JSON-RPC error object ({"code", "message", "data": {"bmc",
 * "detail", "completion_code", "text"}}) into *err, e.g. one entry of a
 * fan-out result ({"results": {NAME: {"error": ERROR}}}).  Returns the
 * code (negative), or IPMIPOOL_E_PROTOCOL when obj is not an error object
 * (err describes that then).
 */
int ipmipool_error_from_json(const struct json_object *obj, struct ipmipool_error *err);

/* The library's version, e.g. "0.1.0". */
const char *ipmipool_version(void);

/* ---- typed helpers -------------------------------------------------------
 *
 * Each is a blocking ipmipool_call() of one method on one BMC (by name; for
 * globs and several BMCs use ipmipool_call() with "bmcs") with the
 * handle's default timeout.  A result that lacks a field the helper needs
 * gives IPMIPOOL_E_RESULT.
 */

/* Where to send a command behind the BMC (IPMB bridging). */
struct ipmipool_bridge {
	uint8_t channel;         /* channel number on the BMC */
	uint8_t address;         /* target's IPMB slave address (e.g. 0x82) */
	bool transit;            /* double bridging through: */
	uint8_t transit_channel; /*   channel on the transit controller */
	uint8_t transit_address; /*   transit controller's slave address */
};

#define IPMIPOOL_RAW_MAX 1024

/* An IPMI response: completion code and the data after it. */
struct ipmipool_raw_response {
	uint8_t completion_code; /* not zero is still a response, not an error */
	size_t len;
	uint8_t data[IPMIPOOL_RAW_MAX];
};

/*
 * Sends one IPMI request (method ipmi.raw): netfn (0..0x3f), cmd, lun
 * (0..3), data[0..len) (len <= 255), through bridge when not NULL.
 * Returns 0 with the response in *ret, or a negative code.
 */
int ipmipool_raw(struct ipmipool *p, const char *bmc, const struct ipmipool_bridge *bridge,
                 uint8_t netfn, uint8_t cmd, uint8_t lun, const uint8_t *data, size_t len,
                 struct ipmipool_raw_response *ret, struct ipmipool_error *err);

/*
 * The two halves of ipmipool_raw() for ipmipool_send(): builds the params
 * (a new object, owned by the caller; NULL when an argument is out of
 * range or memory ran out), and decodes a result (0 or IPMIPOOL_E_RESULT).
 */
struct json_object *ipmipool_raw_params(const char *bmc, const struct ipmipool_bridge *bridge,
                                        uint8_t netfn, uint8_t cmd, uint8_t lun,
                                        const uint8_t *data, size_t len);
int ipmipool_raw_result(const struct json_object *result, struct ipmipool_raw_response *ret);

enum ipmipool_power_action {
	IPMIPOOL_POWER_OFF,
	IPMIPOOL_POWER_ON,
	IPMIPOOL_POWER_CYCLE,
	IPMIPOOL_POWER_RESET,
	IPMIPOOL_POWER_DIAG, /* pulse a diagnostic interrupt (NMI) */
	IPMIPOOL_POWER_SOFT, /* ACPI soft shutdown */
};

/* Chassis Control (method chassis.power).  Returns 0 or a negative code. */
int ipmipool_power(struct ipmipool *p, const char *bmc, enum ipmipool_power_action action,
                   struct ipmipool_error *err);

/* Get Chassis Status, decoded (method chassis.status). */
struct ipmipool_chassis_status {
	bool power_on;
	bool power_overload;
	bool power_interlock;
	bool power_fault;
	bool power_control_fault;
	char power_restore_policy[16]; /* always-off, previous, always-on, unknown */
	char last_power_event[64];     /* as the daemon words it; "" when none */
	bool intrusion;
	bool front_panel_lockout;
	bool drive_fault;
	bool cooling_fault;
};

int ipmipool_chassis_status(struct ipmipool *p, const char *bmc,
                            struct ipmipool_chassis_status *ret, struct ipmipool_error *err);

/* Additional device support bits of Get Device ID. */
enum {
	IPMIPOOL_SUPPORT_SENSOR = 1u << 0,
	IPMIPOOL_SUPPORT_SDR_REPOSITORY = 1u << 1,
	IPMIPOOL_SUPPORT_SEL = 1u << 2,
	IPMIPOOL_SUPPORT_FRU = 1u << 3,
	IPMIPOOL_SUPPORT_EVENT_RECEIVER = 1u << 4,
	IPMIPOOL_SUPPORT_EVENT_GENERATOR = 1u << 5,
	IPMIPOOL_SUPPORT_BRIDGE = 1u << 6,
	IPMIPOOL_SUPPORT_CHASSIS = 1u << 7,
};

/* Get Device ID, decoded (method mc.info). */
struct ipmipool_device_id {
	uint8_t device_id;
	uint8_t device_revision;
	char firmware_revision[16]; /* "1.23" */
	char ipmi_version[8];       /* "2.0" */
	uint32_t manufacturer_id;   /* IANA enterprise number */
	uint16_t product_id;
	bool device_available;
	unsigned additional_support; /* IPMIPOOL_SUPPORT_* */
	size_t aux_len;              /* 0 or 4 */
	uint8_t aux_firmware_revision[4];
};

int ipmipool_device_id(struct ipmipool *p, const char *bmc, struct ipmipool_device_id *ret,
                       struct ipmipool_error *err);

/* One sensor of the SDR repository with its reading (method sdr.list). */
struct ipmipool_sensor {
	uint8_t number;
	uint8_t lun;
	char name[64];
	char type[48];  /* "Temperature", ... */
	char unit[48];  /* "degrees C"; "" for discrete sensors */
	bool has_value; /* value holds the converted reading */
	double value;
	int raw;         /* raw reading 0..255, or -1 when there is none */
	char status[64]; /* "ok", "cr", "ns", ... or the discrete state */
};

/*
 * Reads the sensor list.  On success *ret is an array of *ret_n sensors
 * (possibly 0) to free with ipmipool_sensor_list_free().
 */
int ipmipool_sensor_list(struct ipmipool *p, const char *bmc, struct ipmipool_sensor **ret,
                         size_t *ret_n, struct ipmipool_error *err);

/* Frees a list from ipmipool_sensor_list(); NULL is a no-op. */
void ipmipool_sensor_list_free(struct ipmipool_sensor *list);

#ifdef __cplusplus
}
#endif

#endif
