using System.Globalization;
using System.Net;
using System.Text;

namespace Vteam.Build.Reporting;

/// <summary>artifacts/security-report.html: one self-contained page (no scripts, fonts or styles from elsewhere).</summary>
public static class HtmlReportWriter
{
    private static readonly (string Name, string Colour, Func<ImageRow, int?> Count)[] Severities =
    [
        ("Critical", "#7b1f1f", i => i.Critical),
        ("High", "#d9480f", i => i.High),
        ("Medium", "#f2c14e", i => i.Medium),
        ("Low", "#4c8bd6", i => i.Low),
        ("Unknown", "#9e9e9e", i => i.Unknown),
    ];

    public static string Write(SecurityReport report)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\">");
        html.AppendLine("<head>");
        html.AppendLine("<meta charset=\"utf-8\">");
        html.AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.AppendLine("<title>Security report</title>");
        html.AppendLine("""
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 72rem; color: #1f2328; padding: 0 1rem; }
            h1 { margin-bottom: .25rem; }
            .verdict { font-size: 1.1rem; padding: .5rem .75rem; border-radius: 6px; display: inline-block; }
            .verdict.pass { background: #dafbe1; } .verdict.fail { background: #ffebe9; }
            table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; font-size: .92rem; }
            th, td { border: 1px solid #d0d7de; padding: .4rem .6rem; text-align: left; vertical-align: top; }
            th { background: #f6f8fa; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .pass { color: #1a7f37; } .fail { color: #cf222e; font-weight: 600; } .notmeasured { color: #6e7781; }
            code { font-size: .85em; word-break: break-all; }
            .detail { color: #57606a; font-size: .85em; }
            .legend span { display: inline-block; margin-right: 1rem; }
            .legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: middle; }
            </style>
            """);
        html.AppendLine("</head>");
        html.AppendLine("<body>");
        html.AppendLine("<h1>Security report</h1>");
        html.AppendLine($"<p class=\"meta\">Version {E(report.Version ?? "(none)")} · commit <code>{E(report.GitCommit ?? "(none)")}</code> · generated {report.GeneratedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC</p>");
        html.AppendLine(report.Passed
            ? "<p class=\"verdict pass\">All measured KPIs pass.</p>"
            : $"<p class=\"verdict fail\">{report.Failing.Count()} KPI(s) fail: {E(string.Join(", ", report.Failing.Select(k => k.Name)))}.</p>");

        html.AppendLine("<h2>Success metrics</h2>");
        html.AppendLine("<table id=\"kpis\"><thead><tr><th>KPI</th><th>Target</th><th>Actual</th><th>Result</th></tr></thead><tbody>");
        foreach (var k in report.Kpis)
        {
            var css = k.Status.ToString().ToLowerInvariant();
            html.AppendLine($"<tr data-kpi=\"{E(k.Id)}\"><td>{E(k.Name)}</td><td>{E(k.Target)}</td><td>{E(k.Actual)}{(k.Detail is null ? "" : $"<div class=\"detail\">{E(k.Detail)}</div>")}</td>" +
                            $"<td class=\"{css}\">{(k.Status switch { KpiStatus.Pass => "pass", KpiStatus.Fail => "fail", _ => "not measured" })}</td></tr>");
        }
        html.AppendLine("</tbody></table>");

        html.AppendLine("<h2>Vulnerabilities by severity</h2>");
        html.AppendLine(Chart(report.Images));
        html.AppendLine("<h2>Images</h2>");
        html.AppendLine("<table id=\"images\"><thead><tr><th>Component</th><th>Digest</th><th>Base images</th><th>Critical</th><th>High</th><th>Medium</th><th>Low</th><th>SBOM packages</th><th>Signature</th></tr></thead><tbody>");
        foreach (var i in report.Images)
            html.AppendLine($"<tr data-component=\"{E(i.Component)}\"><td>{E(i.Component)}</td><td><code>{E(i.Repository is null ? i.Digest ?? "" : $"{i.Repository}@{i.Digest}")}</code></td>" +
                            $"<td>{string.Join("<br>", i.BaseImages.Select(b => $"<code>{E(b)}</code>"))}</td>" +
                            $"<td class=\"num\">{N(i.Critical)}</td><td class=\"num\">{N(i.High)}</td><td class=\"num\">{N(i.Medium)}</td><td class=\"num\">{N(i.Low)}</td>" +
                            $"<td class=\"num\">{N(i.SbomPackages)}</td><td>{E(i.Signature)}</td></tr>");
        html.AppendLine("</tbody></table>");
        html.AppendLine("</body>");
        html.AppendLine("</html>");
        return html.ToString();
    }

    /// <summary>A horizontal stacked bar per image, drawn in inline SVG.</summary>
    private static string Chart(IReadOnlyList<ImageRow> images)
    {
        if (images.Count == 0) return "<p>No images.</p>";
        const int labelWidth = 160, barWidth = 520, rowHeight = 28, top = 10;
        var max = Math.Max(1, images.Max(i => Severities.Sum(s => s.Count(i) ?? 0)));
        var height = top + images.Count * rowHeight + 10;
        var svg = new StringBuilder();
        svg.AppendLine($"<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + barWidth + 80}\" height=\"{height}\" role=\"img\" aria-label=\"vulnerabilities by severity per image\">");
        for (var row = 0; row < images.Count; row++)
        {
            var image = images[row];
            var y = top + row * rowHeight;
            svg.AppendLine($"<text x=\"{labelWidth - 8}\" y=\"{y + 17}\" text-anchor=\"end\" font-size=\"13\">{E(image.Component)}</text>");
            var x = (double)labelWidth;
            var total = 0;
            foreach (var (name, colour, count) in Severities)
            {
                var n = count(image) ?? 0;
                if (n == 0) continue;
                total += n;
                var w = barWidth * (double)n / max;
                svg.AppendLine($"<rect class=\"bar {name.ToLowerInvariant()}\" data-count=\"{n}\" x=\"{F(x)}\" y=\"{y + 4}\" width=\"{F(w)}\" height=\"{rowHeight - 8}\" fill=\"{colour}\"><title>{E(image.Component)}: {n} {name.ToLowerInvariant()}</title></rect>");
                x += w;
            }
            var label = image.Critical is null ? "not scanned" : total.ToString(CultureInfo.InvariantCulture);
            svg.AppendLine($"<text x=\"{F(x + 6)}\" y=\"{y + 17}\" font-size=\"12\">{label}</text>");
        }
        svg.AppendLine("</svg>");
        svg.AppendLine("<p class=\"legend\">" + string.Join("", Severities.Select(s => $"<span><i style=\"background:{s.Colour}\"></i>{s.Name}</span>")) + "</p>");
        return svg.ToString();
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
    private static string N(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "–";
    private static string E(string text) => WebUtility.HtmlEncode(text);
}
