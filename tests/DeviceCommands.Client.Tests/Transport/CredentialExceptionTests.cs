using System.Net;
using Azure.Core;
using Azure.Identity;
using DeviceCommands.Testing;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Transport;

/// <summary>
/// What reaches the caller when the credential fails: its own timeout is a typed <see cref="ApiException"/>, an
/// <see cref="OperationCanceledException"/> comes only for the caller's token, and Azure.Identity's exceptions pass
/// through unchanged.
/// </summary>
public class CredentialExceptionTests
{

    [Fact]
    public async Task A_credential_that_times_out_on_its_own_is_an_ApiException_and_nothing_is_sent()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.OK, """{"value":[]}""");
        var credential = new TimingOutCredential(clock, TimeSpan.FromSeconds(30), failures: int.MaxValue);

        var error = await Assert.ThrowsAsync<ApiException>(() => clock.RunAsync(() => TestClients.Created(handler, credential: credential, clock: clock).Me.Devices.GetAsync()));

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException!.InnerException);
        Assert.Contains("credential", error.Message, StringComparison.Ordinal);
        Assert.Equal(VirtualClock.DefaultStart + TimeSpan.FromSeconds(30), clock.GetUtcNow());
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_wait_polls_on_after_its_credential_times_out_on_its_own()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.OK, ScriptedHandler.Body("completed"));
        var credential = new TimingOutCredential(clock, TimeSpan.Zero, failures: 1);
        var client = TestClients.Created(handler, credential: credential, clock: clock);

        var result = await clock.RunAsync(() =>
            client.Me.Devices["dev-1"].Commands[ScriptedHandler.DefaultCommandId].WaitForCompletionAsync(new CommandWaitOptions { Timeout = TimeSpan.FromMinutes(2) }));

        Assert.Equal(DeviceCommands.Client.Models.ActionStatus.Completed, result.Status);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task The_callers_cancellation_while_the_credential_stalls_is_an_OperationCanceledException()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.OK, """{"value":[]}""");
        var credential = new TimingOutCredential(clock, TimeSpan.FromSeconds(30), failures: int.MaxValue);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10), clock);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => clock.RunAsync(() => TestClients.Created(handler, credential: credential, clock: clock).Me.Devices.GetAsync(cancellationToken: cts.Token)));

        Assert.Equal(VirtualClock.DefaultStart + TimeSpan.FromSeconds(10), clock.GetUtcNow());
        Assert.Empty(handler.Requests);
    }

    public static TheoryData<string> AzureIdentityFailures => ["authentication-failed", "credential-unavailable"];

    [Theory]
    [MemberData(nameof(AzureIdentityFailures))]
    public async Task Azure_Identitys_own_exceptions_pass_through_unchanged(string kind)
    {
        Exception failure = kind == "authentication-failed"
            ? new AuthenticationFailedException("the sign-in failed")
            : new CredentialUnavailableException("no credential here");
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"value":[]}""");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestClients.Created(handler, credential: FakeCredential.Throwing(failure)).Me.Devices.GetAsync());

        Assert.Same(failure, error);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_handlers_own_cancellation_is_an_ApiException_not_an_OperationCanceledException()
    {
        var handler = new ScriptedHandler().Throw(new TaskCanceledException("a handler of the caller's gave up"));

        var error = await Assert.ThrowsAsync<ApiException>(() => TestClients.Created(handler).Me.Devices.GetAsync());

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Contains("not", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A credential whose first <paramref name="failures"/> calls stall and then time out on its own clock (at once when
    /// <paramref name="timeout"/> is zero), as Azure.Identity's do (a <see cref="TaskCanceledException"/>); later ones give a token.
    /// </summary>
    private sealed class TimingOutCredential(TimeProvider clock, TimeSpan timeout, int failures) : TokenCredential
    {
        private int _calls;

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) > failures)
            {
                return new AccessToken(FakeCredential.Token, clock.GetUtcNow().AddHours(1));
            }

            if (timeout == TimeSpan.Zero)
            {
                throw new TaskCanceledException("The credential's own request timed out.");
            }

            // its own timeout only: the caller's token is ignored, as a credential's internal timeout would
            using var own = new CancellationTokenSource(timeout, clock);
            await Task.Delay(Timeout.InfiniteTimeSpan, clock, own.Token).ConfigureAwait(false);
            throw new InvalidOperationException("unreachable");
        }
    }
}
