#!/usr/bin/python3
"""test_activation.py - ipmipoold started the way ipmipoold.socket starts it.

The test is the service manager: it binds and listens on a Unix socket,
and activate.py makes it fd 3 of the daemon with LISTEN_FDS=1 and
LISTEN_PID=the daemon's pid (activate.py execs it), WATCHDOG_PID likewise.
  1. A client that connected and sent daemon.info before the daemon was
     ready (queued by the kernel, as with systemd) is answered; so is a
     later one; READY=1 and WATCHDOG=1 come from the main pid.  The daemon
     does not bind the socket path of its configuration.
  2. SIGTERM: STOPPING=1, exit 0; the inherited socket's path is left alone
     and still accepts connections (systemd would start the service again).
  3. LISTEN_PID naming another process: fd 3 is not the daemon's; it binds
     its configured socket instead and does not serve the other one.
"""

import os
import signal
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sdtest  # noqa: E402
from sdtest import check, log  # noqa: E402

ACTIVATE = os.path.join(sdtest.HERE, 'activate.py')


def listening_socket(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(64)
    return s


def stop_daemon(proc, ns):
    proc.send_signal(signal.SIGTERM)
    st = ns.wait(lambda l: l == 'STOPPING=1', 15)
    check(st is not None and st[1] == proc.pid, 'STOPPING=1 from the main pid after SIGTERM')
    try:
        rc = proc.wait(timeout=15)
    except Exception:
        rc = 'still running after 15 s'
    check(rc == 0, 'exit status 0 after SIGTERM (%s)' % rc)


def scenario_activated(tmp):
    log('\n== socket activation: LISTEN_FDS=1, LISTEN_PID=the daemon ==')
    act_path = os.path.join(tmp, 'activated.sock')
    own_path = os.path.join(tmp, 'configured.sock')
    act = listening_socket(act_path)
    conf = sdtest.write_config(tmp, own_path, [])
    ns = sdtest.NotifySocket(tmp)
    fd = act.fileno()
    proc = sdtest.start_daemon(tmp, conf, {'NOTIFY_SOCKET': ns.env, 'WATCHDOG_USEC': '200000'},
                               wrapper=[sdtest.PYTHON, ACTIVATE, str(fd)], pass_fds=(fd,))
    # a client before the service is ready: the kernel queues it
    early = sdtest.Rpc(act_path, timeout=15)
    early_id = early.send('daemon.info')
    ready = ns.wait(lambda l: l == 'READY=1', 15)
    if not check(ready is not None and ready[1] == proc.pid,
                 'READY=1 from the main pid %d (%s)' % (proc.pid, ready and ready[1])):
        log(sdtest.tail(proc.logpath))
        return
    try:
        rsp = early.read()
    except (OSError, EOFError, ValueError) as e:
        rsp = {'error': str(e)}
    check(rsp.get('id') == early_id and rsp.get('result', {}).get('pid') == proc.pid,
          'daemon.info sent before READY=1 through the inherited socket is answered '
          '(pid %s)' % rsp.get('result', {}).get('pid'))
    early.close()
    info = sdtest.rpc_call(act_path, 'daemon.info')
    check(info.get('pid') == proc.pid, 'daemon.info after READY=1 through the inherited socket')
    check(sdtest.rpc_call(act_path, 'bmc.list') == {'bmcs': []}, 'bmc.list: no BMCs')
    check(not os.path.exists(own_path),
          'the configured socket path was not bound (fd 3 is used instead)')
    wd = ns.wait(lambda l: l == 'WATCHDOG=1', 1.0)
    check(wd is not None and wd[1] == proc.pid,
          'WATCHDOG=1 with WATCHDOG_PID = the daemon\'s pid')

    stop_daemon(proc, ns)
    check(os.path.exists(act_path), 'the inherited socket\'s path is left in place')
    try:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.settimeout(5)
        c.connect(act_path)
        c.close()
        ok = True
    except OSError as e:
        ok = e
    check(ok is True, 'the activation socket still accepts connections after the daemon '
          'exited (%s)' % ok)
    act.close()
    ns.close()
    log(sdtest.tail(proc.logpath, 6))


def scenario_wrong_pid(tmp):
    log('\n== LISTEN_PID of another process: fd 3 is ignored ==')
    act_path = os.path.join(tmp, 'other.sock')
    own_path = os.path.join(tmp, 'own.sock')
    act = listening_socket(act_path)
    conf = sdtest.write_config(tmp, own_path, [], name='own.conf')
    ns = sdtest.NotifySocket(abstract=True)
    fd = act.fileno()
    proc = sdtest.start_daemon(tmp, conf, {'NOTIFY_SOCKET': ns.env},
                               wrapper=[sdtest.PYTHON, ACTIVATE, str(fd), '--wrong-pid'],
                               pass_fds=(fd,), logname='ipmipoold-wrongpid.log')
    ready = ns.wait(lambda l: l == 'READY=1', 15)
    if not check(ready is not None, 'READY=1'):
        log(sdtest.tail(proc.logpath))
        return
    info = sdtest.rpc_call(own_path, 'daemon.info')
    check(info.get('pid') == proc.pid, 'the daemon bound and serves its configured socket')
    c = sdtest.Rpc(act_path, timeout=1.0)
    c.send('daemon.info')
    t0 = time.monotonic()
    try:
        c.read()
        served = True
    except (socket.timeout, EOFError):
        served = False
    c.close()
    check(not served, 'the socket meant for another pid is not served (%.1f s)'
          % (time.monotonic() - t0))
    stop_daemon(proc, ns)
    check(not os.path.exists(own_path), 'its own socket removed at exit')
    act.close()
    ns.close()


def main():
    tmp = sdtest.tmpdir('activation')
    scenario_activated(tmp)
    scenario_wrong_pid(tmp)
    sdtest.finish()


if __name__ == '__main__':
    main()
