#!/usr/bin/env python3
"""e2e_live.py: live listening, driven like a person would, checked by ear.

narrate runs in a pseudo-terminal; ALSA's default device is its file plugin,
so every sample played lands in a capture file; NARRATE_PACE=1 keeps the
player in real time (the null device has no clock) and NARRATE_TRACE logs
which sentence reached the device after how many samples. The test sends
keys and checks the screen, the capture and the trace: pause stops the audio,
skips land where they say and are heard within 200 ms, + and - change the
speed of what is heard, q quits and keeps the place, --resume starts there.
Prints one line per check, then "N passed, N failed"."""
import json, os, pty, re, select, signal, subprocess, sys, tempfile, termios, time

NARRATE = os.environ["NARRATE"]
SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(__file__), "../../shared"))
ARTICLE = os.path.join(SHARED, "corpus/articles/fr-afp-blinken.txt")
RATE = 22050
WORK = tempfile.mkdtemp(prefix="narrate-live.")
passed = failed = 0


def check(what, cond):
    global passed, failed
    if cond:
        passed += 1
        print("ok:", what)
    else:
        failed += 1
        print("FAIL:", what)
    sys.stdout.flush()


def env_for(name, pace=True):
    home = os.path.join(WORK, name)
    os.makedirs(home, exist_ok=True)
    cap = os.path.join(home, "capture.raw")
    with open(os.path.join(home, ".asoundrc"), "w") as f:
        f.write('pcm.!default { type file; slave.pcm "null"; file "%s"; format "raw" }\n' % cap)
    env = dict(os.environ, HOME=home, XDG_STATE_HOME=os.path.join(WORK, "state"),
               NARRATE_TRACE=os.path.join(home, "trace"), TERM="xterm")
    if pace:
        env["NARRATE_PACE"] = "1"
    return env, cap, env["NARRATE_TRACE"]


def read_trace(path):
    """[(ms, samples, words...)]"""
    out = []
    try:
        for line in open(path):
            f = line.split()
            out.append((float(f[0]), int(f[1]), f[2:]))
    except FileNotFoundError:
        pass
    return out


def sentences(trace):
    return [(s, int(w[1]), int(w[3])) for _, s, w in trace if w[0] == "sentence"]


def size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class Pty:
    """narrate in a pseudo-terminal: send keys, read the screen."""

    def __init__(self, args, env):
        self.master, slave = pty.openpty()
        self.slave = slave
        self.saved = termios.tcgetattr(slave)
        self.proc = subprocess.Popen([NARRATE] + args, stdin=slave, stdout=slave, stderr=slave,
                                     env=env, start_new_session=True,
                                     preexec_fn=lambda: __import__("fcntl").ioctl(
                                         0, termios.TIOCSCTTY, 0))
        self.screen = b""
        self.since = 0

    def mark(self):
        """Later wait_for calls look only at what comes after this."""
        self.since = len(self.screen)

    def pump(self, secs):
        end = time.time() + secs
        while True:
            left = end - time.time()
            if left <= 0:
                return
            r, _, _ = select.select([self.master], [], [], left)
            if r:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    return
                if not data:
                    return
                self.screen += data

    def text(self, since=0):
        return re.sub(rb"\x1b\[[0-9;]*[A-Za-z]", b"", self.screen[since:]).decode("utf-8", "replace")

    def wait_for(self, pattern, secs):
        end = time.time() + secs
        while time.time() < end:
            if re.search(pattern, self.text(self.since)):
                return True
            self.pump(0.05)
        return False

    def send(self, keys):
        os.write(self.master, keys)

    def wait_exit(self, secs):
        end = time.time() + secs
        while time.time() < end and self.proc.poll() is None:
            self.pump(0.05)
        return self.proc.poll()

    def raw_now(self):
        lflag = termios.tcgetattr(self.slave)[3]
        return not (lflag & termios.ICANON) or not (lflag & termios.ECHO)

    def restored(self):
        return termios.tcgetattr(self.slave) == self.saved

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)
        os.close(self.slave)


plan = json.loads(subprocess.run([NARRATE, ARTICLE, "--plan"], capture_output=True,
                                 check=True).stdout)
sent_text = [s["text"] for b in plan["blocks"] for s in b["sentences"]]
block_starts, k = [], 0
for b in plan["blocks"]:
    block_starts.append(k)
    k += len(b["sentences"])

# A reference run, unpaced: where each sentence starts at the profile's rate.
env, cap, tr = env_for("reference", pace=False)
subprocess.run([NARRATE, ARTICLE, "--no-display"], env=env, stdin=subprocess.DEVNULL, check=False)
ref = sentences(read_trace(tr))
ref_start = {i: s for s, i, _ in ref}
ref_len = {i: ref_start[i + 1] - ref_start[i] for i in ref_start if i + 1 in ref_start}
check("reference run: every sentence reached the device in order (%d)" % len(ref),
      [i for _, i, _ in ref] == list(range(len(sent_text))))

# ---- the driven run --------------------------------------------------------
env, cap, tr = env_for("driven")
t = Pty([ARTICLE], env)
check("the title is on the screen", t.wait_for(re.escape(sent_text[0][:30]), 5))
check("the terminal is in raw mode while playing", t.raw_now())
check("a status line shows the rate", t.wait_for(r"175 wpm", 2))
t.pump(1.0)

# pause: nothing more reaches the device; resume: it goes on
t.mark()
t.send(b" ")
check("space: the screen says paused", t.wait_for(r"paused", 1))
t.pump(0.4)
s1 = size(cap)
t.pump(1.2)
s2 = size(cap)
check("space: no audio while paused (%d -> %d bytes)" % (s1, s2), s1 == s2 and s1 > 0)
t.send(b" ")
t.pump(0.6)
s3 = size(cap)
check("space again: audio goes on (%d -> %d bytes)" % (s2, s3), s3 > s2 + RATE // 2)

# right arrow: the next sentence, heard within 200 ms
pos = sentences(read_trace(tr))[-1][1]
t.mark()
t.send(b"\x1b[C")
t.pump(0.8)
trace = read_trace(tr)
seek = [i for i, e in enumerate(trace) if e[2][:2] == ["cmd", "seek"]]
ok = bool(seek) and int(trace[seek[-1]][2][2]) == pos + 1
check("right arrow: seeks to the next sentence (%d -> %s)" %
      (pos, trace[seek[-1]][2][2] if seek else None), ok)
fresh = [e for e in trace[seek[-1]:] if e[2][0] == "fresh"] if seek else []
if fresh:
    heard_ms = float(fresh[0][2][1]) + int(fresh[0][2][3]) * 1000.0 / RATE
    # what the emulated device still held of the old sentence counts as delay
    check("right arrow: the new sentence is heard %.0f ms after the key (<= 200)" % heard_ms,
          heard_ms <= 200)
else:
    check("right arrow: new audio after the key", False)
check("right arrow: the screen shows the next sentence",
      t.wait_for(re.escape(sent_text[pos + 1][:30]), 1))
nxt = [i for _, i, _ in sentences(read_trace(tr)) if i > pos]
check("right arrow: the next sentence reached the device", nxt[:1] == [pos + 1])

# down arrow: the next paragraph or heading starts
pos = sentences(read_trace(tr))[-1][1]
t.send(b"\x1b[B")
t.pump(0.5)
trace = read_trace(tr)
tgt = [int(e[2][2]) for e in trace if e[2][:2] == ["cmd", "seek"]][-1]
want = min([b for b in block_starts if b > pos] or [block_starts[-1]])
check("down arrow: to the start of the next block (%d -> %d, want %d)" % (pos, tgt, want),
      tgt == want)
# up arrow from a block's first sentence: the previous block's start
t.send(b"\x1b[A")
t.pump(0.5)
tgt2 = [int(e[2][2]) for e in read_trace(tr) if e[2][:2] == ["cmd", "seek"]][-1]
want2 = max([b for b in block_starts if b < tgt] or [0])
check("up arrow: back to the previous block (%d -> %d, want %d)" % (tgt, tgt2, want2),
      tgt2 == want2)

# left arrow and r
t.send(b"\x1b[D")
t.pump(0.3)
tgt3 = [int(e[2][2]) for e in read_trace(tr) if e[2][:2] == ["cmd", "seek"]][-1]
check("left arrow: the previous sentence (%d -> %d)" % (tgt2, tgt3), tgt3 == max(tgt2 - 1, 0))
t.send(b"r")
t.pump(0.3)
tgt4 = [int(e[2][2]) for e in read_trace(tr) if e[2][:2] == ["cmd", "seek"]][-1]
check("r: the same sentence again (%d)" % tgt4, tgt4 == tgt3)

# faster: four steps of 25 wpm; the next whole sentence takes less audio
t.mark()
t.send(b"++++")
check("+ x4: the status line says 275 wpm", t.wait_for(r"275 wpm", 1.5))
t.pump(0.2)
start = sentences(read_trace(tr))[-1][1]
# the first long sentence (3 s or more at 175 wpm) after the change, whole
longs = [i for i in sorted(ref_len) if i > start and ref_len[i] >= 3 * RATE]
j = longs[0] if longs else None
end = time.time() + 25
marks = {}
while j is not None and time.time() < end and j + 1 not in marks:
    t.pump(0.2)
    marks = {i: s for s, i, r in sentences(read_trace(tr)) if r == 275}
if j is not None and j in marks and j + 1 in marks:
    ratio = (marks[j + 1] - marks[j]) / ref_len[j]
    check("+ x4: sentence %d lasts %.2f of its length at 175 wpm (want ~%.2f)" %
          (j, ratio, 175 / 275), 0.55 <= ratio <= 0.75)
else:
    check("+ x4: a whole long sentence played at 275 wpm", False)
t.mark()
t.send(b"----")
check("- x4: back to 175 wpm", t.wait_for(r"175 wpm", 1.5))
t.send(b"?")
check("?: the keys are shown", t.wait_for(r"right / left", 1))

# q: quits at once, the terminal restored, the place saved
t.pump(0.5)
playing = sentences(read_trace(tr))[-1][1]
t.send(b"q")
code = t.wait_exit(3)
check("q: exits with status 0 (got %s)" % code, code == 0)
check("q: the terminal is restored", t.restored())
state = os.path.join(WORK, "state/narrate/positions")
files = os.listdir(state) if os.path.isdir(state) else []
saved = open(os.path.join(state, files[0])).read() if files else ""
check("q: the place is saved in $XDG_STATE_HOME/narrate (%r)" % saved.split("\n")[0],
      saved.startswith("sentence %d\n" % (playing + 1)))
t.close()

# --resume: the first sentence heard is the one that was playing
env, cap, tr = env_for("resumed")
p = subprocess.Popen([NARRATE, ARTICLE, "--resume"], env=env, stdin=subprocess.DEVNULL,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
time.sleep(1.5)
p.send_signal(signal.SIGINT)
out, err = p.communicate(timeout=5)
first = sentences(read_trace(tr))[:1]
check("--resume: starts at the sentence that was playing (%s, want %d)" %
      (first[0][1] if first else None, playing), first and first[0][1] == playing)
check("stdout not a terminal: nothing is shown (%d bytes)" % len(out), out == b"")
check("SIGINT: exit status 130 (got %d)" % p.returncode, p.returncode == 130)
saved2 = open(os.path.join(state, files[0])).read() if files else ""
last = sentences(read_trace(tr))[-1][1] if sentences(read_trace(tr)) else -1
check("SIGINT: the place is saved (%r, playing %d)" % (saved2.split("\n")[0], last),
      saved2.startswith("sentence %d\n" % (last + 1)))

# a pipe on standard input: no keys; Ctrl-C still keeps the place
env, cap, tr = env_for("piped")
art = open(ARTICLE, "rb").read()
p = subprocess.Popen([NARRATE, "--from", "3"], env=env, stdin=subprocess.PIPE,
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
p.stdin.write(art)
p.stdin.close()
time.sleep(2.5)
p.send_signal(signal.SIGINT)
p.wait(timeout=5)
first = sentences(read_trace(tr))
check("--from 3 on a pipe: starts at the third sentence", first[:1] and first[0][1] == 2)
last = first[-1][1] if first else -1
saved3 = open(os.path.join(state, files[0])).read() if files else ""
check("a pipe and Ctrl-C: the place is saved (%r, playing %d)" % (saved3.split("\n")[0], last),
      p.returncode == 130 and saved3.startswith("sentence %d\n" % (last + 1)))

# the fastest rate, in real time: the device never runs dry
env, cap, tr = env_for("fastest")
p = subprocess.Popen([NARRATE, ARTICLE, "--rate", "900"], env=env, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
time.sleep(4)
p.send_signal(signal.SIGINT)
p.wait(timeout=5)
trace = read_trace(tr)
under = [int(e[2][2]) for e in trace if e[2][0] == "quit"]
played = [i for _, i, _ in sentences(trace)]
secs = size(cap) / 2 / RATE
ok = under == [0] and len(played) >= 3 and 3.0 <= secs <= 4.5
check("--rate 900 in real time: %.1f s of audio in 4 s, %d sentences, underruns %s" %
      (secs, len(played), under), ok)
if not ok:  # when and where the device ran dry
    for ms, samples, words in trace:
        print("  trace: %.1f ms, %d samples: %s" % (ms - trace[0][0], samples, " ".join(words)))

# --from-text: the first sentence that holds the words
idx = next(i for i, s in enumerate(sent_text) if i > 4 and len(s.split()) > 6)
words = " ".join(sent_text[idx].split()[2:5]).upper()
env, cap, tr = env_for("fromtext")
want = next(i for i, s in enumerate(sent_text) if words.lower() in " ".join(s.split()).lower())
t = Pty([ARTICLE, "--from-text", words, "--plain"], env)
shown = t.wait_for(re.escape(sent_text[want][:25]), 10)
t.send(b" ")
check("--plain: 'Paused.' on a line of its own", t.wait_for(r"(?m)^Paused\.\r?$", 2))
t.send(b"q")
t.wait_exit(3)
first = sentences(read_trace(tr))[:1]
check("--from-text '%s': starts at sentence %d (got %s)" %
      (words, want + 1, first[0][1] + 1 if first else None), first and first[0][1] == want)
check("--plain: no escape codes on the screen", b"\x1b" not in t.screen)
check("--plain: the first sentence is shown as a line", shown)
t.close()

# --no-display on a terminal: no sentences
env, cap, tr = env_for("nodisplay", pace=False)
t = Pty([ARTICLE, "--no-display"], env)
for _ in range(100):
    t.pump(0.1)
    if sentences(read_trace(tr)):
        break
t.pump(0.3)
t.send(b"q")
t.wait_exit(3)
check("--no-display: no sentence on the screen", sent_text[0][:20] not in t.text())
t.close()

# SIGTERM in raw mode: the terminal is restored
env, cap, tr = env_for("term")
t = Pty([ARTICLE], env)
t.wait_for(re.escape(sent_text[0][:20]), 5)
raw = t.raw_now()
os.kill(t.proc.pid, signal.SIGTERM)
code = t.wait_exit(3)
check("SIGTERM: exit 130 and the terminal restored (raw before: %s)" % raw,
      raw and code == 130 and t.restored())
t.close()

subprocess.run(["rm", "-rf", WORK])
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
