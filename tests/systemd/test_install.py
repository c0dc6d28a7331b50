#!/usr/bin/python3
"""test_install.py - what `meson install --destdir DIR` puts down.

The install tree is listed and compared with install-files.txt (both ways:
nothing missing, nothing unlisted; file types and executable bits), with
the placeholders resolved from this build's configuration (meson introspect
--buildoptions, systemd.pc, bash-completion.pc).  Then: symlinks stay in
the tree, the pkg-config file names the installed directories, the
installed programs run (the CLI against the installed library), the
installed example configuration is the shipped one and passes
--check-config.  Finally a second install over the first, after the
administrator edited ipmipool.conf and added a conf.d file: both are kept
and nothing else changes.
"""

import filecmp
import os
import stat
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sdtest  # noqa: E402
from sdtest import check, log  # noqa: E402

LIST = os.path.join(sdtest.HERE, 'install-files.txt')


def expected_files(dirs, with_man):
    exp = {}
    with open(LIST) as f:
        for n, line in enumerate(f, 1):
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            typ, path, cond = fields[0], fields[1], fields[2:]
            if typ not in ('f', 'x', 'l') or cond not in ([], ['man']):
                raise SystemExit('%s:%d: bad line %r' % (LIST, n, line))
            if cond == ['man'] and not with_man:
                continue
            exp[os.path.normpath(path.format(**dirs)).lstrip('/')] = typ
    return exp


def listing(destdir):
    """{relative path: type} of every non-directory below destdir."""
    got = {}
    for top, subdirs, files in os.walk(destdir):
        for name in files + [d for d in subdirs if os.path.islink(os.path.join(top, d))]:
            p = os.path.join(top, name)
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                t = 'l'
            elif stat.S_ISREG(st.st_mode):
                t = 'x' if st.st_mode & 0o111 else 'f'
            else:
                t = '?'
            got[os.path.relpath(p, destdir)] = t
    return got


def compare(got, exp, what):
    missing = sorted(set(exp) - set(got))
    extra = sorted(set(got) - set(exp))
    wrong = sorted(p for p in set(exp) & set(got) if exp[p] != got[p])
    for p in missing:
        log('  missing:    ' + p)
    for p in extra:
        log('  not listed: %s (%s)' % (p, got[p]))
    for p in wrong:
        log('  type:       %s is %s, expected %s' % (p, got[p], exp[p]))
    check(not missing, '%s: every listed file installed' % what)
    check(not extra, '%s: no file installed that install-files.txt does not list' % what)
    check(not wrong, '%s: file types and executable bits as listed' % what)


def run(argv, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, env=e, timeout=60)


def main():
    dirs = sdtest.install_dirs()
    with_man = sdtest.man_pages_built()
    log('install directories: ' + ', '.join('%s=%s' % kv for kv in sorted(dirs.items())))
    log('man pages: %s' % ('built (scdoc)' if with_man else 'not built (no scdoc)'))
    exp = expected_files(dirs, with_man)
    tmp = sdtest.tmpdir('install')
    destdir = os.path.join(tmp, 'destdir')
    sdtest.meson_install(destdir)
    got = listing(destdir)
    log('installed (%d):' % len(got))
    for p in sorted(got):
        log('  %s %s' % (got[p], p))
    compare(got, exp, 'first install')

    def at(key, *parts):
        return sdtest.rel(destdir, os.path.join(dirs[key], *parts))

    # symlinks: relative, resolving inside the tree
    for p, t in sorted(got.items()):
        if t == 'l':
            target = os.readlink(os.path.join(destdir, p))
            check(not os.path.isabs(target) and
                  os.path.exists(os.path.join(destdir, os.path.dirname(p), target)),
                  'symlink %s -> %s resolves inside the install' % (p, target))

    # pkg-config file
    pc_dir = at('libdir', 'pkgconfig')
    for var in ('includedir', 'libdir'):
        # PKG_CONFIG_PATH comes first; json-c (Requires:) from the system
        r = run(['pkg-config', '--variable=' + var, 'libipmipool'], {'PKG_CONFIG_PATH': pc_dir})
        check(r.returncode == 0 and r.stdout.strip() == dirs[var],
              'libipmipool.pc: %s=%s (got %r)' % (var, dirs[var], r.stdout.strip()))
    check(os.path.isfile(os.path.join(at('includedir'), 'ipmipool.h')),
          'ipmipool.h is in the includedir libipmipool.pc names')

    # the installed programs run; the CLI with the installed library
    r = run([at('sbindir', 'ipmipoold'), '--version'])
    check(r.returncode == 0 and r.stdout.strip() == 'ipmipoold ' + dirs['version'],
          'installed ipmipoold --version: %r' % r.stdout.strip())
    ldpath = {'LD_LIBRARY_PATH': at('libdir')}
    r = run([at('bindir', 'ipmipoolctl'), '--version'], ldpath)
    check(r.returncode == 0 and dirs['version'] in r.stdout,
          'installed ipmipoolctl --version (LD_LIBRARY_PATH=installed libdir): %r'
          % r.stdout.strip())
    r = run(['ldd', at('bindir', 'ipmipoolctl')], ldpath)
    libs = [l for l in r.stdout.splitlines() if 'libipmipool.so' in l]
    check(len(libs) == 1 and at('libdir') in libs[0],
          'installed ipmipoolctl links the installed libipmipool (%s)'
          % (libs[0].strip() if libs else None))

    # the example configuration
    conf = at('confdir', 'ipmipool.conf')
    src_conf = os.path.join(sdtest.SRCROOT, 'conf', 'ipmipool.conf')
    check(os.path.isfile(conf) and filecmp.cmp(conf, src_conf, shallow=False),
          '%s is conf/ipmipool.conf' % conf)
    check(stat.S_IMODE(os.stat(conf).st_mode) == 0o644, 'ipmipool.conf is 0644')
    check(stat.S_IMODE(os.stat(at('confdir')).st_mode) == 0o755, '%s is 0755' % dirs['confdir'])
    r = run([at('sbindir', 'ipmipoold'), '-c', conf, '--check-config'])
    log(r.stdout.rstrip())
    check(r.returncode == 0, 'the installed ipmipool.conf passes --check-config')

    # ---- second install over an edited configuration -----------------------
    with open(conf, 'a') as f:
        f.write('\n# edited by the administrator\n[daemon]\nlog_level = debug\n')
    with open(conf) as f:
        edited = f.read()
    local = at('confdir', 'conf.d', '20-local.conf')
    with open(local, 'w') as f:
        f.write('[daemon]\nretries = 2\n')
    out = sdtest.meson_install(destdir)
    log('second install: ' + ' | '.join(l for l in out.splitlines() if 'install-conf' in l))
    with open(conf) as f:
        check(f.read() == edited, 'second install keeps the edited ipmipool.conf')
    check(os.path.isfile(local), 'second install keeps conf.d/20-local.conf')
    exp2 = dict(exp)
    exp2[os.path.relpath(local, destdir)] = 'f'
    compare(listing(destdir), exp2, 'second install')
    r = run([at('sbindir', 'ipmipoold'), '-c', conf, '--check-config'])
    check(r.returncode == 0, 'the edited configuration still passes --check-config')
    sdtest.finish()


if __name__ == '__main__':
    main()
