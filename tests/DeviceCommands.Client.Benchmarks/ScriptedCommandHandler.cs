using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>How a scripted command hints when to ask again.</summary>
internal enum HintMode
{
    /// <summary>No hint: the client's own schedule alone.</summary>
    None,

    /// <summary>As the emulator with <c>RetryAfterHints</c>: <c>Retry-After</c> = whole seconds left in the step, rounded up, at least 1.</summary>
    WholeSeconds,

    /// <summary>Not what the emulator does: <c>retry-after-ms</c> = the exact milliseconds left in the step, rounded up (to show what the client does with a precise hint).</summary>
    Milliseconds,
}

/// <summary>
/// An in-memory transport for one command at a time whose status is scripted on a fake clock: it answers every GET
/// with <c>200</c> and the command in a non-terminal status until <see cref="End"/> after <see cref="Start"/>, then
/// <c>completed</c>. With hints it models the emulator (src/DeviceCommands.Emulator, CommandLifecycle and
/// Endpoints.GetCommandAsync): the time to the end is split in <see cref="Steps"/> equal steps
/// (<c>requesting</c>, <c>sentToTarget</c>, <c>executing</c>, …) and each answer carries the time left in the current step.
/// Not TestSupport's <c>ScriptedHandler</c>: its answers follow a clock rather than a queue, and it records nothing, so
/// the reports' request counts and memory figures are the client's alone.
/// </summary>
internal sealed class ScriptedCommandHandler : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private static readonly string[] StepStatuses = ["requesting", "sentToTarget", "executing"];
    private static readonly byte[] Completed = Body("completed");
    private static readonly byte[][] Running = [.. StepStatuses.Select(Body)];

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public DateTimeOffset Start { get; set; }

    public TimeSpan End { get; set; }

    public int Steps { get; set; } = 3;

    public HintMode Hints { get; set; }

    /// <summary>The GET requests answered since the last <see cref="Reset"/>.</summary>
    public int Requests { get; private set; }

    public void Reset(TimeProvider clock, TimeSpan end, HintMode hints)
    {
        Clock = clock;
        Start = clock.GetUtcNow();
        End = end;
        Hints = hints;
        Requests = 0;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        var age = Clock.GetUtcNow() - Start;
        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        byte[] body;
        if (age >= End)
        {
            body = Completed;
        }
        else
        {
            var step = End / Steps;
            var index = (int)Math.Min(Steps - 1, Math.Max(0, age.Ticks) / step.Ticks);
            body = Running[Math.Min(index, Running.Length - 1)];
            var left = TimeSpan.FromTicks(step.Ticks - (Math.Max(0, age.Ticks) % step.Ticks));
            if (Hints == HintMode.WholeSeconds)
            {
                // the emulator's WholeSeconds(remaining, minimum: 1)
                response.Headers.TryAddWithoutValidation("Retry-After", Math.Max(1, (long)Math.Ceiling(left.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
            }
            else if (Hints == HintMode.Milliseconds)
            {
                response.Headers.TryAddWithoutValidation("retry-after-ms", Math.Max(1, (long)Math.Ceiling(left.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture));
            }
        }

        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        response.Content = content;
        return Task.FromResult(response);
    }

    internal static byte[] Body(string status) => Encoding.UTF8.GetBytes(
        $$"""{"id":"0158355AD4D680CC4E2994CC009EFFD7337D1335FCA6ED266","status":"{{status}}","type":"AppService","appServiceName":"com.example.app","packageFamilyName":"Example_1"}""");
}
