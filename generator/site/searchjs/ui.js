/* The search box, the same on both site engines: a header button opens a dialog (full screen on a
   phone, with a visible close button); typing asks worker.js, which ranks with core.js over the
   index `handbook build` wrote (search/index.json). Every word comes from the locale file through
   #handbook-labels (handbook/.theme/main.html). The dialog says when it has answered a query in
   its data-state and data-query attributes, which the browser tests wait for. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !("Worker" in window)) return;
  var here = new URL(".", script.src);
  var root = new URL("../../", here);
  var labels = {};
  try {
    labels = JSON.parse((document.getElementById("handbook-labels") || {}).textContent || "{}");
  } catch (e) {
    labels = {};
  }
  function word(key, n) {
    var text = labels[key] || "";
    return n === undefined ? text : text.replace("{n}", String(n));
  }

  var ICON =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
    '<path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5Z"/></svg>';

  var worker = null;
  var dialog = null;
  var input = null;
  var status = null;
  var list = null;
  var opener = null;
  var asked = 0;
  var answered = 0;
  var timer = 0;
  var ready = false;
  var failed = false;

  function startWorker() {
    if (worker) return;
    worker = new Worker(new URL("worker.js", here));
    worker.onmessage = function (event) {
      var m = event.data;
      if (m.type === "ready") {
        ready = true;
        if (dialog && !input.value.trim()) say("");
      } else if (m.type === "failed") {
        failed = true;
        finish(input ? input.value : "", word("search_failed"));
      } else if (m.type === "results") {
        answered = m.id;
        if (m.id === asked) show(m);
      }
    };
    worker.postMessage({ type: "load", url: new URL("search/index.json", root).href });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function say(text) {
    status.textContent = text;
  }

  function finish(query, text) {
    say(text);
    dialog.setAttribute("data-query", query);
    dialog.setAttribute("data-state", "done");
  }

  function pieces(holder, parts) {
    parts.forEach(function (part) {
      holder.appendChild(part[1] ? el("mark", "", part[0]) : document.createTextNode(part[0]));
    });
  }

  function show(m) {
    list.textContent = "";
    m.results.forEach(function (result) {
      var item = el("li", "hb-search__result");
      var own = result.sections.filter(function (s) { return s.url === result.url; })[0];
      var link = el("a", "hb-search__page");
      link.href = new URL(result.url, root).href;
      if (result.crumb) link.appendChild(el("span", "hb-search__crumb", result.crumb));
      link.appendChild(el("span", "hb-search__title", result.title));
      if (own) pieces(link.appendChild(el("span", "hb-search__snippet")), own.pieces);
      item.appendChild(link);
      var others = result.sections.filter(function (s) { return s !== own; });
      if (others.length) {
        var sub = el("ul", "hb-search__sections");
        others.forEach(function (s) {
          var a = el("a", "hb-search__section");
          a.href = new URL(s.url, root).href;
          a.appendChild(el("span", "hb-search__heading", s.heading || result.title));
          pieces(a.appendChild(el("span", "hb-search__snippet")), s.pieces);
          sub.appendChild(el("li")).appendChild(a);
        });
        item.appendChild(sub);
      }
      list.appendChild(item);
    });
    var text = m.total === 0 ? word("search_none") : m.total === 1 ? word("search_one") : word("search_many", m.total);
    finish(m.query, text);
  }

  function ask() {
    var query = input.value;
    dialog.setAttribute("data-state", "busy");
    if (!query.trim()) {
      list.textContent = "";
      finish(query, ready || failed ? "" : word("search_loading"));
      return;
    }
    if (failed) {
      finish(query, word("search_failed"));
      return;
    }
    if (!ready) say(word("search_loading"));
    asked += 1;
    worker.postMessage({ type: "query", id: asked, query: query });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function build() {
    dialog = el("dialog", "hb-search");
    dialog.setAttribute("aria-label", word("search_title"));
    var bar = el("div", "hb-search__bar");
    input = el("input", "hb-search__input");
    input.type = "search";
    input.setAttribute("aria-label", word("search_title"));
    input.placeholder = word("search_placeholder");
    input.autocomplete = "off";
    input.setAttribute("enterkeyhint", "search");
    input.setAttribute("aria-controls", "hb-search-results");
    input.setAttribute("aria-describedby", "hb-search-status");
    var close = el("button", "hb-search__close", word("search_close"));
    close.type = "button";
    close.addEventListener("click", closeSearch);
    bar.appendChild(input);
    bar.appendChild(close);
    status = el("p", "hb-search__status");
    status.id = "hb-search-status";
    status.setAttribute("role", "status");
    list = el("ol", "hb-search__results");
    list.id = "hb-search-results";
    list.setAttribute("aria-label", word("search_results"));
    dialog.appendChild(bar);
    dialog.appendChild(status);
    dialog.appendChild(list);
    document.body.appendChild(dialog);
    // A query is answered at once when nothing is waiting (a word from an input method, a paste,
    // the first key); keys that come while an answer is on its way wait for a 60 ms pause, so a
    // fast typist's burst is asked once, not letter by letter.
    input.addEventListener("input", function () {
      var waiting = timer !== 0 || answered < asked;
      clearTimeout(timer);
      timer = 0;
      dialog.setAttribute("data-state", "busy");
      if (waiting) {
        timer = setTimeout(function () {
          timer = 0;
          ask();
        }, 60);
      } else {
        ask();
      }
    });
    input.addEventListener("keydown", function (event) {
      var all = links();
      if (event.key === "ArrowDown" && all.length) {
        event.preventDefault();
        all[0].focus();
      } else if (event.key === "Enter" && all.length) {
        event.preventDefault();
        all[0].click();
      }
    });
    list.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < all.length - 1) {
        event.preventDefault();
        all[at + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (at > 0 ? all[at - 1] : input).focus();
      }
    });
    list.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a")) closeSearch();
    });
    // A click on the backdrop (outside the panel) closes it, as Esc does.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) closeSearch();
    });
    dialog.addEventListener("close", function () {
      document.documentElement.classList.remove("hb-search-open");
      if (opener) opener.focus();
    });
  }

  function openSearch(from) {
    startWorker();
    if (!dialog) build();
    opener = from || document.activeElement;
    if (!dialog.open) dialog.showModal();
    document.documentElement.classList.add("hb-search-open");
    input.focus();
    input.select();
    if (!input.value) finish("", ready || failed ? "" : word("search_loading"));
  }

  function closeSearch() {
    if (dialog && dialog.open) dialog.close();
  }

  function addButton() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".hb-search-button")) return;
    var button = el("button", "md-header__button md-icon hb-search-button");
    button.type = "button";
    button.title = word("search_title");
    button.setAttribute("aria-label", word("search_title"));
    button.setAttribute("aria-haspopup", "dialog");
    button.innerHTML = ICON;
    button.addEventListener("click", function () { openSearch(button); });
    // Readers who hover or focus the button are about to search: the index starts loading then.
    button.addEventListener("pointerenter", startWorker, { once: true });
    button.addEventListener("focus", startWorker, { once: true });
    header.insertBefore(button, header.querySelector(".md-header__source"));
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      openSearch();
    }
  });

  window.handbookSearch = { open: openSearch, close: closeSearch };
  addButton();
})();
