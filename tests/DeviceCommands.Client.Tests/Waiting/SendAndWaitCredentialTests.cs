using System.Net;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Tests.Waiting;

/// <summary>
/// A send-and-wait whose deadline passes before its POST is answered says what is known: nothing was sent when the
/// credential never gave a token or the service refused every attempt with 429, and the command may exist when the
/// POST itself was under way.
/// </summary>
public sealed class SendAndWaitCredentialTests
{
    private readonly VirtualClock _clock = new();

    private CommandWaitOptions Options() => new() { TimeProvider = _clock, JitterSeed = 42, Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_credential_that_gives_no_token_before_the_deadline_is_named_and_the_command_is_reported_not_sent()
    {
        var handler = new ScriptedHandler(_clock, "cmd-1");
        var client = TestClients.Created(handler, credential: FakeCredential.Stalling(honoursCancellation: false), clock: _clock);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() =>
            client.Me.Devices["dev-1"].Commands.SendAndWaitAsync(new Command { Type = "LaunchUri" }, Options())));

        Assert.Contains("credential did not give a token", e.Message, StringComparison.Ordinal);
        Assert.Contains("was not sent", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("may or may not", e.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
        Assert.Equal(0, e.Polls);
    }

    [Fact]
    public async Task A_POST_still_unanswered_at_the_deadline_may_have_created_the_command()
    {
        using var handler = new UnansweredHandler();
        var client = TestClients.Created(handler, credential: new FakeCredential(), clock: _clock);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() =>
            client.Me.Devices["dev-1"].Commands.SendAndWaitAsync(new Command { Type = "LaunchUri" }, Options())));

        Assert.Contains("may or may not have been created", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("credential", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Sent);
    }

    [Theory]
    [InlineData("Retry-After", "2", 2)]
    [InlineData("retry-after-ms", "2900", 2)]
    [InlineData("Retry-After", "30", 1)]
    public async Task A_POST_refused_with_429_until_the_deadline_is_reported_not_created(string header, string value, int posts)
    {
        var handler = new ScriptedHandler(_clock, "cmd-1").Always(HttpStatusCode.TooManyRequests, """{"error":{"code":"tooMany","message":"slow"}}""", r => r.Headers.TryAddWithoutValidation(header, value));
        var client = TestClients.Created(handler, credential: new FakeCredential(), clock: _clock, maxRetries: null);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() =>
            client.Me.Devices["dev-1"].Commands.SendAndWaitAsync(new Command { Type = "LaunchUri" }, new CommandWaitOptions { TimeProvider = _clock, Timeout = TimeSpan.FromSeconds(3) })));

        Assert.Contains("429", e.Message, StringComparison.Ordinal);
        Assert.Contains("the command was not created (the service did not take it)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("may or may not", e.Message, StringComparison.Ordinal);
        Assert.Equal(posts, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal(HttpMethod.Post, r.Method));
    }

    [Fact]
    public async Task A_POST_sent_again_after_a_429_and_unanswered_at_the_deadline_may_have_created_the_command()
    {
        using var handler = new UnansweredHandler { RefuseFirst = true };
        var client = TestClients.Created(handler, credential: new FakeCredential(), clock: _clock, maxRetries: null);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() =>
            client.Me.Devices["dev-1"].Commands.SendAndWaitAsync(new Command { Type = "LaunchUri" }, Options())));

        Assert.Contains("may or may not have been created", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, handler.Sent);
    }

    /// <summary>A transport that takes every request and never answers (until the request is cancelled); with <see cref="RefuseFirst"/>, the first is answered 429.</summary>
    private sealed class UnansweredHandler : HttpMessageHandler
    {
        private int _sent;

        public bool RefuseFirst { get; init; }

        public int Sent => Volatile.Read(ref _sent);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _sent) == 1 && RefuseFirst)
            {
                return new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { { "Retry-After", "1" } } };
            }

            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException("unreachable: an infinite delay ends only by cancellation");
        }
    }
}
