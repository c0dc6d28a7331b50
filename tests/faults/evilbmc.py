#!/usr/bin/python3
"""evilbmc.py - a scripted, hostile IPMI v2.0 / RMCP+ responder.

Does the RMCP+ handshake itself (RAKP-HMAC-SHA1 with integrity none or
HMAC-SHA1-96, no confidentiality: cipher suites 1 and 2; Python's hmac and
hashlib are enough, no AES), then misbehaves in one chosen way.  One
process serves several ports, one mode each:

    evilbmc.py --port BASE --modes normal,rakp2_bad_code,... [--addr 127.0.0.1]
               [--pidfile F] [--guid HEX32]

Port BASE+i runs modes[i].  Users: admin/adminpass (ADMINISTRATOR),
oper/operpass (OPERATOR), ro/ropass (USER).  In session: Get Device ID
(as ipmi_sim), Get Self Test Results (55 00), Get Channel Authentication
Capabilities, Set Session Privilege Level, Close Session, Chassis Get Status;
anything else C1h.  Every datagram in and out is logged to stderr as one line
`evilbmc[PORT]: ...` (never a password or key).

Modes (what goes wrong; see MODES below):
  normal             nothing: a well-behaved BMC
  rakp2_bad_code     RAKP2 key exchange auth code with one byte flipped
  rakp2_status_0d    RAKP2 status 0Dh (unauthorized name)
  rakp4_bad_icv      RAKP4 integrity check value with one byte flipped
  open_wrong_sid     Open Session Response for another console session id
  rakp2_wrong_sid    RAKP2 for another console session id
  rakp4_wrong_sid    RAKP4 for another console session id
  open_bad_integ     Open Session Response picks integrity "none" (not offered)
  open_bad_auth      Open Session Response picks RAKP-HMAC-MD5 (not offered)
  open_bad_conf      Open Session Response picks AES-CBC-128 (not offered)
  priv_lowered       Set Session Privilege Level grants USER instead of the request
  other_port         every answer comes from another source port
  truncated          handshake answers cut in half
  oversized          every answer followed by 3000 bytes of junk (one datagram)
  session_wrong_sid  in session (after Set Session Privilege): wrong session id
  session_replay     in session: each answer is an older answer, replayed
  session_truncated  in session: answers lose their last 7 bytes
  session_oversized  in session: answers claim a 2000-byte payload, 3000 bytes long
  session_garbage    in session: answers are random bytes with a valid-looking header
  session_bad_mac    in session: answers with a wrong AuthCode
"""

import argparse
import hashlib
import hmac
import os
import random
import select
import signal
import socket
import struct
import sys
import time

MODES = (
    'normal', 'rakp2_bad_code', 'rakp2_status_0d', 'rakp4_bad_icv', 'open_wrong_sid',
    'rakp2_wrong_sid', 'rakp4_wrong_sid', 'open_bad_integ', 'open_bad_auth', 'open_bad_conf',
    'priv_lowered', 'other_port', 'truncated', 'oversized', 'session_wrong_sid',
    'session_replay', 'session_truncated', 'session_oversized', 'session_garbage',
    'session_bad_mac',
)

USERS = {b'admin': (b'adminpass', 4), b'oper': (b'operpass', 3), b'ro': (b'ropass', 2)}
RMCP = b'\x06\x00\xff\x07'
GET_DEVICE_ID = bytes.fromhex('20010123029fd97e00534200000000')
AUTHCAPS = bytes.fromhex('0196040300000000')      # channel 1, IPMI v2.0, as ipmi_sim

PT_IPMI, PT_OPEN_REQ, PT_OPEN_RSP = 0x00, 0x10, 0x11
PT_RAKP1, PT_RAKP2, PT_RAKP3, PT_RAKP4 = 0x12, 0x13, 0x14, 0x15


def checksum(b):
    return (-sum(b)) & 0xff


def ipmi_response(req, cc, data=b''):
    """An IPMI response message for request message bytes req."""
    netfn, rs_lun = req[1] >> 2, req[1] & 3
    rq_addr, rq_seq_lun, cmd = req[3], req[4], req[5]
    h = bytes([rq_addr, ((netfn | 1) << 2) | (rq_seq_lun & 3)])
    body = bytes([req[0], (rq_seq_lun & 0xfc) | rs_lun, cmd, cc]) + data
    return h + bytes([checksum(h)]) + body + bytes([checksum(body)])


def hmac_sha1(key, msg):
    return hmac.new(key, msg, hashlib.sha1).digest()


class Session:
    def __init__(self, bmc_sid, console_sid, integ):
        self.bmc_sid = bmc_sid
        self.console_sid = console_sid
        self.integ = integ            # 0 none, 1 HMAC-SHA1-96
        self.rm = self.rc = None
        self.role = 0
        self.user = b''
        self.kuid = b''
        self.sik = self.k1 = None
        self.active = False
        self.privileged = False
        self.out_seq = 0
        self.sent = []                # in-session answers sent (for replays)


class Port:
    def __init__(self, ev, port, mode, index):
        self.ev = ev
        self.port = port
        self.mode = mode
        self.index = index
        self.sock = socket.socket(ev.family, socket.SOCK_DGRAM)
        self.sock.bind((ev.addr, port))
        self.alt = None
        self.sessions = {}
        self.next_sid = 0x100 + index * 0x1000
        self.guid = bytes.fromhex('4556494c424d4300') + struct.pack('>I', index) + bytes(4)

    def log(self, fmt, *args):
        print('evilbmc[%d]: %s' % (self.port, fmt % args), file=sys.stderr, flush=True)

    # --------------------------------------------------------------- send --
    def send(self, pkt, addr, what):
        if self.mode == 'other_port':
            if self.alt is None:
                self.alt = socket.socket(self.ev.family, socket.SOCK_DGRAM)
                self.alt.bind((self.ev.addr, 0))
            self.alt.sendto(pkt, addr)
            self.log('%s sent from port %d (not %d)', what, self.alt.getsockname()[1],
                     self.port)
            return
        if self.mode == 'oversized':
            pkt = pkt + bytes(random.getrandbits(8) for _ in range(3000))
        self.sock.sendto(pkt, addr)
        self.log('%s sent (%d bytes)', what, len(pkt))

    def setup_packet(self, ptype, payload):
        if self.mode == 'truncated':
            payload = payload[:max(1, len(payload) // 2)]
        return RMCP + struct.pack('<BBIIH', 0x06, ptype, 0, 0, len(payload)) + payload

    def session_packet(self, s, msg, sid=None, pad_extra=b''):
        s.out_seq += 1
        ptype = PT_IPMI | (0x40 if s.integ else 0)
        sid = s.console_sid if sid is None else sid
        body = struct.pack('<BBIIH', 0x06, ptype, sid, s.out_seq, len(msg)) + msg
        if s.integ:
            pad = (4 - (len(body) + 2) % 4) % 4
            body += b'\xff' * pad + bytes([pad, 0x07])
            body += hmac_sha1(s.k1, body)[:12]
        return RMCP + body

    # ------------------------------------------------------------ receive --
    def input(self, pkt, addr):
        if len(pkt) < 5 or pkt[:4] != RMCP:
            self.log('ignored %d bytes (not RMCP/IPMI)', len(pkt))
            return
        if pkt[4] == 0x00:
            return self.on_v15(pkt, addr)
        if pkt[4] != 0x06 or len(pkt) < 16:
            self.log('ignored %d bytes (auth type %02x)', len(pkt), pkt[4])
            return
        _, ptype, sid, seq, plen = struct.unpack('<BBIIH', pkt[4:16])
        payload = pkt[16:16 + plen]
        t = ptype & 0x3f
        if t == PT_OPEN_REQ:
            return self.on_open(payload, addr)
        if t == PT_RAKP1:
            return self.on_rakp1(payload, addr)
        if t == PT_RAKP3:
            return self.on_rakp3(payload, addr)
        if t == PT_IPMI and sid != 0:
            return self.on_session(pkt, ptype, sid, seq, payload, addr)
        self.log('ignored payload type %02x', ptype)

    def on_v15(self, pkt, addr):
        # RMCP, auth type 0, seq 4, sid 4, len 1, message
        if len(pkt) < 14:
            return
        msg = pkt[14:14 + pkt[13]]
        if len(msg) < 7 or msg[5] != 0x38 or (msg[1] >> 2) != 0x06:
            rsp = ipmi_response(msg, 0xc1) if len(msg) >= 7 else None
        else:
            rsp = ipmi_response(msg, 0x00, AUTHCAPS)
        if rsp is None:
            return
        out = RMCP + b'\x00' + bytes(8) + bytes([len(rsp)]) + rsp
        if self.mode == 'truncated':
            pass        # pre-session answers are left alone: the handshake gets further
        self.send(out, addr, 'Get Channel Authentication Capabilities response')

    def on_open(self, p, addr):
        if len(p) < 32:
            self.log('short Open Session Request (%d bytes)', len(p))
            return
        tag, priv = p[0], p[1]
        console_sid = struct.unpack('<I', p[4:8])[0]
        auth, integ, conf = p[12], p[20], p[28]
        status = 0
        if auth != 1:
            status = 0x11
        elif integ not in (0, 1):
            status = 0x12
        elif conf != 0:
            status = 0x10
        if status:
            self.log('Open Session refused: algorithms %d/%d/%d', auth, integ, conf)
            out = bytes([tag, status])
            return self.send(self.setup_packet(PT_OPEN_RSP, out), addr, 'Open Session refusal')
        self.next_sid += 1
        s = Session(self.next_sid, console_sid, integ)
        self.sessions[s.bmc_sid] = s
        r_auth, r_integ, r_conf = auth, integ, conf
        if self.mode == 'open_bad_integ':
            r_integ = 0 if integ else 1
        elif self.mode == 'open_bad_auth':
            r_auth = 2
        elif self.mode == 'open_bad_conf':
            r_conf = 1
        sid_out = console_sid + 1 if self.mode == 'open_wrong_sid' else console_sid
        out = struct.pack('<BBBBII', tag, 0, priv or 4, 0, sid_out, s.bmc_sid)
        out += struct.pack('<BHBB3s', 0, 0, 8, r_auth, bytes(3))
        out += struct.pack('<BHBB3s', 1, 0, 8, r_integ, bytes(3))
        out += struct.pack('<BHBB3s', 2, 0, 8, r_conf, bytes(3))
        self.log('Open Session: console sid %08x, bmc sid %08x, suite algorithms %d/%d/%d',
                 console_sid, s.bmc_sid, auth, integ, conf)
        self.send(self.setup_packet(PT_OPEN_RSP, out), addr, 'Open Session Response')

    def on_rakp1(self, p, addr):
        if len(p) < 28:
            return
        tag = p[0]
        bmc_sid = struct.unpack('<I', p[4:8])[0]
        s = self.sessions.get(bmc_sid)
        if s is None:
            self.log('RAKP1 for unknown session %08x', bmc_sid)
            return self.send(self.setup_packet(PT_RAKP2, bytes([tag, 0x02])), addr,
                             'RAKP2 refusal')
        s.rm = p[8:24]
        s.role = p[24]
        ulen = p[27]
        s.user = p[28:28 + ulen]
        if self.mode == 'rakp2_status_0d' or s.user not in USERS:
            out = bytes([tag, 0x0d, 0, 0]) + struct.pack('<I', s.console_sid)
            return self.send(self.setup_packet(PT_RAKP2, out), addr, 'RAKP2 status 0Dh')
        s.kuid = USERS[s.user][0].ljust(20, b'\0')
        s.rc = os.urandom(16)
        code = hmac_sha1(s.kuid, struct.pack('<II', s.console_sid, s.bmc_sid) + s.rm + s.rc +
                         self.guid + bytes([s.role, len(s.user)]) + s.user)
        if self.mode == 'rakp2_bad_code':
            code = bytes([code[0] ^ 0x5a]) + code[1:]
        s.sik = hmac_sha1(s.kuid, s.rm + s.rc + bytes([s.role, len(s.user)]) + s.user)
        s.k1 = hmac_sha1(s.sik, b'\x01' * 20)
        sid_out = s.console_sid + 1 if self.mode == 'rakp2_wrong_sid' else s.console_sid
        out = bytes([tag, 0, 0, 0]) + struct.pack('<I', sid_out) + s.rc + self.guid + code
        self.send(self.setup_packet(PT_RAKP2, out), addr, 'RAKP2')

    def on_rakp3(self, p, addr):
        if len(p) < 8:
            return
        tag, status = p[0], p[1]
        bmc_sid = struct.unpack('<I', p[4:8])[0]
        s = self.sessions.get(bmc_sid)
        if s is None or s.rc is None:
            return
        want = hmac_sha1(s.kuid, s.rc + struct.pack('<I', s.console_sid) +
                         bytes([s.role, len(s.user)]) + s.user)
        if status != 0 or not hmac.compare_digest(want, p[8:28]):
            self.log('RAKP3 rejected (status %02x)', status)
            out = bytes([tag, 0x0f, 0, 0]) + struct.pack('<I', s.console_sid)
            return self.send(self.setup_packet(PT_RAKP4, out), addr, 'RAKP4 status 0Fh')
        icv = hmac_sha1(s.sik, s.rm + struct.pack('<I', s.bmc_sid) + self.guid)[:12]
        if self.mode == 'rakp4_bad_icv':
            icv = bytes([icv[0] ^ 0xa5]) + icv[1:]
        sid_out = s.console_sid + 1 if self.mode == 'rakp4_wrong_sid' else s.console_sid
        s.active = True
        out = bytes([tag, 0, 0, 0]) + struct.pack('<I', sid_out) + icv
        self.send(self.setup_packet(PT_RAKP4, out), addr, 'RAKP4')

    def on_session(self, pkt, ptype, sid, seq, payload, addr):
        s = self.sessions.get(sid)
        if s is None or not s.active:
            self.log('packet for unknown session %08x dropped', sid)
            return
        if s.integ:
            plen = len(payload)
            end = 16 + plen
            pad = pkt[end:]
            if len(pad) < 14:
                self.log('session packet without a trailer dropped')
                return
            mac = pkt[-12:]
            if not hmac.compare_digest(hmac_sha1(s.k1, pkt[4:-12])[:12], mac):
                self.log('session packet with a bad AuthCode dropped')
                return
        msg = payload
        if len(msg) < 7:
            return
        netfn, cmd = msg[1] >> 2, msg[5]
        data = msg[6:-1]
        what = 'netfn %02x cmd %02x' % (netfn, cmd)
        if (netfn, cmd) == (0x06, 0x3b):
            want = data[0] & 0x0f if data else 0
            got = 2 if self.mode == 'priv_lowered' else want
            s.privileged = True
            rsp = ipmi_response(msg, 0, bytes([got]))
            what = 'Set Session Privilege Level (%d -> %d)' % (want, got)
        elif (netfn, cmd) == (0x06, 0x01):
            rsp = ipmi_response(msg, 0, GET_DEVICE_ID)
        elif (netfn, cmd) == (0x06, 0x04):
            rsp = ipmi_response(msg, 0, b'\x55\x00')
        elif (netfn, cmd) == (0x06, 0x38):
            rsp = ipmi_response(msg, 0, AUTHCAPS)
        elif (netfn, cmd) == (0x06, 0x3c):
            rsp = ipmi_response(msg, 0)
            s.active = False
        elif (netfn, cmd) == (0x00, 0x01):
            rsp = ipmi_response(msg, 0, b'\x01\x00\x00')
        else:
            rsp = ipmi_response(msg, 0xc1)
        hostile = self.mode.startswith('session_') and (netfn, cmd) != (0x06, 0x3b)
        if not hostile:
            out = self.session_packet(s, rsp)
        elif self.mode == 'session_wrong_sid':
            out = self.session_packet(s, rsp, sid=s.console_sid ^ 0x00ff0000)
        elif self.mode == 'session_replay':
            if not s.sent:
                self.log('%s: nothing to replay yet, dropped', what)
                return
            out = s.sent[0]
            self.send(out, addr, '%s answered with an old answer (replay)' % what)
            return
        elif self.mode == 'session_truncated':
            out = self.session_packet(s, rsp)[:-7]
        elif self.mode == 'session_oversized':
            out = self.session_packet(s, rsp)
            out = out[:14] + struct.pack('<H', 2000) + out[16:] + bytes(3000)
        elif self.mode == 'session_garbage':
            out = RMCP + struct.pack('<BBI', 0x06, 0x40, s.console_sid) + os.urandom(
                random.randrange(0, 200))
        elif self.mode == 'session_bad_mac':
            out = self.session_packet(s, rsp)
            out = out[:-1] + bytes([out[-1] ^ 0x01])
        else:
            out = self.session_packet(s, rsp)
        s.sent.append(out)
        del s.sent[16:]
        if s.active or (netfn, cmd) == (0x06, 0x3c):
            self.send(out, addr, what + ' response')


class EvilBmc:
    def __init__(self, addr, base, modes):
        self.addr = addr
        self.family = socket.AF_INET6 if ':' in addr else socket.AF_INET
        self.ports = [Port(self, base + i, m, i) for i, m in enumerate(modes)]
        self.stop = False

    def run(self):
        by_sock = {p.sock: p for p in self.ports}
        while not self.stop:
            try:
                ready, _, _ = select.select(list(by_sock), [], [], 0.5)
            except InterruptedError:
                continue
            for s in ready:
                try:
                    pkt, addr = s.recvfrom(65535)
                except OSError:
                    continue
                try:
                    by_sock[s].input(pkt, addr)
                except (IndexError, struct.error, ValueError) as e:
                    by_sock[s].log('malformed input ignored: %s', e)


def main(argv):
    ap = argparse.ArgumentParser(description='hostile RMCP+ responder (suites 1, 2)')
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--modes', required=True, help='comma-separated, one per port')
    ap.add_argument('--addr', default='127.0.0.1')
    ap.add_argument('--pidfile')
    a = ap.parse_args(argv)
    modes = a.modes.split(',')
    for m in modes:
        if m not in MODES:
            print('evilbmc: unknown mode %r (known: %s)' % (m, ', '.join(MODES)),
                  file=sys.stderr)
            return 2
    try:
        ev = EvilBmc(a.addr, a.port, modes)
    except OSError as e:
        print('evilbmc: bind: %s' % e, file=sys.stderr)
        return 1

    def on_term(*_):
        ev.stop = True
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    if a.pidfile:
        with open(a.pidfile + '.tmp', 'w') as f:
            f.write('%d\n' % os.getpid())
        os.rename(a.pidfile + '.tmp', a.pidfile)
    for p in ev.ports:
        p.log('mode %s', p.mode)
    ev.run()
    if a.pidfile:
        try:
            os.unlink(a.pidfile)
        except OSError:
            pass
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
