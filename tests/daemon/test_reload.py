"""Configuration reload (SIGHUP and daemon.reload): BMCs are added, removed
and restarted when changed, and untouched ones keep their session (no
reconnect, same 'since', no Close Session seen by the BMC).  Uses fakebmc,
which logs every session open/close, so the BMC's view is checked too."""

import os
import re
import signal
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import GET_DEVICE_ID  # noqa: E402

OK = {'completion_code': 0, 'data': GET_DEVICE_ID}


class Reload(harness.DaemonTestCase):

    def setUp(self):
        super().setUp()
        self.fb = self.start_fakebmc(5)
        self.cfg = {
            'a': self.bmc(self.fb.port(0), cipher_suite=3),
            'b': self.bmc(self.fb.port(1), cipher_suite=3),
            'c': self.bmc(self.fb.port(2), cipher_suite=3),
        }
        self.start_daemon(sorted(self.cfg.items()))
        self.wait_all_active('abc')

    def write(self):
        self.write_config(sorted(self.cfg.items()))

    def opens(self, i):
        return self.fb.log_lines(self.fb.port(i), ' open: ')

    def closes(self, i):
        return self.fb.log_lines(self.fb.port(i), 'closed (Close Session)')

    def names(self):
        return sorted(b['name'] for b in self.client.result('bmc.list')['bmcs'])

    def test_sighup_add_remove_change(self):
        before = {n: self.status(n) for n in 'abc'}
        self.cfg['b'] = self.bmc(self.fb.port(1), cipher_suite=17)   # changed
        del self.cfg['c']                                            # removed
        self.cfg['d'] = self.bmc(self.fb.port(3), cipher_suite=3)    # added
        self.write()
        self.daemon.signal(signal.SIGHUP)
        harness.wait_for(lambda: 'reloaded:' in self.daemon.log_text(), 10,
                         'the reload to be logged')
        m = re.search(r'reloaded: (\d+) added, (\d+) removed, (\d+) changed, (\d+) unchanged',
                      self.daemon.log_text())
        self.assertEqual(m.groups(), ('1', '1', '1', '1'))
        self.wait_all_active('abd')
        self.assertEqual(self.names(), ['a', 'b', 'd'])

        # untouched
        a = self.status('a')
        self.assertEqual(a['reconnects'], 0, a)
        self.assertEqual(a['since'], before['a']['since'])
        self.assertEqual(len(self.opens(0)), 1, self.fb.log_text())
        self.assertEqual(self.closes(0), [])
        # changed: old session closed at the BMC, new one with the new suite
        b = self.status('b')
        self.assertEqual(b['cipher_suite'], 17, b)
        harness.wait_for(lambda: len(self.closes(1)) == 1, 10, 'b\'s old session closed')
        self.assertIn(' suite 17, ', self.opens(1)[-1])
        # removed: session closed at the BMC
        harness.wait_for(lambda: len(self.closes(2)) == 1, 10, 'c\'s session closed')
        e = self.client.error('ipmi.raw', {'bmc': 'c', 'netfn': 6, 'cmd': 1})
        self.assertEqual(e['code'], -32001, e)
        for n in 'abd':
            self.assertEqual(self.raw(n), OK)

    def test_daemon_reload_counts(self):
        r = self.client.result('daemon.reload')
        self.assertEqual(r, {'added': 0, 'removed': 0, 'changed': 0, 'unchanged': 3})
        since_a = self.status('a')['since']

        self.cfg['d'] = self.bmc(self.fb.port(3), cipher_suite=3)
        self.cfg['e'] = self.bmc(self.fb.port(4), cipher_suite=3)
        del self.cfg['b']
        self.cfg['c'] = self.bmc(self.fb.port(2), user='oper', cipher_suite=3,
                                 privilege='operator')
        self.write()
        r = self.client.result('daemon.reload')
        self.assertEqual(r, {'added': 2, 'removed': 1, 'changed': 1, 'unchanged': 1})
        self.wait_all_active('acde')
        self.assertEqual(self.names(), ['a', 'c', 'd', 'e'])
        self.assertEqual(self.status('c')['privilege'], 'operator')
        a = self.status('a')
        self.assertEqual((a['reconnects'], a['since']), (0, since_a), a)

    def test_runtime_bmc_survives_reload(self):
        st = self.client.result('bmc.add', {
            'name': 'rt', 'host': '127.0.0.1', 'port': self.fb.port(4), 'username': 'admin',
            'password_file': self.pwfiles['admin'], 'cipher_suite': 17})
        self.assertEqual(st['name'], 'rt')
        self.wait_state('rt', 'active')
        self.assertEqual(self.raw('rt'), OK)
        r = self.client.result('daemon.reload')
        self.assertEqual(r, {'added': 0, 'removed': 0, 'changed': 0, 'unchanged': 3})
        st = self.status('rt')
        self.assertEqual((st['state'], st['reconnects']), ('active', 0), st)
        self.assertEqual(self.client.result('bmc.remove', {'bmc': 'rt'}), {})
        self.assertNotIn('rt', self.names())
        harness.wait_for(lambda: len(self.closes(4)) == 1, 10, 'rt\'s session closed')

    def test_bad_config_keeps_running(self):
        since = {n: self.status(n)['since'] for n in 'abc'}
        with open(self.conf, 'a') as f:
            f.write('\n[bmc:broken]\nhost = 127.0.0.1\nno_such_key = 1\n')
        rsp = self.client.call('daemon.reload')
        self.assertIn('error', rsp, rsp)
        self.assertTrue(rsp['error'].get('data', {}).get('detail'), rsp)
        self.daemon.signal(signal.SIGHUP)
        harness.wait_for(lambda: self.daemon.log_text().count('not reloaded') >= 2, 10,
                         'the refused SIGHUP reload to be logged')
        self.assertEqual(self.names(), ['a', 'b', 'c'])
        for n in 'abc':
            st = self.status(n)
            self.assertEqual((st['state'], st['since'], st['reconnects']),
                             ('active', since[n], 0), st)


if __name__ == '__main__':
    harness.main()
