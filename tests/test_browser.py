"""The chat UI in a real headless Chromium: `streamlit run ui/app.py` against the real API.

Needs Debian's chromium and chromium-driver. Without them the test skips, except under CI=1,
where a missing browser is a failure so that CI cannot pass without having run it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, free_port

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
QUESTION = "Who was the first ruler of Normandy?"


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def browser():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    if missing:
        message = (f"{' and '.join(missing)} not found: install Debian's browser with "
                   "`apt-get install -y chromium chromium-driver` (.ci/run does this)")
        if os.environ.get("CI") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def ui(server, tmp_path):
    """`streamlit run ui/app.py` on a free port, talking to the session API server."""
    port = free_port()
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "ui" / "app.py"),
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "RAG_API_URL": server}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{(tmp_path / 'streamlit.log').read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_question_typed_in_the_browser_shows_the_quote(browser, engine, ui, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    expected = engine.ask(QUESTION)
    assert expected.answered, "the test corpus should answer the browser test's question"
    quote = words(expected.quotes[0].text)

    browser.get(ui)
    wait = WebDriverWait(browser, 90)
    box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid='stChatInputTextArea']")))
    box.send_keys(QUESTION)
    box.send_keys(Keys.ENTER)
    wait.until(lambda d: quote in words(d.find_element(By.TAG_NAME, "body").text))

    blockquotes = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage'] blockquote")
    assert blockquotes and quote in words(blockquotes[0].text)
    body = words(browser.find_element(By.TAG_NAME, "body").text)
    assert QUESTION in body and "[1]" in body and (expected.quotes[0].title or "") in body
    time.sleep(1)  # let the source cards and expanders settle before the picture
    assert browser.save_screenshot(str(tmp_path / "answer.png"))
