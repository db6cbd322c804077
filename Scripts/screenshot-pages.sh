#!/usr/bin/env bash
# Screenshots of the service's pages for people, as each role sees them: builds, makes a ledger from Samples/
# (packs adopted, the bureau's files submitted), creates one token per role, starts `serve` on a free loopback port,
# signs in as each role in headless Chromium (Selenium), visits every page and the result of each form (an upload
# with bad rows, a good upload, a worker, entitlements, a notice, a grant, the payout file's reconciliation with its
# chart, closing the month), saves PNGs in the folder given (default /tmp/skills-ledger-pages) and stops the server.
#     Scripts/screenshot-pages.sh [OUT_DIR]
# Installs what it needs when missing: chromium, chromium-driver, fonts-noto-cjk (apt) and selenium (pip).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/skills-ledger-pages}
mkdir -p "$out"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! fc-list | grep -q "Noto Sans CJK"; then
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
fi
python3 -c "import selenium" 2>/dev/null || pip install -q selenium

swift build 2>&1 | grep -E "error|Compiling|Build" | tail -1
bin=$(swift build --show-bin-path)/skills-ledger
work=$(mktemp -d)
L=$work/pages.sqlite
"$bin" init --ledger "$L" >/dev/null
"$bin" policy adopt --ledger "$L" Samples/policies/* >/dev/null
"$bin" submit --ledger "$L" Samples/workers.csv Samples/certificates.csv Samples/events.jsonl >/dev/null
token() { "$bin" token create --ledger "$L" "$@" | tail -1; }
export INSTITUTION=$(token --role institution --name shiyan-training --source 52420302MJ0K5T8H4N)
export BUREAU=$(token --role bureau --name shiyan-hr --jurisdiction 420300)
export FINANCE=$(token --role finance --name shiyan-finance --jurisdiction 420300)
export AUDITOR=$(token --role auditor --name shiyan-audit --jurisdiction 420300)
export ADMIN=$(token --role admin --name root)
# The institution's own rows of the sample training file (the whole file holds other institutions' rows too).
(head -1 Samples/training.csv; grep -a 52420302MJ0K5T8H4N Samples/training.csv) > "$work/shiyan-training.csv"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --ledger "$L" --port "$port" 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done

BASE=http://127.0.0.1:$port OUT=$out WORK=$work SAMPLES=$PWD/Samples python3 - <<'PY'
import os
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

base, out, work, samples = os.environ["BASE"], os.environ["OUT"], os.environ["WORK"], os.environ["SAMPLES"]
options = Options()
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900", "--lang=zh-CN"]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
shots = []

def shot(name):
    """The whole page, however long: the window is made as tall as the document first."""
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 900)")
    driver.set_window_size(1280, min(height + 120, 6000))
    path = os.path.join(out, name + ".png")
    driver.save_screenshot(path)
    driver.set_window_size(1280, 900)
    shots.append(path)

def fill(fields, submit=True):
    for name, value in fields.items():
        element = driver.find_element(By.NAME, name)
        kind = element.get_attribute("type")
        if kind == "checkbox":
            if not element.is_selected(): element.click()
        elif kind in ("file", "password"):
            element.send_keys(value)
        else:  # month and date pickers take their value as the form sends it, YYYY-MM and YYYY-MM-DD
            driver.execute_script("arguments[0].value = arguments[1]", element, value)
    if submit:
        element.find_element(By.XPATH, "./ancestor::form").submit()

def sign_in(role):
    driver.delete_all_cookies()
    driver.get(base + "/")
    fill({"token": os.environ[role.upper()]})
    shot(f"{role}-home")

driver.get(base + "/")
shot("signin")
fill({"token": "slt_not-a-token"})
shot("signin-refused")

sign_in("institution")
driver.get(base + "/upload"); shot("institution-upload")
fill({"file": os.path.join(samples, "bad", "training.csv")}); shot("institution-upload-bad-rows")
fill({"file": os.path.join(samples, "training.csv")}); shot("institution-upload-other-institution")
fill({"file": os.path.join(work, "shiyan-training.csv")}); shot("institution-upload-receipt")
driver.get(base + "/grants"); shot("institution-grants-refused")

sign_in("bureau")
driver.get(base + "/worker"); shot("bureau-worker")
fill({"id": "420303198610101192"}); shot("bureau-worker-result")
driver.get(base + "/entitlements?jurisdiction=420300&month=2026-03"); shot("bureau-entitlements")
driver.get(base + "/notices"); shot("bureau-notice")
fill({"jurisdiction": "420300", "month": "2026-04", "from": "2026-04-01"}); shot("bureau-notice-published")
driver.get(base + "/grants"); fill({"jurisdiction": "420300", "month": "2026-03"}); shot("bureau-grant")
driver.get(base + "/grants"); fill({"jurisdiction": "420300", "month": "2026-04"}); shot("bureau-grant-held-back")

sign_in("finance")
driver.get(base + "/payouts"); shot("finance-payouts")
fill({"jurisdiction": "420300", "month": "2026-03", "file": os.path.join(samples, "payments", "420300-2026-03.csv")})
shot("finance-reconciliation")
driver.get(base + "/periods"); shot("finance-periods")
fill({"jurisdiction": "420300", "month": "2026-03", "confirm": "yes"}); shot("finance-closed")

sign_in("auditor")
driver.get(base + "/reconciliation?jurisdiction=420300&month=2026-03"); shot("auditor-reconciliation")
driver.get(base + "/worker?id=420303198610101192"); shot("auditor-worker")

sign_in("admin")
driver.quit()
print("\n".join(shots))
PY
echo "screenshots in $out"
