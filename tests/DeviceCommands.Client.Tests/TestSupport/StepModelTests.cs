using System.Net;
using DeviceCommands.TestSupport;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>The step model the in-process <see cref="ScriptedHandler"/> shares with the raw-socket server: matchers, replies, counts.</summary>
public sealed class StepModelTests
{
    private static async Task<HttpResponseMessage> Send(ScriptedHandler handler, HttpMethod method, string url, params (string Name, string Value)[] headers)
    {
        using var client = new HttpClient(handler, disposeHandler: false);
        using var request = new HttpRequestMessage(method, url);
        foreach ((string name, string value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request, CancellationToken.None);
    }

    [Fact]
    public async Task Matching_rules_answer_before_the_queue_and_a_counted_rule_stops_after_its_count()
    {
        using var handler = new ScriptedHandler()
            .When(RequestMatcher.Get("/beta/me/devices/*/commands/c1"), Reply.Respond(503, "{}").WithRetryAfter(TimeSpan.FromSeconds(1.5)), times: 1)
            .Enqueue(Reply.Respond(200, ScriptedHandler.Body("completed", "c1")));

        using HttpResponseMessage first = await Send(handler, HttpMethod.Get, "https://h/beta/me/devices/pc/commands/c1");
        using HttpResponseMessage second = await Send(handler, HttpMethod.Get, "https://h/beta/me/devices/pc/commands/c1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("2", first.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task A_matcher_checks_method_path_query_and_header_together()
    {
        RequestMatcher matcher = RequestMatcher.Get("/beta/me/devices").WithQuery("$top", "5").WithHeader("ConsistencyLevel", "eventual");
        using var handler = new ScriptedHandler().When(matcher, Reply.Respond(200, """{"value":[]}""")).Otherwise(Reply.Respond(404, null));

        using HttpResponseMessage all = await Send(handler, HttpMethod.Get, "https://h/beta/me/devices?%24top=5", ("ConsistencyLevel", "eventual"));
        using HttpResponseMessage noHeader = await Send(handler, HttpMethod.Get, "https://h/beta/me/devices?%24top=5");
        using HttpResponseMessage otherQuery = await Send(handler, HttpMethod.Get, "https://h/beta/me/devices?%24top=6", ("ConsistencyLevel", "eventual"));
        using HttpResponseMessage post = await Send(handler, HttpMethod.Post, "https://h/beta/me/devices?%24top=5", ("ConsistencyLevel", "eventual"));

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound],
            [all.StatusCode, noHeader.StatusCode, otherQuery.StatusCode, post.StatusCode]);
    }

    [Theory]
    [InlineData("Reset")]
    [InlineData("HalfBody")]
    [InlineData("Trickle")]
    public void The_in_process_handler_refuses_a_wire_fault_saying_which_fake_can_give_it(string fault)
    {
        Reply reply = fault switch
        {
            "Reset" => Reply.Reset(),
            "HalfBody" => Reply.HalfBody(200, "{}", 1, HalfBodyEnd.Close),
            _ => Reply.Trickle(200, "{}", 1, TimeSpan.Zero),
        };
        using var handler = new ScriptedHandler();

        var error = Assert.Throws<ArgumentException>(() => handler.Enqueue(reply));

        Assert.True(reply.IsWireOnly);
        Assert.Contains("RawHttpServer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_with_headers_sends_them_as_response_or_content_headers()
    {
        using var handler = new ScriptedHandler().Enqueue(
            Reply.Respond(202, "{}").WithHeaders(("Location", "https://h/x"), ("Content-Language", "en")));

        using HttpResponseMessage response = await Send(handler, HttpMethod.Get, "https://h/beta/x");

        Assert.Equal(new Uri("https://h/x"), response.Headers.Location);
        Assert.Equal("en", response.Content.Headers.ContentLanguage.Single());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public void Only_a_plain_response_takes_more_headers()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Reply.Silence().WithRetryAfter(TimeSpan.Zero));

        Assert.Contains("Silence", error.Message, StringComparison.Ordinal);
    }
}
