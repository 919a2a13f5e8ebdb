using System.Net;
using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.Client.Tests.DependencyInjection;

public class DeviceCommandsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task The_registered_client_resolves_and_works_with_its_named_credential_and_the_containers_logging()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"value":[{"id":"d1","Name":"Laptop"}]}""");
        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddSingleton<TokenCredential>(new FakeCredential("the-apps-other-azure-credential"));
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug));
        services.AddDeviceCommandsClient(new FakeCredential(), configure: o =>
        {
            o.HttpMessageHandler = handler;
            o.BaseUrl = new Uri("https://graph.microsoft.com/beta");
        });
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<DeviceCommandsClient>();
        var devices = await client.Me.Devices.GetAsync();

        Assert.Equal("Laptop", Assert.Single(devices!.Value!).Name);
        Assert.Equal("Bearer " + FakeCredential.Token, Assert.Single(handler.Requests).Authorization);
        Assert.Contains(logs.Entries, l => l.Message.StartsWith("HTTP GET /beta/me/devices answered 200", StringComparison.Ordinal));
        Assert.DoesNotContain(FakeCredential.Token, logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_named_HttpClient_used_directly_keeps_the_answers_content_headers()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"id":"c1"}""");
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(credential: null, configure: o => o.HttpMessageHandler = handler);
        await using var provider = services.BuildServiceProvider();
        using var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(DeviceCommandsServiceCollectionExtensions.HttpClientName);

        using var response = await http.GetAsync(new Uri("https://graph.microsoft.com/beta/me/devices/d1/commands/c1"));

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"id":"c1"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Options_come_from_configuration()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.ServiceUnavailable);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DeviceCommands:BaseUrl"] = "http://127.0.0.1:5080/beta",
            ["DeviceCommands:MaxRetries"] = "1",
            ["DeviceCommands:RetryDelay"] = "00:00:00.001",
            ["DeviceCommands:Scopes:0"] = "api://x/Device.Read",
        }).Build();
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(credential: null, configuration.GetSection("DeviceCommands"), o => o.HttpMessageHandler = handler);
        await using var provider = services.BuildServiceProvider();

        await Assert.ThrowsAsync<DeviceCommands.Client.Models.ODataError>(() => provider.GetRequiredService<DeviceCommandsClient>().Me.Devices.GetAsync());

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal("http://127.0.0.1:5080/beta/me/devices", handler.Requests[0].Uri.AbsoluteUri);
    }

    [Fact]
    public void The_retry_jitter_seed_comes_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RetryJitterSeed"] = "-9" }).Build();
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(credential: null, configuration);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<DeviceCommandsClientOptions>>().Get(DeviceCommandsServiceCollectionExtensions.HttpClientName);

        Assert.Equal(-9, options.RetryJitterSeed);
    }

    [Fact]
    public async Task A_configured_value_that_cannot_be_read_is_a_clear_error()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MaxRetries"] = "many" }).Build();
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(credential: null, configuration);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<DeviceCommandsClient>());
        Assert.Contains("MaxRetries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_is_built_on_the_named_http_client_of_the_factory()
    {
        var services = new ServiceCollection();

        var builder = services.AddDeviceCommandsClient(credential: null);

        Assert.Equal(DeviceCommandsServiceCollectionExtensions.HttpClientName, builder.Name);
        Assert.Contains(services, d => d.ServiceType == typeof(IHttpClientFactory));
        Assert.Contains(services, d => d.ServiceType == typeof(DeviceCommandsClient) && d.Lifetime == ServiceLifetime.Transient);
    }
}
