"""Set-up failures are reported, not hidden: wrong password and unknown user
(ipmi_sim) leave the BMC 'failed' (or 'backoff') with last_error naming the
reason, and ipmi.raw answers -32003 with data.detail; an unresolvable host
(a stub DNS server answering NXDOMAIN) is 'backoff' with "cannot resolve",
and ipmi.raw answers -32002.  Healthy BMCs beside them work."""

import os
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import GET_DEVICE_ID  # noqa: E402


class AuthAndResolveFailures(harness.DaemonTestCase):

    def setUp(self):
        super().setUp()
        self.sim = self.start_sim(3)
        self.dns = self.start_dns()
        wrong = harness.write_secret(os.path.join(self.tmp, 'pw-wrong'), 'not-the-password')
        self.start_daemon([
            ('good', self.bmc(self.sim.port(0), cipher_suite=3)),
            ('badpw', self.bmc(self.sim.port(1), cipher_suite=3, password_file=wrong)),
            ('baduser', self.bmc(self.sim.port(2), cipher_suite=3, username='nosuchuser')),
            ('nohost', self.bmc(623, host='no-such-host.invalid', cipher_suite=3)),
        ], daemon={'resolv_conf': self.dns.resolv_conf(os.path.join(self.tmp, 'resolv.conf'))})

    def check_auth_failure(self, name, reason_words):
        st = self.wait_state(name, ('failed', 'backoff'))
        err = (st['last_error'] or '').lower()
        self.assertTrue(any(w in err for w in reason_words),
                        '%s: last_error %r names none of %r' % (name, st['last_error'],
                                                                reason_words))
        e = self.client.error('ipmi.raw', {'bmc': name, 'netfn': 6, 'cmd': 1})
        self.assertEqual(e['code'], -32003, e)
        self.assertEqual(e['data'].get('bmc'), name, e)
        self.assertTrue(e['data'].get('detail'), e)
        return st, e

    def test_wrong_password(self):
        st, e = self.check_auth_failure('badpw', ('password',))
        self.assertEqual(st['state'], 'failed', st)   # credentials: retried slowly
        harness.log('auth: wrong password: last_error %r; ipmi.raw detail %r'
                    % (st['last_error'], e['data']['detail']))

    def test_unknown_user(self):
        st, e = self.check_auth_failure('baduser', ('unknown user name',))
        harness.log('auth: unknown user: last_error %r' % st['last_error'])

    def test_unknown_host(self):
        st = self.wait_state('nohost', 'backoff')
        self.assertIn('cannot resolve', st['last_error'] or '', st)
        self.assertIsNone(st['address'], st)
        e = self.client.error('ipmi.raw', {'bmc': 'nohost', 'netfn': 6, 'cmd': 1})
        self.assertEqual(e['code'], -32002, e)
        self.assertEqual(e['data'].get('bmc'), 'nohost', e)
        self.assertTrue(e['data'].get('detail'), e)
        self.assertIn(('no-such-host.invalid', 1), self.dns.queries)

    def test_good_bmc_unaffected(self):
        for name in ('badpw', 'baduser'):
            self.wait_state(name, ('failed', 'backoff'))
        self.wait_state('nohost', 'backoff')
        self.assertEqual(self.raw('good'), {'completion_code': 0, 'data': GET_DEVICE_ID})
        self.assertEqual(self.status('good')['reconnects'], 0)
        info = self.client.result('daemon.info')
        self.assertEqual((info['bmcs'], info['sessions_active']), (4, 1), info)

    def test_unknown_bmc(self):
        e = self.client.error('ipmi.raw', {'bmc': 'nope', 'netfn': 6, 'cmd': 1})
        self.assertEqual(e['code'], -32001, e)
        self.assertEqual(e['data'].get('bmc'), 'nope', e)
        e = self.client.error('bmc.status', {'bmc': 'nope'})
        self.assertEqual(e['code'], -32001, e)


if __name__ == '__main__':
    harness.main()
