// The Play page: the learner's code runs in minigrad's own scalar engine, in CPython compiled
// to WebAssembly (Pyodide, in a worker: play-worker.js), and the graph minigrad.viz writes as
// DOT text is laid out here by Graphviz compiled to WebAssembly (Viz.js). Nothing is fetched
// until the first Run; everything comes from this site. Loaded on every page (extra_javascript),
// it does nothing where there is no #mg-play.
(function () {
  "use strict";
  const script = document.currentScript;
  document.addEventListener("DOMContentLoaded", () => {
    const root = document.getElementById("mg-play");
    if (root) setUp(root, new URL("../", script.src).href);  // .../assets/
  });

  const TEXT = {
    en: {
      file: "This page runs Python in your browser, which browsers only allow for pages served by a web " +
        "server, not opened as files. From the minigrad folder run <code>make serve</code> and open " +
        "<a href=\"http://127.0.0.1:8000/play/\">http://127.0.0.1:8000/play/</a>.",
      loading: (mb) => `Downloading and starting Python and Graphviz (${mb} MB, once per visit)…`,
      running: "Running…",
      first: (s, py) => `First result in ${s} s, download and start of Python ${py} included.`,
      again: (s) => `Result in ${s} s.`,
      failed: "Python could not start: ",
      timeout: (s) => `Stopped: your code ran for more than ${s} s (an endless loop?). The next Run starts Python again.`,
      step: (i, n) => `Step ${i} of ${n}`,
      node: (name, op, inputs) => `Node <code>${name}</code> = <code>${op}</code>(${inputs})`,
      arriving: (name, root, g) => `Gradient arriving from above: ∂${root}/∂${name} = <b>${g}</b> (complete: every user of <code>${name}</code> has sent its share).`,
      rule: "The op's derivative (from minigrad's rule registry):",
      head: ["input", "local derivative", "sent = arriving × local", "input's gradient so far (the sum)"],
      nosteps: "The output is a leaf: there is no op to step through.",
      nodes: ["node", "kind", "data", "gradient ∂{root}/∂node"],
      checkHead: ["leaf", "backprop", "central difference", "agree"],
      checkOk: "gradcheck passed",
      checkBad: "gradcheck FAILED",
      checkRule: (eps, atol, rtol) => `step ε = ${eps}; agreement: |backprop − difference| ≤ ${atol} + ${rtol}·|difference|`,
      noLeaves: "No leaf requires a gradient: nothing to check.",
      printed: "What the code printed:",
      big: "The graph is large: the steps are listed without a drawing each.",
      prev: "previous step", next: "next step",
      codeError: "Your code raised an error", pageError: "Python stopped",
    },
    zh: {
      file: "这个页面在浏览器里运行Python，而浏览器只允许由网页服务器提供的页面这样做，直接以文件打开不行。" +
        "请在minigrad文件夹里运行<code>make serve</code>，然后打开" +
        "<a href=\"http://127.0.0.1:8000/zh/play/\">http://127.0.0.1:8000/zh/play/</a>。",
      loading: (mb) => `正在下载并启动Python和Graphviz（${mb} MB，每次访问只需一次）……`,
      running: "运行中……",
      first: (s, py) => `第一个结果用了${s}秒，包括下载和启动Python ${py}。`,
      again: (s) => `结果用了${s}秒。`,
      failed: "Python无法启动：",
      timeout: (s) => `已停止：代码运行超过${s}秒（死循环？）。下次运行会重新启动Python。`,
      step: (i, n) => `第${i}步，共${n}步`,
      node: (name, op, inputs) => `节点<code>${name}</code> = <code>${op}</code>(${inputs})`,
      arriving: (name, root, g) => `从上游传来的梯度：∂${root}/∂${name} = <b>${g}</b>（已完整：<code>${name}</code>的每个使用者都已传来它的那一份）。`,
      rule: "这个运算的导数（来自minigrad的规则表）：",
      head: ["输入", "局部导数", "传出 = 上游梯度 × 局部导数", "输入目前的梯度（累加和）"],
      nosteps: "输出本身是叶节点：没有运算可以逐步查看。",
      nodes: ["节点", "类别", "数据", "梯度 ∂{root}/∂节点"],
      checkHead: ["叶节点", "反向传播", "中心差分", "一致"],
      checkOk: "gradcheck通过",
      checkBad: "gradcheck失败",
      checkRule: (eps, atol, rtol) => `步长 ε = ${eps}；一致的标准：|反向传播 − 差分| ≤ ${atol} + ${rtol}·|差分|`,
      noLeaves: "没有需要梯度的叶节点：无从检验。",
      printed: "代码打印的内容：",
      big: "计算图较大：逐步列出，但不为每一步作图。",
      prev: "上一步", next: "下一步",
      codeError: "代码出错了", pageError: "Python已停止",
    },
  };
  const RUN_LIMIT_S = 20;

  function esc(s) {
    return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
  }
  function fmt(x) {  // 6 significant digits, as text; NaN and inf arrive as text already
    if (typeof x !== "number") return String(x);
    return String(Number(x.toPrecision(6)));
  }
  function num(x) {  // a number cell: rounded on screen, the exact value in data-value
    return `<td class="mg-num" data-value="${esc(x)}" title="${esc(x)}">${esc(fmt(x))}</td>`;
  }

  function setUp(root, assets) {
    const lang = (document.documentElement.lang || "en").startsWith("zh") ? "zh" : "en";
    const T = TEXT[lang];
    const $ = (id) => document.getElementById(id);
    const code = $("mg-play-code"), button = $("mg-play-run"), status = $("mg-play-status");
    const mb = root.dataset.downloadMb;
    if (location.protocol === "file:") {
      $("mg-play-file").innerHTML = T.file;
      $("mg-play-file").hidden = false;
      button.disabled = true;
      return;
    }
    let worker = null, started = null, viz = null, clickTime = 0, firstDone = false, runId = 0, python = "";

    function loadViz() {
      return new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = assets + "play-vendor/viz/viz-global.js";
        s.onload = () => window.Viz.instance().then(resolve, reject);
        s.onerror = () => reject(new Error("could not load viz-global.js"));
        document.head.appendChild(s);
      });
    }
    function startWorker() {
      worker = new Worker(assets + "javascripts/play-worker.js", { type: "module" });
      const ready = new Promise((resolve, reject) => {
        worker.onmessage = (e) => {
          if (e.data.type === "ready") { python = e.data.python; resolve(); }
          else if (e.data.type === "failed") reject(new Error(e.data.error));
        };
        worker.onerror = (e) => reject(new Error(e.message || "the worker failed"));
      });
      worker.postMessage({ type: "start", base: assets });
      return ready;
    }
    function runInWorker(text) {
      const id = ++runId;
      const limit = +root.dataset.runLimitS || RUN_LIMIT_S;  // (a test shortens it)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {  // an endless loop: stop the worker; the next Run starts a new one
          worker.terminate(); worker = null; started = null;
          reject(new Error(T.timeout(limit)));
        }, limit * 1000);
        worker.onmessage = (e) => {
          if (e.data.id !== id) return;
          clearTimeout(timer);
          if (e.data.type === "result") resolve(JSON.parse(e.data.json));
          else reject(new Error(e.data.error));
        };
        worker.postMessage({ type: "run", id: id, code: text });
      });
    }

    button.addEventListener("click", async () => {
      button.disabled = true;
      const t0 = performance.now();
      if (!firstDone) clickTime = t0;  // the first result's time counts from the click that produced it
      let phase = "start";
      try {
        if (!started) {
          status.textContent = T.loading(mb);
          started = Promise.all([startWorker(), viz ? Promise.resolve(viz) : loadViz()]);
        }
        viz = (await started)[1];
        status.textContent = T.running;
        phase = "run";
        const result = await runInWorker(code.value);
        show(result);
        const seconds = ((performance.now() - (firstDone ? t0 : clickTime)) / 1000).toFixed(1);
        status.textContent = firstDone ? T.again(seconds) : T.first(seconds, python);
        root.dataset.firstResultSeconds = root.dataset.firstResultSeconds || seconds;
        firstDone = true;
      } catch (err) {
        showError(phase === "start" ? T.failed + err.message : err.message, "", T.pageError);
        root.dataset.state = "error";
        status.textContent = "";
        if (phase === "start" && worker) { worker.terminate(); worker = null; started = null; }
      } finally {
        button.disabled = false;
        root.dataset.runs = String((+root.dataset.runs || 0) + 1);
      }
    });

    function draw(dot, into) {
      into.replaceChildren();
      const svg = viz.renderSVGElement(dot);
      const px = parseFloat(svg.getAttribute("width")) * 4 / 3;  // points to CSS pixels
      svg.style.width = px + "px";        // the drawing shrinks to the column, but only to 78%: its 10 pt
      svg.style.maxWidth = "100%";        // labels stay at 10 px or more; wider, its box scrolls sideways
      svg.style.minWidth = (px * 0.78) + "px";
      svg.style.height = "auto";
      into.appendChild(svg);
    }

    function showError(message, printed, title) {
      $("mg-play-error-title").textContent = title || T.codeError;
      $("mg-play-result").hidden = true;
      $("mg-play-error").hidden = false;
      $("mg-play-error-text").textContent = message;
      showPrinted(printed);
    }
    function showPrinted(printed) {
      $("mg-play-printed").hidden = !printed;
      $("mg-play-printed").innerHTML = printed ? `<p>${T.printed}</p><pre><code>${esc(printed)}</code></pre>` : "";
    }

    function show(r) {
      root.dataset.state = r.ok ? "ok" : "error";
      if (!r.ok) { showError(r.error, r.printed); return; }
      $("mg-play-error").hidden = true;
      $("mg-play-result").hidden = false;
      showPrinted(r.printed);
      draw(r.dot, $("mg-play-graph"));
      const head = T.nodes.map((h) => `<th>${esc(h.replace("{root}", r.output_name))}</th>`).join("");
      $("mg-play-nodes").innerHTML = `<thead><tr>${head}</tr></thead><tbody>` + r.nodes.map((n) =>
        `<tr data-node="${esc(n.name)}" data-kind="${n.kind}"><td><code>${esc(n.name)}</code></td><td>${n.kind}</td>` +
        num(n.data) + (n.grad === null ? "<td>—</td>" : num(n.grad)) + "</tr>").join("") + "</tbody>";
      showCheck(r.gradcheck);
      setUpSteps(r);
    }

    function showCheck(c) {
      const box = $("mg-play-check");
      if (!c.rows.length) { box.innerHTML = `<p>${T.noLeaves}</p>`; box.dataset.ok = "none"; return; }
      box.dataset.ok = c.ok ? "true" : "false";
      const head = T.checkHead.map((h) => `<th>${h}</th>`).join("");
      box.innerHTML = `<p class="${c.ok ? "mg-play-pass" : "mg-play-fail"}"><b>${c.ok ? T.checkOk : T.checkBad}</b>. ` +
        `${esc(T.checkRule(c.eps, c.atol, c.rtol))}</p><table><thead><tr>${head}</tr></thead><tbody>` +
        c.rows.map((row) => `<tr data-leaf="${esc(row.name)}"><td><code>${esc(row.name)}</code></td>` +
          num(row.analytic) + num(row.numeric) + `<td>${row.ok ? "✓" : "✗"}</td></tr>`).join("") + "</tbody></table>";
    }

    let steps = [], at = 0, result = null;
    function setUpSteps(r) {
      result = r; steps = r.steps; at = 0;
      $("mg-play-steps").hidden = !steps.length;
      $("mg-play-nosteps").hidden = !!steps.length;
      $("mg-play-nosteps").textContent = T.nosteps;
      if (steps.length) showStep(0);
    }
    function showStep(i) {
      at = Math.max(0, Math.min(steps.length - 1, i));
      const s = steps[at];
      $("mg-play-pos").textContent = T.step(at + 1, steps.length);
      $("mg-play-prev").disabled = at === 0;
      $("mg-play-next").disabled = at === steps.length - 1;
      const box = $("mg-play-step");
      box.dataset.node = s.name;
      box.dataset.inputs = JSON.stringify(s.sends.map((x) => x.name));
      const rows = s.sends.map((x) => `<tr data-input="${esc(x.name)}"><td><code>${esc(x.name)}</code></td>` +
        num(x.local) + num(x.sent) + num(x.sum) + "</tr>").join("");
      box.innerHTML = `<p>${T.node(esc(s.name), esc(s.op), s.inputs.map((n) => `<code>${esc(n)}</code>`).join(", "))}. ` +
        `${T.arriving(esc(s.name), esc(result.output_name), esc(fmt(s.upstream)))}</p>` +
        `<p>${T.rule}</p><div class="mg-play-rule"></div>` +
        `<div class="mg-play-table"><table><thead><tr>${T.head.map((h) => `<th>${h}</th>`).join("")}</tr></thead>` +
        `<tbody>${rows}</tbody></table></div>` +
        (s.dot ? "" : `<p>${T.big}</p>`);
      const rule = box.querySelector(".mg-play-rule");
      if (window.katex && s.rule) window.katex.render(s.rule, rule, { displayMode: true, throwOnError: false });
      else rule.textContent = s.rule;
      const fig = $("mg-play-step-graph");
      fig.hidden = !s.dot;
      if (s.dot) {
        draw(s.dot, fig);
        // on a narrow screen, scroll the drawing to the step's node (outlined in red)
        const node = [...fig.querySelectorAll("g.node")].find((g) => g.querySelector('[stroke="#d32f2f"]'));
        if (node) {
          const r = node.getBoundingClientRect(), b = fig.getBoundingClientRect();
          fig.scrollLeft += r.left - b.left - (b.width - r.width) / 2;
        }
      }
    }
    $("mg-play-prev").addEventListener("click", () => showStep(at - 1));
    $("mg-play-next").addEventListener("click", () => showStep(at + 1));
    $("mg-play-prev").setAttribute("aria-label", T.prev);
    $("mg-play-next").setAttribute("aria-label", T.next);
    code.addEventListener("keydown", (e) => {  // Ctrl+Enter runs (Tab still leaves the editor)
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); button.click(); }
    });
  }
})();
