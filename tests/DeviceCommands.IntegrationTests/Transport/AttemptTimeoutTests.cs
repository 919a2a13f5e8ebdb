using Microsoft.Kiota.Abstractions;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.TestSupport;
using Xunit.Abstractions;

namespace DeviceCommands.IntegrationTests.Transport;

/// <summary>
/// An attempt timeout bounds the whole attempt, the body included; a GET is retried after one, a POST never.
/// A 60-byte body trickled at one byte per 100 ms takes 6 s; with a 1 s attempt timeout the call must end in
/// [0.9 s, 2 s] per attempt (bound stated in <see cref="PerAttempt"/>).
/// </summary>
public sealed class AttemptTimeoutTests(ITestOutputHelper output) : IAsyncLifetime
{
    public Task InitializeAsync() => LoopbackClient.WarmUpAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The real time one timed-out attempt may take: its timeout plus 1 s (2 cores, other builds running); far below the body's 6 s.</summary>
    private static readonly TimeSpan PerAttempt = AttemptTimeout + TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Earliest = AttemptTimeout - TimeSpan.FromMilliseconds(50);

    private static Task Send(DeviceCommandsClient client, string method) => method == "GET"
        ? client.Me.Devices["d"].Commands["c"].GetAsync()
        : client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")));

    private static Reply TricklingAnswer(string method) =>
        Reply.Trickle(method == "GET" ? 200 : 201, Answers.Padded(Answers.Requesting, 60), 1, TimeSpan.FromMilliseconds(100));

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task An_attempt_timeout_of_1_s_ends_a_call_whose_body_trickles_for_6_s_after_about_1_s(string method)
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(TricklingAnswer(method));
        var client = TestClients.Loopback(server, configure: o => { o.AttemptTimeout = AttemptTimeout; o.MaxRetries = 0; });

        var timed = await Timed.RunAsync(() => Send(client, method));
        output.WriteLine(timed.ToString());
        var error = timed.Error;

        Assert.IsType<TimeoutException>(Assert.IsType<ApiException>(error).InnerException);
        timed.EndedWithin(Earliest, PerAttempt);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_attempt_timeout_ends_a_GET_whose_headers_came_but_whose_body_never_does()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.HeadersThenSilence(200, 64));
        var client = TestClients.Loopback(server, configure: o => { o.AttemptTimeout = AttemptTimeout; o.MaxRetries = 0; });

        var timed = await Timed.RunAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());
        output.WriteLine(timed.ToString());
        var error = timed.Error;

        Assert.IsType<TimeoutException>(Assert.IsType<ApiException>(error).InnerException);
        timed.EndedWithin(Earliest, PerAttempt);
    }

    [Fact]
    public async Task A_GET_whose_body_trickles_past_the_attempt_timeout_is_retried_MaxRetries_times()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(TricklingAnswer("GET"));
        var client = TestClients.Loopback(server, configure: o => { o.AttemptTimeout = AttemptTimeout; o.MaxRetries = 2; });

        var timed = await Timed.RunAsync(() => Send(client, "GET"));
        output.WriteLine(timed.ToString());
        var error = timed.Error;

        Assert.IsType<TimeoutException>(Assert.IsType<ApiException>(error).InnerException);
        Assert.Equal(3, server.Count("GET"));
        timed.EndedWithin(3 * Earliest, 3 * PerAttempt);
    }

    [Fact]
    public async Task A_POST_whose_body_trickles_past_the_attempt_timeout_is_not_sent_again()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(TricklingAnswer("POST"));
        var client = TestClients.Loopback(server, configure: o => { o.AttemptTimeout = AttemptTimeout; o.MaxRetries = 2; });

        var timed = await Timed.RunAsync(() => Send(client, "POST"));
        output.WriteLine(timed.ToString());
        var error = timed.Error;

        Assert.IsType<TimeoutException>(Assert.IsType<ApiException>(error).InnerException);
        timed.EndedWithin(Earliest, PerAttempt);
        await Task.Delay(200); // nothing late either
        Assert.Equal(1, server.Count("POST"));
        Assert.Single(server.Requests);
    }
}
