using System.Net;
using System.Runtime.InteropServices;

namespace DeviceCommands.Emulator.Hosting;

/// <summary>The emulator as a program: <c>dotnet run --project src/DeviceCommands.Emulator -- --urls http://127.0.0.1:5080</c>.</summary>
internal static class Program
{
    /// <summary>The usage text: the flags (made from <see cref="CommandLineOptions"/>), then the admin API.</summary>
    public static readonly string Usage = """
        Usage: devicecommands-emulator [options]
               (from a clone of the repository: dotnet run --project src/DeviceCommands.Emulator -- [options])

        """ + CommandLineOptions.Describe() + Environment.NewLine + AdminUsage;

    private const string AdminUsage = """
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
    internal static bool TryParse(string[] args, out EmulatorOptions options, out IReadOnlyList<IPEndPoint> endpoints, out bool help, out string? error) =>
        CommandLineParser.TryParse(args, out options, out endpoints, out help, out error);
}
