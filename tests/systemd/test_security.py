#!/usr/bin/python3
"""test_security.py - `systemd-analyze security --offline=true` rates the
installed ipmipoold.service at an exposure level of 2.0 or lower.

The build is installed into a DESTDIR and the unit is assessed from there
(--root=), as installed.  The full table is printed, then the number; the
test fails above MAX_EXPOSURE or when no number can be read.
"""

import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sdtest  # noqa: E402
from sdtest import check, log  # noqa: E402

MAX_EXPOSURE = 2.0


def main():
    analyze = shutil.which('systemd-analyze')
    if analyze is None:
        sdtest.skip('systemd-analyze is not installed')
    dirs = sdtest.install_dirs()
    tmp = sdtest.tmpdir('security')
    destdir = os.path.join(tmp, 'destdir')
    sdtest.meson_install(destdir)
    unit = sdtest.rel(destdir, os.path.join(dirs['unitdir'], 'ipmipoold.service'))
    env = dict(os.environ, SYSTEMD_COLORS='0', LC_ALL='C.UTF-8', SYSTEMD_PAGER='cat')
    argv = [analyze, 'security', '--offline=true', '--no-pager', '--root=' + destdir,
            'ipmipoold.service']
    log('$ ' + ' '.join(argv))
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, env=env, timeout=120)
    log(r.stdout.rstrip('\n'))
    if r.stderr:
        log('stderr:\n' + r.stderr.rstrip('\n'))
    log('(exit %d)' % r.returncode)
    check(r.returncode == 0, 'systemd-analyze security exits 0')
    check(r.stderr.strip() == '', 'no warnings on stderr (the unit %s parses cleanly)' % unit)
    m = re.search(r'Overall exposure level for ipmipoold\.service:\s*([0-9]+(?:\.[0-9]+)?)',
                  r.stdout)
    if check(m is not None, 'the overall exposure level is printed'):
        level = float(m.group(1))
        log('\nEXPOSURE ipmipoold.service: %.1f (limit %.1f)\n' % (level, MAX_EXPOSURE))
        check(level <= MAX_EXPOSURE, 'exposure %.1f <= %.1f' % (level, MAX_EXPOSURE))
    sdtest.finish()


if __name__ == '__main__':
    main()
