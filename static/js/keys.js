/* Keyboard use of the work list and of decision forms. Served from our own static files: no
   inline script (CSP) and no CDN (the product runs on government intranets). */
(function () {
  "use strict";

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && !/^(radio|checkbox|submit|button)$/.test(target.type));
  }

  /* Work list: j / k move, p preview, Enter open, n claim next. */
  var table = document.getElementById("worklist");
  if (table) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-task]"));
    var current = rows.findIndex(function (r) { return r.classList.contains("current"); });
    var select = function (i) {
      if (!rows.length) return;
      current = Math.max(0, Math.min(rows.length - 1, i));
      rows.forEach(function (r, n) { r.classList.toggle("selected", n === current); });
      rows[current].querySelector("a.open").focus();
    };
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      var row = rows[current];
      if (e.key === "j") { select(current + 1); e.preventDefault(); }
      else if (e.key === "k") { select(current - 1); e.preventDefault(); }
      else if (e.key === "p" && row) { window.location = row.querySelector("a.preview-link").href; }
      else if (e.key === "n") {
        var claim = document.getElementById("claim-next");
        if (claim) { claim.form.submit(); }
      }
    });
  }

  /* Decision forms: 1-9 pick the n-th choice, Ctrl+Enter (⌘+Enter) submits. */
  Array.prototype.forEach.call(document.querySelectorAll("form.decision-form"), function (form) {
    var radios = form.querySelectorAll("input[type=radio]");
    document.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
        e.preventDefault();
        var button = form.querySelector("button[type=submit].primary") || form.querySelector("button[type=submit]");
        if (form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      var n = parseInt(e.key, 10);
      var first = radios.length ? radios[0].name : null;
      var group = Array.prototype.filter.call(radios, function (r) { return r.name === first; });
      if (n >= 1 && n <= group.length) {
        group[n - 1].checked = true;
        group[n - 1].focus();
        group[n - 1].dispatchEvent(new Event("change", { bubbles: true }));
        e.preventDefault();
      }
    });
  });
})();
