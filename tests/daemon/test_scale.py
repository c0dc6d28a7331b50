"""Scale: 100 BMCs x 8 pipelining clients.  Every request must complete
without error; the figures (time to bring up 100 sessions, requests/s,
daemon latency percentiles) are printed, not asserted.

* fakebmc --count 100 (one process, 100 ports): 8 clients each pipeline
  REQS_PER_CLIENT ipmi.raw Get Device ID spread over all BMCs.
* an ipmi_sim fleet of 100 (bmcsim): bring-up, then a fan-out ipmi.raw over
  all of them, several rounds."""

import os
import sys
import threading
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import GET_DEVICE_ID  # noqa: E402

N_BMCS = 100
N_CLIENTS = 8
REQS_PER_CLIENT = int(os.environ.get('IPMIPOOL_SCALE_REQS', '1500'))
WINDOW = 32
OK = {'completion_code': 0, 'data': GET_DEVICE_ID}


class Scale(harness.DaemonTestCase):

    daemon_defaults = dict(harness.DaemonTestCase.daemon_defaults, request_timeout=1.0)

    def bring_up(self, bmcs, what):
        t0 = time.monotonic()
        self.start_daemon(bmcs, timeout=30)
        harness.wait_for(lambda: self.client.result('daemon.info')['sessions_active'] ==
                         len(bmcs), 60, '%d sessions to be active' % len(bmcs), interval=0.02)
        secs = time.monotonic() - t0
        harness.log('scale: %s: %d sessions active %.2f s after starting ipmipoold'
                    % (what, len(bmcs), secs))
        return secs

    def test_fakebmc_100_x_8_clients(self):
        fb = self.start_fakebmc(N_BMCS, extra=['--fast'])
        names = ['fb%03d' % i for i in range(N_BMCS)]
        self.bring_up([(n, self.bmc(fb.port(i))) for i, n in enumerate(names)],
                      'fakebmc x%d, cipher_suite auto' % N_BMCS)
        self.wait_all_active(names)
        suites = {b['cipher_suite'] for b in self.client.result('bmc.list')['bmcs']}
        self.assertEqual(suites, {17})

        results = [None] * N_CLIENTS
        errors = []
        start = threading.Barrier(N_CLIENTS + 1, timeout=30)

        def client(k):
            try:
                with self.daemon.client(timeout=60) as c:
                    calls = [('ipmi.raw', {'bmc': names[(k * 13 + j) % N_BMCS],
                                           'netfn': 6, 'cmd': 1})
                             for j in range(REQS_PER_CLIENT)]
                    start.wait()
                    t0 = time.monotonic()
                    rsps = c.pipeline(calls, window=WINDOW, timeout=120)
                    results[k] = (time.monotonic() - t0, rsps)
            except Exception as e:
                errors.append('client %d: %r' % (k, e))

        threads = [threading.Thread(target=client, args=(k,), daemon=True)
                   for k in range(N_CLIENTS)]
        for t in threads:
            t.start()
        start.wait()
        t0 = time.monotonic()
        for t in threads:
            t.join(180 * harness.SLOW)
        wall = time.monotonic() - t0
        self.assertFalse(any(t.is_alive() for t in threads), 'a client is stuck')
        self.assertEqual(errors, [])
        bad = []
        for k, (secs, rsps) in enumerate(results):
            self.assertEqual(len(rsps), REQS_PER_CLIENT)
            bad += [r for r in rsps if r.get('result') != OK]
        self.assertEqual(bad[:5], [], '%d of %d requests failed' %
                         (len(bad), N_CLIENTS * REQS_PER_CLIENT))
        total = N_CLIENTS * REQS_PER_CLIENT
        stats = self.client.result('daemon.stats')
        harness.log('scale: %d clients x %d pipelined requests (window %d) over %d BMCs: '
                    '%d requests in %.2f s = %.0f requests/s; daemon p50 %.0f us, p99 %.0f us, '
                    'retries %d, timeouts %d'
                    % (N_CLIENTS, REQS_PER_CLIENT, WINDOW, N_BMCS, total, wall, total / wall,
                       stats['p50_us'], stats['p99_us'], stats['retries'], stats['timeouts']))
        self.assertEqual(stats['timeouts'], 0, stats)
        info = self.client.result('daemon.info')
        self.assertEqual(info['sessions_active'], N_BMCS)
        lst = self.client.result('bmc.list')['bmcs']
        self.assertEqual(sum(b['requests'] for b in lst), total)
        self.assertEqual(sum(b['errors'] for b in lst), 0)
        self.assertEqual(sum(b['reconnects'] for b in lst), 0)

    def test_ipmi_sim_100_fanout(self):
        t0 = time.monotonic()
        sim = self.start_sim(N_BMCS)
        harness.log('scale: bmcsim started %d ipmi_sim in %.2f s'
                    % (N_BMCS, time.monotonic() - t0))
        names = ['sim%03d' % i for i in range(N_BMCS)]
        self.bring_up([(n, self.bmc(sim.port(i), cipher_suite=3))
                       for i, n in enumerate(names)], 'ipmi_sim x%d, cipher_suite 3' % N_BMCS)
        rounds = 10
        t0 = time.monotonic()
        for _ in range(rounds):
            r = self.client.result('ipmi.raw', {'bmcs': ['sim*'], 'netfn': 6, 'cmd': 1},
                                   timeout=60)
            bad = {n: v for n, v in r['results'].items() if v != OK}
            self.assertEqual(bad, {})
            self.assertEqual(sorted(r['results']), names)
        secs = time.monotonic() - t0
        harness.log('scale: %d fan-out ipmi.raw over %d ipmi_sim: %.1f ms each, %.0f requests/s'
                    % (rounds, N_BMCS, secs / rounds * 1000, rounds * N_BMCS / secs))


if __name__ == '__main__':
    harness.main()
