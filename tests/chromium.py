"""Drive Debian's headless Chromium over the DevTools protocol (no extra Python dependency).

Used by the real-browser test of report.html and to make the README screenshot:

    python tests/chromium.py --examples docs/report-screenshot.png

replays the bundled scenarios into a temporary report folder (SOURCE_DATE_EPOCH=0) and
screenshots its report.html. The protocol runs over ``--remote-debugging-pipe`` (file
descriptors 3 and 4, NUL-separated JSON), so nothing listens on a port and no websocket
library is needed. The browser is sandboxed from the network: every flag that would make it
phone home is off, and the page's requests are recorded so a test can prove the report loads
nothing from outside the file.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("REPLAY_CHROMIUM", "/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
)
TIMEOUT = 60.0


class BrowserError(RuntimeError):
    """Chromium is missing, crashed, or did not answer in time."""


def chromium_missing() -> str | None:
    """Why the browser cannot run here, or None if it can."""
    if not Path(CHROMIUM).is_file():
        return (
            f"{CHROMIUM} not found: the HTML report is tested in Debian's chromium package. "
            "Install it with `apt-get install -y chromium` (.ci/run does this), or point "
            "REPLAY_CHROMIUM at a Chromium binary."
        )
    return None


@dataclass
class PageReport:
    """What loading one page showed: console and log errors, requests, the checks asked for."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    """Per CSS selector, how many elements match."""
    texts: dict[str, str] = field(default_factory=dict)
    """Per CSS selector, the text content of the first match."""
    screenshot: bytes = b""
    pdf_pages: int = 0

    @property
    def external_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:", "about:"))]


class _Pipe:
    """One DevTools session over the browser's pipe."""

    def __init__(self, process: subprocess.Popen[bytes], write_fd: int, read_fd: int) -> None:
        self.process = process
        self.write_fd = write_fd
        self.read_fd = read_fd
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: Mapping[str, Any] | None = None, **extra: Any) -> int:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": dict(params or {}), **extra}
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        return self.next_id

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError("chromium did not answer in time")
            ready, _, _ = select.select([self.read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise BrowserError(f"chromium exited (code {self.process.poll()})")
            self.buffer += chunk
        raw, _, self.buffer = self.buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(
        self, method: str, params: Mapping[str, Any] | None = None, **extra: Any
    ) -> dict[str, Any]:
        wanted = self.send(method, params, **extra)
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._read(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method: str) -> dict[str, Any]:
        for event in self.events:
            if event["method"] == method:
                return event
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._read(deadline)
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return message


@contextmanager
def browser(width: int = 1200, height: int = 900) -> Iterator[_Pipe]:
    """A headless Chromium with a fresh profile, closed and cleaned up afterwards."""
    missing = chromium_missing()
    if missing:
        raise BrowserError(missing)
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()
    profile = tempfile.mkdtemp(prefix="replay-chromium-")

    def wire_fds() -> None:
        # Chromium reads commands on fd 3 and writes replies on fd 4 (dup2 makes them
        # inheritable; dup first in case a pipe end already sits on 3 or 4).
        high_r, high_w = os.dup(to_browser_r), os.dup(from_browser_w)
        os.dup2(high_r, 3)
        os.dup2(high_w, 4)

    command = [
        CHROMIUM,
        *FLAGS,
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "about:blank",
    ]
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=wire_fds,
        # os.pipe() fds are not inheritable (PEP 446): only the dup2'ed 3 and 4 reach chromium.
        close_fds=False,
    )
    os.close(to_browser_r)
    os.close(from_browser_w)
    pipe = _Pipe(process, to_browser_w, from_browser_r)
    try:
        yield pipe
    finally:
        try:
            pipe.send("Browser.close")
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        os.close(to_browser_w)
        os.close(from_browser_r)
        shutil.rmtree(profile, ignore_errors=True)


def load_page(
    path: Path,
    selectors: Sequence[str] = (),
    *,
    width: int = 1200,
    height: int = 900,
    full_page: bool = True,
    pdf: bool = False,
    element: str | None = None,
) -> PageReport:
    """Open ``path`` and report console errors, requests, selector counts and a screenshot."""
    report = PageReport()
    with browser(width, height) as pipe:
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            pipe.call(f"{domain}.enable", sessionId=session)
        pipe.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            sessionId=session,
        )
        pipe.call("Page.navigate", {"url": path.resolve().as_uri()}, sessionId=session)
        pipe.wait_for("Page.loadEventFired")
        for selector in selectors:
            expression = (
                f"[document.querySelectorAll({json.dumps(selector)}).length, "
                f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent || '']"
            )
            value = pipe.call(
                "Runtime.evaluate",
                {"expression": expression, "returnByValue": True},
                sessionId=session,
            )["result"]["value"]
            report.counts[selector] = int(value[0])
            report.texts[selector] = " ".join(str(value[1]).split())
        if element is not None:
            box = pipe.call(
                "Runtime.evaluate",
                {
                    "expression": "(() => { const r = document.getElementById("
                    f"{json.dumps(element)}).getBoundingClientRect(); "
                    "return [r.top + window.scrollY, r.height]; })()",
                    "returnByValue": True,
                },
                sessionId=session,
            )["result"]["value"]
            top = max(0.0, float(box[0]) - 12)
            clip = {"x": 0, "y": top, "width": width, "height": min(float(box[1]) + 24, height)}
            shot = pipe.call(
                "Page.captureScreenshot",
                {"format": "png", "clip": {**clip, "scale": 1}, "captureBeyondViewport": True},
                sessionId=session,
            )
        elif full_page:
            metrics = pipe.call("Page.getLayoutMetrics", sessionId=session)
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            clip = {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1}
            shot = pipe.call(
                "Page.captureScreenshot",
                {"format": "png", "clip": clip, "captureBeyondViewport": True},
                sessionId=session,
            )
        else:
            shot = pipe.call("Page.captureScreenshot", {"format": "png"}, sessionId=session)
        report.screenshot = base64.b64decode(shot["data"])
        if pdf:
            printed = pipe.call("Page.printToPDF", {"printBackground": True}, sessionId=session)
            report.pdf_pages = len(
                re.findall(rb"/Type\s*/Page(?!s)", base64.b64decode(printed["data"]))
            )
        # Drain what the page logged while we looked at it.
        pipe.call("Runtime.evaluate", {"expression": "1"}, sessionId=session)
    for event in pipe.events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            report.console_errors.append(f"console.{params['type']}: {args}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            report.console_errors.append(f"uncaught exception: {text}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            report.console_errors.append(f"{entry['source']}: {entry['text']}")
        elif method == "Network.requestWillBeSent":
            report.requests.append(params["request"]["url"])
    return report


def example_report(folder: Path) -> Path:
    """Replay the bundled scenarios into ``folder`` (SOURCE_DATE_EPOCH=0); its report.html."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    env.setdefault("TIKTOKEN_CACHE_DIR", str(root.parent / "shared" / "tiktoken"))
    subprocess.run(
        [sys.executable, "-m", "replay.cli", "run", "scenarios", "--report-dir", str(folder)],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    html = folder / "report.html"
    if not html.is_file():
        raise BrowserError(f"replay run wrote no {html}")
    return html


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--html", type=Path, help="a report.html to open")
    source.add_argument(
        "--examples", action="store_true", help="render the bundled scenarios' report first"
    )
    parser.add_argument("screenshot", type=Path, help="where to write the PNG")
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=1500)
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument(
        "--element", help="screenshot this element (by id), at most --height pixels of it"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="replay-example-") as tmp:
        html = example_report(Path(tmp) / "report") if args.examples else args.html
        page = load_page(
            html,
            width=args.width,
            height=args.height,
            full_page=args.full_page,
            element=args.element,
        )
    if page.console_errors:
        print("\n".join(page.console_errors), file=sys.stderr)
        return 1
    args.screenshot.parent.mkdir(parents=True, exist_ok=True)
    args.screenshot.write_bytes(page.screenshot)
    print(f"wrote {args.screenshot} ({len(page.screenshot)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
