using System.Globalization;
using System.Text;
using DeviceCommands.Shared;

namespace DeviceCommands.Emulator.Hosting;

/// <summary>The emulator program's flags, one row each with its parser, setter and help; the usage text is made from it.</summary>
internal static class CommandLineOptions
{
    /// <summary>The width of the flag column of the usage text.</summary>
    private const int Column = 36;

    public static readonly IReadOnlyList<CommandLineOption> All =
    [
        new("--urls", "<url[;url]>", "where to listen, loopback http only (default http://127.0.0.1:5080)", SetUrls),
        Duration("--step-delay", "<time>", "time in each non-terminal status (default 1s; a number with ms, s, m or h, or 00:00:01)", (o, t) => o.StepDelay = t),
        Flag("--clean", "plain camelCase JSON instead of the service's quirky shapes", o => o.CleanJson = true),
        Flag("--require-token", "answer 401 unless the request has \"Authorization: Bearer <anything>\"", o => o.RequireToken = true),
        Rate("--throttle-rate", "share of requests answered 429 with Retry-After", (o, r) => o.ThrottleRate = r),
        Duration("--throttle-retry-after", "<t>", "the Retry-After of a 429 (default 1s)", (o, t) => o.ThrottleRetryAfter = t),
        Rate("--unavailable-rate", "share of requests answered 503", (o, r) => o.UnavailableRate = r),
        Rate("--latency-rate", "share of requests delayed by --latency", (o, r) => o.LatencyRate = r),
        Duration("--latency", "<time>", "the added delay (default 2s)", (o, t) => o.Latency = t),
        Rate("--post-back-drop-rate", "share of postbacks never sent (postbacks go to a command's\npostBackUri on a loopback host, at each status change)", (o, r) => o.PostBackDropRate = r),
        Rate("--post-back-delay-rate", "share of postbacks sent --post-back-delay late (default 2s)", (o, r) => o.PostBackDelayRate = r),
        Duration("--post-back-delay", "<time>", "how late a delayed postback is sent", (o, t) => o.PostBackDelay = t),
        Rate("--post-back-duplicate-rate", "share of postbacks sent twice", (o, r) => o.PostBackDuplicateRate = r),
        Rate("--post-back-reorder-rate", "share of postbacks held back until after the next one", (o, r) => o.PostBackReorderRate = r),
        Rate("--lost-answer-rate", "share of command POSTs that create the command, then lose the answer", (o, r) => o.LostAnswerRate = r),
        Int("--lost-answer-status", "<n>", "answer this status (429, 502, 504) instead of cutting the connection", n => n is >= 400 and <= 599, "an HTTP status from 400 to 599", (o, n) => o.LostAnswerStatus = n, NumberStyles.None),
        Int("--seed", "<int>", "seed of the fault injection (default 12345)", _ => true, "a whole number", (o, n) => o.Seed = n),
        Flag("--retry-after-hints", "status answers of unfinished commands carry Retry-After", o => o.RetryAfterHints = true),
        Int("--max-commands", "<n>", "commands remembered before the oldest are forgotten (default 10000)", n => n > 0, "a whole number of at least 1", (o, n) => o.MaxCommands = n),
        Int("--max-body-bytes", "<n>", "largest POST body accepted (default 65536)", n => n > 0, "a whole number of at least 1", (o, n) => o.MaxRequestBodyBytes = n),
        Duration("--request-body-timeout", "<t>", "time a request body may take to arrive before a 408 (default 5s)", (o, t) => o.RequestBodyTimeout = t, positive: true),
        Int("--max-recorded-requests", "<n>", "requests kept for GET /_emulator/requests (default 1000; 0 keeps none)", n => n >= 0, "a whole number of at least 0", (o, n) => o.MaxRecordedRequests = n),
        new("--device", "<id>[:<behavior>]", "serve this device (repeat for more; replaces the default five). Behaviors:\ncompletes (default), offline, dropsCommands, failsExecution, tooSlow", AddDevice),
        new("--help", null, "this text", Help) { Aliases = ["-h", "-?"] },
    ];

    /// <summary>The option spelled <paramref name="flag"/> (any case); null for none.</summary>
    public static CommandLineOption? Find(string flag)
    {
        string lower = flag.ToLowerInvariant();
        return All.FirstOrDefault(option => option.Matches(lower));
    }

    /// <summary>The options part of the usage text: one line per flag, its continuations under its help.</summary>
    public static string Describe()
    {
        StringBuilder text = new();
        foreach (CommandLineOption option in All)
        {
            string flag = option.Argument is null ? $"  {option.Name}" : $"  {option.Name} {option.Argument}";
            string[] lines = option.Help.Split('\n');
            text.Append(flag.PadRight(Column - 1)).Append(' ').AppendLine(lines[0]);
            foreach (string line in lines.Skip(1))
            {
                text.Append(' ', Column).AppendLine(line);
            }
        }

        return text.ToString();
    }

    private static CommandLineOption Flag(string name, string help, Action<EmulatorOptions> set) =>
        new(name, null, help, (string? _, CommandLine target, out string? why) =>
        {
            why = null;
            set(target.Options);
            return true;
        });

    private static CommandLineOption Rate(string name, string help, Action<EmulatorOptions, double> set) =>
        new(name, "<0..1>", help, (string? value, CommandLine target, out string? why) =>
        {
            bool ok = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) && rate is >= 0 and <= 1;
            why = ok ? null : $"give a share from 0 to 1, such as 0.25 (got '{value}').";
            set(target.Options, rate);
            return ok;
        });

    private static CommandLineOption Duration(string name, string argument, string help, Action<EmulatorOptions, TimeSpan> set, bool positive = false) =>
        new(name, argument, help, (string? value, CommandLine target, out string? why) =>
        {
            bool ok = DurationText.TryParse(value, out TimeSpan time, out why) && (!positive || time > TimeSpan.Zero);
            why ??= ok ? null : $"give a duration above zero, such as 5s (got '{value}').";
            set(target.Options, time);
            return ok;
        });

    private static CommandLineOption Int(string name, string argument, string help, Func<int, bool> valid, string expected, Action<EmulatorOptions, int> set, NumberStyles styles = NumberStyles.Integer) =>
        new(name, argument, help, (string? value, CommandLine target, out string? why) =>
        {
            bool ok = int.TryParse(value, styles, CultureInfo.InvariantCulture, out int number) && valid(number);
            why = ok ? null : $"give {expected} (got '{value}').";
            set(target.Options, number);
            return ok;
        });

    private static bool SetUrls(string? value, CommandLine target, out string? why)
    {
        why = null;
        target.Urls = value ?? target.Urls;
        return value is not null;
    }

    private static bool AddDevice(string? value, CommandLine target, out string? why)
    {
        why = null;
        if (!CommandLineValues.TryDevice(value, out EmulatedDevice? device))
        {
            why = "give a device id, optionally followed by :completes, :offline, :dropsCommands, :failsExecution or :tooSlow.";
            return false;
        }

        if (target.Devices.Exists(d => d.Id == device.Id))
        {
            why = $"the device '{device.Id}' is given twice.";
            return false;
        }

        target.Devices.Add(device);
        return true;
    }

    private static bool Help(string? value, CommandLine target, out string? why)
    {
        why = null;
        target.Help = true;
        return true;
    }
}
