#!/usr/bin/env python3
"""Turns a province written by `skills-ledger generate` into the batches of the service load campaign.

    python3 Benchmarks/service-load-data.py PROVINCE OUT --institutions 50 --batches 200 --batch-size 100

Every worker of the province is given to one of INSTITUTIONS training institutions (by a hash of the 公民身份号码,
so a worker's events stay with one institution and in order); that institution becomes the source of the worker's
training.completed, certification.awarded (training.csv, certificates.csv, events.jsonl) and credit.earned events,
and the `institution` of its training rows. Each institution's events, by date, are cut into BATCHES files of
BATCH_SIZE JSON Lines under OUT/batches/CODE/NNNN.jsonl; OUT/institutions.txt lists the codes (valid 统一社会信用代码,
GB 32100). The province's workers.csv must be submitted to the ledger first (the events name registered workers).
Fails when the province is too small to fill every batch.
"""

import argparse
import csv
import importlib.util
import json
import os
import sys
import zlib

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("make_samples", os.path.join(here, "..", "Scripts", "make-samples.py"))
samples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(samples)


def institution_codes(count):
    """52 (民办非企业单位) in 420300 (十堰), organisation bodies LD000001 …: valid check characters throughout."""
    return [samples.credit_code("52", "420300", f"LD{n:06d}") for n in range(1, count + 1)]


def yuan(text):
    return text if "." in text else f"{int(text)}.00"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("province")
    parser.add_argument("out")
    parser.add_argument("--institutions", type=int, default=50)
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=100)
    args = parser.parse_args()

    codes = institution_codes(args.institutions)
    streams = [[] for _ in codes]

    def owner(worker):
        return zlib.crc32(worker.encode()) % len(codes)

    def add(event):
        index = owner(event["worker"])
        event["source"] = codes[index]
        streams[index].append(event)

    with open(os.path.join(args.province, "training.csv"), encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            index = owner(row["worker"])
            data = {"cost": yuan(row["cost"]), "course": row["course"], "hours": int(row["hours"]), "institution": codes[index],
                    "paid_by": row["paid_by"], "started_on": row["started_on"], "title": row["title"], "track": row["track"]}
            if row["occupation"]:
                data["occupation"] = row["occupation"]
            add({"id": row["id"], "kind": "training.completed", "occurred_on": row["completed_on"], "worker": row["worker"], "data": data})
    with open(os.path.join(args.province, "certificates.csv"), encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            data = {key: row[key] for key in ["certificate", "issuer", "level", "occupation", "occupation_name", "route"]}
            add({"id": row["id"], "kind": "certification.awarded", "occurred_on": row["awarded_on"], "worker": row["worker"], "data": data})
    with open(os.path.join(args.province, "events.jsonl"), encoding="utf-8") as f:
        for line in f:
            event = json.loads(line)
            if event["kind"] in ("training.completed", "certification.awarded", "credit.earned"):
                if event["kind"] == "training.completed":
                    event["data"]["institution"] = codes[owner(event["worker"])]
                add(event)

    need = args.batches * args.batch_size
    short = [(code, len(stream)) for code, stream in zip(codes, streams) if len(stream) < need]
    if short:
        sys.exit(f"service-load-data.py: the province is too small: {short[0][0]} has {short[0][1]} events, {need} needed "
                 f"(generate more workers)")
    for code, stream in zip(codes, streams):
        stream.sort(key=lambda event: event["occurred_on"])  # stable: a worker's events keep their order within a day
        folder = os.path.join(args.out, "batches", code)
        os.makedirs(folder, exist_ok=True)
        for batch in range(args.batches):
            with open(os.path.join(folder, f"{batch:04d}.jsonl"), "w", encoding="utf-8") as out:
                for event in stream[batch * args.batch_size:(batch + 1) * args.batch_size]:
                    out.write(json.dumps(event, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")
    with open(os.path.join(args.out, "institutions.txt"), "w") as out:
        out.write("\n".join(codes) + "\n")
    total = len(codes) * need
    print(f"{len(codes)} institutions x {args.batches} batches x {args.batch_size} events = {total} events in {args.out}/batches",
          file=sys.stderr)


main()
