using System.Net;

namespace DeviceCommands.Emulator.Tests;

public sealed class ProgramTests
{
    [Fact]
    public void TryParse_NoArguments_ListensOn127001Port5080WithDefaults()
    {
        Assert.True(Program.TryParse([], out EmulatorOptions options, out IReadOnlyList<IPEndPoint> endpoints, out bool help, out _));

        Assert.False(help);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 5080)], endpoints);
        Assert.Equal(TimeSpan.FromSeconds(1), options.StepDelay);
    }

    [Fact]
    public void TryParse_EveryFlag_SetsItsOption()
    {
        string[] args =
        [
            "--urls", "http://localhost:6000;http://[::1]:6001", "--step-delay", "00:00:02", "--clean", "--require-token",
            "--throttle-rate", "0.1", "--unavailable-rate=0.05", "--latency-rate", "0.2", "--latency", "500ms", "--seed", "7",
            "--retry-after-hints", "--throttle-retry-after", "3s", "--max-commands", "50", "--max-body-bytes", "2048",
        ];

        Assert.True(Program.TryParse(args, out EmulatorOptions o, out IReadOnlyList<IPEndPoint> endpoints, out _, out string? error), error);

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 6000), new IPEndPoint(IPAddress.IPv6Loopback, 6001)], endpoints);
        Assert.Equal(TimeSpan.FromSeconds(2), o.StepDelay);
        Assert.True(o.CleanJson);
        Assert.True(o.RequireToken);
        Assert.Equal(0.1, o.ThrottleRate);
        Assert.Equal(0.05, o.UnavailableRate);
        Assert.Equal(0.2, o.LatencyRate);
        Assert.Equal(TimeSpan.FromMilliseconds(500), o.Latency);
        Assert.Equal(7, o.Seed);
        Assert.True(o.RetryAfterHints);
        Assert.Equal(TimeSpan.FromSeconds(3), o.ThrottleRetryAfter);
        Assert.Equal(50, o.MaxCommands);
        Assert.Equal(2048, o.MaxRequestBodyBytes);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://192.168.1.10:5080")]
    [InlineData("http://example.com:5080")]
    [InlineData("https://127.0.0.1:5443")]
    [InlineData("http://127.0.0.1:5080/beta")]
    public void TryParse_NonLoopbackOrUnusableUrl_IsRefusedWithAMessage(string url)
    {
        Assert.False(Program.TryParse(["--urls", url], out _, out _, out _, out string? error));

        Assert.Contains("Refusing", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--throttle-rate", "2")]
    [InlineData("--step-delay", "-1")]
    [InlineData("--step-delay", "soon")]
    [InlineData("--seed")]
    [InlineData("--max-commands", "0")]
    public void TryParse_BadFlag_FailsWithAMessage(params string[] args)
    {
        Assert.False(Program.TryParse(args, out _, out _, out _, out string? error));

        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("1.5s", 1500)]
    [InlineData("1.5m", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("250ms", 250)]
    [InlineData("2s", 2000)]
    [InlineData("00:00:00.1", 100)]
    public void TryParse_StepDelay_AcceptsANumberWithAUnitOrTimeSpan(string text, int expectedMs)
    {
        Assert.True(Program.TryParse(["--step-delay", text], out EmulatorOptions options, out _, out _, out _));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), options.StepDelay);
    }

    [Theory]
    [InlineData("--step-delay")]
    [InlineData("--latency")]
    [InlineData("--throttle-retry-after")]
    [InlineData("--request-body-timeout")]
    public void TryParse_ADurationWithoutAUnit_IsRefusedWithTheFix_AndWithItsUnitIsRead(string flag)
    {
        Assert.False(Program.TryParse([flag, "2"], out _, out _, out _, out string? error));
        Assert.Contains("write 2s", error, StringComparison.Ordinal);

        Assert.True(Program.TryParse([flag, "2s"], out _, out _, out _, out error), error);
    }

    [Fact]
    public void TryParse_SteeringFlags_SetDevicesBodyTimeoutAndRecordedRequests()
    {
        string[] args =
        [
            "--device", "pc-1:offline", "--device=tablet:FailsExecution", "--device", "urn:x:y", "--device", "plain",
            "--request-body-timeout", "2s", "--max-recorded-requests", "0",
        ];

        Assert.True(Program.TryParse(args, out EmulatorOptions o, out _, out _, out string? error), error);

        Assert.Equal(
            [("pc-1", DeviceBehavior.Offline), ("tablet", DeviceBehavior.FailsExecution), ("urn:x:y", DeviceBehavior.Completes), ("plain", DeviceBehavior.Completes)],
            o.Devices!.Select(d => (d.Id, d.Behavior)));
        Assert.Equal("Offline", o.Devices![0].Status);
        Assert.Equal(TimeSpan.FromSeconds(2), o.RequestBodyTimeout);
        Assert.Equal(0, o.MaxRecordedRequests);
    }

    [Theory]
    [InlineData("--device", "same", "--device", "same")]
    [InlineData("--device", "")]
    [InlineData("--device")]
    [InlineData("--request-body-timeout", "0")]
    [InlineData("--max-recorded-requests", "-1")]
    public void TryParse_BadSteeringFlag_FailsWithAMessage(params string[] args)
    {
        Assert.False(Program.TryParse(args, out _, out _, out _, out string? error));

        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("Option '--throttle-rate': give a share from 0 to 1, such as 0.25 (got '1.5').", "--throttle-rate", "1.5")]
    [InlineData("Option '--max-body-bytes': give a whole number of at least 1 (got '-5').", "--max-body-bytes", "-5")]
    [InlineData("Option '--lost-answer-status': give an HTTP status from 400 to 599 (got '200').", "--lost-answer-status=200")]
    [InlineData("Option '--request-body-timeout': give a duration above zero, such as 5s (got '0s').", "--request-body-timeout", "0s")]
    [InlineData("Option '--seed' needs a value: --seed <int>.", "--seed")]
    [InlineData("Option '--device': the device 'pc' is given twice.", "--device", "pc", "--device", "pc:offline")]
    public void TryParse_BadValue_MessageSaysWhatIsExpected(string expected, params string[] args)
    {
        Assert.False(Program.TryParse(args, out _, out _, out _, out string? error));

        Assert.Equal(expected, error);
    }

    [Fact]
    public void Usage_NamesTheToolCommandThatPeopleRun()
    {
        Assert.StartsWith("Usage: devicecommands-emulator [options]", Program.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_DocumentsEveryFlagAndTheAdminApi()
    {
        foreach (string text in new[]
        {
            "--device", "--request-body-timeout", "--max-recorded-requests", "/_emulator/devices", "/_emulator/devices/{id}",
            "/_emulator/commands/{id}/outcome", "/_emulator/script/gets", "/_emulator/script/posts", "/_emulator/requests", "/_emulator/reset",
            "Bearer ***",
        })
        {
            Assert.Contains(text, Program.Usage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryParse_Help_AsksForUsage()
    {
        Assert.True(Program.TryParse(["--help"], out _, out _, out bool help, out _));

        Assert.True(help);
    }

    [Fact]
    public void Usage_HasOneLineForEveryFlagOfTheTable()
    {
        string[] lines = Program.Usage.Split('\n');

        foreach (CommandLineOption option in CommandLineOptions.All)
        {
            Assert.Single(lines, line => line.StartsWith($"  {option.Name} ", StringComparison.Ordinal) || line.TrimEnd() == $"  {option.Name}");
        }
    }
}
