using System.Net;
using System.Text;

namespace Vteam.Build.Engine;

/// <summary>--plan: the plan as text, and artifacts/plan.html, a self-contained page that draws the graph.</summary>
internal static class PlanWriter
{
    public static string Text(ExecutionPlan plan)
    {
        var text = new StringBuilder("Execution plan:\n");
        var index = 1;
        foreach (var t in plan.Targets)
            text.AppendLine($"  {index++,2}. {t.Name}{(t.Requested ? " (requested)" : "")}{(t.Skipped ? $" — skipped: {t.SkipReason}" : "")}");
        return text.ToString();
    }

    /// <summary>Layers by longest dependency path; boxes in SVG; edges from a target to what it waits for.</summary>
    public static string Html(TargetGraph graph, ExecutionPlan plan)
    {
        var layer = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        int Layer(string name) => layer.TryGetValue(name, out var l) ? l : layer[name] =
            graph[name].DependsOn.Concat(graph[name].After).Where(n => graph.Find(n) is not null).Select(d => Layer(d) + 1).DefaultIfEmpty(0).Max();
        var nodes = graph.Nodes.Where(n => !n.Unlisted || plan.Find(n.Name) is not null).ToArray();
        foreach (var node in nodes) Layer(node.Name);

        const int boxWidth = 180, boxHeight = 40, gapX = 60, gapY = 24, margin = 20;
        var columns = nodes.GroupBy(n => layer[n.Name]).OrderBy(g => g.Key).ToArray();
        var position = new Dictionary<string, (int X, int Y)>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in columns)
        {
            var row = 0;
            foreach (var node in column)
                position[node.Name] = (margin + column.Key * (boxWidth + gapX), margin + row++ * (boxHeight + gapY));
        }
        var width = position.Values.Select(p => p.X).DefaultIfEmpty(0).Max() + boxWidth + margin;
        var height = position.Values.Select(p => p.Y).DefaultIfEmpty(0).Max() + boxHeight + margin;

        var svg = new StringBuilder();
        svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"target graph\">");
        svg.AppendLine("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#666\"/></marker></defs>");
        foreach (var node in nodes)
            foreach (var (dependency, kind) in node.DependsOn.Select(d => (d, "depends")).Concat(node.After.Select(d => (d, "after"))).Concat(node.Triggers.Select(d => (d, "triggers"))))
            {
                if (!position.TryGetValue(dependency, out var from) || !position.TryGetValue(node.Name, out var to)) continue;
                var (a, b) = kind == "triggers" ? (to, from) : (from, to);
                var dash = kind == "depends" ? "" : " stroke-dasharray=\"5,4\"";
                svg.AppendLine($"<line class=\"edge {kind}\" x1=\"{a.X + boxWidth}\" y1=\"{a.Y + boxHeight / 2}\" x2=\"{b.X}\" y2=\"{b.Y + boxHeight / 2}\" stroke=\"#666\"{dash} marker-end=\"url(#arrow)\"/>");
            }
        foreach (var node in nodes)
        {
            var (x, y) = position[node.Name];
            var planned = plan.Find(node.Name);
            var state = planned is null ? "idle" : planned.Skipped ? "skipped" : "run";
            var step = planned is null ? "" : $"{plan.Targets.ToList().IndexOf(planned) + 1}. ";
            var title = WebUtility.HtmlEncode(node.Description ?? node.Name) + (planned?.SkipReason is { } why ? " — skipped: " + WebUtility.HtmlEncode(why) : "");
            svg.AppendLine($"<g class=\"target {state}{(planned?.Requested == true ? " requested" : "")}\" data-target=\"{WebUtility.HtmlEncode(node.Name)}\"><title>{title}</title>" +
                           $"<rect x=\"{x}\" y=\"{y}\" width=\"{boxWidth}\" height=\"{boxHeight}\" rx=\"6\"/>" +
                           $"<text x=\"{x + boxWidth / 2}\" y=\"{y + boxHeight / 2 + 5}\" text-anchor=\"middle\">{step}{WebUtility.HtmlEncode(node.Name)}</text></g>");
        }
        svg.AppendLine("</svg>");

        var list = string.Join("\n", plan.Targets.Select((t, i) =>
            $"<li class=\"{(t.Skipped ? "skipped" : "run")}\">{WebUtility.HtmlEncode(t.Name)}{(t.Requested ? " <em>(requested)</em>" : "")}{(t.Skipped ? " — skipped: " + WebUtility.HtmlEncode(t.SkipReason!) : "")}</li>"));
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Build plan</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
            .target rect { fill: #f4f4f4; stroke: #bbb; stroke-width: 1.5; }
            .target.run rect { fill: #d8f0dc; stroke: #2e7d32; }
            .target.requested rect { stroke-width: 3; }
            .target.skipped rect { fill: #eee; stroke: #999; stroke-dasharray: 4,3; }
            .target text { font-size: 13px; fill: #222; }
            .target.idle text { fill: #888; }
            li.skipped { color: #888; }
            .legend span { display: inline-block; padding: 2px 8px; margin-right: 8px; border: 1px solid #bbb; border-radius: 4px; }
            </style>
            </head>
            <body>
            <h1>Build plan</h1>
            <p class="legend"><span style="background:#d8f0dc">runs</span><span style="background:#eee">skipped</span><span>not scheduled</span> — solid arrows: depends on; dashed: after / triggers</p>
            {{svg}}
            <h2>Order</h2>
            <ol>
            {{list}}
            </ol>
            </body>
            </html>
            """;
    }
}
