// Small behaviours the pages share. No inline scripts anywhere: the CSP forbids them.
(function () {
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
})();
