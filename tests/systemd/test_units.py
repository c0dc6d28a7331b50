#!/usr/bin/python3
"""test_units.py - the installed units pass `systemd-analyze verify`.

The build is installed into a DESTDIR (meson install --destdir); a copy of
that tree plus the host's own systemd units (sysinit.target, ...) and the
host programs the units name outside the package (/bin/kill) is the root
that `systemd-analyze verify --root=` loads ipmipoold.service and
ipmipoold.socket from, so ExecStart= must point at the installed daemon.
Man pages (Documentation=) are looked up with MANPATH set to the DESTDIR's
man directory only.  Any output of verify fails the test: warnings are not
ignored.  As root, systemd-sysusers and systemd-tmpfiles also apply the
installed sysusers.d/tmpfiles.d entries to that root.  Finally a few
consistency checks between the units, the configuration and the install.
"""

import os
import re
import shutil
import stat
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sdtest  # noqa: E402
from sdtest import check, log  # noqa: E402


def run(argv, env=None):
    e = dict(os.environ, SYSTEMD_COLORS='0', SYSTEMD_LOG_COLOR='0', LC_ALL='C',
             SYSTEMD_PAGER='cat')
    e.update(env or {})
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, env=e, timeout=120)
    log('$ ' + ' '.join(argv))
    if r.stdout:
        log(r.stdout.rstrip('\n'))
    log('(exit %d)' % r.returncode)
    return r


def parse_unit(path):
    """{key: [values]} of a unit file (sections merged; enough here)."""
    keys = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in '#;[' or '=' not in line:
                continue
            k, v = line.split('=', 1)
            keys.setdefault(k.strip(), []).append(v.strip())
    return keys


def exec_paths(unit):
    """Absolute program paths of the Exec*= lines (prefixes -@:+! dropped)."""
    out = []
    for k, vals in unit.items():
        if k.startswith('Exec'):
            for v in vals:
                prog = v.split()[0].lstrip('-@:+!')
                out.append(prog)
    return out


def main():
    analyze = shutil.which('systemd-analyze')
    if analyze is None:
        sdtest.skip('systemd-analyze is not installed')
    dirs = sdtest.install_dirs()
    tmp = sdtest.tmpdir('units')
    destdir = os.path.join(tmp, 'destdir')
    sdtest.meson_install(destdir)
    unitdir = sdtest.rel(destdir, dirs['unitdir'])
    svc_path = os.path.join(unitdir, 'ipmipoold.service')
    sock_path = os.path.join(unitdir, 'ipmipoold.socket')
    if not (check(os.path.isfile(svc_path), 'ipmipoold.service installed in ' + dirs['unitdir'])
            and check(os.path.isfile(sock_path), 'ipmipoold.socket installed')):
        sdtest.finish()
    svc = parse_unit(svc_path)
    sock = parse_unit(sock_path)

    # ---- the verify root: the install plus what the OS provides --------
    root = os.path.join(tmp, 'root')
    shutil.copytree(destdir, root, symlinks=True)
    root_unitdir = sdtest.rel(root, dirs['unitdir'])
    host_units = 0
    for hostdir in ('/usr/lib/systemd/system', '/lib/systemd/system'):
        if not os.path.isdir(hostdir):
            continue
        for name in os.listdir(hostdir):
            src = os.path.join(hostdir, name)
            dst = os.path.join(root_unitdir, name)
            if os.path.lexists(dst):
                continue        # never shadow what the package installed
            if os.path.isdir(src) and not os.path.islink(src):
                shutil.copytree(src, dst, symlinks=True)
            else:
                shutil.copy2(src, dst, follow_symlinks=False)
            host_units += 1
    log('verify root %s: the install + %d units of the host' % (root, host_units))
    for prog in exec_paths(svc) + exec_paths(sock):
        inroot = sdtest.rel(root, prog)
        if os.path.lexists(inroot):
            continue
        if prog.startswith(dirs['prefix'] + '/') and dirs['prefix'] != '/usr':
            continue        # the package's own: verify must find it installed
        if os.access(prog, os.X_OK):
            os.makedirs(os.path.dirname(inroot), exist_ok=True)
            shutil.copy2(prog, inroot)
            log('host program %s copied into the verify root' % prog)

    # ---- systemd-analyze verify -----------------------------------------
    mandir = sdtest.rel(destdir, dirs['mandir'])
    env = {}
    if not sdtest.man_pages_built():
        man = '--man=no'
        log('NOTE: scdoc was not found at configure time, no man pages are installed: '
            'verify runs with --man=no')
    elif shutil.which('man') is None:
        man = '--man=no'
        log('NOTE: man(1) is not installed: verify runs with --man=no')
    else:
        man = '--man=yes'
        env['MANPATH'] = mandir     # only the DESTDIR's pages
        for page in ('man8/ipmipoold.8', 'man5/ipmipool.conf.5'):
            check(os.path.isfile(os.path.join(mandir, page)), 'man page %s installed' % page)
    r = run([analyze, 'verify', '--root=' + root, man, '--recursive-errors=yes',
             'ipmipoold.service', 'ipmipoold.socket'], env)
    check(r.returncode == 0, 'systemd-analyze verify exits 0')
    check(r.stdout.strip() == '', 'systemd-analyze verify prints nothing (no warnings)')
    # The same units loaded by path (as an administrator would check a copy).
    r = run([analyze, 'verify', '--root=' + root, man, sdtest.rel(root, dirs['unitdir']) +
             '/ipmipoold.service'], env)
    check(r.returncode == 0 and r.stdout.strip() == '',
          'systemd-analyze verify of the unit file by path: exit 0, no output')

    # ---- sysusers.d and tmpfiles.d entries applied to the root ------------
    user = (svc.get('User') or ['root'])[-1]
    if os.geteuid() != 0:
        log('NOTE: not root: systemd-sysusers/systemd-tmpfiles --root are not run')
    elif not (shutil.which('systemd-sysusers') and shutil.which('systemd-tmpfiles')):
        log('NOTE: systemd-sysusers or systemd-tmpfiles missing: not run')
    else:
        r = run(['systemd-sysusers', '--root=' + root])
        noise = [l for l in r.stdout.splitlines()
                 if not re.match(r"^Creating (group|user) '[^']+' .*\.$", l)]
        check(r.returncode == 0 and not noise, 'systemd-sysusers --root: exit 0, no warnings')
        pw = {}
        try:
            with open(os.path.join(root, 'etc/passwd')) as f:
                for line in f:
                    fields = line.split(':')
                    pw[fields[0]] = (int(fields[2]), int(fields[3]))
        except OSError:
            pass
        check(user in pw, 'sysusers.d creates User=%s of ipmipoold.service' % user)
        r = run(['systemd-tmpfiles', '--root=' + root, '--create', 'ipmipool.conf'])
        check(r.returncode == 0 and r.stdout.strip() == '',
              'systemd-tmpfiles --root --create ipmipool.conf: exit 0, no output')
        secrets = sdtest.rel(root, os.path.join(dirs['confdir'], 'secrets'))
        try:
            st = os.stat(secrets)
            check(stat.S_IMODE(st.st_mode) == 0o700 and (st.st_uid, st.st_gid) == pw.get(user),
                  '%s/secrets is 0700 %s:%s (got %o %d:%d)' % (
                      dirs['confdir'], user, user, stat.S_IMODE(st.st_mode),
                      st.st_uid, st.st_gid))
        except OSError as e:
            check(False, 'tmpfiles.d creates %s/secrets (%s)' % (dirs['confdir'], e))

    # ---- consistency ------------------------------------------------------
    daemon = os.path.join(dirs['sbindir'], 'ipmipoold')
    starts = [v.split()[0] for v in svc.get('ExecStart', []) + svc.get('ExecStartPre', [])]
    check(starts and all(p == daemon for p in starts),
          'ExecStart=/ExecStartPre= run the installed %s (%s)' % (daemon, starts))
    check(os.access(sdtest.rel(destdir, daemon), os.X_OK), daemon + ' installed, executable')
    check(svc.get('Type') == ['notify'] and svc.get('NotifyAccess') == ['main'],
          'Type=notify, NotifyAccess=main')
    check('WatchdogSec' in svc, 'WatchdogSec= set (the daemon sends WATCHDOG=1)')
    check(sock.get('SocketUser') == [user], 'SocketUser= is the service\'s User= (%s)' % user)

    listen = (sock.get('ListenStream') or [''])[-1]
    conf = sdtest.rel(destdir, os.path.join(dirs['confdir'], 'ipmipool.conf'))
    m = None
    if os.path.isfile(conf):
        with open(conf) as f:
            m = re.search(r'^#\s*socket\s*=\s*(\S+)', f.read(), re.M)
    check(m is not None and m.group(1) == listen,
          'ListenStream=%s is the default socket of ipmipool.conf (%s)'
          % (listen, m.group(1) if m else None))
    for rd in svc.get('RuntimeDirectory', []):
        if listen.startswith('/run/%s/' % rd):
            check(svc.get('RuntimeDirectoryPreserve', ['no'])[-1] in ('yes', 'true', '1'),
                  'RuntimeDirectory=%s holds the socket unit\'s socket: '
                  'RuntimeDirectoryPreserve=yes (else stopping the service unlinks it)' % rd)
    cfgdirs = svc.get('ConfigurationDirectory', [])
    check(['/etc/' + c for c in cfgdirs] == [dirs['confdir']],
          'ConfigurationDirectory= is confdir (%s)' % dirs['confdir'])
    mode = int((svc.get('ConfigurationDirectoryMode') or ['0755'])[-1], 8)
    try:
        got = stat.S_IMODE(os.stat(sdtest.rel(destdir, dirs['confdir'])).st_mode)
    except OSError:
        got = None
    # systemd does not chown a ConfigurationDirectory=: it stays root's, so
    # the service's user reads its config only through "other" bits.
    check(got == mode and mode & 0o005 == 0o005,
          'installed %s mode %s matches ConfigurationDirectoryMode %o and is '
          'world-searchable' % (dirs['confdir'], '%o' % got if got is not None else None, mode))
    sdtest.finish()


if __name__ == '__main__':
    main()
