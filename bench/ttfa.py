#!/usr/bin/env python3
"""ttfa.py: time from starting a command to its first audio reaching ALSA's
default device, which an .asoundrc in a private HOME turns into a file.

Usage: ttfa.py RUNS CMD... ; prints the median in milliseconds, then each run.
The capture file is polled every 0.5 ms; the command is killed as soon as
audio appears (or after 20 s)."""
import os, subprocess, sys, tempfile, time, statistics, signal

def once(cmd):
    home = tempfile.mkdtemp(prefix="ttfa.")
    cap = os.path.join(home, "cap.raw")
    with open(os.path.join(home, ".asoundrc"), "w") as f:
        f.write('pcm.!default { type file; slave.pcm "null"; file "%s"; format "raw" }\n' % cap)
    env = dict(os.environ, HOME=home)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    got = None
    while time.perf_counter() - t0 < 20:
        try:
            if os.path.getsize(cap) > 0:
                got = time.perf_counter() - t0
                break
        except OSError:
            pass
        if p.poll() is not None and not os.path.exists(cap):
            break
        time.sleep(0.0005)
    p.send_signal(signal.SIGKILL)
    p.wait()
    subprocess.run(["rm", "-rf", home])
    return None if got is None else got * 1000

def main():
    runs = int(sys.argv[1])
    cmd = sys.argv[2:]
    res = [once(cmd) for _ in range(runs)]
    ok = [r for r in res if r is not None]
    if not ok:
        print("nan")
        return 1
    print("%.1f %s" % (statistics.median(ok), " ".join("%.1f" % r if r else "none" for r in res)))
    return 0

if __name__ == "__main__":
    sys.exit(main())
