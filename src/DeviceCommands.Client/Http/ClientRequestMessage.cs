using Microsoft.Kiota.Http.HttpClientLibrary.Extensions;

namespace DeviceCommands.Client.Http;

/// <summary>
/// The message the client's adapter makes for a request (<see cref="ClientAdapter"/>). It says whether the adapter put
/// anything in the message's <see cref="HttpRequestMessage.Options"/>: reading that property makes its dictionary, so
/// the client's handlers ask <see cref="OptionOf{T}"/>, which does not touch it when nothing was put there.
/// </summary>
internal sealed class ClientRequestMessage(HttpMethod method, Uri? requestUri) : HttpRequestMessage(method, requestUri)
{
    /// <summary>Whether the adapter put a request option in the message's options (false: they are empty).</summary>
    public bool HasOptions { get; private set; }

    /// <summary>Puts <paramref name="value"/> in the message's options under <paramref name="key"/>, as Kiota's adapter does.</summary>
    public void SetOption<T>(string key, T value)
    {
        Options.Set(new HttpRequestOptionsKey<T>(key), value);
        HasOptions = true;
    }

    /// <summary>
    /// The request option of type <typeparamref name="T"/> in <paramref name="request"/>'s options, as Kiota's
    /// <c>GetRequestOption</c> finds it; null, without making the options' dictionary, for a message of the client's
    /// adapter that carries none.
    /// </summary>
    public static T? OptionOf<T>(HttpRequestMessage request)
        where T : class, Microsoft.Kiota.Abstractions.IRequestOption =>
        request is ClientRequestMessage { HasOptions: false } ? null : request.GetRequestOption<T>();
}
