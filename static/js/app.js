// Small behaviours the pages share. No inline scripts anywhere: the CSP forbids them.
(function () {
  document.documentElement.classList.add("js");
  // The menu folds away on a phone's width; the button opens and closes it.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("#menu-toggle");
    if (!toggle) return;
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    document.getElementById("menu").classList.toggle("open", open);
  });
  // A link to a folded form (the client page's "record" shortcuts) opens it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-opens]");
    if (!link) return;
    var target = document.getElementById(link.dataset.opens);
    if (target) target.open = true;
  });
  // A print button (the desk's day sheet): the page's print styles leave out the forms.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  // The visit form's client picker: a choice fills the hidden client_id, and the form asks again
  // which rules apply (its htmx trigger is "change").
  document.addEventListener("click", function (event) {
    var choice = event.target.closest("[data-client-id]");
    if (!choice) return;
    var form = choice.closest("form");
    form.querySelector("#client_id").value = choice.dataset.clientId;
    form.querySelector("#client_q").value = choice.dataset.clientName;
    choice.closest("#client-choices").replaceChildren();
    form.dispatchEvent(new Event("change", { bubbles: true }));
  });
  function showError(message) {
    var flashes = document.getElementById("flashes");
    if (!flashes) return;
    var div = document.createElement("div");
    div.className = "flash flash-danger";
    div.setAttribute("role", "alert");
    div.textContent = message;
    flashes.replaceChildren(div);
  }
  // A failed request with no body of its own (a dropped connection, a proxy error) still
  // deserves a message; the texts come translated from the page.
  document.addEventListener("htmx:responseError", function (event) {
    if (!event.detail.xhr.responseText) showError(document.body.dataset.errorMessage);
  });
  document.addEventListener("htmx:sendError", function () {
    showError(document.body.dataset.networkMessage);
  });
  // While a pinyin input method composes a word the field holds letters such as "bao'xiu":
  // nothing is searched for them; the finished word is searched when the composition ends.
  document.addEventListener("compositionstart", function (event) {
    event.target.dataset.composing = "1";
  });
  document.addEventListener("compositionend", function (event) {
    delete event.target.dataset.composing;
    event.target.dispatchEvent(new Event("input", { bubbles: true }));
  });
  // In-place editing: Esc cancels (the form's own cancel link), and after a save or a cancel
  // the cursor returns to the section it was in, so keyboard users keep their place.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var form = event.target.closest && event.target.closest("section.section form");
    var cancel = form && form.querySelector("a[hx-get]");
    if (cancel) cancel.click();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    // An outerHTML swap replaced the target: find the new section by its id.
    var section = event.detail.target && document.getElementById(event.detail.target.id);
    if (!section || !section.matches("section.section") || section.querySelector("form")) return;
    var link = section.querySelector(".edit-link");
    if (link) link.focus();
  });
  // "Copy answer": the article's text, ready to paste into a chat with the client. The clipboard
  // API needs a secure page; on plain http an intranet has, the selection is copied instead.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.dataset.copy);
    var text = source.innerText.trim();
    var done = function () { button.textContent = button.dataset.copied; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    if (document.execCommand("copy")) done();
    selection.removeAllRanges();
  });
  // On a phone's width a list's rows become cards without the header row: each cell is labelled
  // with its column's heading (the first named column is the card's title and needs none).
  function labelListCells(root) {
    root.querySelectorAll("table.list").forEach(function (table) {
      var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        var hidden = th.querySelector(".visually-hidden");
        return hidden && th.textContent.trim() === hidden.textContent.trim() ? "" : th.textContent.trim();
      });
      var title = headings.findIndex(function (heading) { return heading; });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, index) {
          if (index !== title && headings[index] && cell.colSpan === 1) cell.dataset.label = headings[index];
        });
      });
    });
  }
  document.addEventListener("htmx:load", function (event) { labelListCells(event.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { labelListCells(document); });
  document.addEventListener("htmx:confirm", function (event) {
    var field = document.activeElement;
    if (field && field.dataset && field.dataset.composing && event.detail.elt.contains(field)) {
      event.preventDefault();
    }
  });
})();
