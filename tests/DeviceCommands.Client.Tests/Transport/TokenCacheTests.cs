using System.Net;
using System.Text;
using Azure.Identity;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceCommands.Client.Tests.Transport;

/// <summary>
/// The credential's token is cached as Azure.Core caches it: reused until shortly before it expires, refreshed once
/// ahead of time, kept when a refresh fails, and fetched anew for a claims challenge; on the client's clock.
/// </summary>
public class TokenCacheTests
{
    private readonly VirtualClock _clock = new();
    private readonly ScriptedHandler _handler;
    private readonly CountingCredential _credential;

    public TokenCacheTests()
    {
        _handler = new ScriptedHandler(_clock).Always(HttpStatusCode.OK, """{"value":[]}""");
        _credential = new CountingCredential(_clock);
    }

    private DeviceCommandsClient Client(Action<DeviceCommandsClientOptions>? configure = null)
    {
        var options = new DeviceCommandsClientOptions { HttpMessageHandler = _handler, MaxRetries = 0, TimeProvider = _clock };
        configure?.Invoke(options);
        return DeviceCommandsClient.Create(_credential, options);
    }

    private IEnumerable<string?> SentTokens => _handler.Requests.Select(r => r.Authorization?["Bearer ".Length..]);

    [Fact]
    public async Task A_wait_of_100_polls_asks_the_credential_once()
    {
        _handler.Status([.. Enumerable.Repeat("executing", 99), "completed"]);
        var client = Client();

        var result = await _clock.RunAsync(() => client.Me.Devices["dev-1"].Commands[ScriptedHandler.DefaultCommandId].WaitForCompletionAsync(
            new CommandWaitOptions { MaxDelay = TimeSpan.FromSeconds(10), Timeout = TimeSpan.FromHours(1), JitterSeed = 7 }));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(100, _handler.Requests.Count);
        Assert.Equal(1, _credential.Calls);
        Assert.All(SentTokens, t => Assert.Equal("token-1", t));
    }

    [Fact]
    public async Task An_expired_token_is_fetched_anew()
    {
        var client = Client();
        await client.Me.Devices.GetAsync();
        await client.Me.Devices.GetAsync();
        _clock.Advance(TimeSpan.FromMinutes(61));

        await client.Me.Devices.GetAsync();

        Assert.Equal(2, _credential.Calls);
        Assert.Equal(["token-1", "token-1", "token-2"], SentTokens);
    }

    [Fact]
    public async Task A_token_is_refreshed_five_minutes_before_it_expires_and_not_earlier()
    {
        var client = Client();
        await client.Me.Devices.GetAsync();
        _clock.Advance(TimeSpan.FromMinutes(54));
        await client.Me.Devices.GetAsync();
        Assert.Equal(1, _credential.Calls);

        _clock.Advance(TimeSpan.FromMinutes(2));
        await client.Me.Devices.GetAsync();
        await client.Me.Devices.GetAsync();

        Assert.Equal(2, _credential.Calls);
        Assert.Equal(["token-1", "token-1", "token-1", "token-2"], SentTokens);
    }

    [Fact]
    public async Task The_tokens_own_refresh_time_is_honoured()
    {
        _credential.RefreshAfter = TimeSpan.FromMinutes(10);
        var client = Client();
        await client.Me.Devices.GetAsync();
        _clock.Advance(TimeSpan.FromMinutes(9));
        await client.Me.Devices.GetAsync();
        Assert.Equal(1, _credential.Calls);
        _clock.Advance(TimeSpan.FromMinutes(2));

        await client.Me.Devices.GetAsync();

        Assert.Equal(2, _credential.Calls);
    }

    [Fact]
    public async Task Fifty_requests_near_expiry_share_one_background_refresh_and_go_on_with_the_valid_token()
    {
        var client = Client();
        await client.Me.Devices.GetAsync();
        _clock.Advance(TimeSpan.FromMinutes(56));
        var refresh = _credential.Hold();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => client.Me.Devices.GetAsync())));

        Assert.Equal(2, _credential.Calls);
        Assert.Equal(51, _handler.Requests.Count);
        Assert.All(SentTokens, t => Assert.Equal("token-1", t));

        refresh.SetResult();
        await client.Me.Devices.GetAsync();

        Assert.Equal(2, _credential.Calls);
        Assert.Equal("token-2", SentTokens.Last());
    }

    [Fact]
    public async Task Fifty_requests_with_no_token_yet_share_one_call_to_the_credential()
    {
        var client = Client();
        var first = _credential.Hold();

        // started one after the other, each runs until it waits on the held call to the credential
        var calls = Enumerable.Range(0, 50).Select(_ => client.Me.Devices.GetAsync()).ToArray();
        Assert.Equal(1, _credential.Calls);
        first.SetResult();
        await Task.WhenAll(calls);

        Assert.Equal(1, _credential.Calls);
        Assert.All(SentTokens, t => Assert.Equal("token-1", t));
    }

    [Fact]
    public async Task A_failed_background_refresh_fails_no_request_and_is_tried_again_30_seconds_later()
    {
        var client = Client();
        await client.Me.Devices.GetAsync();
        _clock.Advance(TimeSpan.FromMinutes(56));
        _credential.FailNext(new AuthenticationFailedException("the identity provider is down"));

        await client.Me.Devices.GetAsync();
        await client.Me.Devices.GetAsync();
        Assert.Equal(2, _credential.Calls);

        _clock.Advance(TimeSpan.FromSeconds(31));
        await client.Me.Devices.GetAsync();
        await client.Me.Devices.GetAsync();

        Assert.Equal(3, _credential.Calls);
        Assert.Equal(["token-1", "token-1", "token-1", "token-1", "token-3"], SentTokens);
    }

    [Fact]
    public async Task A_claims_challenge_gets_a_fresh_token_which_later_requests_use()
    {
        var claims = """{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}""";
        var challenge = $"Bearer error=\"insufficient_claims\", claims=\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(claims))}\"";
        var client = Client();
        await client.Me.Devices.GetAsync();
        _handler.Answer(HttpStatusCode.Unauthorized, "", ("WWW-Authenticate", challenge));

        await client.Me.Devices.GetAsync();
        await client.Me.Devices.GetAsync();

        Assert.Equal(2, _credential.Calls);
        Assert.Equal(claims, _credential.Requests[1].Claims);
        Assert.Equal(["token-1", "token-1", "claims-token-2", "claims-token-2"], SentTokens);
    }

    [Fact]
    public async Task Different_scopes_have_separate_entries()
    {
        var reader = Client(o => o.Scopes = ["https://graph.microsoft.com/Device.Read"]);
        var commander = Client(o => o.Scopes = ["https://graph.microsoft.com/Device.Command"]);

        await reader.Me.Devices.GetAsync();
        await commander.Me.Devices.GetAsync();
        await reader.Me.Devices.GetAsync();
        await commander.Me.Devices.GetAsync();

        Assert.Equal(2, _credential.Calls);
        Assert.Equal(["token-1", "token-2", "token-1", "token-2"], SentTokens);
    }

    [Fact]
    public async Task Clients_resolved_anew_through_dependency_injection_share_the_credentials_token()
    {
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(_credential, configure: o => { o.HttpMessageHandler = _handler; o.TimeProvider = _clock; o.MaxRetries = 0; });
        await using var provider = services.BuildServiceProvider();

        for (var i = 0; i < 3; i++)
        {
            await provider.GetRequiredService<DeviceCommandsClient>().Me.Devices.GetAsync();
        }

        Assert.Equal(1, _credential.Calls);
        Assert.Equal(3, _handler.Requests.Count);
    }

    [Fact]
    public async Task Per_user_credentials_through_dependency_injection_keep_their_own_tokens()
    {
        var alice = new FakeCredential("alice-token");
        var bob = new FakeCredential("bob-token");
        var services = new ServiceCollection();
        services.AddScoped(_ => new User());
        services.AddDeviceCommandsClient(sp => sp.GetRequiredService<User>().Name == "alice" ? alice : bob, configure: o => o.HttpMessageHandler = _handler);
        await using var provider = services.BuildServiceProvider();

        foreach (var name in new[] { "alice", "bob", "alice", "bob" })
        {
            await using var scope = provider.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<User>().Name = name;
            await scope.ServiceProvider.GetRequiredService<DeviceCommandsClient>().Me.Devices.GetAsync();
        }

        Assert.Equal(["alice-token", "bob-token", "alice-token", "bob-token"], SentTokens);
        Assert.Single(alice.Scopes);
        Assert.Single(bob.Scopes);
    }

    private sealed class User
    {
        public string Name { get; set; } = "";
    }
}
