/*
 * fuzz_fru - FRU inventory: the input as a whole FRU image through
 * cmd_fru_parse (every field must come back NUL-terminated inside its
 * array, and a failure must name an area), and as Get FRU Inventory Area
 * Info and Read FRU Data answers (byte and word access).
 */
#include <string.h>

#include "cmd_fru.h"
#include "fuzz.h"
#include "ipmierr.h"

static void
field(const struct cmd_fru_field *f)
{
	size_t n = strnlen(f->text, sizeof(f->text));

	FUZZ_ASSERT(n < sizeof(f->text));
	FUZZ_ASSERT(f->present || n == 0);
	FUZZ_ASSERT(n <= 2u * f->len);
}

static void
extras(const struct cmd_fru_extras *e)
{
	for (unsigned i = 0; i < e->count && i < CMD_FRU_EXTRA_MAX; i++)
		field(&e->field[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cmd_fru f;
	struct cmd_fru_info info;
	enum cmd_fru_area area = CMD_FRU_AREA_MULTIRECORD;
	const uint8_t *chunk;
	size_t clen;
	int rc;

	rc = cmd_fru_parse(data, size, &f, &area);
	if (rc == 0) {
		FUZZ_ASSERT(size >= 8);
		field(&f.chassis.part_number);
		field(&f.chassis.serial);
		extras(&f.chassis.extra);
		field(&f.board.manufacturer);
		field(&f.board.product);
		field(&f.board.serial);
		field(&f.board.part_number);
		field(&f.board.file_id);
		extras(&f.board.extra);
		field(&f.product.manufacturer);
		field(&f.product.name);
		field(&f.product.part_number);
		field(&f.product.version);
		field(&f.product.serial);
		field(&f.product.asset_tag);
		field(&f.product.file_id);
		extras(&f.product.extra);
		FUZZ_ASSERT(f.board.mfg_minutes < (1u << 24));
		(void)cmd_fru_chassis_type_name(f.chassis.type);
	} else {
		FUZZ_ASSERT(rc == IPMI_E_TRUNCATED || rc == IPMI_E_CHECKSUM ||
		            rc == IPMI_E_MALFORMED);
		FUZZ_ASSERT(area == CMD_FRU_AREA_HEADER || area == CMD_FRU_AREA_CHASSIS ||
		            area == CMD_FRU_AREA_BOARD || area == CMD_FRU_AREA_PRODUCT);
		(void)cmd_fru_area_name(area);
	}
	(void)cmd_fru_info_decode(data, size, &info);
	for (int words = 0; words < 2; words++) {
		if (cmd_fru_read_decode(data, size, words, &chunk, &clen) == 0)
			FUZZ_ASSERT(chunk == data + 1 && 1 + clen == size &&
			            clen == (size_t)data[0] * (words ? 2 : 1));
	}
	return 0;
}
