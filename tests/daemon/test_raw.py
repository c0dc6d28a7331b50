"""ipmi.raw against ipmi_sim, checked byte for byte against ipmitool on the
same simulator: Get Device ID direct and bridged (channel 0, IPMB 0x30), the
two forms of "data" (hex string, byte array), and a non-zero completion code
as a result (not an error)."""

import os
import subprocess
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import GET_DEVICE_ID, SAT_DEVICE_ID  # noqa: E402


def ipmitool_raw(port, args, bridge=False):
    """ipmitool's response bytes as hex (no completion code), or raises."""
    cmd = [harness.IPMITOOL, '-I', 'lanplus', '-H', '127.0.0.1', '-p', str(port),
           '-U', 'admin', '-P', 'adminpass', '-L', 'ADMINISTRATOR', '-C', '3']
    if bridge:
        cmd += ['-b', '0', '-t', '0x30']
    cmd += ['raw'] + [str(a) for a in args]
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=30, universal_newlines=True)
    if r.returncode != 0:
        raise AssertionError('%s failed (%d): %s' % (' '.join(cmd), r.returncode, r.stderr))
    return ''.join(r.stdout.split()).lower()


class RawCommands(harness.DaemonTestCase):

    def setUp(self):
        super().setUp()
        self.sim = self.start_sim(1)
        self.start_daemon([('sim0', self.bmc(self.sim.port(0), cipher_suite=3))])
        self.wait_state('sim0', 'active')

    def need_ipmitool(self):
        if not harness.IPMITOOL or not os.access(harness.IPMITOOL, os.X_OK):
            self.skipTest('ipmitool not installed (Debian package ipmitool)')

    def test_get_device_id_matches_ipmitool(self):
        self.need_ipmitool()
        ref = ipmitool_raw(self.sim.port(0), [6, 1])
        self.assertEqual(ref, GET_DEVICE_ID)
        self.assertEqual(self.raw('sim0', 6, 1), {'completion_code': 0, 'data': ref})

    def test_bridged_matches_ipmitool(self):
        self.need_ipmitool()
        ref = ipmitool_raw(self.sim.port(0), [6, 1], bridge=True)
        self.assertEqual(ref, SAT_DEVICE_ID)
        r = self.raw('sim0', 6, 1, bridge={'channel': 0, 'address': 48})
        self.assertEqual(r, {'completion_code': 0, 'data': ref})
        # and the BMC itself still answers as itself afterwards
        self.assertEqual(self.raw('sim0', 6, 1)['data'], GET_DEVICE_ID)

    def test_data_forms(self):
        # Get Sensor Reading, sensor 1 (CPU Temp): raw 45 = 0x2d.
        by_hex = self.raw('sim0', 4, 0x2d, data='01')
        by_array = self.raw('sim0', 4, 0x2d, data=[1])
        self.assertEqual(by_hex['completion_code'], 0)
        self.assertEqual(by_hex['data'][:2], '2d')
        self.assertEqual(by_hex, by_array)
        # a multi-byte payload in both forms (Get SDR: reservation 0, record 0, offset 0, 5 bytes)
        a = self.raw('sim0', 0x0a, 0x23, data='0000 0000 00 05')
        b = self.raw('sim0', 0x0a, 0x23, data=[0, 0, 0, 0, 0, 5])
        self.assertEqual(a, b)
        self.assertEqual(a['completion_code'], 0, a)
        if harness.IPMITOOL and os.access(harness.IPMITOOL, os.X_OK):
            self.assertEqual(by_hex['data'], ipmitool_raw(self.sim.port(0), [4, 0x2d, 1]))

    def test_nonzero_completion_code_is_a_result(self):
        r = self.client.call('ipmi.raw', {'bmc': 'sim0', 'netfn': 6, 'cmd': 0xff})
        self.assertNotIn('error', r)
        self.assertEqual(r['result'], {'completion_code': 0xc1, 'data': ''})

    def test_bad_data_and_bridge_params(self):
        for params, param in [
            ({'data': 'zz'}, 'data'),
            ({'data': '123'}, 'data'),
            ({'data': [256]}, 'data'),
            ({'data': {'x': 1}}, 'data'),
            ({'bridge': {'channel': 0}}, 'address'),
            ({'bridge': 5}, 'bridge'),
            ({'lun': 4}, 'lun'),
        ]:
            p = {'bmc': 'sim0', 'netfn': 6, 'cmd': 1}
            p.update(params)
            e = self.client.error('ipmi.raw', p)
            self.assertEqual(e['code'], -32602, (params, e))
            self.assertEqual(e['data'].get('param'), param, (params, e))


if __name__ == '__main__':
    harness.main()
