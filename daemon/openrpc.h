/*
 * openrpc.h - the OpenRPC document that rpc.discover returns: daemon/openrpc.json,
 * minified into openrpc_json.c at build time by daemon/embed-json.py.
 * Edit the JSON, never the generated C; the array is NUL-terminated.
 */
#ifndef IPMIPOOL_OPENRPC_H
#define IPMIPOOL_OPENRPC_H

extern const char openrpc_json[];

#endif
