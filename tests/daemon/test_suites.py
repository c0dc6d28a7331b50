"""Sessions come up for every cipher suite, against real peers:
ipmi_sim (suites 0, 1, 2, 3, 6) and ipmipool-fakebmc (7, 8, 11, 12, 15, 16,
17), each with a fixed cipher_suite; and auto selection (cipher_suites =
17,3) picks 17 on fakebmc and 3 on ipmi_sim.  bmc.status reports the suite;
fakebmc's own log confirms the suite the session really used."""

import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import GET_DEVICE_ID  # noqa: E402

SIM_SUITES = [0, 1, 2, 3, 6]
FAKE_SUITES = [7, 8, 11, 12, 15, 16, 17]


class CipherSuites(harness.DaemonTestCase):

    def test_every_suite_and_auto(self):
        sim = self.start_sim(len(SIM_SUITES) + 1)
        fb = self.start_fakebmc(len(FAKE_SUITES) + 1)
        bmcs = []
        expect = {}
        for i, s in enumerate(SIM_SUITES):
            kv = self.bmc(sim.port(i), cipher_suite=s)
            if s == 0:
                kv['allow_insecure_cipher'] = 'yes'
            bmcs.append(('sim-cs%d' % s, kv))
            expect['sim-cs%d' % s] = s
        bmcs.append(('sim-auto', self.bmc(sim.port(len(SIM_SUITES)), cipher_suite='auto',
                                          cipher_suites='17,3')))
        expect['sim-auto'] = 3
        for i, s in enumerate(FAKE_SUITES):
            bmcs.append(('fake-cs%d' % s, self.bmc(fb.port(i), cipher_suite=s)))
            expect['fake-cs%d' % s] = s
        bmcs.append(('fake-auto', self.bmc(fb.port(len(FAKE_SUITES)), cipher_suite='auto',
                                           cipher_suites='17,3')))
        expect['fake-auto'] = 17
        self.start_daemon(bmcs)
        self.wait_all_active(expect, timeout=30)

        failures = []
        for name, suite in sorted(expect.items()):
            st = self.status(name)
            if st['cipher_suite'] != suite or st['state'] != 'active':
                failures.append('%s: state %s suite %r, expected %d (last_error %r)'
                                % (name, st['state'], st['cipher_suite'], suite,
                                   st['last_error']))
                continue
            try:
                r = self.raw(name)
            except harness.RpcError as e:
                failures.append('%s: ipmi.raw failed: %s' % (name, e))
                continue
            if r != {'completion_code': 0, 'data': GET_DEVICE_ID}:
                failures.append('%s: Get Device ID gave %r' % (name, r))
        self.assertEqual(failures, [])

        # What the BMC saw: fakebmc logs "session 0x.. open: ... suite N, from ...".
        for i, s in enumerate(FAKE_SUITES + [17]):
            port = fb.port(i)
            suites = [int(m.group(1)) for m in
                      (re.search(r' suite (\d+),', l)
                       for l in fb.log_lines(port, ' open: ')) if m]
            self.assertEqual(set(suites), {s}, 'fakebmc port %d sessions: %r'
                             % (port, fb.log_lines(port)))

    def test_suite0_refused_without_allow_insecure(self):
        # Suite 0 (no authentication) must not start without allow_insecure_cipher.
        self.write_config([('s0', self.bmc(623, cipher_suite=0))])
        r = subprocess.run([harness.IPMIPOOLD, '-c', self.conf, '--check-config'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30,
                           universal_newlines=True)
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stderr, re.escape(self.conf) + r':\d+: ')


if __name__ == '__main__':
    harness.main()
