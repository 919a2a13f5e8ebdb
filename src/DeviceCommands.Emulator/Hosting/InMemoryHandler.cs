using System.IO.Pipelines;
using System.Net;
using DeviceCommands.Testing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
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

        HeaderDictionary headers = RequestHeaders(request, uri);
        if (RefusedAsKestrelWould(request, uri, headers) is { } refused)
        {
            return refused;
        }

        string path;
        try
        {
            path = PathString.FromUriComponent(uri).Value ?? "/";
        }
        catch (InvalidOperationException)
        {
            // "The path contains null characters" (%00): Kestrel refuses the request line with 400
            return Refused(request, HttpStatusCode.BadRequest);
        }

        using ClockWork work = ClockWork.Begin(state.Time);
        using CancellationTokenSource aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        BodyPump? pump = request.Content is null ? null : new BodyPump(request.Content, headers.ContentLength, aborted.Token);
        using MemoryStream responseBody = new();
        ResponseFeature response = new(responseBody);
        Lifetime lifetime = new(aborted);
        FeatureCollection features = new();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = uri.Scheme,
            Method = request.Method.Method,
            PathBase = string.Empty,
            Path = path,
            QueryString = uri.Query,
            RawTarget = uri.PathAndQuery,
            Headers = headers,
            Body = pump?.Reader ?? Stream.Null,
        });
        features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(pump is not null));
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

        return Response(request, response, responseBody.ToArray());
    }

    /// <summary>
    /// What Kestrel answers itself, before the emulator sees the request: 414 for a request line over its 8 KiB, 431
    /// for headers over its 32 KiB (both with no body).
    /// </summary>
    private static HttpResponseMessage? RefusedAsKestrelWould(HttpRequestMessage request, Uri uri, HeaderDictionary headers)
    {
        const int MaxRequestLine = 8 * 1024, MaxHeaders = 32 * 1024;
        int line = request.Method.Method.Length + uri.PathAndQuery.Length + " HTTP/1.1\r\n".Length + 1;
        int size = headers.Sum(header => header.Key.Length + header.Value.ToString().Length + 4);
        HttpStatusCode? status = line > MaxRequestLine ? HttpStatusCode.RequestUriTooLong
            : size > MaxHeaders ? HttpStatusCode.RequestHeaderFieldsTooLarge
            : null;
        return status is { } refused ? Refused(request, refused) : null;
    }

    /// <summary>An answer Kestrel gives itself, with no body.</summary>
    private static HttpResponseMessage Refused(HttpRequestMessage request, HttpStatusCode status) =>
        new(status) { RequestMessage = request, Content = new ByteArrayContent([]), Version = HttpVersion.Version11 };

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

    /// <summary>The headers Kestrel would see: <c>Host</c>, the request's and its content's, and the body's framing.</summary>
    private static HeaderDictionary RequestHeaders(HttpRequestMessage request, Uri uri)
    {
        HeaderDictionary headers = new() { ["Host"] = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}" };
        Add(headers, request.Headers.NonValidated);
        if (request.Content is { } content)
        {
            Add(headers, content.Headers.NonValidated);
            if (content.Headers.ContentLength is { } length)
            {
                headers.ContentLength = length;
            }
            else
            {
                headers["Transfer-Encoding"] = "chunked";
            }
        }

        return headers;
    }

    private static void Add(HeaderDictionary headers, System.Net.Http.Headers.HttpHeadersNonValidated source)
    {
        foreach ((string name, System.Net.Http.Headers.HeaderStringValues values) in source)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string value = values.ToString();
            foreach (char c in value)
            {
                if (c is not '\t' and (< ' ' or > '~'))
                {
                    throw new HttpRequestException(HttpRequestError.Unknown,
                        $"The value of the request header '{name}' holds a control or non-ASCII character; it cannot be sent.");
                }
            }

            headers[name] = value;
        }
    }

    private static HttpResponseMessage Response(HttpRequestMessage request, ResponseFeature feature, byte[] body)
    {
        HttpResponseMessage response = new((HttpStatusCode)feature.StatusCode)
        {
            RequestMessage = request,
            Version = HttpVersion.Version11,
            ReasonPhrase = ReasonPhrases.GetReasonPhrase(feature.StatusCode),
        };
        bool head = request.Method == HttpMethod.Head; // Kestrel sends no body to a HEAD, only its length
        ByteArrayContent content = new(head ? [] : body);
        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in feature.Headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue; // the content's own length
            }

            string?[] all = values.ToArray();
            if (!response.Headers.TryAddWithoutValidation(name, all))
            {
                content.Headers.TryAddWithoutValidation(name, all);
            }
        }

        if (head && feature.Headers.ContentLength is { } length)
        {
            content.Headers.ContentLength = length;
        }

        response.Headers.Date ??= DateTimeOffset.UtcNow; // as Kestrel sends it
        response.Content = content;
        return response;
    }

    /// <summary>The response as the pipeline writes it; it has started once a byte of its body is written.</summary>
    private sealed class ResponseFeature(MemoryStream body) : HttpResponseFeature
    {
        public override bool HasStarted => body.Length > 0;
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody { get; } = canHaveBody;
    }

    /// <summary><see cref="IHttpRequestLifetimeFeature.Abort"/> cancels the request, like a connection reset.</summary>
    private sealed class Lifetime(CancellationTokenSource aborted) : IHttpRequestLifetimeFeature
    {
        private int _aborted;

        public bool Aborted => Volatile.Read(ref _aborted) != 0 || aborted.IsCancellationRequested;

        public CancellationToken RequestAborted { get; set; } = aborted.Token;

        public void Abort()
        {
            if (Interlocked.Exchange(ref _aborted, 1) == 0)
            {
                try
                {
                    aborted.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // the request is over
                }
            }
        }
    }

    /// <summary>
    /// Streams a request's content into the body the pipeline reads, as a socket would: the pipeline reads as the
    /// content writes. Once the pipeline is done the rest is refused; a content that throws fails the request.
    /// </summary>
    private sealed class BodyPump
    {
        private readonly Pipe _pipe = new(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        private readonly CancellationTokenSource _stop;
        private volatile bool _finished;
        private volatile Exception? _failure;
        private readonly long? _length;
        private long _written;

        /// <param name="content">The request's content.</param>
        /// <param name="length">Its <c>Content-Length</c>; null when it is sent chunked. Writing more or fewer bytes fails the request, as on a socket.</param>
        /// <param name="cancellationToken">The request's cancellation.</param>
        public BodyPump(HttpContent content, long? length, CancellationToken cancellationToken)
        {
            _length = length;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Reader = _pipe.Reader.AsStream();
            _ = CopyAsync(content);
        }

        public Stream Reader { get; }

        /// <summary>What the content threw while the pipeline could still read it; null when it did not.</summary>
        public Exception? Failure => _failure;

        /// <summary>The pipeline is done: the rest of the body is not read.</summary>
        public void Finish()
        {
            _finished = true;
            _pipe.Reader.Complete();
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the copy has ended
            }
        }

        private async Task CopyAsync(HttpContent content)
        {
            Exception? error = null;
            try
            {
                await content.CopyToAsync(new WriterStream(this), _stop.Token).ConfigureAwait(false);
                if (_length is { } length && _written < length)
                {
                    // as SocketsHttpHandler refuses it
                    throw new HttpRequestException($"Sent {_written} request content bytes, but Content-Length promised {length}.");
                }
            }
            catch (Exception exception)
            {
                if (!_finished)
                {
                    _failure = exception;
                    error = new IOException("The request's content failed while its body was sent.", exception);
                }
            }
            finally
            {
                await _pipe.Writer.CompleteAsync(error).ConfigureAwait(false);
                _stop.Dispose();
            }
        }

        /// <summary>The stream the content writes to.</summary>
        private sealed class WriterStream(BodyPump pump) : Stream
        {
            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Flush()
            {
            }

            public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

            public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                if (pump._finished)
                {
                    throw new IOException("The emulator has answered; the rest of the request body is not read.");
                }

                pump._written += buffer.Length;
                if (pump._length is { } length && pump._written > length)
                {
                    // as SocketsHttpHandler refuses it
                    throw new HttpRequestException("Unable to write content to request stream; content would exceed Content-Length.");
                }

                FlushResult result = await pump._pipe.Writer.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (result.IsCompleted || pump._finished)
                {
                    throw new IOException("The emulator has answered; the rest of the request body is not read.");
                }
            }
        }
    }
}
