// Lotse's only own script: small accessibility helpers, no inline handlers (CSP-friendly).
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  // Close an open <details> menu with Escape and return focus to its summary.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  // Close menus when clicking elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });


  // What-if sliders: show the chosen weight next to each slider.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=range][data-output]")) {
      var output = document.getElementById(input.getAttribute("data-output"));
      if (output) { output.textContent = input.value; }
    }
  });

  // Board: drag a card to another column. It submits the card's own status form, which keyboard
  // and no-JavaScript users use directly, so both paths go through the same server-side check.
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".board-card[draggable=true]");
    if (!card) { return; }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });
  document.addEventListener("dragover", function (event) {
    var column = dragged && event.target.closest && event.target.closest(".board-column");
    if (!column) { return; }
    event.preventDefault();
    document.querySelectorAll(".board-column.drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
    column.classList.add("drop-target");
  });
  document.addEventListener("drop", function (event) {
    var column = dragged && event.target.closest && event.target.closest(".board-column");
    if (!column) { return; }
    event.preventDefault();
    var form = dragged.querySelector("form.move-form");
    var select = form && form.querySelector("select[name=status]");
    if (select && select.value !== column.getAttribute("data-status")) {
      select.value = column.getAttribute("data-status");
      form.submit();
    }
    column.classList.remove("drop-target");
    dragged = null;
  });
  document.addEventListener("dragend", function () {
    document.querySelectorAll(".board-column.drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
    dragged = null;
  });

  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusErrorSummary(event.target); });
})();
