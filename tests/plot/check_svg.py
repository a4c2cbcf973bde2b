#!/usr/bin/python3
"""Structural checks of cltv's SVG charts with a real XML parser (expat).

Usage: check_svg.py FILE...   (files that do not start with <svg are skipped)

Each chart must be well-formed XML whose root is an <svg> in the SVG
namespace with a viewBox and role="img", whose first children are a
non-empty <title> and <desc>, whose <text> elements are not empty (text is
real text, not paths), and whose marks carry aria-labels.
"""
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def check(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("<svg"):
        return None
    root = ET.fromstring(text)  # raises on malformed XML
    problems = []
    if root.tag != SVG + "svg":
        problems.append(f"root is {root.tag}, not svg")
    for attribute in ("viewBox", "width", "height"):
        if not root.get(attribute):
            problems.append(f"no {attribute}")
    if root.get("role") != "img":
        problems.append("role is not img")
    children = list(root)
    if len(children) < 2 or children[0].tag != SVG + "title" or children[1].tag != SVG + "desc":
        problems.append("the first children are not <title> and <desc>")
    else:
        for child in children[:2]:
            if not (child.text or "").strip():
                problems.append(f"empty <{child.tag[len(SVG):]}>")
    texts = root.iter(SVG + "text")
    count = 0
    for t in texts:
        count += 1
        if not "".join(t.itertext()).strip():
            problems.append("an empty <text>")
    if count < 5:
        problems.append(f"only {count} text elements (axes need tick labels)")
    labelled = [e for e in root.iter() if e.get("aria-label")]
    if not labelled:
        problems.append("no mark carries an aria-label")
    return problems


def main():
    failed = 0
    checked = 0
    for path in sys.argv[1:]:
        try:
            problems = check(path)
        except ET.ParseError as e:
            problems = [f"not well-formed XML: {e}"]
        if problems is None:
            continue
        checked += 1
        for p in problems:
            print(f"{path}: {p}")
            failed += 1
    print(f"{checked} SVG charts checked, {failed} problems")
    if checked == 0:
        print("no SVG chart was given")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
