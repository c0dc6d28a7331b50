#!/usr/bin/python3
"""udpproxy.py - a fault-injecting UDP proxy for ipmipool's fault tests.

Sits between ipmipoold and BMCs (ipmi_sim, fakebmc): each link listens on a
loopback port (the address the daemon is given) and forwards to one target;
answers come back from the listening port, so the daemon sees one peer.
Per direction ('up' = daemon -> BMC, 'down' = BMC -> daemon) it can lose,
duplicate, reorder (hold back), delay, corrupt (flip one bit), truncate,
replay an older datagram, answer from another source port, and black out
(drop everything, both ways).  Everything it does is counted.

Python 3 standard library only.  As a module (what the tests and bench/soak
use):

    p = UdpProxy(seed=1)
    port = p.add_link(target_port=9000)      # listen on a free port
    p.start()
    p.set('down', loss=0.2, dup=0.1)          # any time, from any thread
    p.blackout(True); ...; p.blackout(False)
    p.counters()                              # {'up': {...}, 'down': {...}}
    p.packets('up', since=t0)                 # datagrams seen after t0 (monotonic)
    p.stop()

As a program (for trying things by hand):

    udpproxy.py --map 9623:623 [--map ...] [--target-addr 127.0.0.1]
                [--loss 0.2] [--loss-up P] [--loss-down P] [--dup P]
                [--reorder P] [--delay-ms D] [--jitter-ms J] [--corrupt P]
                [--replay P] [--seed N] [--duration S]
    prints the counters as JSON on exit (SIGTERM, SIGINT, --duration).

Every loop is bounded by a stop flag and a select() timeout; only loopback
addresses are used unless told otherwise.
"""

import collections
import heapq
import json
import random
import select
import signal
import socket
import sys
import threading
import time

DIRS = ('up', 'down')

# Fault knobs per direction (probabilities are per datagram).
DEFAULTS = {
    'loss': 0.0,          # drop
    'dup': 0.0,           # send twice (the copy after dup_ms)
    'dup_ms': 0.0,
    'reorder': 0.0,       # hold back reorder_ms so later datagrams overtake it
    'reorder_ms': 30.0,
    'delay_ms': 0.0,      # every datagram, plus uniform [0, jitter_ms)
    'jitter_ms': 0.0,
    'corrupt': 0.0,       # flip one bit at a byte offset >= corrupt_from
    'corrupt_from': 16,   # 16: past the RMCP and RMCP+ session header (-> bad MAC)
    'truncate': 0.0,      # cut to a random shorter length
    'replay': 0.0,        # also send an older datagram of this direction
    'replay_min_age': 8,  # ... at least this many datagrams old
    'alt_source': 0.0,    # 'down' only: send from another local port
}

COUNTERS = ('seen', 'forwarded', 'lost', 'duplicated', 'reordered', 'delayed', 'corrupted',
            'truncated', 'replayed', 'blackholed', 'alt_source', 'send_errors')

MAX_DGRAM = 65535
HISTORY = 256           # datagrams kept per direction for replays
TIMES = 200000          # timestamps kept per direction (packets())


class _Link:
    def __init__(self, listen, target, index):
        self.index = index
        self.listen = listen          # socket the daemon talks to
        self.target = target          # (addr, port)
        self.upstream = {}            # client addr -> socket towards target
        self.by_up = {}               # upstream socket -> client addr
        self.alt = None               # 'alt_source' socket, made on first use


class UdpProxy:
    def __init__(self, addr='127.0.0.1', seed=None):
        self.addr = addr
        self.seed = seed if seed is not None else random.SystemRandom().randrange(1 << 30)
        self.rnd = random.Random(self.seed)
        self.links = []
        self.socks = {}               # socket -> (link, 'listen' | 'up')
        self.knobs = {d: dict(DEFAULTS) for d in DIRS}
        self.count = {d: collections.Counter() for d in DIRS}
        self.times = {d: collections.deque(maxlen=TIMES) for d in DIRS}
        self.history = {d: collections.deque(maxlen=HISTORY) for d in DIRS}
        self.queue = []               # heap of (when, seq, sock, data, addr, dir)
        self.qseq = 0
        self.dark = False
        self.dark_until = None
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread = None
        self.wake_r, self.wake_w = socket.socketpair()
        self.wake_r.setblocking(False)
        self.wake_w.setblocking(False)

    def __repr__(self):
        return 'UdpProxy(%s, %d links, seed %d)' % (self.addr, len(self.links), self.seed)

    # ------------------------------------------------------------- setup --
    def add_link(self, target_port, target_addr='127.0.0.1', listen_port=0):
        """Forwards listen_port (0: a free one) to target; returns the port."""
        fam = socket.AF_INET6 if ':' in self.addr else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((self.addr, listen_port))
        s.setblocking(False)
        link = _Link(s, (target_addr, target_port), len(self.links))
        with self.lock:
            self.links.append(link)
            self.socks[s] = (link, 'listen')
        self._wake()
        return s.getsockname()[1]

    def port(self, i=0):
        return self.links[i].listen.getsockname()[1]

    def set(self, direction=None, **knobs):
        """Changes knobs of one direction, or of both (direction None)."""
        for d in (DIRS if direction in (None, 'both') else (direction,)):
            for k, v in knobs.items():
                if k not in DEFAULTS:
                    raise KeyError('unknown knob %r' % k)
                self.knobs[d][k] = v

    def clear(self):
        """Every knob back to its default; blackout off."""
        for d in DIRS:
            self.knobs[d] = dict(DEFAULTS)
        self.blackout(False)

    def blackout(self, on=True, seconds=None):
        """Drops everything both ways while on (or for seconds)."""
        with self.lock:
            self.dark = bool(on)
            self.dark_until = time.monotonic() + seconds if (on and seconds) else None
        self._wake()

    # ---------------------------------------------------------- counters --
    def counters(self):
        with self.lock:
            return {d: {k: self.count[d][k] for k in COUNTERS} for d in DIRS}

    def packets(self, direction, since=0.0, until=None):
        """How many datagrams arrived in direction in [since, until) (monotonic)."""
        with self.lock:
            ts = list(self.times[direction])
        return sum(1 for t in ts if t >= since and (until is None or t < until))

    def reset_counters(self):
        with self.lock:
            for d in DIRS:
                self.count[d].clear()
                self.times[d].clear()

    # ------------------------------------------------------------ running --
    def start(self):
        self.thread = threading.Thread(target=self._run, name='udpproxy', daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self._wake()
        if self.thread is not None:
            self.thread.join(timeout=5)
        with self.lock:
            for s in list(self.socks):
                s.close()
            for link in self.links:
                if link.alt is not None:
                    link.alt.close()
            self.socks.clear()
        self.wake_r.close()
        self.wake_w.close()

    kill_now = stop

    def _wake(self):
        try:
            self.wake_w.send(b'x')
        except OSError:
            pass

    def _upstream(self, link, client):
        s = link.upstream.get(client)
        if s is None:
            fam = socket.AF_INET6 if ':' in link.target[0] else socket.AF_INET
            s = socket.socket(fam, socket.SOCK_DGRAM)
            s.bind((self.addr if fam == socket.AF_INET or ':' in self.addr else '::1', 0))
            s.setblocking(False)
            link.upstream[client] = s
            link.by_up[s] = client
            with self.lock:
                self.socks[s] = (link, 'up')
        return s

    def _schedule(self, when, sock, data, addr, direction):
        self.qseq += 1
        heapq.heappush(self.queue, (when, self.qseq, sock, data, addr, direction))

    def _send(self, sock, data, addr, direction):
        try:
            sock.sendto(data, addr)
            self.count[direction]['forwarded'] += 1
        except OSError:
            self.count[direction]['send_errors'] += 1

    def _is_dark(self, now):
        if self.dark and self.dark_until is not None and now >= self.dark_until:
            self.dark = False
            self.dark_until = None
        return self.dark

    def _handle(self, link, data, direction, out_sock, addr, now):
        k = self.knobs[direction]
        c = self.count[direction]
        r = self.rnd
        with self.lock:
            c['seen'] += 1
            self.times[direction].append(now)
        if self._is_dark(now):
            c['blackholed'] += 1
            return
        hist = self.history[direction]
        old = None
        if k['replay'] and len(hist) > k['replay_min_age'] and r.random() < k['replay']:
            old = hist[r.randrange(0, len(hist) - k['replay_min_age'])]
        hist.append(data)
        if old is not None:
            c['replayed'] += 1
            self._schedule(now + r.uniform(0.0, 0.02), out_sock, old, addr, direction)
        if k['loss'] and r.random() < k['loss']:
            c['lost'] += 1
            return
        if k['truncate'] and len(data) > 1 and r.random() < k['truncate']:
            c['truncated'] += 1
            data = data[:r.randrange(1, len(data))]
        if k['corrupt'] and len(data) > k['corrupt_from'] and r.random() < k['corrupt']:
            c['corrupted'] += 1
            b = bytearray(data)
            i = r.randrange(k['corrupt_from'], len(b))
            b[i] ^= 1 << r.randrange(8)
            data = bytes(b)
        if direction == 'down' and k['alt_source'] and r.random() < k['alt_source']:
            c['alt_source'] += 1
            if link.alt is None:
                link.alt = socket.socket(link.listen.family, socket.SOCK_DGRAM)
                link.alt.bind((self.addr, 0))
            out_sock = link.alt
        delay = k['delay_ms'] / 1000.0
        if k['jitter_ms']:
            delay += r.uniform(0, k['jitter_ms'] / 1000.0)
        if k['reorder'] and r.random() < k['reorder']:
            c['reordered'] += 1
            delay += k['reorder_ms'] / 1000.0
        if delay > 0:
            c['delayed'] += 1
            self._schedule(now + delay, out_sock, data, addr, direction)
        else:
            self._send(out_sock, data, addr, direction)
        if k['dup'] and r.random() < k['dup']:
            c['duplicated'] += 1
            self._schedule(now + delay + k['dup_ms'] / 1000.0, out_sock, data, addr, direction)

    def _run(self):
        while not self.stopping.is_set():
            now = time.monotonic()
            while self.queue and self.queue[0][0] <= now:
                _, _, sock, data, addr, direction = heapq.heappop(self.queue)
                if self._is_dark(now):
                    self.count[direction]['blackholed'] += 1
                    continue
                self._send(sock, data, addr, direction)
            timeout = 0.2
            if self.queue:
                timeout = max(0.0, min(timeout, self.queue[0][0] - now))
            with self.lock:
                socks = list(self.socks)
            try:
                ready, _, _ = select.select(socks + [self.wake_r], [], [], timeout)
            except (OSError, ValueError):
                if self.stopping.is_set():
                    return
                continue
            now = time.monotonic()
            for s in ready:
                if s is self.wake_r:
                    try:
                        while self.wake_r.recv(64):
                            pass
                    except OSError:
                        pass
                    continue
                link, kind = self.socks.get(s, (None, None))
                if link is None:
                    continue
                for _ in range(64):         # bounded drain per wake-up
                    try:
                        data, addr = s.recvfrom(MAX_DGRAM)
                    except (BlockingIOError, InterruptedError):
                        break
                    except OSError:
                        break
                    if kind == 'listen':
                        self._handle(link, data, 'up', self._upstream(link, addr),
                                     link.target, now)
                    else:
                        client = link.by_up.get(s)
                        if client is not None:
                            self._handle(link, data, 'down', link.listen, client, now)


def _main(argv):
    import argparse
    ap = argparse.ArgumentParser(description='fault-injecting UDP proxy (loopback)')
    ap.add_argument('--listen-addr', default='127.0.0.1')
    ap.add_argument('--target-addr', default='127.0.0.1')
    ap.add_argument('--map', action='append', required=True, metavar='LPORT:TPORT')
    ap.add_argument('--seed', type=int)
    ap.add_argument('--duration', type=float, default=0)
    for k, v in DEFAULTS.items():
        t = int if isinstance(v, int) and not isinstance(v, bool) else float
        ap.add_argument('--' + k.replace('_', '-'), type=t)
        ap.add_argument('--' + k.replace('_', '-') + '-up', type=t)
        ap.add_argument('--' + k.replace('_', '-') + '-down', type=t)
    a = ap.parse_args(argv)
    p = UdpProxy(a.listen_addr, a.seed)
    for m in a.map:
        lp, tp = m.split(':')
        p.add_link(int(tp), a.target_addr, int(lp))
    for k in DEFAULTS:
        v = getattr(a, k)
        if v is not None:
            p.set(None, **{k: v})
        for d in DIRS:
            v = getattr(a, '%s_%s' % (k, d))
            if v is not None:
                p.set(d, **{k: v})
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    p.start()
    print('udpproxy: seed %d, %s' % (p.seed, ', '.join(
        '%d->%s:%d' % (link.listen.getsockname()[1], link.target[0], link.target[1])
        for link in p.links)), file=sys.stderr, flush=True)
    done.wait(a.duration if a.duration > 0 else None)
    p.stop()
    print(json.dumps(p.counters(), indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(_main(sys.argv[1:]))
