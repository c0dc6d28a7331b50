"""JSON-RPC 2.0 framing and error handling on the Unix socket, while another
client keeps working the whole time (a background thread pipelining
ipmi.raw on its own connection must see no error in any test).

Malformed JSON (-32700, connection stays usable), invalid UTF-8, invalid
requests (-32600), unknown method (-32601), bad params (-32602 with
data.param), lines over 64 KiB (-32600, connection stays usable), batches,
notifications (no reply), out-of-order pipelining, fan-out, and clients
vanishing mid-request."""

import json
import os
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import GET_DEVICE_ID  # noqa: E402

OK = {'completion_code': 0, 'data': GET_DEVICE_ID}
MAX_LINE = 64 * 1024


class Worker(threading.Thread):
    """Another client: pipelines ipmi.raw on 'fb' in rounds until stopped."""

    def __init__(self, path):
        threading.Thread.__init__(self, daemon=True)
        self.client = harness.RpcClient(path, timeout=20)
        self.stopping = threading.Event()
        self.ok = 0
        self.errors = []

    def run(self):
        try:
            while not self.stopping.is_set():
                calls = [('ipmi.raw', {'bmc': 'fb', 'netfn': 6, 'cmd': 1})] * 4 + \
                        [('daemon.info', None)]
                for rsp in self.client.pipeline(calls, window=5, timeout=30):
                    if 'error' in rsp:
                        self.errors.append(rsp)
                    elif 'completion_code' in rsp['result'] and rsp['result'] != OK:
                        self.errors.append(rsp)
                    else:
                        self.ok += 1
                time.sleep(0.01)    # pacing only; not synchronisation
        except Exception as e:      # reported by the test's cleanup
            self.errors.append(repr(e))
        finally:
            self.client.close()


class Rpc(harness.DaemonTestCase):

    def setUp(self):
        super().setUp()
        self.fb = self.start_fakebmc(1)
        self.slowfb = self.start_fakebmc(1, extra=['--delay-ms', '150'], name='slowfb')
        self.start_daemon([('fb', self.bmc(self.fb.port(0), cipher_suite=17)),
                           ('slow', self.bmc(self.slowfb.port(0), cipher_suite=17))],
                          daemon={'request_timeout': 2})
        self.wait_all_active(['fb', 'slow'], timeout=20)
        self.worker = Worker(self.socket)
        self.worker.start()
        self.addCleanup(self.check_worker)
        harness.wait_for(lambda: self.worker.ok > 0 or self.worker.errors, 10,
                         'the background client to get answers')

    def check_worker(self):
        n0 = self.worker.ok
        harness.wait_for(lambda: self.worker.ok > n0 or self.worker.errors, 10,
                         'the background client to keep getting answers')
        self.worker.stopping.set()
        self.worker.join(30)
        self.assertFalse(self.worker.is_alive(), 'background client stuck')
        self.assertEqual(self.worker.errors, [])
        self.assertGreater(self.worker.ok, 0)

    def assert_usable(self, c=None):
        c = c or self.client
        self.assertEqual(c.result('daemon.info')['bmcs'], 2)

    def assert_error(self, rsp, code, rid='any'):
        self.assertIn('error', rsp, rsp)
        self.assertEqual(rsp['error']['code'], code, rsp)
        self.assertEqual(rsp.get('jsonrpc'), '2.0', rsp)
        self.assertIn('id', rsp, rsp)
        if rid != 'any':
            self.assertEqual(rsp['id'], rid, rsp)
        self.assertIsInstance(rsp['error'].get('message'), str)

    # ------------------------------------------------------------ parsing --
    def test_parse_error_keeps_connection(self):
        for bad in [b'{"jsonrpc": "2.0", "method": ', b'{nonsense}', b'[1, 2',
                    b'{"jsonrpc":"2.0","id":1,"method":"daemon.info"} trailing',
                    b'\x00\x01\x02']:
            self.client.send_raw(bad + b'\n')
            self.assert_error(self.client.read_json(), -32700, None)
            self.assert_usable()

    def test_invalid_utf8(self):
        self.client.send_raw(b'{"jsonrpc":"2.0","id":7,"method":"daemon.info",'
                             b'"params":{"x":"\xff\xfe"}}\n')
        self.assert_error(self.client.read_json(), -32700, None)
        self.client.send_raw(b'{"jsonrpc":"2.0","id":8,"method":"bmc.status",'
                             b'"params":{"bmc":"\xc3\x28"}}\n')
        self.assert_error(self.client.read_json(), -32700, None)
        self.assert_usable()
        # valid non-ASCII UTF-8 is fine: an unknown BMC name, echoed back
        e = self.client.error('bmc.status', {'bmc': 'n\u00e4me-\u2603'})
        self.assertEqual(e['code'], -32001, e)
        self.assertEqual(e['data'].get('bmc'), 'n\u00e4me-\u2603')

    def exchange(self, line):
        """Sends line, then a sentinel request; returns every response that
        came before the sentinel's (so a missing reply cannot desynchronise
        the rest of the test)."""
        sentinel = 'sentinel-%d' % self.client.new_id()
        self.client.send_raw(line + b'\n' + json.dumps(
            {'jsonrpc': '2.0', 'id': sentinel, 'method': 'daemon.info'}).encode() + b'\n')
        got = []
        while True:
            rsp = self.client.read_json()
            if isinstance(rsp, dict) and rsp.get('id') == sentinel:
                return got
            got.append(rsp)

    def test_invalid_requests(self):
        bad = []
        for req, rid in [({'id': 1, 'method': 'daemon.info'}, 1),               # no jsonrpc
                         ({'jsonrpc': '1.0', 'id': 2, 'method': 'daemon.info'}, 2),
                         ({'jsonrpc': '2.0', 'id': 3}, 3),                       # no method
                         ({'jsonrpc': '2.0', 'id': 4, 'method': 5}, 4),
                         ({'jsonrpc': '2.0', 'id': {'a': 1}, 'method': 'daemon.info'}, None),
                         ({'jsonrpc': '2.0', 'id': [1], 'method': 'daemon.info'}, None),
                         # invalid and without an id: still answered (JSON-RPC 2.0 sec. 7)
                         ({'jsonrpc': '2.0', 'method': 1, 'params': 'bar'}, None),
                         ({'foo': 'boo'}, None),
                         # valid JSON that is not a request object
                         ('str', None), (5, None), (None, None), (True, None)]:
            line = json.dumps(req).encode()
            got = self.exchange(line)
            ok = (len(got) == 1 and isinstance(got[0], dict) and
                  got[0].get('error', {}).get('code') == -32600 and
                  'id' in got[0] and got[0]['id'] == rid)
            if not ok:
                bad.append('sent %s -> got %s' % (line.decode(), json.dumps(got)))
        self.assertEqual(bad, [], 'expected one -32600 response each:\n' + '\n'.join(bad))
        self.assert_usable()

    def test_unknown_method(self):
        rsp = self.client.call('no.such.method', {})
        self.assert_error(rsp, -32601)
        self.assertIn('no.such.method', rsp['error']['data'].get('detail', ''))
        self.assert_usable()

    def test_bad_params(self):
        raw = {'bmc': 'fb', 'netfn': 6, 'cmd': 1}

        def without(k):
            return {x: v for x, v in raw.items() if x != k}
        cases = [
            ('ipmi.raw', without('bmc'), 'bmc'),
            ('ipmi.raw', dict(raw, bmc=5), 'bmc'),
            ('ipmi.raw', without('netfn'), 'netfn'),
            ('ipmi.raw', dict(raw, netfn='6'), 'netfn'),
            ('ipmi.raw', dict(raw, netfn=7), 'netfn'),        # a response netfn
            ('ipmi.raw', dict(raw, netfn=64), 'netfn'),
            ('ipmi.raw', without('cmd'), 'cmd'),
            ('ipmi.raw', dict(raw, cmd=256), 'cmd'),
            ('ipmi.raw', dict(raw, cmd=-1), 'cmd'),
            ('ipmi.raw', dict(raw, cmd=1.5), 'cmd'),
            ('ipmi.raw', dict(raw, data='xyz'), 'data'),
            ('bmc.status', {}, 'bmc'),
            ('bmc.status', {'bmcs': 'fb'}, 'bmcs'),
            ('bmc.status', {'bmc': 'fb', 'bmcs': ['fb']}, 'bmcs'),
            ('daemon.info', {'bmcs': ['fb']}, 'bmcs'),
            ('bmc.add', {'host': '127.0.0.1'}, 'name'),
        ]
        ids = [self.client.request(m, p) for m, p, _ in cases]    # pipelined
        for rid, (m, p, param) in zip(ids, cases):
            rsp = self.client.wait_response(rid)
            self.assert_error(rsp, -32602, rid)
            self.assertEqual(rsp['error']['data'].get('param'), param, (m, p, rsp))
        rsp = self.client.call('bmc.status', ['fb'])                  # params not an object
        self.assert_error(rsp, -32602)
        self.assert_usable()

    # ----------------------------------------------------------- line size --
    def pad_request(self, total, rid):
        """A daemon.info request exactly total bytes long (without newline)."""
        head = '{"jsonrpc":"2.0","id":%d,"method":"daemon.info","params":{"pad":"' % rid
        tail = '"}}'
        return (head + 'x' * (total - len(head) - len(tail)) + tail).encode()

    def test_line_limit_boundary(self):
        ok = self.pad_request(MAX_LINE, 101)
        self.assertEqual(len(ok), MAX_LINE)
        self.client.send_raw(ok + b'\n')
        rsp = self.client.read_json()
        self.assertEqual(rsp.get('id'), 101, 'a 64 KiB request must be accepted: %r' % rsp)
        self.assertIn('result', rsp)
        self.client.send_raw(self.pad_request(MAX_LINE + 1, 102) + b'\n')
        self.assert_error(self.client.read_json(), -32600, None)
        self.assert_usable()

    def test_oversized_line_keeps_connection(self):
        # 1 MiB in pieces: one -32600, the rest of the line is skipped.
        big = self.pad_request(1024 * 1024, 103)
        for i in range(0, len(big), 50000):
            self.client.send_raw(big[i:i + 50000])
        self.client.send_raw(b'\n')
        self.assert_error(self.client.read_json(), -32600, None)
        rid = self.client.request('daemon.info')
        rsp = self.client.read_json()       # the very next line is the answer
        self.assertEqual(rsp.get('id'), rid, rsp)
        # two oversized lines back to back, then a request in the same write
        self.client.send_raw(self.pad_request(70000, 104) + b'\n' +
                             self.pad_request(90000, 105) + b'\n' +
                             b'{"jsonrpc":"2.0","id":106,"method":"daemon.info"}\n')
        self.assert_error(self.client.read_json(), -32600, None)
        self.assert_error(self.client.read_json(), -32600, None)
        self.assertEqual(self.client.read_json().get('id'), 106)

    # ----------------------------------------------- batches, notifications --
    def test_batch(self):
        batch = [{'jsonrpc': '2.0', 'id': 'a', 'method': 'daemon.info'},
                 {'jsonrpc': '2.0', 'id': 'b', 'method': 'ipmi.raw',
                  'params': {'bmc': 'fb', 'netfn': 6, 'cmd': 1}},
                 {'jsonrpc': '2.0', 'method': 'daemon.info'},                  # notification
                 {'jsonrpc': '2.0', 'id': 'c', 'method': 'nope'},
                 {'jsonrpc': '2.0', 'id': 'd', 'method': 'ipmi.raw',
                  'params': {'bmc': 'slow', 'netfn': 6, 'cmd': 1}},
                 17]
        self.client.send_raw(json.dumps(batch).encode() + b'\n')
        rsp = self.client.read_json(timeout=15)
        self.assertIsInstance(rsp, list, rsp)
        by = {r.get('id'): r for r in rsp}
        self.assertEqual(len(rsp), 5, rsp)
        self.assertEqual(set(by), {'a', 'b', 'c', 'd', None}, rsp)
        self.assertEqual(by['a']['result']['bmcs'], 2)
        self.assertEqual(by['b']['result'], OK)
        self.assertEqual(by['c']['error']['code'], -32601)
        self.assertEqual(by['d']['result'], OK)
        self.assertEqual(by[None]['error']['code'], -32600)

    def test_empty_and_notification_batches(self):
        self.client.send_raw(b'[]\n')
        self.assert_error(self.client.read_json(), -32600, None)
        # only notifications: nothing at all comes back
        self.client.send_raw(json.dumps([{'jsonrpc': '2.0', 'method': 'daemon.info'},
                                         {'jsonrpc': '2.0', 'method': 'daemon.stats'}])
                             .encode() + b'\n')
        rid = self.client.request('daemon.info')
        self.assertEqual(self.client.read_json().get('id'), rid)

    def test_notifications_get_no_reply(self):
        self.client.request('daemon.info', notify=True)
        self.client.request('ipmi.raw', {'bmc': 'fb', 'netfn': 6, 'cmd': 1}, notify=True)
        self.client.request('no.such.method', notify=True)
        self.client.request('ipmi.raw', {'bmc': 'fb'}, notify=True)        # bad params
        self.client.request('ipmi.raw', {'bmc': 'slow', 'netfn': 6, 'cmd': 1}, notify=True)
        rid = self.client.request('ipmi.raw', {'bmc': 'slow', 'netfn': 6, 'cmd': 1})
        rsp = self.client.read_json(timeout=15)
        self.assertEqual(rsp.get('id'), rid, rsp)
        self.assertEqual(rsp['result'], OK)
        # and nothing else is pending on the connection
        rid = self.client.request('daemon.info')
        self.assertEqual(self.client.read_json().get('id'), rid)
        stats = self.client.result('daemon.stats')
        self.assertGreaterEqual(stats['requests'], 3)

    def test_ids_echoed(self):
        for rid in ['x', '', 'ünï', 0, -5, 2 ** 40, 1.5]:
            self.assertEqual(self.client.wait_response(
                self.client.request('daemon.info', rid=rid)).get('id'), rid)
        self.client.send_raw(b'{"jsonrpc":"2.0","id":null,"method":"daemon.info"}\n')
        rsp = self.client.read_json()
        self.assertIsNone(rsp['id'])
        self.assertIn('result', rsp)

    def test_pipelining_out_of_order(self):
        slow = self.client.request('ipmi.raw', {'bmc': 'slow', 'netfn': 6, 'cmd': 1})
        fast = [self.client.request('ipmi.raw', {'bmc': 'fb', 'netfn': 6, 'cmd': 1}),
                self.client.request('daemon.info')]
        order = [self.client.read_json(timeout=15)['id'] for _ in range(3)]
        self.assertEqual(sorted(order, key=str), sorted([slow] + fast, key=str))
        # a slow BMC does not hold back answers from others
        self.assertEqual(order[-1], slow, order)

    def test_fanout(self):
        r = self.client.result('ipmi.raw', {'bmcs': ['f*', 'slow', 'nomatch'],
                                            'netfn': 6, 'cmd': 1}, timeout=15)
        self.assertEqual(r, {'results': {'fb': OK, 'slow': OK}})
        r = self.client.result('bmc.status', {'bmcs': ['*']})
        self.assertEqual(sorted(r['results']), ['fb', 'slow'])
        r = self.client.result('ipmi.raw', {'bmcs': ['zzz*'], 'netfn': 6, 'cmd': 1})
        self.assertEqual(r, {'results': {}})

    # ---------------------------------------------------------- disconnects --
    def disconnect_variant(self, s, variant):
        if variant == 0:      # requests in flight at a slow BMC, then gone
            for i in range(8):
                s.sendall(json.dumps({'jsonrpc': '2.0', 'id': i, 'method': 'ipmi.raw',
                                      'params': {'bmc': 'slow', 'netfn': 6,
                                                 'cmd': 1}}).encode() + b'\n')
        elif variant == 1:    # half a request
            s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"ipmi.r')
        elif variant == 2:    # half of an oversized line
            s.sendall(b'[' + b' ' * (MAX_LINE + 10))
        else:                 # a fan-out in flight, write side shut first
            s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"ipmi.raw","params":'
                      b'{"bmcs":["*"],"netfn":6,"cmd":1}}\n')
            s.shutdown(socket.SHUT_WR)
            # half-closed: the answer still comes, then EOF
            buf = b''
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
            self.assertEqual(json.loads(buf.decode())['result']['results'],
                             {'fb': OK, 'slow': OK})

    def test_disconnect_mid_request(self):
        before = self.client.result('daemon.info')['clients']
        for variant in (3, 1, 2, 0):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.settimeout(15 * harness.SLOW)
                s.connect(self.socket)
                self.disconnect_variant(s, variant)
            finally:
                s.close()
        harness.wait_for(lambda: self.client.result('daemon.info')['clients'] == before, 10,
                         'the daemon to forget the closed clients')
        # the slow BMC's requests of the vanished client complete into nothing
        harness.wait_for(lambda: self.status('slow')['inflight'] == 0 and
                         self.status('slow')['queued'] == 0, 20,
                         'the vanished client\'s requests to drain')
        self.assertEqual(self.raw('slow', timeout=15), OK)
        self.assert_usable()


if __name__ == '__main__':
    harness.main()
