/*
 * fuzz_ipmimsg - IPMI message framing: ipmimsg_decode, ipmimsg_matches and
 * the encode round trip.
 *
 * Input: one framed IPMI message (rsSA | netFn/LUN | chk1 | ... | chk2).
 */
#include <string.h>

#include "fuzz.h"
#include "ipmimsg.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ipmimsg fixed[] = {
		{ .dst_addr = IPMI_BMC_ADDR,
		  .netfn = IPMI_NETFN_APP,
		  .src_addr = IPMI_REMOTE_SWID,
		  .seq = 0,
		  .cmd = IPMI_CMD_GET_CHANNEL_AUTH_CAPS },
		{ .dst_addr = IPMI_BMC_ADDR,
		  .netfn = IPMI_NETFN_APP,
		  .src_addr = IPMI_REMOTE_SWID,
		  .seq = 1,
		  .cmd = IPMI_CMD_SET_SESSION_PRIV },
		{ .dst_addr = IPMI_BMC_ADDR,
		  .netfn = IPMI_NETFN_APP,
		  .src_addr = IPMI_REMOTE_SWID,
		  .seq = 3,
		  .cmd = IPMI_CMD_GET_DEVICE_ID },
	};
	struct ipmimsg m, req;
	uint8_t buf[IPMIMSG_MAX_LEN];
	struct wire_wr w = wire_wr_make(buf, sizeof(buf));
	int n;

	if (ipmimsg_decode(data, size, &m) < 0)
		return 0;
	FUZZ_ASSERT(size >= IPMIMSG_MIN_LEN && m.data == data + 6 && m.data_len == size - 7);
	FUZZ_ASSERT(m.netfn <= 0x3f && m.seq <= 0x3f && m.dst_lun <= 3 && m.src_lun <= 3);
	if (m.data_len > 0)
		(void)ipmimsg_cc_str(m.data[0]);

	/* decode . encode is the identity (every bit is a field or a checksum). */
	n = ipmimsg_encode(&m, &w);
	if (m.data_len <= IPMIMSG_MAX_DATA)
		FUZZ_ASSERT(n > 0 && (size_t)n == size && memcmp(buf, data, size) == 0);
	else
		FUZZ_ASSERT(n < 0);

	/* The request a response answers always matches it. */
	req = (struct ipmimsg){
		.dst_addr = m.src_addr,
		.netfn = m.netfn & 0x3e,
		.dst_lun = m.src_lun,
		.src_addr = m.dst_addr,
		.seq = m.seq,
		.src_lun = m.dst_lun,
		.cmd = m.cmd,
	};
	FUZZ_ASSERT(ipmimsg_matches(&req, &m) == ipmimsg_is_response(&m));
	FUZZ_ASSERT(!ipmimsg_matches(&m, &m) || ipmimsg_is_response(&m));
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		(void)ipmimsg_matches(&fixed[i], &m);
	return 0;
}
