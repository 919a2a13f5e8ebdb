using System.Net;
using System.Net.Http.Headers;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>An in-memory transport: every request gets <c>200 OK</c> with the same JSON body, and no network is used.</summary>
public sealed class FixedResponseHandler(byte[] body) : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }
}
