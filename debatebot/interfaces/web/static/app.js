// debatebot: clicking a citation marker [n] in an answer opens its passage in the sources panel.
// One delegated listener on the document, so it works for messages streamed in later.
(function () {
  if (window.__debatebotCites) return;
  window.__debatebotCites = true;
  var narrow = function () { return window.matchMedia("(max-width: 768px)").matches; };
  var closeSheet = function () {
    var sheet = document.getElementById("src-sheet");
    if (sheet) sheet.classList.remove("open");
  };
  // the sheet belongs to the Debate tab's answer: Escape closes it, and so does switching tabs
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") closeSheet(); });
  document.addEventListener("click", function (e) {
    var close = e.target && e.target.closest ? e.target.closest("#src-sheet .src-close") : null;
    if (close) {
      closeSheet();
      return;
    }
    if (e.target && e.target.closest && e.target.closest("[role=tab], .tab-nav button, button[role=tab]")) {
      closeSheet();
      return;
    }
    // the chat's sanitizer keeps class and href (not data-*), so the target is read from href="#src-T-N"
    var a = e.target && e.target.closest ? e.target.closest("a.cite, [data-cite]") : null;
    if (!a) return;
    var id = a.getAttribute("data-cite") ? "src-" + a.getAttribute("data-cite") : (a.getAttribute("href") || "").replace(/^.*#/, "");
    if (id.indexOf("src-") !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    var card = document.getElementById(id);
    if (!card) return;
    document.querySelectorAll("details.src-card.active").forEach(function (c) {
      if (c !== card) { c.classList.remove("active"); c.open = false; }
    });
    card.open = true;
    card.classList.add("active");
    if (narrow()) {
      // a phone: the passage opens in a sheet over the bottom of the screen; the page itself stays put
      var sheet = document.getElementById("src-sheet");
      if (!sheet) {
        sheet = document.createElement("div");
        sheet.id = "src-sheet";
        sheet.setAttribute("role", "dialog");
        sheet.setAttribute("aria-label", "Source");
        // inside the app's main container: Gradio scopes the app's CSS to ".gradio-container .contain"
        (document.querySelector(".gradio-container .contain") || document.body).appendChild(sheet);
      }
      sheet.textContent = "";
      var head = document.createElement("div");
      head.className = "sources-head";
      var h = document.createElement("h3");
      h.textContent = "Sources";
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "src-close";
      btn.textContent = "Close";
      head.appendChild(h);
      head.appendChild(btn);
      sheet.appendChild(head);
      var copy = card.cloneNode(true);  // the server's escaped HTML of the card, shown a second time
      copy.removeAttribute("id");
      copy.open = true;
      sheet.appendChild(copy);
      sheet.classList.add("open");
      sheet.scrollTop = 0;
      return;
    }
    // a laptop: the sources column is sticky; only the panel scrolls, never the page
    var panel = document.getElementById("sources-panel");
    if (panel && panel.scrollHeight > panel.clientHeight) {
      var top = card.getBoundingClientRect().top - panel.getBoundingClientRect().top + panel.scrollTop;
      panel.scrollTo({ top: Math.max(0, top - 8), behavior: "smooth" });
    } else {
      card.scrollIntoView({ behavior: "smooth", block: "nearest" });
    }
  }, true);

  // Focus the question box once it exists, without scrolling the page to it (the autofocus attribute
  // would hide the title and the mode selector on load); not on touch screens, where it opens the keyboard.
  if (window.matchMedia("(pointer: fine)").matches) {
    var tries = 0;
    var timer = setInterval(function () {
      var box = document.querySelector("#ask-box textarea");
      if (box || ++tries > 100) {
        clearInterval(timer);
        if (box && document.activeElement === document.body) box.focus({ preventScroll: true });
      }
    }, 100);
  }
})();
