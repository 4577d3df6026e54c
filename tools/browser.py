"""A small headless-Chromium driver (Chrome DevTools protocol over tornado's websocket client).

Used by ``tools/screenshots.py`` (screenshots of every page) and ``tools/check_html.py --browser``
(what a reader's browser shows: console errors, math rendered or left raw, display equations
wider than the page, the size at which figures are displayed).  No package beyond the book's
own environment is needed (tornado comes with Jupyter); Chromium comes from the system::

    apt-get update && apt-get install -y chromium

The browser starts with a fresh profile (``--user-data-dir`` in a temporary folder) and, unless
``offline=False``, with every host name unresolvable and the network emulated offline, so a page
that needs the internet shows it.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

__all__ = ["Browser", "Page", "find_chromium", "MEASURE_JS"]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    "--allow-file-access-from-files",
]

#: JavaScript run in a loaded page: what a reader sees, as one JSON object
MEASURE_JS = r"""
(() => {
  const out = {};
  const doc = document.documentElement;
  out.width = doc.clientWidth;
  out.height = Math.max(doc.scrollHeight, document.body ? document.body.scrollHeight : 0);
  out.pageOverflow = doc.scrollWidth > doc.clientWidth + 1;
  out.mathjax = !!(window.MathJax && window.MathJax.version);
  out.mathjaxVersion = out.mathjax ? window.MathJax.version : null;
  // math left as raw TeX (MathJax absent or failed): Sphinx wraps it in span.math / div.math
  const raw = [];
  for (const el of document.querySelectorAll('span.math, div.math')) {
    if (!el.querySelector('mjx-container') && /\\\(|\\\[|\$\$/.test(el.textContent)) raw.push(el.textContent.slice(0, 80));
  }
  out.rawMath = raw.length;
  out.rawMathSample = raw.slice(0, 3);
  out.mathErrors = document.querySelectorAll('mjx-merror').length;
  // display equations wider than the space they have
  const wide = [];
  for (const el of document.querySelectorAll('div.math')) {
    const mjx = el.querySelector('mjx-container') || el;
    const need = mjx.scrollWidth, have = el.clientWidth;
    if (have > 0 && need > have + 2) {
      const label = el.id || (el.previousElementSibling && el.previousElementSibling.id) || '';
      const num = el.querySelector('.eqno');
      wide.push({id: label, number: num ? num.textContent.trim().replace(/[^0-9.()]/g, '') : '',
                 need: need, have: have, tex: el.textContent.trim().slice(0, 60)});
    }
  }
  out.wideEquations = wide;
  // figures: how large does matplotlib's text end up on the screen?
  const imgs = [];
  for (const img of document.querySelectorAll('main img, article img, .bd-article img')) {
    if (!img.naturalWidth) continue;
    const r = img.getBoundingClientRect();
    // the size the page asks for (nrqb figures carry their true size in CSS px), else the natural one
    const intended = parseFloat(img.getAttribute('width')) || parseFloat(img.style.width) || img.naturalWidth;
    imgs.push({src: img.getAttribute('src'), natural: img.naturalWidth, intended: Math.round(intended),
               shown: Math.round(r.width), scale: +(r.width / intended).toFixed(3),
               alt: img.getAttribute('alt') || ''});
  }
  out.images = imgs;
  const art = document.querySelector('.bd-article') || document.querySelector('article');
  out.articleWidth = art ? Math.round(art.getBoundingClientRect().width) : null;
  out.theme = doc.dataset.theme || doc.dataset.mode || '';
  out.title = document.title;
  return JSON.stringify(out);
})()
"""


def _exit_on_sigterm(signum, frame):
    sys.exit(128 + signum)


def find_chromium() -> str:
    """Path of the Chromium executable (``$CHROMIUM``, else ``chromium`` on ``PATH``)."""
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    raise FileNotFoundError("Chromium not found: apt-get update && apt-get install -y chromium")


class Page:
    """One browser tab, driven over its DevTools websocket."""

    def __init__(self, ws):
        self._ws = ws
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._events: list[dict] = []
        self._waiters: list[tuple[str, asyncio.Future]] = []
        self.console: list[str] = []
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self):
        while True:
            msg = await self._ws.read_message()
            if msg is None:
                return
            data = json.loads(msg)
            if "id" in data:
                fut = self._pending.pop(data["id"], None)
                if fut is not None and not fut.done():
                    if "error" in data:
                        fut.set_exception(RuntimeError(f"{data['error']}"))
                    else:
                        fut.set_result(data.get("result", {}))
                continue
            method, params = data.get("method"), data.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                self.console.append(f"console.{params['type']}: {text}")
            elif method == "Runtime.exceptionThrown":
                d = params.get("exceptionDetails", {})
                exc = d.get("exception", {}).get("description") or d.get("text", "")
                self.console.append(f"exception: {exc.splitlines()[0] if exc else ''}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                e = params["entry"]
                self.console.append(f"log.error: {e.get('text', '')} {e.get('url', '')}".strip())
            for name, fut in list(self._waiters):
                if name == method and not fut.done():
                    fut.set_result(params)
                    self._waiters.remove((name, fut))

    async def send(self, method: str, timeout: float = 60, **params):
        """Send one DevTools command and return its result."""
        i = next(self._ids)
        fut = asyncio.get_event_loop().create_future()
        self._pending[i] = fut
        await self._ws.write_message(json.dumps({"id": i, "method": method, "params": params}))
        return await asyncio.wait_for(fut, timeout)

    def wait_for(self, event: str) -> asyncio.Future:
        fut = asyncio.get_event_loop().create_future()
        self._waiters.append((event, fut))
        return fut

    async def evaluate(self, expression: str, timeout: float = 60):
        """Evaluate JavaScript (promises awaited) and return its value."""
        res = await self.send("Runtime.evaluate", timeout=timeout, expression=expression,
                              awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in res:
            raise RuntimeError(res["exceptionDetails"].get("text", "evaluation failed"))
        return res.get("result", {}).get("value")

    async def setup(self, *, width: int, height: int = 900, dark: bool = False, offline: bool = True):
        await self.send("Page.enable")
        await self.send("Runtime.enable")
        await self.send("Log.enable")
        await self.send("Network.enable")
        if offline:
            await self.send("Network.emulateNetworkConditions", offline=True, latency=0,
                            downloadThroughput=-1, uploadThroughput=-1)
        await self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                        deviceScaleFactor=1, mobile=width < 600)
        await self.send("Emulation.setEmulatedMedia", media="screen",
                        features=[{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}])

    async def goto(self, url: str, *, settle: float = 0.3, timeout: float = 60):
        """Load ``url``; wait for the load event and for MathJax to finish typesetting."""
        self.console.clear()
        loaded = self.wait_for("Page.loadEventFired")
        await self.send("Page.navigate", url=url)
        await asyncio.wait_for(loaded, timeout)
        await self.evaluate(
            "(window.MathJax && MathJax.startup && MathJax.startup.promise) ? "
            "MathJax.startup.promise.then(() => true) : Promise.resolve(false)", timeout=timeout)
        await asyncio.sleep(settle)

    async def measure(self) -> dict:
        return json.loads(await self.evaluate(MEASURE_JS))

    async def screenshot(self, path: Path, *, width: int, max_height: int = 30000, quality: int | None = None,
                         viewport_height: int = 900):
        """Save a full-page screenshot (PNG, or JPEG when ``quality`` is given).

        The viewport is made as tall as the page for the capture (so sticky sidebars and headers
        are drawn once, where they belong), then restored.
        """
        height = await self.evaluate(
            "Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)")
        height = int(min(max(height, 1), max_height))
        await self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                        deviceScaleFactor=1, mobile=width < 600)
        await asyncio.sleep(0.3)
        fmt = {"format": "jpeg", "quality": quality} if quality else {"format": "png"}
        try:
            res = await self.send("Page.captureScreenshot", timeout=120, **fmt)
        finally:
            await self.send("Emulation.setDeviceMetricsOverride", width=width, height=viewport_height,
                            deviceScaleFactor=1, mobile=width < 600)
        Path(path).write_bytes(base64.b64decode(res["data"]))
        return height

    async def close(self):
        self._reader.cancel()
        self._ws.close()


class Browser:
    """A headless Chromium with a fresh profile; use as ``async with Browser() as b``."""

    def __init__(self, chromium: str | None = None, *, offline: bool = True):
        self.chromium = chromium or find_chromium()
        self.offline = offline
        self._tmp = None
        self._proc = None
        self.port = None

    async def __aenter__(self):
        # a SIGTERM (kill PID) unwinds through __aexit__, so Chromium does not outlive us
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
        self._tmp = tempfile.mkdtemp(prefix="nrqb-chromium-")
        flags = FLAGS + [f"--user-data-dir={self._tmp}", "--remote-debugging-port=0",
                         "--remote-allow-origins=*"]
        if self.offline:
            flags.append("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost")
        self._proc = subprocess.Popen([self.chromium, *flags, "about:blank"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self._tmp) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or self._proc.poll() is not None:
                raise RuntimeError("Chromium did not start (is it installed? apt-get install -y chromium)")
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.2)
        self.port = int(port_file.read_text().split()[0])
        return self

    async def new_page(self, **setup) -> Page:
        from tornado.websocket import websocket_connect

        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(req, timeout=30) as r:
            target = json.loads(r.read())
        ws = await websocket_connect(target["webSocketDebuggerUrl"], max_message_size=512 * 1024 * 1024)
        page = Page(ws)
        page.target_id = target["id"]
        await page.setup(offline=self.offline, **setup)
        return page

    async def close_page(self, page: Page):
        await page.close()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/close/{page.target_id}", timeout=10).read()
        except OSError:
            pass

    async def __aexit__(self, *exc):
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
