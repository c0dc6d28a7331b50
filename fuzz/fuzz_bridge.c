/*
 * fuzz_bridge - answers to bridged requests: ipmimsg_decode, then
 * bridge_unwrap and bridge_matches with single and double bridging, plus
 * bridge_wrap of the request.
 *
 * Input: request netFn (low 6 bits), request cmd, then the framed message
 * the BMC returned.
 */
#include <string.h>

#include "bridge.h"
#include "fuzz.h"
#include "ipmierr.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bridge_path paths[] = {
		{ .depth = 1, .channel = 0, .addr = 0x72 },
		{ .depth = 2,
		  .channel = 7,
		  .addr = 0x72,
		  .transit_channel = 0,
		  .transit_addr = 0x84 },
	};
	struct ipmimsg req, rsp, out, outer;
	uint8_t wrapped[BRIDGE_BUFLEN];

	if (size < 2)
		return 0;
	req = (struct ipmimsg){
		.dst_addr = IPMI_BMC_ADDR,
		.netfn = data[0] & 0x3e,
		.src_addr = IPMI_REMOTE_SWID,
		.cmd = data[1],
	};
	data += 2;
	size -= 2;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		req.data = data;
		req.data_len = size < 32 ? size : 32;
		if (bridge_wrap(&paths[i], &req, wrapped, sizeof(wrapped), &outer) == 0)
			FUZZ_ASSERT(outer.data == wrapped && outer.data_len <= sizeof(wrapped) &&
			            outer.cmd == IPMI_CMD_SEND_MESSAGE);
	}
	req.data = NULL;
	req.data_len = 0;

	if (ipmimsg_decode(data, size, &rsp) < 0)
		return 0;
	req.seq = rsp.seq;
	(void)bridge_matches(&req, &rsp);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int rc = bridge_unwrap(&paths[i], &req, &rsp, &out);

		FUZZ_ASSERT(rc == BRIDGE_FINAL || rc == BRIDGE_PENDING || rc == IPMI_E_MISMATCH ||
		            rc == IPMI_E_MALFORMED);
		if (rc == BRIDGE_FINAL) {
			/* Whatever is returned lies inside what the BMC sent. */
			FUZZ_ASSERT(out.data_len >= 1 && out.data >= data &&
			            out.data + out.data_len <= data + size);
			(void)ipmimsg_cc_str(out.data[0]);
		}
	}
	return 0;
}
