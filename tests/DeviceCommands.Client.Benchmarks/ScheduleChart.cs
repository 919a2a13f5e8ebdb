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
        plot.XLabel("mean detection delay (s, log)");
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
            var x = Math.Log10(Math.Max(r.MeanDetection, 0.01));
            var y = Math.Log10(r.MeanPolls);
            plot.Add.Marker(x, y, shape, size, color);
            var label = plot.Add.Text(Short(r), x, y);
            label.LabelFontSize = bold ? 15 : 12;
            label.LabelBold = bold;
            label.LabelFontColor = r.Kind == PolicyKind.Other ? Colors.Black : color;
            label.LabelAlignment = Alignment.MiddleLeft;
            label.OffsetX = 9;
        }

        plot.Axes.Bottom.TickGenerator = LogTicks();
        plot.Axes.Left.TickGenerator = LogTicks();
        plot.Axes.AutoScale();
        plot.Axes.Margins(0.12, 0.12);
        var limits = plot.Axes.GetLimits();
        // room on the right for the labels
        plot.Axes.SetLimitsX(limits.Left, limits.Right + ((limits.Right - limits.Left) * 0.35));
    }

    private static string Short(ScheduleRow r) => r.Kind switch
    {
        PolicyKind.Ours => "ours (defaults)",
        PolicyKind.OursHints => "ours + Retry-After",
        PolicyKind.OursHintsMs => "ours + retry-after-ms",
        PolicyKind.Candidate => "candidate: " + r.Policy,
        _ => r.Policy,
    };

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = v => Math.Pow(10, v).ToString("0.##", CultureInfo.InvariantCulture),
    };
}
