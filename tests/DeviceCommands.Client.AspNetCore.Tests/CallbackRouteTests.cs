using DeviceCommands.Client.Callbacks;
using DeviceCommands.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.Client.AspNetCore.Tests;

/// <summary>Where the callbacks are mapped, and the warning when that is not where the receiver's URL points.</summary>
public sealed class CallbackRouteTests
{
    [Fact]
    public async Task Mapped_without_a_pattern_the_route_is_the_path_of_the_registered_receivers_url()
    {
        using var logs = new LogCapture();
        await using var app = App(logs, "https://backend.example/hooks/device-commands");

        app.MapDeviceCommandCallbacks();

        Assert.Equal("/hooks/device-commands/{key}", Assert.Single(Routes(app)));
        Assert.Empty(logs.Entries);
    }

    [Theory]
    [InlineData("/device-commands/callbacks", "https://backend.example/device-commands/callbacks/")]
    [InlineData("device-commands/callbacks/", "https://backend.example/device-commands/callbacks")]
    [InlineData("/callbacks", "https://backend.example/api/callbacks")]
    public async Task A_pattern_the_receivers_path_ends_with_maps_without_a_warning(string pattern, string callbackBaseUrl)
    {
        using var logs = new LogCapture();
        await using var app = App(logs, callbackBaseUrl);

        app.MapDeviceCommandCallbacks(pattern);

        Assert.Empty(logs.Entries);
    }

    [Theory]
    [InlineData("/callbacks", "https://backend.example/device-commands/hooks")]
    [InlineData("/backs", "https://backend.example/callbacks")]
    public async Task A_pattern_elsewhere_than_the_receivers_path_is_mapped_with_a_warning_that_names_both(string pattern, string callbackBaseUrl)
    {
        using var logs = new LogCapture();
        await using var app = App(logs, callbackBaseUrl);

        app.MapDeviceCommandCallbacks(pattern);

        var warning = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"'{pattern}'", warning.Message, StringComparison.Ordinal);
        Assert.Contains(callbackBaseUrl, warning.Message, StringComparison.Ordinal);
        Assert.Contains("poll", warning.Message, StringComparison.Ordinal);
        Assert.Equal($"{pattern}/{{key}}", Assert.Single(Routes(app)));
    }

    [Fact]
    public async Task Mapped_without_a_registered_receiver_the_error_says_how_to_register_one()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapDeviceCommandCallbacks());
        Assert.Contains("AddDeviceCommandCallbacks", error.Message, StringComparison.Ordinal);
    }

    private static WebApplication App(LogCapture logs, string callbackBaseUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddDeviceCommandCallbacks(new Uri(callbackBaseUrl));
        return builder.Build();
    }

    private static IEnumerable<string?> Routes(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText);
}
