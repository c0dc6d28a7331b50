/*
 * cmd_mc.c - Get Device ID response decoding and the support bit names.
 */
#include <stdio.h>

#include "cmd_mc.h"
#include "ipmierr.h"
#include "wire.h"

int
cmd_mc_devid_decode(const uint8_t *data, size_t len, struct cmd_mc_devid *out)
{
	struct wire_rd r = wire_rd_make(data, len);
	struct cmd_mc_devid d = { 0 };
	uint8_t b;
	size_t rest;

	d.device_id = wire_get_u8(&r);
	b = wire_get_u8(&r);
	d.device_revision = b & 0x0f;
	d.provides_sdrs = b & 0x80;
	b = wire_get_u8(&r);
	d.device_available = (b & 0x80) == 0;
	d.fw_major = b & 0x7f;
	d.fw_minor = wire_get_u8(&r);
	d.ipmi_version = wire_get_u8(&r);
	d.support = wire_get_u8(&r);
	d.manufacturer_id = wire_get_le24(&r) & 0x0fffff;
	d.product_id = wire_get_le16(&r);
	if (!wire_rd_ok(&r))
		return IPMI_E_TRUNCATED;
	if (wire_rd_left(&r) >= sizeof(d.aux)) {
		wire_get_bytes(&r, d.aux, sizeof(d.aux));
		d.has_aux = true;
	}
	/* 12-14 bytes (pyghmi) or trailing padding: tolerated, ignored. */
	(void)wire_get_rest(&r, &rest);
	if (!wire_rd_done(&r))
		return IPMI_E_MALFORMED;
	snprintf(d.firmware, sizeof(d.firmware), "%u.%02x", (unsigned)d.fw_major,
	         (unsigned)d.fw_minor);
	snprintf(d.ipmi_version_str, sizeof(d.ipmi_version_str), "%x.%x",
	         (unsigned)(d.ipmi_version & 0x0f), (unsigned)(d.ipmi_version >> 4));
	*out = d;
	return 0;
}

/* The index of the only bit set in flag (< 8), or -1. */
static int
flag_bit(unsigned flag)
{
	for (int i = 0; i < 8; i++)
		if (flag == 1u << i)
			return i;
	return -1;
}

const char *
cmd_mc_support_name(unsigned flag)
{
	int bit = flag_bit(flag);
	static const char *const names[8] = {
		"sensor",
		"sdr_repository",
		"sel",
		"fru_inventory",
		"ipmb_event_receiver",
		"ipmb_event_generator",
		"bridge",
		"chassis",
	};

	return bit >= 0 ? names[bit] : NULL;
}

const char *
cmd_mc_support_text(unsigned flag)
{
	int bit = flag_bit(flag);
	static const char *const texts[8] = {
		"Sensor Device",
		"SDR Repository Device",
		"SEL Device",
		"FRU Inventory Device",
		"IPMB Event Receiver",
		"IPMB Event Generator",
		"Bridge",
		"Chassis Device",
	};

	return bit >= 0 ? texts[bit] : NULL;
}
