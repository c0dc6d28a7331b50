"""sel.info, sel.list, sel.clear, fru.info and fru.read against ipmi_sim,
field by field against ipmitool on the same simulator (sel info, sel list,
fru print 0), plus the per-BMC SEL cache: a warm sel.list costs one request
(Get SEL Info, counted by daemon.stats), an added record costs the re-read
of the last cached one plus the new ones, a deleted one a full walk, and
concurrent cold calls share one walk.  sel.clear is checked on each test's
own fleet; read-only clients cannot clear.  A FRU whose board area checksum
is broken (Write FRU Data) gives -32000 naming the area."""

import calendar
import os
import re
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SEED_ENTRIES = 7   # tests/bmcsim/README.md
DATA_INVALID = -32000

# Add SEL Entry (netFn Storage, 44h): a system event record, FAN1 (sensor 3)
# lower critical going low, as ipmi_sim stamps the id and time itself.
ADD_SEL_FAN = ['0x0a', '0x44', '0', '0', '2', '0', '0', '0', '0', '0x20', '0', '4',
               '4', '3', '1', '0x52', '0x08', '0x0a']
# ... and a voltage (sensor 5) upper non-critical going high deassertion.
ADD_SEL_VOLT = ['0x0a', '0x44', '0', '0', '2', '0', '0', '0', '0', '0x20', '0', '4',
                '2', '5', '0x81', '0x57', '0xd0', '0xcd']


def ipmitool(port, args):
    """ipmitool's stdout (UTC times), or raises."""
    cmd = [harness.IPMITOOL, '-I', 'lanplus', '-H', '127.0.0.1', '-p', str(port),
           '-U', 'admin', '-P', 'adminpass', '-L', 'ADMINISTRATOR', '-C', '3'] + list(args)
    env = dict(os.environ, TZ='UTC', LC_ALL='C')
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60, universal_newlines=True, env=env)
    if r.returncode != 0:
        raise AssertionError('%s failed (%d): %s' % (' '.join(cmd), r.returncode, r.stderr))
    return r.stdout


def labelled(text):
    """'Label : value' lines as [(label, value)] (values may repeat)."""
    out = []
    for line in text.splitlines():
        if ':' in line:
            k, v = line.split(':', 1)
            out.append((k.strip(), v.strip()))
    return out


def ipmitool_time(text):
    """ipmitool's sel info time: None ('Not Available'), raw seconds for a
    pre-init 'S+ [YY/DDD ]HH:MM:SS', else Unix time (printed in UTC)."""
    if text in ('Not Available', 'Unspecified'):
        return None
    m = re.match(r'^S\+ ?(?:(\d+)/(\d+) )?(\d+):(\d+):(\d+)$', text)
    if m:
        days = int(m.group(2)) - 1 if m.group(2) else 0
        return days * 86400 + int(m.group(3)) * 3600 + int(m.group(4)) * 60 + int(m.group(5))
    for fmt in ('%m/%d/%Y %H:%M:%S', '%m/%d/%y %H:%M:%S', '%c'):
        try:
            return calendar.timegm(time.strptime(text.replace(' UTC', ''), fmt))
        except ValueError:
            pass
    raise AssertionError('unknown ipmitool time %r' % text)


def iso_seconds(iso):
    return calendar.timegm(time.strptime(iso, '%Y-%m-%dT%H:%M:%SZ'))


def parse_sel_list(text):
    """ipmitool `sel list` rows as dicts."""
    rows = []
    for line in text.splitlines():
        f = [x.strip() for x in line.split('|')]
        if len(f) < 3 or not re.match(r'^[0-9a-f]+$', f[0]):
            continue
        row = {'id': int(f[0], 16)}
        if f[1].startswith('OEM record'):
            row['description'] = '%s | %s' % (f[1], ' | '.join(f[2:]))
            rows.append(row)
            continue
        if f[1] == 'Pre-Init':
            row['timestamp'] = int(f[2])
        else:
            row['timestamp'] = calendar.timegm(time.strptime(f[1] + ' ' + f[2],
                                                             '%m/%d/%Y %H:%M:%S'))
        m = re.match(r'^(.*?)(?: #0x([0-9a-f]{2}))?$', f[3])
        row['sensor_type'] = m.group(1)
        row['sensor_number'] = int(m.group(2), 16) if m.group(2) else 0
        row['description'] = f[4]
        row['direction'] = {'Asserted': 'assertion', 'Deasserted': 'deassertion'}[f[5]]
        rows.append(row)
    return rows


class SelFru(harness.DaemonTestCase):

    def setUp(self):
        super().setUp()
        self.sim = self.start_sim(1)
        self.port = self.sim.port(0)
        self.start_daemon([('sim0', self.bmc(self.port, cipher_suite=3))])
        self.wait_state('sim0', 'active')

    def need_ipmitool(self):
        if not harness.IPMITOOL or not os.access(harness.IPMITOOL, os.X_OK):
            self.skipTest('ipmitool not installed (Debian package ipmitool)')

    def requests(self):
        return self.client.result('daemon.stats')['requests']

    def counted(self, method, params):
        """(result, IPMI requests the call cost)."""
        before = self.requests()
        res = self.client.result(method, params)
        return res, self.requests() - before

    def sel_list(self, **kw):
        return self.client.result('sel.list', dict(bmc='sim0', **kw))['entries']

    def assert_matches_ipmitool(self, entries):
        ref = parse_sel_list(ipmitool(self.port, ['sel', 'list']))
        self.assertEqual([e['id'] for e in entries], [r['id'] for r in ref])
        for e, r in zip(entries, ref):
            self.assertEqual(e['description'], r['description'].rstrip(), e)
            if e['type'] == 'oem':
                self.assertIsNone(e['timestamp'])
                self.assertIsNone(e['direction'])
                continue
            self.assertEqual(e['type'], 'system')
            self.assertEqual(e['sensor_type'], r['sensor_type'], e)
            self.assertEqual(e['sensor_number'], r['sensor_number'], e)
            self.assertEqual(e['direction'], r['direction'], e)
            ts = e['timestamp']
            if isinstance(ts, str):
                self.assertEqual(iso_seconds(ts), r['timestamp'], e)
            else:
                self.assertLess(ts, 0x20000000)
                self.assertEqual(ts, r['timestamp'], e)

    # ---- sel.info ----

    def test_sel_info_matches_ipmitool(self):
        self.need_ipmitool()
        info = self.client.result('sel.info', {'bmc': 'sim0'})
        ref = dict(labelled(ipmitool(self.port, ['sel', 'info'])))
        self.assertEqual(info['version'], ref['Version'].split()[0])
        self.assertEqual(info['version'], '1.5')
        self.assertEqual(info['entries'], int(ref['Entries']))
        self.assertEqual(info['entries'], SEED_ENTRIES)
        self.assertEqual(info['free_space'], int(ref['Free Space'].split()[0]))
        self.assertEqual(info['overflow'], ref['Overflow'] == 'true')
        for key, label in (('last_add', 'Last Add Time'), ('last_erase', 'Last Del Time')):
            want = ipmitool_time(ref[label])
            if want is None:
                self.assertIsNone(info[key], key)
            else:
                self.assertEqual(iso_seconds(info[key]), want, key)
                self.assertEqual(info[key + '_raw'], want, key)
        self.assertEqual(sorted(info['supported']), ['delete', 'reserve'])

    # ---- sel.list ----

    def test_sel_list_matches_ipmitool(self):
        self.need_ipmitool()
        entries = self.sel_list()
        self.assertEqual(len(entries), SEED_ENTRIES)
        self.assert_matches_ipmitool(entries)
        # the fixture's records, decoded (README: generator 0020h, types, data)
        e = entries[0]
        self.assertEqual((e['generator'], e['sensor_type'], e['sensor_type_code'],
                          e['event_type'], e['record_type']),
                         ('0x0020', 'Temperature', 1, 1, 2))
        self.assertEqual(e['description'], 'Upper Critical going high')
        self.assertEqual(e['data'][2:], '5b5a')   # reading 91, threshold 90
        self.assertEqual(len(e['raw']), 32)
        self.assertEqual([x['sensor_type'] for x in entries[:6]],
                         ['Temperature', 'Temperature', 'Fan', 'Power Supply',
                          'Physical Security', 'Physical Security'])
        self.assertEqual(entries[3]['description'], 'Power Supply AC lost')
        self.assertEqual(entries[3]['event_type'], 0x6f)
        oem = entries[6]
        self.assertEqual(oem['type'], 'oem')
        self.assertEqual(oem['record_type'], 0xe0)
        self.assertEqual(bytes.fromhex(oem['data']), b'BMCSIM-OEM-01')
        for k in ('generator', 'sensor_type', 'sensor_number', 'event_type', 'direction'):
            self.assertIsNone(oem[k], k)
        # last N: the newest N, oldest first
        self.assertEqual(self.sel_list(last=2), entries[-2:])
        self.assertEqual(self.sel_list(last=100), entries)

    def test_sel_cache(self):
        self.need_ipmitool()
        cold, n = self.counted('sel.list', {'bmc': 'sim0'})
        self.assertEqual(n, 1 + SEED_ENTRIES)            # Get SEL Info + one per record
        warm, n = self.counted('sel.list', {'bmc': 'sim0'})
        self.assertEqual(n, 1)                           # Get SEL Info only
        self.assertEqual(warm, cold)
        # two records added: the last cached one is re-read, then the new ones
        ipmitool(self.port, ['raw'] + ADD_SEL_FAN)
        ipmitool(self.port, ['raw'] + ADD_SEL_VOLT)
        res, n = self.counted('sel.list', {'bmc': 'sim0'})
        self.assertEqual(n, 1 + 1 + 2)
        entries = res['entries']
        self.assertEqual(entries[:SEED_ENTRIES], cold['entries'])
        self.assertEqual(len(entries), SEED_ENTRIES + 2)
        self.assert_matches_ipmitool(entries)
        self.assertEqual((entries[-2]['sensor_type'], entries[-2]['sensor_number'],
                          entries[-2]['description'], entries[-2]['direction']),
                         ('Fan', 3, 'Lower Critical going low', 'assertion'))
        self.assertEqual((entries[-1]['sensor_type'], entries[-1]['sensor_number'],
                          entries[-1]['description'], entries[-1]['direction']),
                         ('Voltage', 5, 'Upper Non-critical going high', 'deassertion'))
        res2, n = self.counted('sel.list', {'bmc': 'sim0', 'last': 1})
        self.assertEqual(n, 1)
        self.assertEqual(res2['entries'], entries[-1:])
        # a deleted record: everything is read again
        ipmitool(self.port, ['sel', 'delete', '2'])
        res, n = self.counted('sel.list', {'bmc': 'sim0'})
        self.assertEqual([e['id'] for e in res['entries']],
                         [e['id'] for e in entries if e['id'] != 2])
        self.assertGreaterEqual(n, 1 + SEED_ENTRIES + 1)
        self.assert_matches_ipmitool(res['entries'])
        _, n = self.counted('sel.list', {'bmc': 'sim0'})
        self.assertEqual(n, 1)

    def test_concurrent_cold_calls_share_one_walk(self):
        before = self.requests()
        calls = [('sel.list', {'bmc': 'sim0'})] * 6
        rsps = self.client.pipeline(calls)
        cost = self.requests() - before
        results = [r['result'] for r in rsps]
        for r in results:
            self.assertEqual(r, results[0])
        self.assertEqual(len(results[0]['entries']), SEED_ENTRIES)
        self.assertEqual(cost, len(calls) + SEED_ENTRIES)   # one Get SEL Info each, one walk

    def test_clear_during_walks(self):
        # Cold walks with waiters, a clear in the middle of them, more walks:
        # every call is answered, and afterwards the SEL reads empty.
        calls = ([('sel.list', {'bmc': 'sim0'})] * 3 + [('sel.clear', {'bmc': 'sim0'})] +
                 [('sel.list', {'bmc': 'sim0'})] * 3)
        rsps = self.client.pipeline(calls)
        for (method, _), r in zip(calls, rsps):
            self.assertIn('result', r, (method, r))
            if method == 'sel.list':
                self.assertIn(len(r['result']['entries']), (0, SEED_ENTRIES), r)
        self.assertEqual(self.sel_list(), [])
        self.assertEqual(self.client.result('sel.info', {'bmc': 'sim0'})['entries'], 0)

    def fill_sel(self, count):
        """Adds count records through the daemon (Add SEL Entry, pipelined)."""
        data = [int(x, 0) for x in ADD_SEL_FAN[2:]]
        rsps = self.client.pipeline([('ipmi.raw', {'bmc': 'sim0', 'netfn': 0x0a, 'cmd': 0x44,
                                                   'data': data})] * count, timeout=120)
        for r in rsps:
            self.assertEqual(r['result']['completion_code'], 0, r)

    def start_walks(self, n):
        """n sel.list calls on a cold cache, sent at once; their ids."""
        return [self.client.request('sel.list', {'bmc': 'sim0'}) for _ in range(n)]

    def test_bmc_removed_during_walk(self):
        # The walker's requests fail with the BMC; its waiters are answered too.
        self.fill_sel(400)
        ids = self.start_walks(4)
        time.sleep(0.05)
        with self.daemon.client() as other:
            self.assertEqual(other.result('bmc.remove', {'bmc': 'sim0'}), {})
        for rid in ids:
            r = self.client.wait_response(rid, timeout=30)
            if 'result' in r:
                self.assertEqual(len(r['result']['entries']), SEED_ENTRIES + 400)
            else:
                self.assertIn(r['error']['code'], (-32001, -32002, -32005), r)
        self.assertEqual(self.client.error('sel.list', {'bmc': 'sim0'})['code'], -32001)

    def test_bmc_silent_during_walk(self):
        # The BMC stops answering mid-walk (SIGSTOP): the walker's request
        # fails after its retries, its waiters fail with it, nothing hangs;
        # once the BMC answers again the next call reads the SEL.
        self.fill_sel(400)
        pids = self.sim.pids()
        self.assertEqual(len(pids), 1)
        self.addCleanup(os.kill, pids[0], signal.SIGCONT)
        ids = self.start_walks(3)
        time.sleep(0.02)
        os.kill(pids[0], signal.SIGSTOP)
        try:
            for rid in ids:
                r = self.client.wait_response(rid, timeout=60)
                if 'result' in r:
                    self.assertEqual(len(r['result']['entries']), SEED_ENTRIES + 400)
                else:
                    self.assertIn(r['error']['code'], (-32002, -32005), r)
        finally:
            os.kill(pids[0], signal.SIGCONT)
        self.wait_state('sim0', 'active', timeout=60)
        self.assertEqual(len(self.sel_list()), SEED_ENTRIES + 400)

    # ---- sel.clear ----

    def test_sel_clear(self):
        self.assertEqual(len(self.sel_list()), SEED_ENTRIES)   # warm the cache
        self.assertEqual(self.client.result('sel.clear', {'bmc': 'sim0'}), {})
        info = self.client.result('sel.info', {'bmc': 'sim0'})
        self.assertEqual(info['entries'], 0)
        self.assertIsNotNone(info['last_erase'])
        self.assertEqual(self.sel_list(), [])
        if harness.IPMITOOL and os.access(harness.IPMITOOL, os.X_OK):
            ref = dict(labelled(ipmitool(self.port, ['sel', 'info'])))
            self.assertEqual(int(ref['Entries']), 0)
            self.assertEqual(ipmitool_time(ref['Last Del Time']), info['last_erase_raw'])
            # the next record is picked up (the cache knows the SEL is empty)
            ipmitool(self.port, ['raw'] + ADD_SEL_FAN)
            entries = self.sel_list()
            self.assertEqual(len(entries), 1)
            self.assert_matches_ipmitool(entries)

    # ---- fru ----

    def test_fru_matches_ipmitool(self):
        self.need_ipmitool()
        self.assertEqual(self.client.result('fru.info', {'bmc': 'sim0'}),
                         {'size': 256, 'access': 'bytes'})
        self.assertEqual(self.client.result('fru.info', {'bmc': 'sim0', 'id': 0}),
                         {'size': 256, 'access': 'bytes'})
        fru = self.client.result('fru.read', {'bmc': 'sim0'})
        self.assertEqual(sorted(fru), ['board', 'chassis', 'product'])
        got = []
        c, b, p = fru['chassis'], fru['board'], fru['product']
        got += [('Chassis Type', c['type']), ('Chassis Part Number', c['part_number']),
                ('Chassis Serial', c['serial'])]
        got += [('Chassis Extra', x) for x in c['extra']]
        got += [('Board Mfg Date', b['mfg_date']), ('Board Mfg', b['manufacturer']),
                ('Board Product', b['product']), ('Board Serial', b['serial']),
                ('Board Part Number', b['part_number'])]
        got += [('Board Extra', x) for x in b['extra']]
        got += [('Product Manufacturer', p['manufacturer']), ('Product Name', p['name']),
                ('Product Part Number', p['part_number']), ('Product Version', p['version']),
                ('Product Serial', p['serial']), ('Product Asset Tag', p['asset_tag'])]
        got += [('Product Extra', x) for x in p['extra']]
        ref = [(k, v) for k, v in labelled(ipmitool(self.port, ['fru', 'print', '0']))
               if k != 'FRU Device Description']
        ref = [(k, time.strftime('%Y-%m-%dT%H:%M:%SZ', time.strptime(
                   v.replace(' UTC', ''), '%a %b %d %H:%M:%S %Y')) if k == 'Board Mfg Date' else v)
               for k, v in ref]
        self.assertEqual(got, ref)
        # README's contents, and what ipmitool does not print
        self.assertEqual((c['type'], c['type_code'], c['part_number'], c['serial']),
                         ('Rack Mount Chassis', 0x17, 'CHS-1000-01', 'CSN-0001'))
        self.assertEqual(b['mfg_date'], '2024-01-15T12:00:00Z')
        self.assertEqual(b['fru_file_id'], 'bmcsim.fru')
        self.assertEqual(p['fru_file_id'], 'bmcsim.fru')
        self.assertEqual(p['asset_tag'], 'ASSET-0001')

    def test_fru_bad_checksum_names_the_area(self):
        # The board area starts at 8 * header[3]; flip a character of its manufacturer.
        hdr = self.raw('sim0', 0x0a, 0x11, data=[0, 0, 0, 8])
        self.assertEqual(hdr['completion_code'], 0)
        board = bytes.fromhex(hdr['data'])[1 + 3] * 8
        off = board + 7               # version, length, language, date (3), T/L: 1st character
        old = bytes.fromhex(self.raw('sim0', 0x0a, 0x11, data=[0, off, 0, 1])['data'])[1]
        w = self.raw('sim0', 0x0a, 0x12, data=[0, off, 0, old ^ 0x01])
        self.assertEqual(w['completion_code'], 0, w)
        err = self.client.error('fru.read', {'bmc': 'sim0'})
        self.assertEqual(err['code'], DATA_INVALID, err)
        self.assertEqual(err['data']['area'], 'board')
        self.assertEqual(err['data']['reason'], 'checksum')
        self.assertEqual(err['data']['bmc'], 'sim0')
        self.assertIn('board', err['data']['detail'])
        # put it back: readable again
        self.raw('sim0', 0x0a, 0x12, data=[0, off, 0, old])
        self.assertEqual(self.client.result('fru.read', {'bmc': 'sim0'})['board']['manufacturer'],
                         'Acme Simulated')

    # ---- errors and fan-out ----

    def test_errors(self):
        err = self.client.error('fru.read', {'bmc': 'sim0', 'id': 7})
        self.assertEqual(err['code'], -32004, err)
        self.assertIn('Get FRU Inventory Area Info', err['data']['detail'])
        self.assertNotEqual(err['data']['completion_code'], 0)
        for method, params, param in [('sel.list', {'bmc': 'sim0', 'last': 0}, 'last'),
                                      ('sel.list', {'bmc': 'sim0', 'last': 'x'}, 'last'),
                                      ('fru.info', {'bmc': 'sim0', 'id': 256}, 'id'),
                                      ('fru.read', {'bmc': 'sim0', 'id': -1}, 'id')]:
            err = self.client.error(method, params)
            self.assertEqual(err['code'], -32602, (method, params, err))
            self.assertEqual(err['data'].get('param'), param, err)
        for method in ('sel.info', 'sel.list', 'sel.clear', 'fru.info', 'fru.read'):
            self.assertEqual(self.client.error(method, {'bmc': 'nope'})['code'], -32001)

    def test_fan_out(self):
        res = self.client.result('sel.info', {'bmcs': ['sim*']})
        self.assertEqual(res['results']['sim0']['entries'], SEED_ENTRIES)
        res = self.client.result('fru.read', {'bmcs': ['sim0']})
        self.assertEqual(res['results']['sim0']['product']['name'], 'BMCSIM Server')


class SelReadOnly(harness.DaemonTestCase):

    def test_readonly_client_cannot_clear(self):
        sim = self.start_sim(1)
        self.start_daemon([('sim0', self.bmc(sim.port(0), cipher_suite=3))],
                          daemon={'readonly_uids': str(os.getuid())})
        self.wait_state('sim0', 'active')
        err = self.client.error('sel.clear', {'bmc': 'sim0'})
        self.assertEqual(err['code'], -32007, err)
        self.assertEqual(len(self.client.result('sel.list', {'bmc': 'sim0'})['entries']),
                         SEED_ENTRIES)
        self.assertEqual(self.client.result('sel.info', {'bmc': 'sim0'})['entries'], SEED_ENTRIES)


if __name__ == '__main__':
    harness.main()
