using DeviceCommands.Emulator;

namespace DeviceCommands.IntegrationTests;

/// <summary>Each sample runs its whole job against the emulator, as a user would run it with --base-url.</summary>
public class SamplesTests
{
    private static async Task<(int Exit, string Output)> Run(Func<string[], TextWriter, CancellationToken, Task<int>> sample, params string[] extra)
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMilliseconds(50) });
        using var output = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var exit = await sample(["--base-url", emulator.BaseUrl.AbsoluteUri, .. extra], output, cts.Token);

        return (exit, output.ToString());
    }

    [Fact]
    public async Task Quickstart_lists_sends_shows_each_status_and_exits_zero()
    {
        var (exit, output) = await Run(Samples.Quickstart.Program.RunAsync);

        Assert.Equal(0, exit);
        Assert.Contains("emu-laptop", output, StringComparison.Ordinal);
        Assert.Contains("requesting", output, StringComparison.Ordinal);
        Assert.Contains("completed after", output, StringComparison.Ordinal);
        Assert.Contains("Response payload", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quickstart_starts_its_own_emulator_with_no_arguments()
    {
        using var output = new StringWriter();

        var exit = await Samples.Quickstart.Program.RunAsync(["--step-delay", "00:00:00.05"], output, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Contains("emulator started in this process", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quickstart_exits_non_zero_when_the_service_cannot_be_reached()
    {
        using var output = new StringWriter();

        var exit = await Samples.Quickstart.Program.RunAsync(["--base-url", "http://127.0.0.1:9/beta"], output, CancellationToken.None);

        Assert.NotEqual(0, exit);
    }

    [Fact]
    public async Task AppServiceRoundTrip_prints_the_echo_of_the_app_service()
    {
        var (exit, output) = await Run(Samples.AppServiceRoundTrip.Program.RunAsync);

        Assert.Equal(0, exit);
        Assert.Contains("Hello", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendToAll_prints_a_table_with_every_outcome()
    {
        var (exit, output) = await Run(Samples.SendToAll.Program.RunAsync);

        Assert.Equal(0, exit);
        foreach (var status in new[] { "completed", "failedToSend", "commandDropped", "executionFailed", "expired" })
        {
            Assert.Contains(status, output, StringComparison.Ordinal);
        }
    }
}
