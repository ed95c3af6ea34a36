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

  // Boxes that scroll sideways (long code lines, wide output and tables) can be scrolled from the keyboard:
  // while one is wider than its box it takes focus and has a name; it gives both back when it fits again.
  function scrollerName(el) {
    if (el.classList.contains("table-wrap")) {
      var caption = el.querySelector("caption");
      return caption ? "Table: " + caption.textContent.trim() : "Table";
    }
    if (el.classList.contains("stderr")) return "Standard error";
    if (el.classList.contains("output")) return "Output";
    var lang = el.parentElement && el.parentElement.querySelector(".code-head .lang");
    return lang ? lang.textContent.trim() + " code" : "Code";
  }
  function markScrollers() {
    d.querySelectorAll("main pre, main .table-wrap").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(el).overflowX);
      if (scrolls && !el.hasAttribute("tabindex")) {
        var added = ["tabindex"];
        el.setAttribute("tabindex", "0");
        if (!el.hasAttribute("role")) { el.setAttribute("role", "group"); added.push("role"); }
        if (!el.hasAttribute("aria-label")) { el.setAttribute("aria-label", scrollerName(el)); added.push("aria-label"); }
        el.dataset.scroller = added.join(" ");
      } else if (!scrolls && el.dataset.scroller) {
        el.dataset.scroller.split(" ").forEach(function (name) { el.removeAttribute(name); });
        delete el.dataset.scroller;
      }
    });
  }
  markScrollers();
  var resizing = 0;
  window.addEventListener("resize", function () {
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(markScrollers);
  });
  d.querySelectorAll("main details").forEach(function (details) { details.addEventListener("toggle", markScrollers); });

  // On the print page the print button prints it (elsewhere it is a link to the print page).
  var printButton = d.querySelector(".print-book .print-button");
  if (printButton) printButton.addEventListener("click", function (event) { event.preventDefault(); window.print(); });

  // Below 1180 px the contents of the page is not beside it: a copy folds out under the chapter's title.
  var toc = d.getElementById("toc"), list = toc && toc.querySelector("ul"), title = d.querySelector("main article h1");
  if (list && title) {
    var inline = d.createElement("details"), summary = d.createElement("summary");
    inline.className = "toc-inline";
    summary.textContent = "On this page";
    inline.appendChild(summary);
    var nav = d.createElement("nav");
    nav.setAttribute("aria-label", "On this page");
    nav.appendChild(list.cloneNode(true));
    inline.appendChild(nav);
    title.parentNode.insertBefore(inline, title.nextSibling);
    d.body.classList.add("has-toc-inline");
  }

  // Search: search-index.js sets LOOPBOOK_SEARCH; a script (not JSON to fetch) works from file:// and http alike.
  if (!input || !box) return;
  var index = null, waiting = [];
  function load(ready) {
    if (index) return ready();
    waiting.push(ready);
    if (waiting.length > 1) return;
    function loaded(data) { index = data || { chapters: [] }; waiting.splice(0).forEach(function (f) { f(); }); }
    if (window.LOOPBOOK_SEARCH) return loaded(window.LOOPBOOK_SEARCH);
    var s = d.createElement("script");
    s.src = "search-index.js";
    s.onload = function () { loaded(window.LOOPBOOK_SEARCH); };
    s.onerror = function () { loaded(null); };
    d.head.appendChild(s);
  }
  function hideResults() { box.hidden = true; }

  // Folding, the Unicode way, on the index and the query alike: lower case, compatibility forms (NFKD: ﬁ → fi,
  // full-width letters), diacritics dropped (é → e, ü → u; Hebrew and Arabic points), ß → ss and a few letters
  // that do not decompose (ø, æ, ł). Marks that make letters (Indic vowel signs, kana voicing) are kept.
  // fold(text) keeps, for each UTF-16 unit of the folded text, where in `text` it came from, so a match in
  // folded text highlights the right characters of the original in any script.
  var SPECIAL = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ς": "σ" };
  var DIACRITICS = /[\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  var folded1 = {};
  function foldChar(c) {
    if (c.length === 1 && c < "\u0080") return c >= "A" && c <= "Z" ? c.toLowerCase() : c;
    var known = folded1[c];
    if (known !== undefined) return known;
    var decomposed = c.toLowerCase().normalize("NFKD").replace(DIACRITICS, ""), out = "";
    for (var i = 0; i < decomposed.length; i++) {
      var ch = decomposed[i];
      out += SPECIAL[ch] !== undefined ? SPECIAL[ch] : ch;
    }
    return (folded1[c] = out.normalize("NFC"));
  }
  function fold(text) {
    var out = "", start = [], end = [], last = 0;
    for (var i = 0; i < text.length;) {
      var n = text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) < 0xdc00 && i + 1 < text.length ? 2 : 1;
      var f = foldChar(text.substr(i, n));
      if (!f.length) {
        // A mark on its own belongs to the letter before it, so a highlight takes it along.
        for (var k = last; k < end.length; k++) end[k] = i + n;
      } else {
        last = out.length;
        for (var j = 0; j < f.length; j++) { start.push(i); end.push(i + n); }
        out += f;
      }
      i += n;
    }
    return { original: text, text: out, start: start, end: end, words: null };
  }
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  function words(f) {
    if (f.words) return f.words;
    f.words = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(f.text))) f.words.push({ at: m.index, word: m[0] });
    return f.words;
  }
  // True when a and b are at most one edit apart (insert, delete, change or swap two neighbours).
  function oneEdit(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }
  // Where `word` occurs in folded text: every exact occurrence; with `typo`, whole words (or their beginnings)
  // one edit away. Ranges in folded units.
  function occurrences(f, word, typo, limit) {
    var found = [];
    if (!typo) {
      for (var at = f.text.indexOf(word); at >= 0 && found.length < limit; at = f.text.indexOf(word, at + word.length)) {
        found.push([at, at + word.length]);
      }
      return found;
    }
    var list = words(f);
    for (var i = 0; i < list.length && found.length < limit; i++) {
      var w = list[i].word, hit = 0;
      if (oneEdit(word, w)) hit = w.length;
      else if (w.length > word.length) {
        for (var len = word.length - 1; len <= word.length + 1 && !hit; len++) if (oneEdit(word, w.slice(0, len))) hit = len;
      }
      if (hit) found.push([list[i].at, list[i].at + hit]);
    }
    return found;
  }
  function startsWord(f, at) { return at === 0 || !/[\p{L}\p{N}]/u.test(f.text[at - 1]); }
  // Folded ranges as ranges of the original text, sorted and merged.
  function originalRanges(f, ranges) {
    var out = ranges.map(function (r) { return [f.start[r[0]], f.end[r[1] - 1]]; }).sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    out.forEach(function (r) {
      var top = merged[merged.length - 1];
      if (top && r[0] <= top[1]) top[1] = Math.max(top[1], r[1]); else merged.push(r);
    });
    return merged;
  }
  function appendMarked(parent, text, ranges, from, to) {
    var at = from;
    ranges.forEach(function (r) {
      if (r[0] < at || r[1] > to) return;
      parent.appendChild(d.createTextNode(text.slice(at, r[0])));
      var mark = d.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      parent.appendChild(mark);
      at = r[1];
    });
    parent.appendChild(d.createTextNode(text.slice(at, to)));
  }
  function snippet(f, ranges) {
    var text = f.original, span = d.createElement("span");
    span.className = "snippet";
    if (!ranges.length) { span.textContent = text.slice(0, 110) + (text.length > 110 ? "…" : ""); return span; }
    var first = ranges[0], start = Math.max(0, first[0] - 40), end = Math.min(text.length, first[1] + 70);
    if (/[\udc00-\udfff]/.test(text[start] || "")) start++;
    if (/[\udc00-\udfff]/.test(text[end] || "")) end++;
    if (start > 0) span.appendChild(d.createTextNode("…"));
    appendMarked(span, text, ranges, start, end);
    if (end < text.length) span.appendChild(d.createTextNode("…"));
    return span;
  }

  var entries = null;
  function prepare() {
    if (entries) return entries;
    entries = [];
    index.chapters.forEach(function (chapter) {
      chapter.sections.forEach(function (section, order) {
        entries.push({ chapter: chapter, section: section, order: entries.length,
                       isTitle: order === 0 && (!section.id || section.heading === chapter.title),
                       heading: fold(section.heading), text: fold(section.text) });
      });
    });
    return entries;
  }
  // Every section that has all the words (a word of 5 or more letters that occurs nowhere also matches words
  // one typo away). Title hits first, then headings, then text; a word's beginning beats its middle.
  function search(query) {
    var all = prepare(), terms = fold(query).text.split(/\s+/).filter(Boolean);
    var typo = terms.map(function (w) {
      if (Array.from(w).length < 5 || !/^[\p{L}\p{N}\p{M}]+$/u.test(w)) return false;
      return !all.some(function (e) { return e.heading.text.indexOf(w) >= 0 || e.text.text.indexOf(w) >= 0; });
    });
    var results = [];
    all.forEach(function (entry) {
      var score = 0, headingHits = [], textHits = [];
      for (var i = 0; i < terms.length; i++) {
        var inHeading = occurrences(entry.heading, terms[i], typo[i], 20);
        var inText = occurrences(entry.text, terms[i], typo[i], 50);
        if (!inHeading.length && !inText.length) return;
        var bonus = typo[i] ? 0 : 1;
        if (inHeading.length) score += (entry.isTitle ? 30 : 20) + bonus + (startsWord(entry.heading, inHeading[0][0]) ? 2 : 0);
        else score += 4 + bonus + (inText.some(function (r) { return startsWord(entry.text, r[0]); }) ? 2 : 0);
        headingHits = headingHits.concat(inHeading);
        textHits = textHits.concat(inText);
      }
      results.push({ entry: entry, score: score,
                     heading: originalRanges(entry.heading, headingHits), text: originalRanges(entry.text, textHits) });
    });
    results.sort(function (a, b) { return b.score - a.score || a.entry.order - b.entry.order; });
    return results;
  }

  var shown = 10;
  function run() {
    var query = input.value.trim();
    if (!query) return hideResults();
    var results = search(query);
    box.textContent = "";
    results.slice(0, shown).forEach(function (r) {
      var chapter = r.entry.chapter, section = r.entry.section;
      var a = d.createElement("a");
      a.href = chapter.slug + ".html" + (section.id ? "#" + section.id : "");
      var where = d.createElement("span");
      where.className = "where";
      if (section.id && section.heading !== chapter.title) {
        where.textContent = chapter.number + ". " + chapter.title + " › ";
        appendMarked(where, section.heading, r.heading, 0, section.heading.length);
      } else {
        where.textContent = chapter.number + ". ";
        appendMarked(where, section.heading || chapter.title, section.heading ? r.heading : [], 0, (section.heading || chapter.title).length);
      }
      a.appendChild(where);
      a.appendChild(snippet(r.entry.text, r.text));
      box.appendChild(a);
    });
    if (results.length > shown) {
      var more = d.createElement("button");
      more.type = "button";
      more.className = "show-all";
      more.textContent = "Show all " + results.length + " results";
      more.addEventListener("click", function (e) {
        e.stopPropagation();
        var next = shown;
        shown = Infinity;
        run();
        var links = box.querySelectorAll("a");
        if (links[next]) links[next].focus();
      });
      box.appendChild(more);
    }
    if (!results.length) {
      var empty = d.createElement("div");
      empty.className = "empty";
      empty.textContent = "No results for “" + query + "”";
      box.appendChild(empty);
    }
    box.hidden = false;
  }
  input.addEventListener("input", function () { shown = 10; load(run); });
  input.addEventListener("focus", function () { load(function () { if (input.value.trim()) run(); }); });
  input.addEventListener("keydown", function (e) {
    var first = box.querySelector("a");
    if (e.key === "Enter" && first) { location.href = first.href; }
    else if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
  });
  box.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(box.querySelectorAll("a, button")), i = links.indexOf(d.activeElement);
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