using System.Net;
using DeviceCommands.Testing;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.Emulator.Tests;

/// <summary>What must never take the emulator (or its process) down, nor hold up its disposal.</summary>
public sealed class RobustnessTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task TransitionLog_ThatThrows_IsReportedOnceThroughTheLogger_AndNeverWrittenAgain()
    {
        ThrowingWriter log = new();
        LogCapture logs = new();
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true, o =>
        {
            o.TransitionLog = log;
            o.LoggerFactory = logs;
        });
        await emu.CreateAsync("emu-laptop");

        for (int i = 0; i < 20; i++)
        {
            emu.Time.Advance(TimeSpan.FromMilliseconds(250)); // the timer fires on this thread: nothing may escape
        }

        Assert.Equal(1, log.Calls);
        var entry = Assert.Single(logs.Entries, l => l.Category == "DeviceCommands.Emulator");
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("TransitionLog", entry.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", entry.Message + entry.Exception, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransitionLog_ThatThrowsOnTheSystemClocksTimerThread_LeavesTheProcessAlive_AndTheEmulatorServing()
    {
        ThrowingWriter log = new();
        SignallingLogger logger = new();
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TransitionLog = log, LoggerFactory = logger, StepDelay = TimeSpan.Zero });
        using HttpClient http = new(emulator.CreateHandler());

        await logger.Logged.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the first tick threw, and was reported
        using HttpResponseMessage response = await http.GetAsync(emulator.BaseUrl + "/me/devices");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, log.Calls);
        Assert.Equal(1, logger.Count);
    }

    [Fact]
    public async Task TransitionLog_WithoutALogger_ThatThrows_IsSwallowed()
    {
        ThrowingWriter log = new();
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true, o => o.TransitionLog = log);

        emu.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(1, log.Calls);
    }

    [Fact]
    public async Task DisposeAsync_OverKestrel_WithARequestInInjectedLatency_ReturnsWithinASecond_AndAbortsIt()
    {
        VirtualClock clock = new();
        DeviceCommandsEmulator emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { TimeProvider = clock, LatencyRate = 1, Latency = TimeSpan.FromDays(1) });
        using HttpClient http = new();
        Task<HttpResponseMessage> get = http.GetAsync(emulator.BaseUrl + "/me/devices");
        Assert.True(SpinWait.SpinUntil(() => clock.PendingTimers == 1, TimeSpan.FromSeconds(30)), "the request never reached its latency");

        StallProbe probe = StallProbe.Start();
        await emulator.DisposeAsync();

        probe.Stop().AssertWithin(TimeSpan.Zero, OneSecond);
        await Assert.ThrowsAsync<HttpRequestException>(() => get);
    }

    [Fact]
    public async Task DisposeAsync_OverKestrel_WithAHalfSentBody_ReturnsWithinASecond_AndClosesTheConnection()
    {
        DeviceCommandsEmulator emulator = await DeviceCommandsEmulator.StartAsync();
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(emulator.BaseUrl);
        await client.SendAsync(RawHttpClient.Request("POST", "/beta/me/devices/emu-laptop/commands", client.Host, "{\"type\":"u8, "Content-Length: 100"));
        Assert.True(SpinWait.SpinUntil(() => emulator.RequestCount == 1, TimeSpan.FromSeconds(30)), "the request never arrived");

        StallProbe probe = StallProbe.Start();
        await emulator.DisposeAsync();

        probe.Stop().AssertWithin(TimeSpan.Zero, OneSecond);
        Assert.Null(await client.ReadResponseAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task DisposeAsync_OverKestrel_WithIdleKeepAliveConnections_ReturnsWithinASecond()
    {
        DeviceCommandsEmulator emulator = await DeviceCommandsEmulator.StartAsync();
        using HttpClient http = new();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ => (await http.GetAsync(emulator.BaseUrl + "/me/devices")).Dispose()));

        StallProbe probe = StallProbe.Start();
        await emulator.DisposeAsync();

        probe.Stop().AssertWithin(TimeSpan.Zero, OneSecond);
    }

    [Fact]
    public async Task DisposeAsync_InMemory_WithARequestInInjectedLatency_EndsItAtOnce_WithHttpRequestException()
    {
        VirtualClock clock = new();
        DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = clock, LatencyRate = 1, Latency = TimeSpan.FromDays(1) });
        using HttpClient http = new(emulator.CreateHandler());
        Task<HttpResponseMessage> get = http.GetAsync(emulator.BaseUrl + "/me/devices");
        Assert.Equal(1, clock.PendingTimers);

        StallProbe probe = StallProbe.Start();
        await emulator.DisposeAsync();
        HttpRequestException error = await Assert.ThrowsAsync<HttpRequestException>(() => get);

        probe.Stop().AssertWithin(TimeSpan.Zero, OneSecond);
        Assert.Contains("disposed", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, clock.PendingTimers);
    }

    [Fact]
    public async Task DisposeAsync_InMemory_WithABodyStillArriving_EndsTheRequestAtOnce()
    {
        DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { RequestBodyTimeout = TimeSpan.FromMinutes(5) });
        using HttpClient http = new(emulator.CreateHandler());
        Task<HttpResponseMessage> post = http.PostAsync(emulator.BaseUrl + "/me/devices/emu-laptop/commands", new NeverEndingContent());
        Assert.Equal(1, emulator.RequestCount);

        StallProbe probe = StallProbe.Start();
        await emulator.DisposeAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => post);

        probe.Stop().AssertWithin(TimeSpan.Zero, OneSecond);
    }

    /// <summary>A log whose every write and flush throws, counting the calls.</summary>
    private sealed class ThrowingWriter : StringWriter
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override void WriteLine(string? value) => Throw();

        public override void Write(char value) => Throw();

        public override void Flush() => Throw();

        private void Throw()
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("The log is closed.");
        }
    }

    /// <summary>A logger factory that signals its first error.</summary>
    private sealed class SignallingLogger : ILoggerFactory, ILogger
    {
        private int _count;

        public TaskCompletionSource Logged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count => Volatile.Read(ref _count);

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Interlocked.Increment(ref _count);
            Logged.TrySetResult();
        }

        public void Dispose()
        {
        }
    }

    private sealed class NeverEndingContent : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync("{\"type\":"u8.ToArray(), cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
