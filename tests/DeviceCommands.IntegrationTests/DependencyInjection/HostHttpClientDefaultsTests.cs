using System.Net;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;
using DeviceCommands.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.IntegrationTests.DependencyInjection;

/// <summary>A host's HttpClient defaults (as Aspire's service defaults add) stay out of the client's HttpClient; handlers added to the registration still pass the header checks.</summary>
public sealed class HostHttpClientDefaultsTests
{
    [Fact]
    public async Task A_hosts_HttpClient_defaults_handlers_are_left_out_of_the_clients_HttpClient()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(200, Answers.Requesting));
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
        server.Otherwise(Reply.Respond(200, Answers.Requesting));
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(credential: null, configure: o => o.BaseUrl = server.BaseUrl)
            .AddHttpMessageHandler(() => new HeaderAddingHandler("X-Tenant", "a\r\nX-Injected: 1"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DeviceCommandsClient>();

        var (error, _) = await Timed.RunAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        Assert.IsAssignableFrom<ApiException>(error);
        Assert.Equal(0, server.ConnectionsAccepted);
    }

    // ---- DI: "a POST is sent again only after a 429", on a host whose HttpClient defaults add a retry (as Aspire's service defaults do)
    [Fact]
    public async Task A_POST_answered_503_is_sent_once_even_when_the_hosts_HttpClient_defaults_add_a_retrying_handler()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(503, Answers.ODataErrorBody, "application/json", ("Retry-After", "0")));
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new RetryOnceOn5xxHandler()));
        services.AddDeviceCommandsClient(credential: null, configure: o => { o.BaseUrl = server.BaseUrl; o.RetryDelay = TimeSpan.Zero; });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DeviceCommandsClient>();

        var (error, _) = await Timed.RunAsync(() => client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com"))));

        Assert.Equal(503, Assert.IsType<ODataError>(error).ResponseStatusCode);
        Assert.Equal(1, server.Count("POST"));
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
