// handbook edit: references picked by id or by name. A combobox of our own, not the browser's
// datalist: it searches names as well as ids, and works the same with the keyboard everywhere.
(function () {
  "use strict";
  const box = document.getElementById("picker");
  if (!box) return;
  const MAX = 12;
  let input = null;
  let active = -1;

  function options(el) {
    const list = document.getElementById(el.dataset.list);
    return list ? Array.from(list.options).map((o) => ({value: o.value, label: o.label || o.textContent})) : [];
  }

  function close() {
    if (input) {
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    box.hidden = true;
    box.textContent = "";
    active = -1;
  }

  function mark(index) {
    const items = box.children;
    if (!items.length) return;
    active = (index + items.length) % items.length;
    for (let i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", String(i === active));
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({block: "nearest"});
  }

  function open(el) {
    input = el;
    const typed = el.value.trim().toLowerCase();
    // Exact id or name first, then those that start with what was typed, then the rest that hold it.
    const rank = (o) => {
      const v = o.value.toLowerCase();
      const l = o.label.toLowerCase();
      if (!typed) return 2;
      if (v === typed || l === typed) return 0;
      if (v.startsWith(typed) || l.startsWith(typed)) return 1;
      return v.includes(typed) || l.includes(typed) ? 2 : 3;
    };
    const found = options(el).map((o) => [rank(o), o]).filter((p) => p[0] < 3)
      .sort((a, b) => a[0] - b[0]).map((p) => p[1]).slice(0, MAX);
    box.textContent = "";
    active = -1;
    if (!found.length || (found.length === 1 && found[0].value === el.value)) { close(); return; }
    found.forEach((o, i) => {
      const li = document.createElement("li");
      li.id = "pick-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.value = o.value;
      const name = document.createElement("span");
      name.textContent = o.label;
      const id = document.createElement("code");
      id.textContent = o.value;
      li.append(name, " ", id);
      box.appendChild(li);
    });
    // Right under the input, inside its field: it moves with it when messages appear above.
    el.parentNode.insertBefore(box, el.nextSibling);
    box.style.left = el.offsetLeft + "px";
    box.style.top = (el.offsetTop + el.offsetHeight) + "px";
    box.style.width = el.offsetWidth + "px";
    box.hidden = false;
    el.setAttribute("aria-expanded", "true");
  }

  function pick(value) {
    const el = input;
    el.value = value;
    close();
    el.dispatchEvent(new Event("change", {bubbles: true}));  // a choice: checked at once
  }

  document.addEventListener("input", (event) => {
    if (event.target.dataset && event.target.dataset.list) open(event.target);
  });
  document.addEventListener("keydown", (event) => {
    const el = event.target;
    if (!el.dataset || !el.dataset.list) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (box.hidden || input !== el) open(el);
      if (!box.hidden) { event.preventDefault(); mark(active + (event.key === "ArrowDown" ? 1 : -1)); }
    } else if (event.key === "Enter" && !box.hidden && active >= 0) {
      event.preventDefault();
      pick(box.children[active].dataset.value);
    } else if (event.key === "Escape" && !box.hidden) {
      event.preventDefault();
      close();
    }
  });
  document.addEventListener("focusout", (event) => {
    if (event.target === input) setTimeout(close, 150);  // after a click on an option
  });
  box.addEventListener("mousedown", (event) => {
    const li = event.target.closest("li");
    if (li) { event.preventDefault(); pick(li.dataset.value); }
  });
})();
