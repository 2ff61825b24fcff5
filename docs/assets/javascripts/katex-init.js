// Render every formula that pymdownx.arithmatex marked, with the locally installed KaTeX.
// Inline math arrives as <span class="arithmatex">\(...\)</span>, display math as a <div> with \[...\].
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".arithmatex").forEach(function (el) {
    var display = el.tagName === "DIV";
    var tex = el.textContent.trim().replace(/^\\[\(\[]/, "").replace(/\\[\)\]]$/, "");
    katex.render(tex, el, { displayMode: display, throwOnError: false });
  });
});
