// Every text box with a maximum length shows a live counter ("123/5000"). Without JavaScript
// the template states the limit in text and the browser's maxlength applies. With it, the
// maxlength attribute is lifted: a browser cuts a longer paste silently, whereas here the
// whole text stays in the box, the counter turns red and says by how much it is over, and
// the server refuses it with an error (nothing is ever shortened behind the user's back).
(function () {
  "use strict";
  var SELECTOR = "textarea[maxlength], input[maxlength], textarea[data-maxlength], input[data-maxlength]";
  var SKIP = { hidden: 1, password: 1, date: 1, number: 1, file: 1, checkbox: 1, radio: 1 };

  function length(value) { return Array.from(value).length; } // code points, as the server counts

  function counterFor(field) {
    var id = field.getAttribute("aria-describedby");
    var el = id && document.getElementById(id);
    if (!el) {
      var next = field.nextElementSibling;
      el = next && next.classList.contains("char-limit") ? next : null;
    }
    if (!el) {
      el = document.createElement("small");
      el.className = "char-limit";
      field.insertAdjacentElement("afterend", el);
    }
    el.setAttribute("aria-live", "polite");
    return el;
  }

  function update(field) {
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    if (!max) { return; }
    var n = length(field.value);
    var el = field._charCounter || (field._charCounter = counterFor(field));
    var over = n - max;
    el.textContent = n + "/" + max + (over > 0 ? "（超出 " + over + " 字，请删减）" : "");
    el.classList.toggle("char-over", over > 0);
    field.classList.toggle("is-over-limit", over > 0);
  }

  function setup(root) {
    var fields = (root.querySelectorAll ? root : document).querySelectorAll(SELECTOR);
    Array.prototype.forEach.call(fields, function (field) {
      if (SKIP[field.type] || field.hasAttribute("data-counter")) { return; }
      if (field.autocomplete === "username") { return; } // a login name needs no counter
      if (!field.hasAttribute("data-maxlength")) {
        field.setAttribute("data-maxlength", field.getAttribute("maxlength"));
      }
      field.removeAttribute("maxlength");
      field.setAttribute("data-counter", "on");
      update(field);
    });
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-counter")) { update(field); }
  });
  // Rows added from a <template> and htmx partials bring new boxes.
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      Array.prototype.forEach.call(r.addedNodes, function (node) {
        if (node.nodeType === 1) { setup(node.parentNode || node); }
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setup(document); });
  } else {
    setup(document);
  }
})();
