#!/usr/bin/python3
"""activate.py FD [--wrong-pid] PROGRAM [ARG...] - starts PROGRAM the way
systemd starts a socket-activated service: the listening socket FD becomes
fd 3 (inheritable), LISTEN_FDS=1, LISTEN_FDNAMES=ipmipoold.socket and
LISTEN_PID=this process's pid, which PROGRAM keeps because this process
execs it.  WATCHDOG_PID is set to that pid too when WATCHDOG_USEC is set.
--wrong-pid sets LISTEN_PID to the parent's pid instead: the fds are then
not meant for PROGRAM, which must ignore them."""

import os
import sys


def main():
    args = sys.argv[1:]
    fd = int(args.pop(0))
    wrong = False
    if args and args[0] == '--wrong-pid':
        wrong = True
        args.pop(0)
    if not args:
        sys.exit('usage: activate.py FD [--wrong-pid] PROGRAM [ARG...]')
    if fd != 3:
        os.dup2(fd, 3, inheritable=True)
        os.close(fd)
    else:
        os.set_inheritable(3, True)
    pid = os.getpid()
    env = dict(os.environ)
    env['LISTEN_FDS'] = '1'
    env['LISTEN_PID'] = str(os.getppid() if wrong else pid)
    env['LISTEN_FDNAMES'] = 'ipmipoold.socket'
    if 'WATCHDOG_USEC' in env:
        env['WATCHDOG_PID'] = str(pid)
    os.execve(args[0], args, env)


if __name__ == '__main__':
    main()
