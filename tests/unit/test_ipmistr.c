/*
 * test_ipmistr.c - IPMI code to text tables, type/length strings, number
 * format and the UTC calendar (ipmistr.h), against ipmitool 1.8.19's
 * wording and glibc's gmtime_r.
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "ipmierr.h"
#include "ipmistr.h"
#include "tutil.h"

START_TEST(units)
{
	char buf[64];

	ck_assert_str_eq(ipmistr_unit(0), "unspecified");
	ck_assert_str_eq(ipmistr_unit(1), "degrees C");
	ck_assert_str_eq(ipmistr_unit(4), "Volts");
	ck_assert_str_eq(ipmistr_unit(5), "Amps");
	ck_assert_str_eq(ipmistr_unit(6), "Watts");
	ck_assert_str_eq(ipmistr_unit(18), "RPM");
	ck_assert_str_eq(ipmistr_unit(59), "reserved");
	ck_assert_str_eq(ipmistr_unit(65), "color temp deg K");
	ck_assert_str_eq(ipmistr_unit(92), "grams");
	ck_assert_str_eq(ipmistr_unit(93), "invalid");
	ck_assert_str_eq(ipmistr_unit(255), "invalid");
	for (unsigned c = 0; c <= IPMISTR_UNIT_MAX; c++)
		ck_assert_uint_gt(strlen(ipmistr_unit((uint8_t)c)), 0);

	ck_assert_int_eq(ipmistr_units(false, 0, 1, 0, buf, sizeof(buf)), 9);
	ck_assert_str_eq(buf, "degrees C");
	ck_assert_int_eq(ipmistr_units(true, 0, 18, 0, buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "% RPM");
	ck_assert_int_ge(ipmistr_units(true, 0, 0, 0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "percent");
	ck_assert_int_ge(ipmistr_units(false, IPMISTR_UNIT_MOD_DIV, 6, 24, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Watts/hour");
	ck_assert_int_ge(ipmistr_units(true, IPMISTR_UNIT_MOD_MUL, 5, 22, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "% Amps*second");
	ck_assert_int_ge(ipmistr_units(false, 3, 4, 22, buf, sizeof(buf)), 0); /* reserved */
	ck_assert_str_eq(buf, "Volts");
	ck_assert_int_ge(ipmistr_units(false, IPMISTR_UNIT_MOD_DIV, 200, 201, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "invalid/invalid");
	/* Too small: truncated prefix, NUL-terminated, error. */
	ck_assert_int_eq(ipmistr_units(false, 0, 1, 0, buf, 5), IPMI_E_NOSPACE);
	ck_assert_str_eq(buf, "degr");
	ck_assert_int_eq(ipmistr_units(false, 0, 1, 0, buf, 0), IPMI_E_NOSPACE);
}
END_TEST

START_TEST(sensor_types)
{
	ck_assert_str_eq(ipmistr_sensor_type(0x00), "reserved");
	ck_assert_str_eq(ipmistr_sensor_type(0x01), "Temperature");
	ck_assert_str_eq(ipmistr_sensor_type(0x02), "Voltage");
	ck_assert_str_eq(ipmistr_sensor_type(0x04), "Fan");
	ck_assert_str_eq(ipmistr_sensor_type(0x05), "Physical Security");
	ck_assert_str_eq(ipmistr_sensor_type(0x07), "Processor");
	ck_assert_str_eq(ipmistr_sensor_type(0x08), "Power Supply");
	ck_assert_str_eq(ipmistr_sensor_type(0x0b), "Other");
	ck_assert_str_eq(ipmistr_sensor_type(0x0d), "Drive Slot / Bay");
	ck_assert_str_eq(ipmistr_sensor_type(0x23), "Watchdog2");
	ck_assert_str_eq(ipmistr_sensor_type(0x2c), "FRU State");
	ck_assert_str_eq(ipmistr_sensor_type(0x2d), "Unknown");
	ck_assert_str_eq(ipmistr_sensor_type(0xc0), "Unknown");
	ck_assert_str_eq(ipmistr_sensor_type(0xff), "Unknown");
}
END_TEST

START_TEST(event_classes)
{
	ck_assert_int_eq(ipmistr_event_class(0x00), IPMISTR_EV_UNSPECIFIED);
	ck_assert_int_eq(ipmistr_event_class(0x01), IPMISTR_EV_THRESHOLD);
	ck_assert_int_eq(ipmistr_event_class(0x81), IPMISTR_EV_THRESHOLD); /* direction bit */
	for (unsigned t = 0x02; t <= 0x0c; t++)
		ck_assert_int_eq(ipmistr_event_class((uint8_t)t), IPMISTR_EV_GENERIC);
	ck_assert_int_eq(ipmistr_event_class(0x0d), IPMISTR_EV_RESERVED);
	ck_assert_int_eq(ipmistr_event_class(0x6e), IPMISTR_EV_RESERVED);
	ck_assert_int_eq(ipmistr_event_class(0x6f), IPMISTR_EV_SENSOR_SPECIFIC);
	ck_assert_int_eq(ipmistr_event_class(0xef), IPMISTR_EV_SENSOR_SPECIFIC);
	ck_assert_int_eq(ipmistr_event_class(0x70), IPMISTR_EV_OEM);
	ck_assert_int_eq(ipmistr_event_class(0x7f), IPMISTR_EV_OEM);

	ck_assert_str_eq(ipmistr_event_type_name(0x00), "Unspecified");
	ck_assert_str_eq(ipmistr_event_type_name(0x01), "Threshold");
	ck_assert_str_eq(ipmistr_event_type_name(0x02), "Generic Discrete");
	ck_assert_str_eq(ipmistr_event_type_name(0x0b), "Generic Discrete");
	ck_assert_str_eq(ipmistr_event_type_name(0x0c), "Reserved"); /* as ipmitool */
	ck_assert_str_eq(ipmistr_event_type_name(0x6f), "Sensor-specific Discrete");
	ck_assert_str_eq(ipmistr_event_type_name(0x75), "OEM");
	ck_assert_str_eq(ipmistr_event_type_name(0x20), "Reserved");
}
END_TEST

START_TEST(event_descs)
{
	/* Threshold events: the offset is ev1 bits 3:0, bits 7:4 say what follows. */
	ck_assert_str_eq(ipmistr_event_desc(0x01, 0x01, 0x59, 91), "Upper Critical going high");
	ck_assert_str_eq(ipmistr_event_desc(0x04, 0x01, 0x52, 8), "Lower Critical going low");
	ck_assert_str_eq(ipmistr_event_desc(0x02, 0x01, 0x00, 0), "Lower Non-critical going low");
	ck_assert_str_eq(ipmistr_event_desc(0x02, 0x01, 0x0b, 0),
	                 "Upper Non-recoverable going high");
	ck_assert_ptr_null(ipmistr_event_desc(0x02, 0x01, 0x0c, 0));
	/* Sensor-specific. */
	ck_assert_str_eq(ipmistr_event_desc(0x08, 0x6f, 0x00, 0xff), "Presence detected");
	ck_assert_str_eq(ipmistr_event_desc(0x08, 0x6f, 0x01, 0xff), "Failure detected");
	ck_assert_str_eq(ipmistr_event_desc(0x08, 0x6f, 0x02, 0xff), "Predictive failure");
	ck_assert_str_eq(ipmistr_event_desc(0x08, 0x6f, 0x03, 0xff), "Power Supply AC lost");
	ck_assert_str_eq(ipmistr_event_desc(0x05, 0x6f, 0x00, 0xff), "General Chassis intrusion");
	ck_assert_str_eq(ipmistr_event_desc(0x05, 0x6f, 0x01, 0xff), "Drive Bay intrusion");
	ck_assert_str_eq(ipmistr_event_desc(0x07, 0x6f, 0x07, 0xff), "Presence detected");
	ck_assert_str_eq(ipmistr_event_desc(0x07, 0x6f, 0x01, 0xff), "Thermal Trip");
	ck_assert_str_eq(ipmistr_event_desc(0x0c, 0x6f, 0x00, 0xff), "Correctable ECC");
	ck_assert_str_eq(ipmistr_event_desc(0x10, 0x6f, 0x02, 0xff), "Log area reset/cleared");
	ck_assert_str_eq(ipmistr_event_desc(0x2c, 0x6f, 0x07, 0), "Communication lost");
	ck_assert_str_eq(ipmistr_event_desc(0xf0, 0x6f, 0x04, 0), "Transition to M4");
	ck_assert_ptr_null(ipmistr_event_desc(0x01, 0x6f, 0x00, 0)); /* no table for temp */
	ck_assert_ptr_null(ipmistr_event_desc(0x08, 0x6f, 0x0f, 0));
	/* Data-2 qualified entries only with ev1 bits 7:6 set. */
	ck_assert_str_eq(ipmistr_event_desc(0x08, 0x6f, 0x06, 0x01), "Config Error");
	ck_assert_str_eq(ipmistr_event_desc(0x08, 0x6f, 0xa6, 0x01),
	                 "Config Error: Revision Mismatch");
	ck_assert_str_eq(ipmistr_event_desc(0x08, 0x6f, 0xa6, 0x09), "Config Error");
	ck_assert_str_eq(ipmistr_event_desc(0x0f, 0x6f, 0xc2, 0x13), "System boot initiated");
	ck_assert_str_eq(ipmistr_event_desc(0x0f, 0x6f, 0xc2, 0x40), "Unknown Progress");
	ck_assert_str_eq(ipmistr_event_desc(0x0f, 0x6f, 0x01, 0x13), "Unknown Hang");
	ck_assert_str_eq(ipmistr_event_desc(0x0f, 0x6f, 0xc0, 0x0d), "CPU speed mismatch failure");
	ck_assert_str_eq(ipmistr_event_desc(0x2b, 0x6f, 0xc7, 0x09),
	                 "Firmware or software change success, BIOS/EFI change");
	ck_assert_ptr_null(ipmistr_event_desc(0x2b, 0x6f, 0x07, 0x09)); /* no "any" entry */
	/* Generic discrete. */
	ck_assert_str_eq(ipmistr_event_desc(0x08, 0x03, 0x01, 0), "State Asserted");
	ck_assert_str_eq(ipmistr_event_desc(0x09, 0x0b, 0x01, 0), "Redundancy Lost");
	ck_assert_str_eq(ipmistr_event_desc(0x0d, 0x08, 0x01, 0), "Device Present");
	ck_assert_str_eq(ipmistr_event_desc(0x0d, 0x0c, 0x03, 0), "D3 Power State");
	/* OEM event types: no text; 7Fh and unknown types: none either. */
	ck_assert_ptr_null(ipmistr_event_desc(0x08, 0x70, 0x00, 0));
	ck_assert_ptr_null(ipmistr_event_desc(0x08, 0x7f, 0x00, 0));
	ck_assert_ptr_null(ipmistr_event_desc(0x08, 0x00, 0x00, 0));
	ck_assert_ptr_null(ipmistr_event_desc(0x08, 0x0d, 0x00, 0));
	/* No text ends with a blank (ipmitool pads "going low " entries). */
	for (unsigned st = 0; st < 256; st++)
		for (unsigned et = 0; et < 0x80; et++)
			for (unsigned off = 0; off < 16; off++) {
				const char *d =
				    ipmistr_event_desc((uint8_t)st, (uint8_t)et, (uint8_t)off, 0);

				if (d != NULL)
					ck_assert(d[0] != '\0' && d[strlen(d) - 1] != ' ');
			}
}
END_TEST

START_TEST(state_names)
{
	char buf[256];

	ck_assert_int_eq(ipmistr_state_names(0x08, 0x6f, 0x0001, ", ", buf, sizeof(buf)), 17);
	ck_assert_str_eq(buf, "Presence detected");
	ck_assert_int_ge(ipmistr_state_names(0x07, 0x6f, 0x0080, ", ", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Presence detected");
	ck_assert_int_eq(ipmistr_state_names(0x05, 0x6f, 0x0000, ", ", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_int_ge(ipmistr_state_names(0x08, 0x6f, 0x000b, ", ", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Presence detected, Failure detected, Power Supply AC lost");
	/* Offset 6 of the power supply: both "any" texts, like ipmitool. */
	ck_assert_int_ge(ipmistr_state_names(0x08, 0x6f, 0x0040, "|", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Config Error|Power Supply Inactive");
	/* States 8-14 from the second byte; bit 15 is reserved. */
	ck_assert_int_ge(ipmistr_state_names(0x07, 0x6f, 0x0500, ", ", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Disabled, Throttled");
	ck_assert_int_ge(ipmistr_state_names(0x07, 0x6f, 0x8000, ", ", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	/* Threshold sensors use the generic table 01h. */
	ck_assert_int_ge(ipmistr_state_names(0x01, 0x01, 0x0200, ", ", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Upper Critical going high");
	ck_assert_int_ge(ipmistr_state_names(0x0c, 0x6f, 0x0440, ", ", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Presence Detected, Critical Overtemperature");
	/* Small buffer. */
	ck_assert_int_eq(ipmistr_state_names(0x08, 0x6f, 0x000b, ", ", buf, 10), IPMI_E_NOSPACE);
	ck_assert_str_eq(buf, "Presence ");
}
END_TEST

START_TEST(tl_strings)
{
	static const uint8_t ascii[] = { 'C', 'P', 'U', ' ', 'T', 'e', 'm', 'p' };
	static const uint8_t latin1[] = { 'F', 0xfc, 'r', 0x01, 0xa0, 0x7f, 0, 'x' };
	static const uint8_t bcd[] = { 0x12, 0x34, 0xab, 0xcd, 0xef };
	/* "IPMI" in 6-bit packed ASCII: 29h 30h 2Dh 29h, LSB first. */
	static const uint8_t six[] = { 0x29, 0xdc, 0xa6 };
	uint8_t sixbuf[6];
	char buf[64];

	ck_assert_int_eq(
	    ipmistr_tl_decode(IPMISTR_TL_LATIN1, ascii, sizeof(ascii), buf, sizeof(buf)), 8);
	ck_assert_str_eq(buf, "CPU Temp");
	/* Latin 1 to UTF-8, control characters '.', stops at NUL. */
	ck_assert_int_eq(ipmistr_tl_decode(3, latin1, sizeof(latin1), buf, sizeof(buf)), 8);
	ck_assert_str_eq(buf, "F\xc3\xbcr.\xc2\xa0.");
	ck_assert_int_eq(ipmistr_tl_decode(IPMISTR_TL_BCDPLUS, bcd, sizeof(bcd), buf, sizeof(buf)),
	                 10);
	ck_assert_str_eq(buf, "1234 -.:,_");
	ck_assert_int_eq(ipmistr_tl_decode(IPMISTR_TL_BINARY, bcd, sizeof(bcd), buf, sizeof(buf)),
	                 10);
	ck_assert_str_eq(buf, "1234abcdef");
	ck_assert_int_eq(ipmistr_tl_decode(IPMISTR_TL_ASCII6, six, sizeof(six), buf, sizeof(buf)),
	                 4);
	ck_assert_str_eq(buf, "IPMI");
	/* Two groups; a partial group gives floor(8n/6) characters. */
	memcpy(sixbuf, six, 3);
	memcpy(sixbuf + 3, six, 3);
	ck_assert_int_eq(ipmistr_tl_decode(2, sixbuf, 6, buf, sizeof(buf)), 8);
	ck_assert_str_eq(buf, "IPMIIPMI");
	ck_assert_int_eq(ipmistr_tl_decode(2, sixbuf, 5, buf, sizeof(buf)), 6);
	ck_assert_str_eq(buf, "IPMIIP");
	ck_assert_int_eq(ipmistr_tl_decode(2, sixbuf, 1, buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "I");
	/* Empty, NULL, small buffers. */
	ck_assert_int_eq(ipmistr_tl_decode(3, ascii, 0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(ipmistr_tl_decode(0, NULL, 5, buf, sizeof(buf)), 0);
	ck_assert_int_eq(ipmistr_tl_decode(3, ascii, sizeof(ascii), buf, 4), IPMI_E_NOSPACE);
	ck_assert_str_eq(buf, "CPU");
	ck_assert_int_eq(ipmistr_tl_decode(0, bcd, sizeof(bcd), buf, 10), IPMI_E_NOSPACE);
	ck_assert_str_eq(buf, "1234abcde");
	/* Worst case 2n + 1 fits. */
	{
		uint8_t all[63];
		char out[127];

		for (size_t i = 0; i < sizeof(all); i++)
			all[i] = (uint8_t)(0xc0 + i);
		ck_assert_int_eq(ipmistr_tl_decode(3, all, sizeof(all), out, sizeof(out)), 126);
		ck_assert_int_eq(ipmistr_tl_decode(0, all, sizeof(all), out, sizeof(out)), 126);
		ck_assert_int_eq(ipmistr_tl_decode(1, all, sizeof(all), out, sizeof(out)), 126);
		ck_assert_int_eq(ipmistr_tl_decode(2, all, sizeof(all), out, sizeof(out)), 84);
	}
}
END_TEST

START_TEST(numbers)
{
	char buf[64];

	/* The fixture's values as ipmitool prints them. */
	ck_assert_int_eq(ipmistr_fmt_value(45.0, 2, buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "45");
	ck_assert_int_ge(ipmistr_fmt_value(23.5, 2, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "23.50");
	ck_assert_int_ge(ipmistr_fmt_value((63 * 201 + -7 * 100.0) * 0.001, 2, buf, sizeof(buf)),
	                 0);
	ck_assert_str_eq(buf, "11.96");
	ck_assert_int_ge(ipmistr_fmt_value((63 * 201 + -7 * 100.0) * 0.001, 3, buf, sizeof(buf)),
	                 0);
	ck_assert_str_eq(buf, "11.963");
	ck_assert_int_ge(ipmistr_fmt_value((16 * 209 + -5 * 10.0) * 0.001, 3, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "3.294");
	ck_assert_int_ge(ipmistr_fmt_value(5400.0, 3, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "5400");
	ck_assert_int_ge(ipmistr_fmt_value(-12.25, 2, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "-12.25");
	ck_assert_int_ge(ipmistr_fmt_value(-3.0, 2, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "-3");
	ck_assert_int_ge(ipmistr_fmt_value(0.0, 2, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0");
	ck_assert_int_eq(ipmistr_version(0x51, buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "1.5");
	ck_assert_int_eq(ipmistr_version(0x02, buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "2.0");
	ck_assert_int_eq(ipmistr_version(0x51, buf, 3), IPMI_E_NOSPACE);
	/* Out of int range: never "integral" (ipmitool's (int) cast). */
	ck_assert(!ipmistr_is_integral(1e12));
	ck_assert(!ipmistr_is_integral(NAN));
	ck_assert(!ipmistr_is_integral(INFINITY));
	ck_assert(ipmistr_is_integral(2147483647.0));
	ck_assert(ipmistr_is_integral(-2147483648.0));
	ck_assert(!ipmistr_is_integral(2147483648.0));
	ck_assert_int_ge(ipmistr_fmt_value(1e12, 2, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1000000000000.00");
	ck_assert_int_eq(ipmistr_fmt_value(123.456, 3, buf, 4), IPMI_E_NOSPACE);
	ck_assert_int_ge(ipmistr_fmt_value(1.5, -1, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "2");
}
END_TEST

START_TEST(calendar)
{
	char buf[IPMISTR_ISO8601_LEN];
	struct ipmistr_tm tm;
	/* Edge dates, leap days, the FRU epoch, the fixture's board date. */
	static const int64_t samples[] = {
		0,          -1,         86399,       86400,      951782400,    951868799,
		820454400,  1705320000, 2147483647,  4294967295, -62135596800, 253402300799,
		1709164800, 4107542400, -2208988800,
	};

	ck_assert_int_eq(ipmistr_iso8601(1705320000, buf, sizeof(buf)), 20);
	ck_assert_str_eq(buf, "2024-01-15T12:00:00Z");
	ck_assert_int_eq(ipmistr_iso8601(820454400, buf, sizeof(buf)), 20);
	ck_assert_str_eq(buf, "1996-01-01T00:00:00Z");
	ck_assert_int_eq(ipmistr_iso8601(0, buf, sizeof(buf)), 20);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	ck_assert_int_eq(ipmistr_iso8601(1668, buf, sizeof(buf)), 20);
	ck_assert_str_eq(buf, "1970-01-01T00:27:48Z");
	ck_assert_int_eq(ipmistr_iso8601(4294967295, buf, sizeof(buf)), 20);
	ck_assert_str_eq(buf, "2106-02-07T06:28:15Z");
	ck_assert_int_eq(ipmistr_iso8601(0, buf, 20), IPMI_E_NOSPACE);

	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		time_t t = (time_t)samples[i];
		struct tm g;

		ck_assert_ptr_nonnull(gmtime_r(&t, &g));
		ipmistr_utc(samples[i], &tm);
		ck_assert_int_eq(tm.year, g.tm_year + 1900);
		ck_assert_int_eq(tm.mon, g.tm_mon + 1);
		ck_assert_int_eq(tm.mday, g.tm_mday);
		ck_assert_int_eq(tm.hour, g.tm_hour);
		ck_assert_int_eq(tm.min, g.tm_min);
		ck_assert_int_eq(tm.sec, g.tm_sec);
		ck_assert_int_eq(tm.wday, g.tm_wday);
	}
	/* Every day over 300 years, and odd seconds, against gmtime_r. */
	for (int64_t s = -2208988800 + 12345; s < 7258118400; s += 86400 - 7) {
		time_t t = (time_t)s;
		struct tm g;

		ck_assert_ptr_nonnull(gmtime_r(&t, &g));
		ipmistr_utc(s, &tm);
		ck_assert_int_eq(tm.year, g.tm_year + 1900);
		ck_assert_int_eq(tm.mon, g.tm_mon + 1);
		ck_assert_int_eq(tm.mday, g.tm_mday);
		ck_assert_int_eq(tm.hour * 3600 + tm.min * 60 + tm.sec,
		                 g.tm_hour * 3600 + g.tm_min * 60 + g.tm_sec);
		ck_assert_int_eq(tm.wday, g.tm_wday);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ipmistr");
	TCase *tc = tu_tcase(s, "tables");

	tcase_add_test(tc, units);
	tcase_add_test(tc, sensor_types);
	tcase_add_test(tc, event_classes);
	tcase_add_test(tc, event_descs);
	tcase_add_test(tc, state_names);
	tc = tu_tcase(s, "format");
	tcase_add_test(tc, tl_strings);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, calendar);
	return tu_run(s);
}
