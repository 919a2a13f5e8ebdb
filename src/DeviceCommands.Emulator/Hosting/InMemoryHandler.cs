using System.Net;
using DeviceCommands.Testing;
using Microsoft.AspNetCore.Http.Features;
using DeviceCommands.Emulator.Http;
using DeviceCommands.Emulator.State;
using DeviceCommands.Emulator.Wire;

namespace DeviceCommands.Emulator.Hosting;

/// <summary>
/// Serves an emulator's requests in memory: builds the <see cref="HttpContext"/> Kestrel would build for the request
/// (method, raw target, headers with <c>Host</c> and <c>Content-Length</c> or <c>Transfer-Encoding: chunked</c>, a
/// streamed body) and runs the emulator's one <see cref="RequestPipeline"/> on it, so every answer is the one Kestrel
/// would give. The request is marked on a <see cref="VirtualClock"/> until its answer is complete.
/// </summary>
/// <remarks>
/// A request for another authority is answered 421; bad headers and aborted requests throw
/// <see cref="HttpRequestException"/>, the caller's cancellation <see cref="OperationCanceledException"/>
/// (details in <c>docs/emulator.md</c>).
/// </remarks>
internal sealed class InMemoryHandler(EmulatorState state, RequestPipeline pipeline, Uri baseUrl) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Uri uri = request.RequestUri is { IsAbsoluteUri: true } absolute
            ? absolute
            : throw new InvalidOperationException("An invalid request URI was provided: it must be absolute (or the HttpClient must have a BaseAddress).");
        cancellationToken.ThrowIfCancellationRequested();
        if (state.Stopping.IsCancellationRequested)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"The emulator at {baseUrl} has been disposed.");
        }

        if (!Serves(uri))
        {
            return Misdirected(request, uri);
        }

        HeaderDictionary headers = KestrelMessages.RequestHeaders(request, uri);
        if (KestrelMessages.RefusedAsKestrelWould(request, uri, headers) is { } refused)
        {
            return refused;
        }

        // from the target as sent: a URI built without canonicalization (the client's for a "." or ".." id, sent as
        // %2E%2E) keeps its dot segments there, and refuses Uri's decoded views as Kestrel never sees them
        string target = uri.PathAndQuery;
        int queryAt = target.IndexOf('?', StringComparison.Ordinal);
        string path;
        try
        {
            path = PathString.FromUriComponent(queryAt < 0 ? target : target[..queryAt]).Value is { Length: > 0 } decoded ? decoded : "/";
        }
        catch (InvalidOperationException)
        {
            // "The path contains null characters" (%00): Kestrel refuses the request line with 400
            return KestrelMessages.Refused(request, HttpStatusCode.BadRequest);
        }

        using ClockWork work = ClockWork.Begin(state.Time);
        using CancellationTokenSource aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        InMemoryBodyPump? pump = request.Content is null ? null : new InMemoryBodyPump(request.Content, headers.ContentLength, aborted.Token);
        using MemoryStream responseBody = new();
        InMemoryResponseFeature response = new(responseBody);
        InMemoryLifetime lifetime = new(aborted);
        FeatureCollection features = new();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = uri.Scheme,
            Method = request.Method.Method,
            PathBase = string.Empty,
            Path = path,
            QueryString = queryAt < 0 ? string.Empty : target[queryAt..],
            RawTarget = target,
            Headers = headers,
            Body = pump?.Reader ?? Stream.Null,
        });
        features.Set<IHttpRequestBodyDetectionFeature>(new InMemoryBodyDetection(pump is not null));
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(responseBody));
        features.Set<IHttpRequestLifetimeFeature>(lifetime);
        try
        {
            await pipeline.HandleAsync(new DefaultHttpContext(features), work).ConfigureAwait(false);
        }
        finally
        {
            pump?.Finish();
        }

        if (pump?.Failure is { } failure)
        {
            throw new HttpRequestException(HttpRequestError.Unknown, "Error while copying content to a stream.", failure);
        }

        if (lifetime.Aborted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new HttpRequestException(HttpRequestError.ResponseEnded,
                $"The emulator at {baseUrl} aborted the request without an answer" + (state.Stopping.IsCancellationRequested ? " (it was disposed)." : "."));
        }

        return KestrelMessages.Response(request, response, responseBody.ToArray());
    }

    private bool Serves(Uri uri) =>
        string.Equals(uri.Scheme, baseUrl.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost, baseUrl.IdnHost, StringComparison.OrdinalIgnoreCase)
        && uri.Port == baseUrl.Port;

    /// <summary>421: this handler serves one emulator, and the request is for another authority.</summary>
    private HttpResponseMessage Misdirected(HttpRequestMessage request, Uri uri)
    {
        string message = $"This handler serves only the emulator at {baseUrl.GetLeftPart(UriPartial.Authority)}; the request was for {uri.GetLeftPart(UriPartial.Authority)}.";
        ByteArrayContent content = new(WireFormat.Error("MisdirectedRequest", message));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(HttpAnswers.JsonContentType);
        return new HttpResponseMessage(HttpStatusCode.MisdirectedRequest) { RequestMessage = request, Content = content, Version = HttpVersion.Version11 };
    }
}
