using System.Globalization;

namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// Waits that outlive a machine: every command's wait is an Orleans grain whose state, reminders and cluster
/// membership live in Redis (Garnet embedded unless <c>--redis host:port</c> is given), spread over silo processes,
/// one of which can be killed halfway. Prints, last, one line of outcomes.
/// <code>dotnet run --project samples/Fleet -- --waits 1000 --kill-silo [--silos 3] [--redis 127.0.0.1:6379] [--no-callbacks]</code>
/// </summary>
public static class Program
{
    /// <summary>Runs the driver, or (<c>silo ...</c>) one silo, as the driver starts them.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>0 when no wait was lost and no command sent twice; 1 otherwise; 2 on an error.</returns>
    public static Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Length > 0 && args[0] == "silo" ? FleetSilo.RunAsync(args) : RunAsync(args, Console.Out, CancellationToken.None);
    }

    /// <summary>Runs the fleet as the command line says and prints the report.</summary>
    /// <param name="args"><c>--waits N --silos N --kill-silo --redis host:port --seed N</c>, all optional.</param>
    /// <param name="output">Where to print.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>0 when no wait was lost and no command sent twice; 1 otherwise; 2 on an error.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string[] flags = ["--waits", "--silos", "--redis", "--seed", "--kill-silos", "--lost-answer-rate", "--lost-answer-status", "--pause-redis", "--post-back-drop-rate"];
        string[] switches = ["--kill-silo", "--no-callbacks", "--keep-logs"];
        string? Value(string name)
        {
            int i = Array.IndexOf(args, name);
            return i < 0 ? null
                : i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[i + 1]
                : throw new ArgumentException($"{name} needs a value.");
        }

        int Number(string name, int fallback) =>
            Value(name) is not { } text ? fallback
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new ArgumentException($"{name} takes a positive whole number, not '{text}'.");
        FleetOptions options;
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                if (flags.Contains(args[i]))
                {
                    i++; // its value, checked below
                }
                else if (!switches.Contains(args[i]))
                {
                    throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }

            options = new FleetOptions
            {
                Waits = Number("--waits", 1000),
                Silos = Number("--silos", 3),
                KillSilos = Value("--kill-silos") is not null ? Number("--kill-silos", 1) : args.Contains("--kill-silo") ? 1 : 0,
                LostAnswerRate = Value("--lost-answer-rate") is not { } rate ? 0
                    : double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1 ? r
                    : throw new ArgumentException($"--lost-answer-rate takes a share from 0 to 1, not '{rate}'."),
                LostAnswerStatus = Value("--lost-answer-status") is not { } status ? null
                    : int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 400 and <= 599 ? code
                    : throw new ArgumentException($"--lost-answer-status takes a status from 400 to 599, not '{status}'."),
                PauseStore = Value("--pause-redis") is { } pause ? StorePause.Parse(pause) : null,
                Callbacks = !args.Contains("--no-callbacks"),
                PostBackDropRate = Value("--post-back-drop-rate") is not { } drop ? 0
                    : double.TryParse(drop, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= 1 ? d
                    : throw new ArgumentException($"--post-back-drop-rate takes a share from 0 to 1, not '{drop}'."),
                KeepLogs = args.Contains("--keep-logs"),
                Redis = Value("--redis") is not { } redis ? null
                    : redis.LastIndexOf(':') is var colon and > 0 && ushort.TryParse(redis.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port > 0 ? redis
                    : throw new ArgumentException($"--redis takes host:port, not '{redis}'."),
                Seed = Number("--seed", 7),
            };
        }
        catch (ArgumentException e)
        {
            await output.WriteLineAsync($"{e.Message} Usage: dotnet run --project samples/Fleet -- [--waits N] [--silos N] [--kill-silo | --kill-silos N] [--redis host:port] [--pause-redis starts|outcomes:S] [--lost-answer-rate X] [--lost-answer-status N] [--no-callbacks | --post-back-drop-rate X] [--keep-logs] [--seed N]");
            return 2;
        }

        if (options.Redis is { } store && await UnreachableAsync(store, cancellationToken) is { } why)
        {
            await output.WriteLineAsync($"--redis {store}: nothing answers there ({why}).");
            return 2;
        }

        try
        {
            var report = await FleetRun.RunAsync(options, output, cancellationToken);
            await FleetRun.PrintAsync(report, output);
            return report.Lost == 0 && report.DuplicatePosts == 0 && report.StartsNeverLanded == 0 ? 0 : 1;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // one line, no stack trace: the silos' logs hold the details
            var cause = e.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : string.Empty;
            await output.WriteLineAsync($"The fleet could not run: {e.GetType().Name}: {e.Message}{cause}");
            return 2;
        }
    }

    /// <summary>Why nothing accepts a connection at <paramref name="hostAndPort"/> within 5 s; null when something does.</summary>
    private static async Task<string?> UnreachableAsync(string hostAndPort, CancellationToken cancellationToken)
    {
        int colon = hostAndPort.LastIndexOf(':');
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var socket = new System.Net.Sockets.TcpClient();
            await socket.ConnectAsync(hostAndPort[..colon].Trim('[', ']'), int.Parse(hostAndPort[(colon + 1)..], CultureInfo.InvariantCulture), timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "no connection within 5 s";
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return e.Message;
        }
    }
}
