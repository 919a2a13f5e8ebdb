using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DeviceCommands.Client.Tests;

/// <summary>
/// A base URL with a query or a fragment cannot be a service root (each request adds its own path and query after it):
/// <c>Create</c> refuses it with an <see cref="ArgumentException"/>, and a host with an <see cref="OptionsValidationException"/>, each saying why.
/// </summary>
public sealed class BaseUrlValidationTests
{
    public static TheoryData<string> Refused => new()
    {
        "https://graph.microsoft.com/beta?tenant=x",
        "https://graph.microsoft.com/beta#top",
        "https://graph.microsoft.com/beta?",
        "http://127.0.0.1:5080/beta/?a=1#b",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Create_refuses_a_base_url_with_a_query_or_a_fragment(string url)
    {
        var e = Assert.Throws<ArgumentException>(() => DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = new Uri(url) }));

        Assert.Equal("BaseUrl", e.ParamName);
        Assert.StartsWith("BaseUrl must not have a query or a fragment", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_host_configured_with_a_base_url_with_a_query_or_a_fragment_stops_at_start(string url)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["DeviceCommands:BaseUrl"] = url });
        builder.Services.AddDeviceCommandsClient(null, builder.Configuration.GetSection("DeviceCommands"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("DeviceCommands:BaseUrl = ", error.Message, StringComparison.Ordinal);
        Assert.Contains("BaseUrl must not have a query or a fragment", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/beta")]
    [InlineData("https://graph.microsoft.com/beta/")]
    [InlineData("http://127.0.0.1:5080/")]
    public void A_plain_service_root_is_taken(string url) =>
        Assert.NotNull(DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = new Uri(url) }));
}
