// The Play page's Python, in a worker so that the page stays responsive while Pyodide
// starts and while the learner's code runs (and can be stopped if it never ends).
// Everything comes from this site: Pyodide's core from assets/play-vendor (npm, fetched at
// set-up), minigrad's sources as the zip that the docs build packs from the working tree.
// A module worker: Pyodide 314 refuses classic ones.
let run = null;

async function start(base) {
  const { loadPyodide } = await import(base + "play-vendor/pyodide/pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: base + "play-vendor/pyodide/" });
  const response = await fetch(base + "play/minigrad-play.zip");
  if (!response.ok) throw new Error("could not load minigrad-play.zip (" + response.status + ")");
  pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: "/home/pyodide/play" });
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/play')");
  run = pyodide.pyimport("minigrad_play").run;
  return pyodide.runPython("import sys; sys.version.split()[0]");
}

let ready = null;
self.onmessage = async (event) => {
  const msg = event.data;
  try {
    if (msg.type === "start") {
      ready = ready || start(msg.base);
      const python = await ready;
      self.postMessage({ type: "ready", python: python });
    } else if (msg.type === "run") {
      await ready;
      self.postMessage({ type: "result", id: msg.id, json: run(msg.code) });
    }
  } catch (err) {
    self.postMessage({ type: "failed", id: msg.id, error: String(err && err.message || err) });
  }
};
