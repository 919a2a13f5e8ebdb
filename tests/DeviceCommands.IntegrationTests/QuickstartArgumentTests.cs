namespace DeviceCommands.IntegrationTests;

/// <summary>The quickstart sample, given a bad argument on its command line, exits 2 with a one-line message.</summary>
public sealed class QuickstartArgumentTests
{
    [Theory]
    [InlineData("--step-delay", "nonsense")]
    [InlineData("--step-delay", "-00:00:01")]
    [InlineData("--base-url", "nonsense")]
    [InlineData("--base-url", "ftp://127.0.0.1/beta")]
    [InlineData("--graph")]
    public async Task Quickstart_WithABadArgument_ExitsTwo_WithAOneLineMessage_AndNoStackTrace(params string[] args)
    {
        Assert.Null(Environment.GetEnvironmentVariable("DEVICECOMMANDS_CLIENT_ID"));
        using var output = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var exit = await Samples.Quickstart.Program.RunAsync(args, output, cts.Token);

        string text = output.ToString();
        Assert.Equal(2, exit);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.Contains(args[0], text, StringComparison.Ordinal);
    }
}
