using System.Diagnostics;
using System.Net;
using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace DeviceCommands.Client.Tests;

/// <summary>
/// The message the adapter of <see cref="DeviceCommandsClient.Create"/> makes from a request is the one Kiota's own
/// adapter makes: the method, the version of the client, the URL, the headers (a body's on its content), and every
/// request option of the caller's in the message's options, where handlers find them (Kiota's <see cref="ObservabilityOptions"/>
/// too, while something listens to Kiota's tracing), but not the client's own response reader.
/// </summary>
public class ClientAdapterTests
{
    [Fact]
    public async Task A_GET_carries_its_method_version_url_headers_and_every_request_option()
    {
        var transport = new Capture();
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = transport });
        var inspection = new HeadersInspectionHandlerOption { InspectRequestHeaders = true };

        await client.Me.Devices["d1"].Commands["c1"].GetAsync(c => c.Options.Add(inspection));

        Assert.Equal(HttpMethod.Get, transport.Method);
        Assert.Equal(HttpVersion.Version20, transport.Version);
        Assert.Equal(HttpVersionPolicy.RequestVersionOrLower, transport.VersionPolicy);
        Assert.Equal("https://graph.microsoft.com/beta/me/devices/d1/commands/c1", transport.Url);
        Assert.Equal(["application/json"], transport.RequestHeaders["Accept"]);
        Assert.Same(inspection, transport.Options[typeof(HeadersInspectionHandlerOption).FullName!]);
    }

    [Fact]
    public async Task The_clients_own_reader_and_Kiotas_tracing_options_stay_out_of_the_message_when_nothing_listens()
    {
        var transport = new Capture();
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = transport });

        var command = await client.Me.Devices["d1"].Commands["c1"].GetAsync();

        Assert.Equal("c1", command?.Id);
        Assert.False(transport.HadOptions);
        Assert.Empty(transport.Options);
    }

    [Fact]
    public async Task The_clients_own_reader_is_handed_to_the_adapter_not_put_on_the_request()
    {
        var transport = new Capture();
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = transport });
        var request = client.Me.Devices["d1"].Commands["c1"].ToGetRequestInformation();

        var command = await DeviceCommands.Client.Requests.RequestSender.SendAsync(client.Me.Devices["d1"].Adapter, request, Command.CreateFromDiscriminatorValue, CancellationToken.None);

        Assert.Equal("c1", command?.Id);
        Assert.Empty(request.RequestOptions);
    }

    [Fact]
    public async Task A_callers_response_handler_option_is_in_the_message_options()
    {
        var transport = new Capture();
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = transport });
        var option = new ResponseHandlerOption { ResponseHandler = new NativeResponseHandler() };

        await client.Me.Devices["d1"].Commands["c1"].GetAsync(c => c.Options.Add(option));

        Assert.True(transport.HadOptions);
        Assert.Same(option, transport.Options[typeof(ResponseHandlerOption).FullName!]);
    }

    [Fact]
    public async Task Kiotas_observability_options_are_in_the_message_while_something_listens_to_Kiotas_tracing()
    {
        Assert.Equal(DeviceCommands.Client.Diagnostics.KiotaTracing.Name, new ObservabilityOptions().TracerInstrumentationName);
        var transport = new Capture();
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = transport });
        using (var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DeviceCommands.Client.Diagnostics.KiotaTracing.Name,
            Sample = (ref _) => ActivitySamplingResult.None,
        })
        {
            ActivitySource.AddActivityListener(listener);

            await client.Me.Devices["d1"].Commands["c1"].GetAsync();

            Assert.IsType<ObservabilityOptions>(transport.Options[typeof(ObservabilityOptions).FullName!]);
        }

        await client.Me.Devices["d1"].Commands["c1"].GetAsync();

        Assert.Empty(transport.Options);
    }

    [Fact]
    public async Task A_POST_carries_its_body_with_its_content_type_on_the_content()
    {
        var transport = new Capture();
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = transport });

        await client.Me.Devices["d1"].Commands.PostAsync(Command.LaunchUri(new Uri("https://example.com/")));

        Assert.Equal(HttpMethod.Post, transport.Method);
        Assert.Equal("application/json", transport.ContentType);
        Assert.Contains("\"type\":\"LaunchUri\"", transport.Body, StringComparison.Ordinal);
        Assert.False(transport.RequestHeaders.ContainsKey("Content-Type"));
    }

    [Fact]
    public async Task A_header_of_several_values_carries_them_all_and_a_content_header_goes_on_the_content()
    {
        var transport = new Capture();
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = transport });

        await client.Me.Devices["d1"].Commands.PostAsync(Command.LaunchUri(new Uri("https://example.com/")), c =>
        {
            c.Headers.Add("x-many", "a", "b");
            c.Headers.Add("Content-Language", "en", "fr");
        });

        Assert.Equal(["a", "b"], transport.RequestHeaders["x-many"]);
        Assert.Equal(["en", "fr"], transport.ContentHeaders["Content-Language"]);
        Assert.False(transport.RequestHeaders.ContainsKey("Content-Language"));
    }

    [Fact]
    public async Task A_response_handler_that_throws_at_once_fails_the_task_rather_than_the_call()
    {
        var transport = new Capture();
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = transport });
        var option = new ResponseHandlerOption { ResponseHandler = new ThrowingHandler() };

        var pending = client.Me.Devices["d1"].Commands["c1"].GetAsync(c => c.Options.Add(option));

        Assert.True(pending.IsFaulted);
        await Assert.ThrowsAsync<InvalidDataException>(() => pending);
    }

    /// <summary>A response handler that throws before it returns a task.</summary>
    private sealed class ThrowingHandler : IResponseHandler
    {
        public Task<TModelType?> HandleResponseAsync<NativeResponseType, TModelType>(NativeResponseType response, Dictionary<string, Microsoft.Kiota.Abstractions.Serialization.ParsableFactory<Microsoft.Kiota.Abstractions.Serialization.IParsable>>? errorMappings) =>
            throw new InvalidDataException("thrown at once");
    }

    /// <summary>The transport: notes what a request carries, answers 200 with an empty command.</summary>
    private sealed class Capture : HttpMessageHandler
    {
        public HttpMethod? Method { get; private set; }

        public Version? Version { get; private set; }

        public HttpVersionPolicy VersionPolicy { get; private set; }

        public string? Url { get; private set; }

        public Dictionary<string, string[]> RequestHeaders { get; } = [];

        public Dictionary<string, string[]> ContentHeaders { get; } = [];

        public Dictionary<string, object?> Options { get; } = [];

        public string? ContentType { get; private set; }

        public string Body { get; private set; } = "";

        public bool HadOptions { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HadOptions = Assert.IsType<DeviceCommands.Client.Http.ClientRequestMessage>(request).HasOptions;
            Options.Clear();
            (Method, Version, VersionPolicy, Url) = (request.Method, request.Version, request.VersionPolicy, request.RequestUri?.AbsoluteUri);
            foreach (var (name, values) in request.Headers.NonValidated)
            {
                RequestHeaders[name] = [.. values];
            }

            foreach (var (key, value) in request.Options)
            {
                Options[key] = value;
            }

            if (request.Content is { } content)
            {
                ContentType = content.Headers.ContentType?.MediaType;
                foreach (var (name, values) in content.Headers.NonValidated)
                {
                    ContentHeaders[name] = [.. values];
                }

                Body = await content.ReadAsStringAsync(cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"id":"c1","status":"completed"}""") };
        }
    }
}
