"""harness.py - shared fixtures for the ipmipoold integration tests.

Python 3 standard library only; run with /usr/bin/python3.  Everything a test
starts (ipmipoold, ipmi_sim fleets through tests/bmcsim/bmcsim, the
ipmipool-fakebmc responder, a stub DNS server) binds loopback only, lives in
a private temporary directory and is killed in the test's cleanup, on
SIGTERM/SIGINT (meson's timeout) and at interpreter exit.  Every wait is a
bounded poll of a condition.

Programs come from the environment (set by tests/meson.build):
  IPMIPOOLD  build/daemon/ipmipoold
  FAKEBMC    build/tests/fakebmc/ipmipool-fakebmc
  BMCSIM     tests/bmcsim/bmcsim
  IPMITOOL   ipmitool (optional; found on PATH)
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
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SRCROOT = os.path.dirname(os.path.dirname(HERE))


def _prog(env, default):
    p = os.environ.get(env)
    if p:
        return os.path.abspath(p) if os.sep in p else (shutil.which(p) or p)
    return default


IPMIPOOLD = _prog('IPMIPOOLD', os.path.join(SRCROOT, 'build', 'daemon', 'ipmipoold'))
FAKEBMC = _prog('FAKEBMC', os.path.join(SRCROOT, 'build', 'tests', 'fakebmc',
                                        'ipmipool-fakebmc'))
BMCSIM = _prog('BMCSIM', os.path.join(SRCROOT, 'tests', 'bmcsim', 'bmcsim'))
IPMITOOL = _prog('IPMITOOL', shutil.which('ipmitool'))

PASSWORDS = {'admin': 'adminpass', 'oper': 'operpass', 'ro': 'ropass'}


def _is_sanitized(path):
    try:
        with open(path, 'rb') as f:
            return b'__asan_init' in f.read()
    except OSError:
        return False


# Bounds are stretched for a sanitized daemon (CI runs the suite under ASan too).
SLOW = 3.0 if _is_sanitized(IPMIPOOLD) else 1.0


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# --------------------------------------------------------------- cleanup --
# Everything that must die with the test process.  Processes stay in our
# process group (no new session), so meson's kill of the group reaches them
# too; this registry covers the orderly paths.

_LIVE = {}
_LIVE_LOCK = threading.Lock()


def _register(obj):
    with _LIVE_LOCK:
        _LIVE[id(obj)] = obj


def _unregister(obj):
    with _LIVE_LOCK:
        _LIVE.pop(id(obj), None)


def kill_everything():
    with _LIVE_LOCK:
        objs = list(_LIVE.values())
        _LIVE.clear()
    for o in objs:
        try:
            o.kill_now()
        except Exception as e:  # keep killing the others
            log('harness: cleanup of %r failed: %s' % (o, e))


_TMPDIRS = []


def _on_signal(signum, frame):
    log('harness: signal %d: killing every started process' % signum)
    kill_everything()
    if not os.environ.get('IPMIPOOL_TEST_KEEP'):
        for d in _TMPDIRS:
            shutil.rmtree(d, ignore_errors=True)
    os._exit(128 + signum)


atexit.register(kill_everything)
signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)


def _pid_alive(pid):
    """True if pid exists and is not a zombie."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            st = f.read().rsplit(')', 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return st not in ('Z', 'X')


def _cmdline(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            return f.read().split(b'\0')
    except OSError:
        return []


def _stop_popen(proc, sig=signal.SIGTERM, grace=5.0):
    """Signals a child we started, waits (bounded), SIGKILLs it if needed."""
    if proc.poll() is not None:
        return proc.returncode
    try:
        proc.send_signal(sig)
    except ProcessLookupError:
        pass
    try:
        return proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait(timeout=10)


# ----------------------------------------------------------------- waits --

class WaitTimeout(AssertionError):
    pass


def wait_for(cond, timeout, what, interval=0.05, max_polls=None):
    """Polls cond() until it returns a true value (returned); bounded by time
    and by a count of polls.  Raises WaitTimeout naming what and the last
    value seen."""
    timeout *= SLOW
    deadline = time.monotonic() + timeout
    polls = 0
    max_polls = max_polls or int(timeout / interval) * 4 + 10
    last = None
    while True:
        last = cond()
        polls += 1
        if last:
            return last
        if time.monotonic() >= deadline or polls >= max_polls:
            raise WaitTimeout('timed out after %.1f s (%d polls) waiting for %s; last: %r'
                              % (timeout, polls, what, last))
        time.sleep(interval)


# ----------------------------------------------------------------- ports --

def free_udp_ports(count, addrs=('127.0.0.1',), lo=20000, hi=60000, tries=200):
    """A base port such that base..base+count-1 are free on every address
    (checked by binding UDP sockets; released before returning)."""
    rnd = random.SystemRandom()
    for _ in range(tries):
        base = rnd.randrange(lo, hi - count)
        socks = []
        try:
            for a in addrs:
                for p in range(base, base + count):
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    socks.append(s)
                    s.bind((a, p))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError('no %d consecutive free UDP ports' % count)


def rmcp_ping(port, addr='127.0.0.1', timeout=0.2):
    """ASF presence ping; True when anything comes back."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.settimeout(timeout)
        s.sendto(bytes.fromhex('0600ff06000011be80010000'), (addr, port))
        s.recvfrom(512)
        return True
    except OSError:
        return False
    finally:
        s.close()


# ------------------------------------------------------------ BMC fleets --

class BmcSim:
    """A fleet of ipmi_sim instances (tests/bmcsim/bmcsim) on 127.0.0.1."""

    def __init__(self, workdir, count):
        self.dir = os.path.join(workdir, 'bmcsim')
        self.count = count
        self.base = None

    def __repr__(self):
        return 'BmcSim(%s, %d)' % (self.dir, self.count)

    def _run(self, *args, timeout=60):
        return subprocess.run([BMCSIM] + list(args) + ['--dir', self.dir],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout * SLOW,
                              universal_newlines=True)

    def start(self):
        if not shutil.which('ipmi_sim'):
            raise unittest.SkipTest('ipmi_sim not installed (Debian package openipmi)')
        _register(self)
        last = ''
        for _ in range(5):
            base = free_udp_ports(self.count)
            r = self._run('start', '--count', str(self.count), '--base-port', str(base),
                          '--timeout', '60', timeout=150)
            if r.returncode == 0:
                self.base = base
                return self
            last = r.stdout
            self._run('stop', timeout=30)   # port race: try other ports
        raise RuntimeError('bmcsim start failed:\n' + last)

    def port(self, i):
        return self.base + i

    def restart_one(self, i, down=None):
        args = ['restart-one', '--index', str(i)]
        if down:
            args += ['--down', str(down)]
        r = self._run(*args)
        if r.returncode != 0:
            raise RuntimeError('bmcsim restart-one failed:\n' + r.stdout)

    def stop_one(self, i):
        r = self._run('stop-one', '--index', str(i))
        if r.returncode != 0:
            raise RuntimeError('bmcsim stop-one failed:\n' + r.stdout)

    def start_one(self, i):
        r = self._run('start-one', '--index', str(i))
        if r.returncode != 0:
            raise RuntimeError('bmcsim start-one failed:\n' + r.stdout)

    def pids(self):
        pids = []
        try:
            with open(os.path.join(self.dir, 'instances.tsv')) as f:
                for line in f:
                    parts = line.split('\t')
                    if len(parts) >= 3 and parts[2].strip().isdigit():
                        pids.append(int(parts[2]))
        except OSError:
            pass
        return pids

    def kill_now(self):
        pids = self.pids()
        if os.path.exists(os.path.join(self.dir, 'instances.tsv')):
            try:
                self._run('stop', timeout=30)
            except subprocess.TimeoutExpired:
                pass
        # Belt and braces: any ipmi_sim of this fleet still alive dies.
        for pid in pids:
            cmd = b' '.join(_cmdline(pid))
            if _pid_alive(pid) and b'ipmi_sim' in cmd and self.dir.encode() in cmd:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        _unregister(self)

    stop = kill_now


class FakeBmc:
    """ipmipool-fakebmc serving count ports from one process."""

    def __init__(self, workdir, count=1, addr='127.0.0.1', suites=None, port=None,
                 extra=(), name='fakebmc'):
        self.workdir = workdir
        self.count = count
        self.addr = addr
        self.suites = suites
        self.base = port
        self.extra = list(extra)
        self.logpath = os.path.join(workdir, '%s.log' % name)
        self.proc = None

    def __repr__(self):
        return 'FakeBmc(%s:%s x%d)' % (self.addr, self.base, self.count)

    def start(self, timeout=10):
        if not os.access(FAKEBMC, os.X_OK):
            raise unittest.SkipTest('fakebmc not built: %s' % FAKEBMC)
        for attempt in range(5):
            base = self.base or free_udp_ports(self.count, addrs=(self.addr,))
            pidfile = self.logpath + '.pid'
            if os.path.exists(pidfile):
                os.unlink(pidfile)
            args = [FAKEBMC, '--port', str(base), '--count', str(self.count),
                    '--addr', self.addr, '--pidfile', pidfile]
            if self.suites:
                args += ['--suites', ','.join(str(s) for s in self.suites)]
            args += self.extra
            logf = open(self.logpath, 'ab')
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=logf,
                                         stderr=logf)
            logf.close()
            _register(self)
            # The pid file appears once every socket is bound.
            try:
                wait_for(lambda: self.proc.poll() is not None or os.path.exists(pidfile),
                         timeout, 'fakebmc on %s:%d to bind its ports' % (self.addr, base))
            except WaitTimeout:
                self.kill_now()
                raise
            if self.proc.poll() is None:
                self.base = base
                return self
            if self.base is not None or attempt == 4:   # fixed port: no retry
                raise RuntimeError('fakebmc exited with %s:\n%s'
                                   % (self.proc.returncode, self.log_text()))
        raise RuntimeError('fakebmc did not start')

    def port(self, i=0):
        return self.base + i

    def log_text(self):
        try:
            with open(self.logpath, errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def log_lines(self, port=None, contains=None):
        out = []
        for line in self.log_text().splitlines():
            if port is not None and not line.startswith('fakebmc[%d]:' % port):
                continue
            if contains is not None and contains not in line:
                continue
            out.append(line)
        return out

    def stop(self, sig=signal.SIGTERM):
        rc = None
        if self.proc is not None:
            rc = _stop_popen(self.proc, sig)
        _unregister(self)
        return rc

    def kill_now(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        _unregister(self)


# ------------------------------------------------------------- stub DNS --

class StubDns:
    """A minimal authoritative DNS server on 127.0.0.1 (UDP): A records from
    self.records (name -> IPv4 string, changeable at any time), NODATA for
    other types of a known name, NXDOMAIN for everything else.  The question
    is echoed byte for byte (evdns randomizes the case of query names)."""

    def __init__(self):
        self.records = {}
        self.queries = []
        self.lock = threading.Lock()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def start(self):
        _register(self)
        self.thread.start()
        return self

    def set(self, name, addr):
        with self.lock:
            self.records[name.lower().rstrip('.')] = addr

    def resolv_conf(self, path):
        with open(path, 'w') as f:
            f.write('# ipmipool test stub resolver\nnameserver 127.0.0.1:%d\n'
                    'options timeout:1 attempts:2\n' % self.port)
        return path

    @staticmethod
    def _parse_question(pkt):
        i = 12
        labels = []
        while True:
            n = pkt[i]
            i += 1
            if n == 0:
                break
            if n & 0xc0:
                raise ValueError('compressed name in question')
            labels.append(pkt[i:i + n].decode('ascii', 'replace'))
            i += n
        qtype, qclass = struct.unpack('!HH', pkt[i:i + 4])
        return '.'.join(labels), qtype, qclass, pkt[12:i + 4]

    def answer(self, pkt):
        qid, flags, qd = struct.unpack('!HHH', pkt[:6])
        if qd != 1:
            return None
        name, qtype, qclass, question = self._parse_question(pkt)
        with self.lock:
            self.queries.append((name.lower(), qtype))
            addr = self.records.get(name.lower())
        rd = flags & 0x0100
        ans = b''
        if addr is None:
            rcode, an = 3, 0
        else:
            rcode = 0
            an = 0
            if qtype == 1 and qclass == 1:
                an = 1
                ans = struct.pack('!HHHIH', 0xc00c, 1, 1, 0, 4) + socket.inet_aton(addr)
        hdr = struct.pack('!HHHHHH', qid, 0x8400 | rd | 0x0080 | rcode, 1, an, 0, 0)
        return hdr + question + ans

    def _serve(self):
        while not self.stopping:
            try:
                pkt, peer = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                rsp = self.answer(pkt)
            except (ValueError, IndexError, struct.error):
                rsp = None
            if rsp is not None:
                try:
                    self.sock.sendto(rsp, peer)
                except OSError:
                    pass

    def kill_now(self):
        self.stopping = True
        if self.thread.is_alive():
            self.thread.join(timeout=2)
        self.sock.close()
        _unregister(self)

    stop = kill_now


# --------------------------------------------------------------- JSON-RPC --

class RpcError(Exception):
    def __init__(self, error):
        self.error = error
        self.code = error.get('code')
        self.data = error.get('data') or {}
        Exception.__init__(self, '%s %s %s' % (self.code, error.get('message'),
                                               json.dumps(self.data)))


class RpcClient:
    """A JSON-RPC 2.0 client on the daemon's Unix socket: newline framing,
    pipelining, responses matched by id (they may come in any order)."""

    def __init__(self, path, timeout=10.0):
        self.path = path
        self.timeout = timeout
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(path)
        except OSError:
            self.sock.close()
            raise
        self.buf = b''
        self.next_id = 1
        self.pending = {}      # id -> response, read while waiting for another
        self.unmatched = []    # responses without a usable id (errors with id null, batches)
        self.eof = False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()

    def new_id(self):
        i = self.next_id
        self.next_id += 1
        return i

    def send_raw(self, data):
        self.sock.sendall(data)

    def request(self, method, params=None, rid=None, notify=False):
        """Sends one request; returns its id (None for a notification)."""
        msg = {'jsonrpc': '2.0', 'method': method}
        if params is not None:
            msg['params'] = params
        if not notify:
            rid = self.new_id() if rid is None else rid
            msg['id'] = rid
        self.send_raw(json.dumps(msg).encode() + b'\n')
        return None if notify else rid

    def read_line(self, timeout=None):
        """One response line (bytes, without the newline); None at EOF.
        Raises socket.timeout after timeout seconds."""
        deadline = time.monotonic() + (timeout or self.timeout) * SLOW
        while b'\n' not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout('no response line from ipmipoold')
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise socket.timeout('no response line from ipmipoold')
            if not chunk:
                self.eof = True
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        return line

    def read_json(self, timeout=None):
        line = self.read_line(timeout)
        if line is None:
            raise EOFError('ipmipoold closed the connection')
        return json.loads(line.decode())

    def _stash(self, rsp):
        if isinstance(rsp, dict) and rsp.get('id') is not None:
            self.pending[rsp['id']] = rsp
        else:
            self.unmatched.append(rsp)

    def wait_response(self, rid, timeout=None):
        """The response with this id (others read meanwhile are kept)."""
        deadline = time.monotonic() + (timeout or self.timeout) * SLOW
        while rid not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout('no response to id %r' % (rid,))
            self._stash(self.read_json(left / SLOW))
        return self.pending.pop(rid)

    def call(self, method, params=None, timeout=None):
        """The whole response object."""
        return self.wait_response(self.request(method, params), timeout)

    def result(self, method, params=None, timeout=None):
        """The result, or RpcError."""
        rsp = self.call(method, params, timeout)
        if 'error' in rsp:
            raise RpcError(rsp['error'])
        return rsp['result']

    def error(self, method, params=None, timeout=None):
        """The error object of a call expected to fail."""
        rsp = self.call(method, params, timeout)
        if 'error' not in rsp:
            raise AssertionError('%s %r: expected an error, got %r' % (method, params, rsp))
        return rsp['error']

    def pipeline(self, calls, window=32, timeout=None):
        """Sends calls [(method, params)...] keeping up to window in flight;
        returns the responses in call order."""
        ids = []
        out = {}
        sent = 0
        done = 0
        deadline = time.monotonic() + (timeout or 60.0) * SLOW
        while done < len(calls):
            while sent < len(calls) and sent - done < window:
                ids.append(self.request(*calls[sent]))
                sent += 1
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout('pipeline: %d of %d answered' % (done, len(calls)))
            rsp = self.read_json(left / SLOW)
            if not isinstance(rsp, dict) or rsp.get('id') is None:
                self.unmatched.append(rsp)
                continue
            if rsp['id'] in out or rsp['id'] not in ids:
                raise AssertionError('unexpected or duplicate id in %r' % (rsp,))
            out[rsp['id']] = rsp
            done += 1
        return [out[i] for i in ids]


# ----------------------------------------------------------------- daemon --

class Daemon:
    """ipmipoold -c CONF -f -v with stdout/stderr in a log file."""

    def __init__(self, workdir, conf_path, socket_path):
        self.workdir = workdir
        self.conf = conf_path
        self.socket = socket_path
        self.logpath = os.path.join(workdir, 'ipmipoold.log')
        self.proc = None
        self.started_at = None

    def __repr__(self):
        return 'Daemon(%s)' % self.conf

    def start(self, args=('-f', '-v'), wait=True, timeout=15):
        if not os.access(IPMIPOOLD, os.X_OK):
            raise unittest.SkipTest('ipmipoold not built: %s' % IPMIPOOLD)
        logf = open(self.logpath, 'ab')
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen([IPMIPOOLD, '-c', self.conf] + list(args),
                                     stdin=subprocess.DEVNULL, stdout=logf, stderr=logf)
        logf.close()
        _register(self)
        if wait:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout=15):
        """Polls the socket until daemon.info answers (bounded)."""
        def ready():
            if self.proc.poll() is not None:
                raise AssertionError('ipmipoold exited with %s during start-up; log:\n%s'
                                     % (self.proc.returncode, self.log_tail()))
            if not os.path.exists(self.socket):
                return False
            try:
                with RpcClient(self.socket, timeout=2) as c:
                    return c.result('daemon.info', timeout=2)
            except (OSError, EOFError, ValueError, RpcError):
                return False
        return wait_for(ready, timeout, 'ipmipoold to answer on %s' % self.socket)

    def client(self, timeout=10.0):
        return RpcClient(self.socket, timeout)

    def signal(self, sig):
        self.proc.send_signal(sig)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_exit(self, timeout=15):
        try:
            return self.proc.wait(timeout=timeout * SLOW)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, grace=10):
        rc = None
        if self.proc is not None:
            rc = _stop_popen(self.proc, signal.SIGTERM, grace * SLOW)
        _unregister(self)
        return rc

    def kill_now(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        _unregister(self)

    def log_text(self):
        try:
            with open(self.logpath, errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def log_tail(self, n=60):
        return '\n'.join(self.log_text().splitlines()[-n:])


# ----------------------------------------------------------------- config --

def write_secret(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(text + '\n')
    os.chmod(path, 0o600)
    return path


def render_config(daemon=None, defaults=None, bmcs=()):
    """INI text: daemon/defaults dicts, bmcs [(name, {key: value})]."""
    out = []
    for sect, kv in (('daemon', daemon), ('defaults', defaults)):
        if kv:
            out.append('[%s]' % sect)
            out += ['%s = %s' % (k, v) for k, v in kv.items()]
            out.append('')
    for name, kv in bmcs:
        out.append('[bmc:%s]' % name)
        out += ['%s = %s' % (k, v) for k, v in kv.items()]
        out.append('')
    return '\n'.join(out)


class DaemonTestCase(unittest.TestCase):
    """Per test: a private directory, password files, helpers to start
    fleets and the daemon; everything is torn down in cleanups."""

    # [daemon] settings every test gets unless it overrides them.
    daemon_defaults = {
        'log_level': 'info',
        'keepalive_interval': 20,
        'request_timeout': 0.5,
        'retries': 3,
    }

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='ipmipool-dt-')
        os.chmod(self.tmp, 0o700)
        _TMPDIRS.append(self.tmp)
        self.addCleanup(self._remove_tmp)
        self.addCleanup(self._dump_logs_on_failure)
        self.pwfiles = {u: write_secret(os.path.join(self.tmp, 'pw-%s' % u), p)
                        for u, p in PASSWORDS.items()}
        self.socket = os.path.join(self.tmp, 'ipmipoold.sock')
        self.conf = os.path.join(self.tmp, 'ipmipool.conf')
        self.daemon = None
        self.fakebmcs = []
        self.sims = []

    def _remove_tmp(self):
        if os.environ.get('IPMIPOOL_TEST_KEEP'):
            log('keeping %s' % self.tmp)
            return
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.tmp in _TMPDIRS:
            _TMPDIRS.remove(self.tmp)

    def _failed(self):
        outcome = getattr(self, '_outcome', None)
        if outcome is None:
            return False
        if hasattr(outcome, 'success'):
            return not outcome.success
        errors = getattr(outcome, 'errors', [])
        return any(exc is not None for _, exc in errors)

    def _dump_logs_on_failure(self):
        if not self._failed():
            return
        if self.daemon is not None:
            log('---- ipmipoold log (%s), last lines ----' % self.id())
            log(self.daemon.log_tail(80))
        for fb in self.fakebmcs:
            lines = fb.log_text().splitlines()
            if lines:
                log('---- %r log, last lines ----' % fb)
                log('\n'.join(lines[-30:]))

    # -- fixtures --
    def start_sim(self, count):
        sim = BmcSim(self.tmp if not self.sims else tempfile.mkdtemp(dir=self.tmp), count)
        self.addCleanup(sim.kill_now)
        sim.start()
        self.sims.append(sim)
        return sim

    def start_fakebmc(self, count=1, **kw):
        kw.setdefault('name', 'fakebmc%d' % len(self.fakebmcs))
        fb = FakeBmc(self.tmp, count, **kw)
        self.addCleanup(fb.kill_now)
        fb.start()
        self.fakebmcs.append(fb)
        return fb

    def start_dns(self):
        dns = StubDns()
        self.addCleanup(dns.kill_now)
        return dns.start()

    def bmc(self, port, host='127.0.0.1', user='admin', **kw):
        """One [bmc:*] section's keys."""
        kv = {'host': host, 'port': port, 'username': user,
              'password_file': self.pwfiles.get(user, self.pwfiles['admin'])}
        kv.update(kw)
        return kv

    def write_config(self, bmcs, daemon=None, defaults=None, path=None):
        d = dict(self.daemon_defaults)
        d['socket'] = self.socket
        d.update(daemon or {})
        text = render_config(d, defaults, bmcs)
        path = path or self.conf
        fd = os.open(path + '.tmp', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as f:
            f.write(text)
        os.rename(path + '.tmp', path)
        return path

    def start_daemon(self, bmcs=None, daemon=None, defaults=None, timeout=15):
        if bmcs is not None:
            self.write_config(bmcs, daemon, defaults)
        self.daemon = Daemon(self.tmp, self.conf, self.socket)
        self.addCleanup(self.daemon.kill_now)
        self.addCleanup(self._stop_daemon_checked)
        self.daemon.start(timeout=timeout)
        self.client = self.daemon.client()
        self.addCleanup(self.client.close)
        return self.daemon

    SANITIZER_MARKS = ('ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:')

    def _stop_daemon_checked(self):
        """Every test ends with an orderly SIGTERM: the daemon must still be
        running (unless the test stopped it), exit 0 within a bounded time and
        leave no sanitizer report in its log."""
        d = self.daemon
        if d is None or d.proc is None:
            return
        problems = []
        if d.proc.poll() is not None:
            if not getattr(d, 'expected_exit', False):
                problems.append('ipmipoold died during the test (exit %s)' % d.proc.returncode)
        else:
            d.proc.send_signal(signal.SIGTERM)
            rc = d.wait_exit(15)
            if rc is None:
                d.kill_now()
                problems.append('ipmipoold did not exit within 15 s of SIGTERM')
            elif rc != 0:
                problems.append('ipmipoold exited with %s after SIGTERM' % rc)
        text = d.log_text()
        problems += ['sanitizer report in the log: %r' % m for m in self.SANITIZER_MARKS
                     if m in text]
        if problems:
            self.fail('; '.join(problems) + '; log:\n' + d.log_tail(80))

    # -- helpers --
    def status(self, name, client=None):
        return (client or self.client).result('bmc.status', {'bmc': name})

    def wait_state(self, name, states, timeout=15):
        if isinstance(states, str):
            states = (states,)

        def check():
            st = self.status(name)
            return st if st['state'] in states else False
        try:
            return wait_for(check, timeout, '%s to be %s' % (name, '/'.join(states)),
                            interval=0.1)
        except WaitTimeout as e:
            raise AssertionError('%s; status now %r' % (e, self.status(name)))

    def wait_all_active(self, names, timeout=20):
        names = list(names)

        def check():
            lst = self.client.result('bmc.list')['bmcs']
            by = {b['name']: b for b in lst}
            bad = [(n, by.get(n, {}).get('state'), by.get(n, {}).get('last_error'))
                   for n in names if by.get(n, {}).get('state') != 'active']
            self._not_active = bad
            return not bad
        try:
            wait_for(check, timeout, 'all of %d BMCs to be active' % len(names), interval=0.1)
        except WaitTimeout as e:
            raise AssertionError('%s; not active: %r' % (e, self._not_active[:10]))

    def raw(self, name, netfn=6, cmd=1, data=None, client=None, timeout=None, **kw):
        params = {'bmc': name, 'netfn': netfn, 'cmd': cmd}
        if data is not None:
            params['data'] = data
        params.update(kw)
        return (client or self.client).result('ipmi.raw', params, timeout=timeout)


# Get Device ID response data (after the completion code) of the BMC at 0x20,
# ipmi_sim fixture and fakebmc alike, and of the bridged satellite MC at 0x30.
GET_DEVICE_ID = '20 01 01 23 02 9f d9 7e 00 53 42 00 00 00 00'.replace(' ', '')
SAT_DEVICE_ID = '30 02 03 45 02 21 d9 7e 00 30 00 00 00 00 00'.replace(' ', '')


def main():
    """unittest.main, but exit 77 (meson: skipped) when every test skipped."""
    prog = unittest.main(verbosity=2, exit=False)
    r = prog.result
    if r.testsRun and len(r.skipped) == r.testsRun:
        sys.exit(77)
    sys.exit(0 if r.wasSuccessful() else 1)
