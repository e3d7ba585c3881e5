#!/usr/bin/env python3
"""first_audio.py: time from starting a command to its first audio reaching
the sound device, for narrate and for espeak-ng on the same text, measured
the same way in the same run.

The device is ALSA's default, which a private HOME's .asoundrc turns into
the file plugin over the null device: the first audio has reached the device
when the capture file is first written to. The capture's folder is watched
with inotify from just before the command is started (no polling, which would
take a processor from the program measured, and more from one that works in
several threads); where inotify is missing, the file is polled every 0.2 ms.
The command is killed once audio appeared. Runs alternate between the two
programs so that the machine's load falls on both alike; the median of RUNS
runs is reported.

Usage: first_audio.py NARRATE RUNS NAME=FILE...   (prints a table)"""
import ctypes, ctypes.util, json, os, select, shutil, signal, statistics, struct, subprocess, sys
import tempfile, time

IN_MODIFY = 0x2
LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def watch(folder):
    """An inotify descriptor reporting writes to files in FOLDER, or None."""
    try:
        fd = LIBC.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    except AttributeError:
        return None
    if fd < 0:
        return None
    if LIBC.inotify_add_watch(fd, folder.encode(), IN_MODIFY) < 0:
        os.close(fd)
        return None
    return fd


def written(fd, name):
    """True when the events waiting on FD include a write to NAME."""
    try:
        buf = os.read(fd, 65536)
    except BlockingIOError:
        return False
    i = 0
    while i + 16 <= len(buf):
        _, mask, _, n = struct.unpack_from("iIII", buf, i)
        if mask & IN_MODIFY and buf[i + 16:i + 16 + n].rstrip(b"\0").decode() == name:
            return True
        i += 16 + n
    return False


def first_audio_ms(cmd, home):
    cap = os.path.join(home, "capture.raw")
    if os.path.exists(cap):
        os.unlink(cap)
    env = dict(os.environ, HOME=home)
    env.pop("NARRATE_PACE", None)
    env.pop("NARRATE_TRACE", None)
    fd = watch(home)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    got = None
    while fd is not None and time.perf_counter() - t0 < 30:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready and written(fd, "capture.raw"):
            got = (time.perf_counter() - t0) * 1000
            break
        if p.poll() is not None:
            break
    while fd is None and time.perf_counter() - t0 < 30:
        try:
            if os.path.getsize(cap) > 0:
                got = (time.perf_counter() - t0) * 1000
                break
        except OSError:
            pass
        if p.poll() is not None:
            try:
                got = (time.perf_counter() - t0) * 1000 if os.path.getsize(cap) > 0 else None
            except OSError:
                pass
            break
        time.sleep(0.0002)
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
    p.wait()
    if fd is not None:
        os.close(fd)
    return got


def main():
    narrate, runs, texts = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    home = tempfile.mkdtemp(prefix="narrate-bench.")
    with open(os.path.join(home, ".asoundrc"), "w") as f:
        f.write('pcm.!default { type file; slave.pcm "null"; file "%s"; format "raw" }\n'
                % os.path.join(home, "capture.raw"))
    print("time to first audio (ms, median of %d runs, ALSA file device)" % runs)
    print("%-10s %10s %12s %10s  %s" % ("text", "bytes", "espeak-ng", "narrate", "narrate <= espeak-ng"))
    worst = 0
    for spec in texts:
        name, path = spec.split("=", 1)
        plan = subprocess.run([narrate, path, "--plan"], capture_output=True, text=True)
        lang = json.loads(plan.stdout)["lang"] if plan.returncode == 0 else "en"
        cmds = {"espeak-ng": ["espeak-ng", "-v", lang, "-f", path],
                "narrate": [narrate, path, "--no-display"]}
        res = {k: [] for k in cmds}
        for _ in range(runs):
            for k, c in cmds.items():
                ms = first_audio_ms(c, home)
                if ms is not None:
                    res[k].append(ms)
        med = {k: statistics.median(v) if v else float("nan") for k, v in res.items()}
        ok = med["narrate"] <= med["espeak-ng"]
        worst += not ok
        print("%-10s %10d %12.1f %10.1f  %s" % (name, os.path.getsize(path), med["espeak-ng"],
                                               med["narrate"], "yes" if ok else "NO"))
        for k in cmds:
            print("  %-9s runs: %s" % (k, " ".join("%.0f" % x for x in res[k])))
    shutil.rmtree(home)
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main())
