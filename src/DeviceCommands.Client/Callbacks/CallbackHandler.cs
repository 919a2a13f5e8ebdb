using System.Buffers;
using System.Net;

namespace DeviceCommands.Client.Callbacks;

/// <summary>
/// The receiver's in-memory endpoint: <c>POST {base}/{key}</c> answered 202, 404 (unknown key, or a URL not under the
/// base), 400 (malformed key), 413 (a body over 64 KiB, read no further), 405 (another method).
/// </summary>
internal sealed class CallbackHandler(CommandCallbackReceiver receiver) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method != HttpMethod.Post)
        {
            return Answer(request, HttpStatusCode.MethodNotAllowed);
        }

        if (receiver.KeyOf(request.RequestUri) is not { } key)
        {
            return Answer(request, HttpStatusCode.NotFound);
        }

        var body = request.Content is null ? [] : await CallbackBodyReader.ReadAsync(request.Content, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Answer(request, HttpStatusCode.RequestEntityTooLarge);
        }

        return Answer(request, receiver.Receive(key, body) switch
        {
            CallbackReceipt.Accepted => HttpStatusCode.Accepted,
            CallbackReceipt.UnknownKey => HttpStatusCode.NotFound,
            _ => HttpStatusCode.BadRequest,
        });
    }

    private static HttpResponseMessage Answer(HttpRequestMessage request, HttpStatusCode status) =>
        new(status) { RequestMessage = request, Content = new ByteArrayContent([]) };
}
