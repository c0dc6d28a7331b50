#!/usr/bin/python3
"""test_notify.py - ipmipoold run the way systemd runs ipmipoold.service
(Type=notify, NotifyAccess=main, WatchdogSec=, ExecReload=kill -HUP).

The test is the service manager: NOTIFY_SOCKET names its datagram socket
(SO_PASSCRED: every message's sender pid is checked against the main pid).
  1. READY=1 arrives, and a connection to the control socket made the moment
     it arrives succeeds and is served (daemon.info); nothing but WATCHDOG=1
     comes before READY=1.
  2. STATUS= lines ("N of M sessions active") follow, up to "1 of 1" once
     the session to a fakebmc on loopback is up.
  3. WATCHDOG_USEC=200000 (no WATCHDOG_PID): WATCHDOG=1 at least every
     200 ms.
  4. SIGHUP re-reads the file: a [bmc:b] added appears in bmc.list, STATUS
     counts it, the first session is kept; a broken file is refused and the
     daemon keeps its configuration.  No second READY=1.
  5. SIGTERM: STOPPING=1, exit 0, the socket it bound is removed.
  6. NOTIFY_SOCKET in the abstract namespace ('@...') and WATCHDOG_PID naming
     another process: READY=1 and STOPPING=1 arrive, WATCHDOG=1 does not.
"""

import os
import re
import signal
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sdtest  # noqa: E402
from sdtest import check, log  # noqa: E402

WATCHDOG_USEC = 200000
STATUS_RE = re.compile(r'^STATUS=(\d+) of (\d+) sessions active$')


def wait_ready(ns, proc, timeout=15):
    """Receives until READY=1; connects to nothing.  Returns (ready, before)."""
    before = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        for m in ns.recv(min(0.2, max(deadline - time.monotonic(), 0.001))):
            if m[2] == 'READY=1':
                return m, before
            before.append(m)
    return None, before


def bmc_names(sock):
    try:
        return sorted(b['name'] for b in sdtest.rpc_call(sock, 'bmc.list')['bmcs'])
    except (OSError, RuntimeError, EOFError, ValueError) as e:
        return 'error: %s' % e


def status_counts(m):
    s = STATUS_RE.match(m[2])
    return (int(s.group(1)), int(s.group(2))) if s else None


def scenario_main(tmp):
    log('\n== direct start: READY, STATUS, WATCHDOG, SIGHUP, SIGTERM ==')
    fb = sdtest.FakeBmc(tmp, 2).start()
    sock = os.path.join(tmp, 'ipmipool.sock')
    conf = sdtest.write_config(tmp, sock, [('a', fb.port)])
    ns = sdtest.NotifySocket(tmp)
    proc = sdtest.start_daemon(tmp, conf, {'NOTIFY_SOCKET': ns.env,
                                           'WATCHDOG_USEC': str(WATCHDOG_USEC)})
    # 1. READY=1, then connect at once
    ready, before = wait_ready(ns, proc)
    conn = None
    if ready is not None:
        try:
            conn = sdtest.Rpc(sock, timeout=10)
            connected = True
        except OSError as e:
            connected = e
        check(connected is True, 'connect to the control socket right when READY=1 '
              'arrives (%.3f s after start): %s' % (ready[0], connected))
    if not check(ready is not None, 'READY=1 received'):
        log(sdtest.tail(proc.logpath))
        return
    check(ready[1] == proc.pid, 'READY=1 sent by the main pid %d (sender %s)'
          % (proc.pid, ready[1]))
    check(all(m[2] == 'WATCHDOG=1' for m in before),
          'nothing but WATCHDOG=1 before READY=1 (%r)' % [m[2] for m in before])
    if conn is not None:
        info = conn.call('daemon.info')
        check(info.get('pid') == proc.pid and info.get('bmcs') == 1,
              'daemon.info on that connection: pid %s, bmcs %s' % (info.get('pid'),
                                                                   info.get('bmcs')))

    # 2. STATUS= up to "1 of 1 sessions active"
    up = ns.wait(lambda l: l == 'STATUS=1 of 1 sessions active', 20)
    check(up is not None, 'STATUS=1 of 1 sessions active once bmc a is up')
    statuses = [m for m in ns.messages if m[2].startswith('STATUS=')]
    log('STATUS lines: %r' % [m[2] for m in statuses])
    check(statuses and all(status_counts(m) for m in statuses),
          'every STATUS= line reads "N of M sessions active"')
    check(statuses and statuses[0][0] >= ready[0], 'the first STATUS= comes after READY=1')

    # 3. WATCHDOG=1 every WATCHDOG_USEC/2; never a gap of WATCHDOG_USEC
    ns.drain(1.2)
    wd = [m[0] for m in ns.messages if m[2] == 'WATCHDOG=1' and m[0] >= ready[0]]
    gaps = [b - a for a, b in zip([ready[0]] + wd, wd + [ns.messages[-1][0]])]
    span = ns.messages[-1][0] - ready[0]
    log('WATCHDOG=1: %d in %.2f s after READY, largest gap %.3f s (limit %.3f s)'
        % (len(wd), span, max(gaps) if gaps else -1, WATCHDOG_USEC / 1e6))
    check(len(wd) >= int(span / (WATCHDOG_USEC / 1e6)),
          'WATCHDOG=1 at least once per WATCHDOG_USEC (%d in %.2f s)' % (len(wd), span))
    check(gaps and max(gaps) < WATCHDOG_USEC / 1e6,
          'no gap of WATCHDOG_USEC without WATCHDOG=1')

    # 4. SIGHUP: [bmc:b] added in the file
    info_a = sdtest.rpc_call(sock, 'bmc.status', {'bmc': 'a'})
    sdtest.write_config(tmp, sock, [('a', fb.port), ('b', fb.port + 1)])
    proc.send_signal(signal.SIGHUP)
    names = sdtest.wait_for(lambda: (lambda n: n if n == ['a', 'b'] else None)(bmc_names(sock)),
                            10)
    check(names == ['a', 'b'], 'after SIGHUP bmc.list names a and b (%r)' % bmc_names(sock))
    two = ns.wait(lambda l: l == 'STATUS=2 of 2 sessions active', 20)
    check(two is not None, 'STATUS=2 of 2 sessions active after the reload')
    after_a = sdtest.rpc_call(sock, 'bmc.status', {'bmc': 'a'})
    keep = ('since', 'reconnects', 'state')
    check([after_a.get(k) for k in keep] == [info_a.get(k) for k in keep] and
          info_a.get('state') == 'active',
          'bmc a\'s session survives the reload (%s: %r -> %r)'
          % ('/'.join(keep), [info_a.get(k) for k in keep], [after_a.get(k) for k in keep]))
    if conn is not None:
        check(conn.call('daemon.info').get('bmcs') == 2,
              'the connection made at READY=1 still works and sees 2 BMCs')
    # a broken file is refused; the daemon keeps running on the old one
    good = open(conf).read()
    sdtest.write_file(conf, good + '\n[daemon]\nno_such_key = 1\n')
    proc.send_signal(signal.SIGHUP)
    refused = sdtest.wait_for(lambda: 'not reloaded' in sdtest.tail(proc.logpath, 5), 10)
    check(refused and proc.poll() is None,
          'SIGHUP with a broken file: "configuration not reloaded", still running')
    check(bmc_names(sock) == ['a', 'b'], 'bmc.list unchanged after the refused reload')
    sdtest.write_file(conf, good)

    # 5. SIGTERM
    if conn is not None:
        conn.close()
    proc.send_signal(signal.SIGTERM)
    stopping = ns.wait(lambda l: l == 'STOPPING=1', 15)
    check(stopping is not None and stopping[1] == proc.pid,
          'STOPPING=1 from the main pid after SIGTERM')
    try:
        rc = proc.wait(timeout=15)
    except Exception:
        rc = 'still running after 15 s'
    check(rc == 0, 'exit status 0 after SIGTERM (%s)' % rc)
    ns.drain(0.1)
    lines = [m[2] for m in ns.messages]
    check(lines.count('READY=1') == 1, 'READY=1 sent exactly once (reloads included)')
    check(all(m[1] == proc.pid for m in ns.messages),
          'every notification came from the main pid (NotifyAccess=main)')
    check(not os.path.exists(sock), 'the control socket was removed')
    fb.stop()
    ns.close()
    log(sdtest.tail(proc.logpath, 12))


def scenario_abstract(tmp):
    log('\n== abstract NOTIFY_SOCKET, WATCHDOG_PID of another process ==')
    sock = os.path.join(tmp, 'ipmipool2.sock')
    conf = sdtest.write_config(tmp, sock, [], name='empty.conf')
    ns = sdtest.NotifySocket(abstract=True)
    proc = sdtest.start_daemon(tmp, conf, {'NOTIFY_SOCKET': ns.env,
                                           'WATCHDOG_USEC': str(WATCHDOG_USEC),
                                           'WATCHDOG_PID': str(os.getpid())},
                               logname='ipmipoold2.log')
    ready, _ = wait_ready(ns, proc)
    if not check(ready is not None and ready[1] == proc.pid,
                 'READY=1 through %s from the main pid' % ns.env):
        log(sdtest.tail(proc.logpath))
        return
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sock)
        s.close()
        ok = True
    except OSError as e:
        ok = e
    check(ok is True, 'control socket accepts at READY=1 (%s)' % ok)
    ns.drain(3 * WATCHDOG_USEC / 1e6)
    wd = [m for m in ns.messages if m[2] == 'WATCHDOG=1']
    check(not wd, 'no WATCHDOG=1 when WATCHDOG_PID is not the daemon (%d)' % len(wd))
    proc.send_signal(signal.SIGTERM)
    check(ns.wait(lambda l: l == 'STOPPING=1', 15) is not None, 'STOPPING=1 after SIGTERM')
    try:
        rc = proc.wait(timeout=15)
    except Exception:
        rc = 'still running after 15 s'
    check(rc == 0, 'exit status 0 (%s)' % rc)
    ns.close()


def main():
    tmp = sdtest.tmpdir('notify')
    scenario_main(tmp)
    scenario_abstract(tmp)
    sdtest.finish()


if __name__ == '__main__':
    main()
