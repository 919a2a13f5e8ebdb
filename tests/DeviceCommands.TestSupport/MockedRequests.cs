using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace DeviceCommands.TestSupport;

/// <summary>
/// What a mocked builder method (Moq, NSubstitute, FakeItEasy, a subclass) can do with the request configuration it is
/// given, as a real adapter would: run it, and answer the response headers a caller asked to inspect.
/// </summary>
public static class MockedRequests
{
    /// <summary>Runs a builder method's configuration action on a fresh configuration, as the builder does.</summary>
    /// <param name="configure">The action the method was called with; null gives an empty configuration.</param>
    /// <returns>The configuration the action filled in.</returns>
    public static RequestConfiguration<DefaultQueryParameters> Configure(Action<RequestConfiguration<DefaultQueryParameters>>? configure)
    {
        var configuration = new RequestConfiguration<DefaultQueryParameters>();
        configure?.Invoke(configuration);
        return configuration;
    }

    /// <summary>
    /// Answers response headers the way a real adapter does: into every <see cref="HeadersInspectionHandlerOption"/>
    /// the configuration action added that inspects response headers.
    /// </summary>
    /// <param name="configure">The action the method was called with.</param>
    /// <param name="headers">The headers to answer.</param>
    /// <returns>How many options received them (0 when the caller asked for none).</returns>
    public static int AnswerHeaders(Action<RequestConfiguration<DefaultQueryParameters>>? configure, params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var answered = 0;
        foreach (var option in Configure(configure).Options.OfType<HeadersInspectionHandlerOption>().Where(o => o.InspectResponseHeaders))
        {
            foreach (var (name, value) in headers)
            {
                option.ResponseHeaders.Add(name, value);
            }

            answered++;
        }

        return answered;
    }
}
