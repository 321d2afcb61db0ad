"""Hot folder to screen: how long from a scan landing in the watched folder to its verdict on
the officer's screen (issue 13: p95 at most 400 ms; issue 6 had asked for 1 s).

Runs the real kiosk (waitress, the watchdog hot folder, Server-Sent Events) on 127.0.0.1 in a
temporary data directory, opens its screen in headless Chromium, then copies sample_docs
images into the hot folder one at a time. Each copy is timed against the moment the page has
swapped in the new verdict (the page and this script read the same system clock). Stages on
the server are timed alongside: waiting for the file to settle, screening and recording it.

    .venv/bin/python benchmarks/kiosk.py [--rounds 2] [--settle 0.15] [--polling]

Prints a table; paste the summary into docs/benchmarks.md (## Kiosk).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHROMIUM = "/usr/bin/chromium"
TARGET_P95_S = 0.4  # issue 13 (issue 6 had asked for 1 s)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# Records, in the page, when each file's verdict banner appeared (Date.now(): the same clock as time.time()).
WATCH_SCRIPT = """
window.__shown = {};
new MutationObserver(() => {
  const meta = document.querySelector('.result .banner-meta');
  if (meta) { const m = meta.textContent.match(/bench-\\d+\\.jpg/); if (m && !(m[0] in window.__shown)) window.__shown[m[0]] = Date.now(); }
}).observe(document.getElementById('result'), {childList: true, subtree: true});
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="passes over the sample images (24 each)")
    parser.add_argument("--settle", type=float, default=None, help="hot_folder_settle_seconds (default: config)")
    parser.add_argument("--polling", action="store_true", help="use the polling observer (network shares)")
    args = parser.parse_args()

    import waitress
    from playwright.sync_api import sync_playwright

    from kiosk import create_app, db, start_services, state, stop_services
    from kiosk.auth import create_user
    from kiosk.config import update_config
    from kiosk.intake import Intake
    from kiosk.sources import HotFolder

    images = sorted((REPO / "sample_docs").glob("*.jpg"))
    if not images:
        print("no sample_docs/*.jpg to drop", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as temporary:
        data = Path(temporary) / "data"
        inbox = Path(temporary) / "inbox"
        inbox.mkdir()
        changes = {"hot_folder": str(inbox), "hot_folder_polling": args.polling}
        if args.settle is not None:
            changes["hot_folder_settle_seconds"] = args.settle
        data.mkdir()
        update_config(data, **changes)
        app = create_app({"DATA_DIR": data})
        connection = db.connect(data / db.DB_NAME)
        create_user(connection, "bench", "officer", "bench-password", actor="benchmark", head_path=None)
        connection.close()

        # Server-side stage times, by file name.
        detected: dict[str, float] = {}
        screened: dict[str, tuple[float, float]] = {}
        original_offer = HotFolder.offer
        original_screen = Intake.screen_path

        def offer(self, path, finished=False):
            detected.setdefault(path.name, time.time())
            return original_offer(self, path, finished)

        def screen_path(self, path, **kwargs):
            started = time.time()
            try:
                return original_screen(self, path, **kwargs)
            finally:
                # The hot folder screens the file where it moved it (taken/<uuid>~<name>), under its own name.
                screened[kwargs.get("original_name") or path.name] = (started, time.time())

        HotFolder.offer = offer
        Intake.screen_path = screen_path
        start_services(app)
        port = free_port()
        server = waitress.create_server(app, host="127.0.0.1", port=port, threads=8)
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{port}"

        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            # The timing probe is evaluated JavaScript, which the kiosk's Content-Security-Policy refuses
            # (as it should for anything injected): the benchmark's own browser context bypasses it.
            page = browser.new_page(viewport={"width": 1440, "height": 900}, bypass_csp=True)
            page.goto(base + "/login")
            page.fill("input[name=username]", "bench")
            page.fill("input[name=password]", "bench-password")
            page.click("button.primary")
            page.wait_for_selector("body[data-connected='1']")
            page.evaluate(WATCH_SCRIPT)
            number = 0
            for _round in range(args.rounds):
                for image in images:
                    number += 1
                    name = f"bench-{number:03d}.jpg"
                    staging = Path(temporary) / name
                    shutil.copyfile(image, staging)
                    dropped = time.time()
                    # A rename is how most scanner programs publish a finished file; a copy is timed too.
                    staging.replace(inbox / name) if number % 2 else shutil.move(staging, inbox / name)
                    page.wait_for_function(f"window.__shown && window.__shown['{name}']", timeout=15000)
                    shown = page.evaluate(f"window.__shown['{name}']") / 1000.0
                    start, end = screened.get(name, (dropped, dropped))
                    rows.append({
                        "file": image.name, "total": shown - dropped,
                        "detect": detected.get(name, dropped) - dropped,
                        "settle": start - detected.get(name, dropped),
                        "screen": end - start, "display": shown - end,
                    })
                    time.sleep(0.3)  # one traveller at a time
            browser.close()
        stop_services(app)
        # The server thread is a daemon and ends with this script (closing it from here races its loop).

    def ms(value: float) -> str:
        return f"{value * 1000:7.0f}"

    print(f"{'file':32} {'total':>7} {'detect':>7} {'settle':>7} {'screen':>7} {'display':>7}  (ms)")
    for row in rows:
        print(f"{row['file']:32} {ms(row['total'])} {ms(row['detect'])} {ms(row['settle'])} {ms(row['screen'])} "
              f"{ms(row['display'])}")
    totals = [r["total"] for r in rows]
    print()
    print(f"{'stage':10} {'median':>8} {'p95':>8} {'max':>8}  (ms, {len(rows)} drops, "
          f"{'polling' if args.polling else 'events'})")
    for stage in ("total", "detect", "settle", "screen", "display"):
        values = [r[stage] for r in rows]
        print(f"{stage:10} {ms(statistics.median(values))} {ms(percentile(values, 0.95))} {ms(max(values))}")
    print()
    p95 = percentile(totals, 0.95)
    print(f"hot folder -> verdict on screen: p95 {p95 * 1000:.0f} ms "
          f"({'under' if p95 <= TARGET_P95_S else 'OVER'} the {TARGET_P95_S * 1000:.0f} ms target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
