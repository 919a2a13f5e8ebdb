using System.Globalization;
using DeviceCommands.Client;
using DeviceCommands.Shared;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Reads <see cref="DeviceCommandsClientOptions"/> from a configuration section without throwing: a value that cannot be
/// read leaves its option as it was and is named in <c>errors</c>, so the host's start fails with one
/// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> that names every bad key at once. Durations are
/// read by <see cref="DurationText"/>, as the emulator's command line reads them.
/// </summary>
internal static class OptionsConfiguration
{
    /// <summary>Sets every option the configuration holds readable text for; adds one message per key that it cannot read.</summary>
    public static void Bind(IConfiguration configuration, DeviceCommandsClientOptions options, List<string>? errors = null)
    {
        Read<Uri?>(configuration, nameof(options.BaseUrl), errors, "an absolute http or https URL, such as https://graph.microsoft.com/beta",
            (string text, out Uri? uri) => Uri.TryCreate(text, UriKind.Absolute, out uri), v => options.BaseUrl = v!);
        Read<int>(configuration, nameof(options.MaxRetries), errors, "a whole number, such as 3", Int, v => options.MaxRetries = v);
        ReadDuration(configuration, nameof(options.RetryDelay), errors, v => options.RetryDelay = v);
        Read<int>(configuration, nameof(options.RetryJitterSeed), errors, "a whole number, such as 42", Int, v => options.RetryJitterSeed = v);
        ReadDuration(configuration, nameof(options.AttemptTimeout), errors, v => options.AttemptTimeout = v, infinite: true);
        ReadDuration(configuration, nameof(options.MaxRetryAfter), errors, v => options.MaxRetryAfter = v);
        Read(configuration, nameof(options.MaxResponseContentBytes), errors, "a whole number of bytes, such as 4194304 for 4 MiB",
            (string text, out long n) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out n), v => options.MaxResponseContentBytes = v);
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

    /// <summary>The keys <see cref="Bind"/> reads.</summary>
    private static readonly string[] Keys =
    [
        nameof(DeviceCommandsClientOptions.BaseUrl), nameof(DeviceCommandsClientOptions.MaxRetries), nameof(DeviceCommandsClientOptions.RetryDelay),
        nameof(DeviceCommandsClientOptions.RetryJitterSeed), nameof(DeviceCommandsClientOptions.AttemptTimeout), nameof(DeviceCommandsClientOptions.MaxRetryAfter),
        nameof(DeviceCommandsClientOptions.MaxResponseContentBytes), nameof(DeviceCommandsClientOptions.UserAgentSuffix), nameof(DeviceCommandsClientOptions.Scopes),
    ];

    /// <summary>
    /// The messages for every key of <paramref name="configuration"/> that cannot be read, and for every key that is a
    /// misspelling of an option's (two edits or fewer, such as <c>RetryDelays</c>), which would otherwise be ignored.
    /// Other keys are left alone: a section may hold settings of other code. None: an empty list.
    /// </summary>
    public static List<string> Errors(IConfiguration configuration)
    {
        var errors = new List<string>();
        Bind(configuration, new DeviceCommandsClientOptions(), errors);
        foreach (var child in configuration.GetChildren())
        {
            if (!Keys.Contains(child.Key, StringComparer.OrdinalIgnoreCase) && Keys.FirstOrDefault(k => Edits(k, child.Key) <= 2) is { } meant)
            {
                errors.Add($"{Path(configuration, child.Key)} is not an option of the client and would be ignored: did you mean {meant}?");
            }
        }

        return errors;
    }

    /// <summary>The edit distance of two keys, ignoring case (Levenshtein).</summary>
    private static int Edits(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    private delegate bool Parser<T>(string text, out T value);

    private static bool Int(string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    private static void Read<T>(IConfiguration configuration, string key, List<string>? errors, string expected, Parser<T> parse, Action<T> set)
    {
        if (Text(configuration, key, errors, expected) is not { } text)
        {
            return;
        }

        if (parse(text.Trim(), out var value))
        {
            set(value);
        }
        else
        {
            errors?.Add($"{Path(configuration, key)} = '{text}' cannot be read: write {expected}.");
        }
    }

    private static void ReadDuration(IConfiguration configuration, string key, List<string>? errors, Action<TimeSpan> set, bool infinite = false)
    {
        if (Text(configuration, key, errors, infinite ? "a duration above zero, such as 100s, or Infinite" : "a duration, such as 2s or 500ms") is not { } text)
        {
            return;
        }

        if (infinite && text.Trim().Equals("Infinite", StringComparison.OrdinalIgnoreCase))
        {
            set(Timeout.InfiniteTimeSpan);
        }
        else if (infinite && (text.TrimStart().StartsWith('-') || (DurationText.TryParse(text, out var timeout, out _) && timeout == TimeSpan.Zero)))
        {
            // a timeout of zero or less cannot work: say what can, not "zero or more"
            errors?.Add($"{Path(configuration, key)} = '{text}' cannot be read: write a duration above zero, such as 100s, or Infinite.");
        }
        else if (DurationText.TryParse(text, out var value, out var why))
        {
            if (value == TimeSpan.Zero && text.Any(c => c is >= '1' and <= '9'))
            {
                // a positive value below one tick would silently become zero: no delay at all is not what it says
                errors?.Add($"{Path(configuration, key)} = '{text}' cannot be read: it is above zero but below the smallest duration (100 ns); write 0s for none, or at least 0.0001ms.");
            }
            else
            {
                set(value);
            }
        }
        else
        {
            errors?.Add($"{Path(configuration, key)} = '{text}' cannot be read: {why}");
        }
    }

    /// <summary>
    /// The text of <paramref name="key"/>, or null when the key is absent (the option keeps its value) or empty: an
    /// empty value (<c>"RetryDelay": ""</c>) cannot be read and is named in <paramref name="errors"/>, as blank text is.
    /// </summary>
    private static string? Text(IConfiguration configuration, string key, List<string>? errors, string expected)
    {
        var text = configuration[key];
        if (text is { Length: 0 })
        {
            errors?.Add($"{Path(configuration, key)} = '' cannot be read: it is empty; write {expected}, or remove the key for the default.");
            return null;
        }

        return text;
    }

    private static string Path(IConfiguration configuration, string key) =>
        configuration is IConfigurationSection { Path.Length: > 0 } section ? $"{section.Path}:{key}" : key;
}
