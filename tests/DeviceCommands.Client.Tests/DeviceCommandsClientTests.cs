using System.Net;
using System.Text;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Tests.TestSupport;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Serialization.Json;
using RichardSzalay.MockHttp;

namespace DeviceCommands.Client.Tests;

public class DeviceCommandsClientTests
{
    [Fact]
    public void An_adapter_without_a_base_url_gets_the_graph_beta_url()
    {
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: new HttpClient());

        var client = new DeviceCommandsClient(adapter);

        Assert.Equal("https://graph.microsoft.com/beta", adapter.BaseUrl);
        Assert.Equal("https://graph.microsoft.com/beta/me/devices", client.Me.Devices.ToGetRequestInformation().URI.AbsoluteUri);
    }

    [Fact]
    public void An_adapter_with_a_base_url_keeps_it()
    {
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: new HttpClient()) { BaseUrl = "http://127.0.0.1:5080/beta" };

        var client = new DeviceCommandsClient(adapter);

        Assert.Equal("http://127.0.0.1:5080/beta/me/devices", client.Me.Devices.ToGetRequestInformation().URI.AbsoluteUri);
    }

    [Fact]
    public void The_builders_without_ids_are_made_once_per_client()
    {
        var client = TestClients.Created(new ScriptedHandler());

        Assert.Same(client.Me, client.Me);
        Assert.Same(client.Me.Devices, client.Me.Devices);
        Assert.NotSame(client.Me.Devices["a"], client.Me.Devices["a"]);
    }

    [Fact]
    public void A_null_adapter_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new DeviceCommandsClient(null!));
    }

    [Fact]
    public async Task Create_uses_the_base_url_of_the_options()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, """{"value":[]}""");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = new Uri("http://127.0.0.1:5080/beta/"), HttpMessageHandler = recorder.Handler });

        await client.Me.Devices.GetAsync();

        Assert.Equal("http://127.0.0.1:5080/beta/me/devices", recorder.Single.Uri.AbsoluteUri);
        Assert.DoesNotContain("Authorization", recorder.Single.Headers.Keys);
    }

    [Theory]
    [InlineData("ftp://example.com/beta")]
    [InlineData("relative/beta")]
    public void Create_refuses_a_base_url_that_is_not_http(string url)
    {
        var options = new DeviceCommandsClientOptions { BaseUrl = new Uri(url, UriKind.RelativeOrAbsolute) };

        Assert.Throws<ArgumentException>(() => DeviceCommandsClient.Create(null, options));
    }

    [Fact]
    public void Create_refuses_negative_retries_and_delays()
    {
        Assert.Throws<ArgumentException>(() => DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { MaxRetries = -1 }));
        Assert.Throws<ArgumentException>(() => DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { RetryDelay = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentException>(() => DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { TimeProvider = null! }));
    }

    [Fact]
    public void The_options_have_the_documented_defaults()
    {
        var options = new DeviceCommandsClientOptions();

        Assert.Equal(new Uri("https://graph.microsoft.com/beta"), options.BaseUrl);
        Assert.Null(options.HttpMessageHandler);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryDelay);
        Assert.Same(TimeProvider.System, options.TimeProvider);
    }
}

/// <summary>Kiota's process-wide registries are shared by every Kiota client in the process; ours must leave them alone.</summary>
public class ProcessWideRegistryTests
{
    [Fact]
    public async Task Using_the_client_leaves_kiotas_default_registries_exactly_as_they_were()
    {
        // a generated client elsewhere in the process registers the stock factories, as Kiota's generated code does
        ApiClientBuilder.RegisterDefaultDeserializer<JsonParseNodeFactory>();
        ApiClientBuilder.RegisterDefaultSerializer<JsonSerializationWriterFactory>();
        var parsers = ParseNodeFactoryRegistry.DefaultInstance.ContentTypeAssociatedFactories.ToArray();
        var writers = SerializationWriterFactoryRegistry.DefaultInstance.ContentTypeAssociatedFactories.ToArray();

        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, Fixture.Read("status-value-wrapper.json"));
        await TestClients.Stock(recorder.Handler).Me.Devices["d"].Commands["c"].GetAsync();
        await TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c"].GetAsync();
        await TestClients.Stock(recorder.Handler).Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")));

        Assert.Equal(parsers, ParseNodeFactoryRegistry.DefaultInstance.ContentTypeAssociatedFactories.ToArray());
        Assert.Equal(writers, SerializationWriterFactoryRegistry.DefaultInstance.ContentTypeAssociatedFactories.ToArray());
        Assert.All(parsers, p => Assert.Equal(typeof(JsonParseNodeFactory).Assembly, p.Value.GetType().Assembly));

        // and another Kiota model still reads the way stock Kiota reads: case-sensitive names, "null" as a string
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("""{"STATUS":"completed","name":"null"}"""));
        var other = (await ParseNodeFactoryRegistry.DefaultInstance.GetRootParseNodeAsync("application/json", stream))
            .GetObjectValue(OtherModel.Create);
        Assert.Null(other.Status);
        Assert.Equal("null", other.Name);
    }

    [Fact]
    public async Task A_stock_adapter_with_empty_registries_still_reads_and_writes()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.Created, """{"id":"1","status":"requesting"}""");
        var empty = new HttpClientRequestAdapter(
            new AnonymousAuthenticationProvider(),
            new ParseNodeFactoryRegistry(),
            new SerializationWriterFactoryRegistry(),
            recorder.Handler.ToHttpClient());

        var command = await new DeviceCommandsClient(empty).Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")));

        Assert.Equal("1", command?.Id);
        Assert.Contains("LaunchUri", recorder.Single.Body, StringComparison.Ordinal);
    }

    private sealed class OtherModel : IParsable
    {
        public string? Status { get; set; }

        public string? Name { get; set; }

        public static OtherModel Create(IParseNode node) => new();

        public IDictionary<string, Action<IParseNode>> GetFieldDeserializers() => new Dictionary<string, Action<IParseNode>>
        {
            ["status"] = n => Status = n.GetStringValue(),
            ["name"] = n => Name = n.GetStringValue(),
        };

        public void Serialize(ISerializationWriter writer)
        {
        }
    }
}
