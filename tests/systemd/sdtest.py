"""sdtest.py - shared helpers of the systemd integration tests (tests/systemd).

Python 3 standard library only; run by /usr/bin/python3.  Everything a test
starts binds loopback or a Unix socket in a private temporary directory, is
stopped (SIGTERM, then SIGKILL) when the test ends, on SIGTERM/SIGINT
(meson's timeout) and at interpreter exit.  Every wait is bounded.

Environment (set by tests/meson.build):
  IPMIPOOLD        build/daemon/ipmipoold
  FAKEBMC          build/tests/fakebmc/ipmipool-fakebmc
  MESON_BUILD_ROOT the build directory (for meson install / introspect)
  MESON            the meson that configured it
  IPMIPOOL_UNITDIR, IPMIPOOL_SYSUSERSDIR, IPMIPOOL_TMPFILESDIR
                   where systemd/meson.build installs the units and the
                   sysusers.d / tmpfiles.d entries (from systemd.pc)
Set IPMIPOOL_TEST_KEEP=1 to keep the temporary directories.
"""

import atexit
import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCROOT = os.path.dirname(os.path.dirname(HERE))
BUILDROOT = os.environ.get('MESON_BUILD_ROOT') or os.path.join(SRCROOT, 'build')
IPMIPOOLD = os.path.abspath(os.environ.get('IPMIPOOLD') or
                            os.path.join(BUILDROOT, 'daemon', 'ipmipoold'))
FAKEBMC = os.path.abspath(os.environ.get('FAKEBMC') or
                          os.path.join(BUILDROOT, 'tests', 'fakebmc', 'ipmipool-fakebmc'))
MESON = os.environ.get('MESON') or 'meson'
PYTHON = '/usr/bin/python3' if os.access('/usr/bin/python3', os.X_OK) else sys.executable

FAILURES = []


def log(*args):
    print(*args, flush=True)


def check(cond, what):
    """Records and prints one assertion; the test continues."""
    log('%s: %s' % ('ok  ' if cond else 'FAIL', what))
    if not cond:
        FAILURES.append(what)
    return cond


def finish():
    """Exit status of the test: 1 if any check failed."""
    if FAILURES:
        log('\n%d check(s) failed:' % len(FAILURES))
        for f in FAILURES:
            log('  - ' + f)
        sys.exit(1)
    log('\nall checks passed')
    sys.exit(0)


def skip(why):
    log('SKIP: ' + why)
    sys.exit(77)


# --------------------------------------------------------------- cleanup --

_PROCS = []
_TMPDIRS = []


def _cleanup():
    for p in reversed(_PROCS):
        stop(p, signal.SIGKILL, 5)
    _PROCS.clear()
    if not os.environ.get('IPMIPOOL_TEST_KEEP'):
        for d in _TMPDIRS:
            shutil.rmtree(d, ignore_errors=True)
    else:
        for d in _TMPDIRS:
            log('kept ' + d)
    _TMPDIRS.clear()


def _on_signal(signum, frame):
    log('signal %d: stopping every started process' % signum)
    _cleanup()
    os._exit(128 + signum)


atexit.register(_cleanup)
signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)


def tmpdir(tag):
    d = tempfile.mkdtemp(prefix='ipmipool-%s-' % tag)
    _TMPDIRS.append(d)
    return d


def spawn(argv, **kw):
    """Popen registered for cleanup (same process group, so meson's kill of
    the group reaches it as well)."""
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, **kw)
    _PROCS.append(p)
    return p


def stop(p, sig=signal.SIGTERM, grace=15.0):
    """Signals a process we started and reaps it (bounded); SIGKILL after
    grace seconds.  Returns its exit status, or None if it had to be killed."""
    if p.poll() is not None:
        return p.returncode
    try:
        p.send_signal(sig)
    except ProcessLookupError:
        pass
    try:
        return p.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(timeout=10)
        return None


def forget(p):
    if p in _PROCS:
        _PROCS.remove(p)


def wait_for(cond, timeout, interval=0.02):
    """Polls cond() until true (returned) or timeout (returns the last value)."""
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(interval)


def free_udp_ports(count, lo=20000, hi=60000):
    rnd = random.SystemRandom()
    for _ in range(200):
        base = rnd.randrange(lo, hi - count)
        socks = []
        try:
            for port in range(base, base + count):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                socks.append(s)
                s.bind(('127.0.0.1', port))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError('no %d free consecutive UDP ports' % count)


def write_file(path, text, mode=0o600):
    fd = os.open(path + '.tmp', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, 'w') as f:
        f.write(text)
    os.chmod(path + '.tmp', mode)
    os.rename(path + '.tmp', path)
    return path


def tail(path, n=30):
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-n:])
    except OSError as e:
        return '(%s)' % e


# ------------------------------------------------------- NOTIFY_SOCKET --

class NotifySocket:
    """The service manager's end of sd_notify: a datagram socket with
    SO_PASSCRED, so every message comes with its sender's pid (what
    NotifyAccess=main checks)."""

    SO_TIMESTAMP = getattr(socket, 'SO_TIMESTAMP', 29)

    def __init__(self, directory=None, abstract=False):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        if abstract:
            name = 'ipmipool-test-notify-%d-%d' % (os.getpid(), random.getrandbits(32))
            self.sock.bind('\0' + name)
            self.env = '@' + name
        else:
            path = os.path.join(directory, 'notify.sock')
            self.sock.bind(path)
            self.env = path
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        # The kernel's arrival time of each datagram (SO_TIMESTAMP, Linux
        # value 29 where Python lacks the name): what a busy test thread
        # reads late was still sent on time.
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, self.SO_TIMESTAMP, 1)
            self.stamped = True
        except OSError:
            self.stamped = False
        self.t0 = time.time()
        self.messages = []   # (seconds since creation, sender pid, 'KEY=VALUE')

    def recv(self, timeout):
        """One datagram's assignments as [(t, pid, line)], or [] on timeout."""
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data, anc, _flags, _addr = self.sock.recvmsg(
                4096, socket.CMSG_SPACE(12) + socket.CMSG_SPACE(16))
        except socket.timeout:
            return []
        t = time.time() - self.t0
        pid = None
        for level, typ, cdata in anc:
            if level == socket.SOL_SOCKET and typ == socket.SCM_CREDENTIALS:
                pid = struct.unpack('iII', cdata[:12])[0]
            elif level == socket.SOL_SOCKET and typ == self.SO_TIMESTAMP and len(cdata) >= 16:
                sec, usec = struct.unpack('qq', cdata[:16])
                t = sec + usec / 1e6 - self.t0
        got = [(t, pid, line) for line in data.decode('utf-8', 'replace').split('\n') if line]
        self.messages.extend(got)
        return got

    def wait(self, pred, timeout):
        """Receives until a line satisfies pred; returns that (t, pid, line)
        or None after timeout seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            for m in self.recv(left):
                if pred(m[2]):
                    return m

    def drain(self, seconds):
        """Receives everything for the given time."""
        deadline = time.monotonic() + seconds
        out = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return out
            out.extend(self.recv(left))

    def close(self):
        self.sock.close()


# ------------------------------------------------------------ JSON-RPC --

class Rpc:
    def __init__(self, path, timeout=10):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b''
        self.next_id = 1

    def send(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        req = {'jsonrpc': '2.0', 'id': rid, 'method': method}
        if params is not None:
            req['params'] = params
        self.sock.sendall(json.dumps(req).encode() + b'\n')
        return rid

    def read(self):
        while b'\n' not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError('connection closed by ipmipoold')
            self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        return json.loads(line)

    def call(self, method, params=None):
        rid = self.send(method, params)
        while True:
            rsp = self.read()
            if rsp.get('id') == rid:
                if 'error' in rsp:
                    raise RuntimeError('%s: %r' % (method, rsp['error']))
                return rsp['result']

    def close(self):
        self.sock.close()


def rpc_call(path, method, params=None, timeout=10):
    c = Rpc(path, timeout)
    try:
        return c.call(method, params)
    finally:
        c.close()


# ------------------------------------------------------------- fakebmc --

class FakeBmc:
    """ipmipool-fakebmc on count consecutive loopback UDP ports (default
    users: admin/adminpass)."""

    def __init__(self, tmp, count):
        self.tmp = tmp
        self.count = count
        self.port = None
        self.proc = None
        self.logfile = os.path.join(tmp, 'fakebmc.log')

    def start(self):
        for _ in range(5):
            self.port = free_udp_ports(self.count)
            pidfile = os.path.join(self.tmp, 'fakebmc.pid')
            if os.path.exists(pidfile):
                os.unlink(pidfile)
            with open(self.logfile, 'ab') as lf:
                self.proc = spawn([FAKEBMC, '--port', str(self.port), '--count',
                                   str(self.count), '--addr', '127.0.0.1',
                                   '--pidfile', pidfile], stdout=lf, stderr=lf)
            if wait_for(lambda: os.path.exists(pidfile) or self.proc.poll() is not None, 10) \
                    and self.proc.poll() is None:
                return self
            stop(self.proc)   # port taken in between: try another
        raise RuntimeError('fakebmc did not start: ' + tail(self.logfile))

    def stop(self):
        if self.proc is not None:
            stop(self.proc, grace=5)


# ------------------------------------------------------ meson / install --

def buildoptions():
    out = subprocess.run([MESON, 'introspect', BUILDROOT, '--buildoptions'],
                         stdout=subprocess.PIPE, check=True, timeout=60).stdout
    return {o['name']: o['value'] for o in json.loads(out)}


def projectinfo():
    out = subprocess.run([MESON, 'introspect', BUILDROOT, '--projectinfo'],
                         stdout=subprocess.PIPE, check=True, timeout=60).stdout
    return json.loads(out)


def targets():
    out = subprocess.run([MESON, 'introspect', BUILDROOT, '--targets'],
                         stdout=subprocess.PIPE, check=True, timeout=60).stdout
    return json.loads(out)


def install_dirs():
    """The directories of the build's configuration, absolute (as they are
    below DESTDIR): what install-files.txt's {placeholders} stand for."""
    o = buildoptions()
    prefix = o['prefix']

    def under_prefix(v):
        return os.path.normpath(v if os.path.isabs(v) else os.path.join(prefix, v))

    d = {'prefix': prefix}
    for k in ('bindir', 'sbindir', 'libdir', 'includedir', 'datadir', 'mandir'):
        d[k] = under_prefix(o[k])
    d['confdir'] = under_prefix(o['confdir'])
    # systemd/meson.build's choice (the systemdunitdir option, else systemd.pc)
    d['unitdir'] = under_prefix(os.environ.get('IPMIPOOL_UNITDIR') or
                                o.get('systemdunitdir') or 'lib/systemd/system')
    d['sysusersdir'] = under_prefix(os.environ.get('IPMIPOOL_SYSUSERSDIR') or 'lib/sysusers.d')
    d['tmpfilesdir'] = under_prefix(os.environ.get('IPMIPOOL_TMPFILESDIR') or 'lib/tmpfiles.d')
    # client-lib/ctl/meson.build's choice: bash-completion.pc's completionsdir
    # with datadir set to ours, else datadir/bash-completion/completions.
    comp = None
    if shutil.which('pkg-config') and subprocess.run(
            ['pkg-config', '--exists', 'bash-completion']).returncode == 0:
        comp = subprocess.run(['pkg-config', '--variable=completionsdir',
                               '--define-variable=datadir=' + d['datadir'],
                               'bash-completion'], stdout=subprocess.PIPE,
                              universal_newlines=True, timeout=30).stdout.strip()
    d['completionsdir'] = under_prefix(comp or os.path.join(d['datadir'],
                                                            'bash-completion', 'completions'))
    d['version'] = projectinfo()['version']
    return d


def man_pages_built():
    """True when the build makes man pages (scdoc was found at configure time)."""
    return any(t['name'].startswith('man-') for t in targets())


def meson_install(destdir, logname='install'):
    """meson install into destdir without rebuilding (build first:
    ninja -C build).  Returns the install output."""
    env = dict(os.environ)
    env.pop('DESTDIR', None)
    r = subprocess.run([MESON, 'install', '-C', BUILDROOT, '--no-rebuild',
                        '--destdir', destdir], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True, env=env,
                       timeout=300)
    if r.returncode != 0:
        log(r.stdout)
        raise RuntimeError('meson install --destdir %s failed (exit %d); was the build '
                           'complete (ninja -C %s)?' % (destdir, r.returncode, BUILDROOT))
    return r.stdout


def rel(d, path):
    """path (absolute, as installed) below destdir d."""
    return os.path.join(d, path.lstrip('/'))


# ------------------------------------------------------------ ipmipoold --

SD_ENV = ('NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID', 'LISTEN_FDS', 'LISTEN_PID',
          'LISTEN_FDNAMES', 'CREDENTIALS_DIRECTORY')


def write_config(tmp, sock, bmcs=(), daemon=None, name='ipmipool.conf'):
    """A configuration with the control socket sock and bmcs: [(name, port)]
    on 127.0.0.1 (user admin, password file with fakebmc's adminpass)."""
    pw = os.path.join(tmp, 'admin.pw')
    if not os.path.exists(pw):
        write_file(pw, 'adminpass\n')
    lines = ['[daemon]', 'socket = ' + sock, 'socket_group =', 'log_level = info']
    for k, v in (daemon or {}).items():
        lines.append('%s = %s' % (k, v))
    for bname, port in bmcs:
        lines += ['', '[bmc:%s]' % bname, 'host = 127.0.0.1', 'port = %d' % port,
                  'username = admin', 'password_file = ' + pw]
    return write_file(os.path.join(tmp, name), '\n'.join(lines) + '\n')


def start_daemon(tmp, conf, env=None, wrapper=(), pass_fds=(), logname='ipmipoold.log'):
    """ipmipoold -f -c conf, with the systemd variables of env only (none
    inherited from whoever runs the test), stderr to tmp/logname; wrapper
    (argv) execs it (activate.py)."""
    e = {k: v for k, v in os.environ.items() if k not in SD_ENV}
    e.update(env or {})
    logpath = os.path.join(tmp, logname)
    with open(logpath, 'ab') as lf:
        p = spawn(list(wrapper) + [IPMIPOOLD, '-f', '-c', conf], env=e, stdout=lf,
                  stderr=lf, pass_fds=pass_fds)
    p.logpath = logpath
    log('started ipmipoold pid %d%s' % (p.pid, ' via ' + ' '.join(wrapper) if wrapper else ''))
    return p
