using System.Globalization;
using Azure.Core;
using Azure.Identity;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.Shared;

namespace DeviceCommands.Samples;

/// <summary>
/// What every sample does first: read its command line, then give it a client.
/// <list type="bullet">
/// <item>no arguments: start the emulator in this process and talk to it;</item>
/// <item><c>--base-url http://127.0.0.1:5080/beta</c>: talk to an emulator that is already running;</item>
/// <item><c>--graph --client-id &lt;app id&gt;</c> (and <c>--device-code</c> on a machine without a browser): sign in a
/// personal Microsoft account with Azure.Identity and talk to the real Microsoft Graph beta endpoint.</item>
/// </list>
/// <c>--step-delay 1s</c> sets the in-process emulator's time per status.
/// </summary>
internal sealed class SampleSession : IAsyncDisposable
{
    private readonly DeviceCommandsEmulator? _emulator;

    private SampleSession(DeviceCommandsClient client, string target, bool isGraph, DeviceCommandsEmulator? emulator)
    {
        Client = client;
        Target = target;
        IsGraph = isGraph;
        _emulator = emulator;
    }

    public DeviceCommandsClient Client { get; }

    public string Target { get; }

    public bool IsGraph { get; }

    /// <summary>The page the samples open on a device with <c>LaunchUri</c>.</summary>
    public static readonly Uri SampleUri = new("https://bing.com");

    /// <summary>How long a sample waits for one command: 2 minutes.</summary>
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The command line every sample takes.</summary>
    public const string Usage = "Usage: [--step-delay 1s] | [--base-url http://127.0.0.1:5080/beta] | [--graph --client-id <app id> [--device-code]]";

    public static async Task<SampleSession> StartAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        if (args.Contains("--graph"))
        {
            var clientId = Value("--client-id") ?? Environment.GetEnvironmentVariable("DEVICECOMMANDS_CLIENT_ID")
                ?? throw new ArgumentException("--graph needs --client-id <application id> (a public client app registration that allows personal Microsoft accounts), or DEVICECOMMANDS_CLIENT_ID.");
            TokenCredential credential = args.Contains("--device-code")
                ? new DeviceCodeCredential(new DeviceCodeCredentialOptions
                {
                    TenantId = "consumers",
                    ClientId = clientId,
                    DeviceCodeCallback = (code, _) => output.WriteLineAsync(code.Message),
                })
                : new InteractiveBrowserCredential(new InteractiveBrowserCredentialOptions { TenantId = "consumers", ClientId = clientId });
            var graph = DeviceCommandsClient.Create(credential);
            return new SampleSession(graph, DeviceCommandsClient.DefaultBaseUrl, isGraph: true, emulator: null);
        }

        if (Value("--base-url") is { } baseUrl)
        {
            var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = new Uri(baseUrl) });
            return new SampleSession(client, baseUrl, isGraph: false, emulator: null);
        }

        var stepDelay = TimeSpan.FromSeconds(1);
        if (Value("--step-delay") is { } text && !DurationText.TryParse(text, out stepDelay, out var why))
        {
            throw new ArgumentException($"--step-delay {why}");
        }

        var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = stepDelay }, cancellationToken);
        var local = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl });
        return new SampleSession(local, $"{emulator.BaseUrl} (emulator started in this process)", isGraph: false, emulator);
    }

    /// <summary>
    /// Runs a sample's body with a session: writes where it talks to, and turns any failure into its one-line
    /// explanation and exit code 2.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken, Func<SampleSession, Task<int>> body)
    {
        SampleSession started;
        try
        {
            started = await StartAsync(args, output, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // a bad command line (--step-delay nonsense, --base-url nonsense, --graph without --client-id): one line, exit 2
            await output.WriteLineAsync($"Cannot start with '{string.Join(' ', args)}': {Describe(e)} {Usage}");
            return 2;
        }

        await using var session = started;
        await output.WriteLineAsync($"Device commands at {session.Target}");
        try
        {
            return await body(session);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await output.WriteLineAsync(session.Explain(e));
            return 2;
        }
    }

    /// <summary>
    /// The one line that explains a failure of the real endpoint: the API was retired on 2020-09-30.
    /// </summary>
    public string Explain(Exception error) => IsGraph
        ? $"The Microsoft Graph device-command API was retired on 2020-09-30 and no longer returns data ({Describe(error)}). Run without --graph to use the emulator."
        : Describe(error);

    public static string Describe(Exception error) => error switch
    {
        ODataError o => o.Message,
        CommandWaitTimeoutException t => t.Message,
        _ => $"{error.GetType().Name}: {error.Message}",
    };

    public async ValueTask DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}
