"""The UI in a real headless Chromium: `streamlit run ui/app.py` against a real API with its
own small index, on random ports.

What a person sees is checked: each quote's rendered text equals the API's quote text
(Markdown, LaTeX, HTML and backticks included), strength is shown, a decline is worded
once and its related passages are not numbered, and the sidebar follows an upload and a
delete. With ATTEST_SCREENSHOTS=DIR the pictures are also saved there (docs/ holds them).

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

from rag.api.app import create_app
from rag.config import Settings
from rag.engine import Engine
from rag.types import NO_ANSWER
from tests.conftest import ROOT, TOKEN, free_port, running

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
QUESTION = "Who was the first ruler of Normandy?"
HOSTILE_QUESTION = "What code did the toll clerk use?"
DECLINE = "What colour were the Norman banners at Hastings?"
HOSTILE = ("---\ntitle: Toll *records* <b>1820</b>\n---\n"
           "The toll was *five* pence, $x$ for others, and the toll clerk used 2*3*4 as a code "
           "with `ticks`, [a](b), <script>alert(1)</script> and # marks.\n\n"
           "The toll bridge greeting painted in Persian on the gate read سلام دنیا.\n")
RTL_QUESTION = "What greeting was painted in Persian on the toll bridge gate?"
UPLOAD = "Lighthouse log\n\nThe lighthouse keeper lit the lamp at dusk every evening in 1921.\n"


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
                "--window-size=1400,1100"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def api(tmp_path):
    """Its own engine (the test uploads and deletes) behind a real uvicorn needing TOKEN."""
    corpus = tmp_path / "corpus"
    (corpus / "wikipedia").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "wikipedia" / "normans.md", corpus / "wikipedia" / "normans.md")
    (corpus / "toll.md").write_text(HOSTILE)
    engine = Engine(Settings(data_dir=tmp_path / "data", precision="fp32"))
    assert not engine.ingest(corpus).failed
    with running(create_app(Settings(data_dir=tmp_path / "data", api_token=TOKEN), engine=engine)) as base:
        yield base, engine


@pytest.fixture
def ui(api, tmp_path):
    """`streamlit run ui/app.py` on a free port, talking to the test's API."""
    port = free_port()
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "ui" / "app.py"),
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "RAG_API_URL": api[0]}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
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


class Page:
    def __init__(self, driver, shots: Path):
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.support.ui import WebDriverWait

        # a rerun replaces elements while a wait looks at them: look again
        self.driver, self.shots = driver, shots
        # (or has not drawn them yet: an empty list while the sidebar reruns)
        self.wait = WebDriverWait(driver, 120, ignored_exceptions=[StaleElementReferenceException, IndexError])

    def all(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def ask(self, question: str) -> None:
        from selenium.webdriver.common.keys import Keys

        before = len(self.all("[data-testid='stChatMessage']"))
        box = self.wait.until(lambda d: self.all("[data-testid='stChatInputTextArea']"))[0]
        box.send_keys(question)
        box.send_keys(Keys.ENTER)
        self.wait.until(lambda d: len(self.all("[data-testid='stChatMessage']")) >= before + 2
                        and not self.all("[data-testid='stStatusWidget'] [data-testid='stStatusWidgetRunningIcon']")
                        and self.last_answer_done())

    def last_answer_done(self) -> bool:
        """The last message has drawn its content, not only its avatar (whose icon name is text too)."""
        from selenium.webdriver.common.by import By

        messages = self.all("[data-testid='stChatMessage']")
        content = messages[-1].find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessageContent']") if messages else []
        return bool(content) and bool(content[0].text.strip())

    def shown_quotes(self, quotes: list[dict]) -> list[str]:
        """The rendered text of the last answer's quotes, once they are drawn (a rerun
        draws the message before its quotes settle): what a person sees."""
        from selenium.webdriver.common.by import By

        want = [q["text"] for q in quotes]

        def texts():
            return [e.get_attribute("innerText") for e in self.last().find_elements(By.CSS_SELECTOR, ".attest-quote-text")]
        try:
            self.wait.until(lambda d: texts() == want)
        except Exception:  # the assertion below shows what was drawn instead
            pass
        return texts()

    def last(self):
        return self.all("[data-testid='stChatMessage']")[-1]

    def metric(self) -> str:
        return self.all("[data-testid='stSidebar'] [data-testid='stMetricValue']")[0].text

    def button(self, text: str):
        return self.wait.until(lambda d: next((b for b in self.all("button") if b.text.strip().endswith(text)), None))

    def click(self, element) -> None:
        """Scrolled to the middle first: the chat input pinned at the bottom would take the click."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        time.sleep(0.3)
        self.driver.execute_script("arguments[0].click();", element)

    def shot(self, name: str) -> None:
        time.sleep(1.5)  # let the expanders and fonts settle before the picture
        assert self.driver.save_screenshot(str(self.shots / name))


def test_browser_shows_quotes_verbatim_strength_declines_and_fresh_sidebar(browser, api, ui, tmp_path):
    from selenium.webdriver.common.by import By

    base, engine = api
    shots = Path(os.environ.get("ATTEST_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)  # a new folder named by ATTEST_SCREENSHOTS is made, not a failure
    page = Page(browser, shots)
    browser.get(ui)
    page.wait.until(lambda d: page.all("[data-testid='stSidebar'] [data-testid='stMetricValue']"))
    assert page.metric() == "2"

    # an answer: every quote's rendered text equals the API's quote text, with its strength
    expected = httpx.post(f"{base}/v1/ask", json={"question": QUESTION}, timeout=180).json()
    assert expected["answered"]
    page.ask(QUESTION)
    assert page.shown_quotes(expected["quotes"]) == [q["text"] for q in expected["quotes"]]
    labels = [e.get_attribute("data-strength") for e in page.last().find_elements(By.CSS_SELECTOR, ".attest-strength")]
    assert len(labels) == len(expected["quotes"]) and set(labels) <= {"strong", "medium", "weak"}
    assert "[1]" in page.last().text
    page.shot("ui-answer.png")

    # the source view: the quote highlighted at its offsets in the document
    page.click(page.wait.until(lambda d: page.last().find_elements(By.CSS_SELECTOR, "[data-testid='stExpander'] summary"))[0])
    mark = page.wait.until(lambda d: page.last().find_elements(By.CSS_SELECTOR, ".attest-context mark"))[0]
    assert mark.get_attribute("innerText") == expected["quotes"][0]["text"]
    page.shot("ui-source.png")

    # Markdown, LaTeX, HTML and backticks appear exactly as stored
    hostile = httpx.post(f"{base}/v1/ask", json={"question": HOSTILE_QUESTION}, timeout=180).json()
    assert hostile["answered"] and "2*3*4" in hostile["quotes"][0]["text"]  # Markdown-special, stored as written
    page.ask(HOSTILE_QUESTION)
    assert page.shown_quotes(hostile["quotes"]) == [q["text"] for q in hostile["quotes"]]
    assert not page.last().find_elements(By.CSS_SELECTOR, "em, script, .katex")

    # a quote ending in right-to-left script keeps its [n] marker after it on screen, not inside it
    rtl = httpx.post(f"{base}/v1/ask", json={"question": RTL_QUESTION}, timeout=180).json()
    assert rtl["answered"] and rtl["quotes"][0]["text"].endswith("سلام دنیا.")
    page.ask(RTL_QUESTION)
    assert page.shown_quotes(rtl["quotes"]) == [q["text"] for q in rtl["quotes"]]
    text, marker = (page.last().find_elements(By.CSS_SELECTOR, css)[0] for css in (".attest-quote-text", "blockquote > b"))
    quote_right, marker_left = browser.execute_script(
        "const r = document.createRange(); r.selectNodeContents(arguments[0]);"
        "return [Math.max(...[...r.getClientRects()].map(x => x.right)), arguments[1].getBoundingClientRect().left];",
        text, marker)
    assert marker_left >= quote_right

    # a decline: the fixed wording, related passages collapsed, labelled and unnumbered
    declined = httpx.post(f"{base}/v1/ask", json={"question": DECLINE}, timeout=180).json()
    assert not declined["answered"]
    page.ask(DECLINE)
    assert NO_ANSWER in page.last().text and "[1]" not in page.last().text
    if declined["related"]:
        page.click(page.wait.until(lambda d: page.last().find_elements(By.CSS_SELECTOR, "[data-testid='stExpander'] summary"))[0])
        related = page.wait.until(lambda d: page.last().find_elements(By.CSS_SELECTOR, ".attest-related"))
        assert all("not an answer" in r.get_attribute("textContent") for r in related)
        assert not page.last().find_elements(By.CSS_SELECTOR, "blockquote")
    page.shot("ui-decline.png")

    # upload: the count and the list follow, the uploader is emptied
    token = page.all("[data-testid='stSidebar'] input[type='password']")[0]
    from selenium.webdriver.common.keys import Keys

    token.send_keys(TOKEN + Keys.ENTER)  # Streamlit applies a text input on Enter
    time.sleep(2)  # and reruns the script with it
    upload = tmp_path / "lighthouse.txt"
    upload.write_text(UPLOAD)
    page.all("[data-testid='stSidebar'] input[type='file']")[0].send_keys(str(upload))
    page.click(page.button("Ingest uploads"))
    page.wait.until(lambda d: page.metric() == "3")
    sidebar = page.all("[data-testid='stSidebar']")[0]
    page.wait.until(lambda d: "uploads/lighthouse.txt" in sidebar.text and "ingested" in sidebar.text)
    assert not page.all("[data-testid='stSidebar'] [data-testid='stFileUploaderFile']")
    assert engine.document("uploads/lighthouse.txt") is not None
    page.shot("ui-after-upload.png")

    # delete: the document leaves the list, the count drops, the confirm button goes
    page.click(page.all("[class*='st-key-del-uploads-lighthouse-txt'] button")[0])
    page.click(page.button("Yes, delete"))
    page.wait.until(lambda d: page.metric() == "2")
    sidebar = page.all("[data-testid='stSidebar']")[0]
    page.wait.until(lambda d: "Deleted uploads/lighthouse.txt" in sidebar.text)
    # the rerun that drops the row may still be drawing when the message shows: wait for it
    page.wait.until(lambda d: "Yes, delete" not in sidebar.text
                    and not page.all("[class*='st-key-del-uploads-lighthouse-txt']"))
    assert engine.document("uploads/lighthouse.txt") is None
    page.shot("ui-after-delete.png")

    # the Eval page opened by its address: the navigation names both pages, never "app"
    browser.get(f"{ui}/eval")
    links = page.wait.until(lambda d: page.all("[data-testid='stSidebarNav'] a"))
    page.wait.until(lambda d: [a.text.strip().split("\n")[-1] for a in page.all("[data-testid='stSidebarNav'] a")]
                    == ["Ask", "Eval"])
    assert links and "app" not in page.all("[data-testid='stSidebarNav']")[0].text.split()
    page.wait.until(lambda d: "Evaluation" in d.find_element("tag name", "body").text)  # the page, not "Page not found"
    assert "Page not found" not in browser.find_element("tag name", "body").text
    page.shot("ui-eval.png")


def test_a_word_longer_than_the_column_wraps_inside_the_quote(browser, api, ui, tmp_path):
    """A quote holding a long web address ran out of its box (and off the column), so the end
    of the quote and its [n] were out of sight; it wraps on screen and is still the stored text."""
    from selenium.webdriver.common.by import By

    base, _ = api
    address = "https://archive.example.org/records/" + "a1b2c3d4" * 30
    text = f"Ledger notes\n\nThe harbour ledger for 1888 is kept at {address} in the archive.\n"
    added = httpx.post(f"{base}/v1/documents", headers={"Authorization": f"Bearer {TOKEN}"},
                       files=[("files", ("ledger.txt", text.encode()))], timeout=300).json()
    assert added["ok"], added
    question = "Where is the harbour ledger for 1888 kept?"
    expected = httpx.post(f"{base}/v1/ask", json={"question": question}, timeout=180).json()
    assert expected["answered"] and address in expected["quotes"][0]["text"]
    page = Page(browser, tmp_path)
    browser.get(ui)
    page.ask(question)
    assert page.shown_quotes(expected["quotes"]) == [q["text"] for q in expected["quotes"]]
    for css in (".attest-answer-quote blockquote", ".attest-answer-quote"):
        for box in page.last().find_elements(By.CSS_SELECTOR, css):
            scroll, client = browser.execute_script("return [arguments[0].scrollWidth, arguments[0].clientWidth]", box)
            assert scroll <= client + 1, (css, scroll, client)


def test_at_phone_width_a_citation_copies_exactly_and_a_reload_keeps_the_conversation(browser, api, ui, tmp_path):
    """At 390 px nothing runs off the side; the copy button of a quote's citation puts the stored
    slice and its source on the clipboard, character for character; a reload (a new Streamlit
    session) shows the same conversation, which had been lost."""
    from selenium.webdriver.common.by import By

    from rag.render import citation
    from rag.types import Quote

    base, _ = api
    shots = Path(os.environ.get("ATTEST_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    browser.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": ui})
    page = Page(browser, shots)
    browser.get(ui)
    expected = httpx.post(f"{base}/v1/ask", json={"question": HOSTILE_QUESTION}, timeout=180).json()
    page.ask(HOSTILE_QUESTION)
    assert page.shown_quotes(expected["quotes"]) == [q["text"] for q in expected["quotes"]]
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390

    # found and pressed in one wait: the answer's last rerun may replace an element just found
    page.wait.until(lambda d: page.click(page.last().find_elements(By.CSS_SELECTOR, "[data-testid='stExpander'] summary")[0]) or True)
    page.wait.until(lambda d: page.click(page.last().find_elements(By.CSS_SELECTOR, "[data-testid='stCode'] button")[0]) or True)
    pasted = browser.execute_async_script("navigator.clipboard.readText().then(arguments[0], e => arguments[0]('failed: ' + e))")
    quote = Quote.model_validate(expected["quotes"][0])
    assert pasted == f"“{quote.text}” — {citation(quote)}"
    page.shot("ui-phone-citation.png")

    page.wait.until(lambda d: "?c=" in d.current_url)  # set as the answer's run ends
    browser.refresh()
    page.wait.until(lambda d: len(page.all("[data-testid='stChatMessage']")) == 2 and page.last_answer_done())
    assert page.shown_quotes(expected["quotes"]) == [q["text"] for q in expected["quotes"]]
    assert page.button("New conversation")
