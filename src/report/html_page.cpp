#include "report/html_page.hpp"

#include <fmt/format.h>

#include <array>

#include "plot/svg.hpp"

namespace cltv::report {

namespace {

// The page's style: one column of text and figures. Charts keep their white
// card in dark mode (their ink is dark). Print: no background, A4 or Letter
// margins, headings kept with what follows, a figure never split.
constexpr const char* style_sheet = R"css(
:root{color-scheme:light dark;--ink:#1f1f1f;--muted:#5f5f5f;--bg:#ffffff;--panel:#f5f5f3;--line:#dddddd;--good:#007a5a;--bad:#b34700}
@media (prefers-color-scheme:dark){:root{--ink:#ececec;--muted:#b0b0b0;--bg:#161616;--panel:#242424;--line:#3a3a3a;--good:#3fcf9f;--bad:#ff9a4d}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:860px;padding:28px 20px 48px;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
h1{font-size:26px;margin:0 0 6px}
h2{font-size:19px;margin:34px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
p{margin:8px 0}
.lead{color:var(--muted);margin-bottom:18px}
.note{color:var(--muted);font-size:13px}
.verdict{font-size:18px;font-weight:600;padding:10px 14px;border-radius:6px;background:var(--panel);border-left:5px solid var(--good)}
.verdict.bad{border-left-color:var(--bad)}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin:14px 0}
.figure{background:var(--panel);border-radius:6px;padding:10px 12px}
.figure .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.figure .value{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
.figure .detail{font-size:12px;color:var(--muted)}
.figure.good .value{color:var(--good)}
.figure.bad .value{color:var(--bad)}
table{border-collapse:collapse;width:100%;margin:10px 0;font-size:14px;font-variant-numeric:tabular-nums}
caption{text-align:left;color:var(--muted);font-size:13px;padding-bottom:4px}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left}
th{font-weight:600}
.num{text-align:right}
figure{margin:18px 0;break-inside:avoid;page-break-inside:avoid}
figure svg{display:block;width:100%;height:auto;background:#ffffff;border-radius:6px}
figcaption{color:var(--muted);font-size:13px;margin-top:6px}
footer{margin-top:40px;color:var(--muted);font-size:12px}
@media print{
@page{margin:14mm}
body{max-width:none;padding:0;font-size:10.5pt;background:#ffffff;color:#000000}
:root{--ink:#000000;--muted:#444444;--bg:#ffffff;--panel:#f3f3f3;--line:#cccccc;--good:#007a5a;--bad:#b34700}
h2{break-after:avoid;page-break-after:avoid}
table,.figures,.verdict{break-inside:avoid;page-break-inside:avoid}
figure{margin:10px 0}
figure svg{max-height:100mm;width:auto;max-width:100%;margin:0 auto}
}
)css";

}  // namespace

std::string prefixed_ids(std::string_view svg, std::string_view prefix) {
  // Each place an id is defined or referred to, as cltv::plot writes them.
  static constexpr std::array<std::string_view, 4> openings{"id=\"", "url(#", "href=\"#",
                                                            "aria-labelledby=\""};
  std::string out;
  out.reserve(svg.size() + 64);
  std::size_t at = 0;
  while (at < svg.size()) {
    std::size_t next = std::string_view::npos;
    std::string_view found;
    for (const std::string_view o : openings) {
      const std::size_t p = svg.find(o, at);
      if (p < next) {
        next = p;
        found = o;
      }
    }
    if (next == std::string_view::npos) {
      out += svg.substr(at);
      break;
    }
    next += found.size();
    out += svg.substr(at, next - at);
    if (found == "aria-labelledby=\"") {  // a list of ids, each prefixed
      const std::size_t end = svg.find('"', next);
      std::string_view ids = svg.substr(next, end - next);
      bool first = true;
      while (!ids.empty()) {
        const std::size_t space = ids.find(' ');
        if (!first) out += ' ';
        out += prefix;
        out += ids.substr(0, space);
        first = false;
        ids = space == std::string_view::npos ? std::string_view() : ids.substr(space + 1);
      }
      at = end;
    } else {
      out += prefix;
      at = next;
    }
  }
  return out;
}

html_page::html_page(std::string_view title, std::string_view lead)
    : out_(fmt::format(
          "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"cltv\">\n<title>{0}</title>\n<style>{1}</style>\n"
          "</head>\n<body>\n<h1>{0}</h1>\n<p class=\"lead\">{2}</p>\n",
          plot::xml_escaped(title), style_sheet, plot::xml_escaped(lead))) {}

void html_page::section(std::string_view heading) {
  out_ += fmt::format("<h2>{}</h2>\n", plot::xml_escaped(heading));
}

void html_page::paragraph(std::string_view text) {
  out_ += fmt::format("<p>{}</p>\n", plot::xml_escaped(text));
}

void html_page::note(std::string_view text) {
  out_ += fmt::format("<p class=\"note\">{}</p>\n", plot::xml_escaped(text));
}

void html_page::verdict(std::string_view text, bool good) {
  out_ +=
      fmt::format("<p class=\"verdict{}\">{}</p>\n", good ? "" : " bad", plot::xml_escaped(text));
}

void html_page::key_figures(std::span<const key_figure> figures) {
  out_ += "<div class=\"figures\">\n";
  for (const key_figure& f : figures) {
    const char* tone = f.mood == key_figure::tone::good  ? " good"
                       : f.mood == key_figure::tone::bad ? " bad"
                                                         : "";
    out_ += fmt::format(
        "<div class=\"figure{}\"><div class=\"label\">{}</div><div class=\"value\">{}</div>", tone,
        plot::xml_escaped(f.label), plot::xml_escaped(f.value));
    if (!f.detail.empty())
      out_ += fmt::format("<div class=\"detail\">{}</div>", plot::xml_escaped(f.detail));
    out_ += "</div>\n";
  }
  out_ += "</div>\n";
}

void html_page::table(const table_data& t) {
  const auto numeric = [&](std::size_t column) {
    return column < t.numeric.size() && t.numeric[column];
  };
  out_ += "<table>\n";
  if (!t.caption.empty())
    out_ += fmt::format("<caption>{}</caption>\n", plot::xml_escaped(t.caption));
  out_ += "<thead><tr>";
  for (std::size_t c = 0; c < t.headers.size(); ++c)
    out_ += fmt::format("<th{}>{}</th>", numeric(c) ? " class=\"num\"" : "",
                        plot::xml_escaped(t.headers[c]));
  out_ += "</tr></thead>\n<tbody>\n";
  for (const std::vector<std::string>& row : t.rows) {
    out_ += "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c)
      out_ += fmt::format("<td{}>{}</td>", numeric(c) ? " class=\"num\"" : "",
                          plot::xml_escaped(row[c]));
    out_ += "</tr>\n";
  }
  out_ += "</tbody>\n</table>\n";
}

void html_page::figure(std::string_view svg, std::string_view caption) {
  ++figures_;
  // The SVG as an element of the page: without its XML declaration, if any.
  std::string_view body = svg;
  if (body.starts_with("<?xml")) body.remove_prefix(body.find("?>") + 2);
  while (!body.empty() && (body.front() == '\n' || body.front() == ' ')) body.remove_prefix(1);
  out_ += fmt::format("<figure id=\"figure-{}\">\n", figures_);
  out_ += prefixed_ids(body, fmt::format("f{}-", figures_));
  if (!out_.ends_with('\n')) out_ += '\n';
  out_ += fmt::format("<figcaption>Figure {}. {}</figcaption>\n</figure>\n", figures_,
                      plot::xml_escaped(caption));
}

std::string html_page::finish() {
  out_ +=
      "<footer>Made by cltv. Every number on this page is reproduced by the cltv commands it "
      "names.</footer>\n</body>\n</html>\n";
  return std::move(out_);
}

}  // namespace cltv::report
