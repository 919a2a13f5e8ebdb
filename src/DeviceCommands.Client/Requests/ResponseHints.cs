namespace DeviceCommands.Client.Requests;

/// <summary>
/// Where a wait's poll finds the answer's retry hint (<c>retry-after-ms</c> and <c>Retry-After</c>, as sent), for
/// <see cref="Timing.RetryHint"/>: <see cref="ResponseReader{TModel}"/> keeps those two headers of the answer it reads.
/// A poll needs them only; Kiota's <c>HeadersInspectionHandlerOption</c> would copy every header of the answer into
/// sets (hundreds of bytes per poll).
/// </summary>
internal sealed class ResponseHints
{
    private static readonly string[] Names = ["retry-after-ms", "Retry-After"];

    /// <summary>The hint headers of the answer read last (all its headers, when they came another way); null for none.</summary>
    public IEnumerable<KeyValuePair<string, IEnumerable<string>>>? Headers { get; set; }

    /// <summary>Keeps the hint headers of <paramref name="response"/> (their values as sent, unparsed), replacing any earlier ones.</summary>
    public void Capture(HttpResponseMessage response)
    {
        List<KeyValuePair<string, IEnumerable<string>>>? kept = null;
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

                (kept ??= []).Add(new(name, copy));
            }
        }

        Headers = kept;
    }
}
