using System.Net;

namespace DeviceCommands.Emulator.Hosting;

/// <summary>Reads the emulator program's command line by the table of <see cref="CommandLineOptions"/>.</summary>
internal static class CommandLineParser
{
    /// <summary>Reads the command line into options and loopback endpoints; false with a message for a bad one.</summary>
    public static bool TryParse(string[] args, out EmulatorOptions options, out IReadOnlyList<IPEndPoint> endpoints, out bool help, out string? error)
    {
        CommandLine line = new();
        options = line.Options;
        endpoints = [];
        help = false;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string? inline = null;
            if (name.StartsWith("--", StringComparison.Ordinal) && name.IndexOf('=', StringComparison.Ordinal) is > 0 and int equals)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }

            if (CommandLineOptions.Find(name) is not { } option)
            {
                error = $"Unknown option '{args[i]}'.";
                return false;
            }

            string? value = !option.TakesValue ? null : inline ?? (i + 1 < args.Length ? args[++i] : null);
            if (option.TakesValue && value is null)
            {
                error = $"Option '{name}' needs a value: {name} {option.Argument}.";
                return false;
            }

            if (!option.Apply(value, line, out string? why))
            {
                error = why is null ? $"Option '{name}' needs a valid value." : $"Option '{name}': {why}";
                return false;
            }
        }

        help = line.Help;
        List<IPEndPoint> parsed = [];
        foreach (string url in line.Urls.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!CommandLineValues.TryLoopback(url, out IPEndPoint? endpoint, out error))
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
        if (line.Devices.Count > 0)
        {
            options.Devices = line.Devices;
        }

        return true;
    }
}
