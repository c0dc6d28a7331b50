#!/usr/bin/python3
"""fake_ipmipoold.py - a tiny scripted stand-in for ipmipoold (JSON-RPC 2.0,
newline-framed, on a Unix socket) for the ipmipoolctl and example tests.

usage: fake_ipmipoold.py SOCKET [REQUEST_LOG]

Canned BMCs: node01, node02, rack1-a, rack1-b (fine) and rack1-c (always
unreachable).  Every request line is appended to REQUEST_LOG when given, so
tests can check the params the CLI sent.  Python standard library only.
"""
import fnmatch
import json
import os
import socketserver
import sys

BMCS = ["node01", "node02", "rack1-a", "rack1-b", "rack1-c"]
KNOWN = {"bmc.list", "bmc.status", "bmc.add", "bmc.remove", "bmc.reconnect", "ipmi.raw",
         "mc.info", "chassis.status", "chassis.power", "chassis.bootdev", "sensor.read",
         "sdr.info", "sdr.list", "sel.info", "sel.list", "sel.clear", "fru.info", "fru.read",
         "daemon.info", "daemon.stats", "daemon.reload", "test.never", "test.close"}


class RpcError(Exception):
    def __init__(self, code, message, **data):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data

    def obj(self):
        return {"code": self.code, "message": self.message, "data": self.data}


def bmc_state(name):
    return {"name": name, "host": name + "-bmc.example.net", "address": "192.0.2.10",
            "port": 623, "state": "active", "cipher_suite": 17,
            "privilege": "administrator", "since": "2025-01-02T03:04:05Z",
            "requests": 12, "retries": 1, "errors": 0, "reconnects": 0,
            "last_error": None}


def data_bytes(d):
    if d is None:
        return []
    if isinstance(d, str):
        return list(bytes.fromhex(d))
    return list(d)


def one_bmc(method, name, p):
    """The result of method on BMC name (raises RpcError)."""
    if name not in BMCS:
        raise RpcError(-32001, "unknown BMC", bmc=name, detail="no BMC named '%s'" % name)
    if name == "rack1-c":
        raise RpcError(-32002, "BMC unreachable", bmc=name,
                       detail="no answer from 192.0.2.13:623 after 3 attempts")
    if method == "bmc.status" or method == "bmc.reconnect":
        return bmc_state(name)
    if method == "bmc.remove":
        return {}
    if method == "chassis.status":
        return {"power_on": name != "node02", "power_overload": False,
                "power_interlock": False, "power_fault": False,
                "power_control_fault": False, "power_restore_policy": "always-off",
                "last_power_event": "", "intrusion": False,
                "front_panel_lockout": False, "drive_fault": False,
                "cooling_fault": False}
    if method == "chassis.power":
        if p.get("action") not in ("on", "off", "cycle", "reset", "soft", "diag"):
            raise RpcError(-32602, "invalid params", bmc=name, detail="bad action")
        return {}
    if method == "chassis.bootdev":
        return {}
    if method == "mc.info":
        return {"device_id": 32, "device_revision": 1, "firmware_revision": "1.23",
                "ipmi_version": "2.0", "manufacturer_id": 4753, "product_id": 3842,
                "device_available": True,
                "additional_support": ["Sensor Device", "SDR Repository Device",
                                       "SEL Device", "FRU Inventory Device"],
                "aux_firmware_revision": "00000000"}
    if method == "ipmi.raw":
        netfn, cmd = p.get("netfn"), p.get("cmd")
        data = data_bytes(p.get("data"))
        if netfn == 6 and cmd == 1:
            return {"completion_code": 0, "data": "200101230" + "29fd97e00534200000000"}
        if netfn == 0x30 and cmd == 0x01:
            return {"completion_code": 0, "data": bytes(range(20)).hex()}
        if netfn == 0x30 and cmd == 0x02:  # echo
            return {"completion_code": 0, "data": bytes(data).hex()}
        return {"completion_code": 0xC1, "data": ""}
    if method == "sdr.list":
        return {"sensors": [
            {"number": 0x30, "lun": 0, "name": "CPU Temp", "type": "Temperature",
             "unit": "degrees C", "value": 38, "raw": 38, "status": "ok"},
            {"number": 0x31, "lun": 0, "name": "12V", "type": "Voltage",
             "unit": "Volts", "value": 12.06, "raw": 201, "status": "ok"},
            {"number": 0x40, "lun": 0, "name": "PS Status", "type": "Power Supply",
             "unit": None, "value": None, "raw": 1, "status": "ok"},
            {"number": 0x41, "lun": 0, "name": "FAN 3", "type": "Fan",
             "unit": "RPM", "value": None, "raw": None, "status": "ns"}]}
    if method == "sensor.read":
        return {"number": p.get("number"), "name": "CPU Temp", "raw": 38, "value": 38,
                "unit": "degrees C", "status": "ok", "available": True}
    if method == "sel.list":
        return {"entries": [
            {"id": 1, "type": 2, "timestamp": "2025-01-02T03:04:05Z", "generator": 32,
             "sensor_type": "Temperature", "sensor_number": 0x30, "event_type": 1,
             "direction": "assertion", "data": "070000",
             "description": "Upper Critical going high"},
            {"id": 2, "type": 2, "timestamp": "2025-01-02T03:05:00Z", "generator": 32,
             "sensor_type": 1, "sensor_number": 0x30, "event_type": 1,
             "direction": "deassertion", "data": "070000",
             "description": "Upper Critical going high"}]}
    if method == "sel.info":
        return {"version": "1.5", "entries": 2, "free_space": 16352,
                "last_add": "2025-01-02T03:05:00Z", "last_erase": None, "overflow": False}
    if method == "sel.clear":
        return {}
    if method == "sdr.info":
        return {"version": 0x51, "record_count": 4, "free_space": 1024,
                "last_add": "2025-01-02T03:04:05Z", "last_erase": None}
    if method == "fru.read":
        return {"board": {"mfg_date": "2019-03-04T18:00:00Z", "manufacturer": "ACME",
                          "product": "X1 Board", "serial": "B123", "part_number": "P-1",
                          "extra": []},
                "product": {"manufacturer": "ACME", "name": "X1", "part_number": "X1-01",
                            "version": "A", "serial": "S999", "asset_tag": "",
                            "extra": ["one", "two"]}}
    raise RpcError(-32601, "Method not found", detail="unknown method '%s'" % method)


def handle(req):
    """The response to one request object, or None (notification/ignored)."""
    rid = req.get("id")
    method = req.get("method", "")
    p = req.get("params") or {}
    try:
        if method not in KNOWN:
            raise RpcError(-32601, "Method not found", detail="unknown method '%s'" % method)
        if method == "bmc.list":
            result = {"bmcs": [bmc_state(n) for n in BMCS]}
        elif method == "daemon.info":
            result = {"version": "0.1.0", "uptime": 42, "pid": os.getpid(), "bmcs": 5,
                      "sessions_active": 4, "clients": 1}
        elif method == "daemon.stats":
            result = {"requests": 10, "responses": 9, "retries": 1, "timeouts": 0,
                      "handshakes": 4, "handshake_failures": 1, "reconnects": 0,
                      "keepalives": 3, "dns_lookups": 5,
                      "packets_rejected": {"bad_mac": 0, "replay": 0,
                                           "unknown_session": 0, "malformed": 0},
                      "p50_us": 900, "p99_us": 4000}
        elif method == "daemon.reload":
            result = {"added": 1, "removed": 0, "changed": 2, "unchanged": 2}
        elif method == "bmc.add":
            if not p.get("name") or not p.get("host"):
                raise RpcError(-32602, "invalid params", detail="name and host required")
            result = bmc_state(p["name"])
            result["state"] = "resolving"
        elif method == "test.never":
            return None
        elif "bmcs" in p:
            names = sorted({n for g in p["bmcs"] for n in BMCS if fnmatch.fnmatchcase(n, g)})
            results = {}
            for n in names:
                try:
                    results[n] = one_bmc(method, n, p)
                except RpcError as e:
                    results[n] = {"error": e.obj()}
            result = {"results": results}
        elif "bmc" in p:
            result = one_bmc(method, p["bmc"], p)
        else:
            raise RpcError(-32602, "invalid params", detail="bmc or bmcs required")
    except RpcError as e:
        return {"jsonrpc": "2.0", "id": rid, "error": e.obj()}
    if rid is None:
        return None
    return {"jsonrpc": "2.0", "id": rid, "result": result}


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            if self.server.log:
                with open(self.server.log, "a") as f:
                    f.write(line.decode())
            try:
                req = json.loads(line)
            except ValueError:
                rsp = {"jsonrpc": "2.0", "id": None,
                       "error": {"code": -32700, "message": "parse error"}}
            else:
                if req.get("method") == "test.close":
                    self.wfile.write(b'{"jsonrpc":"2.0","id":%d,"res' % req["id"])
                    return
                rsp = handle(req)
            if rsp is not None:
                self.wfile.write(json.dumps(rsp).encode() + b"\n")
                self.wfile.flush()


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main():
    path = sys.argv[1]
    if os.path.exists(path):
        os.unlink(path)
    srv = Server(path, Handler)
    srv.log = sys.argv[2] if len(sys.argv) > 2 else None
    try:
        srv.serve_forever()
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
