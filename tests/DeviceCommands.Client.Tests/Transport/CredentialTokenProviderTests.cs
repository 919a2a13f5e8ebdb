using System.Diagnostics;
using System.Net;
using Azure;
using Azure.Core;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Tests.Transport;

/// <summary>The credential behind a client of <c>Create</c>: its failure is the caller's, and its stall never outlives the caller's token or a wait's deadline.</summary>
public class CredentialTokenProviderTests
{

    [Fact]
    public async Task The_credentials_token_is_sent_as_a_bearer_token()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"value":[]}""");

        await TestClients.Created(handler, credential: new FakeCredential("a-token-of-its-own")).Me.Devices.GetAsync();

        Assert.Equal("Bearer a-token-of-its-own", Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public async Task A_credential_that_throws_fails_the_call_with_its_exception_and_nothing_is_sent()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"value":[]}""");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => TestClients.Created(handler, credential: FakeCredential.Throwing(new RequestFailedException("no token today"))).Me.Devices.GetAsync());

        Assert.Equal("no token today", error.Message);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stalling_credential_ends_with_the_callers_token_even_if_it_ignores_that_token(bool honoursCancellation)
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"value":[]}""");
        using var cts = new CancellationTokenSource();

        var call = TestClients.Created(handler, credential: FakeCredential.Stalling(honoursCancellation)).Me.Devices.GetAsync(cancellationToken: cts.Token);
        Assert.False(call.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_stalled_credential_once_released_gives_its_token_and_the_call_goes_on()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"value":[]}""");
        var credential = FakeCredential.Stalling();

        var call = TestClients.Created(handler, credential: credential).Me.Devices.GetAsync();
        Assert.False(call.IsCompleted);
        credential.Release();
        await call;

        Assert.Equal("Bearer " + FakeCredential.Token, Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public async Task A_credential_that_stalls_and_ignores_its_token_cannot_hold_a_wait_past_its_deadline()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.OK, ScriptedHandler.Body("completed"));
        var client = TestClients.Created(handler, credential: FakeCredential.Stalling(honoursCancellation: false), clock: clock);
        var start = clock.GetUtcNow();

        var error = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => clock.RunAsync(() =>
            client.Me.Devices["dev-1"].Commands[ScriptedHandler.DefaultCommandId].WaitForCompletionAsync(new CommandWaitOptions { Timeout = TimeSpan.FromSeconds(30) })));

        Assert.Equal(start + TimeSpan.FromSeconds(30), clock.GetUtcNow());
        Assert.Null(error.LastObserved);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_credential_that_blocks_its_thread_neither_holds_the_caller_nor_outlives_the_callers_token()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"value":[]}""");
        using var credential = new ThreadBlockingCredential();
        using var cts = new CancellationTokenSource();

        var call = TestClients.Created(handler, credential: credential).Me.Devices.GetAsync(cancellationToken: cts.Token);
        Assert.False(call.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_credential_that_blocks_its_thread_cannot_hold_a_wait_past_its_deadline()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, ScriptedHandler.Body("completed"));
        using var credential = new ThreadBlockingCredential();
        var client = TestClients.Created(handler, credential: credential);
        var watch = Stopwatch.StartNew();

        var wait = client.Me.Devices["dev-1"].Commands[ScriptedHandler.DefaultCommandId].WaitForCompletionAsync(new CommandWaitOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        Assert.False(wait.IsCompleted);
        var error = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => wait);

        // the credential blocks for 10 s unless released: the wait ended long before, at its deadline
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the wait ended after {watch.Elapsed}");
        Assert.Null(error.LastObserved);
        Assert.Empty(handler.Requests);
    }

    /// <summary>
    /// A credential that blocks the thread that calls it (a synchronous token fetch) until it is disposed, at most
    /// <see cref="Limit"/> of real time, and then gives a token; it ignores the cancellation token.
    /// </summary>
    private sealed class ThreadBlockingCredential : TokenCredential, IDisposable
    {
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
        private readonly ManualResetEventSlim _released = new();

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            _released.Wait(Limit, CancellationToken.None);
            return new AccessToken(FakeCredential.Token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));

        public void Dispose() => _released.Set();
    }
}
