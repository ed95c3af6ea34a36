// Loopbook: theme toggle, chapter menu, keyboard navigation, copy buttons, TOC highlight, search (also ?q=word).
(function () {
  "use strict";
  var d = document, root = d.documentElement;

  function stored() { try { return localStorage.getItem("loopbook-theme"); } catch (e) { return null; } }
  function setTheme(theme, remember) {
    root.dataset.theme = theme;
    if (remember) { try { localStorage.setItem("loopbook-theme", theme); } catch (e) {} }
  }
  var toggle = d.getElementById("theme-toggle");
  if (toggle) toggle.addEventListener("click", function () { setTheme(root.dataset.theme === "dark" ? "light" : "dark", true); });
  var media = window.matchMedia ? matchMedia("(prefers-color-scheme: dark)") : null;
  if (media && media.addEventListener) media.addEventListener("change", function (e) { if (!stored()) setTheme(e.matches ? "dark" : "light", false); });

  var menu = d.querySelector(".menu-button");
  function setMenu(open) { d.body.classList.toggle("nav-open", open); if (menu) menu.setAttribute("aria-expanded", String(open)); }
  if (menu) menu.addEventListener("click", function () { setMenu(!d.body.classList.contains("nav-open")); });
  d.addEventListener("click", function (e) {
    if (d.body.classList.contains("nav-open") && !e.target.closest(".sidebar") && !e.target.closest(".menu-button")) setMenu(false);
  });

  var input = d.getElementById("search-input"), box = d.getElementById("search-results");
  d.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { setMenu(false); hideResults(); return; }
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "/" && input) { e.preventDefault(); input.focus(); return; }
    if (e.shiftKey) return;
    var link = e.key === "ArrowLeft" ? d.querySelector("a[rel=prev]") : e.key === "ArrowRight" ? d.querySelector("a[rel=next]") : null;
    if (link) { e.preventDefault(); location.href = link.href; }
  });

  d.querySelectorAll(".copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var code = button.closest(".code-block").querySelector("code").textContent;
      function done() { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); }
      function fallback() {
        var area = d.createElement("textarea");
        area.value = code; area.style.position = "fixed"; area.style.opacity = "0";
        d.body.appendChild(area); area.select();
        try { d.execCommand("copy"); done(); } catch (e) {}
        area.remove();
      }
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(code).then(done, fallback); else fallback();
    });
  });

  var tocLinks = d.querySelectorAll(".toc a");
  if (tocLinks.length && "IntersectionObserver" in window) {
    var byId = {};
    tocLinks.forEach(function (a) { byId[decodeURIComponent(a.hash.slice(1))] = a; });
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        var a = byId[entry.target.dataset.anchor];
        if (!a) return;
        tocLinks.forEach(function (l) { l.classList.remove("active"); });
        a.classList.add("active");
      });
    }, { rootMargin: "-56px 0px -70% 0px" });
    Object.keys(byId).forEach(function (id) {
      var anchor = d.getElementById(id);
      var heading = anchor && anchor.parentElement;
      if (heading) { heading.dataset.anchor = id; observer.observe(heading); }
    });
  }

  // Search: search-index.json over http(s); search-index.js (sets LOOPBOOK_SEARCH) from file:// or if fetch fails.
  if (!input || !box) return;
  var index = null, waiting = [];
  function load(ready) {
    if (index) return ready();
    waiting.push(ready);
    if (waiting.length > 1) return;
    function loaded(data) { index = data || { chapters: [] }; waiting.splice(0).forEach(function (f) { f(); }); }
    function viaScript() {
      if (window.LOOPBOOK_SEARCH) return loaded(window.LOOPBOOK_SEARCH);
      var s = d.createElement("script");
      s.src = "search-index.js";
      s.onload = function () { loaded(window.LOOPBOOK_SEARCH); };
      s.onerror = function () { loaded(null); };
      d.head.appendChild(s);
    }
    if (location.protocol === "file:" || !window.fetch) return viaScript();
    fetch("search-index.json").then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }).then(loaded, viaScript);
  }
  function hideResults() { box.hidden = true; }
  function snippet(text, words) {
    var lower = text.toLowerCase(), at = -1, word = "";
    words.forEach(function (w) { var i = lower.indexOf(w); if (i >= 0 && (at < 0 || i < at)) { at = i; word = w; } });
    var span = d.createElement("span");
    span.className = "snippet";
    if (at < 0) { span.textContent = text.slice(0, 110) + (text.length > 110 ? "…" : ""); return span; }
    var start = Math.max(0, at - 40), end = Math.min(text.length, at + word.length + 70);
    span.appendChild(d.createTextNode((start > 0 ? "…" : "") + text.slice(start, at)));
    var mark = d.createElement("mark");
    mark.textContent = text.slice(at, at + word.length);
    span.appendChild(mark);
    span.appendChild(d.createTextNode(text.slice(at + word.length, end) + (end < text.length ? "…" : "")));
    return span;
  }
  function run() {
    var query = input.value.trim().toLowerCase();
    if (!query) return hideResults();
    var words = query.split(/\s+/), results = [];
    index.chapters.forEach(function (chapter) {
      chapter.sections.forEach(function (section, order) {
        var heading = section.heading.toLowerCase(), text = section.text.toLowerCase(), score = 0;
        for (var i = 0; i < words.length; i++) {
          if (heading.indexOf(words[i]) >= 0) score += 3;
          else if (text.indexOf(words[i]) >= 0) score += 1;
          else return;
        }
        results.push({ chapter: chapter, section: section, score: score, order: results.length });
      });
    });
    results.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    box.textContent = "";
    results.slice(0, 10).forEach(function (r) {
      var a = d.createElement("a");
      a.href = r.chapter.slug + ".html" + (r.section.id ? "#" + r.section.id : "");
      var where = d.createElement("span");
      where.className = "where";
      where.textContent = r.chapter.number + ". " + r.chapter.title + (r.section.id && r.section.heading !== r.chapter.title ? " › " + r.section.heading : "");
      a.appendChild(where);
      a.appendChild(snippet(r.section.text, words));
      box.appendChild(a);
    });
    if (!results.length) {
      var empty = d.createElement("div");
      empty.className = "empty";
      empty.textContent = "No results for “" + input.value.trim() + "”";
      box.appendChild(empty);
    }
    box.hidden = false;
  }
  input.addEventListener("input", function () { load(run); });
  input.addEventListener("focus", function () { load(function () { if (input.value.trim()) run(); }); });
  input.addEventListener("keydown", function (e) {
    var first = box.querySelector("a");
    if (e.key === "Enter" && first) { location.href = first.href; }
    else if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
  });
  box.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(box.querySelectorAll("a")), i = links.indexOf(d.activeElement);
    if (e.key === "ArrowDown" && i >= 0 && i + 1 < links.length) { e.preventDefault(); links[i + 1].focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
  });
  d.addEventListener("click", function (e) { if (!e.target.closest(".search")) hideResults(); });

  // A search in the address: page.html?q=word or page.html#search=word fills the box and shows results.
  function queryInURL() {
    var q = null;
    try { q = new URLSearchParams(location.search).get("q"); } catch (e) {}
    if (!q && location.hash.indexOf("#search=") === 0) {
      try { q = decodeURIComponent(location.hash.slice(8).replace(/\+/g, " ")); } catch (e) {}
    }
    return q && q.trim() ? q : null;
  }
  function searchFromURL() {
    var q = queryInURL();
    if (!q) return;
    input.value = q;
    load(run);
  }
  searchFromURL();
  window.addEventListener("hashchange", searchFromURL);
})();