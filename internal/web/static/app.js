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
