// Typeset the math with the shipped KaTeX (MathML inside, for screen readers), preview how
// the answer is read, and load a chosen file into a text area (teacher page).
"use strict";

function typeset(root) {
  if (typeof renderMathInElement !== "function") return;
  renderMathInElement(root, {
    delimiters: [{left: "$$", right: "$$", display: true}, {left: "$", right: "$", display: false}],
    throwOnError: false, output: "htmlAndMathml"
  });
}

// A formula wider than a phone scrolls inside its own box: such a box takes the keyboard focus
// (arrow keys scroll it) and says what it is; a box that fits stays out of the tab order.
function scrollables() {
  for (const box of document.querySelectorAll(".math, .display")) {
    const named = box.hasAttribute("aria-label") && !box.dataset.scrolls;
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      box.dataset.scrolls = "yes";
      if (!named) {
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "wide formula, scroll sideways");
      }
    } else if (box.dataset.scrolls) {
      box.removeAttribute("tabindex");
      delete box.dataset.scrolls;
      if (box.getAttribute("aria-label") === "wide formula, scroll sideways") {
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }
}

function preview() {
  const box = document.getElementById("text");
  const out = document.getElementById("preview");
  const token = document.querySelector("input[name=token]");
  if (!box || !out || !token) return;
  let timer = null, asked = 0;
  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++asked;
      const text = box.value;
      if (!text.trim()) { out.textContent = ""; return; }
      try {
        const r = await fetch("/practice/preview", {method: "POST", headers: {"Content-Type": "application/json"},
          body: JSON.stringify({token: token.value, text: text})});
        const data = await r.json();
        if (mine !== asked) return;
        out.textContent = data.error || (data.readable ? data.parsed : data.message || "…");
        out.className = data.readable ? "ok" : "bad";
      } catch (e) { out.textContent = ""; }
    }, 350);
  });
}

function fileInputs() {
  for (const input of document.querySelectorAll("input[type=file][data-into]")) {
    input.addEventListener("change", () => {
      const file = input.files[0];
      if (!file) return;
      file.text().then(t => { document.getElementById(input.dataset.into).value = t; });
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  typeset(document.body); scrollables(); preview(); fileInputs();
  window.addEventListener("resize", scrollables);
});
