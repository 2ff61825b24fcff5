// Drawings wider than the text column scroll inside their own box (minigrad.viz.figure).
// On a phone nothing shows that, so each such drawing gets a cue under it: "scroll sideways",
// and a button that fits the drawing to the column (labels may then be small: the full-size
// link beside the caption opens it at its own size). Checked again when the window resizes.
(function () {
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
  var TEXT = zh
    ? { cue: "⇆ 这张图比页面宽：左右滑动查看，或", fit: "缩放到页面宽度", actual: "恢复原始大小" }
    : { cue: "⇆ Wider than the page: scroll sideways, or", fit: "fit to width", actual: "back to full size" };

  function update(fig) {
    var box = fig.querySelector(".mg-scroll");
    var svg = box && box.querySelector(":scope > svg");
    if (!svg) return;
    var cue = fig.querySelector(".mg-cue");
    var fitted = fig.classList.contains("mg-fitted");
    var wide = fitted || box.scrollWidth > box.clientWidth + 1;
    if (!wide) {
      if (cue) cue.hidden = true;
      return;
    }
    if (!cue) {
      cue = document.createElement("p");
      cue.className = "mg-cue";
      var span = document.createElement("span");
      span.textContent = TEXT.cue + " ";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "mg-fit";
      button.addEventListener("click", function () {
        var on = fig.classList.toggle("mg-fitted");
        button.textContent = on ? TEXT.actual : TEXT.fit;
        button.setAttribute("aria-pressed", on ? "true" : "false");
      });
      button.textContent = TEXT.fit;
      button.setAttribute("aria-pressed", "false");
      cue.appendChild(span);
      cue.appendChild(button);
      box.insertAdjacentElement("afterend", cue);
    }
    cue.hidden = false;
  }

  function all() {
    document.querySelectorAll("article .mg-figure").forEach(update);
  }
  document.addEventListener("DOMContentLoaded", all);
  window.addEventListener("load", all);
  window.addEventListener("resize", all);
  // opening a collapsed block (a solution, a Code block) can reveal a wide drawing
  document.addEventListener("toggle", all, true);
})();

// Material's search runs in a web worker, which a browser does not start for a page opened
// from disk (file://): say so where the search box is.
document.addEventListener("DOMContentLoaded", function () {
  if (location.protocol !== "file:") return;
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
  document.querySelectorAll("input.md-search__input").forEach(function (input) {
    input.placeholder = zh ? "搜索需要服务器：python -m http.server -d site" :
      "Search needs a server: python -m http.server -d site";
    input.title = input.placeholder;
  });
});
