"""Where a user waits: the set-up and build commands, timed on a fresh clone.

``python -m benchmarks.waits [--only demo-cold,demo-warm,docs,test-install,test] [--rev REV]``

Each wait is one command a user types, run as they would run it, in a fresh ``git clone``
of this repository (at ``--rev``, HEAD by default: the committed code) under ``nice``:

- ``demo-cold``: ``make demo`` in a fresh clone with an empty pip cache (every package
  downloaded; wheels this machine keeps in a local folder are still found there);
- ``demo-warm``: ``make demo`` in another fresh clone, pip's cache now filled;
- ``docs``: ``make docs`` again in that clone (the strict build of both languages);
- ``test-install``: installing what ``make test`` adds to the demo's venv;
- ``test``: ``make test`` in that clone (the whole suite; long).

For each: the wall time, the venv's size on disk (``du``), and how many lines of the
command's log look like trouble (``Warning``, ``Traceback``, ``Error``), with those lines.
The results are merged into ``benchmarks/results/waits.json`` (one entry per wait and
revision), which the docs' Benchmarks page reads. A wall time is one run on a shared
machine: the page shows the load average beside it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "waits.json"
WAITS = {
    "demo-cold": ("make demo", "`make demo` on a fresh clone, empty pip cache"),
    "demo-warm": ("make demo", "`make demo` on a fresh clone, pip cache filled"),
    "docs": ("make docs", "the docs build, both languages (`make docs` after `make demo`)"),
    "test-install": ("make .venv/.installed", "installing what `make test` adds to the demo's packages"),
    "test": ("make test", "`make test`: the whole suite, after its install"),
}
# A log line that would look like failure to a newcomer: Python's warnings and errors, pip's
# and mkdocs' WARNING/ERROR, make's "warning:", a traceback, setuptools' "!!" banners. (Not
# the word "error" in a sentence, as the examples' "error |w - w_true|", nor NAME_WARNING=1.)
TROUBLE = re.compile(r"\w*Warning\b|(?<![\w])(WARNING|ERROR)\b|\bwarning:|Traceback|\w+Error\b:|^\s*!!\s*$")


def du_mb(path: Path) -> float | None:
    """Disk usage of ``path`` in MB (``du -sk``), or None when it does not exist.

    Examples
    --------
    >>> du_mb(Path("/surely/not/here")) is None
    True
    """
    if not path.exists():
        return None
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True).stdout
    return round(int(out.split()[0]) / 1024, 1)


def trouble_lines(log: str) -> list:
    """The lines of a log that look like a warning or an error.

    Examples
    --------
    >>> trouble_lines("wrote out/a.svg\\nRuntimeWarning: divide by zero\\nerror |w - w_true| = 0.001\\nDone.")
    ['RuntimeWarning: divide by zero']
    """
    return [line for line in log.splitlines() if TROUBLE.search(line)]


def run_wait(wait: str, clone: Path, env: dict) -> dict:
    command = WAITS[wait][0]
    started = time.perf_counter()
    load = os.getloadavg()[0]
    proc = subprocess.run(["nice", "bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    log = proc.stdout + proc.stderr
    bad = trouble_lines(log)
    result = {"id": wait, "what": WAITS[wait][1], "command": command, "seconds": round(seconds, 1),
              "status": proc.returncode, "venv_mb": du_mb(clone / ".venv"), "load_before": round(load, 2),
              "load_after": round(os.getloadavg()[0], 2), "log_lines": len(log.splitlines()),
              "trouble_count": len(bad), "trouble": bad[:20], "log_tail": log.splitlines()[-6:]}
    print(f"{wait}: {command}: {seconds:.0f} s, status {proc.returncode}, venv {result['venv_mb']} MB, "
          f"{len(bad)} trouble line(s)", flush=True)
    return result


def fresh_clone(rev: str, into: Path) -> Path:
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(into)], check=True)
    subprocess.run(["git", "-C", str(into), "checkout", "-q", rev], check=True)
    katex = ROOT / "docs" / "assets" / "katex"  # not committed; fetched by make from npm otherwise
    if katex.is_dir() and os.environ.get("WAITS_FETCH_KATEX") != "1":
        shutil.copytree(katex, into / "docs" / "assets" / "katex")
    return into


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(prog="python -m benchmarks.waits", description=__doc__.split("\n\n")[0])
    p.add_argument("--only", default="demo-cold,demo-warm,docs,test-install",
                   help=f"comma-separated, from {', '.join(WAITS)}")
    p.add_argument("--rev", default="HEAD", help="the commit to clone and time")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the results file to merge into")
    args = p.parse_args(argv)
    chosen = [w.strip() for w in args.only.split(",") if w.strip()]
    if "demo-warm" in chosen and "demo-cold" not in chosen:
        chosen.insert(0, "demo-cold")  # the warm run needs the cache the cold one fills
    unknown = [w for w in chosen if w not in WAITS]
    if unknown or not chosen:
        p.error(f"unknown waits {unknown}; choose from {', '.join(WAITS)}")
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.rev], capture_output=True,
                         text=True, check=True).stdout.strip()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    base_env["PATH"] = os.pathsep.join(p for p in base_env.get("PATH", "").split(os.pathsep)
                                       if not p.startswith(str(Path(sys.prefix))))  # not our own venv
    results = []
    with tempfile.TemporaryDirectory(prefix="waits-") as tmp:
        tmp = Path(tmp)
        cache = tmp / "pip-cache"
        env = {**base_env, "PIP_CACHE_DIR": str(cache)}
        warm = None
        for wait in chosen:
            if wait == "demo-cold":
                shutil.rmtree(cache, ignore_errors=True)
                results.append(run_wait(wait, fresh_clone(rev, tmp / "cold"), env))
                shutil.rmtree(tmp / "cold", ignore_errors=True)
                continue
            if warm is None:
                warm = fresh_clone(rev, tmp / "warm")
                if wait != "demo-warm":  # the other waits come after the demo, as for a user
                    run_wait("demo-warm", warm, env)
            results.append(run_wait(wait, warm, env))
    previous = json.loads(args.out.read_text()) if args.out.exists() else {"waits": []}
    stamp = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
             "rev": rev, "cores": os.cpu_count()}
    keep = [w for w in previous["waits"] if (w["id"], w["rev"]) not in {(r["id"], rev) for r in results}]
    merged = {"waits": keep + [{**stamp, **r} for r in results]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")
    return merged


if __name__ == "__main__":
    main()
