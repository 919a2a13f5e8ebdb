using System.Diagnostics;
using System.Net;
using System.Text;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.AspNetCore.Tests;

/// <summary>
/// Waits with callbacks over real sockets: the Kestrel emulator posts back to the mapped endpoint of a Kestrel app,
/// and the client talks to the emulator over loopback.
/// </summary>
public sealed class CallbacksOverSocketsTests : IAsyncLifetime
{
    private CallbackHost _host = null!;

    public async Task InitializeAsync() => _host = await CallbackHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Command Launch() => Command.LaunchUri(new Uri("https://bing.com"));

    /// <summary>The emulator's time per status in the tests on its <see cref="VirtualClock"/>.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The emulator's steps are on a <see cref="VirtualClock"/> moved by hand, so no test waits out real steps; the client
    /// and both web apps run on real time over real sockets. The detection delay is measured in real time from the
    /// terminal step to the wait's end. Its bound is generous (1 s plus how late the machine's timers ran) so a loaded
    /// machine does not fail it, yet far below the fallback's first poll (8 s or more after the POST): only the callback
    /// can end the wait that soon. The 50 ms figure is measured in the benchmarks (<c>-- callbacks</c>).
    /// </summary>
    [Fact]
    public async Task The_wait_ends_right_after_the_terminal_postback_with_one_post_and_one_get()
    {
        var clock = new VirtualClock();
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = Step, TimeProvider = clock });
        var wait = TestClients.Created(null, baseUrl: emulator.BaseUrl, maxRetries: null).Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(Launch(), new CommandWaitOptions { Callbacks = _host.Receiver });
        await PostedCommandAsync(emulator);
        await StepAsync(clock, arrivals: 1); // sentToTarget
        await StepAsync(clock, arrivals: 2); // executing
        Assert.False(wait.IsCompleted, "the wait ended before the command did");

        var probe = StallProbe.Start();
        await StepAsync(clock, arrivals: 3); // completed
        var result = await wait;
        var detection = probe.Stop();

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(1, result.Polls);
        Assert.Equal(2, emulator.RequestCount);
        Assert.Equal(3, emulator.PostBackCount);
        detection.AssertWithin(TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_forged_terminal_callback_makes_one_get_and_the_wait_ends_with_the_true_outcome()
    {
        var clock = new VirtualClock();
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = Step, TimeProvider = clock });
        var wait = TestClients.Created(null, baseUrl: emulator.BaseUrl, maxRetries: null).Me.Devices["emu-broken-hub"].Commands.SendAndWaitAsync(Launch(), new CommandWaitOptions { Callbacks = _host.Receiver });
        var (command, key) = await PostedCommandAsync(emulator);
        using var http = new HttpClient();
        var forged = await http.PostAsync(_host.UrlFor(key), new StringContent($"{{\"id\":\"{command.Id}\",\"status\":\"completed\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, forged.StatusCode);
        await UntilAsync(() => emulator.GetRequests().Any(r => r.Method == "GET"), "the forged callback made no GET");

        // the emulator's clock stood still: the forged callback's GET found the command running; now it runs to its end
        for (var arrivals = 2; arrivals <= 4; arrivals++)
        {
            await StepAsync(clock, arrivals);
        }

        var result = await wait;
        Assert.Equal(ActionStatus.ExecutionFailed, result.Status);
        var gets = emulator.GetRequests().Where(r => r.Method == "GET").ToList();
        Assert.Equal(2, gets.Count); // the forged callback's GET, then the terminal postback's
        Assert.True(gets[0].ReceivedAt < command.CreatedAt + (3 * Step), "the forged callback's GET came after the command had ended");
    }

    [Fact]
    public async Task With_every_postback_dropped_the_wait_ends_by_polling()
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMilliseconds(100), PostBackDropRate = 1 });
        var options = new CommandWaitOptions { Callbacks = _host.Receiver, InitialDelay = TimeSpan.FromMilliseconds(40), MaxDelay = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromSeconds(30) };
        var result = await TestClients.Created(null, baseUrl: emulator.BaseUrl, maxRetries: null).Me.Devices["emu-broken-hub"].Commands.SendAndWaitAsync(Launch(), options);
        Assert.Equal(ActionStatus.ExecutionFailed, result.Status);
        Assert.Equal(0, emulator.PostBackCount);
        Assert.Empty(_host.Arrivals);
    }

    [Fact]
    public async Task An_unknown_key_is_answered_404_and_sends_nothing()
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync();
        using var http = new HttpClient();
        var answer = await http.PostAsync(_host.UrlFor(CommandCallbackReceiver.NewKey()), new StringContent("{\"id\":\"x\",\"status\":\"completed\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal(0, emulator.RequestCount);
    }

    [Fact]
    public async Task A_flood_of_a_thousand_forged_terminal_callbacks_makes_a_handful_of_gets_and_no_outcome()
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMinutes(1) });
        using var stop = new CancellationTokenSource();
        var wait = TestClients.Created(null, baseUrl: emulator.BaseUrl, maxRetries: null).Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(Launch(), new CommandWaitOptions { Callbacks = _host.Receiver }, stop.Token);
        var (command, key) = await PostedCommandAsync(emulator);
        var body = Encoding.UTF8.GetBytes($"{{\"id\":\"{command.Id}\",\"status\":\"completed\"}}");
        using var http = new HttpClient();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            List<HttpStatusCode> codes = [];
            for (var i = 0; i < 125; i++)
            {
                codes.Add((await http.PostAsync(_host.UrlFor(key), new ByteArrayContent(body))).StatusCode);
            }

            return codes;
        }));

        Assert.All(answers.SelectMany(a => a), code => Assert.Equal(HttpStatusCode.Accepted, code));
        Assert.False(wait.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        var gets = emulator.GetRequests().Count(r => r.Method == "GET");
        Assert.InRange(gets, 1, 12);
    }

    /// <summary>
    /// Moves the emulator's clock one step, once its postback follower waits for that step (its timer alone pending,
    /// due a step from now: 3 s, unlike a postback's 2 s timeout), and waits until the callback host has taken
    /// <paramref name="arrivals"/> requests in all.
    /// </summary>
    private async Task StepAsync(VirtualClock clock, int arrivals)
    {
        await UntilAsync(() => clock.PendingTimers == 1 && clock.NextTimerDue == clock.GetUtcNow() + Step, "the emulator never waited for its next step");
        clock.Advance(Step);
        await UntilAsync(() => _host.Arrivals.Count >= arrivals, $"the callback host never took {arrivals} requests");
    }

    /// <summary>Waits, in real time (30 s at most), for a condition of the emulator or the callback host.</summary>
    private static async Task UntilAsync(Func<bool> condition, string failure)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), failure);
            await Task.Delay(5);
        }
    }

    /// <summary>The command the wait posted, once the emulator has it, and the key of its postBackUri.</summary>
    private async Task<(EmulatedCommand Command, string Key)> PostedCommandAsync(DeviceCommandsEmulator emulator)
    {
        var waited = Stopwatch.StartNew();
        while (emulator.GetCommands().Count == 0 || _host.Receiver.ActiveWaits == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the wait's POST never reached the emulator");
            await Task.Delay(5);
        }

        var command = emulator.GetCommands().Single();
        var key = command.RequestBody[(command.RequestBody.IndexOf("/callbacks/", StringComparison.Ordinal) + "/callbacks/".Length)..][..22];
        return (command, key);
    }
}
