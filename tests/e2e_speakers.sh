#!/usr/bin/env bash
# End to end: attribution and casting over every gold article. Prints the
# score table per article, then checks the bars of the speakers issue:
# the AFP sample fully right; all articles together: quotations found
# >= 97 %, speakers right >= 92 %, voices right >= 97 %; and in every
# article each speaker's standalone quotations use one voice, neither the
# narrator's nor another speaker's.
. "$(dirname "$0")/lib.sh"
ART="$SHARED/corpus/articles"

"$SHARED/tools/score-articles" "$NARRATE" "$SHARED/tools/score-plan" "$ART" >"$WORK/table" 2>&1
cat "$WORK/table"

line=$(grep '^fr-afp-blinken:' "$WORK/table")
for k in quotes speakers voices; do
  check "fr-afp-blinken $k 10/10 ($line)" grep -Eq "$k( found)?=10/10" <<<"$line"
done

total=$(grep '^articles:' "$WORK/table")
bar() { # bar NAME FIELD MIN: FIELD=a/b in the total line is at least MIN
  python3 - "$total" "$2" "$3" <<'PY'
import re, sys
m = re.search(re.escape(sys.argv[2]) + r"=(\d+)/(\d+)", sys.argv[1])
sys.exit(not (m and int(m.group(2)) and int(m.group(1)) / int(m.group(2)) >= float(sys.argv[3])))
PY
}
check "quotations found >= 97% ($total)" bar found quotes 0.97
check "speakers right >= 92% ($total)" bar speakers speakers 0.92
check "voices right >= 97% ($total)" bar voices voices 0.97

# One voice per speaker, distinct from the narrator's and from each other's.
for txt in "$ART"/*.txt; do
  name=$(basename "$txt" .txt)
  "$NARRATE" --plan "$txt" >"$WORK/$name.json" 2>/dev/null || { not_ok "$name: no plan"; continue; }
  check "$name: each speaker has one voice of its own" python3 - "$WORK/$name.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
voice = {s["id"]: (s["voice"]["espeak"], s["voice"]["pitch"]) for s in p["speakers"]}
used = {}
for b in p["blocks"]:
    for se in b["sentences"]:
        for sp in se["spans"]:
            if sp["kind"] == "quote" and not sp["embedded"]:
                used.setdefault(sp.get("speaker") or "?", set()).add(sp["voice"])
bad = []
for spk, vs in used.items():
    if len(vs) != 1 or "narrator" in vs:
        bad.append(f"{spk}: voices {sorted(vs)}")
        continue
    v = voice[next(iter(vs))]
    if v == voice["narrator"]:
        bad.append(f"{spk}: narrator's voice {v}")
    others = [o for o, ovs in used.items() if o != spk and voice[next(iter(ovs))] == v]
    if others:
        bad.append(f"{spk}: same voice {v} as {others}")
print("; ".join(bad) or f"{len(used)} speakers")
sys.exit(bool(bad))
PY
done

# The gender each speaker gets is the one the gold gives (null when the text
# does not show it).
check "speakers' genders agree with the gold" python3 - "$WORK" "$ART" <<'PY'
import glob, json, os, sys
work, art = sys.argv[1], sys.argv[2]
bad, n = [], 0
for gp in sorted(glob.glob(os.path.join(art, "*.gold.json"))):
    g = json.load(open(gp))
    pp = os.path.join(work, os.path.basename(gp).replace(".gold.json", ".json"))
    if not os.path.exists(pp):
        continue
    genders = {s["name"]: s["gender"] for s in json.load(open(pp))["speakers"][1:] if s["name"]}
    for q in g.get("quotes", []):
        names = [k for k in genders if q["speaker"].lower() in k.lower()]
        n += 1
        if not names or genders[names[0]] != q["gender"]:
            bad.append(f"{g['id']}: {q['speaker']}")
print(f"{n - len(bad)}/{n} quotations' speakers have the gold gender", sorted(set(bad))[:5])
sys.exit(n == 0 or len(bad) / n > 0.05)
PY

# --cast sets a speaker's voice by name; a bad value is an error naming the file.
printf '[Blinken]\nvariant = m8\npitch = 20\n' >"$WORK/cast.ini"
"$NARRATE" --plan --cast "$WORK/cast.ini" "$ART/fr-afp-blinken.txt" >"$WORK/cast.json"
check "--cast gives Blinken fr+m8 at pitch 20" python3 - "$WORK/cast.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
s = [s for s in p["speakers"] if s["name"] and "Blinken" in s["name"]]
sys.exit(not (s and s[0]["voice"]["espeak"].endswith("+m8") and s[0]["voice"]["pitch"] == 20))
PY
printf '[Blinken]\npitch = loud\n' >"$WORK/bad.ini"
expect_exit 6 "--cast with a bad value" "$NARRATE" --plan --cast "$WORK/bad.ini" "$ART/fr-afp-blinken.txt"
finish
