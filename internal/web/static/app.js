// Progressive enhancement only: every page works without this file.
// The "/" key moves the focus to the search box, as on many search sites,
// unless the visitor is typing in a field already.
document.addEventListener("keydown", function (e) {
  if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
  var t = e.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  var box = document.querySelector("input[type=search]");
  if (box) { e.preventDefault(); box.focus(); box.select(); }
});

// The NACE picker of the listing form: a type-ahead over /{lang}/nace that
// adds the chosen code to the industries field. Without this script the
// field takes codes as typed and links to the search page.
(function () {
  var box = document.querySelector(".nace-picker");
  if (!box || !window.fetch) return;
  var input = document.getElementById("nace-q");
  var list = document.getElementById("nace-results");
  var target = document.getElementById(box.getAttribute("data-target"));
  if (!input || !list || !target) return;
  box.hidden = false;
  var timer = null, seq = 0;
  function add(code) {
    var codes = target.value.split(/[,;，、]/).map(function (s) { return s.trim(); }).filter(Boolean);
    if (codes.indexOf(code) < 0) codes.push(code);
    target.value = codes.join(", ");
  }
  function show(hits) {
    list.textContent = "";
    hits.forEach(function (h) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = h.code + " " + h.label;
      b.addEventListener("click", function () { add(h.code); input.focus(); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { show([]); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch(box.getAttribute("data-nace-url") + "?format=json&q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (hits) { if (mine === seq) show(hits); })
        .catch(function () {});
    }, 200);
  });
})();
