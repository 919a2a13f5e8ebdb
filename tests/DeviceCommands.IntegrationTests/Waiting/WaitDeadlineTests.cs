using System.Globalization;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.TestSupport;
using Xunit.Abstractions;

namespace DeviceCommands.IntegrationTests.Waiting;

/// <summary>
/// A wait's deadline bounds everything inside it (each poll, the retry layer's sleeps, attempt timeouts,
/// token acquisition, the POST of SendAndWaitAsync), and the wait ends within <see cref="Timed.DeadlineSlack"/>
/// (500 ms) of real time after its deadline, with a <see cref="CommandWaitTimeoutException"/>.
/// </summary>
public sealed class WaitDeadlineTests(ITestOutputHelper output) : IAsyncLifetime
{
    public Task InitializeAsync() => LoopbackClient.WarmUpAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The bound: Timeout + 500 ms of real time.</summary>
    private static readonly TimeSpan Latest = WaitTimeout + Timed.DeadlineSlack;

    /// <summary>A wait does not time out before its deadline (a little under it, for timer granularity).</summary>
    private static readonly TimeSpan Earliest = WaitTimeout - TimeSpan.FromMilliseconds(50);

    private static Task Wait(DeviceCommandsClient client) =>
        client.Me.Devices["d"].Commands["c"].WaitForCompletionAsync(new CommandWaitOptions { Timeout = WaitTimeout, InitialDelay = TimeSpan.FromMilliseconds(100) });

    [Fact]
    public async Task A_wait_against_a_server_that_never_answers_ends_at_its_deadline()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Silence());
        var client = TestClients.Loopback(server, configure: o => { o.AttemptTimeout = TimeSpan.FromSeconds(1); o.MaxRetries = 2; });

        var timed = await Timed.RunAsync(() => Wait(client));
        output.WriteLine(timed.ToString());
        var error = timed.Error;

        Assert.IsType<CommandWaitTimeoutException>(error);
        Assert.IsAssignableFrom<TimeoutException>(error);
        timed.EndedWithin(Earliest, Latest);
        Assert.Equal(1, server.Count("GET"));

        // the attempt timeout and the deadline fall together: whichever ends the poll, its timeout is inside
        var inner = Assert.IsAssignableFrom<Microsoft.Kiota.Abstractions.ApiException>(error!.InnerException);
        Assert.IsType<TimeoutException>(inner.InnerException);
    }

    [Fact]
    public async Task A_wait_whose_every_poll_is_answered_429_retry_after_2_s_ends_at_its_1_s_deadline()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(429, Answers.ODataErrorBody, "application/json", ("Retry-After", "2")));
        var client = TestClients.Loopback(server);

        var timed = await Timed.RunAsync(() => Wait(client));
        output.WriteLine(timed.ToString());
        var error = timed.Error;

        Assert.IsType<CommandWaitTimeoutException>(error);
        timed.EndedWithin(Earliest, Latest);
        // the retry layer's 2 s sleep runs under the time left: no second request before the deadline
        Assert.Equal(1, server.Count("GET"));
    }

    [Fact]
    public async Task A_wait_whose_poll_answer_trickles_one_byte_per_100_ms_ends_at_its_deadline()
    {
        await using var server = RawHttpServer.Start();
        // 60 bytes at 1 byte per 100 ms: 6 s for the whole body; the default 30 s attempt timeout does not help
        var body = Answers.Padded(Answers.Requesting, 60);
        server.Otherwise(Reply.Trickle(200, body, 1, TimeSpan.FromMilliseconds(100)));
        var client = TestClients.Loopback(server);

        var timed = await Timed.RunAsync(() => Wait(client));
        output.WriteLine(timed.ToString());
        var error = timed.Error;

        Assert.IsType<CommandWaitTimeoutException>(error);
        timed.EndedWithin(Earliest, Latest);
        Assert.Equal(1, server.Count("GET"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_wait_whose_credential_never_returns_a_token_ends_at_its_deadline_without_sending(bool honoursCancellation)
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(200, Answers.Requesting));
        var credential = FakeCredential.Stalling(honoursCancellation);
        var client = TestClients.Loopback(server, credential);

        var timed = await Timed.RunAsync(() => Wait(client));
        output.WriteLine(timed.ToString());
        var error = timed.Error;

        Assert.IsType<CommandWaitTimeoutException>(error);
        timed.EndedWithin(Earliest, Latest);
        Assert.NotEmpty(credential.Scopes); // asked for a token at least once
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(200, "30")]
    [InlineData(200, "date+30")]
    [InlineData(429, "30")]
    [InlineData(503, "30")]
    [InlineData(503, "date+30")]
    public async Task A_wait_told_to_retry_after_its_deadline_ends_at_its_deadline_without_polling_again(int status, string retryAfter)
    {
        await using var server = RawHttpServer.Start();
        var hint = retryAfter == "date+30"
            ? DateTimeOffset.UtcNow.AddSeconds(30).ToString("r", CultureInfo.InvariantCulture)
            : retryAfter;
        server.Otherwise(Reply.Respond(status, status == 200 ? Answers.Requesting : Answers.ODataErrorBody, "application/json", ("Retry-After", hint)));
        var client = TestClients.Loopback(server);

        var timed = await Timed.RunAsync(() => Wait(client));
        output.WriteLine(timed.ToString());
        var error = timed.Error;

        var timeout = Assert.IsType<CommandWaitTimeoutException>(error);
        timed.EndedWithin(Earliest, Latest);
        Assert.Equal(1, server.Count("GET"));
        Assert.Equal(status == 200 ? ActionStatus.Requesting : null, timeout.LastObserved?.Status);
    }

    [Fact]
    public async Task SendAndWait_whose_POST_is_never_answered_ends_at_its_deadline_and_does_not_send_it_again()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Silence());
        var client = TestClients.Loopback(server); // default 30 s attempt timeout, 3 retries

        var timed = await Timed.RunAsync(() => client.Me.Devices["d"].Commands.SendAndWaitAsync(
            Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { Timeout = WaitTimeout }));
        output.WriteLine(timed.ToString());
        var error = timed.Error;

        var timeout = Assert.IsType<CommandWaitTimeoutException>(error);
        timed.EndedWithin(Earliest, Latest);
        Assert.Equal(0, timeout.Polls);
        Assert.Equal(1, server.Count("POST"));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task SendAndWait_whose_POST_is_answered_429_retry_after_2_s_ends_at_its_1_s_deadline()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(429, Answers.ODataErrorBody, "application/json", ("Retry-After", "2")));
        var client = TestClients.Loopback(server);

        var timed = await Timed.RunAsync(() => client.Me.Devices["d"].Commands.SendAndWaitAsync(
            Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { Timeout = WaitTimeout }));
        output.WriteLine(timed.ToString());
        var error = timed.Error;

        Assert.IsType<CommandWaitTimeoutException>(error);
        timed.EndedWithin(Earliest, Latest);
        Assert.Equal(1, server.Count("POST"));
    }
}
