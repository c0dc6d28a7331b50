"""Start-up and shut-down: SIGTERM closes every session at the BMC (fakebmc
logs "session ... closed (Close Session)"), removes the socket and exits 0,
promptly even with unreachable BMCs and requests in flight;
--check-config reports file:line: reason and exits non-zero on a bad
configuration; a bad configuration stops the daemon from starting."""

import os
import re
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def check_config(path):
    return subprocess.run([harness.IPMIPOOLD, '-c', path, '--check-config'],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=30, universal_newlines=True)


class Shutdown(harness.DaemonTestCase):

    def shutdown(self, sig):
        fb = self.start_fakebmc(3)
        dead_port = harness.free_udp_ports(1)      # nothing answers there
        bmcs = [('fb%d' % i, self.bmc(fb.port(i), cipher_suite=17)) for i in range(3)]
        bmcs.append(('dead', self.bmc(dead_port, cipher_suite=3)))
        self.start_daemon(bmcs)
        self.wait_all_active(['fb0', 'fb1', 'fb2'])
        for i in range(3):
            self.assertEqual(len(fb.log_lines(fb.port(i), ' open: ')), 1)
            self.assertEqual(fb.log_lines(fb.port(i), 'closed'), [])
        other = self.daemon.client()
        self.addCleanup(other.close)
        other.result('daemon.info')

        t0 = time.monotonic()
        self.daemon.expected_exit = True
        self.daemon.signal(sig)
        rc = self.daemon.wait_exit(15)
        secs = time.monotonic() - t0
        harness.log('shutdown: %s -> exit %s in %.2f s' % (sig.name, rc, secs))
        self.assertEqual(rc, 0, self.daemon.log_tail())
        self.assertFalse(os.path.exists(self.socket), 'socket file left behind')
        for i in range(3):
            self.assertEqual(len(fb.log_lines(fb.port(i), 'closed (Close Session)')), 1,
                             'port %d: %r' % (fb.port(i), fb.log_lines(fb.port(i))))
        # connected clients see the connection end
        other.sock.settimeout(5)
        self.assertIn(other.sock.recv(1), (b'',))

    def test_sigterm(self):
        self.shutdown(signal.SIGTERM)

    def test_sigint(self):
        self.shutdown(signal.SIGINT)

    def test_sigterm_with_requests_in_flight(self):
        # replies delayed 300 ms: a pipelined burst is still in flight at SIGTERM
        fb = self.start_fakebmc(1, extra=['--delay-ms', '300'])
        self.start_daemon([('slow', self.bmc(fb.port(0), cipher_suite=3))],
                          daemon={'request_timeout': 2})
        self.wait_state('slow', 'active', timeout=20)
        ids = [self.client.request('ipmi.raw', {'bmc': 'slow', 'netfn': 6, 'cmd': 1})
               for _ in range(5)]
        self.daemon.expected_exit = True
        self.daemon.signal(signal.SIGTERM)
        rc = self.daemon.wait_exit(15)
        self.assertEqual(rc, 0, self.daemon.log_tail())
        # Each request was answered (result or error) or the connection ended: no hang.
        got = []
        while True:
            try:
                line = self.client.read_line(timeout=5)
            except OSError:
                break
            if line is None:
                break
            got.append(line)
        harness.log('shutdown: %d of %d in-flight requests answered before EOF'
                    % (len(got), len(ids)))
        self.assertFalse(os.path.exists(self.socket))
        harness.wait_for(lambda: fb.log_lines(contains='closed (Close Session)'), 5,
                         'the session to be closed at the BMC')


class CheckConfig(harness.DaemonTestCase):

    def write_raw(self, name, text, mode=0o600):
        path = os.path.join(self.tmp, name)
        with open(path, 'w') as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def test_good_config(self):
        self.write_config([('a', self.bmc(623)), ('b', self.bmc(624, cipher_suite=17))])
        r = check_config(self.conf)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('ok', r.stdout)
        self.assertIn('2 BMC', r.stdout)

    def test_bad_configs(self):
        pw = self.pwfiles['admin']
        cases = [
            # (text, line, words in the reason)
            ('[bmc:a]\nhost = 127.0.0.1\npassword_file = %s\nbogus = 1\n' % pw, 4, 'bogus'),
            ('[bmc:a]\nhost = 127.0.0.1\nport = 70000\npassword_file = %s\n' % pw, 3, 'port'),
            ('[daemon]\nretries = many\n', 2, 'retries'),
            ('[bmc:a]\nhost = 127.0.0.1\npassword_file = %s/missing\n' % self.tmp, 3,
             'missing'),
            ('[bmc:a]\nhost = 127.0.0.1\npassword_file = %s\ncipher_suite = 5\n' % pw, 4,
             'cipher_suite'),
            ('[bmc:a]\nhost = 127.0.0.1\npassword_file = %s\n\n[bmc:a]\nhost = x\n' % pw, 5,
             'a'),
            ('[nonsense]\nx = 1\n', 1, 'nonsense'),
        ]
        for i, (text, line, word) in enumerate(cases):
            path = self.write_raw('bad%d.conf' % i, text)
            r = check_config(path)
            self.assertNotEqual(r.returncode, 0, (text, r.stdout))
            m = re.search(re.escape(path) + r':(\d+): (.+)', r.stderr)
            self.assertTrue(m, 'no "%s:LINE: reason" in %r' % (path, r.stderr))
            self.assertEqual(int(m.group(1)), line, (text, r.stderr))
            self.assertIn(word, m.group(2), (text, r.stderr))

    def test_inline_password_in_world_readable_file(self):
        path = self.write_raw('open.conf', '[bmc:a]\nhost = 127.0.0.1\npassword = x\n', 0o644)
        r = check_config(path)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(path, r.stderr)
        os.chmod(path, 0o600)
        r = check_config(path)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_missing_file(self):
        r = check_config(os.path.join(self.tmp, 'nope.conf'))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('nope.conf', r.stderr)

    def test_daemon_refuses_bad_config(self):
        path = self.write_raw('bad.conf', '[daemon]\nsocket = %s\nlog_level = chatty\n'
                              % self.socket)
        r = subprocess.run([harness.IPMIPOOLD, '-c', path, '-f'], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30,
                           universal_newlines=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('%s:3:' % path, r.stderr)
        self.assertFalse(os.path.exists(self.socket))


if __name__ == '__main__':
    harness.main()
