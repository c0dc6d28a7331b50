"""A BMC known by a DNS name whose address changes.

No edit of the real /etc/hosts: a stub DNS server (harness.StubDns, in this
process) answers on 127.0.0.1:PORT and the daemon uses it through
resolv_conf ("nameserver 127.0.0.1:PORT"; evdns takes ip:port).  Two
fakebmc responders serve the same port on 127.0.0.2 and 127.0.0.3 (bmcsim's
ipmi_sim binds 127.0.0.1 only).  With dns_refresh = 2, when the name moves
the daemon follows: bmc.status shows the new address, the new BMC gets a
session, and requests succeed."""

import os
import sys
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import GET_DEVICE_ID  # noqa: E402

NAME = 'bmc-moving.ipmipool.test'
OK = {'completion_code': 0, 'data': GET_DEVICE_ID}


class DnsChange(harness.DaemonTestCase):

    def setUp(self):
        super().setUp()
        port = harness.free_udp_ports(1, addrs=('127.0.0.2', '127.0.0.3'))
        self.fb2 = self.start_fakebmc(1, addr='127.0.0.2', port=port, name='fb-2')
        self.fb3 = self.start_fakebmc(1, addr='127.0.0.3', port=port, name='fb-3')
        self.dns = self.start_dns()
        self.dns.set(NAME, '127.0.0.2')
        self.start_daemon(
            [('moving', self.bmc(port, host=NAME, cipher_suite=17)),
             ('fixed', self.bmc(port, host='127.0.0.2', cipher_suite=3))],
            daemon={'resolv_conf': self.dns.resolv_conf(os.path.join(self.tmp, 'resolv.conf')),
                    'dns_refresh': 2})
        self.wait_all_active(['moving', 'fixed'])

    def sessions(self, fb):
        return len(fb.log_lines(contains=' suite 17, '))

    def test_address_follows_dns(self):
        st = self.status('moving')
        self.assertEqual(st['address'], '127.0.0.2', st)
        self.assertEqual(st['host'], NAME)
        self.assertEqual(self.raw('moving'), OK)
        self.assertEqual(self.sessions(self.fb2), 1, self.fb2.log_text())
        self.assertEqual(self.sessions(self.fb3), 0, self.fb3.log_text())
        fixed0 = self.status('fixed')
        lookups0 = self.client.result('daemon.stats')['dns_lookups']

        t0 = time.monotonic()
        self.dns.set(NAME, '127.0.0.3')

        def moved():
            s = self.status('moving')
            return s if s['address'] == '127.0.0.3' and s['state'] == 'active' else False
        st = harness.wait_for(moved, 15, 'bmc.status address to become 127.0.0.3',
                              interval=0.1)
        harness.log('dns: session moved to 127.0.0.3 %.2f s after the DNS change'
                    % (time.monotonic() - t0))
        self.assertEqual(self.raw('moving'), OK)
        self.assertEqual(self.sessions(self.fb3), 1, self.fb3.log_text())
        self.assertGreater(self.client.result('daemon.stats')['dns_lookups'], lookups0)

        # Requests really go to the new address: the old responder can go away.
        self.fb2.stop()
        # ... except for 'fixed', which is pinned to 127.0.0.2 and untouched so far
        fx = self.status('fixed')
        self.assertEqual((fx['reconnects'], fx['since']), (0, fixed0['since']), fx)
        for _ in range(5):
            self.assertEqual(self.raw('moving'), OK)

        # And back again, to an address that answers nothing at first.
        self.fb2 = self.start_fakebmc(1, addr='127.0.0.2', port=self.fb3.port(), name='fb-2b')
        self.dns.set(NAME, '127.0.0.2')

        def back():
            s = self.status('moving')
            return s if s['address'] == '127.0.0.2' and s['state'] == 'active' else False
        harness.wait_for(back, 15, 'bmc.status address to become 127.0.0.2 again',
                         interval=0.1)
        self.assertEqual(self.raw('moving'), OK)

    def test_nxdomain_on_refresh_keeps_session(self):
        # NXDOMAIN during a periodic refresh must not tear down a working session.
        with self.dns.lock:
            del self.dns.records[NAME]
        n0 = len(self.dns.queries)
        harness.wait_for(lambda: len(self.dns.queries) >= n0 + 4, 15,
                         'the daemon to re-resolve a few times', interval=0.1)
        st = self.status('moving')
        self.assertEqual((st['state'], st['address']), ('active', '127.0.0.2'), st)
        self.assertEqual(self.raw('moving'), OK)
        self.assertEqual(st['reconnects'], 0, st)


if __name__ == '__main__':
    harness.main()
