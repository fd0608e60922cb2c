// handbook edit: the form's values as JSON, checked on each change (debounced), saved on request.
// The markup (editor/templates/form.html.j2) is the contract: [data-w] widgets, .kids and .items.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("config").textContent);
  const form = document.getElementById("entity");
  const root = form.querySelector(":scope > [data-w]");
  const words = config.words;
  let hash = config.hash;
  let rel = config.rel;
  let timer = null;
  let asked = 0;
  let lastSent = "";

  const idInput = document.getElementById("f-id");
  if (idInput && !idInput.value) idInput.placeholder = config.ident;  // the id the file name gives

  function fid(path) { return path.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, ""); }
  function kids(el) {
    const box = el.querySelector(":scope > .kids");
    return box ? Array.from(box.querySelectorAll(":scope > [data-w], :scope > details > [data-w]")) : [];
  }
  function items(el) { return Array.from(el.querySelector(":scope > .items").children); }
  function inner(li) { return li.querySelector(":scope > [data-w]"); }

  // Walks the form: the value of each widget, and its path (as the validator names fields) kept on it.
  function collect(el, path) {
    el.dataset.path = path;
    const id = "f-" + fid(path);
    const w = el.dataset.w;
    const msg = el.querySelector(":scope > .msg");
    if (msg) msg.id = "m-" + id;
    if (w === "group") {
      el.id = id;
      const out = {};
      for (const c of kids(el)) out[c.dataset.name] = collect(c, path ? path + "." + c.dataset.name : c.dataset.name);
      return out;
    }
    if (w === "list" || w === "map") {
      el.id = id;
      return items(el).map((li, i) => {
        if (w === "list") return collect(inner(li), path + "[" + i + "]");
        const key = li.querySelector(":scope > .key input").value.trim();
        return [key, collect(inner(li), path + "." + (key || i))];
      });
    }
    const input = el.querySelector(".v");
    input.id = id;
    const label = el.querySelector(":scope > label");
    if (label) label.htmlFor = id;
    const help = el.querySelector(":scope > .help");
    if (help) help.id = "h-" + id;
    input.setAttribute("aria-describedby", (help ? help.id + " " : "") + "m-" + id);
    return input.value;
  }

  function data() { return collect(root, ""); }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Handbook-Token": config.token},
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let answer;
    try { answer = JSON.parse(text); } catch (e) { answer = {ok: false, message: text}; }
    return {status: response.status, body: answer};
  }

  function place(field) {
    // The widget a problem's field names, or the nearest one holding it.
    let at = field || "";
    for (;;) {
      const el = form.querySelector('[data-path="' + CSS.escape(at) + '"]');
      if (el) return el;
      const up = at.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
      if (up === at) return root;
      at = up;
    }
  }

  function show(result) {
    for (const el of form.querySelectorAll(".msg")) el.textContent = "";
    for (const el of form.querySelectorAll(".bad")) el.classList.remove("bad");
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    const list = document.getElementById("problem-list");
    list.textContent = "";
    const all = result.problems.concat(result.other || []);
    document.getElementById("problems-heading").textContent =
      all.length ? words.edit_problems.replace("{n}", all.length) : words.edit_no_problems;
    for (const p of all) {
      const li = document.createElement("li");
      li.className = p.severity;
      const text = p.message + (p.fix ? " → " + p.fix : "");
      if (p.file === rel) {
        const el = place(p.field);
        const msg = el.querySelector(":scope > .msg");
        if (msg) {
          const line = document.createElement("span");
          line.className = p.severity;
          line.textContent = text;
          msg.appendChild(line);
        }
        el.classList.add("bad");
        const input = el.querySelector(":scope > .v");
        if (input && p.severity === "error") input.setAttribute("aria-invalid", "true");
        const link = document.createElement("a");
        link.href = "#" + (input ? input.id : el.id);
        link.textContent = (p.field || rel) + ": ";
        li.appendChild(link);
        li.appendChild(document.createTextNode(text));
      } else {
        li.textContent = p.file + ":" + p.line + "  " + (p.field ? p.field + "  " : "") + text;
      }
      list.appendChild(li);
    }
    document.body.dataset.checked = String(asked);
  }

  // One check in flight at a time: a change made meanwhile is checked when it returns, so fast
  // typing never queues checks on the server that the next keystroke has already made stale.
  let inFlight = false;
  let again = false;
  async function check() {
    if (inFlight) { again = true; return; }
    const started = performance.now();
    const sent = data();
    const text = JSON.stringify(sent);
    if (text === lastSent) return;  // nothing changed since the last check (a field left as it was)
    lastSent = text;
    const collected = performance.now() - started;
    const mine = ++asked;
    inFlight = true;
    let result = null;
    try {
      result = await post("/api/check", {rel: rel, data: sent});
    } catch (e) {
      // The server did not answer (busy, restarted, the network): this form is not checked yet, so
      // it is sent again shortly instead of leaving the last answer on the page as if it were current.
      lastSent = null;
    } finally {
      inFlight = false;
    }
    if (again) { again = false; check(); return; }
    if (result === null) {
      status(words.edit_unreachable, "error");
      clearTimeout(timer);
      timer = setTimeout(check, 1000);
      return;
    }
    if (mine !== asked) return;
    const shown = performance.now();
    if (document.getElementById("status").textContent === words.edit_unreachable) status("", "");
    if (result.status === 200) show(result.body);
    else status(result.body.message || String(result.status), "error");
    // The page's own share of a check (collecting the form, placing the messages), for make bench.
    document.body.dataset.scriptMs = (collected + performance.now() - shown).toFixed(1);
  }

  function changed(event) {
    // Typing waits for a pause; a choice made (a select, a picked id, a field left) is checked at once.
    clearTimeout(timer);
    timer = setTimeout(check, event && event.type === "change" ? 0 : config.debounce);
  }

  function status(text, kind) {
    const el = document.getElementById("status");
    el.className = kind || "";
    el.textContent = text;
  }

  async function save(draft) {
    clearTimeout(timer);
    const result = await post("/api/save", {rel: rel, hash: hash, data: data(), draft: draft});
    const body = result.body;
    if (body.problems) show(body);
    status(body.message, body.ok ? "ok" : "error");
    if (result.status === 200 && body.ok && !draft) {
      hash = body.hash;
      if (body.renamed) {  // the form opens again from the renamed file, with the alias it was given
        location.assign("/edit/" + body.rel + "#saved");
        return;
      }
      const banner = document.getElementById("draft-banner");
      if (banner) banner.remove();
      const frame = document.getElementById("preview");
      if (frame && body.preview_url) frame.src = body.preview_url;
      const pdf = document.getElementById("pdf");
      if (pdf && body.pdf_url) pdf.href = body.pdf_url;
      document.body.dataset.saved = String(Number(document.body.dataset.saved || 0) + 1);
    }
  }

  function renumber() { data(); changed(); }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const li = button.closest("li.it");
    if (button.classList.contains("add")) {
      const list = button.closest("fieldset");
      const template = document.getElementById(list.dataset.t);
      const fresh = template.content.firstElementChild.cloneNode(true);
      list.querySelector(":scope > .items").appendChild(fresh);
      renumber();
      const first = fresh.querySelector("input, select, textarea");
      if (first) first.focus();
    } else if (li && button.classList.contains("rm")) {
      const list = li.closest("fieldset");
      li.remove();
      renumber();
      list.querySelector(":scope > .add").focus();
    } else if (li && button.classList.contains("up") && li.previousElementSibling) {
      li.parentNode.insertBefore(li, li.previousElementSibling);
      renumber();
      button.focus();
    } else if (li && button.classList.contains("down") && li.nextElementSibling) {
      li.parentNode.insertBefore(li.nextElementSibling, li);
      renumber();
      button.focus();
    }
  });
  document.getElementById("save").addEventListener("click", () => save(false));
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save(false);
    }
  });
  if (location.hash === "#saved") {
    status(words.edit_saved.replace("{path}", rel), "ok");
    history.replaceState(null, "", location.pathname);
  }
  document.getElementById("save-draft").addEventListener("click", () => save(true));
  const discard = document.getElementById("discard-draft");
  if (discard) discard.addEventListener("click", async () => {
    await post("/api/discard", {rel: rel});
    location.reload();
  });
  check();
})();
