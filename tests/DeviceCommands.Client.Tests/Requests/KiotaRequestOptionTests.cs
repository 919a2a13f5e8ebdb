using System.Net;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace DeviceCommands.Client.Tests.Requests;

/// <summary>
/// The Kiota request options a Graph SDK user passes per request are honoured by a client of <c>Create</c> (retry,
/// headers inspection both ways, the raw response), and any other option is refused before anything is sent.
/// </summary>
public class KiotaRequestOptionTests
{
    private const string Busy = """{"error":{"code":"Busy","message":"try later"}}""";

    private readonly VirtualClock _clock = new();
    private readonly ScriptedHandler _handler;

    public KiotaRequestOptionTests() => _handler = new ScriptedHandler(_clock);

    private DeviceCommandsClient Client(FakeCredential? credential = null) =>
        DeviceCommandsClient.Create(credential, new DeviceCommandsClientOptions { HttpMessageHandler = _handler, TimeProvider = _clock, MaxRetries = 3, RetryJitterSeed = 7 });

    [Fact]
    public async Task MaxRetry_0_makes_one_attempt_where_the_client_would_make_four()
    {
        _handler.Always(HttpStatusCode.ServiceUnavailable, Busy);
        var client = Client();

        await Assert.ThrowsAsync<ODataError>(() => _clock.RunAsync(() => client.Me.Devices.GetAsync(c => c.Options.Add(new RetryHandlerOption { MaxRetry = 0 }))));
        Assert.Single(_handler.Requests);

        await Assert.ThrowsAsync<ODataError>(() => _clock.RunAsync(() => client.Me.Devices.GetAsync()));
        Assert.Equal(1 + 4, _handler.Requests.Count);
    }

    [Fact]
    public async Task MaxRetry_bounds_the_attempts_and_Delay_is_the_backoffs_base_in_seconds()
    {
        _handler.Always(HttpStatusCode.ServiceUnavailable, Busy);

        await Assert.ThrowsAsync<ODataError>(() => _clock.RunAsync(() =>
            Client().Me.Devices.GetAsync(c => c.Options.Add(new RetryHandlerOption { MaxRetry = 2, Delay = 10 }))));

        var times = _handler.Requests.Select(r => r.At).ToArray();
        Assert.Equal(3, times.Length);
        Assert.InRange((times[1] - times[0]).TotalSeconds, 8, 12);
        Assert.InRange((times[2] - times[1]).TotalSeconds, 16, 24);
    }

    [Fact]
    public async Task RetriesTimeLimit_ends_the_retries_before_a_delay_past_it()
    {
        _handler.Always(HttpStatusCode.ServiceUnavailable, Busy);

        await Assert.ThrowsAsync<ODataError>(() => _clock.RunAsync(() =>
            Client().Me.Devices.GetAsync(c => c.Options.Add(new RetryHandlerOption { MaxRetry = 5, Delay = 10, RetriesTimeLimit = TimeSpan.FromSeconds(15) }))));

        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public async Task ShouldRetry_decides_which_answers_to_a_GET_are_sent_again_with_Kiotas_arguments()
    {
        _handler.Answer(HttpStatusCode.NotFound, Busy).Answer(HttpStatusCode.NotFound, Busy).Always(HttpStatusCode.OK, """{"value":[]}""");
        var calls = new List<(int Delay, int Attempt, int Status)>();
        var option = new RetryHandlerOption { Delay = 0, ShouldRetry = (delay, attempt, response) => { calls.Add((delay, attempt, (int)response.StatusCode)); return response.StatusCode == HttpStatusCode.NotFound; } };

        var devices = await _clock.RunAsync(() => Client().Me.Devices.GetAsync(c => c.Options.Add(option)));

        Assert.NotNull(devices);
        Assert.Equal(3, _handler.Requests.Count);
        Assert.Equal([(0, 0, 404), (0, 1, 404), (0, 2, 200)], calls);
    }

    [Fact]
    public async Task ShouldRetry_returning_false_sends_nothing_again()
    {
        _handler.Always(HttpStatusCode.ServiceUnavailable, Busy);

        await Assert.ThrowsAsync<ODataError>(() => _clock.RunAsync(() =>
            Client().Me.Devices.GetAsync(c => c.Options.Add(new RetryHandlerOption { ShouldRetry = (_, _, _) => false }))));

        Assert.Single(_handler.Requests);
    }

    [Theory]
    [InlineData(503, 1)]
    [InlineData(500, 1)]
    [InlineData(429, 2)]
    public async Task A_POST_is_sent_again_only_after_its_own_429_whatever_ShouldRetry_says(int status, int attempts)
    {
        _handler.Answer((HttpStatusCode)status, Busy).Always(HttpStatusCode.Created, """{"id":"c1","status":"requesting"}""");
        var option = new RetryHandlerOption { MaxRetry = 3, Delay = 0, ShouldRetry = (_, _, _) => true };

        try
        {
            await _clock.RunAsync(() => Client().Me.Devices["d1"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")), c => c.Options.Add(option)));
        }
        catch (ODataError e)
        {
            Assert.Equal(status, e.ResponseStatusCode);
        }

        Assert.Equal(attempts, _handler.Requests.Count(r => r.Method == HttpMethod.Post));
    }

    [Fact]
    public async Task Headers_inspection_fills_the_request_headers_as_sent_and_the_response_headers()
    {
        _handler.Always(HttpStatusCode.OK, """{"value":[]}""", r => r.Headers.TryAddWithoutValidation("request-id", "r-42"));
        var option = new HeadersInspectionHandlerOption { InspectRequestHeaders = true, InspectResponseHeaders = true };

        await Client(new FakeCredential()).Me.Devices.GetAsync(c => { c.Options.Add(option); c.Headers.Add("ConsistencyLevel", "eventual"); });

        Assert.Equal(["eventual"], option.RequestHeaders["ConsistencyLevel"]);
        Assert.Equal(["Bearer " + FakeCredential.Token], option.RequestHeaders["Authorization"]);
        Assert.StartsWith("DeviceCommands.Client/", Assert.Single(option.RequestHeaders["User-Agent"]), StringComparison.Ordinal);
        Assert.Equal(["r-42"], option.ResponseHeaders["request-id"]);
        Assert.Contains("application/json", Assert.Single(option.ResponseHeaders["Content-Type"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headers_inspection_holds_the_last_attempts_answer_not_a_retried_ones()
    {
        _handler.Answer(HttpStatusCode.ServiceUnavailable, Busy, ("Retry-After", "7")).Always(HttpStatusCode.OK, """{"value":[]}""");
        var option = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };

        await _clock.RunAsync(() => Client().Me.Devices.GetAsync(c => c.Options.Add(option)));

        Assert.Equal(2, _handler.Requests.Count);
        Assert.False(option.ResponseHeaders.ContainsKey("Retry-After"));
        Assert.True(option.ResponseHeaders.ContainsKey("Content-Type"));
    }

    [Fact]
    public async Task A_response_handler_gets_the_raw_answer_as_Kiota_hands_it()
    {
        _handler.Always(HttpStatusCode.NotFound, Busy);
        var native = new NativeResponseHandler();

        var result = await Client().Me.Devices.GetAsync(c => c.Options.Add(new ResponseHandlerOption { ResponseHandler = native }));

        Assert.Null(result);
        var response = Assert.IsType<HttpResponseMessage>(native.Value);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(Busy, await response.Content.ReadAsStringAsync());
        Assert.NotNull(native.ErrorMappings);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task A_response_handler_sees_the_answers_content_headers()
    {
        _handler.Always(HttpStatusCode.OK, """{"value":[]}""");
        var native = new NativeResponseHandler();

        await Client().Me.Devices.GetAsync(c => c.Options.Add(new ResponseHandlerOption { ResponseHandler = native }));

        var response = Assert.IsType<HttpResponseMessage>(native.Value);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(12, response.Content.Headers.ContentLength);
    }

    public static TheoryData<string> Unhonoured => ["redirect", "user-agent", "parameters-decoding", "own"];

    [Theory]
    [MemberData(nameof(Unhonoured))]
    public async Task An_option_the_client_cannot_honour_is_refused_before_anything_is_sent(string kind)
    {
        _handler.Always(HttpStatusCode.OK, """{"value":[]}""");
        IRequestOption option = kind switch
        {
            "redirect" => new RedirectHandlerOption { MaxRedirect = 0 },
            "user-agent" => new UserAgentHandlerOption { Enabled = false },
            "parameters-decoding" => new ParametersNameDecodingOption(),
            _ => new OwnOption(),
        };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Client().Me.Devices.GetAsync(c => c.Options.Add(option)));

        Assert.Contains(option.GetType().FullName!, error.Message, StringComparison.Ordinal);
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task A_retry_option_without_ShouldRetry_is_refused_before_anything_is_sent()
    {
        _handler.Always(HttpStatusCode.OK, """{"value":[]}""");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Client().Me.Devices.GetAsync(c => c.Options.Add(new RetryHandlerOption { ShouldRetry = null! })));

        Assert.Contains("ShouldRetry", error.Message, StringComparison.Ordinal);
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task A_client_over_another_adapter_leaves_its_options_to_that_adapters_middleware()
    {
        _handler.Always(HttpStatusCode.OK, """{"value":[]}""");

        await TestClients.Stock(_handler).Me.Devices.GetAsync(c => c.Options.Add(new OwnOption()));

        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task MaxRetry_0_is_honoured_by_a_client_from_dependency_injection()
    {
        _handler.Always(HttpStatusCode.ServiceUnavailable, Busy);
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(credential: null, configure: o => { o.HttpMessageHandler = _handler; o.TimeProvider = _clock; });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DeviceCommandsClient>();

        await Assert.ThrowsAsync<ODataError>(() => _clock.RunAsync(() => client.Me.Devices.GetAsync(c => c.Options.Add(new RetryHandlerOption { MaxRetry = 0 }))));

        Assert.Single(_handler.Requests);
    }

    private sealed class OwnOption : IRequestOption;
}
