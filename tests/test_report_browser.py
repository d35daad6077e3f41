"""The HTML report in a real headless browser (Chromium through Selenium), with a screenshot."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                                reason="Chromium and chromedriver are not installed here "
                                       "(CI installs Debian's chromium and chromium-driver)")


def test_report_page_in_a_browser(tmp_path: Path) -> None:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    page = tmp_path / "report.html"
    made = subprocess.run([sys.executable, "-m", "mascite", "check", "examples/ivig-for-mas.txt",
                           "--offline", "--format", "html", "--output", str(page)],
                          capture_output=True, text=True, cwd=ROOT, check=False, timeout=120)
    assert made.returncode == 0, made.stderr
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
                 "--window-size=1400,1800"):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=str(DRIVER))
    browser = webdriver.Chrome(options=options, service=service)
    try:
        browser.get(page.as_uri())
        assert browser.title == "mascite: examples/ivig-for-mas.txt"
        assert len(browser.find_elements(By.CSS_SELECTOR, "span.claim.uncited")) == 34
        assert len(browser.find_elements(By.CSS_SELECTOR, "a.cite")) == 11
        assert len(browser.find_elements(By.CSS_SELECTOR, "li.ref")) == 11
        first = browser.find_elements(By.CSS_SELECTOR, "a.cite")[7]  # [8,9]
        ActionChains(browser).move_to_element(first).perform()
        tip = browser.execute_script(
            "return getComputedStyle(arguments[0], '::after').content", first)
        assert tip.startswith('"[8] Intravenous Immunoglobulin Suppresses the Polarization')
        assert "| [9] Intravenous Immunoglobulin Mediates" in tip
        artifacts = ROOT / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        shot = artifacts / "report.png"
        assert browser.save_screenshot(str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert shot.stat().st_size > 20_000
    finally:
        browser.quit()
