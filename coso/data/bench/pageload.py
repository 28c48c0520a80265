"""A page's time in the browser, end to end: `python -m coso.data.bench.pageload [BASE] [USER]`.

Chromium (Debian's, through Playwright) signs in to a running server (`make run` or `make serve`;
BASE defaults to http://127.0.0.1:8000, USER to danang.tochuc with the demo password) and opens
each page of PAGES three ways: in a new browser (nothing cached), again in the same browser, and
again after the 60 seconds for which a file without a hashed name may be cached (BENCH_STALE=1,
slow). For each: the time to the first byte of the page, to DOMContentLoaded and to load (the
Navigation Timing API), how many files went over the network and their bytes. The figures of
docs/benchmarks.md "A page in the browser" come from it.
"""

import os
import sys
import time

PAGES = ["/dang-vien/", "/dang-vien/?tim=nguyen", "/bao-cao/thong-ke/", "/bao-cao/tong-quan/", "/to-chuc/"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
NAVIGATION = """() => { const n = performance.getEntriesByType('navigation')[0];
  return {ttfb: n.responseStart - n.startTime, dcl: n.domContentLoadedEventEnd - n.startTime, load: n.loadEventEnd - n.startTime} }"""
RESOURCES = "() => performance.getEntriesByType('resource').map(r => r.transferSize)"


def main() -> None:
    from playwright.sync_api import sync_playwright

    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    user = sys.argv[2] if len(sys.argv) > 2 else "danang.tochuc"
    stale = os.environ.get("BENCH_STALE") == "1"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        page.goto(base + "/tai-khoan/dang-nhap/")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", "coso-demo-2025")
        page.click("button[type=submit]")
        page.wait_for_load_state("load")
        state = context.storage_state()
        context.close()
        print(f"{'page':26s} {'visit':8s} {'wall':>6s} {'ttfb':>6s} {'dcl':>6s} {'load':>6s} {'files':>5s} {'bytes':>8s}")
        for path in PAGES:
            context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN", storage_state=state)
            page = context.new_page()
            for visit in ("new", "again", "stale") if stale else ("new", "again"):
                if visit == "stale":
                    time.sleep(61)
                started = time.perf_counter()
                page.goto(base + path, wait_until="load")
                wall = (time.perf_counter() - started) * 1000
                nav = page.evaluate(NAVIGATION)
                sizes = [s for s in page.evaluate(RESOURCES) if s > 0]
                print(f"{path:26s} {visit:8s} {wall:6.0f} {nav['ttfb']:6.0f} {nav['dcl']:6.0f} {nav['load']:6.0f} {len(sizes):5d} {sum(sizes):8d}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
