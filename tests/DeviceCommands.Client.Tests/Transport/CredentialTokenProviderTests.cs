using System.Net;
using Azure;
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
}
