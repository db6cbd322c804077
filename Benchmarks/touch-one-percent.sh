#!/usr/bin/env bash
# Writes the events of "a second month with 1% of workers touched" (issue 15) for the benchmark's second `grant`.
#
#   Benchmarks/touch-one-percent.sh PROVINCE_DIR MONTH OUT.jsonl
#
# PROVINCE_DIR is a province written by `skills-ledger generate --flat-table` (workers.csv, events.jsonl, training.csv,
# certificates.csv); MONTH is YYYY-MM. OUT.jsonl gets JSON Lines that `skills-ledger submit OUT.jsonl` accepts: for
# every 100th row of workers.csv (rows 100, 200, …: exactly 1% of the workers), one or two new events dated inside
# MONTH, of kinds the reference packs pay for:
#   - three touched workers in four: a `training.completed` (completed on day 3–10 after one day per 8 hours, the worker's own institution, track
#     `technician` when it leads to a technician level, else `upgrade`; self-paid for migrant workers, employer-paid
#     otherwise) followed by a `certification.awarded` (day 15–26) in the same occupation;
#   - every fourth touched worker: a `worker.changed` (day 1–5: moves to another employer of the same city and flips
#     `frontline`) followed by a `certification.awarded`.
# The certificate is the next level up in the occupation of the worker's latest certificate or training (junior when
# the worker holds none there; another occupation of the city when the worker already holds senior-technician or
# above), so it is a level the worker does not hold yet: the national skill-upgrade subsidy, Shiyan #15/#17, Wuhou #22
# and Nanyue all get real work. Event ids are `touch-MONTH-<worker row id>.<n>`, which never collide with the
# generator's ids; certificate numbers use evaluation body 0099 (the generator's is 0001).
#
# Deterministic (no randomness: everything is a function of the province files and MONTH). The worker histories are
# read only for the touched workers (one `grep -F` pass over the event files), so 1,000,000 workers take seconds.
set -euo pipefail

if [[ $# -ne 3 ]]; then
    echo "usage: $0 PROVINCE_DIR MONTH OUT.jsonl" >&2
    exit 2
fi
PROVINCE=$1
MONTH=$2
OUT=$3
if [[ ! "$MONTH" =~ ^[0-9]{4}-(0[1-9]|1[0-2])$ ]]; then
    echo "$0: MONTH must be YYYY-MM, not '$MONTH'" >&2
    exit 2
fi
if [[ ! -f "$PROVINCE/workers.csv" ]]; then
    echo "$0: $PROVINCE/workers.csv not found (PROVINCE_DIR is a directory written by 'skills-ledger generate')" >&2
    exit 2
fi

exec python3 - "$PROVINCE" "$MONTH" "$OUT" <<'PYTHON'
import csv, datetime, io, json, os, re, subprocess, sys, tempfile

province, month, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
year = int(month[:4])
STEP = 100  # every 100th worker: 1%

# The generator's seed plans (Sources/Generator/ProvinceCatalogue.swift): bureau code and occupations per id prefix.
OCC_NAMES = {
    "6-18-01-01": "车工", "6-18-01-02": "铣工", "6-18-02-04": "焊工", "6-31-01-03": "电工", "6-31-01-02": "机修钳工",
    "4-03-02-01": "中式烹调师", "4-03-02-02": "中式面点师", "4-10-01-05": "养老护理员", "4-10-01-02": "育婴员",
    "4-10-01-06": "家政服务员", "4-12-01-01": "汽车维修工", "4-01-02-02": "电子商务师",
}
PLANS = {
    "sy": ("420300", ["6-18-01-01", "6-18-01-02", "6-18-02-04", "6-31-01-03", "6-31-01-02", "4-12-01-01"]),
    "wh": ("510107", ["4-03-02-01", "4-03-02-02", "4-10-01-05", "6-31-01-03", "4-01-02-02"]),
    "yq": ("330382", ["6-31-01-03", "6-18-02-04", "6-18-01-01", "4-12-01-01"]),
    "by": ("620400", ["6-18-02-04", "6-31-01-03", "6-31-01-02", "6-18-01-01"]),
    "zz": ("410100", ["6-18-01-01", "6-31-01-03", "4-12-01-01", "4-10-01-02", "4-10-01-06", "4-01-02-02"]),
}
LADDER = ["junior", "intermediate", "senior", "technician", "senior-technician", "principal-technician",
          "chief-technician"]
GRADE = {"junior": 5, "intermediate": 4, "senior": 3, "technician": 2, "senior-technician": 1,
         "principal-technician": 1, "chief-technician": 1}
RANK = {level: i for i, level in enumerate(LADDER)}
for i, (zh, grade) in enumerate([("初级工", "五级"), ("中级工", "四级"), ("高级工", "三级"), ("技师", "二级"),
                                 ("高级技师", "一级"), ("特级技师", None), ("首席技师", None)]):
    RANK[zh] = i
    if grade:
        RANK[grade] = i
        RANK[str(5 - i)] = i
CEILING = RANK["senior-technician"]  # at or above this, the worker gets an entry level in another occupation


def plan_key(row_id):
    m = re.match(r"([A-Za-z]+)w\d+$", row_id)
    return m.group(1).lower() if m else "x"


# 1. The roster: every 100th worker, and a few employers per city for job moves.
touched = []  # dicts in roster order
employers = {}  # plan key -> distinct employers, first 64 seen
with open(os.path.join(province, "workers.csv"), encoding="utf-8-sig", newline="") as f:
    header = next(csv.reader([f.readline()]))
    col = {name: i for i, name in enumerate(header)}
    for n, line in enumerate(f, start=1):
        if n <= 20_000:  # employers to move to: sampled from the first rows (the cities are interleaved)
            cells = line.rstrip("\r\n").split(",")
            seen = employers.setdefault(cells[0].rstrip("0123456789")[:-1].lower(), [])  # "zzw17" -> "zz"
            if len(seen) < 64 and cells[col["employer"]] not in seen:
                seen.append(cells[col["employer"]])
        if n % STEP:
            continue
        cells = line.rstrip("\r\n").split(",")
        if '"' in line:  # quoted cells (never written by the generator): parse properly
            cells = next(csv.reader([line]))
        touched.append({
            "row": cells[col["id"]], "worker": cells[col["worker"]], "plan": plan_key(cells[col["id"]]),
            "jurisdiction": cells[col["jurisdiction"]], "employer": cells[col["employer"]],
            "migrant": cells[col["migrant"]].strip().lower() in ("true", "1", "yes", "是"),
            "frontline": cells[col["frontline"]].strip().lower() in ("true", "1", "yes", "是"),
            "certs": [], "trainings": [], "changes": [],
        })
by_worker = {w["worker"]: w for w in touched}

# 2. The touched workers' histories: one fixed-string grep over the event files (JSON Lines and the two CSVs).
files = [os.path.join(province, name) for name in ("events.jsonl", "training.csv", "certificates.csv")]
files = [path for path in files if os.path.exists(path)]
institutions, evaluators, occ_names = {}, {}, dict(OCC_NAMES)  # plan key -> organisations seen
if touched and files:
    with tempfile.NamedTemporaryFile("w", suffix=".ids", delete=False) as ids:
        ids.write("\n".join(by_worker) + "\n")
    try:
        grep = subprocess.run(["grep", "-hF", "-f", ids.name, "--", *files], stdout=subprocess.PIPE,
                              env={**os.environ, "LC_ALL": "C"}, check=False)
    finally:
        os.unlink(ids.name)
    if grep.returncode > 1:
        sys.exit("touch-one-percent: grep failed over " + " ".join(files))
    for raw in grep.stdout.decode("utf-8").splitlines():
        if raw.startswith("{"):
            event = json.loads(raw)
            kind, data, worker = event.get("kind"), event.get("data", {}), event.get("worker")
            date, source = event.get("occurred_on", ""), event.get("source", "")
        else:
            cells = next(csv.reader([raw]))
            if len(cells) == 13:  # training.csv
                worker, date, source = cells[1], cells[8], cells[5]
                kind, data = "training.completed", {"occupation": cells[12], "institution": cells[5]}
            elif len(cells) == 10:  # certificates.csv
                worker, date, source = cells[1], cells[8], cells[7]
                kind, data = "certification.awarded", {"occupation": cells[3], "occupation_name": cells[4],
                                                       "level": cells[5], "issuer": cells[7], "route": cells[9]}
            else:
                continue
        w = by_worker.get(worker)
        if w is None:
            continue
        if kind == "certification.awarded":
            w["certs"].append((date, data.get("occupation", ""), RANK.get(data.get("level", ""), 0)))
            if data.get("occupation_name"):
                occ_names.setdefault(data.get("occupation", ""), data["occupation_name"])
            if data.get("route") != "enterprise":
                evaluators.setdefault(w["plan"], set()).add(source)
        elif kind == "training.completed":
            w["trainings"].append((date, data.get("occupation") or "", data.get("institution") or source))
            institutions.setdefault(w["plan"], set()).add(data.get("institution") or source)
        elif kind == "worker.changed":
            w["changes"].append((date, data))
institutions = {k: sorted(v) for k, v in institutions.items()}
evaluators = {k: sorted(v) for k, v in evaluators.items()}


# 3. The new events.
def pick(options, index, fallback):
    return options[index % len(options)] if options else fallback


def certificate_number(site, level, serial):
    return "S0099" + site[:2] + site[:6] + "%02d" % (year % 100) + str(GRADE[level]) + "%06d" % (serial % 1_000_000)


lines = []
for k, w in enumerate(touched):
    plan = w["plan"]
    bureau, plan_occupations = PLANS.get(plan, (w["jurisdiction"][:4] + "00", []))
    for date, data in sorted(w["changes"], key=lambda c: c[0]):  # the worker's attributes as of now
        if "employer" in data:
            w["employer"] = data["employer"]
        if "frontline" in data:
            w["frontline"] = bool(data["frontline"])
        if "jurisdiction" in data:
            w["jurisdiction"] = data["jurisdiction"]
    held = {}  # occupation -> highest rank held
    for _, occupation, rank in w["certs"]:
        held[occupation] = max(held.get(occupation, -1), rank)
    history = sorted([(d, o) for d, o, _ in w["certs"]] + [(d, o) for d, o, _ in w["trainings"]])
    preferred = [o for _, o in reversed(history) if o]
    candidates = preferred + plan_occupations[k % max(1, len(plan_occupations)):] + plan_occupations \
        + sorted(occ_names)
    occupation = next((o for o in candidates if held.get(o, -1) + 1 < CEILING + 1 and o in occ_names), candidates[0])
    level = LADDER[min(held.get(occupation, -1) + 1, CEILING)]
    name = occ_names.get(occupation, occupation)
    prefix = "touch-%s-%s." % (month, w["row"])

    def emit(kind, day, source, data):
        lines.append(json.dumps({"id": prefix + str(len(lines) - first + 1), "kind": kind,
                                 "occurred_on": "%s-%02d" % (month, day), "source": source, "worker": w["worker"],
                                 "data": data}, ensure_ascii=False, sort_keys=True, separators=(",", ":")))

    first = len(lines)

    if k % 4 == 3:
        others = [e for e in employers.get(plan, []) if e != w["employer"]]
        change = {"frontline": not w["frontline"]}
        if others:
            change["employer"] = others[k % len(others)]
        emit("worker.changed", 1 + k % 5, bureau, change)
    else:
        own = [i for _, _, i in sorted(w["trainings"]) if i]
        institution = own[-1] if own else pick(institutions.get(plan, []), k, bureau)
        technician = RANK[level] >= RANK["technician"]
        hours = (16 + k % 25) * 8 if technician else (2 + k % 19) * 8
        cost = (20 + k % 41) * 100 if technician else (6 + k % 55) * 50
        completed = 3 + k % 8
        emit("training.completed", completed, institution, {
            "course": "%s-%d-%s" % (plan.upper(), year, occupation[-5:]),
            "title": name + ("技师研修" if technician else "技能提升") + "培训班",
            "institution": institution, "hours": hours,
            "started_on": str(datetime.date(year, int(month[5:]), completed) - datetime.timedelta(days=hours // 8)),
            "cost": str(cost), "paid_by": "self" if w["migrant"] else "employer",
            "track": "technician" if technician else "upgrade", "occupation": occupation,
        })
    issuer = pick(evaluators.get(plan, []), k, bureau)
    emit("certification.awarded", 15 + k % 12, issuer, {
        "occupation": occupation, "occupation_name": name, "level": level,
        "certificate": certificate_number(w["jurisdiction"], level, int(month[5:]) * 10_000 + k % 10_000),
        "issuer": issuer, "route": "exam",
    })

with open(out_path, "w", encoding="utf-8") as out:
    out.write("".join(line + "\n" for line in lines))
print("touch-one-percent: %d workers touched, %d events -> %s" % (len(touched), len(lines), out_path),
      file=sys.stderr)
PYTHON
