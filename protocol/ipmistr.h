/*
 * ipmistr.h - IPMI codes to text, the way ipmitool 1.8.19 prints them:
 * sensor units (table 43-15), sensor types (table 42-3), event/reading type
 * classes, event offset descriptions (tables 42-2 and 42-3), type/length
 * encoded strings (SDR ID strings and FRU fields), ipmitool's number format
 * and a clock-free UTC calendar.  Pure: const tables, no allocation.
 *
 * Every text function returns a static constant string (never NULL unless
 * stated); the formatting functions write into a caller's buffer, always
 * NUL-terminate it when cap > 0 and return the length, or IPMI_E_NOSPACE
 * when the text did not fit (the buffer then holds a truncated prefix).
 */
#ifndef IPMIPOOL_IPMISTR_H
#define IPMIPOOL_IPMISTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- sensor units ---- */

#define IPMISTR_UNIT_MAX 92 /* "grams" */

/* Units 1 byte, bits 2:1: how the modifier unit combines with the base unit. */
enum ipmistr_unit_mod {
	IPMISTR_UNIT_MOD_NONE = 0,
	IPMISTR_UNIT_MOD_DIV = 1, /* base / modifier */
	IPMISTR_UNIT_MOD_MUL = 2, /* base * modifier */
};

/* The unit name for a unit type code: "degrees C", "Volts", "RPM", ...;
 * "invalid" above IPMISTR_UNIT_MAX (ipmitool's wording throughout). */
const char *ipmistr_unit(uint8_t code);

/*
 * The full unit text as ipmitool builds it: "% " before it when pct,
 * "base/mod" or "base*mod" for a modifier relation, and "percent" alone for
 * an unspecified base unit with pct.  mod_rel is units-1 bits 2:1.
 */
int ipmistr_units(bool pct, uint8_t mod_rel, uint8_t base, uint8_t mod, char *buf, size_t cap);

/* ---- sensor types and event/reading types ---- */

/* "Temperature", "Voltage", ... for 00h-2Ch; "Unknown" for 2Dh-FFh (OEM). */
const char *ipmistr_sensor_type(uint8_t code);

enum ipmistr_evclass {
	IPMISTR_EV_UNSPECIFIED,     /* 00h */
	IPMISTR_EV_THRESHOLD,       /* 01h */
	IPMISTR_EV_GENERIC,         /* 02h-0Ch generic discrete */
	IPMISTR_EV_SENSOR_SPECIFIC, /* 6Fh */
	IPMISTR_EV_OEM,             /* 70h-7Fh */
	IPMISTR_EV_RESERVED,        /* the rest */
};

/* Classifies an event/reading type code (bit 7, the SEL direction, ignored). */
enum ipmistr_evclass ipmistr_event_class(uint8_t event_type);

/*
 * ipmitool's name of the class: "Unspecified", "Threshold", "Generic
 * Discrete" (02h-0Bh only, like ipmitool; 0Ch is "Reserved" there),
 * "Sensor-specific Discrete", "OEM", "Reserved".
 */
const char *ipmistr_event_type_name(uint8_t event_type);

/*
 * The text of one event offset, as in ipmitool `sel list`: looked up by
 * sensor type for event type 6Fh and by event type otherwise; offset is
 * ev1 & 0Fh; entries keyed on event data 2 (power supply configuration
 * errors, firmware progress, version change) match only when ev1 bits 7:6
 * say byte 2 is specified.  NULL when there is no text (ipmitool then
 * prints an empty field).  Texts have no trailing blanks (ipmitool pads the
 * "going low" threshold texts with one space).
 */
const char *ipmistr_event_desc(uint8_t sensor_type, uint8_t event_type, uint8_t ev1, uint8_t ev2);

/*
 * The asserted states of a discrete sensor joined by sep, in table order,
 * like ipmitool `sdr elist` (", ") - e.g. "Presence detected".  state: bits
 * 0-7 from reading byte 3, bits 8-14 from byte 4.  Empty when nothing known
 * is asserted.
 */
int ipmistr_state_names(uint8_t sensor_type, uint8_t event_type, uint16_t state, const char *sep,
                        char *buf, size_t cap);

/* ---- type/length encoded strings ---- */

enum ipmistr_tl_type {
	IPMISTR_TL_BINARY = 0, /* binary / unspecified (FRU), Unicode (SDR) */
	IPMISTR_TL_BCDPLUS = 1,
	IPMISTR_TL_ASCII6 = 2, /* 6-bit packed ASCII */
	IPMISTR_TL_LATIN1 = 3, /* 8-bit ASCII + Latin 1 */
};

/*
 * Decodes n bytes of a type/length field (type = bits 7:6 of the T/L byte)
 * into UTF-8 text: binary as lower-case hex (like ipmitool), BCD plus as
 * "0123456789 -.:,_", 6-bit ASCII as floor(8n/6) characters, Latin 1
 * converted to UTF-8 (stops at the first NUL; control characters become
 * '.').  Worst case output: 2n + 1 bytes.
 */
int ipmistr_tl_decode(unsigned type, const uint8_t *p, size_t n, char *buf, size_t cap);

/* ---- numbers ---- */

/*
 * ipmitool's "%.*f" with no decimals when the value is integral, else
 * `precision` decimals: sdr list uses 2 ("23.50", "45"), sdr -v and sensor
 * get 3 ("11.963").  (ipmitool `sensor` list always prints "%.3f".)
 */
int ipmistr_fmt_value(double v, int precision, char *buf, size_t cap);

/*
 * A BCD version byte with the major digit in the low nibble, as IPMI
 * encodes the IPMI, SDR and SEL versions: 02h -> "2.0", 51h -> "1.5".
 */
int ipmistr_version(uint8_t bcd, char *buf, size_t cap);

/* True when ipmitool prints v without decimals ((int)v == v, guarded). */
bool ipmistr_is_integral(double v);

/* ---- time (no clock: plain calendar arithmetic) ---- */

struct ipmistr_tm {
	int year; /* e.g. 2024 */
	int mon;  /* 1-12 */
	int mday; /* 1-31 */
	int hour, min, sec;
	int wday; /* 0 = Sunday */
};

/* Breaks seconds since 1970-01-01 00:00 UTC down into a UTC date. */
void ipmistr_utc(int64_t secs, struct ipmistr_tm *tm);

#define IPMISTR_ISO8601_LEN 21 /* "2024-01-15T12:00:00Z" + NUL */

/* Seconds since the epoch as ISO 8601 UTC, "YYYY-MM-DDTHH:MM:SSZ". */
int ipmistr_iso8601(int64_t secs, char *buf, size_t cap);

#endif
