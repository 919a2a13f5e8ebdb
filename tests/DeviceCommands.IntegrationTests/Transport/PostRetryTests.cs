using Microsoft.Kiota.Abstractions;
using System.Net.Http;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.TestSupport;

namespace DeviceCommands.IntegrationTests.Transport;

/// <summary>
/// A POST is sent again only when a 429 answered that POST. A redirect's follow-up request may be retried
/// by its own method's rule; the POST before it never is.
/// </summary>
public sealed class PostRetryTests
{
    private static Task<Command?> Post(DeviceCommandsClient client) =>
        client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")));

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    public async Task A_POST_redirected_to_a_GET_that_is_throttled_is_sent_once_and_only_the_GET_is_retried(int redirect)
    {
        await using var server = RawHttpServer.Start();
        server.Enqueue(
            Reply.Redirect(redirect, "/beta/me/devices/d/commands/c"),
            Reply.Respond(429, Answers.ODataErrorBody, "application/json", ("Retry-After", "0")),
            Reply.Respond(200, Answers.Requesting));
        var client = TestClients.Loopback(server);

        var command = await Post(client);

        Assert.Equal("c", command?.Id);
        Assert.Equal(["POST", "GET", "GET"], server.Requests.Select(r => r.Method));
        Assert.Equal(1, server.Count("POST"));
        Assert.All(server.Requests.Skip(1), r => Assert.Equal("/beta/me/devices/d/commands/c", r.Target));
        Assert.All(server.Requests.Skip(1), r => Assert.Equal(0, r.Body.Length));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_POST_answered_with_a_transient_status_other_than_429_is_sent_once(int status)
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(status, Answers.ODataErrorBody, "application/json", ("Retry-After", "0")));
        var client = TestClients.Loopback(server);

        var (error, _) = await Timed.RunAsync(() => Post(client));

        var odata = Assert.IsType<ODataError>(error);
        Assert.Equal(status, odata.ResponseStatusCode);
        Assert.Equal(1, server.Count("POST"));
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("close")]
    [InlineData("half-body")]
    [InlineData("attempt-timeout")]
    public async Task A_POST_that_fails_on_the_network_or_times_out_is_sent_once(string failure)
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(failure switch
        {
            "reset" => Reply.Reset(),
            "close" => Reply.CloseWithoutAnswer(),
            "half-body" => Reply.HalfBody(201, Answers.Requesting, 5, HalfBodyEnd.Close),
            _ => Reply.Silence(),
        });
        // only the silent answer may time out: on a starved 2-core machine even a reset can take longer than 500 ms to arrive
        var client = TestClients.Loopback(server, configure: o => o.AttemptTimeout = failure == "attempt-timeout" ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(10));

        var (error, _) = await Timed.RunAsync(() => Post(client));

        if (failure == "attempt-timeout")
        {
            Assert.IsType<TimeoutException>(Assert.IsType<ApiException>(error).InnerException);
        }
        else
        {
            Assert.IsAssignableFrom<HttpRequestException>(Assert.IsType<ApiException>(error).InnerException);
        }

        await Task.Delay(200); // nothing late either
        Assert.Equal(1, server.Count("POST"));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_POST_answered_429_is_sent_again_with_the_same_body_and_request_id()
    {
        await using var server = RawHttpServer.Start();
        server.Enqueue(
            Reply.Respond(429, Answers.ODataErrorBody, "application/json", ("Retry-After", "0")),
            Reply.Respond(201, Answers.Requesting));
        var client = TestClients.Loopback(server);

        var command = await Post(client);

        Assert.Equal("c", command?.Id);
        var posts = server.Requests;
        Assert.Equal(["POST", "POST"], posts.Select(r => r.Method));
        Assert.Equal(posts[0].BodyText, posts[1].BodyText);
        Assert.Contains("LaunchUri", posts[0].BodyText, StringComparison.Ordinal);
        Assert.NotNull(posts[0].Header("client-request-id"));
        Assert.Equal(posts[0].Header("client-request-id"), posts[1].Header("client-request-id"));
    }

    [Fact]
    public async Task A_POST_always_answered_429_is_sent_MaxRetries_plus_one_times_and_ends_with_the_429()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(429, Answers.ODataErrorBody, "application/json", ("Retry-After", "0")));
        var client = TestClients.Loopback(server, configure: o => o.MaxRetries = 2);

        var (error, _) = await Timed.RunAsync(() => Post(client));

        Assert.Equal(429, Assert.IsType<ODataError>(error).ResponseStatusCode);
        Assert.Equal(3, server.Count("POST"));
    }

    [Theory]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_POST_redirected_with_307_or_308_is_sent_once_more_to_the_new_location_with_its_body(int redirect)
    {
        await using var server = RawHttpServer.Start();
        server.Enqueue(Reply.Redirect(redirect, "/beta/elsewhere/commands"), Reply.Respond(201, Answers.Requesting));
        var client = TestClients.Loopback(server);

        var command = await Post(client);

        Assert.Equal("c", command?.Id);
        var requests = server.Requests;
        Assert.Equal(["POST", "POST"], requests.Select(r => r.Method));
        Assert.Equal("/beta/me/devices/d/commands", requests[0].Target);
        Assert.Equal("/beta/elsewhere/commands", requests[1].Target);
        Assert.Equal(requests[0].BodyText, requests[1].BodyText);
        // the follow-up is the same logical request: it keeps its client-request-id
        Assert.Equal(requests[0].Header("client-request-id"), requests[1].Header("client-request-id"));
    }

    [Theory]
    [InlineData(503, 2)] // the follow-up POST is not retried either
    [InlineData(429, 3)] // the follow-up POST was not taken: it is sent again, with its body
    public async Task A_POST_redirected_with_307_follows_the_POST_rules_at_the_new_location(int followUpStatus, int expectedPosts)
    {
        await using var server = RawHttpServer.Start();
        server.Enqueue(
            Reply.Redirect(307, "/beta/elsewhere/commands"),
            Reply.Respond(followUpStatus, Answers.ODataErrorBody, "application/json", ("Retry-After", "0")));
        server.Otherwise(Reply.Respond(201, Answers.Requesting));
        var client = TestClients.Loopback(server);

        var (error, _) = await Timed.RunAsync(() => Post(client));

        Assert.Equal(expectedPosts, server.Count("POST"));
        Assert.Equal(1, server.Requests.Count(r => r.Target == "/beta/me/devices/d/commands"));
        Assert.All(server.Requests, r => Assert.Equal(server.Requests[0].BodyText, r.BodyText));
        if (followUpStatus == 429)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Equal(followUpStatus, Assert.IsType<ODataError>(error).ResponseStatusCode);
        }
    }
}
