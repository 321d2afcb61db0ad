// The kiosk's one script: live "new scan" updates, drag-and-drop upload, keyboard shortcuts.
// Plain browser JavaScript, no libraries: the kiosk works with no network.
(function () {
  "use strict";
  const body = document.body;

  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" ||
                      target.isContentEditable);
  }

  // --- live updates (Server-Sent Events) -------------------------------------------------
  let latest = parseInt(body.dataset.latest || "0", 10);
  let pendingId = null;
  let chosen = null;  // the decision button chosen from the keyboard, waiting for Enter

  function urlFor(template, id) { return template.replace(/\/0(\/|$)/, "/" + id + "$1"); }

  function officerIsBusy() {
    const note = document.getElementById("decision-note");
    const typed = document.getElementById("mrz-text");
    return chosen !== null || (note && note.value.trim() !== "") ||
           (typed && typed.value.trim() !== "" && document.activeElement === typed);
  }

  async function showScreening(id) {
    const response = await fetch(urlFor(body.dataset.panel, id), {credentials: "same-origin"});
    if (response.redirected && response.url.indexOf(body.dataset.login) !== -1) {
      window.location.assign(response.url);  // the session ended: sign in again
      return;
    }
    if (!response.ok) return;
    chosen = null;  // a choice belonged to the screening being replaced
    document.getElementById("result").innerHTML = await response.text();
    const banner = document.querySelector(".banner");
    if (banner) banner.classList.add("fresh");
    const verdict = document.querySelector(".result");
    if (verdict) document.title = (verdict.dataset.verdictWord || verdict.dataset.verdict.toUpperCase()) + " · " +
                                  document.title.split(" · ").slice(-2).join(" · ");
    history.replaceState(null, "", urlFor(body.dataset.show, id));
    document.getElementById("new-scan").hidden = true;
    pendingId = null;
    refreshRecent(id);
  }

  async function refreshRecent(currentId) {
    const response = await fetch(body.dataset.recent + "?current=" + currentId, {credentials: "same-origin"});
    if (response.ok && !response.redirected) document.getElementById("recent").innerHTML = await response.text();
  }

  function onScreening(event) {
    const data = JSON.parse(event.data);
    if (data.id <= latest) return;
    latest = data.id;
    if (officerIsBusy()) {
      pendingId = data.id;  // do not pull the page from under an officer who is writing
      document.getElementById("new-scan").hidden = false;
      refreshRecent(currentId());
    } else {
      showScreening(data.id);
    }
  }

  // A chip read joined a screening: the panel showing it is fetched again (verdict, reasons, chip line,
  // portrait). A note being written is kept; a decision chosen from the keyboard is cancelled, as the
  // verdict it was chosen on may have changed.
  async function refreshPanel(id) {
    const response = await fetch(urlFor(body.dataset.panel, id), {credentials: "same-origin"});
    if (response.redirected && response.url.indexOf(body.dataset.login) !== -1) {
      window.location.assign(response.url);
      return;
    }
    if (!response.ok || String(id) !== currentId()) return;
    const html = await response.text();
    const note = document.getElementById("decision-note");
    const kept = note ? note.value : "";
    const noteFocused = note !== null && document.activeElement === note;
    const checks = document.getElementById("checks");
    const checksOpen = checks !== null && checks.open;
    cancelChoice();
    document.getElementById("result").innerHTML = html;
    const newNote = document.getElementById("decision-note");
    if (newNote) { newNote.value = kept; if (noteFocused) newNote.focus(); }
    const newChecks = document.getElementById("checks");
    if (newChecks && checksOpen) newChecks.open = true;
    const verdict = document.querySelector(".result");
    if (verdict) document.title = (verdict.dataset.verdictWord || verdict.dataset.verdict.toUpperCase()) + " · " +
                                  document.title.split(" · ").slice(-2).join(" · ");
    refreshRecent(id);
  }

  function onChip(event) {
    const data = JSON.parse(event.data);
    if (String(data.id) === currentId()) refreshPanel(data.id);
    else refreshRecent(currentId());  // the recent list shows its verdict
  }

  function currentId() {
    const result = document.querySelector(".result");
    return result ? result.dataset.id : "";
  }

  if (body.dataset.live === "1" && window.EventSource) {
    const dot = document.getElementById("live-dot");
    const source = new EventSource(body.dataset.events + "?after=" + latest);
    source.addEventListener("screening", onScreening);
    source.addEventListener("chip", onChip);
    source.addEventListener("open", function () {
      if (dot) dot.className = "dot live";
      body.dataset.connected = "1";
      // A chip read that ended while the stream was down sent its event to no one: look again.
      const shown = document.querySelector(".result[data-chip='pending']");
      if (shown) refreshPanel(shown.dataset.id);
    });
    source.addEventListener("error", function () { if (dot) dot.className = "dot lost"; body.dataset.connected = "0"; });
    const showNew = document.getElementById("show-new");
    if (showNew) showNew.addEventListener("click", function () { if (pendingId) showScreening(pendingId); });
  }

  // --- drag and drop ----------------------------------------------------------------------
  const uploadForm = document.getElementById("upload-form");
  const overlay = document.getElementById("drop-overlay");
  if (uploadForm && overlay) {
    let depth = 0;
    document.addEventListener("dragenter", function (e) { e.preventDefault(); depth++; overlay.hidden = false; });
    document.addEventListener("dragleave", function () { depth = Math.max(0, depth - 1); if (!depth) overlay.hidden = true; });
    document.addEventListener("dragover", function (e) { e.preventDefault(); });
    document.addEventListener("drop", function (e) {
      e.preventDefault(); depth = 0; overlay.hidden = true;
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      document.getElementById("upload-input").files = e.dataTransfer.files;
      uploadForm.submit();
    });
    document.getElementById("upload-input").addEventListener("change", function () {
      if (this.files.length) uploadForm.submit();
    });
  }

  // --- decisions from the keyboard -----------------------------------------------------------
  // Records are append-only and a decision is about a traveller: a key (1, 2, 3) only chooses
  // one, shown on its button with a prompt; Enter records it; Esc, any other key or a click
  // elsewhere cancels. A click on a button records at once, as a click is deliberate.
  function prompt() { return document.getElementById("decision-prompt"); }

  function choose(button) {
    cancelChoice();
    chosen = button;
    button.classList.add("selected");
    button.setAttribute("aria-pressed", "true");
    const line = prompt();
    if (line) { line.textContent = button.dataset.confirm; line.hidden = false; }
    (line || button).scrollIntoView({block: "nearest"});
  }

  function cancelChoice() {
    if (chosen) { chosen.classList.remove("selected"); chosen.removeAttribute("aria-pressed"); }
    chosen = null;
    const line = prompt();
    if (line) { line.hidden = true; line.textContent = ""; }
  }

  // One decision per submission: a second Enter or a double click does not record it twice.
  document.addEventListener("submit", function (e) {
    if (e.target.id !== "decision-form") return;
    if (e.target.dataset.sent === "1") { e.preventDefault(); return; }
    e.target.dataset.sent = "1";
  });

  document.addEventListener("mousedown", function (e) {
    if (chosen && !chosen.contains(e.target)) cancelChoice();
  });

  // --- the light switch (a page captured under white, infrared and ultraviolet light) ----------
  // L shows the next light's image (white -> infrared -> ultraviolet -> white); the buttons show one.
  function showLight(light) {
    const frames = document.querySelectorAll(".result .light-frame");
    if (!frames.length) return false;
    frames.forEach(function (frame) { frame.hidden = frame.dataset.light !== light; });
    document.querySelectorAll(".result .light-button").forEach(function (button) {
      button.setAttribute("aria-pressed", button.dataset.light === light ? "true" : "false");
    });
    const result = document.querySelector(".result");
    if (result) result.dataset.light = light;
    return true;
  }

  function nextLight() {
    const frames = Array.prototype.slice.call(document.querySelectorAll(".result .light-frame"));
    if (!frames.length) return false;
    const shown = frames.findIndex(function (frame) { return !frame.hidden; });
    return showLight(frames[(shown + 1) % frames.length].dataset.light);
  }

  document.addEventListener("click", function (e) {
    const button = e.target.closest ? e.target.closest(".light-button") : null;
    if (button) { e.preventDefault(); showLight(button.dataset.light); }
  });

  const MODIFIERS = ["Shift", "Control", "Alt", "AltGraph", "Meta", "CapsLock", "NumLock"];

  // --- keyboard ---------------------------------------------------------------------------
  document.addEventListener("keydown", function (e) {
    if (chosen) {
      if (MODIFIERS.indexOf(e.key) !== -1) return;
      if (e.key === "Enter" && !e.repeat) { e.preventDefault(); chosen.click(); return; }
      if (e.key === "Escape" || e.key === "Enter") { e.preventDefault(); cancelChoice(); return; }
      cancelChoice();  // any other key cancels the choice, and does what it does
    }
    if (e.key === "Escape" && typing(document.activeElement)) { document.activeElement.blur(); return; }
    if (typing(e.target) || e.ctrlKey || e.altKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    const decision = document.querySelector('button[data-decision-key="' + key + '"]');
    if (decision && !decision.disabled) { e.preventDefault(); choose(decision); return; }
    const button = document.querySelector('button[data-key="' + key + '"]');
    if (button && !button.disabled) { e.preventDefault(); button.click(); return; }
    if (key === "c") {
      const checks = document.getElementById("checks");
      if (checks) { e.preventDefault(); checks.open = !checks.open; if (checks.open) checks.scrollIntoView({block: "nearest"}); }
    } else if (key === "u") {
      const input = document.getElementById("upload-input");
      if (input) { e.preventDefault(); input.click(); }
    } else if (key === "s") {
      const scan = document.getElementById("scan-button");
      if (scan && !scan.disabled) { e.preventDefault(); scan.click(); }
    } else if (key === "t") {
      const typed = document.getElementById("mrz-text");
      if (typed) { e.preventDefault(); typed.focus(); }
    } else if (key === "n") {
      if (pendingId) { e.preventDefault(); showScreening(pendingId); }
    } else if (key === "l") {
      if (nextLight()) e.preventDefault();
    } else if (key === "h") {
      const link = document.querySelector('a[data-key="h"]');
      if (link) { e.preventDefault(); window.location.assign(link.href); }
    }
  });
})();
