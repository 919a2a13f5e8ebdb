using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using DeviceCommands.Shared;

namespace DeviceCommands.Emulator.Hosting;

/// <summary>The emulator as a program: <c>dotnet run --project src/DeviceCommands.Emulator -- --urls http://127.0.0.1:5080</c>.</summary>
internal static class Program
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public const string Usage = """
        Usage: devicecommands-emulator [options]
               (from a clone of the repository: dotnet run --project src/DeviceCommands.Emulator -- [options])
          --urls <url[;url]>          where to listen, loopback http only (default http://127.0.0.1:5080)
          --step-delay <time>         time in each non-terminal status (default 1s; a number with ms, s, m or h, or 00:00:01)
          --clean                     plain camelCase JSON instead of the service's quirky shapes
          --require-token             answer 401 unless the request has "Authorization: Bearer <anything>"
          --throttle-rate <0..1>      share of requests answered 429 with Retry-After
          --throttle-retry-after <t>  the Retry-After of a 429 (default 1s)
          --unavailable-rate <0..1>   share of requests answered 503
          --latency-rate <0..1>       share of requests delayed by --latency
          --latency <time>            the added delay (default 2s)
          --post-back-drop-rate <0..1>       share of postbacks never sent (postbacks go to a command's
                                             postBackUri on a loopback host, at each status change)
          --post-back-delay-rate <0..1>      share of postbacks sent --post-back-delay late (default 2s)
          --post-back-delay <time>           how late a delayed postback is sent
          --post-back-duplicate-rate <0..1>  share of postbacks sent twice
          --post-back-reorder-rate <0..1>    share of postbacks held back until after the next one
          --lost-answer-rate <0..1>   share of command POSTs that create the command, then lose the answer
          --lost-answer-status <n>    answer this status (429, 502, 504) instead of cutting the connection
          --seed <int>                seed of the fault injection (default 12345)
          --retry-after-hints         status answers of unfinished commands carry Retry-After
          --max-commands <n>          commands remembered before the oldest are forgotten (default 10000)
          --max-body-bytes <n>        largest POST body accepted (default 65536)
          --request-body-timeout <t>  time a request body may take to arrive before a 408 (default 5s)
          --max-recorded-requests <n> requests kept for GET /_emulator/requests (default 1000; 0 keeps none)
          --device <id>[:<behavior>]  serve this device (repeat for more; replaces the default five). Behaviors:
                                      completes (default), offline, dropsCommands, failsExecution, tooSlow
          --help                      this text

        The service is at <url>/beta. The admin API, on the same listener (JSON in and out, camelCase; not counted,
        recorded, faulted or token-checked):
          GET    /_emulator                        counters: requestCount, postCount, duplicatePostCount, lostAnswerCount, ...
          GET    /_emulator/devices                the devices, with their behavior
          POST   /_emulator/devices                add one: {"id":"pc","name":"PC","behavior":"offline",...}     201
          GET    /_emulator/devices/{id}           one device
          PATCH  /_emulator/devices/{id}           change what is given: {"behavior":"failsExecution","error":"..."}
          DELETE /_emulator/devices/{id}           remove it (its commands then answer 404)                       204
          GET    /_emulator/commands               the commands remembered, with their status now
          PUT    /_emulator/commands/{id}/outcome  how it ends: {"status":"expired","error":null}                204
          POST   /_emulator/script/gets            the next GETs of a command fail:
                                                   {"commandId":"...","count":2,"statusCode":503,"retryAfter":null} 204
          POST   /_emulator/script/posts           the next POSTs fail: {"count":1,"statusCode":429,"retryAfter":2} 204
          DELETE /_emulator/script                 forget the scripted answers not given yet                      204
          GET    /_emulator/requests               the last requests: method, path, headers (Authorization
                                                   masked "Bearer ***"), body, receivedAt, statusCode
          DELETE /_emulator/requests               forget them                                                    204
          POST   /_emulator/reset                  back to a fresh emulator (commands, requests, scripts, devices) 204
        Errors are {"error":{"code":...,"message":...}}: 400 bad body, 404 unknown id, 405 wrong method, 409 id taken.
        """;

    public static async Task<int> Main(string[] args)
    {
        if (!TryParse(args, out EmulatorOptions options, out IReadOnlyList<IPEndPoint> endpoints, out bool help, out string? error))
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        if (help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        options.TransitionLog = Console.Out;
        using CancellationTokenSource stop = new();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        DeviceCommandsEmulator emulator;
        try
        {
            emulator = await DeviceCommandsEmulator.StartAsync(options, endpoints, stop.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ArgumentException or IOException)
        {
            await Console.Error.WriteLineAsync($"Cannot start the emulator: {exception.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (emulator.ConfigureAwait(false))
        {
            Console.WriteLine($"DeviceCommands emulator listening on {emulator.BaseUrl}");
            foreach (EmulatedDevice device in options.Devices ?? EmulatorOptions.DefaultDevices)
            {
                Console.WriteLine($"  device {device.Id} ({device.Kind}, {device.Behavior})");
            }

            Console.WriteLine($"Admin API at {emulator.BaseUrl.GetLeftPart(UriPartial.Authority)}/_emulator (see --help).");
            Console.WriteLine("Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("Stopping.");
            }
        }

        return 0;
    }

    /// <summary>Reads the command line into options and loopback endpoints; false with a message for a bad one.</summary>
    internal static bool TryParse(string[] args, out EmulatorOptions options, out IReadOnlyList<IPEndPoint> endpoints, out bool help, out string? error)
    {
        options = new EmulatorOptions();
        endpoints = [];
        help = false;
        error = null;
        string urls = DefaultUrl;
        List<EmulatedDevice> devices = [];
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string? inline = null;
            if (name.StartsWith("--", StringComparison.Ordinal) && name.IndexOf('=', StringComparison.Ordinal) is > 0 and int equals)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }

            string? Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                return i + 1 < args.Length ? args[++i] : null;
            }

            bool ok = true;
            string? why = null;
            switch (name.ToLowerInvariant())
            {
                case "--help" or "-h" or "-?":
                    help = true;
                    break;
                case "--clean":
                    options.CleanJson = true;
                    break;
                case "--require-token":
                    options.RequireToken = true;
                    break;
                case "--retry-after-hints":
                    options.RetryAfterHints = true;
                    break;
                case "--urls":
                    string? value = Value();
                    ok = value is not null;
                    urls = value ?? urls;
                    break;
                case "--step-delay":
                    ok = DurationText.TryParse(Value(), out TimeSpan step, out why);
                    options.StepDelay = step;
                    break;
                case "--latency":
                    ok = DurationText.TryParse(Value(), out TimeSpan latency, out why);
                    options.Latency = latency;
                    break;
                case "--throttle-retry-after":
                    ok = DurationText.TryParse(Value(), out TimeSpan retryAfter, out why);
                    options.ThrottleRetryAfter = retryAfter;
                    break;
                case "--throttle-rate":
                    ok = TryRate(Value(), out double throttle);
                    options.ThrottleRate = throttle;
                    break;
                case "--unavailable-rate":
                    ok = TryRate(Value(), out double unavailable);
                    options.UnavailableRate = unavailable;
                    break;
                case "--latency-rate":
                    ok = TryRate(Value(), out double slow);
                    options.LatencyRate = slow;
                    break;
                case "--post-back-drop-rate":
                    ok = TryRate(Value(), out double dropPostBacks);
                    options.PostBackDropRate = dropPostBacks;
                    break;
                case "--post-back-delay-rate":
                    ok = TryRate(Value(), out double delayPostBacks);
                    options.PostBackDelayRate = delayPostBacks;
                    break;
                case "--post-back-delay":
                    ok = DurationText.TryParse(Value(), out TimeSpan postBackDelay, out why);
                    options.PostBackDelay = postBackDelay;
                    break;
                case "--post-back-duplicate-rate":
                    ok = TryRate(Value(), out double twicePostBacks);
                    options.PostBackDuplicateRate = twicePostBacks;
                    break;
                case "--post-back-reorder-rate":
                    ok = TryRate(Value(), out double reorderPostBacks);
                    options.PostBackReorderRate = reorderPostBacks;
                    break;
                case "--lost-answer-rate":
                    ok = TryRate(Value(), out double lost);
                    options.LostAnswerRate = lost;
                    break;
                case "--lost-answer-status":
                    ok = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out int lostStatus) && lostStatus is >= 400 and <= 599;
                    options.LostAnswerStatus = lostStatus;
                    break;
                case "--seed":
                    ok = int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed);
                    options.Seed = seed;
                    break;
                case "--max-commands":
                    ok = int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int max) && max > 0;
                    options.MaxCommands = max;
                    break;
                case "--max-body-bytes":
                    ok = int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int bytes) && bytes > 0;
                    options.MaxRequestBodyBytes = bytes;
                    break;
                case "--request-body-timeout":
                    ok = DurationText.TryParse(Value(), out TimeSpan bodyTimeout, out why) && bodyTimeout > TimeSpan.Zero;
                    options.RequestBodyTimeout = bodyTimeout;
                    break;
                case "--max-recorded-requests":
                    ok = int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int recorded) && recorded >= 0;
                    options.MaxRecordedRequests = recorded;
                    break;
                case "--device":
                    ok = TryDevice(Value(), out EmulatedDevice? device) && !devices.Exists(d => d.Id == device!.Id);
                    if (ok)
                    {
                        devices.Add(device!);
                    }

                    break;
                default:
                    error = $"Unknown option '{args[i]}'.";
                    return false;
            }

            if (!ok)
            {
                error = why is null ? $"Option '{name}' needs a valid value." : $"Option '{name}': {why}";
                return false;
            }
        }

        List<IPEndPoint> parsed = [];
        foreach (string url in urls.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryLoopback(url, out IPEndPoint? endpoint, out error))
            {
                return false;
            }

            parsed.Add(endpoint);
        }

        if (parsed.Count == 0)
        {
            error = "--urls needs at least one URL.";
            return false;
        }

        endpoints = parsed;
        if (devices.Count > 0)
        {
            options.Devices = devices;
        }

        return true;
    }

    /// <summary>
    /// Reads <c>id</c> or <c>id:behavior</c>; an id may hold colons itself, the text after the last one is a behavior only
    /// when it names one.
    /// </summary>
    private static bool TryDevice(string? text, out EmulatedDevice? device)
    {
        device = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        int colon = text.LastIndexOf(':');
        DeviceBehavior behavior = DeviceBehavior.Completes;
        string id = colon > 0 && DeviceBehaviorNames.TryParse(text[(colon + 1)..], out behavior) ? text[..colon] : text;
        if (id.Length == 0)
        {
            return false;
        }

        device = new EmulatedDevice(id)
        {
            Name = id,
            Behavior = behavior,
            Status = behavior == DeviceBehavior.Offline ? "Offline" : "Online",
        };
        return true;
    }

    private static bool TryLoopback(string url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? endpoint, out string? error)
    {
        endpoint = null;
        error = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/")
        {
            error = $"Refusing --urls '{url}': give an http URL of a loopback host and port, such as {DefaultUrl}.";
            return false;
        }

        IPAddress? address = string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? ip) ? ip
            : null;
        if (address is null || !IPAddress.IsLoopback(address))
        {
            error = $"Refusing to listen on '{url}': the emulator binds to loopback only (127.0.0.1, [::1] or localhost), never to a network interface.";
            return false;
        }

        endpoint = new IPEndPoint(address, uri.Port);
        return true;
    }

    private static bool TryRate(string? text, out double rate) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out rate) && rate is >= 0 and <= 1;
}
