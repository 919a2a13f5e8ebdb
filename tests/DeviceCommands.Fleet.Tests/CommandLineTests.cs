using System.Diagnostics;

namespace DeviceCommands.Fleet.Tests;

/// <summary>
/// The Fleet sample's command line: bad arguments get one line and exit 2, before any
/// silo or store starts, and no stack trace.
/// </summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--waits 0", "--waits")]
    [InlineData("--waits -5", "--waits")]
    [InlineData("--waits", "--waits needs a value")]          // it used to run 1,000 waits
    [InlineData("--waits --kill-silo", "--waits needs a value")]
    [InlineData("--wait 5", "Unknown argument '--wait'")]     // a typo used to run 1,000 waits
    [InlineData("--silos 0", "--silos")]
    [InlineData("--redis nonsense --waits 1", "--redis takes host:port")]
    [InlineData("--redis 127.0.0.1:0 --waits 1", "--redis takes host:port")]
    [InlineData("--post-back-drop-rate 1.5", "--post-back-drop-rate takes a share from 0 to 1")]
    [InlineData("--post-back-drop-rate", "--post-back-drop-rate needs a value")]
    [InlineData("--no-callback", "Unknown argument '--no-callback'")]
    public async Task Fleet_WithABadArgument_ExitsTwo_AtOnce_WithOneLine(string line, string expected)
    {
        using var output = new StringWriter();
        var real = Stopwatch.StartNew();

        int exit = await DeviceCommands.Samples.Fleet.Program.RunAsync(line.Split(' '), output, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains(expected, output.ToString(), StringComparison.Ordinal);
        Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(real.Elapsed < TimeSpan.FromSeconds(5), $"{real.Elapsed}");
    }

    [Fact]
    public async Task Fleet_WithARedisWhereNothingListens_ExitsTwo_WithOneLine_BeforeStartingSilos()
    {
        int port = LoopbackPort.Free();

        using var output = new StringWriter();
        var real = Stopwatch.StartNew();

        int exit = await DeviceCommands.Samples.Fleet.Program.RunAsync(["--redis", $"127.0.0.1:{port}", "--waits", "1"], output, CancellationToken.None);

        string text = output.ToString();
        Assert.Equal(2, exit);
        Assert.StartsWith($"--redis 127.0.0.1:{port}: nothing answers there", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("silo", text, StringComparison.Ordinal);
        Assert.True(real.Elapsed < TimeSpan.FromSeconds(10), $"{real.Elapsed}");
    }
}
