using System.Net;
using DeviceCommands.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DeviceCommands.Client.Tests.DependencyInjection;

/// <summary>
/// A registration names its credential (an instance, or a factory over the resolving scope's services), keyed
/// registrations live side by side, options are validated when the host starts, and durations read as people write them.
/// </summary>
public class NamedCredentialTests
{
    private sealed class CurrentUser
    {
        public string Name { get; set; } = "nobody";
    }

    [Fact]
    public async Task Fifty_parallel_request_scopes_send_fifty_distinct_tokens_over_one_connection_pool()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(200, """{"value":[]}"""));
        var services = new ServiceCollection();
        services.AddScoped<CurrentUser>();
        services.AddDeviceCommandsClient(sp => new FakeCredential("token-of-" + sp.GetRequiredService<CurrentUser>().Name), configure: o => o.BaseUrl = server.BaseUrl);
        await using var provider = services.BuildServiceProvider();

        async Task RoundAsync(string round) => await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            await using var scope = provider.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Name = $"{round}-user{i}";
            await scope.ServiceProvider.GetRequiredService<DeviceCommandsClient>().Me.Devices.GetAsync();
        }));

        await RoundAsync("first");
        var connections = server.ConnectionsAccepted;
        await RoundAsync("second");

        var tokens = server.Requests.Select(r => r.Header("Authorization")).ToList();
        Assert.Equal(100, tokens.Distinct().Count());
        Assert.All(Enumerable.Range(0, 50), i => Assert.Contains($"Bearer token-of-second-user{i}", tokens));
        Assert.InRange(connections, 1, 50);
        Assert.Equal(connections, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task Keyed_clients_live_side_by_side_each_with_its_own_credential_and_host()
    {
        var home = new ScriptedHandler().Always(HttpStatusCode.OK, """{"value":[{"id":"home"}]}""");
        var work = new ScriptedHandler().Always(HttpStatusCode.OK, """{"value":[{"id":"work"}]}""");
        var services = new ServiceCollection();
        services.AddKeyedDeviceCommandsClient("home", new FakeCredential("home-token"), configure: o => { o.HttpMessageHandler = home; o.BaseUrl = new Uri("https://home.example/beta"); });
        services.AddKeyedDeviceCommandsClient("work", (_, key) => new FakeCredential($"{key}-token"), configure: o => { o.HttpMessageHandler = work; o.BaseUrl = new Uri("https://work.example/beta"); });
        await using var provider = services.BuildServiceProvider();

        var homeDevices = await provider.GetRequiredKeyedService<DeviceCommandsClient>("home").Me.Devices.GetAsync();
        var workDevices = await provider.GetRequiredKeyedService<DeviceCommandsClient>("work").Me.Devices.GetAsync();

        Assert.Equal("home", homeDevices?.Value?[0].Id);
        Assert.Equal("work", workDevices?.Value?[0].Id);
        Assert.Equal(("Bearer home-token", "https://home.example/beta/me/devices"), (home.Requests[0].Authorization, home.Requests[0].Uri.AbsoluteUri));
        Assert.Equal(("Bearer work-token", "https://work.example/beta/me/devices"), (work.Requests[0].Authorization, work.Requests[0].Uri.AbsoluteUri));
        Assert.Null(provider.GetService<DeviceCommandsClient>());
    }

    [Fact]
    public async Task Options_that_cannot_work_stop_the_host_when_it_starts_not_at_the_first_request()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDeviceCommandsClient(new FakeCredential(), configure: o => o.BaseUrl = new Uri("http://example.com/beta"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("DeviceCommands", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:02", 2000)]
    [InlineData("2s", 2000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5m", 90_000)]
    [InlineData("1h", 3_600_000)]
    public async Task Durations_in_configuration_read_as_timespan_text_or_a_number_with_a_unit(string text, int milliseconds)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AttemptTimeout"] = text, ["RetryDelay"] = text }).Build();
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(credential: null, configuration);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<DeviceCommandsClientOptions>>().Get(DeviceCommandsServiceCollectionExtensions.HttpClientName);

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options.RetryDelay);
    }

    [Fact]
    public async Task A_duration_that_cannot_be_read_says_how_to_write_one()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AttemptTimeout"] = "soon" }).Build();
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(credential: null, configuration);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<DeviceCommandsClient>());

        Assert.Contains("AttemptTimeout = 'soon'", error.Message, StringComparison.Ordinal);
        Assert.Contains("500ms", error.Message, StringComparison.Ordinal);
    }
}
