/*
 * cmd_channel.h - Get Channel Authentication Capabilities and Get Channel
 * Cipher Suites (IPMI v2.0 22.13, 22.15): request data and decoders.
 */
#ifndef IPMIPOOL_CMD_CHANNEL_H
#define IPMIPOOL_CMD_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMD_CHANNEL_CURRENT 0x0e

struct cmd_channel_authcaps {
	uint8_t channel;
	uint8_t auth_types; /* v1.5 auth type bits */
	bool ipmi20;        /* IPMI v2.0 / RMCP+ supported */
	bool kg_set;        /* a non-zero K_g is configured */
	bool per_msg_auth_off;
	bool user_level_auth_off;
	bool non_null_users;
	bool null_users;
	bool anonymous;
	uint32_t oem_id;
};

/* Request data (2 bytes): current channel with the v2.0 bit, privilege. */
int cmd_channel_authcaps_req(uint8_t priv, uint8_t out[2]);
/* Decodes the response data after the completion code. */
int cmd_channel_authcaps_decode(const uint8_t *data, size_t len, struct cmd_channel_authcaps *out);

/* Request data (3 bytes) for list index idx (0..63) of algorithm records. */
int cmd_channel_ciphers_req(uint8_t idx, uint8_t out[3]);
/*
 * Gathers one response (after the completion code) into the record buffer.
 * Returns the number of record bytes appended (16 or fewer: a short chunk
 * is the last one).
 */
int cmd_channel_ciphers_chunk(const uint8_t *data, size_t len, uint8_t *buf, size_t cap,
                              size_t *used);
/* Parses the gathered records into suite ids; returns their count. */
int cmd_channel_ciphers_parse(const uint8_t *buf, size_t len, uint8_t *ids, size_t max);

#endif
