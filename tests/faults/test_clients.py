"""Hostile local clients on the JSON-RPC socket: malformed JSON, invalid
UTF-8, lines of 64 KiB and more, values nested 10000 deep, wrong types,
unknown methods, 1000 connections at once, clients that send and never read
(dropped once their unread output passes the 4 MiB cap), clients that
disconnect with requests in flight.

Each gets its specified error or is dropped alone; a background client is
served the whole time without an error; afterwards the daemon's RSS is back
near its baseline and it holds no more descriptors than before."""

import json
import os
import resource
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultlib  # noqa: E402
from faultlib import OK_DEVID, harness, log  # noqa: E402

MAX_LINE = 64 * 1024
OUTPUT_CAP = 4 * 1024 * 1024
N_CONN = 1000
RSS_SLACK_KIB = 6 * 1024      # after everything, vs the warmed-up baseline
RSS_GROWTH_KIB = 2 * 1024     # between two identical rounds of abuse
PERSISTENT = 2                # clients connected throughout: the worker and self.client


class Worker(threading.Thread):
    """A well-behaved client pipelining ipmi.raw until stopped; records the
    worst latency of a round and every error."""

    def __init__(self, path):
        threading.Thread.__init__(self, daemon=True)
        self.client = harness.RpcClient(path, timeout=20)
        self.stopping = threading.Event()
        self.ok = 0
        self.errors = []
        self.worst = 0.0

    def run(self):
        try:
            while not self.stopping.is_set():
                t = time.monotonic()
                calls = [('ipmi.raw', {'bmc': 'fb', 'netfn': 6, 'cmd': 1})] * 4 + \
                        [('daemon.info', None)]
                for rsp in self.client.pipeline(calls, window=5, timeout=30):
                    if 'error' in rsp or ('completion_code' in rsp['result'] and
                                          rsp['result'] != OK_DEVID):
                        self.errors.append(rsp)
                    else:
                        self.ok += 1
                self.worst = max(self.worst, time.monotonic() - t)
                time.sleep(0.02)    # pacing only
        except Exception as e:      # reported by the test
            self.errors.append(repr(e))
        finally:
            self.client.close()


def raw_conn(path, timeout=10):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout * harness.SLOW)
    s.connect(path)
    return s


class Clients(faultlib.FaultTestCase):

    def setUp(self):
        super().setUp()
        self.fb = self.start_fakebmc(1)
        self.slowfb = self.start_fakebmc(1, extra=['--delay-ms', '300'], name='slowfb')
        self.start_daemon([('fb', self.bmc(self.fb.port(0), cipher_suite=17, max_inflight=8)),
                           ('slow', self.bmc(self.slowfb.port(0), cipher_suite=17,
                                             max_inflight=8))],
                          daemon={'request_timeout': 2})
        self.wait_all_active(['fb', 'slow'])
        self.pid = self.daemon.proc.pid
        self.worker = Worker(self.socket)
        self.worker.start()
        self.addCleanup(self.stop_worker)
        harness.wait_for(lambda: self.worker.ok > 0 or self.worker.errors, 10,
                         'the background client to get answers')

    def stop_worker(self):
        self.worker.stopping.set()
        self.worker.join(30)

    def check_worker(self):
        n0 = self.worker.ok
        harness.wait_for(lambda: self.worker.ok > n0 or self.worker.errors, 10,
                         'the background client to keep getting answers')
        self.assertEqual(self.worker.errors, [])
        self.assertTrue(self.worker.is_alive())

    def usable(self, c):
        self.assertIn('version', c.result('daemon.info', timeout=10))

    # ------------------------------------------------------------ pieces --
    def garbage(self):
        """Malformed, invalid UTF-8, oversized, deeply nested, wrong types,
        unknown methods: each answered with its error, connection usable."""
        c = harness.RpcClient(self.socket, timeout=15)
        try:
            cases = [
                (b'{"jsonrpc":"2.0","id":1,"method":', -32700),
                (b'}{', -32700),
                (b'\xff\xfe\xfd', -32700),
                (b'{"jsonrpc":"2.0","id":2,"method":"daemon.info","params":{"x":"\xc3\x28"}}',
                 -32700),
                (b'{"jsonrpc":"2.0","id":3,"method":"daemon.info","params":{"x":"\xed\xa0\x80"}}',
                 None),
                (b'[' * 10000 + b']' * 10000, -32700),
                (b'{"a":' * 10000 + b'1' + b'}' * 10000, -32700),
                (b'{"jsonrpc":"2.0","id":4,"method":"daemon.info","params":' +
                 b'{"a":' * 5000 + b'1' + b'}' * 5001, -32700),
                (b'"' + b'\\' * 30000 + b'"', -32600),
                (b'{"jsonrpc":"2.0","id":5,"method":"no.such","params":{}}', -32601),
                (b'{"jsonrpc":"2.0","id":6,"method":"' + b'x' * 60000 + b'"}', -32601),
                (b'{"jsonrpc":"2.0","id":7,"method":["daemon.info"]}', -32600),
                (b'{"jsonrpc":2.0,"id":8,"method":"daemon.info"}', -32600),
                (b'{"jsonrpc":"2.0","id":{"x":1},"method":"daemon.info"}', -32600),
                (b'{"jsonrpc":"2.0","id":9,"method":"daemon.info","params":"x"}', -32600),
                (b'{"jsonrpc":"2.0","id":10,"method":"ipmi.raw","params":{"bmc":5}}', -32602),
                (b'{"jsonrpc":"2.0","id":11,"method":"ipmi.raw","params":{"bmc":"fb",'
                 b'"netfn":"6","cmd":1}}', -32602),
                (b'{"jsonrpc":"2.0","id":12,"method":"ipmi.raw","params":{"bmc":"fb",'
                 b'"netfn":6,"cmd":1,"data":{"a":1}}}', -32602),
                (b'{"jsonrpc":"2.0","id":13,"method":"ipmi.raw","params":{"bmc":"fb",'
                 b'"netfn":6,"cmd":1,"data":"' + b'00' * 300 + b'"}}', -32602),
                (b'{"jsonrpc":"2.0","id":14,"method":"ipmi.raw","params":{"bmc":"fb",'
                 b'"netfn":6,"cmd":1,"data":[256]}}', -32602),
                (b'{"jsonrpc":"2.0","id":15,"method":"ipmi.raw","params":{"bmc":"fb",'
                 b'"netfn":6,"cmd":1e400}}', None),
                (b'{"jsonrpc":"2.0","id":16,"method":"ipmi.raw","params":{"bmc":"fb",'
                 b'"netfn":6,"cmd":99999999999999999999999}}', None),
                (b'{"jsonrpc":"2.0","id":17,"method":"bmc.status","params":{"bmcs":'
                 b'[' + b'"*",' * 5000 + b'"*"]}}', None),
                (b'{"jsonrpc":"2.0","id":18,"method":"bmc.add","params":{"name":"' +
                 b'n' * 1000 + b'","host":"127.0.0.1","username":"u","password":"p"}}', -32602),
                (b'{"jsonrpc":"2.0","id":19,"method":"bmc.status","params":{"bmc":"' +
                 b'\\u0000' * 100 + b'"}}', -32001),
                (json.dumps([{'jsonrpc': '2.0', 'id': i, 'method': 'nope'}
                             for i in range(1100)]).encode(), 'batch'),
            ]
            bad = []
            for line, want in cases:
                c.send_raw(line + b'\n')
                rid = c.request('daemon.info')
                got = []
                while True:
                    rsp = c.read_json(timeout=15)
                    if isinstance(rsp, dict) and rsp.get('id') == rid:
                        break
                    got.append(rsp)
                if want == 'batch':
                    ok = len(got) == 1 and isinstance(got[0], list) and len(got[0]) == \
                        1100 and all(r['error']['code'] in (-32601, -32006) for r in got[0])
                elif want is None:      # any single answer (error or result), no crash
                    ok = len(got) == 1 and isinstance(got[0], dict) and \
                        ('error' in got[0] or 'result' in got[0])
                else:
                    ok = len(got) == 1 and isinstance(got[0], dict) and \
                        got[0].get('error', {}).get('code') == want
                if not ok:
                    bad.append((line[:80], want, json.dumps(got)[:300]))
            self.assertEqual(bad, [], 'wrong answers (request, expected code, got)')
            # Lines over 64 KiB, and one of 8 MiB without a newline for a while.
            for size in (MAX_LINE + 1, 300000):
                c.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"daemon.info","params":{"p":"' +
                           b'x' * size + b'"}}\n')
                rsp = c.read_json(timeout=15)
                self.assertEqual(rsp.get('error', {}).get('code'), -32600, rsp)
            chunk = b'y' * (1024 * 1024)
            for _ in range(8):
                c.send_raw(chunk)
            c.send_raw(b'\n')
            rsp = c.read_json(timeout=15)
            self.assertEqual(rsp.get('error', {}).get('code'), -32600, rsp)
            self.usable(c)
        finally:
            c.close()

    def many_connections(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = N_CONN + 200
        if soft < want:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
        base = PERSISTENT
        conns = []
        try:
            for _ in range(N_CONN):
                conns.append(raw_conn(self.socket))
            req = b'{"jsonrpc":"2.0","id":1,"method":"daemon.info"}\n'
            for s in conns:
                s.sendall(req)
            n_ok = 0
            for s in conns:
                buf = b''
                while not buf.endswith(b'\n'):
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    buf += chunk
                rsp = json.loads(buf.decode())
                if 'result' in rsp:
                    n_ok += 1
            self.assertEqual(n_ok, N_CONN)
            info = self.client.result('daemon.info')
            self.assertGreaterEqual(info['clients'], N_CONN + 1, info)
            log('1000 connections: all answered; daemon fds %s, RSS %s KiB'
                % (faultlib.fd_count(self.pid), faultlib.rss_kib(self.pid)))
        finally:
            for s in conns:
                s.close()
        harness.wait_for(lambda: self.client.result('daemon.info')['clients'] <= base, 15,
                         'the daemon to forget 1000 closed clients')

    def non_reader(self):
        """Sends requests with big answers and never reads: dropped alone."""
        base = PERSISTENT
        harness.wait_for(lambda: self.client.result('daemon.info')['clients'] <= base, 15,
                         'earlier clients to be gone')
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(20 * harness.SLOW)
        s.connect(self.socket)
        try:
            req = b'{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}\n'
            sent = 0
            t0 = time.monotonic()
            # ~52 KB per answer: 4 MiB of unread output after ~80 requests.
            for i in range(400):
                try:
                    s.sendall(req)
                    sent += 1
                except (BrokenPipeError, ConnectionResetError):
                    break       # dropped while we were still sending
            harness.wait_for(lambda: self.client.result('daemon.info')['clients'] <= base,
                             15, 'the non-reading client to be dropped')
            log('non-reader: dropped after %d requests (%.1f s)' % (sent, time.monotonic() - t0))
            self.assertIn('does not read', self.daemon.log_text())
            # what it can still read ends in EOF, never more than the cap + buffers
            total = 0
            while True:
                try:
                    chunk = s.recv(1 << 20)
                except (ConnectionResetError, socket.timeout):
                    break
                if not chunk:
                    break
                total += len(chunk)
                self.assertLess(total, OUTPUT_CAP + 8 * 1024 * 1024)
        finally:
            s.close()

    def vanishing(self):
        """Disconnects with requests in flight (slow BMC, fan-out, batch)."""
        for round_ in range(10):
            s = raw_conn(self.socket)
            lines = []
            for i in range(40):
                lines.append(json.dumps({'jsonrpc': '2.0', 'id': i, 'method': 'ipmi.raw',
                                         'params': {'bmc': 'slow', 'netfn': 6, 'cmd': 1}}))
            lines.append(json.dumps({'jsonrpc': '2.0', 'id': 'f', 'method': 'ipmi.raw',
                                     'params': {'bmcs': ['*'], 'netfn': 6, 'cmd': 1}}))
            lines.append(json.dumps([{'jsonrpc': '2.0', 'id': 'b%d' % i, 'method': 'mc.info',
                                      'params': {'bmc': 'slow'}} for i in range(5)]))
            s.sendall(('\n'.join(lines) + '\n').encode())
            if round_ % 2:
                time.sleep(0.05)
            s.close()
        harness.wait_for(lambda: self.status('slow')['inflight'] == 0 and
                         self.status('slow')['queued'] == 0, 30,
                         'the vanished clients\' requests to drain')
        self.assertEqual(self.raw('slow', timeout=15), OK_DEVID)

    def abuse_round(self):
        self.garbage()
        self.many_connections()
        self.non_reader()
        self.vanishing()
        self.check_worker()

    # ------------------------------------------------------------- tests --
    def test_hostile_clients(self):
        # Baseline after a warm-up (caches, first allocations of each kind).
        for _ in range(50):
            self.client.result('rpc.discover')
            self.raw('fb')
        rss0 = faultlib.rss_kib(self.pid)
        fds0 = faultlib.fd_count(self.pid)

        def settled():
            # every abusive connection closed by the daemon
            try:
                harness.wait_for(lambda: faultlib.fd_count(self.pid) <= fds0, 10,
                                 'descriptors back to the baseline')
            except harness.WaitTimeout:
                pass    # the assertion below reports it
        self.abuse_round()
        settled()
        rss1 = faultlib.rss_kib(self.pid)
        self.abuse_round()
        settled()
        rss2 = faultlib.rss_kib(self.pid)
        fds2 = faultlib.fd_count(self.pid)
        log('RSS: baseline %d KiB, after round 1 %d KiB, after round 2 %d KiB; '
            'fds %d -> %d; worker %d ok, worst round %.2f s'
            % (rss0, rss1, rss2, fds0, fds2, self.worker.ok, self.worker.worst))
        self.assertEqual(fds2, fds0, 'descriptors leaked')
        if harness.SLOW > 1:
            # ASan keeps freed memory in quarantine (up to 256 MiB): RSS says
            # nothing there; LeakSanitizer at exit checks for leaks instead.
            log('sanitized daemon: RSS bounds not checked')
        else:
            self.assertLess(rss2 - rss0, RSS_SLACK_KIB,
                            'RSS did not come back near its baseline')
            self.assertLess(rss2 - rss1, RSS_GROWTH_KIB, 'RSS grows with each round of abuse')
        self.assertLess(self.worker.worst, 5.0 * harness.SLOW,
                        'the well-behaved client was held up')
        self.check_worker()
        self.assert_alive()


if __name__ == '__main__':
    faultlib.main()
