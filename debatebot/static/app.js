// debatebot: clicking a citation marker [n] in an answer opens its passage in the sources panel.
// One delegated listener on the document, so it works for messages streamed in later.
(function () {
  if (window.__debatebotCites) return;
  window.__debatebotCites = true;
  document.addEventListener("click", function (e) {
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
    card.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }, true);
})();
