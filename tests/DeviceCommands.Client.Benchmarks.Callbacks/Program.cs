namespace DeviceCommands.Client.Benchmarks.Callbacks;

/// <summary>
/// <c>dotnet run -c Release --project tests/DeviceCommands.Client.Benchmarks.Callbacks -- MODE</c>:
/// <c>schedule [--commands 50]</c> prints the poll times and costs of a wait with and without callbacks on virtual time (deterministic);
/// <c>loopback [--runs 5]</c> runs waits on the Kestrel emulator posting back to a Kestrel endpoint (real sockets);
/// <c>flood [--unknown 100000] [--live 10000] [--connections 16]</c> floods the endpoint from a child process.
/// </summary>
public static class Program
{
    private const string Usage = "usage: schedule [--commands 50] | loopback [--runs 5] | flood [--unknown 100000] [--live 10000] [--connections 16]";

    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            return args.FirstOrDefault() switch
            {
                "schedule" => await FallbackSchedule.RunAsync(Arguments.Int(args, "--commands", 50)),
                "loopback" => await LoopbackWaits.RunAsync(Arguments.Int(args, "--runs", 5)),
                "flood" => await CallbackFlood.RunAsync(Arguments.Int(args, "--unknown", 100_000), Arguments.Int(args, "--live", 10_000), Arguments.Int(args, "--connections", 16)),
                "flood-client" => await FloodClient.RunAsync(args[1..]),
                _ => Fail(Usage),
            };
        }
        catch (FormatException e)
        {
            return Fail($"{e.Message}\n{Usage}");
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}

/// <summary>The few command-line options: <c>--name value</c>.</summary>
internal static class Arguments
{
    public static int Int(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return fallback;
        }

        return i + 1 < args.Length && int.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"{name} takes a positive whole number.");
    }
}
