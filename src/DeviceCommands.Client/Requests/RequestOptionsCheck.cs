using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace DeviceCommands.Client.Requests;

/// <summary>
/// The request options a client of <c>DeviceCommandsClient.Create</c> (or of dependency injection) honours, checked
/// before anything is sent: Kiota's <see cref="RetryHandlerOption"/> (by the retry layer),
/// <see cref="HeadersInspectionHandlerOption"/> (both ways), <see cref="ResponseHandlerOption"/> (the raw answer handed
/// to its handler) and the client's own <see cref="ResponseSizeLimitOption"/>. Any other option (Kiota's redirect,
/// user-agent, compression, chaos options, one of the caller's own) would silently do nothing there, so it is refused
/// with an <see cref="ArgumentException"/> that names its type. A client over another adapter leaves its options to
/// that adapter's middleware.
/// </summary>
internal static class RequestOptionsCheck
{
    /// <summary>The name of the builders' parameter the options come from.</summary>
    private const string ParamName = "requestConfiguration";

    /// <summary>Throws when an option of <paramref name="request"/> cannot be honoured or holds a value out of range.</summary>
    /// <exception cref="ArgumentException">An option the client cannot honour, or a retry option with no ShouldRetry.</exception>
    public static void ThrowIfUnsupported(RequestInformation request)
    {
        // most requests carry no option: nothing to enumerate (the enumerator of Kiota's collection is boxed)
        if (request.RequestOptions is ICollection<IRequestOption> { Count: 0 })
        {
            return;
        }

        foreach (var option in request.RequestOptions)
        {
            switch (option)
            {
                case RetryHandlerOption retry:
                    Check(retry);
                    break;
                case HeadersInspectionHandlerOption or ResponseHandlerOption or ResponseSizeLimitOption:
                    break;
                default:
                    throw new ArgumentException(
                        $"The request option {option.GetType().FullName} cannot be honoured by this client, so the request was not sent. "
                        + "It honours RetryHandlerOption, HeadersInspectionHandlerOption, ResponseHandlerOption and ResponseSizeLimitOption.",
                        ParamName);
            }
        }
    }

    /// <summary>Kiota's setters refuse a negative or too large MaxRetry and Delay themselves; ShouldRetry may still be null.</summary>
    private static void Check(RetryHandlerOption retry)
    {
        if (retry.ShouldRetry is null)
        {
            throw new ArgumentException("The RetryHandlerOption's ShouldRetry is null; leave it unset for Kiota's default (429, 503, 504).", ParamName);
        }
    }
}
