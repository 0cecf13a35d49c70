// Lotse's only own script: small accessibility helpers, no inline handlers (CSP-friendly).
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  // The main navigation folds into a "Menü" button on small screens (without scripts it stays open).
  function navToggle() { return document.querySelector("[data-nav] .nav-toggle"); }
  function setNav(open) {
    var button = navToggle();
    if (!button) { return; }
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.closest("[data-nav]").classList.toggle("is-open", open);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = navToggle();
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { setNav(button.getAttribute("aria-expanded") !== "true"); });
  });

  // Close an open <details> menu (and the phone menu) with Escape and return focus to its summary.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var button = navToggle();
    if (button && button.getAttribute("aria-expanded") === "true") { setNav(false); button.focus(); }
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

  // On a phone every table row becomes a card: each cell carries the name of its column.
  function labelTables(root) {
    (root || document).querySelectorAll("table.table").forEach(function (table) {
      var labels = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      if (!labels.length) { return; }
      table.querySelectorAll("tbody tr, tfoot tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (labels[column] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", labels[column]); }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); labelTables(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusErrorSummary(event.target); labelTables(event.target); });
})();
