"""Signing in and out, roles, lock-out, the idle timeout, and user management.

Roles and what they may do are one table (``PERMISSIONS``); views name a permission,
never a role, so changing who may do what is a one-line edit.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import re
import secrets
import threading
import time
from urllib.parse import urlsplit

from flask import (Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from werkzeug.security import check_password_hash, generate_password_hash

from screening.text import Text

from kiosk import db
from kiosk.i18n import LANGUAGES, gettext as _
from kiosk.i18n import translate

bp = Blueprint("auth", __name__)

ROLES = ("officer", "supervisor", "trainer", "admin")
PERMISSIONS = {
    "screen": {"officer", "supervisor", "trainer"},  # screen documents (trainers, for demonstrations)
    "decide": {"officer", "supervisor"},  # record admit / refer / refuse on a traveller
    "history": {"supervisor", "admin"},  # search past screenings, export CSV, verify the log
    "train": {"officer", "supervisor", "trainer"},  # take part in a training set
    "train_manage": {"trainer"},  # open training sets, see every trainee's score
    "users": {"admin"},
    "watchlist": {"supervisor", "admin"},  # load the watch list of lost and stolen documents
}
MIN_PASSWORD_LENGTH = 8
USER_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Failed sign-ins under names that are no account are logged at most this often: beyond it a
# script fills the tamper-evident log with noise. The ones held back are counted into the next.
ANONYMOUS_FAILURES_PER_MINUTE = 20


def local_path(target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site, else ``fallback`` (no open redirects).

    Browsers drop tabs and line breaks inside URLs and read a backslash as a slash, so
    ``/<tab>/evil.example`` would become ``//evil.example``: any such character is refused."""
    if not target or not target.startswith("/") or any(c < " " or c in "\\\x7f" for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return fallback
    return target


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash checked for names that are no account, so that both answers take as long."""
    return generate_password_hash(secrets.token_hex(16))


class _AnonymousFailures:
    """How many failed sign-ins for unknown names were logged in the last minute (per process)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.logged: collections.deque[float] = collections.deque()
        self.held_back = 0

    def admit(self) -> int | None:
        """None to hold this one back, else how many were held back before it (to log with it)."""
        now = time.monotonic()
        with self.lock:
            while self.logged and now - self.logged[0] > 60:
                self.logged.popleft()
            if len(self.logged) >= ANONYMOUS_FAILURES_PER_MINUTE:
                self.held_back += 1
                return None
            self.logged.append(now)
            held, self.held_back = self.held_back, 0
            return held


def _anonymous_failures() -> _AnonymousFailures:
    return current_app.extensions.setdefault("anonymous_failures", _AnonymousFailures())


def can(permission: str, user: db.User | None = None) -> bool:
    user = user if user is not None else g.get("user")
    return user is not None and user.role in PERMISSIONS[permission]


def require(permission: str):
    """View decorator: signed in (else to the login page), and allowed (else 403)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            if g.get("user") is None:
                return redirect(url_for("auth.login", next=request.full_path))
            if not can(permission):
                abort(403)
            return view(**kwargs)

        return wrapped

    return decorate


def hash_password(password: str) -> str:
    return generate_password_hash(password)


class UserError(ValueError):
    """Why an account cannot be made, as a translatable sentence (``text``)."""

    def __init__(self, text: Text):
        super().__init__(str(text))
        self.text = text


def validate_new_user(name: str, role: str, password: str) -> Text | None:
    """Why the new account is not acceptable, or None."""
    if not USER_NAME.match(name):
        return Text("User names are 1-64 letters, digits, '.', '_' or '-'.")
    if role not in ROLES:
        return Text("Role must be one of: {roles}.", roles=", ".join(ROLES))
    if len(password) < MIN_PASSWORD_LENGTH:
        return Text("Passwords need at least {count} characters.", count=MIN_PASSWORD_LENGTH)
    return None


def create_user(connection, name: str, role: str, password: str, *, actor: str | None, head_path) -> None:
    problem = validate_new_user(name, role, password)
    if problem:
        raise UserError(problem)
    if db.user(connection, name) is not None:
        raise UserError(Text("A user named {name} already exists.", name=name))
    db.add_user(connection, name, role, hash_password(password))
    db.append(connection, db.USER_ADDED, {"user": name, "role": role}, actor=actor, head_path=head_path)


def change_user(connection, name: str, *, actor: str | None, head_path, role: str | None = None,
                password: str | None = None, disabled: bool | None = None, keep_an_admin: bool = True) -> None:
    """Change an account's role, password or whether it may sign in; recorded in the log.

    ``keep_an_admin`` refuses to leave the kiosk without an active administrator (the command
    line, run on the PC itself, can always enable one again)."""
    account = db.user(connection, name)
    if account is None:
        raise UserError(Text("There is no user named {name}.", name=name))
    if role is not None and role not in ROLES:
        raise UserError(Text("Role must be one of: {roles}.", roles=", ".join(ROLES)))
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(Text("Passwords need at least {count} characters.", count=MIN_PASSWORD_LENGTH))
    loses_admin = account.role == "admin" and not account.disabled and (disabled or role not in (None, "admin"))
    if keep_an_admin and loses_admin and not any(u.role == "admin" and not u.disabled and u.name != name for u in db.users(connection)):
        raise UserError(Text("{name} is the last active administrator: add another one first.", name=name))
    changes: dict = {}
    if role is not None:
        changes["role"] = role
    if password is not None:
        # A new password also lifts a lock-out: the administrator has checked who is asking.
        changes.update(password_hash=hash_password(password), failed_logins=0, locked_until=None)
    if disabled is not None:
        changes["disabled"] = int(disabled)
    if not changes:
        return
    db.set_user_fields(connection, name, **changes)
    if password is not None or disabled:
        db.end_sessions(connection, name)
    what = [k for k in ("role", "disabled") if k in changes] + (["password"] if password is not None else [])
    payload = {"user": name, "changed": what}
    if role is not None:
        payload["role"] = role
    if disabled is not None:
        payload["disabled"] = bool(disabled)
    db.append(connection, db.USER_CHANGED, payload, actor=actor, head_path=head_path)


def _head():
    from kiosk import state

    return state(current_app).intake.head


def _kiosk_config():
    from kiosk import state

    return state(current_app).config


@bp.before_app_request
def load_user() -> None:
    g.user = None
    name = session.get("user")
    if not name:
        return
    idle_limit = _kiosk_config().session_idle_minutes * 60
    if time.time() - session.get("seen", 0) > idle_limit:
        session.clear()
        flash(_("Your session ended after a period without activity. Please sign in again."), "info")
        return
    g.user = db.user(db.get_db(), name)
    if g.user is None or g.user.disabled or session.get("epoch") != g.user.session_epoch:
        # Gone, disabled, signed out or given a new password since this cookie was issued.
        g.user = None
        session.clear()
        return
    # The event stream stays open for hours; only real requests keep the session alive.
    if request.endpoint not in ("screen.events", "static"):
        session["seen"] = time.time()


def check_credentials(name: str, password: str) -> tuple[db.User | None, str | None]:
    """The user if the password is right; else an error message. Counts failures, locks out."""
    connection = db.get_db()
    config = _kiosk_config()
    user = db.user(connection, name)
    if user is None:
        check_password_hash(_dummy_hash(), password)  # as long as for a real account
        held_back = _anonymous_failures().admit()
        if held_back is not None:
            payload = {"reason": "credentials", **({"held_back": held_back} if held_back else {})}
            db.append(connection, db.LOGIN_FAILED, payload, actor=name[:64], head_path=_head())
        return None, _("Wrong user name or password.")
    if not db.reserve_attempt(connection, name, config.lockout_attempts,
                              dt.timedelta(minutes=config.lockout_minutes)):
        db.append(connection, db.LOGIN_FAILED, {"reason": "locked"}, actor=name, head_path=_head())
        return None, _("This account is locked after repeated failed sign-ins. Try again later or ask an administrator.")
    if not check_password_hash(user.password_hash, password):
        db.append(connection, db.LOGIN_FAILED, {"reason": "credentials"}, actor=name, head_path=_head())
        return None, _("Wrong user name or password.")
    db.clear_attempts(connection, name)
    if user.disabled:
        db.append(connection, db.LOGIN_FAILED, {"reason": "disabled"}, actor=name, head_path=_head())
        return None, _("This account is disabled. Ask an administrator.")
    return user, None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        name = request.form.get("username", "").strip()
        user, error = check_credentials(name, request.form.get("password", ""))
        if user is not None:
            session.clear()
            session["user"] = user.name
            session["epoch"] = user.session_epoch
            session["seen"] = time.time()
            session.permanent = True
            db.append(db.get_db(), db.LOGIN, {"via": "form"}, actor=user.name, head_path=_head())
            # Only local paths: never bounce a signed-in officer to another site.
            return redirect(local_path(request.args.get("next"), url_for("index")))
        flash(error, "error")
    return render_template("auth/login.html")


@bp.route("/logout", methods=["POST"])
def logout():
    if g.user is not None:
        db.end_sessions(db.get_db(), g.user.name)  # a saved copy of the cookie signs in no more
        db.append(db.get_db(), db.LOGOUT, {}, actor=g.user.name, head_path=_head())
    session.clear()
    return redirect(url_for("auth.login"))


def home():
    """Each role's first screen."""
    if g.user is None:
        return redirect(url_for("auth.login"))
    if can("screen"):
        return redirect(url_for("screen.index"))
    if can("users"):
        return redirect(url_for("auth.users"))
    return redirect(url_for("history.index"))


@bp.route("/language", methods=["POST"])
def language():
    choice = request.form.get("language", "en")
    if choice not in LANGUAGES:
        abort(400)
    session["language"] = choice
    if g.user is not None:
        db.set_user_fields(db.get_db(), g.user.name, language=choice)
    return redirect(local_path(request.form.get("next"), url_for("index")))


@bp.route("/users", methods=["GET", "POST"])
@require("users")
def users():
    connection = db.get_db()
    if request.method == "POST":
        action = request.form.get("action")
        name = request.form.get("username", "").strip()
        if action == "add":
            try:
                create_user(connection, name, request.form.get("role", ""), request.form.get("password", ""),
                            actor=g.user.name, head_path=_head())
                flash(_("User added."), "ok")
            except UserError as error:
                flash(translate(error.text), "error")
        elif action == "unlock" and db.user(connection, name) is not None:
            db.set_user_fields(connection, name, failed_logins=0, locked_until=None)
            flash(_("Account unlocked."), "ok")
        elif action in ("role", "password", "disable", "enable"):
            if name == g.user.name and action in ("disable", "role"):
                flash(_("You cannot disable your own account or change your own role."), "error")
                return redirect(url_for("auth.users"))
            changes = {"role": {"role": request.form.get("role", "")},
                       "password": {"password": request.form.get("password", "")},
                       "disable": {"disabled": True}, "enable": {"disabled": False}}[action]
            try:
                change_user(connection, name, actor=g.user.name, head_path=_head(), **changes)
                flash(_("Account changed."), "ok")
            except UserError as error:
                flash(translate(error.text), "error")
        return redirect(url_for("auth.users"))
    return render_template("auth/users.html", users=db.users(connection), roles=ROLES)


def basic_auth_user() -> db.User | None:
    """The kiosk user named by HTTP Basic credentials (the JSON API), with the same lock-out."""
    credentials = request.authorization
    if credentials is None or credentials.type != "basic" or not credentials.username:
        return None
    user, _error = check_credentials(credentials.username, credentials.password or "")
    return user


def unauthorised() -> Response:
    response = Response('{"error": "authentication required"}', status=401, mimetype="application/json")
    response.headers["WWW-Authenticate"] = 'Basic realm="screening kiosk", charset="UTF-8"'
    return response
