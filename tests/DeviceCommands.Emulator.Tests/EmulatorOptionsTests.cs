namespace DeviceCommands.Emulator.Tests;

public sealed class EmulatorOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        EmulatorOptions options = new();

        Assert.Equal(TimeSpan.FromSeconds(1), options.StepDelay);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.False(options.RequireToken);
        Assert.False(options.CleanJson);
        Assert.Equal(0, options.ThrottleRate);
        Assert.Equal(0, options.UnavailableRate);
        Assert.Equal(0, options.LatencyRate);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ThrottleRetryAfter);
        Assert.Equal(12345, options.Seed);
        Assert.False(options.RetryAfterHints);
        Assert.Equal(10_000, options.MaxCommands);
        Assert.Equal(64 * 1024, options.MaxRequestBodyBytes);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestBodyTimeout);
        Assert.Equal(1000, options.MaxRecordedRequests);
        Assert.Null(options.Devices);
        Assert.Null(options.LoggerFactory);
        Assert.Null(options.TransitionLog);
    }

    [Fact]
    public void DefaultDevices_StartWithTheLaptopThatCompletes_AndCoverEveryBehavior()
    {
        IReadOnlyList<EmulatedDevice> devices = EmulatorOptions.DefaultDevices;

        Assert.Equal(["emu-laptop", "emu-offline-phone", "emu-sleepy-tablet", "emu-broken-hub", "emu-slow-console"], devices.Select(d => d.Id));
        Assert.Equal(DeviceBehavior.Completes, devices[0].Behavior);
        Assert.Equal(Enum.GetValues<DeviceBehavior>(), devices.Select(d => d.Behavior));
    }

    public static TheoryData<string, Action<EmulatorOptions>> InvalidSettings() => new()
    {
        { "StepDelay", o => o.StepDelay = TimeSpan.FromSeconds(-1) },
        { "StepDelay", o => o.StepDelay = TimeSpan.MaxValue },
        { "Latency", o => o.Latency = TimeSpan.FromTicks(-1) },
        { "ThrottleRetryAfter", o => o.ThrottleRetryAfter = TimeSpan.FromSeconds(-2) },
        { "ThrottleRate", o => o.ThrottleRate = 1.5 },
        { "UnavailableRate", o => o.UnavailableRate = -0.1 },
        { "LatencyRate", o => o.LatencyRate = double.NaN },
        { "MaxCommands", o => o.MaxCommands = 0 },
        { "MaxRequestBodyBytes", o => o.MaxRequestBodyBytes = -1 },
        { "TimeProvider", o => o.TimeProvider = null! },
        { "RequestBodyTimeout", o => o.RequestBodyTimeout = TimeSpan.Zero },
        { "RequestBodyTimeout", o => o.RequestBodyTimeout = TimeSpan.FromDays(2) },
        { "MaxRecordedRequests", o => o.MaxRecordedRequests = -1 },
        { "Devices", o => o.Devices = [] },
        { "Devices", o => o.Devices = [new EmulatedDevice("same"), new EmulatedDevice("same")] },
        { "Devices", o => o.Devices = [new EmulatedDevice("")] },
        { "Devices", o => o.Devices = [new EmulatedDevice("x") { Behavior = (DeviceBehavior)99 }] },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task StartAsync_InvalidSetting_ThrowsArgumentExceptionNamingIt(string name, Action<EmulatorOptions> configure)
    {
        EmulatorOptions options = new();
        configure(options);

        ArgumentException exception = await Assert.ThrowsAsync<ArgumentException>(() => DeviceCommandsEmulator.StartAsync(options));

        Assert.Equal(name, exception.ParamName);
    }

    [Fact]
    public async Task StartAsync_CopiesOptions_LaterChangesDoNotReachTheEmulator()
    {
        EmulatorOptions options = new() { StepDelay = TimeSpan.Zero };
        await using DeviceCommandsEmulator emulator = await DeviceCommandsEmulator.StartAsync(options);
        options.ThrottleRate = 1.0;
        using HttpClient http = new();

        using HttpResponseMessage response = await http.GetAsync(emulator.BaseUrl + "/me/devices");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
