"""A BMC reboots (bmcsim restart-one: ipmi_sim killed and started again on the
same port; its sessions are gone, silently).  The daemon must notice and
re-establish the session by itself: the client only keeps asking, and
requests succeed again within a bounded time.  The other BMC is untouched."""

import os
import sys
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import GET_DEVICE_ID  # noqa: E402

OK = {'completion_code': 0, 'data': GET_DEVICE_ID}


class Reconnect(harness.DaemonTestCase):

    def setUp(self):
        super().setUp()
        self.sim = self.start_sim(2)
        self.start_daemon([('sim0', self.bmc(self.sim.port(0), cipher_suite=3)),
                           ('sim1', self.bmc(self.sim.port(1), cipher_suite=3))])
        self.wait_all_active(['sim0', 'sim1'])
        self.assertEqual(self.raw('sim0'), OK)
        self.assertEqual(self.raw('sim1'), OK)
        self.before1 = self.status('sim1')

    def poll_until_ok(self, name, timeout=30):
        """ipmi.raw until it succeeds; returns (seconds, errors seen)."""
        errors = []
        t0 = time.monotonic()

        def ok():
            rsp = self.client.call('ipmi.raw', {'bmc': name, 'netfn': 6, 'cmd': 1},
                                   timeout=20)
            if 'error' in rsp:
                errors.append(rsp['error'])
                # only "come back later" kinds of errors are acceptable here
                self.assertIn(rsp['error']['code'], (-32002, -32005), rsp)
                self.assertTrue(rsp['error'].get('data', {}).get('detail'), rsp)
                return False
            self.assertEqual(rsp['result'], OK)
            return True
        harness.wait_for(ok, timeout, '%s to answer again' % name, interval=0.2)
        return time.monotonic() - t0, errors

    def check_untouched(self):
        st = self.status('sim1')
        self.assertEqual(st['state'], 'active')
        self.assertEqual(st['reconnects'], 0, st)
        self.assertEqual(st['since'], self.before1['since'])
        self.assertEqual(self.raw('sim1'), OK)

    def test_restart_one(self):
        self.sim.restart_one(0)
        secs, errors = self.poll_until_ok('sim0')
        harness.log('reconnect: sim0 answered again %.2f s after the restart '
                    '(%d failed attempts: %s)' % (secs, len(errors),
                                                  sorted({e['code'] for e in errors})))
        st = self.status('sim0')
        self.assertEqual(st['state'], 'active')
        self.assertGreaterEqual(st['reconnects'], 1, st)
        self.check_untouched()

    def test_restart_with_downtime(self):
        # Down for a while: requests meanwhile fail with an error (bounded), never hang.
        self.sim.stop_one(0)
        rsp = self.client.call('ipmi.raw', {'bmc': 'sim0', 'netfn': 6, 'cmd': 1}, timeout=20)
        self.assertIn('error', rsp)
        self.assertIn(rsp['error']['code'], (-32002, -32005), rsp)
        self.assertEqual(rsp['error']['data'].get('bmc'), 'sim0')
        st = self.status('sim0')
        self.assertNotEqual(st['state'], 'active')
        self.assertTrue(st['last_error'], st)
        self.sim.start_one(0)
        secs, errors = self.poll_until_ok('sim0', timeout=75)
        harness.log('reconnect: sim0 back %.2f s after its restart' % secs)
        self.assertGreaterEqual(self.status('sim0')['reconnects'], 1)
        self.check_untouched()


if __name__ == '__main__':
    harness.main()
