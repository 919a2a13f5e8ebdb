using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Core;
using DeviceCommands.Client;
using DeviceCommands.Client.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <see cref="DeviceCommandsClient"/> in a .NET host, on <see cref="IHttpClientFactory"/>. Every registration
/// names its credential: an instance (one identity for the whole app), a factory over the services of the scope the
/// client is resolved in (a token per user in a web backend), or <see langword="null"/> for none (an emulator). Keyed
/// registrations put several clients side by side (<c>[FromKeyedServices("…")]</c>). Options are validated when the
/// host starts.
/// </summary>
#pragma warning disable RS0026 // each overload takes a different kind of credential, with the same optional configuration
public static class DeviceCommandsServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the un-keyed client is built on: <c>DeviceCommands.Client</c> (a keyed one's is <c>DeviceCommands.Client:{key}</c>).</summary>
    public const string HttpClientName = "DeviceCommands.Client";

    /// <summary>
    /// Registers <see cref="DeviceCommandsClient"/> (transient, over a named <see cref="HttpClient"/>) with the client's
    /// whole pipeline; the host's default handlers are left out, so nothing retries a command twice.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="credential">The credential whose token the client sends; <see langword="null"/> sends none.</param>
    /// <param name="configuration">A section to read the options from (keys and formats: docs/transport.md); null for none.</param>
    /// <param name="configure">Sets options in code, after the configuration; null for none.</param>
    /// <returns>The named client's builder, for your own handlers (run once per attempt).</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">When the host starts: an option cannot work.</exception>
    /// <remarks><c>AddDeviceCommandsClient(null)</c> picks this overload (C# 13 and later; else write <c>credential: null</c>).</remarks>
    [OverloadResolutionPriority(1)]
    public static IHttpClientBuilder AddDeviceCommandsClient(this IServiceCollection services, TokenCredential? credential, IConfiguration? configuration = null, Action<DeviceCommandsClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = Register(services, HttpClientName, credential is not null, configuration, configure);
        services.TryAddTransient(sp => Build(sp, HttpClientName, credential is null ? null : (_, _) => credential));
        return builder;
    }

    /// <summary>
    /// Registers <see cref="DeviceCommandsClient"/> as <see cref="AddDeviceCommandsClient(IServiceCollection, TokenCredential?, IConfiguration?, Action{DeviceCommandsClientOptions}?)"/>
    /// does, with a credential made each time the client is resolved, from the services of that scope: in a web
    /// backend, the signed-in user's credential (an on-behalf-of credential, say), so each request sends its user's
    /// token, over one connection pool.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="credentialFactory">Makes the credential from the resolving scope's services; may return null for none.</param>
    /// <param name="configuration">A configuration section to read the options from; null for none.</param>
    /// <param name="configure">Sets options in code, after the configuration; null for none.</param>
    /// <returns>The named client's builder.</returns>
    public static IHttpClientBuilder AddDeviceCommandsClient(this IServiceCollection services, Func<IServiceProvider, TokenCredential?> credentialFactory, IConfiguration? configuration = null, Action<DeviceCommandsClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(credentialFactory);
        var builder = Register(services, HttpClientName, mayHaveCredential: true, configuration, configure);
        services.TryAddTransient(sp => Build(sp, HttpClientName, (p, _) => credentialFactory(p)));
        return builder;
    }

    /// <summary>
    /// Registers a keyed <see cref="DeviceCommandsClient"/> (resolve it with <c>[FromKeyedServices(key)]</c> or
    /// <c>GetRequiredKeyedService</c>), with its own options, credential and named <see cref="HttpClient"/>
    /// (<c>DeviceCommands.Client:{key}</c>), so several clients live side by side.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key.</param>
    /// <param name="credential">The credential whose token this client sends; null for none.</param>
    /// <param name="configuration">A configuration section to read the options from; null for none.</param>
    /// <param name="configure">Sets options in code, after the configuration; null for none.</param>
    /// <returns>The named client's builder.</returns>
    /// <remarks><c>AddKeyedDeviceCommandsClient(key, null)</c> means no credential (this overload wins for a bare <see langword="null"/>).</remarks>
    [OverloadResolutionPriority(1)]
    public static IHttpClientBuilder AddKeyedDeviceCommandsClient(this IServiceCollection services, string serviceKey, TokenCredential? credential, IConfiguration? configuration = null, Action<DeviceCommandsClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceKey);
        var name = $"{HttpClientName}:{serviceKey}";
        var builder = Register(services, name, credential is not null, configuration, configure);
        services.AddKeyedTransient(serviceKey, (sp, _) => Build(sp, name, credential is null ? null : (_, _) => credential));
        return builder;
    }

    /// <summary>Registers a keyed <see cref="DeviceCommandsClient"/> whose credential is made from the resolving scope's services and the key.</summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key.</param>
    /// <param name="credentialFactory">Makes the credential from the resolving scope's services and the key; may return null for none.</param>
    /// <param name="configuration">A configuration section to read the options from; null for none.</param>
    /// <param name="configure">Sets options in code, after the configuration; null for none.</param>
    /// <returns>The named client's builder.</returns>
    public static IHttpClientBuilder AddKeyedDeviceCommandsClient(this IServiceCollection services, string serviceKey, Func<IServiceProvider, string, TokenCredential?> credentialFactory, IConfiguration? configuration = null, Action<DeviceCommandsClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceKey);
        ArgumentNullException.ThrowIfNull(credentialFactory);
        var name = $"{HttpClientName}:{serviceKey}";
        var builder = Register(services, name, mayHaveCredential: true, configuration, configure);
        services.AddKeyedTransient(serviceKey, (sp, _) => Build(sp, name, (p, _) => credentialFactory(p, serviceKey)));
        return builder;
    }

    /// <summary>The options, the validation at start, and the named HttpClient with the client's handlers, for one registration.</summary>
    private static IHttpClientBuilder Register(IServiceCollection services, string name, bool mayHaveCredential, IConfiguration? configuration, Action<DeviceCommandsClientOptions>? configure)
    {
        var options = services.AddOptions<DeviceCommandsClientOptions>(name);
        if (configuration is not null)
        {
            options.Configure(o => OptionsConfiguration.Bind(configuration, o));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton<IValidateOptions<DeviceCommandsClientOptions>>(new OptionsCheck(name, mayHaveCredential, configuration));
        options.ValidateOnStart();

        // the client logs each request itself, without headers; the factory's own loggers would log every header at
        // Trace, the Authorization header's value included in their state, so they are removed
        return services.AddHttpClient(name)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = EffectiveOptions(sp, name);
                return ClientPipeline.Guard(options, options.HttpMessageHandler is { } given ? new SharedTransport.NotOwned(given) : SharedTransport.CreateHandler());
            })
            .ConfigureAdditionalHttpMessageHandlers((handlers, sp) =>
            {
                // what is here already came from ConfigureHttpClientDefaults (every HttpClient of the host): a retry
                // there (.NET Aspire's standard resilience retries POSTs) would send a command twice, outside the
                // client's rule, so the client's HttpClient does without them. Handlers added to the builder this
                // returns come after, inside the client's own.
                handlers.Clear();
                foreach (var handler in ClientPipeline.CreateHandlers(EffectiveOptions(sp, name)))
                {
                    handlers.Add(handler);
                }
            });
    }

    private static DeviceCommandsClient Build(IServiceProvider services, string name, Func<IServiceProvider, string, TokenCredential?>? credentialFactory)
    {
        var options = EffectiveOptions(services, name);
        var credential = credentialFactory?.Invoke(services, name);
        options.ValidateFor(credential);
        var httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(name);
        return new DeviceCommandsClient(ClientPipeline.CreateAdapter(credential, options, httpClient));
    }

    /// <summary>
    /// The validation the host runs at start, for one registration: every configured value readable (all the unreadable
    /// ones named at once), every option in range, and, when there may be a credential, a base URL a token may go to.
    /// The failure says which option and why.
    /// </summary>
    private sealed class OptionsCheck(string name, bool mayHaveCredential, IConfiguration? configuration) : IValidateOptions<DeviceCommandsClientOptions>
    {
        public ValidateOptionsResult Validate(string? optionsName, DeviceCommandsClientOptions options)
        {
            if (!string.Equals(optionsName, name, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            // every key at once: the values that cannot be read, then the settings that cannot work
            var problems = configuration is null ? [] : OptionsConfiguration.Errors(configuration);
            var section = configuration is IConfigurationSection { Path.Length: > 0 } named ? named.Path + ":" : "";
            problems.AddRange(options.Problems().Select(p => $"{section}{p.Key} = {Shown(options, p.Key)} cannot work: {p.Message}"));
            if (problems.Count == 0 && mayHaveCredential && !TokenRule.MayCarryToken(options.BaseUrl, options.BaseUrl))
            {
                problems.Add($"{section}BaseUrl = {options.BaseUrl} cannot carry a token: it is plain http to a host that is not loopback, and the client has a credential: a bearer token is only ever sent over https, or over plain http to a loopback host.");
            }

            return problems.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(problems.Select(p => $"The DeviceCommands client '{name}': {p}"));
        }
    }

    /// <summary>The value of an option, as a message shows it.</summary>
    private static string Shown(DeviceCommandsClientOptions options, string key) => key switch
    {
        nameof(DeviceCommandsClientOptions.BaseUrl) => $"'{options.BaseUrl}'",
        nameof(DeviceCommandsClientOptions.MaxRetries) => $"'{options.MaxRetries}'",
        nameof(DeviceCommandsClientOptions.RetryDelay) => $"'{options.RetryDelay}'",
        nameof(DeviceCommandsClientOptions.AttemptTimeout) => $"'{options.AttemptTimeout}'",
        nameof(DeviceCommandsClientOptions.MaxRetryAfter) => $"'{options.MaxRetryAfter}'",
        nameof(DeviceCommandsClientOptions.MaxResponseContentBytes) => $"'{options.MaxResponseContentBytes}'",
        nameof(DeviceCommandsClientOptions.UserAgentSuffix) => $"'{options.UserAgentSuffix}'",
        _ => "(set in code)",
    };

    private static DeviceCommandsClientOptions EffectiveOptions(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<DeviceCommandsClientOptions>>().Get(name).Clone();
        options.LoggerFactory ??= services.GetService<ILoggerFactory>();
        if (ReferenceEquals(options.TimeProvider, TimeProvider.System) && services.GetService<TimeProvider>() is { } clock)
        {
            options.TimeProvider = clock;
        }

        options.Callbacks ??= services.GetService<DeviceCommands.Client.Callbacks.CommandCallbackReceiver>();
        options.Validate();
        return options;
    }
}
#pragma warning restore RS0026
