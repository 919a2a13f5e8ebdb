using System.Net;
using DeviceCommands.TestSupport;

namespace DeviceCommands.IntegrationTests.RawSocket;

/// <summary>The raw server runs the same step model as the in-process handler: matchers with counts, response replies, and it refuses in-process replies.</summary>
public sealed class RawHttpServerStepTests
{
    [Fact]
    public async Task A_counted_rule_on_a_path_pattern_answers_that_many_times_then_the_fallback_answers()
    {
        await using var server = RawHttpServer.Start();
        server.When(RequestMatcher.Get("/beta/me/devices/*/commands/c1").WithQuery("a", "b c"), Reply.Respond(429, "{}").WithRetryAfter(TimeSpan.FromSeconds(3)), times: 2)
            .Otherwise(Reply.Respond(200, "done"));
        using var client = new HttpClient();
        var url = new Uri($"{server.BaseUrl}/me/devices/pc/commands/c1?a=b%20c");

        using HttpResponseMessage first = await client.GetAsync(url, CancellationToken.None);
        using HttpResponseMessage second = await client.GetAsync(url, CancellationToken.None);
        using HttpResponseMessage third = await client.GetAsync(url, CancellationToken.None);

        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], [first.StatusCode, second.StatusCode, third.StatusCode]);
        Assert.Equal(TimeSpan.FromSeconds(3), first.Headers.RetryAfter?.Delta);
        Assert.Empty(server.Faults);
    }

    [Fact]
    public async Task The_raw_server_refuses_an_in_process_reply_saying_what_to_use_on_the_wire()
    {
        await using var server = RawHttpServer.Start();

        var error = Assert.Throws<ArgumentException>(() => server.Enqueue(Reply.Throw(new HttpRequestException("x"))));

        Assert.Contains("Reply.Reset()", error.Message, StringComparison.Ordinal);
    }
}
