/* Reading aids on top of the static pages, none needed to read them: scroll cues on wide tables
   and charts, full-screen charts, abbreviations on tap, section links under a long page's title,
   empty table columns folded away, and
   onboarding checklists ticked and remembered in this browser (localStorage, nothing is sent).
   Every word comes from the locale file through #handbook-labels (see handbook/.theme/main.html). */
(function () {
  "use strict";

  var labels = {};
  try {
    labels = JSON.parse(document.getElementById("handbook-labels").textContent || "{}");
  } catch (e) {
    labels = {};
  }
  function word(key) {
    return labels[key] || "";
  }

  /* Wide content: what can scroll sideways says so, in words above it and with a fade at the edge. */
  var SCROLLERS = ".md-typeset__scrollwrap, .md-typeset .org-chart, .md-typeset pre > code";

  function cueFor(el) {
    var holder = el.matches("pre > code") ? el.parentElement : el;
    var cue = holder.previousElementSibling;
    if (!cue || !cue.classList.contains("handbook-scroll-cue")) {
      cue = document.createElement("div");
      cue.className = "handbook-scroll-cue";
      cue.textContent = word("theme_scroll_hint");
      holder.parentElement.insertBefore(cue, holder);
    }
    return cue;
  }

  function markScrollers(root) {
    root.querySelectorAll(SCROLLERS).forEach(function (el) {
      var wide = el.scrollWidth > el.clientWidth + 1;
      el.classList.toggle("handbook-scrolls", wide);
      if (wide) {
        el.setAttribute("tabindex", "0"); // a keyboard can scroll it too
        cueFor(el).hidden = false;
        var atEnd = el.scrollLeft + el.clientWidth >= el.scrollWidth - 1;
        el.classList.toggle("handbook-scrolled-end", atEnd);
      } else {
        var holder = el.matches("pre > code") ? el.parentElement : el;
        var cue = holder.previousElementSibling;
        if (cue && cue.classList.contains("handbook-scroll-cue")) cue.hidden = true;
      }
    });
  }

  /* Org charts: a button opens the chart over the whole screen at its drawn size; Esc or the
     button closes it. Works on phones that have no element full-screen API. */
  function closeCharts() {
    document.querySelectorAll(".org-chart.handbook-chart-full").forEach(function (chart) {
      chart.classList.remove("handbook-chart-full");
      var button = chart.previousElementSibling && chart.previousElementSibling.querySelector("button");
      if (button) {
        button.textContent = word("theme_chart_full");
        button.setAttribute("aria-expanded", "false");
      }
    });
    document.documentElement.classList.remove("handbook-chart-open");
  }

  function chartButtons(root) {
    root.querySelectorAll(".md-typeset .org-chart").forEach(function (chart) {
      var bar = chart.previousElementSibling;
      if (bar && bar.classList.contains("handbook-chart-bar")) return;
      bar = document.createElement("div");
      bar.className = "handbook-chart-bar";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button handbook-chart-button";
      button.textContent = word("theme_chart_full");
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () {
        if (chart.classList.contains("handbook-chart-full")) {
          closeCharts();
          return;
        }
        closeCharts();
        chart.classList.add("handbook-chart-full");
        document.documentElement.classList.add("handbook-chart-open");
        button.textContent = word("theme_chart_close");
        button.setAttribute("aria-expanded", "true");
        chart.focus();
      });
      bar.appendChild(button);
      chart.parentElement.insertBefore(bar, chart);
    });
  }

  /* Abbreviations: focusable, so a tap (not only a mouse hover) opens Material's tooltip. */
  function abbreviations(root) {
    root.querySelectorAll(".md-typeset abbr").forEach(function (abbr) {
      if (!abbr.hasAttribute("tabindex")) abbr.setAttribute("tabindex", "0");
    });
  }

  /* A long page's sections as links under its title (on screens too narrow for the contents
     sidebar): the KPIs section is one tap from the top of a role page, with no floating contents button. */
  function sectionLinks(root) {
    var article = root.querySelector("article.md-content__inner");
    if (!article || article.querySelector(".handbook-sections")) return;
    var heads = Array.prototype.slice.call(article.querySelectorAll("h2[id]"));
    if (heads.length < 3 || article.querySelector("[data-picker]")) return;
    var nav = document.createElement("nav");
    nav.className = "handbook-sections";
    nav.setAttribute("aria-label", word("theme_sections"));
    var list = document.createElement("ul");
    heads.forEach(function (h) {
      var a = document.createElement("a");
      a.href = "#" + h.id;
      var copy = h.cloneNode(true);
      copy.querySelectorAll(".headerlink").forEach(function (x) { x.remove(); });
      a.textContent = copy.textContent.trim();
      list.appendChild(document.createElement("li")).appendChild(a);
    });
    nav.appendChild(list);
    var after = article.querySelector("h1 ~ .handbook-stamp, h1 ~ .pdf-download") || article.querySelector("h1");
    while (after && after.nextElementSibling && after.nextElementSibling.matches(".handbook-stamp, .pdf-download")) {
      after = after.nextElementSibling;
    }
    if (after) after.insertAdjacentElement("afterend", nav);
  }

  /* Tables that read as cards on a phone (the KPI index): each cell says its column's name. */
  function stackLabels(root) {
    root.querySelectorAll(".handbook-stack table").forEach(function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (names[i]) cell.setAttribute("data-label", names[i]);
        });
      });
    });
  }

  /* A table column with nothing in any row (a role's KPIs with no rewards or penalties) takes no room. */
  function emptyColumns(root) {
    root.querySelectorAll("article table").forEach(function (table) {
      var rows = Array.prototype.slice.call(table.rows);
      var body = rows.filter(function (r) { return r.parentElement.tagName !== "THEAD"; });
      if (!body.length) return;
      var width = rows[0].cells.length;
      for (var c = 0; c < width; c++) {
        var empty = body.every(function (r) {
          var cell = r.cells[c];
          return cell && cell.colSpan === 1 && !cell.textContent.replace(/[\s—–-]/g, "");
        });
        if (!empty) continue;
        rows.forEach(function (r) { if (r.cells[c]) r.cells[c].classList.add("handbook-empty-column"); });
      }
    });
  }

  /* The elements of the section the element ``from`` is in: its h2 and what follows up to the next h2. */
  function sectionOf(from) {
    var start = from;
    while (start.previousElementSibling && start.tagName !== "H2") start = start.previousElementSibling;
    var out = [start];
    for (var el = start.nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) out.push(el);
    return out;
  }

  /* Onboarding checklists (a section of the role page): ticks kept per role in localStorage, keyed
     by each item's text so an item added or moved by HR does not inherit another item's tick. */
  function checklist(root) {
    root.querySelectorAll("[data-checklist]").forEach(function (tools) {
      var key = "handbook-checklist:" + tools.dataset.checklist;
      var section = sectionOf(tools);
      var boxes = [];
      section.forEach(function (el) {
        boxes = boxes.concat(Array.prototype.slice.call(el.querySelectorAll(".task-list-item input[type=checkbox]")));
      });
      var count = tools.querySelector("[data-checklist-count]");
      function load() {
        try {
          return JSON.parse(window.localStorage.getItem(key) || "{}");
        } catch (e) {
          return {};
        }
      }
      function itemText(box) {
        return (box.closest(".task-list-item").textContent || "").trim();
      }
      function update() {
        var done = boxes.filter(function (box) { return box.checked; }).length;
        if (count) {
          count.textContent = word("onboarding_done").replace("{done}", done).replace("{total}", boxes.length);
        }
      }
      var saved = load();
      boxes.forEach(function (box) {
        box.disabled = false;
        box.setAttribute("aria-label", itemText(box)); // the box's label holds only the drawn tick
        box.checked = saved[itemText(box)] === true;
        box.closest(".task-list-item").classList.toggle("handbook-task-done", box.checked);
        // The whole task row ticks it, not only the small box: a tap anywhere on the task that is
        // not a link (the clause it points to, who sees it done) toggles the box.
        var row = box.closest(".task-list-item");
        row.classList.add("handbook-task");
        row.addEventListener("click", function (event) {
          if (event.target.closest("a, label, input, button")) return;
          box.click();
        });
        box.addEventListener("change", function () {
          row.classList.toggle("handbook-task-done", box.checked);
          var now = load();
          if (box.checked) now[itemText(box)] = true;
          else delete now[itemText(box)];
          window.localStorage.setItem(key, JSON.stringify(now));
          update();
        });
      });
      var reset = tools.querySelector("[data-checklist-reset]");
      if (reset) {
        reset.addEventListener("click", function () {
          window.localStorage.removeItem(key);
          boxes.forEach(function (box) {
            box.checked = false;
            box.closest(".task-list-item").classList.remove("handbook-task-done");
          });
          update();
        });
      }
      /* The checklist's own print button prints the checklist alone, not the whole role page. */
      var print = tools.querySelector("[data-checklist-print]");
      if (print) {
        print.addEventListener("click", function () {
          section.forEach(function (el) { el.classList.add("handbook-print-part"); });
          document.documentElement.classList.add("handbook-print-checklist");
          window.print();
        });
        window.addEventListener("afterprint", function () {
          document.documentElement.classList.remove("handbook-print-checklist");
        });
      }
      tools.hidden = false;
      update();
    });
  }

  /* The 404 page's search button opens the site's own search (assets/search/ui.js). */
  function searchButtons(root) {
    root.querySelectorAll("[data-handbook-search]").forEach(function (label) {
      label.addEventListener("click", function (event) {
        if (!window.handbookSearch) return;
        event.preventDefault();
        window.handbookSearch.open(label);
      });
    });
  }

  function start() {
    var root = document;
    searchButtons(root);
    chartButtons(root);
    abbreviations(root);
    sectionLinks(root);
    emptyColumns(root);
    stackLabels(root);
    checklist(root);
    markScrollers(root);
    root.querySelectorAll(SCROLLERS).forEach(function (el) {
      el.addEventListener("scroll", function () {
        el.classList.toggle("handbook-scrolled-end", el.scrollLeft + el.clientWidth >= el.scrollWidth - 1);
      }, { passive: true });
    });
  }

  var resizeTimer = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () { markScrollers(document); }, 100);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeCharts();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
