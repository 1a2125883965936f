"""Driving the playground page in Chromium: wait for the log, count CSP violations, one exchange."""

from __future__ import annotations

from typing import Any

from tests.browser import Browser

# Waits (bounded) until #log, past its first `since` characters, contains one of the needles;
# answers the whole log text either way.
WAIT_FOR_LOG = """
const [needles, since, limitMs, done] = arguments;
const started = Date.now();
const poll = () => {
  const log = document.getElementById("log");
  const text = log ? log.textContent : "";
  const fresh = text.slice(since);
  if (needles.some((needle) => fresh.includes(needle)) || Date.now() - started > limitMs) {
    done(text);
  } else {
    setTimeout(poll, 50);
  }
};
poll();
"""

# Every CSP violation since the page loaded: the browser's buffered reports (which include
# those from before the page's own script ran) and the page's own count.
CSP_VIOLATIONS = """
const done = arguments[arguments.length - 1];
const reports = [];
const observer = new ReportingObserver((found) => reports.push(...found),
                                       {types: ["csp-violation"], buffered: true});
observer.observe();
setTimeout(() => {
  reports.push(...observer.takeRecords());
  observer.disconnect();
  done({
    reports: reports.map((r) => r.body.effectiveDirective + " " + r.body.blockedURL),
    counted: window.playgroundCspViolations,
  });
}, 200);
"""

# The page as the browser sees it after its script ran: styles applied, controls' state.
PAGE_STATE = """
const done = arguments[arguments.length - 1];
const $ = (id) => document.getElementById(id);
done({
  styled: getComputedStyle(document.querySelector(".panel")).borderRadius,
  connect: $("connect").disabled,
  disconnect: $("disconnect").disabled,
  send: $("send").disabled,
  log: $("log").textContent,
});
"""

LOG_LENGTH = "arguments[0](document.getElementById('log').textContent.length)"
WAIT_MS = 20_000


def log_length(browser: Browser) -> int:
    return int(browser.execute_async_script(LOG_LENGTH))


def wait_for_log(browser: Browser, *needles: str, since: int = 0) -> str:
    """The text of ``#log`` once its part past ``since`` contains one of ``needles`` (or
    after 20 s without)."""
    return str(browser.execute_async_script(WAIT_FOR_LOG, list(needles), since, WAIT_MS))


def csp_violations(browser: Browser) -> dict[str, Any]:
    return dict(browser.execute_async_script(CSP_VIOLATIONS))


def page_state(browser: Browser) -> dict[str, Any]:
    return dict(browser.execute_async_script(PAGE_STATE))


def text_exchange(browser: Browser, message: str) -> str:
    """Choose text, Connect, type ``message``, Send; the log once the reply is done."""
    browser.click('#mode option[value="text"]')
    since = log_length(browser)
    browser.click("#connect")
    wait_for_log(browser, "session.created", "Could not connect", "WebSocket closed", since=since)
    since = log_length(browser)
    browser.type("#message", message)
    browser.click("#send")
    return wait_for_log(browser, "response.done", "WebSocket closed", since=since)
