"""The network misbehaves between ipmipoold and an ipmi_sim BMC (the fault
proxy, tests/faults/udpproxy.py, sits in between): loss, duplication,
reordering, delay, replayed old answers, corrupted datagrams.

Every request must be answered exactly once, within its deadline, either
with its own answer (checked against the fixture's answer to that very
request: FRU bytes at distinct offsets, distinct sensors and commands) or
with -32002 / -32005; rejected datagrams are counted in daemon.stats."""

import os
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultlib  # noqa: E402
from faultlib import harness, log  # noqa: E402

TIMEOUT = 0.5     # request_timeout
RETRIES = 3
# bmc.c: deadline = submit + timeout * retries * 2, plus at most one attempt
# started before it; slack for scheduling and the proxy's delays.
DEADLINE = TIMEOUT * RETRIES * 2 + TIMEOUT + 1.0


class Network(faultlib.FaultTestCase):

    def setUp(self):
        super().setUp()
        self.sim = self.start_sim(1)
        self.proxy = self.start_proxy([self.sim.port(0)])
        self.start_daemon([('sim', self.bmc(self.proxy.port(0), cipher_suite=3,
                                            max_inflight=8))],
                          daemon={'request_timeout': TIMEOUT, 'retries': RETRIES})
        self.wait_all_active(['sim'])
        self.reqs, self.expect = faultlib.expected_answers(self.client, 'sim',
                                                           faultlib.catalogue())

    def run_mix(self, rounds, window):
        """rounds x the catalogue through a pipeline; checks every answer;
        returns (ok, errors by code, worst latency)."""
        calls, names = [], []
        for _ in range(rounds):
            for name, p in self.reqs:
                calls.append(('ipmi.raw', dict(p, bmc='sim')))
                names.append(name)
        res = faultlib.timed_pipeline(self.client, calls, window, timeout=120)
        ok, errs, worst, wrong = 0, {}, 0.0, []
        for name, (rsp, secs) in zip(names, res):
            worst = max(worst, secs)
            if 'error' in rsp:
                e = rsp['error']
                errs[e['code']] = errs.get(e['code'], 0) + 1
                self.assertIn(e['code'], (-32002, -32005), rsp)
                self.assertEqual(e['data'].get('bmc'), 'sim', rsp)
                self.assertTrue(e['data'].get('detail'), rsp)
            elif rsp['result'] != self.expect[name]:
                wrong.append((name, rsp['result'], self.expect[name]))
            else:
                ok += 1
        self.assertEqual(wrong, [], 'answers delivered to the wrong request '
                         '(request, got, expected): %r' % wrong[:10])
        self.assertEqual(faultlib.drain_check(self.client), [],
                         'responses nobody asked for')
        self.assertLessEqual(worst, DEADLINE * harness.SLOW,
                             'a request was answered %.2f s after it was sent' % worst)
        return ok, errs, worst

    def test_loss_20_percent(self):
        before = self.stats()
        self.proxy.set(None, loss=0.2)
        ok, errs, worst = self.run_mix(3, window=16)
        after = self.stats()
        log('loss 20%%: %d ok, errors %r, worst %.2f s, retries +%d, reconnects +%d, '
            'proxy %r' % (ok, errs, worst, after['retries'] - before['retries'],
                          after['reconnects'] - before['reconnects'],
                          self.proxy.counters()))
        self.assertGreater(after['retries'], before['retries'], after)
        self.assertGreater(ok, len(self.reqs), 'most requests must get through')
        # and once the network is healthy again, everything works
        self.proxy.clear()
        self.wait_state('sim', 'active', timeout=30)
        ok, errs, _ = self.run_mix(1, window=8)
        self.assertEqual(errs, {})
        self.assert_alive()

    def test_duplicate_reorder_delay_replay(self):
        before = self.stats()
        self.proxy.set(None, dup=0.2, dup_ms=20, reorder=0.2, reorder_ms=25, delay_ms=2,
                       jitter_ms=8)
        self.proxy.set('down', replay=0.15, replay_min_age=4)
        ok, errs, worst = self.run_mix(4, window=12)
        self.proxy.clear()
        c = self.proxy.counters()

        def rejections(a):
            return {k: a['packets_rejected'][k] - before['packets_rejected'][k]
                    for k in a['packets_rejected']}

        def all_extra_copies_seen():
            # copies still held in the proxy (delay, reorder) are on their way
            a = self.stats()
            r = rejections(a)
            seen = r['replay'] + r['unknown_session'] + r['malformed']
            return a if seen >= c['down']['replayed'] + c['down']['duplicated'] else None
        try:
            after = harness.wait_for(all_extra_copies_seen, 5, 'every extra copy rejected')
        except harness.WaitTimeout:
            after = self.stats()
        rej = rejections(after)
        log('dup/reorder/delay/replay: %d ok, errors %r, worst %.2f s, rejected %r, '
            'late %d, proxy %r' % (ok, errs, worst, rej,
                                   after.get('late_responses', 0) -
                                   before.get('late_responses', 0), c))
        self.assertGreater(c['down']['replayed'], 0)
        self.assertGreater(c['down']['duplicated'], 0)
        # Every extra copy of an answer is rejected (as a replay, or, for copies of
        # handshake datagrams, as not belonging to the session), never accepted.
        self.assertGreater(rej['replay'], 0, rej)
        self.assertGreaterEqual(rej['replay'] + rej['unknown_session'] + rej['malformed'],
                                c['down']['replayed'] + c['down']['duplicated'], rej)
        self.assertEqual(rej['bad_mac'], 0, rej)
        self.assertEqual(errs, {}, 'no datagram was lost: nothing may fail')
        self.assert_alive()

    def test_corruption(self):
        before = self.stats()
        st0 = self.status('sim')
        self.proxy.set('down', corrupt=0.15)
        ok, errs, worst = self.run_mix(3, window=8)
        self.proxy.clear()
        c = self.proxy.counters()

        def rejected_all():
            # The last corrupted datagrams may still be on their way to the daemon.
            a = self.stats()
            n = a['packets_rejected']['bad_mac'] - before['packets_rejected']['bad_mac']
            return a if n >= c['down']['corrupted'] else None
        try:
            after = harness.wait_for(rejected_all, 5, 'bad_mac to reach the corrupted count')
        except harness.WaitTimeout:
            after = self.stats()
        bad_mac = after['packets_rejected']['bad_mac'] - before['packets_rejected']['bad_mac']
        log('corruption: %d ok, errors %r, bad_mac +%d (proxy corrupted %d), other '
            'rejections %r' % (ok, errs, bad_mac, c['down']['corrupted'],
                               after['packets_rejected']))
        self.assertGreater(c['down']['corrupted'], 0)
        # Every corrupted answer is dropped by the integrity check, none slips through.
        self.assertEqual(bad_mac, c['down']['corrupted'], after['packets_rejected'])
        st = self.status('sim')
        self.assertEqual(st['state'], 'active')
        self.assertEqual(st['reconnects'], st0['reconnects'], 'the session must survive')
        self.assertEqual(st['since'], st0['since'])
        # corruption towards the BMC: ipmi_sim drops them, retries cover it
        self.proxy.set('up', corrupt=0.1)
        ok2, errs2, _ = self.run_mix(1, window=8)
        log('corruption up: %d ok, errors %r' % (ok2, errs2))
        self.proxy.clear()
        self.assert_alive()


if __name__ == '__main__':
    faultlib.main()
