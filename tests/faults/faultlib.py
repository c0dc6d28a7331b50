"""faultlib.py - fixtures shared by the fault-injection tests (tests/faults).

Builds on tests/daemon/harness.py (same environment variables, same cleanup
rules: loopback only, private temporary directories, every process killed
in the test's cleanup, on SIGTERM and at exit, every wait bounded).  Adds:

  * the fault proxy (udpproxy.UdpProxy, in-process thread) between the
    daemon and its BMCs;
  * hostile BMCs: tests/fakebmc's ipmipool-fakebmc with --evil (one
    misbehaviour per port, built on the protocol core), a child process;
  * helpers: distinguishable IPMI requests with their expected answers,
    a daemon's VmRSS, pipelines that record latency per request.
"""

import os
import socket
import sys
import time
import unittest

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'daemon'))
import harness  # noqa: E402
import udpproxy  # noqa: E402

PYTHON = '/usr/bin/python3' if os.access('/usr/bin/python3', os.X_OK) else sys.executable
GET_DEVICE_ID = harness.GET_DEVICE_ID
OK_DEVID = {'completion_code': 0, 'data': GET_DEVICE_ID}


def log(*a):
    harness.log(*a)


def rss_kib(pid):
    """VmRSS of pid in KiB (None if gone)."""
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def fd_count(pid):
    try:
        return len(os.listdir('/proc/%d/fd' % pid))
    except OSError:
        return None


class HostileBmcs(harness.FakeBmc):
    """ipmipool-fakebmc --evil MODES: port base+i misbehaves as modes[i]
    (`ipmipool-fakebmc --list-evil` names them; tests/fakebmc/README.md)."""

    def __init__(self, workdir, modes, name='hostile'):
        self.modes = list(modes)
        super().__init__(workdir, count=len(self.modes), name=name,
                         extra=['--evil', ','.join(self.modes)])

    def __repr__(self):
        return 'HostileBmcs(%s x%d)' % (self.base, self.count)

    def port(self, i):
        """The port of BMC i (an index, or the first port running mode i)."""
        return self.base + (i if isinstance(i, int) else self.modes.index(i))

    def log_lines(self, i, contains=None):
        return super().log_lines(port=self.port(i), contains=contains)


class FaultTestCase(harness.DaemonTestCase):
    """DaemonTestCase plus the proxy and the hostile responder."""

    def setUp(self):
        super().setUp()
        self.proxies = []
        self.evils = []

    def _dump_logs_on_failure(self):
        super()._dump_logs_on_failure()
        if not self._failed():
            return
        for p in self.proxies:
            log('---- %r counters: %r' % (p, p.counters()))
        for e in self.evils:
            lines = e.log_text().splitlines()
            if lines:
                log('---- %r log, last lines ----' % e)
                log('\n'.join(lines[-40:]))

    def start_proxy(self, targets, seed=None):
        """A proxy with one link per target port; returns it (ports: p.port(i))."""
        p = udpproxy.UdpProxy(seed=seed)
        for t in targets:
            p.add_link(t)
        harness._register(p)
        self.addCleanup(lambda: (p.stop(), harness._unregister(p)))
        p.start()
        self.proxies.append(p)
        log('%r: seed %d' % (p, p.seed))
        return p

    def start_evil(self, modes, name=None):
        """Hostile BMCs, one mode per port (HostileBmcs); stopped with SIGTERM
        at the end: exit status 0 and no sanitizer report required."""
        e = HostileBmcs(self.tmp, modes, name or 'hostile%d' % len(self.evils))
        self.addCleanup(e.kill_now)
        self.addCleanup(self._stop_evil_checked, e)
        e.start()
        self.evils.append(e)
        return e

    def _stop_evil_checked(self, e):
        if e.proc is None:
            return
        problems = []
        if e.proc.poll() is not None:
            problems.append('%r died during the test (exit %s)' % (e, e.proc.returncode))
        else:
            rc = e.stop()
            if rc != 0:
                problems.append('%r exited with %s after SIGTERM' % (e, rc))
        text = e.log_text()
        problems += ['sanitizer report in the %r log: %r' % (e, m)
                     for m in self.SANITIZER_MARKS if m in text]
        if problems:
            self.fail('; '.join(problems) + '\n' + text[-4000:])

    def start_daemon_args(self, bmcs, args, daemon=None, defaults=None, timeout=15):
        """start_daemon with other command-line arguments (e.g. -vv)."""
        self.write_config(bmcs, daemon, defaults)
        self.daemon = harness.Daemon(self.tmp, self.conf, self.socket)
        self.addCleanup(self.daemon.kill_now)
        self.addCleanup(self._stop_daemon_checked)
        self.daemon.start(args=args, timeout=timeout)
        self.client = self.daemon.client()
        self.addCleanup(self.client.close)
        return self.daemon

    def stats(self, client=None):
        return (client or self.client).result('daemon.stats')

    def assert_alive(self):
        self.assertTrue(self.daemon.alive(), 'ipmipoold died; log:\n' + self.daemon.log_tail())
        self.assertIn('version', self.client.result('daemon.info'))


# ------------------------------------------------------- request catalogue --
# Distinguishable IPMI requests against the bmcsim fixture: every one has its
# own answer (FRU bytes at different offsets, different sensors, different
# commands), so an answer delivered to the wrong request is detected.

def catalogue():
    reqs = [
        ('devid', {'netfn': 6, 'cmd': 1}),
        ('selftest', {'netfn': 6, 'cmd': 4}),
        ('guid', {'netfn': 6, 'cmd': 0x37}),
        ('chassis', {'netfn': 0, 'cmd': 1}),
        ('sdrinfo', {'netfn': 0x0a, 'cmd': 0x20}),
        ('fruinfo', {'netfn': 0x0a, 'cmd': 0x10, 'data': '00'}),
    ]
    for off in range(0, 248, 8):
        reqs.append(('fru@%d' % off, {'netfn': 0x0a, 'cmd': 0x11,
                                      'data': '00%02x%02x08' % (off & 0xff, off >> 8)}))
    for n in (1, 2, 3, 4, 5, 6, 10):
        reqs.append(('sensor%d' % n, {'netfn': 4, 'cmd': 0x2d, 'data': '%02x' % n}))
    return reqs


def expected_answers(client, bmc, reqs):
    """Each request's answer without faults (asked twice: must be stable).
    Returns (requests, answers): requests whose answer another one shares
    are left out, so that a mix-up cannot go unnoticed."""
    out = {}
    for _ in range(2):
        for name, p in reqs:
            r = client.result('ipmi.raw', dict(p, bmc=bmc), timeout=20)
            if name in out and out[name] != r:
                raise AssertionError('answer to %s is not stable: %r vs %r'
                                     % (name, out[name], r))
            out[name] = r
    seen, keep = set(), []
    for name, p in reqs:
        key = (out[name]['completion_code'], out[name]['data'])
        if key not in seen:
            seen.add(key)
            keep.append((name, p))
    if len(keep) < 16:
        raise AssertionError('only %d distinguishable requests: %r' % (len(keep), out))
    return keep, {name: out[name] for name, _ in keep}


def timed_pipeline(client, calls, window, timeout=60.0):
    """Like RpcClient.pipeline, also returning per-call (send, answer) times and
    failing on a duplicate or unknown id.  calls: [(method, params)]."""
    ids, sent_at, out, got_at = [], {}, {}, {}
    sent = done = 0
    deadline = time.monotonic() + timeout * harness.SLOW
    while done < len(calls):
        while sent < len(calls) and sent - done < window:
            rid = client.request(*calls[sent])
            sent_at[rid] = time.monotonic()
            ids.append(rid)
            sent += 1
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout('pipeline: %d of %d answered' % (done, len(calls)))
        rsp = client.read_json(left / harness.SLOW)
        if not isinstance(rsp, dict) or rsp.get('id') not in sent_at:
            raise AssertionError('response with an unknown id: %r' % (rsp,))
        if rsp['id'] in out:
            raise AssertionError('request %r answered twice: %r then %r'
                                 % (rsp['id'], out[rsp['id']], rsp))
        out[rsp['id']] = rsp
        got_at[rsp['id']] = time.monotonic()
        done += 1
    return [(out[i], got_at[i] - sent_at[i]) for i in ids]


def drain_check(client, timeout=3.0):
    """Nothing else may arrive: sends a sentinel and returns every line read
    before its answer (must be empty for a clean connection)."""
    rid = client.request('daemon.info')
    extra = []
    while True:
        rsp = client.read_json(timeout)
        if isinstance(rsp, dict) and rsp.get('id') == rid:
            return extra
        extra.append(rsp)


def main():
    harness.main()


def skip_unless_root():
    if os.geteuid() != 0:
        raise unittest.SkipTest('needs root (setuid to other uids)')
