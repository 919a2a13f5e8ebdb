using System.Net;
using System.Net.Http.Headers;

namespace DeviceCommands.TestSupport;

/// <summary>
/// An in-memory transport: every request gets <c>200 OK</c> with the same JSON body, and no network is used. Built for
/// the benchmarks: it allocates only the response, its content and the completed task (no recording, no script, the
/// body array shared), so the benchmarks' allocation figures are the client's; keep it so when changing it.
/// </summary>
/// <param name="body">The body of every response, sent as <c>application/json; charset=utf-8</c>; not copied.</param>
public sealed class FixedResponseHandler(byte[] body) : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }
}
