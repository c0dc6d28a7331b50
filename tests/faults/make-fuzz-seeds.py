#!/usr/bin/python3
"""make-fuzz-seeds.py - regenerates the seed corpora of fuzz/fuzz_rpc.c and
fuzz/fuzz_config.c (fuzz/corpus/fuzz_rpc, fuzz/corpus/fuzz_config).

fuzz_rpc seeds carry real BMC answers: ipmipoold talks to an ipmi_sim
fixture (tests/bmcsim) through the fault proxy with cipher suite 1 (no
integrity, no encryption, so the proxy can read the IPMI messages), one
request at a time; the answers to each RPC call are recorded in order and
written as the harness's response tape (see the top of fuzz/fuzz_rpc.c).

    IPMIPOOLD=build/daemon/ipmipoold BMCSIM=tests/bmcsim/bmcsim \\
        /usr/bin/python3 tests/faults/make-fuzz-seeds.py [OUTDIR]

OUTDIR defaults to fuzz/corpus.  Needs ipmi_sim; only loopback is used.
"""

import json
import os
import struct
import sys
import tempfile
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import faultlib  # noqa: E402
from faultlib import harness  # noqa: E402

SRC = os.path.dirname(os.path.dirname(HERE))

# (seed name, flags, [(method, params)]) -- params' "bmc" is the fake pool's.
RPC_SEEDS = [
    ('info', 0, [('daemon.info', None), ('daemon.stats', None), ('bmc.list', None),
                 ('bmc.status', {'bmc': 'node02'}), ('bmc.status', {'bmcs': ['*']})]),
    ('discover', 0, [('rpc.discover', None)]),
    ('raw-devid', 0, [('ipmi.raw', {'bmc': 'B', 'netfn': 6, 'cmd': 1})]),
    ('raw-data', 0, [('ipmi.raw', {'bmc': 'B', 'netfn': 0x0a, 'cmd': 0x11,
                                   'data': '00 00 00 10'}),
                     ('ipmi.raw', {'bmc': 'B', 'netfn': 4, 'cmd': 0x2d, 'data': [1]})]),
    ('raw-bridged', 0, [('ipmi.raw', {'bmc': 'B', 'netfn': 6, 'cmd': 1,
                                      'bridge': {'channel': 0, 'address': 0x30}})]),
    ('mc-info', 0, [('mc.info', {'bmc': 'B'})]),
    ('mc-info-bridged', 0, [('mc.info', {'bmc': 'B',
                                         'bridge': {'channel': 0, 'address': 0x30}})]),
    ('chassis-status', 0, [('chassis.status', {'bmc': 'B'})]),
    ('chassis-power', 0, [('chassis.power', {'bmc': 'B', 'action': 'on'})]),
    ('chassis-bootdev', 0, [('chassis.bootdev', {'bmc': 'B', 'device': 'pxe',
                                                 'persistent': True, 'efi': True})]),
    ('sdr-info', 0, [('sdr.info', {'bmc': 'B'})]),
    ('sdr-list', 0, [('sdr.list', {'bmc': 'B'})]),
    ('sensor-read', 0, [('sensor.read', {'bmc': 'B', 'number': 2})]),
    ('sensor-read-discrete', 0, [('sensor.read', {'bmc': 'B', 'number': 7})]),
    ('sel-info', 0, [('sel.info', {'bmc': 'B'})]),
    ('sel-list', 0, [('sel.list', {'bmc': 'B'})]),
    ('sel-list-last', 0, [('sel.list', {'bmc': 'B', 'last': 3})]),
    ('sel-clear', 8, [('sel.clear', {'bmc': 'B'}), ('sel.info', {'bmc': 'B'})]),
    ('fru-info', 0, [('fru.info', {'bmc': 'B'})]),
    ('fru-read', 0, [('fru.read', {'bmc': 'B'})]),
]

# Seeds without recorded answers (the harness fails or answers from the bytes).
STATIC_RPC = {
    'garbage': (0, b'{"jsonrpc":"2.0","id":1,"method":\n}{\n\xff\xfe\n[]\n[1,2]\n'
                   b'{"jsonrpc":"2.0","method":"daemon.info"}\n"x"\n'
                   b'[' * 40 + b']' * 40 + b'\n'),
    'invalid': (0, b'\n'.join(json.dumps(x).encode() for x in [
        {'id': 1, 'method': 'daemon.info'}, {'jsonrpc': '2.0', 'id': {'a': 1}, 'method': 'x'},
        {'jsonrpc': '2.0', 'id': 2, 'method': 'ipmi.raw', 'params': ['node01']},
        {'jsonrpc': '2.0', 'id': 3, 'method': 'ipmi.raw', 'params': 'x'},
        {'jsonrpc': '2.0', 'id': 4, 'method': 'nope'},
        {'jsonrpc': '2.0', 'id': 5, 'method': 'ipmi.raw',
         'params': {'bmc': 'node01', 'netfn': 7, 'cmd': 1}},
        {'jsonrpc': '2.0', 'id': 6, 'method': 'ipmi.raw',
         'params': {'bmc': 'node01', 'bmcs': ['*'], 'netfn': 6, 'cmd': 1}},
        {'jsonrpc': '2.0', 'id': 7, 'method': 'bmc.status', 'params': {'bmc': 'nope'}},
        {'jsonrpc': '2.0', 'id': 8, 'method': 'ipmi.raw',
         'params': {'bmc': 'node01', 'netfn': 6, 'cmd': 1, 'data': 'zz'}},
        {'jsonrpc': '2.0', 'id': 9, 'method': 'sensor.read',
         'params': {'bmc': 'node01', 'number': 300}},
    ])),
    'batch': (0, json.dumps([
        {'jsonrpc': '2.0', 'id': 'a', 'method': 'daemon.info'},
        {'jsonrpc': '2.0', 'id': 'b', 'method': 'ipmi.raw',
         'params': {'bmc': 'node01', 'netfn': 6, 'cmd': 1}},
        {'jsonrpc': '2.0', 'method': 'daemon.info'},
        {'jsonrpc': '2.0', 'id': 'c', 'method': 'mc.info', 'params': {'bmcs': ['node*']}},
        17]).encode() + b'\n\x00\x10\x00\x20\x01\x01\x23\x02\x9f\xd9\x7e\x00\x53\x42\x00\x00'
                        b'\x00\x00\x81\x10\x00'),
    'fanout': (0, b'{"jsonrpc":"2.0","id":1,"method":"ipmi.raw","params":{"bmcs":["*","node?",'
                  b'"[nr]*"],"netfn":6,"cmd":1}}\n'
                  b'{"jsonrpc":"2.0","id":2,"method":"chassis.status","params":{"bmcs":["*"]}}'
                  b'\n\x00\x02\x00\x55\xc0\x41\xc1\x85'),
    'admin': (0, b'\n'.join(json.dumps(x).encode() for x in [
        {'jsonrpc': '2.0', 'id': 1, 'method': 'bmc.add',
         'params': {'name': 'n9', 'host': '10.0.0.9', 'username': 'admin',
                    'password': 'pw', 'kg': '0x0102', 'cipher_suite': 17,
                    'privilege': 'operator', 'port': 6230}},
        {'jsonrpc': '2.0', 'id': 2, 'method': 'bmc.add',
         'params': {'name': 'n10', 'host': 'x', 'username': 'u', 'password': 'p',
                    'cipher_suite': 0}},
        {'jsonrpc': '2.0', 'id': 3, 'method': 'ipmi.raw',
         'params': {'bmc': 'n9', 'netfn': 6, 'cmd': 1}},
        {'jsonrpc': '2.0', 'id': 4, 'method': 'bmc.reconnect', 'params': {'bmc': 'n9'}},
        {'jsonrpc': '2.0', 'id': 5, 'method': 'bmc.remove', 'params': {'bmcs': ['n*']}},
        {'jsonrpc': '2.0', 'id': 6, 'method': 'daemon.reload'},
        {'jsonrpc': '2.0', 'id': 7, 'method': 'bmc.list'},
    ])),
    'readonly': (2, b'{"jsonrpc":"2.0","id":1,"method":"chassis.power","params":{"bmc":"node01",'
                    b'"action":"off"}}\n{"jsonrpc":"2.0","id":2,"method":"bmc.list"}\n'),
    'not-allowed': (4, b'{"jsonrpc":"2.0","id":1,"method":"daemon.info"}\n'),
    'vanish': (1, b'{"jsonrpc":"2.0","id":1,"method":"sdr.list","params":{"bmc":"node01"}}\n'
                  b'{"jsonrpc":"2.0","id":2,"method":"sdr.list","params":{"bmc":"node01"}}\n'
                  b'{"jsonrpc":"2.0","id":3,"method":"ipmi.raw","params":{"bmcs":["*"],'
                  b'"netfn":6,"cmd":1}}\n\x00\xc0\xc0\x83'),
}

CONFIG_SEEDS = {
    'shipped': (0, None),          # conf/ipmipool.conf
    'full': (0, b'''[daemon]
socket = /run/ipmipool/test.sock
socket_mode = 0660
socket_group = daemon
log_level = debug
keepalive_interval = 15
request_timeout = 0.75
retries = 4
max_handshakes = 8
dns_refresh = 60
allow_uids = 0, 4242, nobody
readonly_uids = 65534

[defaults]
username = admin
password_file = pw
cipher_suite = auto
cipher_suites = 17, 3, 1
privilege = operator

[bmc:node01]
host = 127.0.0.1
port = 6230
password = inline-secret-1
kg = 0x0102030405060708090a0b0c0d0e0f1011121314
max_inflight = 8

[bmc:node02]
host = ::1
kg_file = kg
cipher_suite = 3
privilege = administrator

[bmc:node03]
host = node03.example.net
credential = node03
cipher_suite = 0
allow_insecure_cipher = yes
'''),
    'confd': (0, b'[daemon]\nretries = 2\n\x00[bmc:extra]\nhost = 10.1.2.3\n'
                 b'password_file = /nonexistent\n# comment\n; other\n'),
    'world-readable': (2, b'[bmc:x]\nhost = h\nusername = u\npassword = very-secret-pw\n'),
    'errors': (0, b'[daemon]\nsocket_mode = 9999\nretries = -1\nnope = 1\n[bmc:]\n'
                  b'[bmc:a]\nhost =\nport = 70000\ncipher_suite = 4\nkg = 0xzz\n'
                  b'privilege = god\n[weird\nkey without value\n'),
    'missing-ok': (4, b''),
    'params': (1, b'node09\nhost=10.0.0.9\nusername=admin\npassword=pw-param-secret\n'
                  b'kg=0102\ncipher_suite=17\nprivilege=user\nport=6230\nmax_inflight=4\n'),
    'params-bad': (1, b'bad name!\nhost=\nport=x\ncipher_suite=0\npassword_file=rel\n'),
}


def record(bmc_port, proxy, outdir):
    """Runs each RPC seed against a fresh daemon (cold caches, as in the
    harness); writes the seeds."""
    import harness as h
    tmp = tempfile.mkdtemp(prefix='ipmipool-seeds-')
    sock = os.path.join(tmp, 'sock')
    pw = h.write_secret(os.path.join(tmp, 'pw'), 'adminpass')
    conf = os.path.join(tmp, 'conf')
    with open(conf, 'w') as f:
        f.write(h.render_config({'socket': sock, 'request_timeout': 2, 'keepalive_interval': 600},
                                None, [('B', {'host': '127.0.0.1', 'port': proxy.port(0),
                                              'username': 'admin', 'password_file': pw,
                                              'cipher_suite': 1})]))
    os.chmod(conf, 0o600)
    for name, flags, calls in RPC_SEEDS:
        d = h.Daemon(tmp, conf, sock)
        d.start()
        c = d.client(timeout=30)
        try:
            faultlib.harness.wait_for(lambda: c.result('bmc.status', {'bmc': 'B'})['state'] ==
                                      'active', 20, 'B active')
            lines = []
            tape = b''
            for method, params in calls:
                with proxy.lock:
                    proxy.capture = []
                rsp = c.call(method, params, timeout=60)
                time.sleep(0.05)
                with proxy.lock:
                    got, proxy.capture = proxy.capture, None
                for pkt in got:
                    msg = ipmi_payload(pkt)
                    if msg is None or len(msg) < 8:
                        continue
                    if msg[1] >> 2 == 0x07 and msg[5] == 0x34 and len(msg) == 8:
                        continue    # bridged: the empty Send Message answer (bmc.c's part)
                    body = msg[6:-1]       # completion code + data
                    if len(body) > 0x3f:
                        body = body[:0x3f]
                    tape += bytes([len(body)]) + body
                p = dict(params or {})
                if p.get('bmc') == 'B':
                    p['bmc'] = 'node01'
                req = {'jsonrpc': '2.0', 'id': len(lines) + 1, 'method': method}
                if params is not None:
                    req['params'] = p
                lines.append(json.dumps(req).encode())
                print('%-22s %-16s %d answers recorded, %s' % (
                    name, method, len(got), 'error %s' % rsp['error']['code']
                    if 'error' in rsp else 'ok'))
            write(outdir, 'fuzz_rpc', 'rec-' + name,
                  bytes([flags]) + b'\n'.join(lines) + b'\n\x00' + tape)
        finally:
            c.close()
            d.stop()
    harness.shutil.rmtree(tmp, ignore_errors=True)


def ipmi_payload(pkt):
    """The IPMI message of a suite-1 session datagram (no integrity), or None."""
    if len(pkt) < 16 or pkt[:4] != b'\x06\x00\xff\x07' or pkt[4] != 0x06:
        return None
    ptype, sid, seq, plen = struct.unpack('<BIIH', pkt[5:16])
    if ptype & 0x3f != 0 or ptype & 0xc0 or sid == 0:
        return None
    return pkt[16:16 + plen]


def write(outdir, harness_name, name, data):
    d = os.path.join(outdir, harness_name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(SRC, 'fuzz', 'corpus')
    for name, (flags, data) in STATIC_RPC.items():
        write(outdir, 'fuzz_rpc', name, bytes([flags]) + data)
    for name, (flags, data) in CONFIG_SEEDS.items():
        if data is None:
            with open(os.path.join(SRC, 'conf', 'ipmipool.conf'), 'rb') as f:
                data = f.read()
        write(outdir, 'fuzz_config', name, bytes([flags]) + data)
    # recorded answers
    tmp = tempfile.mkdtemp(prefix='ipmipool-seeds-sim-')
    sim = harness.BmcSim(tmp, 1)
    sim.start()
    proxy = faultlib.udpproxy.UdpProxy()
    proxy.capture = None
    orig = proxy._handle

    def handle(link, data, direction, out_sock, addr, now):
        if direction == 'down' and proxy.capture is not None:
            proxy.capture.append(data)
        return orig(link, data, direction, out_sock, addr, now)
    proxy._handle = handle
    proxy.add_link(sim.port(0))
    proxy.start()
    try:
        record(sim.port(0), proxy, outdir)
    finally:
        proxy.stop()
        sim.kill_now()
        harness.shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
