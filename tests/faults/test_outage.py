"""The BMC goes away: it restarts in the middle of a stream of requests
(bmcsim restart-one), or it falls silent for a long time (the fault proxy
blacks out both directions) and comes back.

Requests queued or in flight during a restart either complete (with their
own answer) or fail with a clear error (-32002 / -32005 with a detail),
inside their deadline, and the session comes back by itself.  During a long
blackout the daemon backs off instead of storming the BMC: the datagrams it
sends are counted at the proxy and must stay few; afterwards it recovers."""

import os
import sys
import threading
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultlib  # noqa: E402
from faultlib import OK_DEVID, harness, log  # noqa: E402

TIMEOUT = 0.5
RETRIES = 3
DEADLINE = TIMEOUT * RETRIES * 2 + TIMEOUT + 1.0
BLACKOUT = 20.0
MAX_PACKETS_IN_BLACKOUT = 30


class Outage(faultlib.FaultTestCase):

    def setUp(self):
        super().setUp()
        self.sim = self.start_sim(2)
        self.proxy = self.start_proxy([self.sim.port(0)])
        self.start_daemon([('sim0', self.bmc(self.proxy.port(0), cipher_suite=3,
                                             max_inflight=4)),
                           ('sim1', self.bmc(self.sim.port(1), cipher_suite=3))],
                          daemon={'request_timeout': TIMEOUT, 'retries': RETRIES})
        self.wait_all_active(['sim0', 'sim1'])

    def stream(self, seconds, window=8):
        """Pipelines Get Device ID to sim0 for about seconds; returns
        [(response, latency)]."""
        out = []
        t_end = time.monotonic() + seconds
        while time.monotonic() < t_end:
            calls = [('ipmi.raw', {'bmc': 'sim0', 'netfn': 6, 'cmd': 1})] * window
            out += faultlib.timed_pipeline(self.client, calls, window, timeout=60)
            time.sleep(0.02)    # pacing (fast failures in backoff), not synchronisation
        return out

    def check_outcomes(self, res):
        kinds = {}
        for rsp, secs in res:
            if 'error' in rsp:
                e = rsp['error']
                self.assertIn(e['code'], (-32002, -32005), rsp)
                self.assertEqual(e['data'].get('bmc'), 'sim0', rsp)
                self.assertTrue(e['data'].get('detail'), rsp)
                kinds[(e['code'], e['data']['detail'])] = \
                    kinds.get((e['code'], e['data']['detail']), 0) + 1
            else:
                self.assertEqual(rsp['result'], OK_DEVID, rsp)
                kinds['ok'] = kinds.get('ok', 0) + 1
            self.assertLessEqual(secs, DEADLINE * harness.SLOW,
                                 'answered %.2f s after it was sent: %r' % (secs, rsp))
        return kinds

    def test_restart_mid_stream(self):
        before = self.status('sim1')
        restarter = threading.Thread(target=lambda: (time.sleep(1.0),
                                                     self.sim.restart_one(0, down=2)),
                                     daemon=True)
        restarter.start()
        res = self.stream(7.0)
        restarter.join(60)
        kinds = self.check_outcomes(res)
        log('restart mid-stream: %d requests: %r' % (len(res), kinds))
        self.assertGreater(len([k for k in kinds if k != 'ok']), 0,
                           'the restart must have been noticed')
        # back by itself: a client just keeps asking
        harness.wait_for(lambda: 'result' in self.client.call(
            'ipmi.raw', {'bmc': 'sim0', 'netfn': 6, 'cmd': 1}, timeout=20), 30,
            'sim0 to answer again', interval=0.2)
        st = self.status('sim0')
        self.assertEqual(st['state'], 'active')
        self.assertGreaterEqual(st['reconnects'], 1, st)
        self.assertEqual(faultlib.drain_check(self.client), [])
        # the other BMC never noticed
        st1 = self.status('sim1')
        self.assertEqual((st1['state'], st1['reconnects'], st1['since']),
                         ('active', 0, before['since']))

    def test_long_blackout_backoff_and_recovery(self):
        states = set()
        errors = {}
        t0 = time.monotonic()
        self.proxy.blackout(True)
        t_end = t0 + BLACKOUT
        # A client keeps asking during the blackout (one request at a time).
        while time.monotonic() < t_end:
            rsp = self.client.call('ipmi.raw', {'bmc': 'sim0', 'netfn': 6, 'cmd': 1},
                                   timeout=DEADLINE + 5)
            self.assertIn('error', rsp, rsp)
            self.assertIn(rsp['error']['code'], (-32002, -32005), rsp)
            errors[rsp['error']['code']] = errors.get(rsp['error']['code'], 0) + 1
            states.add(self.status('sim0')['state'])
            time.sleep(0.25)
        t1 = time.monotonic()
        self.proxy.blackout(False)
        sent = self.proxy.packets('up', since=t0, until=t1)
        st = self.status('sim0')
        log('blackout %.1f s: %d datagrams from the daemon, states seen %r, errors %r, '
            'last_error %r' % (t1 - t0, sent, sorted(states), errors, st['last_error']))
        self.assertIn('backoff', states, 'the daemon must back off while the BMC is silent')
        self.assertTrue(st['last_error'], st)
        self.assertLess(sent, MAX_PACKETS_IN_BLACKOUT,
                        'retry storm: %d datagrams in %.0f s of silence' % (sent, t1 - t0))
        # Back: recovery within the longest backoff step reached (+ jitter).
        harness.wait_for(lambda: 'result' in self.client.call(
            'ipmi.raw', {'bmc': 'sim0', 'netfn': 6, 'cmd': 1}, timeout=20), 35,
            'sim0 to answer after the blackout', interval=0.5)
        rec = time.monotonic() - t1
        log('blackout: recovered %.1f s after the BMC came back' % rec)
        self.assertEqual(self.status('sim0')['state'], 'active')
        self.assertEqual(self.raw('sim1'), OK_DEVID)


if __name__ == '__main__':
    faultlib.main()
