"""The decoded methods against ipmi_sim, checked field by field against
ipmitool on the same simulator: mc.info (direct and bridged to the MC at
IPMB 0x30), chassis.status (every line of `chassis status`), chassis.power
(on/off/cycle/reset/soft, seen by ipmitool and in the fixture's chassis.log),
chassis.bootdev (seen by `chassis bootparam get 5`), sdr.info, sdr.list
(`sdr list` and `sensor` list), sensor.read, the warm SDR cache's request
count, and sdr.list fanned out over a fleet."""

import os
import subprocess
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import wait_for  # noqa: E402

# mc.info's additional_support names -> ipmitool's words (`mc info`).
SUPPORT_WORDS = {
    'sensor': 'Sensor Device',
    'sdr_repository': 'SDR Repository Device',
    'sel': 'SEL Device',
    'fru_inventory': 'FRU Inventory Device',
    'ipmb_event_receiver': 'IPMB Event Receiver',
    'ipmb_event_generator': 'IPMB Event Generator',
    'bridge': 'Bridge',
    'chassis': 'Chassis Device',
}

# chassis.status last_power_event names -> ipmitool's words.
EVENT_WORDS = {'ac_failed': 'ac-failed', 'overload': 'overload', 'interlock': 'interlock',
               'fault': 'fault', 'command': 'command'}

TF = {'true': True, 'false': False}
ACTIVE = {'active': True, 'inactive': False}
# `ipmitool chassis status` label -> (chassis.status key, word map or None for text)
CHASSIS_LINES = {
    'System Power': ('power_on', {'on': True, 'off': False}),
    'Power Overload': ('power_overload', TF),
    'Power Interlock': ('power_interlock', ACTIVE),
    'Main Power Fault': ('power_fault', TF),
    'Power Control Fault': ('power_control_fault', TF),
    'Power Restore Policy': ('power_restore_policy', None),
    'Last Power Event': ('last_power_event', 'events'),
    'Chassis Intrusion': ('intrusion', ACTIVE),
    'Front-Panel Lockout': ('front_panel_lockout', ACTIVE),
    'Drive Fault': ('drive_fault', TF),
    'Cooling/Fan Fault': ('cooling_fault', TF),
}

# `ipmitool sensor` threshold columns, in order, and sdr.list's keys for them.
THRESHOLD_COLUMNS = ('lnr', 'lcr', 'lnc', 'unc', 'ucr', 'unr')

# chassis.bootdev device -> ipmitool's "Boot Device Selector" text.
BOOT_SELECTOR = {
    'none': 'No override',
    'pxe': 'Force PXE',
    'disk': 'Force Boot from default Hard-Drive',
    'cdrom': 'Force Boot from CD/DVD',
    'bios': 'Force Boot into BIOS Setup',
}

# The fixture's sensors as `ipmitool sdr list` orders them (tests/bmcsim/README.md).
FIXTURE_SENSORS = ['CPU Temp', 'Inlet Temp', 'FAN1', 'FAN2', '12V', '3V3', 'Sys Power',
                   'SAT Temp', 'PSU1 Status', 'Intrusion', 'CPU Status']


def have_ipmitool():
    return bool(harness.IPMITOOL) and os.access(harness.IPMITOOL, os.X_OK)


def ipmitool(port, *args, bridge=False):
    """ipmitool's stdout (lanplus, admin, suite 3), or AssertionError."""
    cmd = [harness.IPMITOOL, '-I', 'lanplus', '-H', '127.0.0.1', '-p', str(port),
           '-U', 'admin', '-P', 'adminpass', '-L', 'ADMINISTRATOR', '-C', '3']
    if bridge:
        cmd += ['-b', '0', '-t', '0x30']
    cmd += [str(a) for a in args]
    env = dict(os.environ, TZ='UTC', LC_ALL='C')
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60 * harness.SLOW,
                       universal_newlines=True, env=env)
    if r.returncode != 0:
        raise AssertionError('%s failed (%d): %s%s' % (' '.join(cmd[11:]), r.returncode,
                                                       r.stdout, r.stderr))
    return r.stdout


def parse_kv(text):
    """"Label : value" lines; a label with an empty value followed by indented
    lines becomes a list of those lines."""
    out = {}
    cur = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if line[0] in ' \t' and cur is not None and ':' not in line:
            out[cur].append(line.strip())
            continue
        key, sep, val = line.partition(':')
        if not sep:
            continue
        key, val = key.strip(), val.strip()
        if val == '':
            out[key] = []
            cur = key
        else:
            out[key] = val
            cur = None
    return out


def table(text):
    """`|`-separated rows, cells stripped."""
    return [[c.strip() for c in line.split('|')] for line in text.splitlines()
            if '|' in line]


def fmt3(v):
    return '%.3f' % v


class Decoded(harness.DaemonTestCase):
    """One ipmi_sim instance (sim0) behind the daemon."""

    def setUp(self):
        super().setUp()
        self.sim = self.start_sim(1)
        self.port = self.sim.port(0)
        self.start_daemon([('sim0', self.bmc(self.port, cipher_suite=3))])
        self.wait_state('sim0', 'active')

    def need_ipmitool(self):
        if not have_ipmitool():
            self.skipTest('ipmitool not installed (Debian package ipmitool)')

    def call(self, method, **params):
        params.setdefault('bmc', 'sim0')
        return self.client.result(method, params, timeout=30)

    def error(self, method, **params):
        params.setdefault('bmc', 'sim0')
        return self.client.error(method, params, timeout=30)

    def tool(self, *args, **kw):
        return ipmitool(self.port, *args, **kw)

    # ------------------------------------------------------------ mc.info --
    def check_mc_info(self, got, text):
        ref = parse_kv(text)
        self.assertEqual(got['device_id'], int(ref['Device ID']))
        self.assertEqual(got['device_revision'], int(ref['Device Revision']))
        self.assertEqual(got['firmware_revision'], ref['Firmware Revision'])
        self.assertEqual(got['ipmi_version'], ref['IPMI Version'])
        self.assertEqual(got['manufacturer_id'], int(ref['Manufacturer ID']))
        self.assertEqual(got['product_id'], int(ref['Product ID'].split()[0]))
        self.assertEqual(got['device_available'], ref['Device Available'] == 'yes')
        self.assertEqual(got['provides_device_sdrs'], ref['Provides Device SDRs'] == 'yes')
        self.assertEqual([SUPPORT_WORDS.get(n, n) for n in got['additional_support']],
                         ref['Additional Device Support'])
        aux = ref.get('Aux Firmware Rev Info')
        if aux:
            self.assertEqual(got['aux_firmware_revision'],
                             ''.join(a[2:] for a in aux).lower())
        else:
            self.assertIsNone(got.get('aux_firmware_revision'))

    def test_mc_info_matches_ipmitool(self):
        self.need_ipmitool()
        got = self.call('mc.info')
        self.check_mc_info(got, self.tool('mc', 'info'))
        self.assertEqual((got['device_id'], got['firmware_revision'], got['ipmi_version'],
                          got['manufacturer_id'], got['product_id']),
                         (32, '1.23', '2.0', 32473, 0x4253))

    def test_bridged_mc_info_matches_ipmitool(self):
        self.need_ipmitool()
        got = self.call('mc.info', bridge={'channel': 0, 'address': 48})
        self.check_mc_info(got, self.tool('mc', 'info', bridge=True))
        self.assertEqual((got['device_id'], got['firmware_revision'], got['product_id']),
                         (48, '3.45', 0x30))
        # the BMC itself still answers as itself afterwards
        self.assertEqual(self.call('mc.info')['device_id'], 32)

    # ----------------------------------------------------------- chassis --
    def check_chassis_status(self):
        """chassis.status against every line of `ipmitool chassis status`."""
        got = self.call('chassis.status')
        ref = parse_kv(self.tool('chassis', 'status'))
        unknown = sorted(set(ref) - set(CHASSIS_LINES))
        self.assertEqual(unknown, [], 'ipmitool lines with no chassis.status field')
        missing = sorted(set(CHASSIS_LINES) - set(ref))
        self.assertEqual(missing, [], 'lines ipmitool did not print')
        for label, (key, words) in CHASSIS_LINES.items():
            want = ref[label]
            if words == 'events':
                words_got = [EVENT_WORDS.get(e, e) for e in got[key]]
                self.assertEqual(words_got, want.split() if want else [], label)
            elif words is None:
                self.assertEqual(got[key], want, label)
            else:
                self.assertIn(want, words, label)
                self.assertEqual(got[key], words[want], '%s: ipmitool says %r'
                                 % (label, want))
        return got

    def chassis_log(self):
        path = os.path.join(self.sim.dir, 'bmc0', 'chassis.log')
        try:
            with open(path) as f:
                return [line.split()[1:] for line in f if line.strip()]
        except FileNotFoundError:
            return []

    def power_is(self, on):
        st = self.call('chassis.status')
        self.assertEqual(st['power_on'], on)
        self.assertEqual(self.tool('chassis', 'power', 'status').strip(),
                         'Chassis Power is %s' % ('on' if on else 'off'))

    def test_chassis_status_matches_ipmitool(self):
        self.need_ipmitool()
        self.assertTrue(self.check_chassis_status()['power_on'])

    def test_chassis_power(self):
        self.need_ipmitool()
        self.power_is(True)
        # off: ipmi_sim runs the chassis hook before it answers
        self.assertEqual(self.call('chassis.power', action='off'), {})
        self.power_is(False)
        self.assertFalse(self.check_chassis_status()['power_on'])
        self.assertEqual(self.chassis_log()[-1], ['power', '0'])
        # on
        self.assertEqual(self.call('chassis.power', action='on'), {})
        self.power_is(True)
        self.assertEqual(self.chassis_log()[-1], ['power', '1'])
        # cycle: off now, on again ~1 s later (ipmi_sim's timer)
        n = len(self.chassis_log())
        self.assertEqual(self.call('chassis.power', action='cycle'), {})

        def cycled():
            return (self.chassis_log()[n:] == [['power', '0'], ['power', '1']]
                    and self.call('chassis.status')['power_on'])
        wait_for(cycled, 10, 'power cycle: off then on in chassis.log and power_on',
                 interval=0.1)
        self.power_is(True)
        # reset: logged, power unchanged
        self.assertEqual(self.call('chassis.power', action='reset'), {})
        self.assertEqual(self.chassis_log()[-1], ['reset', '1'])
        self.power_is(True)
        # soft: the fixture emulates it as off
        self.assertEqual(self.call('chassis.power', action='soft'), {})
        self.assertEqual(self.chassis_log()[-1], ['shutdown', '1'])
        self.power_is(False)
        self.assertEqual(self.call('chassis.power', action='on'), {})
        self.power_is(True)
        # diag is not emulated: ipmi_sim answers CCh, a -32004 error
        e = self.error('chassis.power', action='diag')
        self.assertEqual(e['code'], -32004, e)
        self.assertEqual(e['data'].get('completion_code'), 0xcc, e)
        e = self.error('chassis.power', action='sideways')
        self.assertEqual(e['code'], -32602, e)

    def bootparam(self):
        """(data hex, selector, valid flag shown, persistent, efi) from ipmitool."""
        text = self.tool('chassis', 'bootparam', 'get', '5')
        data = selector = None
        for line in text.splitlines():
            s = line.strip()
            if s.startswith('Boot parameter data:'):
                data = s.split(':', 1)[1].strip()
            elif s.startswith('- Boot Device Selector :'):
                selector = s.split(':', 1)[1].strip()
        return {'data': data, 'selector': selector,
                'invalid': '- Boot Flag Invalid' in text,
                'persistent': 'Options apply to all future boots' in text,
                'efi': 'BIOS EFI boot' in text}

    def test_bootdev_matches_ipmitool(self):
        self.need_ipmitool()
        variants = [
            ('pxe', {}), ('disk', {}), ('cdrom', {}), ('bios', {}), ('none', {}),
            ('pxe', {'persistent': True}), ('disk', {'efi': True}),
            ('pxe', {'persistent': True, 'efi': True}), ('disk', {}),
        ]
        for dev, opts in variants:
            with self.subTest(device=dev, **opts):
                self.assertEqual(self.call('chassis.bootdev', device=dev, **opts), {})
                got = self.bootparam()
                self.assertEqual(got['selector'], BOOT_SELECTOR[dev], got)
                # ipmi_sim keeps the device only and always reads the valid bit as 0
                self.assertTrue(got['invalid'], got)
                if dev == 'pxe':
                    self.assertEqual(self.chassis_log()[-1], ['boot', 'pxe'])
                # ipmitool's own request with the same options reads back the same
                ipmi_opts = [o for o, k in (('persistent', 'persistent'), ('efiboot', 'efi'))
                             if opts.get(k)]
                args = ['chassis', 'bootdev', dev]
                if ipmi_opts:
                    args.append('options=' + ','.join(ipmi_opts))
                self.tool(*args)
                self.assertEqual(self.bootparam(), got)
        # devices the fixture does not emulate: its hook fails, ipmi_sim answers FFh
        for dev in ('floppy', 'safe', 'diag'):
            with self.subTest(device=dev):
                e = self.error('chassis.bootdev', device=dev)
                self.assertEqual(e['code'], -32004, e)
                self.assertEqual(e['data'].get('completion_code'), 255, e)
                self.assertEqual(e['data'].get('bmc'), 'sim0', e)
        for params, param in [({'device': 'usb'}, 'device'),
                              ({'device': 'pxe', 'persistent': 'yes'}, 'persistent'),
                              ({'device': 'pxe', 'efi': 1}, 'efi')]:
            e = self.error('chassis.bootdev', **params)
            self.assertEqual(e['code'], -32602, (params, e))
        # the last good setting is still in place
        self.assertEqual(self.bootparam()['selector'], BOOT_SELECTOR['disk'])

    # --------------------------------------------------------------- SDR --
    def test_sdr_list_matches_ipmitool(self):
        self.need_ipmitool()
        sensors = self.call('sdr.list')['sensors']
        ref = table(self.tool('sdr', 'list'))
        self.assertEqual([s['name'] for s in sensors], [r[0] for r in ref])
        self.assertEqual([s['name'] for s in sensors], FIXTURE_SENSORS)
        for s, r in zip(sensors, ref):
            with self.subTest(sensor=s['name']):
                self.assertEqual(s['text'], r[1])
                self.assertEqual(s['status'], r[2])
                self.assertTrue(s['available'])

    def test_sensor_list_matches_ipmitool(self):
        self.need_ipmitool()
        sensors = self.call('sdr.list')['sensors']
        ref = table(self.tool('sensor', 'list'))
        self.assertEqual([s['name'] for s in sensors], [r[0] for r in ref])
        for s, r in zip(sensors, ref):
            with self.subTest(sensor=s['name']):
                name, value, unit, status = r[:4]
                ths = dict(zip(THRESHOLD_COLUMNS, r[4:10]))
                if unit == 'discrete':
                    self.assertIsNone(s['value'])
                    self.assertIsNone(s['unit'])
                    state = int(s['state'], 16)
                    # ipmitool: value = state bits 0-7, status = data2 data3 bytes
                    self.assertEqual(int(value, 16), state & 0xff)
                    st = int(status, 16)
                    self.assertEqual(((st & 0xff) << 8) | (st >> 8), state)
                    self.assertNotIn('thresholds', s)
                    self.assertEqual(set(ths.values()), {'na'})
                    continue
                self.assertEqual(fmt3(s['value']), value)
                self.assertEqual(s['unit'], unit)
                self.assertEqual(s['status'], status)
                got_th = s.get('thresholds', {})
                self.assertEqual(sorted(got_th), sorted(k for k, v in ths.items() if v != 'na'))
                for k, v in got_th.items():
                    self.assertEqual(fmt3(v), ths[k], k)

    def test_sdr_info_matches_ipmitool(self):
        self.need_ipmitool()
        got = self.call('sdr.info')
        ref = parse_kv(self.tool('sdr', 'info'))
        b = int(ref['SDR Version'], 16)
        self.assertEqual(got['version'], '%d.%d' % (b & 0xf, b >> 4))
        self.assertEqual(got['record_count'], int(ref['Record Count']))
        self.assertEqual(got['record_count'], 14)
        free = ref['Free Space']
        if free == '> 64Kb - 2 bytes':
            self.assertEqual(got['free_space'], 0xfffe)
        elif free.endswith(' bytes'):
            self.assertEqual(got['free_space'], int(free.split()[0]))
        self.assertIsNone(got['last_erase'])
        self.assertEqual(ref['Most recent Erase'], 'NA')

    def test_sensor_read(self):
        self.need_ipmitool()
        rows = {(s['number'], s['owner']): s for s in self.call('sdr.list')['sensors']}
        ref = {r[0]: r for r in table(self.tool('sdr', 'list'))}
        # 12V on the BMC
        v = self.call('sensor.read', number=5)
        self.assertEqual(v, rows[(5, 0x20)])
        self.assertEqual((v['name'], fmt3(v['value']), v['unit'], v['status']),
                         ('12V', '11.963', 'Volts', 'ok'))
        self.assertEqual(v['text'], ref['12V'][1])
        raw = self.tool('raw', '4', '0x2d', '5').split()
        self.assertEqual(v['raw'], int(raw[0], 16))
        # SAT Temp: sensor 1 of the MC at 0x30, read through the BMC
        v = self.call('sensor.read', number=1, owner=48)
        self.assertEqual(v, rows[(1, 0x30)])
        self.assertEqual((v['name'], v['value'], v['unit'], v['owner']),
                         ('SAT Temp', 38, 'degrees C', 48))
        self.assertEqual(v['text'], ref['SAT Temp'][1])
        raw = self.tool('raw', '4', '0x2d', '1', bridge=True).split()
        self.assertEqual(v['raw'], int(raw[0], 16))
        # sensor 1 of the BMC is another one
        self.assertEqual(self.call('sensor.read', number=1)['name'], 'CPU Temp')
        # no SDR: invalid params
        for params in ({'number': 99}, {'number': 1, 'owner': 0x44}, {'number': 5, 'lun': 1},
                       {'number': 256}, {'number': 'x'}):
            e = self.error('sensor.read', **params)
            self.assertEqual(e['code'], -32602, (params, e))

    def test_warm_sdr_cache_request_count(self):
        cold = self.call('sdr.list')['sensors']
        self.assertEqual(len(cold), len(FIXTURE_SENSORS))
        before = self.client.result('daemon.stats')['requests']
        warm = self.call('sdr.list')['sensors']
        after = self.client.result('daemon.stats')['requests']
        self.assertEqual([s['name'] for s in warm], [s['name'] for s in cold])
        # Get SDR Repository Info + one Get Sensor Reading per sensor
        self.assertEqual(after - before, 1 + len(warm))
        # sensor.read on the warm cache: the same info + one reading
        before = after
        self.call('sensor.read', number=5)
        self.assertEqual(self.client.result('daemon.stats')['requests'] - before, 2)


class FanOut(harness.DaemonTestCase):

    def test_sdr_list_over_a_fleet(self):
        sim = self.start_sim(3)
        names = ['sim%d' % i for i in range(3)]
        self.start_daemon([(n, self.bmc(sim.port(i), cipher_suite=3))
                           for i, n in enumerate(names)])
        self.wait_all_active(names)
        res = self.client.result('sdr.list', {'bmcs': ['*']}, timeout=60)
        self.assertEqual(sorted(res['results']), names)
        for n in names:
            r = res['results'][n]
            self.assertNotIn('error', r, n)
            self.assertEqual([s['name'] for s in r['sensors']], FIXTURE_SENSORS, n)
            self.assertEqual([s['text'] for s in r['sensors']],
                             [s['text'] for s in res['results']['sim0']['sensors']], n)


if __name__ == '__main__':
    harness.main()
