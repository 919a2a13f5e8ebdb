namespace DeviceCommands.TestSupport;

/// <summary>
/// A request the client sent, as <see cref="ScriptedHandler"/> saw it on the client's side of the wire (a typed method and
/// URI, a few headers); not the emulator's <c>RecordedRequest</c>, which is what a server received.
/// </summary>
/// <param name="Method">The method.</param>
/// <param name="Uri">The URL.</param>
/// <param name="At">When it arrived, on the handler's clock.</param>
/// <param name="Authorization">The Authorization header; null when none.</param>
/// <param name="UserAgent">The User-Agent header; empty when none.</param>
/// <param name="ClientRequestId">The first <c>client-request-id</c> header; null when none.</param>
/// <param name="Body">The body text; null when the request had no content.</param>
public sealed record SentRequest(HttpMethod Method, Uri Uri, DateTimeOffset At, string? Authorization, string? UserAgent, string? ClientRequestId, string? Body);
