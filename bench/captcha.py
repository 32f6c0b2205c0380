"""What the captcha costs: the server's CPU per challenge and per check, and the resident's wait in a browser.

The server side runs in this process (median CPU of many runs). The browser side serves the site from a thread
and opens the form in Debian's Chromium on a phone-sized page with two workers, as a 2-core phone would: the time
from the first tap into the form to the solved proof of work, for the normal and the `harder` challenge.

    .venv/bin/python -m bench.captcha [--browser]
"""
import argparse
import base64
import json
import statistics
import tempfile
import time
from pathlib import Path

from altcha import Challenge, Payload, solve_challenge

from reporting import captcha, create_app
from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, served
from tests.conftest import app_config, migrate
from tests.factories import make_round

RUNS = 200
PROOFS = 30  # each solved here first, at about a third of a second
SOLVES = 8


def cpu_ms(action, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def server_costs(app, token: str) -> None:
    with app.test_request_context():
        picture = cpu_ms(lambda: captcha.new_challenge(token))
        mint = cpu_ms(lambda: captcha.proof_of_work(token))
        proofs = iter([solved(token) for _ in range(PROOFS)])
        check = cpu_ms(lambda: captcha.check(token, {"altcha": next(proofs)}), PROOFS)
        pictures = iter([captcha.new_challenge(token).image_challenge for _ in range(RUNS)])
        typed = cpu_ms(lambda: captcha.check(token, {"captcha_challenge": (c := next(pictures)),
                                                     "captcha_answer": captcha.digits_for(token, c)}))
    print(f"server CPU, median of {RUNS}: picture drawn {picture:.2f} ms, proof of work minted {mint:.2f} ms, "
          f"proof checked {check:.2f} ms, digits checked {typed:.2f} ms")


def solved(token: str) -> str:
    challenge = Challenge.from_dict(captcha.proof_of_work(token))
    return Payload(challenge, solve_challenge(challenge)).to_base64()


def browser_waits(app, token: str) -> None:
    from playwright.sync_api import sync_playwright

    with served(app) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        for harder in (False, True):
            low, high = captcha.COUNTERS
            factor = captcha.HARDER if harder else 1
            captcha.COUNTERS = (low * factor, high * factor)  # what `harder` mints, for the page's widget
            waits = [solve_in_page(browser, f"{base_url}/r/{token}") for _ in range(SOLVES)]
            captcha.COUNTERS = (low, high)
            print(f"browser, {'harder' if harder else 'normal'}: {SOLVES} solves, mean {statistics.mean(waits):.2f} s, "
                  f"max {max(waits):.2f} s (2 workers; from the first tap into the form)")
        browser.close()


def solve_in_page(browser, url: str) -> float:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url)
    page.locator("altcha-widget").wait_for()
    page.evaluate("() => document.querySelector('altcha-widget').configure({workers: 2})")
    start = time.perf_counter()
    page.fill("textarea[name=content]", "x")
    page.locator("#captcha-digits").wait_for(state="hidden", timeout=120_000)
    wait = time.perf_counter() - start
    assert json.loads(base64.b64decode(page.locator("input[name=altcha]").input_value()))["solution"]
    context.close()
    return wait


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--browser", action="store_true", help="also time the widget in Chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        migrate(url, Path(folder))
        app = create_app(app_config(url, Path(folder)) | {"TESTING": False, "CAPTCHA": True})
        with app.app_context():
            token = make_round().round_code.token
            server_costs(app, token)
        if args.browser:
            browser_waits(app, token)


if __name__ == "__main__":
    main()
