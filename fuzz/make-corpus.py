#!/usr/bin/python3
"""Regenerates the seed corpora in fuzz/corpus/<harness>/ from the captured
RMCP+ sessions in tests/vectors/suite{3,17}-admin.json (plus a few packets
built by hand for what the captures lack: refusals, ASF, bridging, cipher
suite records).  Python 3 standard library only; deterministic output.

    fuzz/make-corpus.py            # rewrites fuzz/corpus/
    fuzz/make-corpus.py OUTDIR     # writes elsewhere

The input formats are documented at the top of each fuzz/fuzz_*.c.
"""

import json
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "tests", "vectors")
BMCSIM = os.path.join(HERE, "..", "tests", "bmcsim")
# Index of each suite in fuzz-common.c's fuzz_vecs[] (mode bit 0).
SUITES = {3: 0, 17: 1}

RAKP_OPEN_REQ, RAKP_OPEN_RSP = 0x10, 0x11
RAKP1, RAKP2, RAKP3, RAKP4 = 0x12, 0x13, 0x14, 0x15
SETUP_NAMES = {
    RAKP_OPEN_REQ: "open-req",
    RAKP_OPEN_RSP: "open-rsp",
    RAKP1: "rakp1",
    RAKP2: "rakp2",
    RAKP3: "rakp3",
    RAKP4: "rakp4",
}


class Pkt:
    def __init__(self, index, d, decoded):
        self.index = index
        self.to_bmc = d["dir"] == "console->bmc"
        self.b = bytes.fromhex(d["hex"])
        self.decoded = decoded
        if self.b[4] != 0x06:
            self.kind = "v15"
        elif self.b[5] & 0x3F in SETUP_NAMES:
            self.kind = "setup"
            self.pt = self.b[5] & 0x3F
        else:
            self.kind = "session"
            self.seq = decoded["session_seq"]
            self.msg = bytes.fromhex(decoded["ipmi_message"])

    @property
    def name(self):
        if self.kind == "setup":
            n = SETUP_NAMES[self.pt]
        elif self.kind == "v15":
            n = "authcaps-" + ("req" if self.to_bmc else "rsp")
        else:
            n = "msg-" + ("req" if self.to_bmc else "rsp")
        return "%02d-%s" % (self.index, n)

    @property
    def payload(self):
        """Setup packets: the payload after the 16-byte session header."""
        return self.b[16:]

    def v15_msg(self):
        mlen = self.b[13]
        return self.b[14 : 14 + mlen]


def load(suite):
    with open(os.path.join(VECTORS, "suite%d-admin.json" % suite)) as f:
        d = json.load(f)
    return [Pkt(i, p, dec) for i, (p, dec) in enumerate(zip(d["packets"], d["decoded"]))]


def checksum(b):
    return (-sum(b)) & 0xFF


def ipmimsg(dst, netfn, src, seq, cmd, data, dst_lun=0, src_lun=0):
    h = bytes([dst, netfn << 2 | dst_lun])
    body = bytes([src, seq << 2 | src_lun, cmd]) + bytes(data)
    return h + bytes([checksum(h)]) + body + bytes([checksum(body)])


def lan15(msg):
    return bytes([6, 0, 0xFF, 7, 0]) + bytes(8) + bytes([len(msg)]) + msg


def record(flags, ptype, seq, payload):
    return bytes([flags, ptype]) + struct.pack("<I", seq & 0xFFFFFFFF) + bytes([len(payload)]) + payload


def aes_plain(msg):
    """msg | 01 02 .. n | n, a multiple of 16 (the confidentiality pad)."""
    n = 15 - len(msg) % 16
    return msg + bytes(range(1, n + 1)) + bytes([n])


class Corpus:
    def __init__(self, root):
        self.root = root
        self.count = {}

    def add(self, harness, name, data):
        d = os.path.join(self.root, harness)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        self.count[harness] = self.count.get(harness, 0) + 1


def session_open(c, suite, pkts):
    idx = SUITES[suite]
    for p in pkts:
        mode = idx | (2 if p.to_bmc else 0)
        c.add("fuzz_session_open", "s%d-%s" % (suite, p.name), bytes([mode]) + p.b)
    rsps = [p for p in pkts if p.kind == "session" and not p.to_bmc]
    reqs = [p for p in pkts if p.kind == "session" and p.to_bmc]
    # An output buffer of 16 bytes: too small for any decrypted payload.
    c.add("fuzz_session_open", "s%d-cap16" % suite, bytes([idx | 1 << 3]) + rsps[0].b)
    # Records: sealed by the peer, opened in order (lanplus_open / lanmsg_open).
    for side, group in (("console", rsps), ("bmc", reqs)):
        mode = idx | 4 | (2 if side == "bmc" else 0)
        recs = b"".join(record(0x00 | (0x02 if i % 2 else 0), 0, p.seq, p.msg) for i, p in enumerate(group))
        c.add("fuzz_session_open", "s%d-rec-seal-%s" % (suite, side), bytes([mode]) + recs)
    mode = idx | 4
    # Built by hand: valid pad, a bad confidentiality pad, integrity pad
    # variants, an unencrypted packet, a wrong session id, out of order.
    m = rsps[0].msg
    recs = (
        record(0x03, 0xC0, 1, aes_plain(m))
        + record(0x03, 0xC0, 2, m + bytes(16 - len(m) % 16))
        + record(0x11, 0xC0, 3, aes_plain(m))
        + record(0x09, 0xC0, 4, aes_plain(m))
        + record(0x81, 0xC0, 5, aes_plain(m))
        + record(0x03, 0x40, 6, m)
        + record(0x05, 0xC0, 7, aes_plain(m))
        + record(0x01, 0xC1, 8, aes_plain(b"\x01\x02"))
        + record(0x03, 0xC0, 40, aes_plain(m))
        + record(0x03, 0xC0, 9, aes_plain(m))
        + record(0x03, 0xC0, 8, aes_plain(m))
        + record(0x03, 0xC0, 0, aes_plain(m))
    )
    c.add("fuzz_session_open", "s%d-rec-raw" % suite, bytes([mode]) + recs)
    # Regression: a sequence number exactly 2^31 ahead was accepted as newer
    # by seqwin_check but recorded as older by seqwin_commit (shift by 2^31,
    # UB; then the same packet could be replayed again and again).
    recs = record(0, 0, 5, m) + record(0, 0, 5 + 0x80000000, m) + record(0, 0, 5 + 0x80000000, m)
    c.add("fuzz_session_open", "s%d-regress-seqwin-2p31" % suite, bytes([mode]) + recs)


def setup_payloads(c, suite, pkts):
    by = {p.pt: p for p in pkts if p.kind == "setup"}
    c.add("fuzz_open_session_rsp", "s%d-open-rsp" % suite, by[RAKP_OPEN_RSP].payload)
    c.add("fuzz_rakp2", "s%d-rakp2" % suite, by[RAKP2].payload)
    c.add("fuzz_rakp4", "s%d-rakp4" % suite, by[RAKP4].payload)
    for pt in (RAKP_OPEN_REQ, RAKP1, RAKP3):
        c.add("fuzz_server", "s%d-%s" % (suite, by[pt].name), by[pt].b)
    if suite == 3:
        sid = struct.pack("<I", 0xA0A2A3A4)
        c.add("fuzz_open_session_rsp", "refused-short", bytes([0, 0x01]))
        c.add("fuzz_open_session_rsp", "refused-sid", bytes([0, 0x12, 4, 0]) + sid)
        # The algorithms downgraded to integrity none.
        p = bytearray(by[RAKP_OPEN_RSP].payload)
        p[12 + 8 + 4] = 0
        c.add("fuzz_open_session_rsp", "downgrade", bytes(p))
        c.add("fuzz_rakp2", "refused-short", bytes([0, 0x0D]))
        c.add("fuzz_rakp2", "refused-sid", bytes([0, 0x0D, 0, 0]) + sid)
        c.add("fuzz_rakp4", "refused-sid", bytes([0, 0x0F, 0, 0]) + sid)


def messages(c, suite, pkts):
    for p in pkts:
        if p.kind == "v15":
            c.add("fuzz_ipmimsg", "s%d-%s" % (suite, p.name), p.v15_msg())
            c.add("fuzz_authcaps", "s%d-%s" % (suite, p.name), p.b)
            if p.to_bmc:
                c.add("fuzz_server", "s%d-%s" % (suite, p.name), p.b)
        elif p.kind == "session":
            c.add("fuzz_ipmimsg", "s%d-%s" % (suite, p.name), p.msg)
    # Each response, with the netFn/cmd of the request it answers.
    for req, rsp in zip(pkts, pkts[1:]):
        if req.kind == "session" and req.to_bmc and rsp.kind == "session":
            netfn, cmd = req.msg[1] >> 2, req.msg[5]
            c.add("fuzz_bridge", "s%d-%s" % (suite, rsp.name), bytes([netfn, cmd]) + rsp.msg)


def bridge(c):
    devid = bytes.fromhex("0020010123029fd97e0053420000000001")  # cc 00 + Get Device ID data
    target = ipmimsg(0x81, 0x07, 0x72, 5, 0x01, devid)
    via_transit = ipmimsg(0x20, 0x07, 0x72, 5, 0x01, devid)
    mid = ipmimsg(0x81, 0x07, 0x84, 5, 0x34, b"\x00" + via_transit)
    cases = {
        "single-embedded": ipmimsg(0x81, 0x07, 0x20, 5, 0x34, b"\x00" + target),
        "double-embedded": ipmimsg(0x81, 0x07, 0x20, 5, 0x34, b"\x00" + mid),
        "pending": ipmimsg(0x81, 0x07, 0x20, 5, 0x34, b"\x00"),
        "nak": ipmimsg(0x81, 0x07, 0x20, 5, 0x34, b"\x83"),
        "separate": target,
        "inner-bad-checksum": ipmimsg(0x81, 0x07, 0x20, 5, 0x34, b"\x00" + target[:-1] + b"\x00"),
    }
    for name, m in cases.items():
        c.add("fuzz_bridge", name, bytes([0x06, 0x01]) + m)
    # Bridging Send Message itself: the outer answer is final.
    c.add("fuzz_bridge", "sendmsg-of-sendmsg", bytes([0x06, 0x34]) + cases["single-embedded"])


def ciphers(c):
    recs = bytes.fromhex(
        "c0 00 00 40 80"
        "c0 01 01 40 80"
        "c0 02 01 41 80"
        "c0 03 01 41 81"
        "c0 11 03 44 81"
        "c1 80 a2 02 00 01 41 81".replace(" ", "")
    )
    pieces = [recs[i : i + 16] for i in range(0, len(recs), 16)]
    if len(pieces[-1]) == 16:
        pieces.append(b"")
    # A run of Get Channel Cipher Suites response data: channel + <= 16 bytes.
    c.add("fuzz_authcaps", "ciphers-chunks", b"".join(b"\x01" + p for p in pieces))
    for i, p in enumerate(pieces):
        m = ipmimsg(0x81, 0x07, 0x20, 2, 0x54, b"\x00\x01" + p)
        c.add("fuzz_authcaps", "ciphers-rsp-%d" % i, lan15(m))
    m = ipmimsg(0x81, 0x07, 0x20, 1, 0x38, bytes.fromhex("00 01 16 04 00 00 00 00 00".replace(" ", "")))
    c.add("fuzz_authcaps", "authcaps-v15-only", lan15(m))


def asf(c):
    iana = struct.pack(">I", 4542)
    ping = bytes([6, 0, 0xFF, 6]) + iana + bytes([0x80, 0x11, 0, 0])
    pong_body = iana + bytes(4) + bytes([0x81, 0]) + bytes(6)
    pong = bytes([6, 0, 0xFF, 6]) + iana + bytes([0x40, 0x11, 0, len(pong_body)]) + pong_body
    c.add("fuzz_server", "asf-ping", ping)
    c.add("fuzz_server", "asf-pong", pong)


def hsclient(c, suite, pkts):
    idx = SUITES[suite]
    from_bmc = [p for p in pkts if not p.to_bmc]

    def patched(p):
        b = bytearray(p.b)
        if p.kind == "v15":
            # rqSeq 63 (the rqSeq byte the harness sets), checksum 2 again.
            off = 14
            mlen = b[13]
            b[off + 4] = 63 << 2 | (b[off + 4] & 3)
            b[off + mlen - 1] = checksum(b[off + 3 : off + mlen - 1])
        elif p.kind == "setup" and p.pt == RAKP2:
            b[16] = 1  # hsclient's RAKP1 tag (not covered by the RAKP2 HMAC)
        elif p.kind == "setup" and p.pt == RAKP4:
            b[16] = 2  # hsclient's RAKP3 tag (not covered by the ICV)
        return bytes(b)

    def chunks(ps, fix):
        return b"".join(bytes([len(x)]) + x for x in ((patched(p) if fix else p.b) for p in ps))

    setup_on = [p for p in from_bmc if p.kind != "v15"]
    c.add("fuzz_hsclient", "s%d-full" % suite, bytes([idx, 63]) + chunks(from_bmc, True))
    c.add("fuzz_hsclient", "s%d-skip-authcaps" % suite, bytes([idx | 2, 0]) + chunks(setup_on, True))
    c.add("fuzz_hsclient", "s%d-as-captured" % suite, bytes([idx, 1]) + chunks(from_bmc, False))
    # Privilege USER: role 12h, so the captured RAKP2 code no longer verifies.
    c.add("fuzz_hsclient", "s%d-user-rakp2-mismatch" % suite, bytes([idx | 2 | 2 << 3, 0]) + chunks(setup_on, True))
    # Duplicates and a refusal in the middle.
    dup = setup_on[:2] + setup_on[:2]
    c.add("fuzz_hsclient", "s%d-dups" % suite, bytes([idx | 2, 0]) + chunks(dup, True))
    if suite == 3:
        refused = lanplus_setup(RAKP2, bytes([1, 0x0D]))
        c.add(
            "fuzz_hsclient",
            "rakp2-refused",
            bytes([2, 0]) + chunks(setup_on[:1], True) + bytes([len(refused)]) + refused,
        )


def lanplus_setup(pt, payload):
    return bytes([6, 0, 0xFF, 7, 6, pt]) + bytes(8) + struct.pack("<H", len(payload)) + payload


def emu_commands(name):
    """The commands of an ipmi_sim .emu file: token lists, continuations joined."""
    cmds, cur = [], []
    with open(os.path.join(BMCSIM, name)) as f:
        for line in f:
            line = line.split("#", 1)[0].rstrip()
            cont = line.endswith("\\")
            cur += line.rstrip("\\").split()
            if not cont and cur:
                cmds.append(cur)
                cur = []
    return cmds


def fru_area(fixed, fields):
    """A FRU info area: version, length, fixed bytes, T/L fields, C1h, pad, checksum."""
    b = [0x01, 0x00] + list(fixed)
    for t, v in fields:
        b += [t | len(v)] + list(v)
    b.append(0xC1)
    while (len(b) + 1) % 8:
        b.append(0)
    b[1] = (len(b) + 1) // 8
    return bytes(b + [checksum(b)])


def records(c):
    """SDR records, SEL records and the FRU image of the bmcsim fixture."""
    sdrs, fru, sels = [], None, []
    for cmd in emu_commands("bmc.emu"):
        if cmd[0] == "main_sdr_add":
            sdrs.append(bytes(int(x, 0) for x in cmd[2:]))
        elif cmd[0] == "mc_add_fru_data":
            fru = bytes(int(x, 0) for x in cmd[5:])
    for cmd in emu_commands("sel-seed.emu"):
        if cmd[0] == "sel_add":
            sels.append(bytes(int(x, 0) for x in cmd[2:]))
    # fuzz_sdr: each record (with the id ipmi_sim assigns), assembler runs
    # (first byte = chunk size), Get SDR / Repository Info answers.
    for i, rec in enumerate(sdrs):
        rec = bytes([i + 1, 0]) + rec[2:]
        c.add("fuzz_sdr", "rec-%02d-type%02x" % (i + 1, rec[3]), rec)
        if i in (0, 8, 11, 12):
            c.add("fuzz_sdr", "asm16-%02d" % (i + 1), bytes([16]) + rec)
            c.add("fuzz_sdr", "asm1-%02d" % (i + 1), bytes([1]) + rec)
    c.add("fuzz_sdr", "get-sdr-header", bytes.fromhex("02000100510133"))
    c.add("fuzz_sdr", "repo-info", bytes.fromhex("510e00feff8406000000000000" "02"))
    c.add("fuzz_sdr", "reserve", bytes.fromhex("0800"))
    event_only = bytes.fromhex("20 01 42 1e 02 12 6f 52 8a 00 99 42 12 b3".replace(" ", ""))
    c.add("fuzz_sdr", "event-only-bcd", bytes([0x34, 0x12, 0x51, 0x03, len(event_only)]) + event_only)
    compact = bytes.fromhex("413210078500000d080102030004 00c00000 9fa5 0000000000 778329dca6".replace(" ", ""))
    c.add("fuzz_sdr", "compact-ascii6", bytes([0x34, 0x12, 0x51, 0x02, len(compact)]) + compact)
    # fuzz_sel: Get SEL Entry answers and bare records (timestamp 1668 as on the fixture).
    for i, b in enumerate(sels):
        rec = bytes([i + 1, 0]) + b
        if b[0] < 0xE0:
            rec = rec[:3] + struct.pack("<I", 1668) + rec[7:]
        nxt = struct.pack("<H", i + 2 if i + 1 < len(sels) else 0xFFFF)
        c.add("fuzz_sel", "entry-%02d" % (i + 1), nxt + rec)
        c.add("fuzz_sel", "rec-%02d" % (i + 1), rec)
    c.add("fuzz_sel", "oem-ts", bytes.fromhex("3412c500000060d97e00010203040506"))
    c.add("fuzz_sel", "fw-progress", bytes.fromhex("0100 02 00000000 2000 04 0f 00 6f c2 13 00".replace(" ", "")))
    c.add("fuzz_sel", "info", bytes.fromhex("51 0700 103e 84060000 00000000 0a".replace(" ", "")))
    c.add("fuzz_sel", "clear-done", b"\x01")
    # fuzz_fru: the image, padded as read, one Read FRU Data answer, and a
    # hand-made board area with 6-bit ASCII, BCD plus, binary and Latin 1.
    c.add("fuzz_fru", "fixture", fru)
    c.add("fuzz_fru", "fixture-256", fru + bytes(256 - len(fru)))
    c.add("fuzz_fru", "read-answer", bytes([32]) + fru[:32])
    c.add("fuzz_fru", "info", bytes.fromhex("000100"))
    board = fru_area(b"\x19\x00\x00\x00", [(0x80, bytes.fromhex("29dca6")), (0x40, bytes.fromhex("12b3")),
                                            (0x00, bytes.fromhex("dead01")), (0xC0, b"Stra\xdfe"),
                                            (0xC0, b""), (0xC0, b"x0"), (0xC0, b"x1")])
    hdr = [0x01, 0, 0, 1, 0, 0, 0]
    c.add("fuzz_fru", "encodings", bytes(hdr + [checksum(hdr)]) + board)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
    if os.path.isdir(root):
        shutil.rmtree(root)
    c = Corpus(root)
    for suite in sorted(SUITES):
        pkts = load(suite)
        session_open(c, suite, pkts)
        setup_payloads(c, suite, pkts)
        messages(c, suite, pkts)
        hsclient(c, suite, pkts)
    bridge(c)
    ciphers(c)
    asf(c)
    records(c)
    for h in sorted(c.count):
        print("%-24s %3d files" % (h, c.count[h]))


if __name__ == "__main__":
    main()
