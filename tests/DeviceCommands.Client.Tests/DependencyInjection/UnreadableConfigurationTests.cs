using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DeviceCommands.Client.Tests.DependencyInjection;

/// <summary>
/// Configuration that cannot be read stops a real host when it starts with an <see cref="OptionsValidationException"/>
/// naming every bad key at once (binding threw an <see cref="ArgumentException"/> for the first one). Durations are read
/// as the emulator's command line reads them: a bare number has no unit and is refused with the fix (<c>2s</c>).
/// </summary>
public class UnreadableConfigurationTests
{
    [Theory]
    [InlineData("RetryDelay", "abc")]
    [InlineData("RetryDelay", "-1s")]
    [InlineData("RetryDelay", "2")]
    [InlineData("AttemptTimeout", "soon")]
    [InlineData("MaxRetryAfter", "-00:00:01")]
    [InlineData("MaxRetries", "three")]
    [InlineData("RetryJitterSeed", "x")]
    [InlineData("MaxResponseContentBytes", "4MiB")]
    [InlineData("BaseUrl", "not a url")]
    public async Task A_value_that_cannot_be_read_stops_the_host_at_start_naming_it(string key, string value)
    {
        using var host = HostWith(new() { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"DeviceCommands:{key} = '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_bad_key_is_named_at_once()
    {
        using var host = HostWith(new()
        {
            ["RetryDelay"] = "abc",
            ["MaxRetries"] = "three",
            ["MaxResponseContentBytes"] = "4MiB",
            ["BaseUrl"] = "not a url",
            ["MaxRetryAfter"] = "-1s",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(5, error.Failures.Count());
        foreach (var key in new[] { "RetryDelay", "MaxRetries", "MaxResponseContentBytes", "BaseUrl", "MaxRetryAfter" })
        {
            Assert.Contains(error.Failures, f => f.Contains($"DeviceCommands:{key} = ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Values_that_read_but_cannot_work_are_named_at_once_with_those_that_cannot_be_read()
    {
        using var host = HostWith(new()
        {
            ["MaxRetries"] = "-1",
            ["AttemptTimeout"] = "0s",
            ["BaseUrl"] = "ftp://x/beta",
            ["RetryDelay"] = "abc",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(4, error.Failures.Count());
        foreach (var key in new[] { "MaxRetries", "AttemptTimeout", "BaseUrl", "RetryDelay" })
        {
            Assert.Contains(error.Failures, f => f.Contains($"DeviceCommands:{key} = ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("RetryDelays", "RetryDelay")]
    [InlineData("maxretrys", "MaxRetries")]
    [InlineData("AttemptTimout", "AttemptTimeout")]
    [InlineData("Scope", "Scopes")]
    public async Task A_misspelled_key_stops_the_host_at_start_with_the_key_it_means(string key, string meant)
    {
        using var host = HostWith(new() { [key] = "2s" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"DeviceCommands:{key} is not an option of the client and would be ignored: did you mean {meant}?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_of_other_code_in_the_section_are_left_alone()
    {
        using var host = HostWith(new() { ["TenantId"] = "contoso", ["ClientId"] = "abc", ["RetryDelay"] = "2s" });

        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("-1s")]
    [InlineData("0s")]
    public async Task An_attempt_timeout_not_above_zero_is_refused_with_what_it_can_be(string value)
    {
        using var host = HostWith(new() { ["AttemptTimeout"] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"DeviceCommands:AttemptTimeout = '{value}' cannot be read: write a duration above zero, such as 100s, or Infinite.", error.Message, StringComparison.Ordinal);
        Assert.Single(error.Failures);
    }

    [Theory]
    [InlineData("RetryDelay")]
    [InlineData("MaxRetryAfter")]
    [InlineData("AttemptTimeout")]
    [InlineData("MaxRetries")]
    [InlineData("BaseUrl")]
    public async Task An_empty_value_stops_the_host_naming_it_not_silently_the_default(string key)
    {
        using var host = HostWith(new() { [key] = "" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"DeviceCommands:{key} = '' cannot be read: it is empty;", error.Message, StringComparison.Ordinal);
        Assert.Single(error.Failures);
    }

    [Theory]
    [InlineData("0.0000001ms")]
    [InlineData("0.00000001s")]
    public async Task A_positive_duration_below_one_tick_is_refused_not_made_zero(string value)
    {
        using var host = HostWith(new() { ["RetryDelay"] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"DeviceCommands:RetryDelay = '{value}' cannot be read: it is above zero but below the smallest duration", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.000s", 0)]
    [InlineData("0.0001ms", 1)]
    public async Task A_zero_retry_delay_and_one_tick_are_read_as_written(string value, long ticks)
    {
        using var host = HostWith(new() { ["RetryDelay"] = value });

        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptionsMonitor<DeviceCommandsClientOptions>>().Get(DeviceCommandsServiceCollectionExtensions.HttpClientName);
        await host.StopAsync();

        Assert.Equal(TimeSpan.FromTicks(ticks), options.RetryDelay);
    }

    [Fact]
    public async Task A_bare_number_is_refused_with_the_fix_not_read_as_days()
    {
        using var host = HostWith(new() { ["RetryDelay"] = "2" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("write 2s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readable_values_start_the_host_and_are_used()
    {
        using var host = HostWith(new() { ["RetryDelay"] = "500ms", ["MaxRetryAfter"] = "1.5m", ["AttemptTimeout"] = "Infinite", ["MaxRetries"] = " 2 " });

        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptionsMonitor<DeviceCommandsClientOptions>>().Get(DeviceCommandsServiceCollectionExtensions.HttpClientName);
        await host.StopAsync();

        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(90), Timeout.InfiniteTimeSpan, 2), (options.RetryDelay, options.MaxRetryAfter, options.AttemptTimeout, options.MaxRetries));
    }

    [Fact]
    public void Without_a_host_the_first_resolve_fails_the_same_way()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MaxRetries"] = "three", ["RetryDelay"] = "abc" }).Build();
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(null, configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<DeviceCommandsClient>());

        Assert.Equal(2, error.Failures.Count());
    }

    private static IHost HostWith(Dictionary<string, string?> values)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(values.ToDictionary(p => "DeviceCommands:" + p.Key, p => p.Value));
        builder.Services.AddDeviceCommandsClient(null, builder.Configuration.GetSection("DeviceCommands"));
        return builder.Build();
    }
}
