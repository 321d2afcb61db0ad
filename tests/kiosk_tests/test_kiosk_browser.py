"""Real-browser tests: Debian's chromium driven by Playwright against the kiosk served by waitress.

One browser and one live server for the whole module. Screenshots of the main screens go
to $KIOSK_SCREENSHOTS when it is set (to look at them), else to a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

from kiosk_helpers import PASSWORDS, SAMPLES, records

CHROMIUM = Path("/usr/bin/chromium")
VIEWPORT = {"width": 1366, "height": 768}  # a typical checkpoint monitor
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed (apt-get install chromium; "
                                                     "`make test` installs it)"),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def live_kiosk(tmp_path_factory, template_data_dir):
    import waitress

    from kiosk import create_app, logkey, start_services, stop_services

    root = tmp_path_factory.mktemp("live")
    data = root / "data"
    shutil.copytree(template_data_dir, data)
    shutil.copy2(logkey.key_path(template_data_dir), logkey.key_path(data))  # the key lives beside the folder
    inbox = root / "inbox"
    inbox.mkdir()
    app = create_app({"DATA_DIR": data, "HOT_FOLDER": inbox})
    start_services(app)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = waitress.create_server(app, host="127.0.0.1", port=port, threads=16)
    threading.Thread(target=server.run, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{port}", "inbox": inbox, "app": app}
    stop_services(app)


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = Path(os.environ.get("KIOSK_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def signed_in(browser, live_kiosk, role, locale: str = "en-US"):
    # The browser's own locale words its native controls (a file input's "Choose File").
    context = browser.new_context(viewport=VIEWPORT, locale=locale)
    page = context.new_page()
    page.goto(live_kiosk["url"] + "/login")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", PASSWORDS[role])
    page.click("form button.primary")
    return page


def test_login_page_and_wrong_password(browser, live_kiosk, shots):
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(live_kiosk["url"] + "/screen/")
    assert "/login" in page.url
    page.screenshot(path=str(shots / "login.png"))
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", "wrong-password")
    page.click("form button.primary")
    assert page.locator(".flash-error").inner_text().startswith("Wrong user name")
    page.close()


def test_a_scan_dropped_in_the_hot_folder_appears_without_reload(browser, live_kiosk, shots):
    page = signed_in(browser, live_kiosk, "officer")
    page.wait_for_selector("body[data-connected='1']")
    page.evaluate("window.__notReloaded = true")
    shutil.copyfile(SAMPLES / "008_td3_tkm_scan300.jpg", live_kiosk["inbox"] / "scanner-0001.jpg")
    page.wait_for_selector(".result .banner-meta:has-text('scanner-0001.jpg')", timeout=5000)
    assert page.evaluate("window.__notReloaded") is True  # swapped in, not a page load
    assert page.locator(".banner-word").inner_text() == "ALERT"
    assert page.locator(".mark.mark-alert").count() >= 1
    page.keyboard.press("c")
    assert page.locator("#checks").get_attribute("open") is not None
    page.screenshot(path=str(shots / "screen-alert.png"), full_page=True)
    page.context.close()


def test_junk_in_the_hot_folder_shows_as_unreadable(browser, live_kiosk, shots):
    page = signed_in(browser, live_kiosk, "officer")
    page.wait_for_selector("body[data-connected='1']")
    (live_kiosk["inbox"] / "broken-scan.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    page.wait_for_selector(".result .banner-meta:has-text('broken-scan.jpg')", timeout=5000)
    assert page.locator(".banner-word").inner_text() == "UNREADABLE"
    page.screenshot(path=str(shots / "screen-unreadable.png"), full_page=True)
    page.context.close()


def test_upload_then_decide_with_the_keyboard(browser, live_kiosk, shots):
    page = signed_in(browser, live_kiosk, "officer")
    page.wait_for_selector("body[data-connected='1']")  # the page's script is running
    page.set_input_files("#upload-input", str(SAMPLES / "001_td3_tkm_scan300.jpg"))
    page.wait_for_selector(".result .banner-meta:has-text('001_td3_tkm_scan300.jpg')", timeout=10000)
    assert page.locator(".banner-word").inner_text() == "CLEAR"
    page.screenshot(path=str(shots / "screen-clear.png"), full_page=True)
    page.fill("#decision-note", "passport checked")
    page.locator("#decision-note").press("Escape")
    decisions = len(records(live_kiosk["app"], "decision"))
    # A stray key only chooses a decision: highlighted, with a prompt; Esc cancels it.
    page.keyboard.press("3")
    assert page.locator("button.decide.refuse.selected").count() == 1
    assert page.locator("#decision-prompt").inner_text() == "Press Enter to record “Refuse”, Esc to cancel."
    page.keyboard.press("Escape")
    assert page.locator("button.decide.selected").count() == 0 and page.locator("#decision-prompt").is_hidden()
    # Another action cancels too (C opens the checks; a following Enter records nothing).
    page.keyboard.press("2")
    page.keyboard.press("c")
    assert page.locator("button.decide.selected").count() == 0
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert len(records(live_kiosk["app"], "decision")) == decisions and page.locator(".flash-ok").count() == 0
    # 1 then Enter records admit, with the note.
    page.keyboard.press("1")
    assert page.locator("button.decide.admit.selected").is_visible()
    page.keyboard.press("Enter")
    page.wait_for_selector(".flash-ok")
    assert "admit" in page.locator(".decided-line").inner_text()
    assert "passport checked" in page.locator(".decided-line").inner_text()
    assert [r.payload["decision"] for r in records(live_kiosk["app"], "decision")[decisions:]] == ["admit"]
    page.context.close()


def test_a_decision_prompt_speaks_the_officers_language(browser, live_kiosk):
    page = signed_in(browser, live_kiosk, "officer")
    page.click("button[data-lang='ru']")
    page.wait_for_selector("html[lang='ru']")
    post_typed = page.locator("#mrz-text")
    post_typed.fill("P<TJKRAHIMOV<<FIRDAVS<<<<<<<<<<<<<<<<<<<<<<<\n4012345676TJK8803145M3106305<<<<<<<<<<<<<<04")
    page.click("form[action$='/screen/typed'] button")
    page.wait_for_selector(".banner.verdict-alert")
    page.keyboard.press("2")
    assert page.locator("#decision-prompt").inner_text() == "Нажмите Enter, чтобы записать «На вторую линию», Esc — отменить."
    page.mouse.click(5, 400)  # a click elsewhere cancels
    assert page.locator("button.decide.selected").count() == 0 and page.locator("#decision-prompt").is_hidden()
    page.click("button[data-lang='en']")
    page.wait_for_selector("html[lang='en']")
    page.context.close()


def test_typed_mrz(browser, live_kiosk):
    page = signed_in(browser, live_kiosk, "officer")
    page.wait_for_selector("body[data-connected='1']")  # the page's script is running
    page.keyboard.press("t")
    page.keyboard.type("P<TJKRAHIMOV<<FIRDAVS<<<<<<<<<<<<<<<<<<<<<<<\n4012345676TJK8803145M3106305<<<<<<<<<<<<<<04")
    page.click("text=Check typed MRZ")
    page.wait_for_selector(".banner.verdict-alert")
    assert "Date of birth check digit" in page.locator(".reasons").inner_text()
    page.context.close()


def test_switch_language_to_russian(browser, live_kiosk, shots):
    page = signed_in(browser, live_kiosk, "supervisor")
    page.click("button[data-lang='ru']")
    page.wait_for_selector("text=Проверить документ")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.screenshot(path=str(shots / "screen-russian.png"), full_page=True)
    page.goto(live_kiosk["url"] + "/history/")
    assert page.locator("h1").inner_text() == "Журнал"
    page.screenshot(path=str(shots / "history-russian.png"), full_page=True)
    page.click("button[data-lang='en']")
    page.wait_for_selector("h1:has-text('History')")
    page.context.close()


def test_training_mode_score(browser, live_kiosk, shots):
    page = signed_in(browser, live_kiosk, "trainer")
    page.goto(live_kiosk["url"] + "/training/")
    page.fill("input[name=folder]", str(SAMPLES))
    page.fill("input[name=title]", "Browser course")
    page.click("form[action$='/training/open'] button.primary")
    page.wait_for_selector("text=Training set opened.")
    page.context.close()

    page = signed_in(browser, live_kiosk, "officer")
    page.goto(live_kiosk["url"] + "/training/")
    page.click("tr:has-text('Browser course') >> text=Start or continue")
    page.wait_for_selector("text=What is your verdict?")
    page.screenshot(path=str(shots / "training-document.png"), full_page=True)
    for _ in range(3):
        with page.expect_navigation():
            page.keyboard.press("1")  # 'clear' for the first three documents
    page.click("text=My score")
    score = page.locator("#score").inner_text()
    assert score.endswith("/ 3") and int(score.split("/")[0]) >= 1  # right of the three answered
    assert page.locator("tr.right, tr.wrong").count() == 3
    page.screenshot(path=str(shots / "training-score.png"), full_page=True)
    page.context.close()


# The administrator's screens in each language: (language, words the page must show).
ADMIN_WORDS = {
    "en": {"users": "Users", "added": "User added.", "changed": "Account changed.", "supervisor": "supervisor",
           "disabled": "disabled", "active": "active", "enable": "Enable", "disable": "Disable",
           "change_role": "Change role", "set_password": "Set password", "add": "Add",
           "watchlist": "Watch list", "load": "Load", "loaded": "Loaded", "imported": "entries imported",
           "listed": "Documents listed as lost, stolen or revoked: 2"},
    "ru": {"users": "Пользователи", "added": "Пользователь добавлен.", "changed": "Учётная запись изменена.",
           "supervisor": "старший смены", "disabled": "отключена", "active": "активна", "enable": "Включить",
           "disable": "Отключить", "change_role": "Сменить роль", "set_password": "Задать пароль", "add": "Добавить",
           "watchlist": "Список розыска", "load": "Загрузить", "loaded": "Загружено", "imported": "загружено записей",
           "listed": "Документов в списке утраченных, похищенных и аннулированных: 2"},
}


LOCALES = {"en": "en-US", "ru": "ru-RU"}


def _in_language(page, language: str) -> None:
    page.click(f"button[data-lang='{language}']")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


def _fits_the_screen(page) -> None:
    """Nothing wider than the 1366 px screen, every control of the page's card on it."""
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    overflowing = page.evaluate("""() => [...document.querySelectorAll('main button, main input, main select, main td')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.outerHTML.slice(0, 80))""")
    assert not overflowing, overflowing


def _flash(page) -> str:
    return " ".join(page.locator(".flash").all_inner_texts())


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_users_page_at_1366_in_each_language(browser, live_kiosk, shots, language):
    words = ADMIN_WORDS[language]
    page = signed_in(browser, live_kiosk, "admin", locale=LOCALES[language])
    _in_language(page, language)
    try:
        page.goto(live_kiosk["url"] + "/users")
        assert page.locator("h1").inner_text() == words["users"]
        name = f"browser-{language}"
        form = page.locator("form.inline-form")
        form.locator("input[name=username]").fill(name)
        form.locator("select[name=role]").select_option("officer")
        form.locator("input[name=password]").fill("a-long-password")
        form.locator("button.primary").click()
        assert words["added"] in _flash(page)
        row = page.locator(f"tr[data-user='{name}']")
        assert words["active"] in row.inner_text()
        _fits_the_screen(page)
        page.screenshot(path=str(shots / f"users-{language}.png"), full_page=True)

        row.locator("select[name=role]").select_option("supervisor")
        row.locator(f"button:has-text('{words['change_role']}')").click()
        assert words["changed"] in _flash(page)
        row = page.locator(f"tr[data-user='{name}']")
        assert row.locator("td").nth(1).inner_text() == words["supervisor"]

        row.locator(f"button:has-text('{words['disable']}')").click()
        row = page.locator(f"tr[data-user='{name}']")
        assert words["disabled"] in row.locator("td").nth(3).inner_text()
        assert row.locator(f"button:has-text('{words['enable']}')").is_visible()
        _fits_the_screen(page)
        row.locator(f"button:has-text('{words['enable']}')").click()
        row = page.locator(f"tr[data-user='{name}']")
        assert words["active"] in row.locator("td").nth(3).inner_text()

        row.locator("input[name=password]").fill("another-long-password")
        row.locator(f"button:has-text('{words['set_password']}')").click()
        assert words["changed"] in _flash(page)
    finally:
        _in_language(page, "en")
        page.context.close()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_watch_list_page_at_1366_in_each_language(browser, live_kiosk, shots, language):
    words = ADMIN_WORDS[language]
    page = signed_in(browser, live_kiosk, "admin", locale=LOCALES[language])
    _in_language(page, language)
    try:
        page.goto(live_kiosk["url"] + "/watchlist/")
        assert page.locator("h1").inner_text() == words["watchlist"]
        _fits_the_screen(page)
        page.set_input_files("input[name=csv]", str(SAMPLES / "watchlist.csv"))
        page.locator(f"form[action$='/watchlist/import'] button:has-text('{words['load']}')").click()
        assert words["imported"] in _flash(page) and "watchlist.csv" in _flash(page)
        assert words["listed"] in page.locator("#watchlist-summary").inner_text()
        assert page.locator(f"h2:has-text('{words['loaded']}')").is_visible()
        assert "watchlist.csv" in page.locator("table").inner_text()
        _fits_the_screen(page)
        page.screenshot(path=str(shots / f"watchlist-{language}.png"), full_page=True)
    finally:
        _in_language(page, "en")
        page.context.close()


def test_the_chip_outcome_and_portrait_join_the_shown_page_without_reload(browser, live_kiosk, shots):
    from test_kiosk_chip import MRZ, GatedReader, card_material, make_csca, make_signer

    signer = make_signer(make_csca("KZ", "p256"), "p256", common_name="Document Signer KZ")
    material, _face = card_material(signer)
    reader = GatedReader(material.card())
    kiosk = live_kiosk["app"].extensions["kiosk"]
    kiosk.open_chip_transport = reader
    page = signed_in(browser, live_kiosk, "officer")
    try:
        page.fill("#mrz-text", "\n".join(MRZ))
        page.click("form[action$='/screen/typed'] button")
        # The page's verdict is there at once, with the chip being read.
        page.wait_for_selector(".result[data-chip='pending'] .banner-word")
        assert page.locator(".chip-line").inner_text() == "Chip: reading…"
        page.wait_for_selector("body[data-connected='1']")
        page.evaluate("window.__notReloaded = true")
        reader.gate.set()
        page.wait_for_selector(".result[data-chip='done']", timeout=10000)
        assert page.evaluate("window.__notReloaded") is True  # the panel was swapped in by the 'chip' event
        assert page.locator(".chip-line").inner_text() == "Chip: read over PACE"
        portrait = page.locator(".chip-portrait img")
        portrait.wait_for()
        page.wait_for_function("document.querySelector('.chip-portrait img').naturalWidth > 0")
        assert page.evaluate("document.querySelector('.chip-portrait img').naturalWidth") == 48
        page.screenshot(path=str(shots / "screen-chip.png"), full_page=True)
    finally:
        reader.gate.set()
        kiosk.chip.wait_idle(10)
        kiosk.open_chip_transport = None
        page.context.close()


def test_a_set_of_lights_from_the_hot_folder_switches_with_one_key(browser, live_kiosk, shots):
    from test_kiosk_lights import light_images, write_set

    images = light_images(("mrz_non_ir_ink",), index=3)
    page = signed_in(browser, live_kiosk, "officer")
    page.wait_for_selector("body[data-connected='1']")
    write_set(live_kiosk["inbox"], "reader-0042", images)
    page.wait_for_selector(".result .banner-meta:has-text('reader-0042_white.jpg')", timeout=15000)
    assert page.locator(".banner-word").inner_text() == "ALERT"
    # The switch: one button per light, the white image shown first.
    assert page.locator(".light-button").all_inner_texts() == ["White light", "Infrared", "Ultraviolet"]
    shown = "[...document.querySelectorAll('.result .light-frame')].filter(f => !f.hidden).map(f => f.dataset.light)"
    assert page.evaluate(shown) == ["white"]
    white_src = page.locator(".light-frame[data-light='white'] img").get_attribute("src")
    assert page.locator(".light-frame[data-light='white'] .light-mark").count() == 0
    # L shows the infrared image, where the MRZ in non-IR ink is marked.
    page.keyboard.press("l")
    assert page.evaluate(shown) == ["ir"]
    ir = page.locator(".light-frame[data-light='ir']")
    assert ir.is_visible() and page.locator(".light-frame[data-light='white']").is_hidden()
    assert ir.locator("img").get_attribute("src") != white_src and ir.locator("img").get_attribute("src").endswith("/ir")
    page.wait_for_function("document.querySelector(\".light-frame[data-light='ir'] img\").naturalWidth > 0")
    assert ir.locator("polygon.light-mark.mark-alert").count() == 1
    assert ir.locator("polygon.light-mark title").text_content() == "The MRZ fades under infrared"
    assert page.locator(".light-button[data-light='ir']").get_attribute("aria-pressed") == "true"
    page.screenshot(path=str(shots / "screen-lights-ir.png"), full_page=True)
    # L again: ultraviolet, then back to white; a click shows one directly.
    page.keyboard.press("l")
    assert page.evaluate(shown) == ["uv"]
    page.keyboard.press("l")
    assert page.evaluate(shown) == ["white"]
    page.click(".light-button[data-light='uv']")
    assert page.evaluate(shown) == ["uv"]
    # An ordinary scan shows no switch, and L does nothing there.
    shutil.copyfile(SAMPLES / "001_td3_tkm_scan300.jpg", live_kiosk["inbox"] / "ordinary-0001.jpg")
    page.wait_for_selector(".result .banner-meta:has-text('ordinary-0001.jpg')", timeout=10000)
    assert page.locator(".light-switch").count() == 0
    page.keyboard.press("l")
    assert page.locator(".result .image-frame img").count() == 1
    page.context.close()
