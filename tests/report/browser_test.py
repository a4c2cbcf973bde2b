#!/usr/bin/python3
"""Opens each golden `cltv report` page in headless Chromium and prints it.

Usage: browser_test.py OUT_DIR PAGES_SPEC...

Each PAGES_SPEC is PATH:A4_PAGES:LETTER_PAGES, the page and how many pages it
prints to on each paper. For each page:
  - it is self-contained: no script, nothing to fetch (no src= or href= to
    anything but its own #ids), and each inline SVG parses as XML;
  - a screenshot is not blank, and the page logs nothing to the console;
  - printed to PDF on A4 and on Letter (an @page size laid over the page's
    own print style), it has the expected number of pages (pdfinfo), and no
    chart is cut across pages: each figure's first text line (its title) and
    its "Figure N." caption are on the same page (pdftotext).
Screenshots and PDFs stay in OUT_DIR to be looked at.

Exits 77 (skipped) when Chromium, Pillow or poppler-utils is missing, unless
CI=true: CI installs them, so there a missing tool is a failure.
"""
import html as html_module
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

SKIP = 77


def find(*names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium_run(chromium, args, timeout=120):
    return subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                           "--hide-scrollbars", "--enable-logging=stderr", *args],
                          capture_output=True, text=True, timeout=timeout)


def visible_title(svg):
    """The first <text> of a chart: its title, as it prints."""
    m = re.search(r"<text[^>]*>([^<]*)</text>", svg)
    return html_module.unescape(m.group(1)) if m else None


def check_page(chromium, Image, out_dir, spec):
    path, a4_pages, letter_pages = spec.rsplit(":", 2)
    name = os.path.basename(os.path.dirname(path)) or os.path.basename(path)
    html = open(path, encoding="utf-8").read()
    problems = []
    if "<script" in html:
        problems.append("has a script")
    for m in re.finditer(r'(?:src|href)="([^"]*)"', html):
        if not m.group(1).startswith("#"):
            problems.append(f"refers to {m.group(1)}")
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    for i, svg in enumerate(svgs):
        try:
            ET.fromstring(svg)
        except ET.ParseError as e:
            problems.append(f"chart {i + 1} is not well-formed XML: {e}")
    ids = re.findall(r'\sid="([^"]+)"', html)
    if len(ids) != len(set(ids)):
        problems.append("an id is used twice")

    page_dir = os.path.join(out_dir, name)
    os.makedirs(page_dir, exist_ok=True)
    local = os.path.join(page_dir, "page.html")
    shutil.copyfile(path, local)
    shot = os.path.join(page_dir, "screen.png")
    run = chromium_run(chromium, ["--virtual-time-budget=5000", f"--screenshot={shot}",
                                  "--window-size=900,1600", "file://" + os.path.abspath(local)])
    for line in run.stderr.splitlines():
        if "CONSOLE" in line:
            problems.append("console: " + line.strip())
    if not os.path.exists(shot):
        problems.append(f"no screenshot (chromium exit {run.returncode})")
    else:
        pixels = list(Image.open(shot).convert("RGB").getdata())
        ink = sum(1 for p in pixels if min(p) < 200)
        if ink < 0.01 * len(pixels):
            problems.append(f"the screenshot is blank ({ink} dark pixels)")

    figures = [(visible_title(svg), i + 1) for i, svg in enumerate(svgs)]
    for paper, expected in (("A4", a4_pages), ("letter", letter_pages)):
        sized = os.path.join(page_dir, f"page-{paper}.html")
        with open(sized, "w", encoding="utf-8") as f:
            f.write(html.replace("</style>", f"@page{{size:{paper}}}</style>", 1))
        pdf = os.path.join(page_dir, f"page-{paper}.pdf")
        chromium_run(chromium, ["--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                                "file://" + os.path.abspath(sized)])
        if not os.path.exists(pdf):
            problems.append(f"{paper}: no PDF")
            continue
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        if pages != int(expected):
            problems.append(f"{paper}: {pages} pages, expected {expected}")
        texts = [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), pdf, "-"],
                                capture_output=True, text=True).stdout for p in range(1, pages + 1)]
        for title, n in figures:
            caption = f"Figure {n}."
            on = [p for p, t in enumerate(texts) if caption in t]
            if not on:
                problems.append(f"{paper}: the caption of figure {n} is not printed")
                continue
            if title and title not in texts[on[0]].replace("\n", " "):
                problems.append(f"{paper}: figure {n} ({title}) is cut: its title is not on the "
                                f"page of its caption ({on[0] + 1})")
    print(f"{name}: {len(svgs)} charts, {len(problems)} problems")
    return [f"{name}: {p}" for p in problems]


def main():
    out_dir = sys.argv[1]
    in_ci = os.environ.get("CI") == "true"
    chromium = find("chromium", "chromium-browser", "google-chrome")
    try:
        from PIL import Image
    except ImportError:
        Image = None
    missing = [what for what, have in (("chromium", chromium), ("python3-pil", Image),
                                       ("poppler-utils", find("pdfinfo"))) if not have]
    if missing:
        print(f"not installed: {', '.join(missing)}")
        return 1 if in_ci else SKIP
    problems = []
    for spec in sys.argv[2:]:
        problems += check_page(chromium, Image, out_dir, spec)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
