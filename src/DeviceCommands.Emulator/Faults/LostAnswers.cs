using Microsoft.AspNetCore.Http.Features;
using DeviceCommands.Emulator.Wire;

namespace DeviceCommands.Emulator.Faults;

/// <summary>
/// The lost-answer fault (<see cref="EmulatorOptions.LostAnswerRate"/>): a seeded share of command POSTs creates the
/// command, then loses its answer: the connection is cut without a byte of it (as a gateway timeout does; in memory
/// the caller gets the <see cref="HttpRequestException"/> a socket would give), or <see cref="EmulatorOptions.LostAnswerStatus"/>
/// is answered instead of the 201. A POST that creates nothing (400, 404) is answered as it is.
/// </summary>
internal sealed class LostAnswers(EmulatorOptions options)
{
    // its own sequence, so turning this fault on leaves the other faults' draws as they were
    private readonly Random _random = new(unchecked(options.Seed * 31 + 17));
    private readonly Lock _gate = new();
    private int _count;

    /// <summary>The answers lost so far (cut or replaced).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Whether this command POST loses its answer: one draw per POST while the rate is above 0.</summary>
    public bool Next()
    {
        if (options.LostAnswerRate <= 0)
        {
            return false;
        }

        lock (_gate)
        {
            return _random.NextDouble() < options.LostAnswerRate;
        }
    }

    /// <summary>
    /// Serves the POST into a buffer; a 201 (the command exists) is then lost, anything else is sent as it was.
    /// </summary>
    public async Task ServeAsync(HttpContext context, Func<Task> serve)
    {
        IHttpResponseBodyFeature wire = context.Features.Get<IHttpResponseBodyFeature>()!;
        using MemoryStream held = new();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(held));
        try
        {
            await serve().ConfigureAwait(false);
        }
        finally
        {
            context.Features.Set(wire);
        }

        if (context.Response.StatusCode != StatusCodes.Status201Created)
        {
            await context.Response.Body.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _count);
        if (options.LostAnswerStatus is not { } status)
        {
            // nothing was written to the wire: the client sees the connection end without an answer
            context.Abort();
            return;
        }

        string? requestId = context.Response.Headers["client-request-id"].FirstOrDefault();
        context.Response.Headers.Clear();
        if (requestId is not null)
        {
            context.Response.Headers["client-request-id"] = requestId;
        }

        await HttpAnswers.ErrorAsync(context, status, $"The answer was lost on its way back (emulated {status}); the command was created.").ConfigureAwait(false);
    }
}
