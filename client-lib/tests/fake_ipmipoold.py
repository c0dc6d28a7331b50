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


# Sensors as the daemon's sdr.list/sensor.read give them (daemon/method_sdr.c).
SENSORS = [
    {"number": 0x30, "lun": 0, "owner": 0x20, "name": "CPU Temp", "type": "Temperature",
     "unit": "degrees C", "value": 38, "raw": 38, "status": "ok", "available": True,
     "text": "38 degrees C", "thresholds": {"unc": 80, "ucr": 90, "unr": 100}},
    {"number": 0x31, "lun": 0, "owner": 0x20, "name": "12V", "type": "Voltage",
     "unit": "Volts", "value": 12.058, "raw": 201, "status": "ok", "available": True,
     "text": "12.06 Volts",
     "thresholds": {"lnc": 11.018, "lcr": 10.64, "unc": 12.908, "ucr": 13.286}},
    {"number": 0x40, "lun": 0, "owner": 0x20, "name": "PS Status", "type": "Power Supply",
     "unit": None, "value": None, "raw": 0, "state": "0x0001",
     "states": "Presence detected", "status": "ok", "available": True, "text": "0x01"},
    {"number": 0x41, "lun": 0, "owner": 0x20, "name": "FAN 3", "type": "Fan",
     "unit": "RPM", "value": None, "raw": None, "status": "ns", "available": False,
     "text": "no reading", "thresholds": {"lcr": 600}},
    {"number": 0x42, "lun": 0, "owner": 0x20, "name": "CPU Status", "type": "Processor",
     "unit": None, "value": None, "raw": 0, "state": "0x0081",
     "states": "IERR, Presence detected", "status": "ok", "available": True,
     "text": "0x81"},
    {"number": 0x43, "lun": 0, "owner": 0x20, "name": "Sys Power", "type": "Other",
     "unit": "Watts", "value": 220, "raw": 110, "status": "ok", "available": True,
     "text": "220 Watts"},
    {"number": 0x01, "lun": 0, "owner": 0x30, "name": "SAT Temp", "type": "Temperature",
     "unit": "degrees C", "value": 23.5, "raw": 47, "status": "ok", "available": True,
     "text": "23.50 degrees C", "thresholds": {"unc": 75, "ucr": 85, "unr": 95}},
]

def sel_raw(rid, rtype, ts, rest):
    """A 16-byte SEL record as hex: id, type, timestamp (little-endian), rest."""
    return (rid.to_bytes(2, "little") + bytes([rtype]) + ts.to_bytes(4, "little")).hex() + rest


# The SEL as the daemon's sel.list gives it (daemon/method_sel.c).
SEL = [
    {"id": 1, "type": "system", "record_type": 2, "timestamp": "2025-01-02T03:04:05Z",
     "generator": "0x0020", "sensor_type": "Temperature", "sensor_type_code": 1,
     "sensor_number": 0x30, "event_type": 1, "direction": "assertion", "data": "070000",
     "description": "Upper Critical going high", "raw": sel_raw(1, 2, 1735787045, "2000043001" "01" "070000")},
    {"id": 2, "type": "system", "record_type": 2, "timestamp": "2025-01-02T03:05:00Z",
     "generator": "0x0020", "sensor_type": "Temperature", "sensor_type_code": 1,
     "sensor_number": 0x30, "event_type": 1, "direction": "deassertion", "data": "070000",
     "description": "Upper Critical going high", "raw": sel_raw(2, 2, 1735787100, "2000043001" "81" "070000")},
    {"id": 3, "type": "system", "record_type": 2, "timestamp": 5133,
     "generator": "0x0020", "sensor_type": "Power Supply", "sensor_type_code": 8,
     "sensor_number": 0x07, "event_type": 0x6f, "direction": "assertion", "data": "03ffff",
     "description": "Power Supply AC lost", "raw": sel_raw(3, 2, 5133, "2000040807" "6f" "03ffff")},
    {"id": 4, "type": "system", "record_type": 2, "timestamp": "2025-01-02T03:05:30Z",
     "generator": "0x0020", "sensor_type": "Event Logging Disabled", "sensor_type_code": 0x10,
     "sensor_number": 0, "event_type": 0x6f, "direction": "assertion", "data": "02ffff",
     "description": "Log area reset/cleared", "raw": sel_raw(4, 2, 1735787130, "2000041000" "6f" "02ffff")},
    {"id": 5, "type": "oem_timestamped", "record_type": 0xc0,
     "timestamp": "2025-01-02T03:06:00Z", "generator": None, "sensor_type": None,
     "sensor_type_code": None, "sensor_number": None, "event_type": None, "direction": None,
     "data": "010203040506", "description": "OEM record c0 | 000157 | 010203040506",
     "manufacturer_id": 343, "raw": sel_raw(5, 0xc0, 1735787160, "570100" "010203040506")},
    {"id": 7, "type": "oem", "record_type": 0xe0, "timestamp": None, "generator": None,
     "sensor_type": None, "sensor_type_code": None, "sensor_number": None,
     "event_type": None, "direction": None, "data": "424d4353494d2d4f454d2d3031",
     "description": "OEM record e0 | 424d4353494d2d4f454d2d3031",
     "raw": "0700e0424d4353494d2d4f454d2d3031"},
]


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
                "last_power_event": [], "intrusion": False,
                "front_panel_lockout": False, "drive_fault": False,
                "cooling_fault": False, "identify": None}
    if method == "chassis.power":
        if p.get("action") not in ("on", "off", "cycle", "reset", "soft", "diag"):
            raise RpcError(-32602, "invalid params", bmc=name, detail="bad action")
        if p.get("action") == "diag" and name == "node02":  # as ipmi_sim answers it
            raise RpcError(-32004, "IPMI completion code", bmc=name,
                           detail="Chassis Control: completion code 0xcc "
                                  "(Invalid data field in request)",
                           completion_code=0xCC, text="Invalid data field in request")
        return {}
    if method == "chassis.bootdev":
        return {}
    if method == "mc.info":
        return {"device_id": 32, "device_revision": 1, "firmware_revision": "1.23",
                "ipmi_version": "2.0", "manufacturer_id": 4753, "product_id": 3842,
                "device_available": True, "provides_device_sdrs": False,
                "additional_support": ["sensor", "sdr_repository", "sel", "fru_inventory",
                                       "ipmb_event_receiver", "ipmb_event_generator",
                                       "bridge", "chassis"],
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
        return {"sensors": SENSORS}
    if method == "sensor.read":
        number, lun, owner = p.get("number"), p.get("lun", 0), p.get("owner", 0x20)
        for s in SENSORS:
            if (s["number"], s["lun"], s["owner"]) == (number, lun, owner):
                return s
        raise RpcError(-32602, "Invalid params", bmc=name,
                       detail="no SDR for sensor %u (owner 0x%02x, LUN %u)"
                       % (number, owner, lun))
    if method == "sel.list":
        last = p.get("last", 0)
        return {"entries": SEL[-last:] if last else SEL}
    if method == "sel.info":
        if name == "node02":  # a BMC whose clock was never set: seconds since it started
            return {"version": "1.5", "entries": 7, "free_space": 15888,
                    "last_add": "1970-01-01T01:09:24Z", "last_erase": None,
                    "overflow": False, "last_add_raw": 4164, "last_erase_raw": 0xFFFFFFFF,
                    "supported": ["delete", "reserve"]}
        return {"version": "1.5", "entries": 6, "free_space": 16288,
                "last_add": "2025-01-02T03:06:00Z", "last_erase": None, "overflow": False,
                "last_add_raw": 1735787160, "last_erase_raw": 0,
                "supported": ["delete", "reserve"]}
    if method == "sel.clear":
        return {}
    if method == "sdr.info":
        return {"version": "1.5", "record_count": 7,
                "free_space": 65534 if name == "node01" else 1024,
                "last_add": "2025-01-02T03:04:05Z", "last_erase": None,
                "device_sdrs": False}
    if method == "fru.read":
        return {"chassis": {"type": "Rack Mount Chassis", "type_code": 23,
                            "part_number": "CHS-1", "serial": "C42", "extra": []},
                "board": {"mfg_date": "2019-03-04T18:00:00Z", "manufacturer": "ACME",
                          "product": "X1 Board", "serial": "B123", "part_number": "P-1",
                          "fru_file_id": "", "extra": []},
                "product": {"manufacturer": "ACME", "name": "X1", "part_number": "X1-01",
                            "version": "A", "serial": "S999", "asset_tag": "",
                            "fru_file_id": "", "extra": ["one", "two"]}}
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
            if p["name"] in BMCS:  # the daemon names no BMC here
                raise RpcError(-32602, "Invalid params", param="name",
                               detail="param 'name': a BMC with this name exists")
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
