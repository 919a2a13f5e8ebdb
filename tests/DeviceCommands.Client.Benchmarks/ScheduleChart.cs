using System.Globalization;
using ScottPlot;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>
/// The wait-schedule comparison as a picture: one panel per T, x = mean detection delay, y = mean polls per wait (both
/// log scales, lower-left is better), one labelled point per policy, ours highlighted.
/// </summary>
public static class ScheduleChart
{
    public static void Render(IReadOnlyList<ScheduleRow> rows, string path)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var groups = rows.GroupBy(r => r.T).ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(groups.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: (groups.Count + 1) / 2, columns: 2);
        for (var i = 0; i < groups.Count; i++)
        {
            Panel(multiplot.GetPlot(i), groups[i].Key, [.. groups[i]]);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        multiplot.SavePng(path, 1400, 1100);
    }

    private static void Panel(Plot plot, double t, IReadOnlyList<ScheduleRow> rows)
    {
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"commands ending after {t:0} s (0.5–1.5×)"));
        plot.XLabel("mean detection delay (s, log; 0 drawn at 0.01)");
        plot.YLabel("mean polls per wait (log)");

        foreach (var r in rows)
        {
            var (color, size, shape, bold) = r.Kind switch
            {
                PolicyKind.Ours => (Colors.Red, 16f, MarkerShape.FilledCircle, true),
                PolicyKind.OursHints => (Colors.DarkOrange, 12f, MarkerShape.FilledDiamond, false),
                PolicyKind.OursHintsMs => (Colors.Orange.WithAlpha(0.8), 10f, MarkerShape.OpenDiamond, false),
                PolicyKind.Candidate => (Colors.RoyalBlue, 11f, MarkerShape.FilledTriangleUp, false),
                _ => (Colors.DimGray, 11f, MarkerShape.FilledSquare, false),
            };
            // a detection delay of 0 (exact hints) is drawn at the left edge, 0.01 s
            var x = Math.Log10(Math.Max(r.MeanDetection, MinDetection));
            var y = Math.Log10(r.MeanPolls);
            plot.Add.Marker(x, y, shape, size, color);
            var label = plot.Add.Text(Short(r), x, y);
            label.LabelFontSize = bold ? 15 : 12;
            label.LabelBold = bold;
            label.LabelFontColor = r.Kind == PolicyKind.Other ? Colors.Black : color;
            // ours to the left of its point, the hinted runs below and above, the rest to the right: fewer overlaps
            (label.LabelAlignment, label.OffsetX, label.OffsetY) = r.Kind switch
            {
                PolicyKind.Ours => (Alignment.MiddleRight, -11f, 0f),
                PolicyKind.OursHints => (Alignment.UpperLeft, 4f, 7f),
                PolicyKind.OursHintsMs => (Alignment.LowerLeft, 4f, -7f),
                _ => (Alignment.MiddleLeft, 9f, 0f),
            };
        }

        var xs = rows.Select(r => Math.Log10(Math.Max(r.MeanDetection, MinDetection))).ToList();
        var ys = rows.Select(r => Math.Log10(r.MeanPolls)).ToList();
        var (left, right) = (xs.Min(), xs.Max());
        var (bottom, top) = (ys.Min(), ys.Max());
        var width = Math.Max(right - left, 0.5);
        var height = Math.Max(top - bottom, 0.3);
        // room on both sides for the labels
        var (x0, x1, y0, y1) = (left - (width * 0.4), right + (width * 0.75), bottom - (height * 0.12), top + (height * 0.12));
        plot.Axes.SetLimits(x0, x1, y0, y1);
        plot.Axes.Bottom.TickGenerator = LogTicks(Math.Pow(10, x0), Math.Pow(10, x1));
        plot.Axes.Left.TickGenerator = LogTicks(Math.Pow(10, y0), Math.Pow(10, y1));
    }

    private const double MinDetection = 0.01;

    private static string Short(ScheduleRow r) => r.Kind switch
    {
        PolicyKind.Ours => "ours (defaults)",
        PolicyKind.OursHints => "ours + Retry-After",
        PolicyKind.OursHintsMs => "ours + retry-after-ms",
        PolicyKind.Candidate => "candidate: " + r.Policy.Split(" (")[0],
        _ => r.Policy,
    };

    /// <summary>Ticks at 1, 2, 5 × powers of ten (and 3 when the range is under a decade), placed at their log10.</summary>
    private static ScottPlot.TickGenerators.NumericManual LogTicks(double from, double to)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var span = to / from;
        double[] mantissas = span < 30 ? [1, 1.5, 2, 3, 4, 5, 7] : span < 3000 ? [1, 2, 5] : [1];
        for (var decade = Math.Floor(Math.Log10(from)); decade <= Math.Ceiling(Math.Log10(to)); decade++)
        {
            foreach (var m in mantissas)
            {
                var value = m * Math.Pow(10, decade);
                if (value >= from && value <= to)
                {
                    ticks.AddMajor(Math.Log10(value), value.ToString("#,0.###", CultureInfo.InvariantCulture));
                }
            }
        }

        return ticks;
    }
}
