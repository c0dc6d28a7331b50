/*
 * ipmimsg.c - IPMI message framing, checksums and completion-code names.
 */
#include "ipmierr.h"
#include "ipmimsg.h"

uint8_t
ipmimsg_checksum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	return (uint8_t)-sum;
}

int
ipmimsg_encode(const struct ipmimsg *m, struct wire_wr *w)
{
	size_t start = w->len;
	uint8_t *h;

	if (m->netfn > 0x3f || m->dst_lun > 3 || m->src_lun > 3 || m->seq > 0x3f ||
	    m->data_len > IPMIMSG_MAX_DATA || (m->data_len > 0 && m->data == NULL))
		return IPMI_E_ARG;
	wire_put_u8(w, m->dst_addr);
	wire_put_u8(w, (uint8_t)(m->netfn << 2 | m->dst_lun));
	h = w->p != NULL && wire_wr_ok(w) ? w->p + start : NULL;
	wire_put_u8(w, h != NULL ? ipmimsg_checksum(h, 2) : 0);
	wire_put_u8(w, m->src_addr);
	wire_put_u8(w, (uint8_t)(m->seq << 2 | m->src_lun));
	wire_put_u8(w, m->cmd);
	wire_put_bytes(w, m->data, m->data_len);
	if (!wire_wr_ok(w))
		return IPMI_E_NOSPACE;
	wire_put_u8(w, ipmimsg_checksum(w->p + start + 3, w->len - start - 3));
	if (!wire_wr_ok(w))
		return IPMI_E_NOSPACE;
	return (int)(w->len - start);
}

int
ipmimsg_decode(const uint8_t *buf, size_t len, struct ipmimsg *out)
{
	struct wire_rd r = wire_rd_make(buf, len);
	struct ipmimsg m;
	uint8_t b;

	if (len < IPMIMSG_MIN_LEN)
		return IPMI_E_TRUNCATED;
	if (ipmimsg_checksum(buf, 3) != 0 || ipmimsg_checksum(buf + 3, len - 3) != 0)
		return IPMI_E_CHECKSUM;
	m.dst_addr = wire_get_u8(&r);
	b = wire_get_u8(&r);
	m.netfn = b >> 2;
	m.dst_lun = b & 3;
	wire_skip(&r, 1);
	m.src_addr = wire_get_u8(&r);
	b = wire_get_u8(&r);
	m.seq = b >> 2;
	m.src_lun = b & 3;
	m.cmd = wire_get_u8(&r);
	m.data_len = wire_rd_left(&r) - 1;
	m.data = wire_get_ref(&r, m.data_len);
	wire_skip(&r, 1);
	if (!wire_rd_done(&r))
		return IPMI_E_TRUNCATED;
	if (ipmimsg_is_response(&m) && m.data_len < 1)
		return IPMI_E_TRUNCATED; /* a response always has a completion code */
	*out = m;
	return 0;
}

bool
ipmimsg_matches(const struct ipmimsg *req, const struct ipmimsg *rsp)
{
	return rsp->netfn == (req->netfn | 1) && rsp->cmd == req->cmd && rsp->seq == req->seq &&
	       rsp->dst_addr == req->src_addr && rsp->src_addr == req->dst_addr &&
	       rsp->dst_lun == req->src_lun && rsp->data_len >= 1;
}

const char *
ipmimsg_cc_str(uint8_t cc)
{
	switch (cc) {
	case 0x00:
		return "Command completed normally";
	case 0xc0:
		return "Node busy";
	case 0xc1:
		return "Invalid command";
	case 0xc2:
		return "Invalid command on LUN";
	case 0xc3:
		return "Timeout";
	case 0xc4:
		return "Out of space";
	case 0xc5:
		return "Reservation cancelled or invalid";
	case 0xc6:
		return "Request data truncated";
	case 0xc7:
		return "Request data length invalid";
	case 0xc8:
		return "Request data field length limit exceeded";
	case 0xc9:
		return "Parameter out of range";
	case 0xca:
		return "Cannot return number of requested data bytes";
	case 0xcb:
		return "Requested sensor, data, or record not found";
	case 0xcc:
		return "Invalid data field in request";
	case 0xcd:
		return "Command illegal for specified sensor or record type";
	case 0xce:
		return "Command response could not be provided";
	case 0xcf:
		return "Cannot execute duplicated request";
	case 0xd0:
		return "SDR Repository in update mode";
	case 0xd1:
		return "Device firmware in update mode";
	case 0xd2:
		return "BMC initialization in progress";
	case 0xd3:
		return "Destination unavailable";
	case 0xd4:
		return "Insufficient privilege level";
	case 0xd5:
		return "Command not supported in present state";
	case 0xd6:
		return "Cannot execute command, command disabled";
	case 0xff:
		return "Unspecified error";
	case 0x80:
		return "Invalid session handle or empty buffer";
	case 0x81:
		return "Lost arbitration";
	case 0x82:
		return "Bus error";
	case 0x83:
		return "NAK on write";
	default:
		return NULL;
	}
}
