/* Reading aids on top of the static pages, none needed to read them: scroll cues on wide tables
   and charts, full-screen charts, abbreviations on tap, the home page's role picker, and
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

  /* The home page's role picker: a unit, then one of its roles, then its three links. */
  function picker(root) {
    root.querySelectorAll("[data-picker]").forEach(function (form) {
      var unit = form.querySelector("[data-picker-unit]");
      var role = form.querySelector("[data-picker-role]");
      var links = form.querySelector("[data-picker-links]");
      var options = Array.prototype.slice.call(role.querySelectorAll("option[data-unit]"));
      function showLinks() {
        var chosen = role.selectedOptions[0];
        if (!chosen || !chosen.value) {
          links.hidden = true;
          return;
        }
        links.querySelector('[data-picker-link="page"]').href = chosen.value;
        links.querySelector('[data-picker-link="onboarding"]').href = chosen.dataset.onboarding;
        links.querySelector('[data-picker-link="pdf"]').href = chosen.dataset.pdf;
        links.hidden = false;
      }
      unit.addEventListener("change", function () {
        options.forEach(function (option) {
          var mine = option.dataset.unit === unit.value;
          option.hidden = !mine;
          option.disabled = !mine;
        });
        role.value = "";
        role.disabled = !unit.value;
        showLinks();
      });
      role.addEventListener("change", showLinks);
      form.hidden = false;
    });
  }

  /* Onboarding checklists: ticks kept per role in localStorage, keyed by each item's text so an
     item added or moved by HR does not inherit another item's tick. */
  function checklist(root) {
    root.querySelectorAll("[data-checklist]").forEach(function (tools) {
      var key = "handbook-checklist:" + tools.dataset.checklist;
      var article = tools.closest("article") || document;
      var boxes = Array.prototype.slice.call(article.querySelectorAll(".task-list-item input[type=checkbox]"));
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
      var print = tools.querySelector("[data-checklist-print]");
      if (print) print.addEventListener("click", function () { window.print(); });
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
    picker(root);
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
