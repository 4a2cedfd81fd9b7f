/* Reader helpers: the claims-ledger filter, citation notes in place on touch screens (one note per
 * tap), and tables that fit a phone: a table wider than the screen is shown as stacked rows, each
 * cell labelled with its column's heading. Everything here is an enhancement: without JavaScript every
 * claim, note and table is still there. Material's instant navigation swaps pages without
 * reloading scripts, so each helper runs on every page through Material's `document$`. */
(function () {
  "use strict";

  /* ---- Claims ledger: filter by verdict and by article ---------------------------------- */
  function initLedger() {
    var form = document.querySelector("form[data-ledger-filter]");
    if (!form) return;
    var claims = Array.prototype.slice.call(document.querySelectorAll(".ledger-claim"));
    var status = form.querySelector(".ledger-filter__status");
    var verdict = form.elements.namedItem("verdict");
    var article = form.elements.namedItem("article");
    form.hidden = false;

    function apply() {
      var shown = 0;
      claims.forEach(function (claim) {
        var articles = (claim.getAttribute("data-articles") || "").split(" ");
        var match = (!verdict.value || claim.getAttribute("data-verdict") === verdict.value) &&
          (!article.value || articles.indexOf(article.value) !== -1);
        claim.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = verdict.value || article.value
        ? "Showing " + shown + " of " + claims.length + " claims."
        : "Showing all " + claims.length + " claims.";
    }

    /* A link to a claim the filter hides shows every claim again first. */
    function reveal(id) {
      var target = id && document.getElementById(id);
      if (target && target.closest(".ledger-claim") && target.closest(".ledger-claim").hidden) {
        form.reset();
        apply();
      }
    }

    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    document.querySelectorAll('a[href*="#c"]').forEach(function (link) {
      link.addEventListener("click", function () { reveal(decodeURIComponent(link.hash.slice(1))); });
    });
    reveal(decodeURIComponent(window.location.hash.slice(1)));
    apply();
  }

  /* ---- Extra skip links: focus the first control of their target -------------------- */
  /* Following a link to a fragment only moves where the next Tab starts from, and not always
   * (the target may still be hidden while the page starts). Focusing the control makes one
   * Enter on "Skip to the claim filters" land on the first filter. */
  /* Caught on the way down, before Material's instant navigation handles the link (it would
   * move the page to the fragment after the control has the focus). */
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a.md-skip--extra");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    var control = target && target.querySelector("select, input, button, a[href]");
    if (!control || target.hidden) return;
    event.preventDefault();
    event.stopPropagation();
    target.scrollIntoView({ block: "start" });
    control.focus({ preventScroll: true });
  }, true);

  /* ---- Citation notes in place on touch screens ----------------------------------------- */
  var touch = window.matchMedia("(hover: none), (pointer: coarse)");

  function closeNote(restoreFocus) {
    var open = document.querySelector(".fn-sheet");
    if (!open) return;
    var ref = open.__ref;
    open.remove();
    if (restoreFocus && ref) ref.focus();
  }

  function showNote(ref, note) {
    closeNote(false);
    var sheet = document.createElement("div");
    sheet.className = "fn-sheet md-typeset";
    sheet.setAttribute("role", "dialog");
    sheet.setAttribute("aria-label", "Note " + ref.textContent.trim());
    var body = note.cloneNode(true);
    body.removeAttribute("id");
    body.querySelectorAll(".footnote-backref").forEach(function (back) { back.remove(); });
    body.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    var heading = document.createElement("p");
    heading.className = "fn-sheet__title";
    heading.textContent = "Note " + ref.textContent.trim();
    var actions = document.createElement("p");
    actions.className = "fn-sheet__actions";
    var all = document.createElement("a");
    all.href = "#" + note.id;
    all.textContent = "See all notes";
    all.addEventListener("click", function () { closeNote(false); });
    var close = document.createElement("button");
    close.type = "button";
    close.className = "fn-sheet__close";
    close.textContent = "Back to the text";
    close.addEventListener("click", function () { closeNote(true); });
    actions.appendChild(close);
    actions.appendChild(all);
    sheet.appendChild(heading);
    Array.prototype.slice.call(body.childNodes).forEach(function (node) { sheet.appendChild(node); });
    sheet.appendChild(actions);
    sheet.__ref = ref;
    sheet.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeNote(true);
    });
    document.body.appendChild(sheet);
    close.focus({ preventScroll: true });
  }

  /* Material's citation tooltip (content.footnote.tooltips) opens on a tap's focus and emulated
   * hover, and again when focus returns to the citation, so a tap showed it and the note sheet at
   * once. On touch screens the sheet is the one note: a tooltip Material adds for a citation is
   * hidden as soon as it is added (before it is drawn). Desktop hover and keyboard keep it. */
  function citationTooltip(node) {
    if (!(node instanceof Element) || !node.classList.contains("md-tooltip2") || !node.id) return false;
    var id = CSS.escape(node.id);
    return !!document.querySelector('a.footnote-ref[aria-controls="' + id + '"], a.footnote-ref[aria-describedby="' + id + '"]');
  }

  new MutationObserver(function (changes) {
    if (!touch.matches) return;
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (citationTooltip(node)) node.classList.add("fn-tooltip-off");
      });
    });
  }).observe(document.body, { childList: true });

  function initFootnotes() {
    document.querySelectorAll("a.footnote-ref").forEach(function (ref) {
      ref.addEventListener("click", function (event) {
        if (!touch.matches) return;
        var note = document.getElementById(decodeURIComponent(ref.hash.slice(1)));
        if (!note) return;
        event.preventDefault();
        event.stopPropagation();
        showNote(ref, note);
      });
    });
  }

  /* ---- Tables wider than the screen: stacked rows, each cell labelled ------------------ */
  /* A table that would scroll sideways is shown as one block per row, each cell labelled with its
   * column's heading (data-label, drawn by CSS), so nothing needs sideways scrolling. The roles keep
   * it a table for screen readers while CSS displays it as blocks. The option grid has its own
   * phone layout and is left alone. Without JavaScript tables scroll sideways as before. */
  var TABLE_ROLES = [["table", "table"], ["thead, tbody", "rowgroup"], ["tr", "row"], ["th", "columnheader"], ["td", "cell"]];

  function labelCells(table) {
    var heads = table.tHead ? Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return th.textContent.trim();
    }) : [];
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, index) {
          if (heads[index]) cell.setAttribute("data-label", heads[index]);
        });
      });
    });
  }

  function stack(table, on) {
    if (on) {
      labelCells(table);
      table.setAttribute("data-stacked", "");
    } else {
      table.removeAttribute("data-stacked");
    }
    TABLE_ROLES.forEach(function (pair) {
      var nodes = pair[0] === "table" ? [table] : table.querySelectorAll(pair[0]);
      Array.prototype.forEach.call(nodes, function (node) {
        if (on) node.setAttribute("role", pair[1]);
        else node.removeAttribute("role");
      });
    });
  }

  function fitTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var table = wrap.querySelector("table");
      if (!table || wrap.closest(".option-grid")) return;
      stack(table, false);
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      stack(table, wide);
      var hint = wrap.previousElementSibling;
      if (hint && hint.classList.contains("table-scroll-hint")) hint.remove();
    });
  }

  /* ---- The option grid (and any table left to scroll): say so, let the keyboard scroll it */
  function markTables() {
    fitTables();
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle("is-scrollable", scrolls);
      var hint = wrap.previousElementSibling;
      var hasHint = hint && hint.classList.contains("table-scroll-hint");
      if (scrolls && !hasHint) {
        hint = document.createElement("p");
        hint.className = "table-scroll-hint";
        hint.textContent = "Wide table: scroll sideways to see every column \u2192";
        wrap.parentNode.insertBefore(hint, wrap);
      } else if (!scrolls && hasHint) {
        hint.remove();
      }
      if (scrolls) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table, scrolls sideways");
      } else {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  /* A table inside closed details has no width until it opens: fit it then. */
  document.addEventListener("toggle", function (event) {
    if (event.target.tagName === "DETAILS" && event.target.open) markTables();
  }, true);

  var resizeTimer;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(markTables, 150);
  });

  function init() {
    closeNote(false);
    initLedger();
    initFootnotes();
    markTables();
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
