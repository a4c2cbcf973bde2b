#!/usr/bin/python3
"""Opens every golden SVG chart in headless Chromium, once for all of them.

Usage: browser_test.py OUT_DIR SVG...

One page stacks the charts as images; a script logs each one's load (or
failure) to the console. The test fails when a chart does not load, when the
page logs anything else (a console error), or when a chart's part of the
screenshot is blank: nearly all white, or without the chart's ink. The
screenshot and each chart's crop stay in OUT_DIR to be looked at.

Exits 77 (skipped) when Chromium or Pillow is missing, unless CI=true: CI
installs both, so there a missing browser is a failure.
"""
import html
import os
import re
import shutil
import subprocess
import sys

WIDTH, HEIGHT = 760, 460
SKIP = 77


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def main():
    out_dir = sys.argv[1]
    charts = [p for p in sys.argv[2:] if open(p, encoding="utf-8").read(4) == "<svg"]
    in_ci = os.environ.get("CI") == "true"
    chromium = find_chromium()
    try:
        from PIL import Image
    except ImportError:
        Image = None
    if chromium is None or Image is None:
        missing = "chromium" if chromium is None else "python3-pil"
        print(f"{missing} is not installed (apt-get install -y chromium python3-pil)")
        return 1 if in_ci else SKIP
    if not charts:
        print("no SVG chart was given")
        return 1

    os.makedirs(out_dir, exist_ok=True)
    names = []
    for i, path in enumerate(charts):
        name = f"chart{i}"
        shutil.copyfile(path, os.path.join(out_dir, name + ".svg"))
        names.append(name)
    rows = "\n".join(
        f'<div style="height:{HEIGHT}px"><img id="{n}" src="{n}.svg" width="{WIDTH}" '
        f'height="{HEIGHT}" alt="{html.escape(charts[i])}"></div>'
        for i, n in enumerate(names))
    page = f"""<!doctype html><html><head><meta charset="utf-8"></head>
<body style="margin:0;background:white">
{rows}
<script>
for (const img of document.images) {{
  const done = () => console.log("cltv-chart-loaded " + img.id);
  const failed = () => console.log("cltv-chart-failed " + img.id);
  if (img.complete) (img.naturalWidth > 0 ? done : failed)();
  else {{ img.onload = done; img.onerror = failed; }}
}}
</script></body></html>
"""
    page_path = os.path.join(out_dir, "charts.html")
    with open(page_path, "w", encoding="utf-8") as f:
        f.write(page)
    shot = os.path.join(out_dir, "charts.png")
    if os.path.exists(shot):
        os.remove(shot)
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--enable-logging=stderr", "--virtual-time-budget=10000",
               f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT * len(names)}",
               "file://" + os.path.abspath(page_path)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    # Chromium also prints unrelated errors (dbus, GPU): only the page's
    # console lines count.
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line]
    problems = []
    loaded = set()
    for line in console:
        m = re.search(r'"cltv-chart-loaded (chart\d+)"', line)
        if m:
            loaded.add(m.group(1))
        else:
            problems.append("console: " + line.strip())
    for i, n in enumerate(names):
        if n not in loaded:
            problems.append(f"{charts[i]}: did not load in the browser")
    if not os.path.exists(shot):
        problems.append(f"no screenshot (chromium exit {run.returncode}): {run.stderr[-400:]}")
    else:
        image = Image.open(shot).convert("RGB")
        for i, n in enumerate(names):
            crop = image.crop((0, i * HEIGHT, WIDTH, (i + 1) * HEIGHT))
            crop.save(os.path.join(out_dir, n + ".png"))
            pixels = list(crop.getdata())
            ink = sum(1 for p in pixels if min(p) < 200)
            colours = {(r // 32, g // 32, b // 32) for (r, g, b) in pixels}
            if ink < 0.01 * len(pixels) or len(colours) < 5:
                problems.append(f"{charts[i]}: blank ({ink} dark pixels, {len(colours)} colours)")
            # A chart that draws in the Okabe-Ito blue (#0072B2: the payback
            # curve, S(t), the bars) must show it.
            if "#0072B2" in open(charts[i], encoding="utf-8").read():
                blue = sum(1 for (r, g, b) in pixels if r < 40 and 90 < g < 140 and 150 < b < 210)
                if blue < 200:
                    problems.append(f"{charts[i]}: its blue marks are not drawn ({blue} pixels)")
    for p in problems:
        print(p)
    print(f"{len(names)} charts opened in {os.path.basename(chromium)}, {len(problems)} problems; "
          f"screenshots in {out_dir}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
