using System.Globalization;
using DeviceCommands.Client.Timing;

namespace DeviceCommands.Client.Tests.Timing;

/// <summary>The schedule table of docs/waiting.md states the numbers of <see cref="TimingDefaults"/>, not other ones.</summary>
public sealed class TimingDefaultsDocumentationTests
{
    private static readonly string[] Rows = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "docs", "waiting.md"))
        .Where(line => line.StartsWith("| ", StringComparison.Ordinal))
        .ToArray();

    private static string Jitter => string.Create(CultureInfo.InvariantCulture, $"[{TimingDefaults.JitterLow}, {TimingDefaults.JitterHigh}]");

    [Fact]
    public void The_retry_row_states_the_retry_defaults()
    {
        var cells = Row("retry layer");

        Assert.Contains($"{TimingDefaults.RetryDelay.TotalSeconds} s", cells[1], StringComparison.Ordinal);
        Assert.Equal(Number(TimingDefaults.RetryGrowth), cells[2]);
        Assert.StartsWith(Jitter, cells[4], StringComparison.Ordinal);
    }

    [Fact]
    public void The_wait_row_states_the_wait_defaults()
    {
        var cells = Row("wait polls |");

        Assert.Contains($"{TimingDefaults.WaitInitialDelay.TotalSeconds} s", cells[1], StringComparison.Ordinal);
        Assert.Equal(Number(TimingDefaults.WaitGrowth), cells[2]);
        Assert.Contains($"{TimingDefaults.WaitMaxDelay.TotalSeconds} s", cells[3], StringComparison.Ordinal);
        Assert.StartsWith(Jitter, cells[4], StringComparison.Ordinal);
    }

    [Fact]
    public void The_callback_row_states_the_fallback_factor()
    {
        var factor = TimingDefaults.CallbackFallbackFactor;
        var cells = Row("wait polls, callbacks on");

        Assert.Equal($"{factor} × `InitialDelay` ({factor * TimingDefaults.WaitInitialDelay.TotalSeconds} s)", cells[1]);
        Assert.Equal(Number(TimingDefaults.WaitGrowth), cells[2]);
        Assert.Equal($"{factor} × `MaxDelay` ({factor * TimingDefaults.WaitMaxDelay.TotalSeconds} s)", cells[3]);
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The cells of the one table row that starts with <paramref name="start"/>, trimmed.</summary>
    private static string[] Row(string start) =>
        Assert.Single(Rows, line => line.StartsWith("| " + start, StringComparison.Ordinal))
            .Trim('|').Split('|').Select(cell => cell.Trim()).ToArray();
}
