using DeviceCommands.Testing;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.Emulator;

/// <summary>
/// Settings of a <see cref="DeviceCommandsEmulator"/>. Every property has a working default, so
/// <c>new EmulatorOptions()</c> is a well-behaved service with the <see cref="DefaultDevices"/>, quirky JSON and no faults.
/// The emulator copies the options when it starts; changing them afterwards has no effect on it.
/// </summary>
public sealed partial class EmulatorOptions
{
    /// <summary>The largest <see cref="StepDelay"/> accepted: 365 days.</summary>
    public static readonly TimeSpan MaxStepDelay = TimeSpan.FromDays(365);

    /// <summary>
    /// The devices of a default emulator, in the order <c>GET me/devices</c> lists them. The first,
    /// <c>emu-laptop</c>, completes every command; then <c>emu-offline-phone</c> (<see cref="DeviceBehavior.Offline"/>),
    /// <c>emu-sleepy-tablet</c> (<see cref="DeviceBehavior.DropsCommands"/>), <c>emu-broken-hub</c>
    /// (<see cref="DeviceBehavior.FailsExecution"/>) and <c>emu-slow-console</c> (<see cref="DeviceBehavior.TooSlow"/>).
    /// </summary>
    public static IReadOnlyList<EmulatedDevice> DefaultDevices { get; } =
    [
        new("emu-laptop") { Name = "Emulated Laptop", Kind = "Laptop", Model = "Book 15", Platform = "Windows", Status = "Online", Behavior = DeviceBehavior.Completes },
        new("emu-offline-phone") { Name = "Emulated Phone", Kind = "Phone", Model = "Pocket 6", Platform = "Android", Status = "Offline", Behavior = DeviceBehavior.Offline },
        new("emu-sleepy-tablet") { Name = "Emulated Tablet", Kind = "Tablet", Model = "Slate 3", Platform = "Windows", Status = "Unknown", Behavior = DeviceBehavior.DropsCommands },
        new("emu-broken-hub") { Name = "Emulated Hub", Kind = "SurfaceHub", Model = "Hub 2", Platform = "Windows", Status = "Online", Behavior = DeviceBehavior.FailsExecution },
        new("emu-slow-console") { Name = "Emulated Console", Kind = "Xbox", Model = "Console X", Platform = "Xbox", Status = "Online", Behavior = DeviceBehavior.TooSlow },
    ];

    /// <summary>
    /// The time a command spends in each non-terminal status. Default 1 s. Zero makes every command terminal at once
    /// (the POST still answers <c>requesting</c>). At most <see cref="MaxStepDelay"/>.
    /// </summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The clock of every command's lifecycle (creation time, status, <c>Retry-After</c> hints, response dates), of the
    /// injected <see cref="Latency"/> and of the <see cref="TransitionLog"/>. Default <see cref="TimeProvider.System"/>.
    /// A <see cref="VirtualClock"/> drives commands without sleeping; the emulator then marks every request it answers
    /// with <see cref="VirtualClock.BeginWork"/>, so the clock never moves while a request is being answered.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Default false. When true, a request without an <c>Authorization: Bearer &lt;token&gt;</c> header is answered
    /// 401 (<c>InvalidAuthenticationToken</c>); any non-empty bearer token is accepted.
    /// </summary>
    public bool RequireToken { get; set; }

    /// <summary>
    /// Default false: answers in the service's quirky shapes (PascalCase device and payload keys, the string
    /// <c>"null"</c> for nulls, a status wrapped in <c>{"value":{...}}</c>, US dates). True: plain camelCase JSON,
    /// nulls omitted, ISO 8601 dates. The two differ only in spelling, never in shape or content.
    /// </summary>
    public bool CleanJson { get; set; }

    /// <summary>The share of requests, 0 to 1, answered 429 with <c>Retry-After</c>. Default 0.</summary>
    public double ThrottleRate { get; set; }

    /// <summary>The <c>Retry-After</c> of a throttled answer, sent as whole seconds rounded up. Default 1 s.</summary>
    public TimeSpan ThrottleRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The share of requests, 0 to 1, answered 503 <c>ServiceUnavailable</c>. Default 0.</summary>
    public double UnavailableRate { get; set; }

    /// <summary>
    /// The share of command POSTs, 0 to 1, whose answer is lost: the command is created, then the connection is cut
    /// without an answer, or <see cref="LostAnswerStatus"/> is answered instead. Seeded by <see cref="Seed"/>; counted
    /// as <c>lostAnswerCount</c> in <c>GET /_emulator</c>. Default 0.
    /// </summary>
    public double LostAnswerRate { get; set; }

    /// <summary>
    /// What a lost answer is: null (the default) cuts the connection, as a gateway timeout does; a status (400 to 599,
    /// such as 429, 502 or 504) is answered instead of the 201 although the command was created.
    /// </summary>
    public int? LostAnswerStatus { get; set; }

    /// <summary>The share of requests, 0 to 1, delayed by <see cref="Latency"/> before they are answered. Default 0.</summary>
    public double LatencyRate { get; set; }

    /// <summary>
    /// The added delay of a slow request. Default 2 s, waited on <see cref="TimeProvider"/>: real time with the default
    /// clock, virtual time under a <see cref="VirtualClock"/> (which may move while a request waits out its latency).
    /// </summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The seed of the fault injection, so a run's faults are repeatable. Default 12345.</summary>
    public int Seed { get; set; } = 12345;

    /// <summary>
    /// Default false. When true, a status answer for a command that is not terminal carries <c>Retry-After</c>:
    /// the whole seconds left in its current status, rounded up, at least 1.
    /// </summary>
    public bool RetryAfterHints { get; set; }

    /// <summary>The most commands remembered. Default 10 000; beyond it the oldest are forgotten (they then answer 404).</summary>
    public int MaxCommands { get; set; } = 10_000;

    /// <summary>The largest POST body accepted, in bytes. Default 64 KiB; a larger one is answered 413.</summary>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How long a request body may take to arrive, from the moment the emulator starts reading it. Default 5 s; a body
    /// still incomplete then is answered 408 <c>RequestTimeout</c>. Always real time (the emulator's clock does not
    /// move while a request is answered); <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.
    /// </summary>
    public TimeSpan RequestBodyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many requests <see cref="DeviceCommandsEmulator.GetRequests"/> keeps, the most recent ones. Default 1 000;
    /// 0 keeps none.
    /// </summary>
    public int MaxRecordedRequests { get; set; } = 1_000;

    /// <summary>
    /// The devices served when the emulator starts (and after <see cref="DeviceCommandsEmulator.Reset"/>). Default null:
    /// <see cref="DefaultDevices"/>. Ids must be unique and non-empty. Change them while it runs with
    /// <see cref="DeviceCommandsEmulator.Devices"/>.
    /// </summary>
    public IReadOnlyList<EmulatedDevice>? Devices { get; set; }

    /// <summary>
    /// Where ASP.NET Core and the emulator log. Default null: no logging at all (tests stay quiet).
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Where to write one line per command transition, e.g. <c>cmd 3F2A1B0C… on emu-laptop: sentToTarget -> executing</c>.
    /// Default null: nowhere, and no background timer runs. Lines are written from a single timer of the emulator. A
    /// writer that throws never takes the emulator or its process down: the first failure is logged once through
    /// <see cref="LoggerFactory"/> (when set) and the emulator stops writing to it.
    /// </summary>
    public TextWriter? TransitionLog { get; set; }

    internal IReadOnlyList<EmulatedDevice> EffectiveDevices => Devices ?? DefaultDevices;

    /// <summary>Returns a validated copy, so later changes to this instance do not reach a running emulator.</summary>
    internal EmulatorOptions ValidatedCopy()
    {
        RequireInRange(StepDelay, TimeSpan.Zero, MaxStepDelay, nameof(StepDelay));
        RequireInRange(ThrottleRetryAfter, TimeSpan.Zero, TimeSpan.FromDays(1), nameof(ThrottleRetryAfter));
        RequireInRange(Latency, TimeSpan.Zero, TimeSpan.FromDays(1), nameof(Latency));
        RequireRate(ThrottleRate, nameof(ThrottleRate));
        RequireRate(UnavailableRate, nameof(UnavailableRate));
        RequireRate(LatencyRate, nameof(LatencyRate));
        ValidatePostBacks();
        RequireRate(LostAnswerRate, nameof(LostAnswerRate));
        if (LostAnswerStatus is { } lost && lost is < 400 or > 599)
        {
            throw new ArgumentException($"LostAnswerStatus must be an error status from 400 to 599, or null to cut the connection; it is {lost}.", nameof(LostAnswerStatus));
        }
        if (TimeProvider is null)
        {
            throw new ArgumentException("TimeProvider must not be null.", nameof(TimeProvider));
        }

        if (MaxCommands < 1)
        {
            throw new ArgumentException("MaxCommands must be at least 1.", nameof(MaxCommands));
        }

        if (MaxRequestBodyBytes < 1)
        {
            throw new ArgumentException("MaxRequestBodyBytes must be at least 1.", nameof(MaxRequestBodyBytes));
        }

        if (RequestBodyTimeout != Timeout.InfiniteTimeSpan)
        {
            RequireInRange(RequestBodyTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1), nameof(RequestBodyTimeout));
        }

        if (MaxRecordedRequests < 0)
        {
            throw new ArgumentException("MaxRecordedRequests must not be negative.", nameof(MaxRecordedRequests));
        }

        EmulatedDevice[] devices = [.. EffectiveDevices];
        if (devices.Length == 0)
        {
            throw new ArgumentException("Devices must not be empty; null means the default devices.", nameof(Devices));
        }

        HashSet<string> ids = new(StringComparer.Ordinal);
        foreach (EmulatedDevice? device in devices)
        {
            EmulatedDeviceCollection.Validate(device, nameof(Devices));
            if (!ids.Add(device.Id))
            {
                throw new ArgumentException($"Device id '{device.Id}' appears twice.", nameof(Devices));
            }
        }

        EmulatorOptions copy = (EmulatorOptions)MemberwiseClone();
        copy.Devices = devices;
        return copy;
    }

    private static void RequireInRange(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"{name} must be between {min} and {max}; it is {value}.", name);
        }
    }

    private static void RequireRate(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentException($"{name} must be between 0 and 1; it is {value}.", name);
        }
    }
}
