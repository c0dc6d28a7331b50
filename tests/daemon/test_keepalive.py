"""Keepalive (slow: ~36 s, registered in meson suites 'daemon' and 'slow').

ipmi_sim drops a session after ~30 s of silence (not configurable).  With
keepalive_interval = 5 the daemon's session must outlive that: after 35 s
with no client request the session is still the same one (no reconnect,
'since' unchanged) and ipmi.raw succeeds at once."""

import os
import sys
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import GET_DEVICE_ID  # noqa: E402

IDLE = 35.0   # > ipmi_sim's ~30 s idle timeout


class Keepalive(harness.DaemonTestCase):

    def test_session_outlives_bmc_idle_timeout(self):
        sim = self.start_sim(1)
        self.start_daemon([('sim0', self.bmc(sim.port(0), cipher_suite=3))],
                          daemon={'keepalive_interval': 5})
        st0 = self.wait_state('sim0', 'active')
        k0 = self.client.result('daemon.stats')['keepalives']
        t0 = time.monotonic()
        harness.log('keepalive: idling %.0f s (only daemon.stats, which sends nothing '
                    'to the BMC)' % IDLE)

        seen = []

        def idle_done():
            s = self.client.result('daemon.stats')
            seen.append(s['keepalives'] - k0)
            return time.monotonic() - t0 >= IDLE and s['keepalives'] - k0 >= 5
        # Not stretched by the sanitizer factor beyond what wait_for does.
        harness.wait_for(idle_done, IDLE + 15, 'keepalives while idle', interval=0.5)
        harness.log('keepalive: %d keepalives in %.1f s' % (seen[-1], time.monotonic() - t0))

        r = self.raw('sim0', timeout=5)
        self.assertEqual(r, {'completion_code': 0, 'data': GET_DEVICE_ID})
        st = self.status('sim0')
        self.assertEqual(st['state'], 'active')
        self.assertEqual(st['reconnects'], 0, st)
        self.assertEqual(st['since'], st0['since'])
        self.assertEqual(st['retries'], 0, st)
        stats = self.client.result('daemon.stats')
        self.assertEqual(stats['reconnects'], 0, stats)
        self.assertEqual(stats['handshakes'], 1, stats)


if __name__ == '__main__':
    harness.main()
