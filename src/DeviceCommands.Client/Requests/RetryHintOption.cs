using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Requests;

/// <summary>
/// The request option of a wait's own poll: the answer's retry hint (<c>retry-after-ms</c> and <c>Retry-After</c>, as
/// sent), kept by <see cref="ResponseReader{TModel}"/> from the answer it reads, for <see cref="Timing.RetryHint"/>. A
/// poll needs those two headers only; Kiota's <c>HeadersInspectionHandlerOption</c> would copy every header of the
/// answer into sets (hundreds of bytes per poll). A poll through a builder of another type (a mock, a subclass) still
/// uses Kiota's option, which a mock can answer.
/// </summary>
internal sealed class RetryHintOption : IRequestOption
{
    private static readonly string[] Names = ["retry-after-ms", "Retry-After"];

    /// <summary>The hint headers of the answer read last; null when it had none.</summary>
    public List<KeyValuePair<string, IEnumerable<string>>>? Headers { get; private set; }

    /// <summary>Keeps the hint headers of <paramref name="response"/> (their values as sent, unparsed), replacing any earlier ones.</summary>
    public void Capture(HttpResponseMessage response)
    {
        Headers = null;
        foreach (var name in Names)
        {
            if (response.Headers.NonValidated.TryGetValues(name, out var values))
            {
                var copy = new string[values.Count];
                var i = 0;
                foreach (var value in values)
                {
                    copy[i++] = value;
                }

                (Headers ??= []).Add(new(name, copy));
            }
        }
    }
}
