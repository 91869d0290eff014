"""The web app in a real headless Chromium (Debian's chromium and chromium-driver, driven by
Selenium) against ``tutor serve``: a student solves a generated problem after two hints and
one wrong attempt, using the keyboard; a hostile answer gets the checker's refusal and the
page stays usable; a teacher downloads an exam.  Skipped when the browser is not installed
(``make test`` installs it with TeX Live's set-up)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.expected_conditions import staleness_of  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from tests.conftest import ROOT  # noqa: E402
from tutor.exams.generators.forms import FORMS, answer_text  # noqa: E402
from tutor.practice.session import Session  # noqa: E402
from tutor.rendering import render  # noqa: E402

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="chromium and chromium-driver not installed")
SHOTS = Path(os.environ.get("TUTOR_SCREENSHOTS", "/tmp/tutor-screenshots"))


@pytest.fixture(scope="module")
def server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(ROOT), TUTOR_SECRET="browser-test")
    process = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--port", str(port), "--rate", "0",
                                "--check-workers", "1"], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/api/kinds", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=DRIVER), options=options)
    driver.implicitly_wait(5)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _press(browser, label: str) -> None:
    """A button reached with the keyboard: focus it, then Enter (no mouse)."""
    button = browser.find_element(By.XPATH, f"//button[normalize-space()='{label}']")
    browser.execute_script("arguments[0].focus()", button)
    button.send_keys(Keys.ENTER)
    WebDriverWait(browser, 60).until(staleness_of(button))  # the next page replaced this one
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _type(browser, text: str) -> None:
    box = browser.find_element(By.ID, "text")
    box.clear()
    box.send_keys(text)


def test_a_student_solves_after_two_hints_and_one_wrong_attempt(server, browser):
    browser.get(server + "/practice?topic=system&difficulty=1&seed=7")
    assert browser.find_elements(By.CSS_SELECTOR, ".problem .katex math")  # typeset, with MathML
    _press(browser, "Hint")
    _press(browser, "Hint")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".hints li")) == 2
    _type(browser, "x = 1/2, y = 3")
    WebDriverWait(browser, 15).until(lambda d: "1/2" in d.find_element(By.ID, "preview").text)
    _press(browser, "Check my answer")
    assert "Not quite" in browser.find_element(By.CSS_SELECTOR, ".feedback").text
    browser.save_screenshot(str(SHOTS / "student-wrong-attempt.png"))
    _type(browser, answer_text(Session("system", 7, 1).solution.answer, FORMS[0]))
    _press(browser, "Check my answer")
    assert "Right!" in browser.find_element(By.CSS_SELECTOR, ".feedback").text
    assert "Attempts: 2 · hints: 2" in browser.find_element(By.CSS_SELECTOR, ".counts").text
    assert browser.find_elements(By.CSS_SELECTOR, ".solution .katex")
    browser.save_screenshot(str(SHOTS / "student-solved.png"))


def test_a_hostile_answer_is_refused_and_the_page_stays_usable(server, browser):
    browser.get(server + "/practice?topic=eigen&difficulty=1&seed=3")
    _type(browser, "9^9^9^9^9^9^9^9")
    _press(browser, "Check my answer")
    assert "Could not" in browser.find_element(By.CSS_SELECTOR, ".feedback").text
    _press(browser, "Hint")
    assert browser.find_elements(By.CSS_SELECTOR, ".hints li")


def test_a_phone_sized_page_has_no_horizontal_scroll(server, browser):
    browser.set_window_size(390, 844)
    try:
        browser.get(server + "/practice?topic=eigen&difficulty=1&seed=3")
        _press(browser, "Show the solution")
        assert browser.find_elements(By.CSS_SELECTOR, ".solution .katex")
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        browser.save_screenshot(str(SHOTS / "phone-solution.png"))
    finally:
        browser.set_window_size(1280, 1000)


def test_a_teacher_downloads_an_exam(server, browser, downloads):
    browser.get(server + "/teacher")
    topics = browser.find_element(By.ID, "topics")
    topics.clear()
    topics.send_keys("inverse")
    count = browser.find_element(By.ID, "count")
    count.clear()
    count.send_keys("1")
    browser.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Download the exam')]").click()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(downloads.glob("*.zip")):
        time.sleep(0.3)
    names = zipfile.ZipFile(next(downloads.glob("*.zip"))).namelist()
    assert "exam-42-key.json" in names and "exam-42-moodle.xml" in names
    if render.tex_available():
        assert "exam-42.pdf" in names
