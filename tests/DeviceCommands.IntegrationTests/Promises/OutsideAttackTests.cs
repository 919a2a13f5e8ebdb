using System.Net;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;
using DeviceCommands.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.IntegrationTests.Promises;

/// <summary>Probes from outside: promises of the README attacked at their edges.</summary>
public sealed class OutsideAttackTests
{
    // ---- DI: "validated when the host starts"
    [Theory]
    [InlineData("my app (unclosed")]
    [InlineData("caf\u00e9/1.0")]
    public void A_UserAgentSuffix_that_cannot_work_stops_the_host_when_it_starts(string suffix)
    {
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(credential: null, configure: o => o.UserAgentSuffix = suffix);
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [Theory]
    [InlineData("my app (unclosed")]
    [InlineData("caf\u00e9/1.0")]
    public void Create_refuses_a_UserAgentSuffix_that_cannot_work_with_an_ArgumentException(string suffix)
    {
        var error = Record.Exception(() => DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { UserAgentSuffix = suffix }));
        Assert.IsAssignableFrom<ArgumentException>(error);
    }

    [Fact]
    public async Task A_UserAgentSuffix_with_a_folded_line_break_never_reaches_the_wire()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(RawStep.Respond(200, Promise.Requesting));
        DeviceCommandsClient client;
        try
        {
            client = Promise.Client(server, configure: o => o.UserAgentSuffix = "a/1\r\n X-Injected: 1");
        }
        catch (ArgumentException)
        {
            return; // refused up front: fine
        }

        var (error, _) = await Promise.TimeAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());
        Assert.IsAssignableFrom<ApiException>(error);
        Assert.Equal(0, server.ConnectionsAccepted);
    }

    // ---- errors: "every failure of a request is an ApiException"
    [Theory]
    [InlineData("ftp://127.0.0.1/beta/me/devices")]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a url")]
    [InlineData("/beta/me/devices")]
    public async Task A_raw_url_the_client_cannot_send_fails_as_an_ApiException(string url)
    {
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = new Uri("http://127.0.0.1:9/beta") });

        var (error, _) = await Promise.TimeAsync(() => client.Me.Devices.WithUrl(url).GetAsync());

        Assert.IsAssignableFrom<ApiException>(error);
    }

    // ---- messages: "the status said once"
    [Theory]
    [InlineData("See HTTP 4040 for details")]
    [InlineData("Proxy said HTTP 40")]
    public async Task The_status_is_said_in_the_message_even_when_the_service_text_holds_a_longer_number(string text)
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(RawStep.Respond(404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"" + text + "\"}}"));
        var client = Promise.Client(server);

        var (error, _) = await Promise.TimeAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Contains("(HTTP 404).", Assert.IsType<ODataError>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hosts_HttpClient_defaults_handlers_are_left_out_of_the_clients_HttpClient()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(RawStep.Respond(200, Promise.Requesting));
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new HeaderAddingHandler("X-Tenant", "a\r\nX-Injected: 1")));
        services.AddDeviceCommandsClient(credential: null, configure: o => o.BaseUrl = server.BaseUrl);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DeviceCommandsClient>();

        var command = await client.Me.Devices["d"].Commands["c"].GetAsync();

        Assert.Equal(ActionStatus.Requesting, command!.Status);
        Assert.All(server.Requests, r => Assert.Null(r.Header("X-Tenant")));
    }

    [Fact]
    public async Task A_header_with_CR_LF_put_on_by_a_handler_added_to_the_registration_is_refused_before_any_connection()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(RawStep.Respond(200, Promise.Requesting));
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(credential: null, configure: o => o.BaseUrl = server.BaseUrl)
            .AddHttpMessageHandler(() => new HeaderAddingHandler("X-Tenant", "a\r\nX-Injected: 1"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DeviceCommandsClient>();

        var (error, _) = await Promise.TimeAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        Assert.IsAssignableFrom<ApiException>(error);
        Assert.Equal(0, server.ConnectionsAccepted);
    }

    // ---- DI: "a POST is sent again only after a 429", on a host whose HttpClient defaults add a retry (as Aspire's service defaults do)
    [Fact]
    public async Task A_POST_answered_503_is_sent_once_even_when_the_hosts_HttpClient_defaults_add_a_retrying_handler()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(RawStep.Respond(503, Promise.ODataErrorBody, "application/json", ("Retry-After", "0")));
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new RetryOnceOn5xxHandler()));
        services.AddDeviceCommandsClient(credential: null, configure: o => { o.BaseUrl = server.BaseUrl; o.RetryDelay = TimeSpan.Zero; });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DeviceCommandsClient>();

        var (error, _) = await Promise.TimeAsync(() => client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com"))));

        Assert.Equal(503, Assert.IsType<ODataError>(error).ResponseStatusCode);
        Assert.Equal(1, server.Count("POST"));
    }

    // ---- Testing your code: "the same test gives the same polls, statuses and elapsed times on every run"
    [Fact]
    public async Task The_same_in_memory_test_with_seeded_503s_gives_the_same_requests_at_the_same_virtual_times_on_every_run()
    {
        var first = await RunWithFaultsAsync();
        for (var run = 0; run < 3; run++)
        {
            Assert.Equal(first, await RunWithFaultsAsync());
        }

        Assert.Contains("=503", first, StringComparison.Ordinal); // the faults were there, and retries backed off
    }

    private static async Task<string> RunWithFaultsAsync()
    {
        var clock = new VirtualClock();
        await using var emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions
        {
            TimeProvider = clock,
            StepDelay = TimeSpan.FromMinutes(5),
            UnavailableRate = 0.3,
            Seed = 7,
        });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            BaseUrl = emulator.BaseUrl,
            HttpMessageHandler = emulator.CreateHandler(),
            TimeProvider = clock,
            RetryJitterSeed = 5,
        });

        var result = await clock.RunAsync(() => client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(
            Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { JitterSeed = 42, Timeout = TimeSpan.FromHours(1) }));
        var times = string.Join(",", emulator.GetRequests().Select(r => $"{r.Method}@{(r.ReceivedAt - VirtualClock.DefaultStart).TotalMilliseconds}={r.StatusCode}"));
        return $"{result.Status} {result.Polls} {result.Elapsed} {times}";
    }

    private sealed class RetryOnceOn5xxHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if ((int)response.StatusCode < 500)
            {
                return response;
            }

            response.Dispose();
            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class HeaderAddingHandler(string name, string value) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation(name, value);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
