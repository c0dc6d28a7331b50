"""Hostile and broken BMCs (ipmipool-fakebmc --evil, built on the protocol
core; every mode at cipher suite 17 and again at suite 2): wrong RAKP2 code,
wrong RAKP4 value, wrong session ids in every handshake answer and in
session, replayed answers, answers from another source port, truncated and
oversized datagrams, Open Session answers choosing algorithms that were not
offered, a lowered privilege.

Each makes the handshake or the request fail with the right error (bmc.status
state and last_error, -32003 for authentication, -32002/-32005 for silence),
the rejected datagrams are counted, the daemon never crashes and a
well-behaved BMC beside them keeps working."""

import os
import sys
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultlib  # noqa: E402
from faultlib import OK_DEVID, harness, log  # noqa: E402

UNREACH = (-32002, -32005)
# Each mode runs twice: at the daemon's default suite (17: RAKP-HMAC-SHA256,
# HMAC-SHA256-128, AES-CBC-128) and at suite 2 (HMAC-SHA1, HMAC-SHA1-96).
SUITES = (17, 2)
# session_* cases: the request's detail or the BMC's last_error says why
NO_ANSWER = ('no response', 'no answer')

# mode -> (states the BMC may settle in, request error codes, last_error must contain)
# None for the error codes: the request must succeed.
CASES = {
    'normal': (('active',), None, None),
    'rakp2_bad_code': (('failed',), (-32003,), 'RAKP2'),
    'rakp2_status_0d': (('failed',), (-32003,), 'unknown user name'),
    'rakp4_bad_icv': (('failed',), (-32003,), 'RAKP4'),
    'priv_lowered': (('failed',), (-32003,), 'privilege refused'),
    'open_wrong_sid': (('backoff', 'resolving', 'connecting'), UNREACH,
                       'no answer to Open Session'),
    'rakp2_wrong_sid': (('backoff', 'resolving', 'connecting'), UNREACH,
                        'no answer to RAKP1'),
    'rakp4_wrong_sid': (('backoff', 'resolving', 'connecting'), UNREACH,
                        'no answer to RAKP3'),
    'open_bad_integ': (('backoff', 'failed', 'resolving', 'connecting'),
                       UNREACH + (-32003,), 'not proposed'),
    'open_bad_auth': (('backoff', 'failed', 'resolving', 'connecting'),
                      UNREACH + (-32003,), 'not proposed'),
    'open_bad_conf': (('backoff', 'failed', 'resolving', 'connecting'),
                      UNREACH + (-32003,), 'not proposed'),
    'other_port': (('backoff', 'resolving', 'connecting'), UNREACH,
                   'no answer to Get Channel Authentication Capabilities'),
    'truncated': (('backoff', 'resolving', 'connecting'), UNREACH,
                  'no answer to Open Session'),
    # session_*: the handshake works, every answer in session is bad
    'session_wrong_sid': (('active', 'resolving', 'connecting', 'backoff'), UNREACH,
                          NO_ANSWER),
    'session_replay': (('active', 'resolving', 'connecting', 'backoff'), UNREACH,
                       NO_ANSWER),
    'session_truncated': (('active', 'resolving', 'connecting', 'backoff'), UNREACH,
                          NO_ANSWER),
    'session_oversized': (('active', 'resolving', 'connecting', 'backoff'), UNREACH,
                          NO_ANSWER),
    'session_garbage': (('active', 'resolving', 'connecting', 'backoff'), UNREACH,
                        NO_ANSWER),
    'session_bad_mac': (('active', 'resolving', 'connecting', 'backoff'), UNREACH,
                        NO_ANSWER),
}
# Either outcome is right for a datagram with junk after a complete packet,
# as long as it is one of the two and nothing crashes.
OVERSIZED = 'oversized'


class HostileBmc(faultlib.FaultTestCase):

    def setUp(self):
        super().setUp()
        self.modes = list(CASES) + [OVERSIZED]
        # fakebmc port k * len(modes) + i runs modes[i] for SUITES[k]
        self.evil = self.start_evil(self.modes * len(SUITES))
        self.start_daemon([(self.name(m, s), self.bmc(self.port(m, s), cipher_suite=s))
                           for s in SUITES for m in self.modes],
                          daemon={'request_timeout': 0.5, 'retries': 3})
        self.wait_all_active([self.name('normal', s) for s in SUITES])

    @staticmethod
    def name(mode, suite):
        return '%s-c%d' % (mode.replace('_', '-'), suite)

    def index(self, mode, suite):
        """The responder's BMC (port offset) running mode for suite."""
        return SUITES.index(suite) * len(self.modes) + self.modes.index(mode)

    def port(self, mode, suite):
        return self.evil.port(self.index(mode, suite))

    def evil_log(self, mode, suite, contains=None):
        return self.evil.log_lines(self.index(mode, suite), contains)

    def test_hostile_bmcs(self):
        # 1. every handshake-level case settles with its reason
        def settled():
            bad = []
            for s in SUITES:
                for m, (_, _, why) in CASES.items():
                    if why is None or m.startswith('session_'):
                        continue
                    st = self.status(self.name(m, s))
                    if why not in (st['last_error'] or ''):
                        bad.append((m, s, st['state'], st['last_error']))
            self._unsettled = bad
            return not bad
        try:
            harness.wait_for(settled, 15, 'every hostile BMC to fail its handshake')
        except harness.WaitTimeout as e:
            raise AssertionError('%s: %r' % (e, self._unsettled))
        # 2. one request to each, all at once
        bmcs = [(m, s) for s in SUITES for m in self.modes]
        calls = [('ipmi.raw', {'bmc': self.name(m, s), 'netfn': 6, 'cmd': 1}) for m, s in bmcs]
        res = faultlib.timed_pipeline(self.client, calls, window=len(calls), timeout=60)
        problems = []
        report = []
        for (m, s), (rsp, secs) in zip(bmcs, res):
            st = self.status(self.name(m, s))
            report.append('%-18s %-3d %-8s %-6s %-40s last_error %r' % (
                m, s, st['state'], rsp.get('error', {}).get('code', 'ok'),
                rsp.get('error', {}).get('data', {}).get('detail', '')[:40],
                (st['last_error'] or '')[:80]))
            if m == OVERSIZED:
                if 'error' in rsp:
                    if rsp['error']['code'] not in UNREACH or not st['last_error']:
                        problems.append((m, s, rsp, st))
                elif rsp['result'] != OK_DEVID:
                    problems.append((m, s, rsp, st))
                continue
            states, codes, why = CASES[m]
            if codes is None:
                if rsp.get('result') != OK_DEVID:
                    problems.append((m, s, rsp, st))
                continue
            if 'error' not in rsp or rsp['error']['code'] not in codes:
                problems.append((m, s, 'expected %r' % (codes,), rsp, st))
                continue
            if not rsp['error']['data'].get('detail'):
                problems.append((m, s, 'no detail', rsp))
            if st['state'] not in states:
                problems.append((m, s, 'state', st))
            whys = why if isinstance(why, tuple) else (why,)
            if not any(w in (st['last_error'] or '') or w in rsp['error']['data']['detail']
                       for w in whys):
                problems.append((m, s, 'reason', why, rsp, st))
        log('hostile BMCs (mode, suite, state, error, last_error):\n  ' + '\n  '.join(report))
        self.assertEqual(problems, [])
        # 3. the rejected datagrams were counted by kind
        rej = self.stats()['packets_rejected']
        log('packets_rejected: %r' % rej)
        for kind in ('bad_mac', 'replay', 'unknown_session', 'unknown_source'):
            self.assertGreater(rej.get(kind, 0), 0, 'packets_rejected.%s: %r' % (kind, rej))
        # 4. the misbehaviour really happened (the responder logs each one)
        for s in SUITES:
            for m in self.modes:
                if m != 'normal':
                    self.assertTrue(self.evil_log(m, s, 'evil %s:' % m),
                                    '%s at suite %d: never misbehaved' % (m, s))
            for m, marker in (('rakp2_bad_code', 'RAKP2 sent'), ('rakp4_bad_icv', 'RAKP4 sent'),
                              ('other_port', 'sent from port'),
                              ('session_replay', '(replay)'),
                              ('priv_lowered', 'Set Session Privilege Level (4 -> 2)')):
                self.assertTrue(self.evil_log(m, s, marker),
                                '%s at suite %d: no %r in the responder log' % (m, s, marker))
            # 5. authentication failures are not retried in a loop
            n_open = len(self.evil_log('rakp2_bad_code', s, 'Open Session:'))
            self.assertLessEqual(n_open, 2, 'auth failure retried %d times' % n_open)
        # 6. the good ones never noticed, the daemon is fine
        for s in SUITES:
            st = self.status(self.name('normal', s))
            self.assertEqual((st['state'], st['reconnects']), ('active', 0), st)
            for _ in range(10):
                self.assertEqual(self.raw(self.name('normal', s)), OK_DEVID)
        self.assert_alive()

    def test_session_misbehaviour_keeps_failing_cleanly(self):
        # The session_* BMCs reconnect and fail again; for a few seconds a client
        # keeps asking all of them: every answer is an error of the right kind,
        # in time, and nothing leaks into the good BMCs' answers.
        names = [self.name(m, s) for s in SUITES for m in CASES if m.startswith('session_')]
        good = [self.name('normal', s) for s in SUITES]
        t_end = time.monotonic() + 6
        n = 0
        while time.monotonic() < t_end:
            calls = [('ipmi.raw', {'bmc': b, 'netfn': 6, 'cmd': 1}) for b in names] + \
                    [('ipmi.raw', {'bmc': b, 'netfn': 6, 'cmd': 1}) for b in good] * 2
            res = faultlib.timed_pipeline(self.client, calls, len(calls), timeout=60)
            for (_, params), (rsp, secs) in zip(calls, res):
                n += 1
                self.assertLessEqual(secs, 5.0 * harness.SLOW, rsp)
                if params['bmc'] in good:
                    self.assertEqual(rsp.get('result'), OK_DEVID, rsp)
                else:
                    self.assertIn('error', rsp, (params, rsp))
                    self.assertIn(rsp['error']['code'], UNREACH, rsp)
                    self.assertEqual(rsp['error']['data'].get('bmc'), params['bmc'], rsp)
        log('session misbehaviour: %d answers' % n)
        self.assertEqual(faultlib.drain_check(self.client), [])
        self.assert_alive()


if __name__ == '__main__':
    faultlib.main()
