using System.Globalization;
using Azure.Core;
using DeviceCommands.Client;
using DeviceCommands.Client.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="DeviceCommandsClient"/> in a .NET host, on <see cref="IHttpClientFactory"/>.</summary>
public static class DeviceCommandsServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the client is built on: <c>DeviceCommands.Client</c>.</summary>
    public const string HttpClientName = "DeviceCommands.Client";

    /// <summary>
    /// Registers <see cref="DeviceCommandsClient"/> (transient, over a named <see cref="HttpClient"/> from
    /// <see cref="IHttpClientFactory"/>) with the client's full pipeline: retries, attempt timeout, safe redirects,
    /// host guard, logging through the container's <see cref="ILoggerFactory"/> and tracing. The bearer token comes
    /// from a <see cref="TokenCredential"/> registered in the container; with none, no <c>Authorization</c> is sent.
    /// A <see cref="TimeProvider"/> in the container is used unless the options name one.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The named client's builder, to add your own handlers.</returns>
    public static IHttpClientBuilder AddDeviceCommandsClient(this IServiceCollection services) =>
        services.AddDeviceCommandsClient(configure: null);

    /// <summary>
    /// Registers <see cref="DeviceCommandsClient"/> as <see cref="AddDeviceCommandsClient(IServiceCollection)"/> does,
    /// with options set in code.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options in code; null for the defaults.</param>
    /// <returns>The named client's builder, to add your own handlers.</returns>
    public static IHttpClientBuilder AddDeviceCommandsClient(this IServiceCollection services, Action<DeviceCommandsClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DeviceCommandsClientOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddTransient(static sp =>
        {
            var options = EffectiveOptions(sp);
            var credential = sp.GetService<TokenCredential>();
            options.ValidateFor(credential);
            var httpClient = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new DeviceCommandsClient(ClientPipeline.CreateAdapter(credential, options, httpClient));
        });

        // the client logs each request itself, without headers; the factory's own loggers would log every header at
        // Trace, the Authorization header's value included in their state, so they are removed
        return services.AddHttpClient(HttpClientName)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(static sp => EffectiveOptions(sp).HttpMessageHandler is { } given
                ? new SharedTransport.NotOwned(given)
                : SharedTransport.CreateHandler())
            .ConfigureAdditionalHttpMessageHandlers(static (handlers, sp) =>
            {
                foreach (var handler in ClientPipeline.CreateHandlers(EffectiveOptions(sp)))
                {
                    handlers.Add(handler);
                }
            });
    }

    /// <summary>
    /// Registers <see cref="DeviceCommandsClient"/> as <see cref="AddDeviceCommandsClient(IServiceCollection)"/>
    /// does, with options read from configuration (for example the <c>DeviceCommands</c> section of appsettings.json):
    /// <c>BaseUrl</c>, <c>MaxRetries</c>, <c>RetryDelay</c>, <c>AttemptTimeout</c>, <c>MaxRetryAfter</c> (TimeSpan text
    /// such as <c>00:00:02</c>), <c>Scopes</c> (an array or a comma-separated list), <c>MaxResponseContentBytes</c>,
    /// <c>UserAgentSuffix</c>. Read without reflection, so it is trimming and AOT safe.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The named client's builder.</returns>
    /// <exception cref="ArgumentException">A configured value cannot be read (thrown when the options are first used).</exception>
    public static IHttpClientBuilder AddDeviceCommandsClient(this IServiceCollection services, IConfiguration configuration) =>
        services.AddDeviceCommandsClient(configuration, configure: null);

    /// <summary>
    /// Registers <see cref="DeviceCommandsClient"/> with options read from configuration, then adjusted in code
    /// (see <see cref="AddDeviceCommandsClient(IServiceCollection, IConfiguration)"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <param name="configure">Sets further options in code, after the configuration; null for none.</param>
    /// <returns>The named client's builder.</returns>
    /// <exception cref="ArgumentException">A configured value cannot be read (thrown when the options are first used).</exception>
    public static IHttpClientBuilder AddDeviceCommandsClient(this IServiceCollection services, IConfiguration configuration, Action<DeviceCommandsClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<DeviceCommandsClientOptions>(options => Bind(configuration, options));
        return services.AddDeviceCommandsClient(configure);
    }

    private static DeviceCommandsClientOptions EffectiveOptions(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DeviceCommandsClientOptions>>().Value.Clone();
        options.LoggerFactory ??= services.GetService<ILoggerFactory>();
        if (ReferenceEquals(options.TimeProvider, TimeProvider.System) && services.GetService<TimeProvider>() is { } clock)
        {
            options.TimeProvider = clock;
        }

        options.Validate();
        return options;
    }

    private static void Bind(IConfiguration configuration, DeviceCommandsClientOptions options)
    {
        if (configuration[nameof(options.BaseUrl)] is { Length: > 0 } baseUrl)
        {
            options.BaseUrl = Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? uri : throw Invalid(nameof(options.BaseUrl), baseUrl);
        }

        if (configuration[nameof(options.MaxRetries)] is { Length: > 0 } retries)
        {
            options.MaxRetries = int.TryParse(retries, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(nameof(options.MaxRetries), retries);
        }

        options.RetryDelay = ReadTimeSpan(configuration, nameof(options.RetryDelay)) ?? options.RetryDelay;
        options.AttemptTimeout = ReadTimeSpan(configuration, nameof(options.AttemptTimeout)) ?? options.AttemptTimeout;
        options.MaxRetryAfter = ReadTimeSpan(configuration, nameof(options.MaxRetryAfter)) ?? options.MaxRetryAfter;
        if (configuration[nameof(options.MaxResponseContentBytes)] is { Length: > 0 } max)
        {
            options.MaxResponseContentBytes = long.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) ? bytes : throw Invalid(nameof(options.MaxResponseContentBytes), max);
        }

        if (configuration[nameof(options.UserAgentSuffix)] is { Length: > 0 } suffix)
        {
            options.UserAgentSuffix = suffix;
        }

        var scopes = configuration.GetSection(nameof(options.Scopes));
        var list = scopes.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        if (list.Count == 0 && scopes.Value is { Length: > 0 } joined)
        {
            list = [.. joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        if (list.Count > 0)
        {
            options.Scopes = list;
        }
    }

    private static TimeSpan? ReadTimeSpan(IConfiguration configuration, string key) => configuration[key] switch
    {
        null or "" => null,
        var text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) => value,
        var text => throw Invalid(key, text),
    };

    private static ArgumentException Invalid(string key, string value) =>
        new($"The configured DeviceCommands client option {key} = '{value}' cannot be read.", key);
}
