using System.Net;
using System.Text;
using RichardSzalay.MockHttp;
using Xunit;

namespace DeviceCommands.TestSupport;

/// <summary>A MockHttp handler that answers every request with one response and records what was sent (headers and body included).</summary>
public sealed class MockHttpRecorder
{
    /// <summary>The handler to give the client.</summary>
    public MockHttpMessageHandler Handler { get; } = new();

    /// <summary>The requests so far (lock it to read while requests are in flight).</summary>
    public List<(HttpMethod Method, Uri Uri, string? Body, Dictionary<string, string> Headers)> Requests { get; } = [];

    /// <summary>The one request sent; fails the test unless exactly one was.</summary>
    public (HttpMethod Method, Uri Uri, string? Body, Dictionary<string, string> Headers) Single => Assert.Single(Requests);

    /// <summary>A recorder whose handler answers every request with this.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body; null for none.</param>
    /// <param name="mediaType">The body's media type; null for raw bytes with no Content-Type.</param>
    /// <param name="configure">Changes each response.</param>
    /// <returns>The recorder.</returns>
    public static MockHttpRecorder Answering(HttpStatusCode status, string? body, string? mediaType = "application/json", Action<HttpResponseMessage>? configure = null)
    {
        var recorder = new MockHttpRecorder();
        recorder.Handler.Fallback.Respond(async request =>
        {
            var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            var sent = request.Content is null ? null : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            lock (recorder.Requests)
            {
                recorder.Requests.Add((request.Method, request.RequestUri!, sent, headers));
            }

            var response = new HttpResponseMessage(status);
            if (body is not null)
            {
                response.Content = mediaType is null
                    ? new ByteArrayContent(Encoding.UTF8.GetBytes(body))
                    : new StringContent(body, Encoding.UTF8, mediaType);
            }

            configure?.Invoke(response);
            return response;
        });
        return recorder;
    }
}
