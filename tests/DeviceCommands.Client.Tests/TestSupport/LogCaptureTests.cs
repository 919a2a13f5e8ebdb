using Microsoft.Extensions.Logging;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>The shared <see cref="LogCapture"/> itself: categories, event ids, state pairs, scopes, and its texts.</summary>
public sealed class LogCaptureTests
{
    [Fact]
    public void Loggers_of_different_categories_each_keep_their_own_category()
    {
        var capture = new LogCapture();
        ILogger first = capture.CreateLogger("First");
        ILogger second = capture.CreateLogger("Second");

        first.LogInformation("one");
        second.LogInformation("two");
        first.LogInformation("three");

        Assert.Equal([("First", "one"), ("Second", "two"), ("First", "three")], capture.Entries.Select(e => (e.Category, e.Message)));
    }

    [Fact]
    public void As_the_provider_of_a_logger_factory_it_records_the_event_id_the_state_pairs_and_the_scopes_active_outermost_first()
    {
        var capture = new LogCapture();
        using ILoggerFactory factory = LoggerFactory.Create(b => b.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        ILogger logger = factory.CreateLogger("Category");

        using (logger.BeginScope("outer {Id}", 42))
        using (logger.BeginScope(new Dictionary<string, object?> { ["Key"] = "value" }))
        {
            logger.LogTrace(new EventId(7, "Seven"), "Hello {Name}", "world");
        }

        logger.LogWarning("after");

        LogEntry hello = capture.Entries[0];
        Assert.Equal((LogLevel.Trace, "Category", 7, "Seven", "Hello world"), (hello.Level, hello.Category, hello.EventId.Id, hello.EventId.Name, hello.Message));
        Assert.Contains(new KeyValuePair<string, object?>("Name", "world"), hello.State);
        Assert.Contains(new KeyValuePair<string, object?>("{OriginalFormat}", "Hello {Name}"), hello.State);
        Assert.Equal(2, hello.Scopes.Count);
        Assert.Equal("outer 42", hello.Scopes[0].ToString());
        Assert.Equal("value", Assert.IsType<Dictionary<string, object?>>(hello.Scopes[1])["Key"]);
        Assert.Empty(capture.Entries[1].Scopes); // both scopes were disposed
        Assert.Equal(2, capture.ScopesBegun.Count);
    }

    [Fact]
    public async Task Scopes_are_async_local_so_concurrent_flows_each_see_only_their_own()
    {
        var capture = new LogCapture();
        ILogger logger = capture.CreateLogger("Category");
        var bothOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int opened = 0;

        async Task FlowAsync(string name)
        {
            using (logger.BeginScope(name))
            {
                if (Interlocked.Increment(ref opened) == 2)
                {
                    bothOpen.SetResult();
                }

                await bothOpen.Task;
                logger.LogInformation("from {Flow}", name);
            }
        }

        await Task.WhenAll(Task.Run(() => FlowAsync("one")), Task.Run(() => FlowAsync("two")));

        Assert.Equal(2, capture.Entries.Count);
        Assert.All(capture.Entries, e => Assert.Equal(e.State.Single(p => p.Key == "Flow").Value, Assert.Single(e.Scopes)));
    }

    [Fact]
    public void All_texts_hold_messages_event_names_exceptions_state_values_collection_items_and_scope_values()
    {
        var capture = new LogCapture();
        ILogger logger = capture.CreateLogger("Category");

        using (logger.BeginScope(new Dictionary<string, object?> { ["ScopeKey"] = "scope-value" }))
        {
            logger.LogError(new EventId(2, "event-name"), new InvalidOperationException("exception-text"), "message {Value} {Items}", 12345, new[] { "item-a", "item-b" });
        }

        IReadOnlyList<string> texts = capture.AllTexts();

        foreach (string expected in new[] { "event-name", "exception-text", "12345", "item-a", "item-b", "ScopeKey", "scope-value" })
        {
            Assert.Contains(texts, t => t.Contains(expected, StringComparison.Ordinal));
        }

        Assert.Contains(texts, t => t.StartsWith("message 12345 ", StringComparison.Ordinal));
        Assert.Contains("exception-text", capture.All, StringComparison.Ordinal);
    }
}
