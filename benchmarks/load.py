"""Kiosk under load: several officers uploading scans at once to one real kiosk server.

    .venv/bin/python benchmarks/load.py [--clients 10] [--seconds 60] [--write]

Starts ``screening kiosk serve`` (waitress, its own process) on 127.0.0.1 in a temporary data
folder with one officer account per client. First one officer alone uploads each sample_docs
image once (the single-user figures), then ``--clients`` officers, each signed in with their own
session as the browser is, upload sample images one after another for ``--seconds``. One
request is one scan: the upload form's POST and the verdict page it redirects to, timed
together. Every upload has a name of its own, so that afterwards the kiosk's history can be
checked to hold each acknowledged upload exactly once (none lost, none doubled); then the
server is stopped and ``screening kiosk verify-log`` must pass.

Prints a table; ``--write`` replaces the "Kiosk under load" section of docs/benchmarks.md.
Exit status 1 when any request failed, the history is not exactly the uploads, or the log
does not verify.
"""

from __future__ import annotations

import argparse
import collections
import http.cookiejar
import json
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.kiosk import free_port, percentile  # noqa: E402
from benchmarks.report import write_section  # noqa: E402

SECTION = "Kiosk under load"
PASSWORD = "load-bench-password"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SHOWN = re.compile(r"/screen/(\d+)$")
REQUEST_TIMEOUT_S = 120
START_TIMEOUT_S = 120


@dataclass(frozen=True)
class Upload:
    name: str  # the file name sent: unique, so the history can be matched to the uploads
    seconds: float
    ok: bool
    record_id: int | None = None
    problem: str | None = None


@dataclass
class Phase:
    label: str
    clients: int
    seconds: float = 0.0
    uploads: list[Upload] = field(default_factory=list)

    @property
    def errors(self) -> list[Upload]:
        return [upload for upload in self.uploads if not upload.ok]

    def latency_ms(self, share: float) -> float:
        times = [upload.seconds for upload in self.uploads if upload.ok]
        return percentile(times, share) * 1000 if times else float("nan")


class Officer:
    """One browser: a cookie jar, a signed-in session, the upload form with its CSRF token."""

    def __init__(self, base: str, name: str):
        self.base = base
        self.name = name
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def _get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=REQUEST_TIMEOUT_S) as answer:
            return answer.read().decode("utf-8")

    def sign_in(self) -> None:
        token = TOKEN.search(self._get("/login")).group(1)
        form = urllib.parse.urlencode({"username": self.name, "password": PASSWORD, "csrf_token": token}).encode()
        with self.opener.open(self.base + "/login", data=form, timeout=REQUEST_TIMEOUT_S) as answer:
            page = answer.read().decode("utf-8")
        if "/screen" not in answer.geturl():
            raise RuntimeError(f"{self.name} could not sign in")
        self.token = TOKEN.search(page).group(1)  # the signed-in session's token, for the upload form

    def upload(self, image: Path, name: str) -> Upload:
        boundary = uuid.uuid4().hex
        body = b"".join([
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{self.token}\r\n".encode(),
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{name}\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n".encode(), image.read_bytes(), f"\r\n--{boundary}--\r\n".encode()])
        request = urllib.request.Request(self.base + "/screen/upload", data=body,
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        started = time.perf_counter()
        try:
            # The redirect is followed: the time is until the officer has the verdict page.
            with self.opener.open(request, timeout=REQUEST_TIMEOUT_S) as answer:
                page = answer.read().decode("utf-8")
                shown = SHOWN.search(urllib.parse.urlparse(answer.geturl()).path)
                status = answer.status
        except (urllib.error.URLError, OSError) as error:
            return Upload(name, time.perf_counter() - started, False, problem=f"{type(error).__name__}: {error}")
        seconds = time.perf_counter() - started
        if status != 200 or shown is None or "was not accepted" in page:
            return Upload(name, seconds, False, problem=f"HTTP {status} at {answer.geturl()}")
        return Upload(name, seconds, True, int(shown.group(1)))


def start_kiosk(data: Path, port: int, clients: int) -> subprocess.Popen:
    from kiosk import db
    from kiosk.auth import create_user

    db.initialise(data / db.DB_NAME)
    connection = db.connect(data / db.DB_NAME)
    try:
        for number in range(clients):
            create_user(connection, officer_name(number), "officer", PASSWORD, actor="benchmark",
                        head_path=data / db.HEAD_NAME)
    finally:
        connection.close()
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    # The kiosk's own log (one line per screening, and any traceback) beside the data folder.
    log = open(data.parent / "kiosk.log", "w", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "screening.cli", "kiosk", "serve", "--data", str(data),
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=log, text=True, env=environment)
    log.close()
    deadline = time.time() + START_TIMEOUT_S
    for line in server.stdout:  # the kiosk prints its address once it listens
        if line.startswith("The kiosk is at"):
            threading.Thread(target=server.stdout.read, daemon=True).start()  # keep its pipe drained
            return server
        if time.time() > deadline:
            break
    server.kill()
    raise RuntimeError(f"the kiosk did not start: {(data.parent / 'kiosk.log').read_text()[-2000:]}")


def officer_name(number: int) -> str:
    return f"officer-{number + 1:02d}"


def single_user(base: str, images: list[Path]) -> Phase:
    phase = Phase("one officer", 1)
    officer = Officer(base, officer_name(0))
    officer.sign_in()
    started = time.perf_counter()
    for number, image in enumerate(images):
        phase.uploads.append(officer.upload(image, f"single-{number:03d}-{image.name}"))
    phase.seconds = time.perf_counter() - started
    return phase


def under_load(base: str, images: list[Path], clients: int, seconds: float) -> Phase:
    phase = Phase(f"{clients} officers at once", clients)
    officers = [Officer(base, officer_name(number)) for number in range(clients)]
    for officer in officers:
        officer.sign_in()
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def work(number: int, officer: Officer) -> None:
        start.wait()
        deadline = time.perf_counter() + seconds
        sent = 0
        while time.perf_counter() < deadline:
            image = images[(number * 3 + sent) % len(images)]  # each officer starts at another scan
            upload = officer.upload(image, f"c{number + 1:02d}-{sent:04d}-{image.name}")
            with lock:
                phase.uploads.append(upload)
            sent += 1

    threads = [threading.Thread(target=work, args=(number, officer)) for number, officer in enumerate(officers)]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    return phase


def history_check(data: Path, phases: list[Phase]) -> dict:
    """Whether the history holds every acknowledged upload exactly once, and nothing else."""
    connection = sqlite3.connect(f"file:{data / 'kiosk.sqlite3'}?mode=ro", uri=True)
    try:
        names = collections.Counter(json.loads(payload)["original_name"] for (payload,) in connection.execute(
            "SELECT payload FROM records WHERE kind = 'screening'"))
    finally:
        connection.close()
    acknowledged = collections.Counter(u.name for phase in phases for u in phase.uploads if u.ok)
    failed = {u.name for phase in phases for u in phase.uploads if not u.ok}
    missing = sum(1 for name in acknowledged if names[name] == 0)
    doubled = sum(count - 1 for count in names.values() if count > 1)
    # A failed request may or may not have reached the history; any other screening is unexplained.
    unexplained = sum(1 for name in names if name not in acknowledged and name not in failed)
    return {"uploads": sum(acknowledged.values()), "screenings": sum(names.values()), "missing": missing,
            "doubled": doubled, "unexplained": unexplained}


def verify_log(data: Path) -> tuple[int, str]:
    verified = subprocess.run([sys.executable, "-m", "screening.cli", "kiosk", "verify-log", "--data", str(data)],
                              capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              timeout=600)
    return verified.returncode, (verified.stdout + verified.stderr).strip()


def report(phases: list[Phase], history: dict, verified: tuple[int, str], args) -> str:
    single, load = phases
    lines = ["| run | officers | scans | errors | scans/s | p50 ms | p95 ms | max ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for phase in phases:
        good = [u for u in phase.uploads if u.ok]
        rate = len(good) / phase.seconds if phase.seconds else 0.0
        slowest = max((u.seconds for u in good), default=float("nan")) * 1000
        lines.append(f"| {phase.label} | {phase.clients} | {len(phase.uploads)} | {len(phase.errors)} | {rate:.2f} | "
                     f"{phase.latency_ms(0.5):.0f} | {phase.latency_ms(0.95):.0f} | {slowest:.0f} |")
    once = history["missing"] == 0 and history["doubled"] == 0 and history["unexplained"] == 0
    status, output = verified
    verdict = output.splitlines()[0] if output else "(no output)"
    problems = "".join(f"\n- `{u.name}`: {u.problem}" for phase in phases for u in phase.errors[:10])
    return f"""Run {time.strftime('%Y-%m-%d %H:%M')} by `benchmarks/load.py --clients {args.clients} --seconds {args.seconds:g}`:
`screening kiosk serve` (waitress, its own process) on 127.0.0.1 with a fresh data folder;
each officer signed in with a session of their own, uploading `sample_docs` scans one after
another through the upload form. A scan's time is the upload and the verdict page it
redirects to. {os.cpu_count()} cores shared with the clients (load average {os.getloadavg()[0]:.1f} at the end of the run).

{chr(10).join(lines)}

p95 with {load.clients} officers at once: **{load.latency_ms(0.95):.0f} ms**, against {single.latency_ms(0.95):.0f} ms for one officer alone;
errors: **{len(single.errors) + len(load.errors)}**.

History: {history['uploads']} scans acknowledged, {history['screenings']} screenings recorded:
{'**each exactly once**' if once else '**NOT each exactly once**'} ({history['missing']} missing, {history['doubled']} doubled, {history['unexplained']} unexplained).
`verify-log` after the run (exit {status}): {verdict}{problems}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--write", action="store_true", help=f"replace the {SECTION} section of docs/benchmarks.md")
    args = parser.parse_args()
    images = sorted((ROOT / "sample_docs").glob("*.jpg"))
    if not images:
        print("no sample_docs/*.jpg to upload", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="screening-load-") as temporary:
        data = Path(temporary) / "data"
        port = free_port()
        server = start_kiosk(data, port, args.clients)
        base = f"http://127.0.0.1:{port}"
        try:
            phases = [single_user(base, images)]
            print(f"one officer: {len(phases[0].uploads)} scans in {phases[0].seconds:.0f} s", file=sys.stderr)
            phases.append(under_load(base, images, args.clients, args.seconds))
            print(f"{args.clients} officers: {len(phases[1].uploads)} scans in {phases[1].seconds:.0f} s",
                  file=sys.stderr)
        finally:
            server.send_signal(signal.SIGINT)  # as Ctrl+C: the kiosk stops its services and closes the log
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        history = history_check(data, phases)
        verified = verify_log(data)
    text = report(phases, history, verified, args)
    print(text)
    if args.write:
        write_section(ROOT / "docs" / "benchmarks.md", SECTION, text)
    failed = any(phase.errors for phase in phases) or history["missing"] or history["doubled"] or \
        history["unexplained"] or verified[0] != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
