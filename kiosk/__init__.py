"""The checkpoint kiosk: a Flask app an officer keeps open all shift, fed by the scanner.

A thin layer over the ``screening`` library: blueprints for signing in (``auth``), the
officer's screen (``screen``), the supervisor's history (``history``), training mode
(``training``) and the JSON API (``api``). Everything it keeps lives in one data
directory: the SQLite database, stored images, ``config.json`` and the session key.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from kiosk import db, i18n
from kiosk.chip import ChipReads, open_pcsc
from kiosk.config import WATCHLIST_NAME, KioskConfig, load_config, protect_data_dir, secret_key
from kiosk.events import Announcer
from kiosk.intake import Intake
from kiosk.sources import HotFolder, Scanner
from screening import Settings
from screening.guard import private_logger

csrf = CSRFProtect()
log = private_logger("kiosk")

PURGE_INTERVAL_SECONDS = 3600


@dataclass
class KioskState:
    """What the app holds beside Flask's config: settings, the intake, and the running sources."""

    data_dir: Path
    config: KioskConfig
    announcer: Announcer
    intake: Intake
    scanner: Scanner
    chip: ChipReads
    # Opens the chip on the reader (tests put a software card here); None: no reader configured.
    open_chip_transport: Callable[[], object] | None = None
    hot_folder: HotFolder | None = None
    purge_timer: threading.Timer | None = None
    stopping: threading.Event | None = None


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    test_config = test_config or {}
    data_dir = Path(test_config.get("DATA_DIR") or os.environ.get("KIOSK_DATA") or app.instance_path).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    config = load_config(data_dir)
    if test_config.get("HOT_FOLDER"):
        config = KioskConfig.from_mapping({**config.to_mapping(), "hot_folder": str(test_config["HOT_FOLDER"])})

    app.config.from_mapping(
        SECRET_KEY=secret_key(data_dir),
        DATABASE=data_dir / db.DB_NAME,
        MAX_CONTENT_LENGTH=config.max_upload_mb * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=config.session_idle_minutes),
        WTF_CSRF_TIME_LIMIT=None,  # the session's own idle timeout bounds the token's life
    )
    app.config.update({k: v for k, v in test_config.items() if k.isupper()})

    announcer = Announcer()
    # The watch list lives in the data folder: backed up with it, and the same for any account.
    settings = test_config.get("SETTINGS") or Settings(watchlist=str(data_dir / WATCHLIST_NAME))
    # The chip reads look the factory up on the state at each screening, so that a test's software card
    # put there (state.open_chip_transport = lambda: card) is the reader.
    chip = ChipReads(data_dir, announcer, settings=settings,
                     transport_factory=lambda: app.extensions["kiosk"].open_chip_transport)
    intake = Intake(data_dir, announcer, engine=config.engine, settings=settings, chip=chip)
    kiosk = KioskState(
        data_dir=data_dir, config=config, announcer=announcer, intake=intake,
        scanner=Scanner(config.scanner_device, config.scanner_resolution_dpi), chip=chip,
        open_chip_transport=open_pcsc(config.chip_reader) if config.chip_reader else None)
    app.extensions["kiosk"] = kiosk

    db.init_app(app)
    protect_data_dir(data_dir)  # after the database exists, so that it is made private too
    csrf.init_app(app)
    i18n.init_app(app)

    from kiosk import api, auth, history, screen, training, watchlist

    app.register_blueprint(auth.bp)
    app.register_blueprint(screen.bp)
    app.register_blueprint(history.bp)
    app.register_blueprint(training.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(watchlist.bp)
    csrf.exempt(api.bp)  # the API takes HTTP Basic credentials only, never the session cookie
    app.add_url_rule("/", endpoint="index", view_func=auth.home)
    _register_error_pages(app)
    app.after_request(_security_headers)
    return app


# Scripts, styles and images only from the kiosk itself (the one inline style attribute is the
# image frame's aspect ratio); no framing, no type sniffing.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
                           "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                           "form-action 'self'; object-src 'none'")


def _security_headers(response):
    from flask import request

    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.endpoint != "static":
        # Pages and answers hold travellers' data: no copy in the browser's or a proxy's cache.
        response.headers["Cache-Control"] = "no-store"
    return response


ERROR_TEXT = {
    400: ("Bad request", "The form was incomplete or has expired. Go back, reload the page and try again."),
    403: ("Not allowed", "Your role does not allow this."),
    404: ("Not found", "There is nothing at this address."),
    410: ("Gone", "This training set's folder is no longer available."),
    413: ("File too large", "The file is larger than the kiosk accepts."),
}


def _register_error_pages(app: Flask) -> None:
    from flask import jsonify, render_template, request

    from kiosk.i18n import gettext

    def handle(error):
        code = getattr(error, "code", 500) or 500
        title, message = ERROR_TEXT.get(code, ("Error", "Something went wrong."))
        if request.blueprint == "api" or request.path.startswith("/api/"):
            return jsonify(error=message), code
        return render_template("error.html", code=code, title=gettext(title), message=gettext(message)), code

    for code in ERROR_TEXT:
        app.register_error_handler(code, handle)


def state(app: Flask) -> KioskState:
    return app.extensions["kiosk"]


def start_services(app: Flask) -> None:
    """Start the hot-folder watcher and the image purge (the server does; tests choose)."""
    kiosk = state(app)
    kiosk.stopping = threading.Event()
    if kiosk.config.hot_folder:
        kiosk.hot_folder = HotFolder(Path(kiosk.config.hot_folder), kiosk.intake,
                                     polling=kiosk.config.hot_folder_polling,
                                     settle_seconds=kiosk.config.hot_folder_settle_seconds,
                                     set_timeout=kiosk.config.light_set_timeout_seconds,
                                     patterns=kiosk.config.light_patterns())
        kiosk.hot_folder.start()
        log.info("watching the hot folder %s", kiosk.config.hot_folder)
    _purge_periodically(kiosk)


def _purge_periodically(kiosk: KioskState) -> None:
    if kiosk.stopping is None or kiosk.stopping.is_set():
        return
    try:
        kiosk.intake.purge_images(kiosk.config.purge_images_after_days)
    except Exception:
        log.exception("purging old images failed")
    kiosk.purge_timer = threading.Timer(PURGE_INTERVAL_SECONDS, _purge_periodically, args=(kiosk,))
    kiosk.purge_timer.daemon = True
    kiosk.purge_timer.start()


def stop_services(app: Flask) -> None:
    kiosk = state(app)
    if kiosk.stopping is not None:
        kiosk.stopping.set()
    if kiosk.purge_timer is not None:
        kiosk.purge_timer.cancel()
    if kiosk.hot_folder is not None:
        kiosk.hot_folder.stop()
        kiosk.hot_folder = None
    kiosk.chip.stop()
    kiosk.announcer.close()
