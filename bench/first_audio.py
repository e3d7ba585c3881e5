#!/usr/bin/env python3
"""first_audio.py: time from starting a command to its first audio reaching
the sound device, for narrate and for espeak-ng on the same text, measured
the same way in the same run.

The device is ALSA's default, which a private HOME's .asoundrc turns into
the file plugin over the null device: the first audio has reached the device
when the capture file first grows. The file is polled every 0.2 ms from just
before the command is started; the command is killed once audio appeared.
Runs alternate between the two programs so that the machine's load falls on
both alike; the median of RUNS runs is reported.

Usage: first_audio.py NARRATE RUNS NAME=FILE...   (prints a table)"""
import json, os, shutil, signal, statistics, subprocess, sys, tempfile, time


def first_audio_ms(cmd, home):
    cap = os.path.join(home, "capture.raw")
    if os.path.exists(cap):
        os.unlink(cap)
    env = dict(os.environ, HOME=home)
    env.pop("NARRATE_PACE", None)
    env.pop("NARRATE_TRACE", None)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    got = None
    while time.perf_counter() - t0 < 30:
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
