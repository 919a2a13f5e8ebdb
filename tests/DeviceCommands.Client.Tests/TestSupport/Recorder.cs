using System.Net;
using System.Text;
using RichardSzalay.MockHttp;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>A MockHttp handler that answers every request with one response and records what was sent.</summary>
internal sealed class Recorder
{
    public MockHttpMessageHandler Handler { get; } = new();

    public List<(HttpMethod Method, Uri Uri, string? Body, Dictionary<string, string> Headers)> Requests { get; } = [];

    public static Recorder Answering(HttpStatusCode status, string? body, string? mediaType = "application/json", Action<HttpResponseMessage>? configure = null)
    {
        var recorder = new Recorder();
        recorder.Handler.Fallback.Respond(async request =>
        {
            var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            var sent = request.Content is null ? null : await request.Content.ReadAsStringAsync();
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

    public (HttpMethod Method, Uri Uri, string? Body, Dictionary<string, string> Headers) Single => Assert.Single(Requests);
}
