// Loopbook: the chapter list of every page's sidebar, one file for the whole site (each page holds only
// a link to the contents page, which is what readers without JavaScript get).
(function () {
"use strict";
var chapters = [
["01-the-loop", 1, "The loop"],
["02-setting-up", 2, "Setting up"],
["03-the-data", 3, "The data"],
["04-the-model", 4, "The model"],
["05-the-feedback-step", 5, "The feedback step, as the original wrote it"],
["06-the-whole-program", 6, "The whole program"],
["07-measuring-honestly", 7, "Measuring honestly"],
["08-asking-for-feedback", 8, "Asking for the right feedback"],
["09-when-the-world-changes", 9, "When the world changes"],
["10-your-own-data", 10, "Your own data"],
["11-selective-labels", 11, "Selective labels"],
["12-choosing-what-to-label", 12, "Choosing what to label, three classes"],
["13-watching-a-live-system", 13, "Watching a live system"],
["14-any-model-in-the-loop", 14, "Any model in the loop"],
["15-summary", 15, "Summary"]
];
var nav = document.getElementById("sidebar");
if (!nav) return;
var current = nav.getAttribute("data-current"), list = document.createElement("ol"), mark = null;
list.className = "chapter-list";
for (var i = 0; i < chapters.length; i++) {
  var c = chapters[i], item = document.createElement("li"), link = document.createElement("a"),
    num = document.createElement("span"), name = document.createElement("span");
  link.setAttribute("href", c[0] + ".html");
  if (c[0] === current) { link.setAttribute("aria-current", "page"); mark = link; }
  num.className = "num"; num.textContent = String(c[1]);
  name.className = "name"; name.textContent = c[2];
  link.appendChild(num); link.appendChild(name); item.appendChild(link); list.appendChild(item);
}
var fallback = nav.querySelector(".chapter-list");
if (fallback) nav.replaceChild(list, fallback); else nav.appendChild(list);
if (mark && nav.scrollHeight > nav.clientHeight) nav.scrollTop = Math.max(0, mark.offsetTop - nav.clientHeight / 2);
})();
