using System.Globalization;
using System.Net;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Waiting;

public sealed class CommandWaitExtensionsTests
{
    private const string DeviceId = "dev-1";
    private const string CommandId = "cmd-1";
    private const int Seed = 42;

    private readonly VirtualClock _clock = new();
    private readonly ScriptedHandler _handler;
    private readonly DeviceCommandsClient _client;

    public CommandWaitExtensionsTests()
    {
        _handler = new ScriptedHandler(_clock, CommandId) { GetsOnly = true };
        _client = TestClients.Stock(_handler);
    }

    private global::DeviceCommands.Client.Me.Devices.Item.Commands.Item.CommandItemRequestBuilder Command => _client.Me.Devices[DeviceId].Commands[CommandId];

    private CommandWaitOptions Options(Action<CommandWaitOptions>? configure = null)
    {
        var options = new CommandWaitOptions { TimeProvider = _clock, JitterSeed = Seed };
        configure?.Invoke(options);
        return options;
    }

    private static TimeSpan Scheduled(CommandWaitOptions options, int poll) =>
        DeviceCommands.Client.Timing.Backoff.Wait(poll, options.InitialDelay, options.MaxDelay, options.JitterSeed);

    /// <summary>The times of polls 1..count when nothing but the schedule decides.</summary>
    private static List<DateTimeOffset> ExpectedTimes(CommandWaitOptions options, DateTimeOffset start, int count)
    {
        var times = new List<DateTimeOffset> { start };
        for (var poll = 1; poll < count; poll++)
        {
            times.Add(times[^1] + Scheduled(options, poll));
        }

        return times;
    }

    private void AssertOnlyGets()
    {
        Assert.Empty(_handler.Violations);
        Assert.All(_handler.Requests, r => Assert.Equal(HttpMethod.Get, r.Method));
    }

    [Fact]
    public async Task Completes_after_the_status_sequence_with_polls_on_the_seeded_schedule()
    {
        _handler.Status("requesting", "sentToTarget", "executing", "completed");
        var options = Options();
        var start = _clock.GetUtcNow();

        var result = await _clock.RunAsync(() => Command.WaitForCompletionAsync(options));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.True(result.Succeeded);
        Assert.Equal(4, result.Polls);
        Assert.Equal(CommandId, result.Command.Id);
        var expected = ExpectedTimes(options, start, 4);
        Assert.Equal(expected, _handler.PollTimes);
        Assert.Equal(expected[^1] - start, result.Elapsed);
        Assert.All(_handler.Requests, r => Assert.Equal("https://graph.microsoft.com/beta/me/devices/dev-1/commands/cmd-1", r.Uri.AbsoluteUri));
        AssertOnlyGets();
    }

    [Fact]
    public async Task The_first_poll_is_immediate_and_the_second_about_InitialDelay_later()
    {
        _handler.Status("executing", "completed");
        var options = Options(o => o.InitialDelay = TimeSpan.FromSeconds(2));
        var start = _clock.GetUtcNow();

        await _clock.RunAsync(() => Command.WaitForCompletionAsync(options));

        var times = _handler.PollTimes;
        Assert.Equal(start, times[0]);
        var gap = times[1] - times[0];
        Assert.InRange(gap, TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(2.4));
    }

    [Fact]
    public async Task Delays_grow_to_MaxDelay_and_never_pass_it()
    {
        _handler.Status(Enumerable.Repeat("executing", 30).Append("completed").ToArray());
        var options = Options(o => { o.MaxDelay = TimeSpan.FromSeconds(10); o.Timeout = null; });

        var result = await _clock.RunAsync(() => Command.WaitForCompletionAsync(options));

        Assert.Equal(31, result.Polls);
        var times = _handler.PollTimes;
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, g => Assert.InRange(g, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(10)));
        Assert.True(gaps[^1] >= TimeSpan.FromSeconds(8));
        Assert.True(gaps[^1] > gaps[0] * 5);
    }

    [Fact]
    public async Task Progress_sees_each_status_change_once_including_the_first()
    {
        _handler.Status("requesting", "requesting", "sentToTarget", "executing", "executing", "executing", "completed");
        var progress = new ProgressRecorder<Command>();

        var result = await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options(o => o.Progress = progress)));

        Assert.Equal(7, result.Polls);
        Assert.Equal(["requesting", "sentToTarget", "executing", "completed"], progress.Items.Select(c => c.RawStatus));
    }

    [Fact]
    public async Task Unknown_statuses_are_changes_compared_by_raw_text()
    {
        _handler.Status("queued", "queued", "delivered", "completed");
        var progress = new ProgressRecorder<Command>();

        var result = await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options(o => o.Progress = progress)));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(["queued", "delivered", "completed"], progress.Items.Select(c => c.RawStatus));
        Assert.Null(progress.Items[0].Status);
    }

    [Fact]
    public async Task Watch_yields_each_change_and_ends_after_the_terminal_status()
    {
        _handler.Status("requesting", "executing", "executing", "failedToSend", "completed");

        var seen = await _clock.RunAsync(() => Collect(Command.WatchAsync(Options())));

        Assert.Equal([ActionStatus.Requesting, ActionStatus.Executing, ActionStatus.FailedToSend], seen.Select(c => c.Status));
        Assert.Equal(4, _handler.PollTimes.Count);
        AssertOnlyGets();
    }

    [Fact]
    public async Task Watch_and_Progress_see_the_same_sequence()
    {
        _handler.Status("requesting", "requesting", "completed");
        var progress = new ProgressRecorder<Command>();

        var seen = await _clock.RunAsync(() => Collect(Command.WatchAsync(Options(o => o.Progress = progress))));

        Assert.Equal(seen, progress.Items);
    }

    [Fact]
    public async Task A_failed_terminal_status_ends_the_wait_and_EnsureSuccess_throws()
    {
        _handler.Status("executing", "executionFailed");

        var result = await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options()));

        Assert.Equal(ActionStatus.ExecutionFailed, result.Status);
        Assert.False(result.Succeeded);
        var e = Assert.Throws<CommandFailedException>(() => result.EnsureSuccess());
        Assert.Same(result.Command, e.Command);
    }

    [Theory]
    [InlineData("custom")]
    [InlineData("cancelling")]
    [InlineData("retry")]
    public async Task Custom_and_non_final_statuses_are_not_terminal_by_default(string status)
    {
        _handler.Status(status, status, "completed");

        var result = await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options()));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(3, result.Polls);
    }

    [Fact]
    public async Task IsTerminal_opts_in_to_Custom()
    {
        _handler.Status("executing", "custom", "completed");

        var result = await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options(o => o.IsTerminal = s => s.IsTerminal() || s == ActionStatus.Custom)));

        Assert.Equal(ActionStatus.Custom, result.Status);
        Assert.Equal(2, result.Polls);
    }

    [Fact]
    public async Task An_unknown_status_never_ends_a_wait_by_default()
    {
        _handler.Status("delivered");

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => Command.WaitForCompletionAsync(Options(o => o.Timeout = TimeSpan.FromSeconds(20)))));

        Assert.Equal("delivered", e.LastObserved?.RawStatus);
    }

    [Fact]
    public async Task IsTerminalCommand_opts_in_to_an_unknown_status_which_reads_as_Custom()
    {
        _handler.Status("executing", "delivered", "completed");

        var result = await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options(o => o.IsTerminalCommand = c => c.RawStatus == "delivered")));

        Assert.Equal(ActionStatus.Custom, result.Status);
        Assert.Equal("delivered", result.Command.RawStatus);
        Assert.Null(result.Command.Status);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Transient_failures_keep_the_wait_going_and_count_as_polls()
    {
        _handler.Status("requesting")
            .Answer(HttpStatusCode.TooManyRequests, null)
            .Answer(HttpStatusCode.ServiceUnavailable, "<html>busy</html>")
            .Answer(HttpStatusCode.InternalServerError, """{"error":{"code":"x","message":"y"}}""")
            .Answer(HttpStatusCode.BadGateway, null)
            .Answer(HttpStatusCode.RequestTimeout, null)
            .Throw(new HttpRequestException("connection reset"))
            .Throw(new TaskCanceledException("per-request timeout", new TimeoutException()))
            .Throw(new TimeoutException())
            .Status("completed");
        var progress = new ProgressRecorder<Command>();

        var result = await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options(o => o.Progress = progress)));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(10, result.Polls);
        Assert.Equal(["requesting", "completed"], progress.Items.Select(c => c.RawStatus));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.Gone)]
    public async Task Permanent_errors_end_the_wait_at_once_with_the_ODataError(HttpStatusCode code)
    {
        _handler.Status("requesting").Answer(code, """{"error":{"code":"nope","message":"no such command"}}""").Status("completed");

        var e = await Assert.ThrowsAsync<ODataError>(() => _clock.RunAsync(() => Command.WaitForCompletionAsync(Options())));

        Assert.Equal((int)code, e.ResponseStatusCode);
        Assert.Equal("nope", e.Error?.Code);
        Assert.Equal(2, _handler.PollTimes.Count);
    }

    [Fact]
    public async Task Timeout_throws_at_the_deadline_with_the_last_observation_after_a_last_poll_just_before_it()
    {
        _handler.Status("requesting", "executing");
        var options = Options(o => o.Timeout = TimeSpan.FromSeconds(20));
        var start = _clock.GetUtcNow();
        var deadline = start + TimeSpan.FromSeconds(20);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => Command.WaitForCompletionAsync(options)));

        // the last poll is sent a tenth of the timeout (at most 1 s) before the deadline, so it can be answered in time
        var times = _handler.PollTimes;
        Assert.Equal(deadline - TimeSpan.FromSeconds(1), times[^1]);
        Assert.Equal(deadline, _clock.GetUtcNow());
        var scheduled = ExpectedTimes(options, start, times.Count - 1);
        Assert.Equal(scheduled, times.Take(times.Count - 1));
        Assert.True(times[^2] + Scheduled(options, times.Count - 1) > deadline - TimeSpan.FromSeconds(1));
        Assert.Equal(times.Count, e.Polls);
        Assert.Equal(ActionStatus.Executing, e.LastObserved?.Status);
        Assert.IsAssignableFrom<TimeoutException>(e);
        Assert.Contains(CommandId, e.Message, StringComparison.Ordinal);
        Assert.Contains("executing", e.Message, StringComparison.Ordinal);
        AssertOnlyGets();
    }

    [Fact]
    public async Task A_wait_whose_every_poll_fails_times_out_with_the_last_failure_as_its_inner_exception()
    {
        _handler.Otherwise(Reply.Throw(new HttpRequestException("No connection could be made: connection refused")));

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => Command.WaitForCompletionAsync(Options(o => o.Timeout = TimeSpan.FromSeconds(20)))));

        var inner = Assert.IsAssignableFrom<ApiException>(e.InnerException);
        Assert.IsType<HttpRequestException>(inner.InnerException);
        Assert.Contains("nothing was observed after", e.Message, StringComparison.Ordinal);
        Assert.Contains("The last poll failed: GET /beta/me/devices/dev-1/commands/cmd-1 failed before an answer came: No connection could be made: connection refused.", e.Message, StringComparison.Ordinal);
        Assert.Null(e.LastObserved);
    }

    [Fact]
    public async Task A_timeout_after_a_failure_that_a_later_answer_followed_has_no_inner_exception()
    {
        _handler.Answer(HttpStatusCode.ServiceUnavailable, null).Status("executing");

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => Command.WaitForCompletionAsync(Options(o => o.Timeout = TimeSpan.FromSeconds(20)))));

        Assert.Null(e.InnerException);
        Assert.DoesNotContain("failed", e.Message, StringComparison.Ordinal);
        Assert.Equal(ActionStatus.Executing, e.LastObserved?.Status);
    }

    [Fact]
    public async Task A_wait_answered_only_with_503s_times_out_with_that_answer_inside()
    {
        _handler.Always(HttpStatusCode.ServiceUnavailable, null);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => Command.WaitForCompletionAsync(Options(o => o.Timeout = TimeSpan.FromSeconds(20)))));

        Assert.Equal(503, Assert.IsAssignableFrom<ApiException>(e.InnerException).ResponseStatusCode);
    }

    [Fact]
    public async Task The_last_poll_before_the_deadline_can_still_succeed()
    {
        var options = Options(o => { o.InitialDelay = TimeSpan.FromSeconds(10); o.MaxDelay = TimeSpan.FromSeconds(10); o.Timeout = TimeSpan.FromSeconds(3); });
        _handler.Status("executing", "completed");

        var result = await _clock.RunAsync(() => Command.WaitForCompletionAsync(options));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(2.7), result.Elapsed);
    }

    [Fact]
    public async Task Timeout_with_only_failures_has_no_last_observation()
    {
        _handler.Answer(HttpStatusCode.ServiceUnavailable, null);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => Command.WaitForCompletionAsync(Options(o => o.Timeout = TimeSpan.FromSeconds(5)))));

        Assert.Null(e.LastObserved);
        Assert.Equal(_handler.PollTimes.Count, e.Polls);
    }

    [Fact]
    public async Task Retry_After_in_seconds_on_a_2xx_poll_is_honoured()
    {
        _handler.Answer(HttpStatusCode.OK, ScriptedHandler.Body("executing"), ("Retry-After", "7")).Status("completed");
        var start = _clock.GetUtcNow();

        await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options()));

        Assert.Equal([start, start + TimeSpan.FromSeconds(7)], _handler.PollTimes);
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_on_a_503_is_read_against_the_TimeProvider()
    {
        var start = _clock.GetUtcNow();
        var at = start + TimeSpan.FromSeconds(12);
        _handler.Answer(HttpStatusCode.ServiceUnavailable, null, ("Retry-After", at.ToString("r", CultureInfo.InvariantCulture))).Status("completed");

        var result = await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options()));

        Assert.Equal([start, at], _handler.PollTimes);
        Assert.Equal(2, result.Polls);
    }

    [Fact]
    public async Task Retry_After_on_a_429_is_honoured()
    {
        var start = _clock.GetUtcNow();
        _handler.Answer(HttpStatusCode.TooManyRequests, null, ("Retry-After", "4")).Status("completed");

        await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options()));

        Assert.Equal([start, start + TimeSpan.FromSeconds(4)], _handler.PollTimes);
    }

    [Fact]
    public async Task A_short_Retry_After_brings_the_next_poll_forward_to_when_the_service_asks()
    {
        var options = Options(o => o.InitialDelay = TimeSpan.FromSeconds(5));
        var start = _clock.GetUtcNow();
        _handler.Answer(HttpStatusCode.OK, ScriptedHandler.Body("executing"), ("Retry-After", "1")).Status("completed");

        await _clock.RunAsync(() => Command.WaitForCompletionAsync(options));

        Assert.Equal([start, start + TimeSpan.FromSeconds(1)], _handler.PollTimes);
    }

    [Fact]
    public async Task A_retry_after_of_zero_cannot_make_the_wait_poll_in_a_tight_loop()
    {
        var start = _clock.GetUtcNow();
        _handler.Answer(HttpStatusCode.OK, ScriptedHandler.Body("executing"), ("Retry-After", "0")).Status("completed");

        await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options()));

        Assert.Equal([start, start + TimeSpan.FromMilliseconds(100)], _handler.PollTimes);
    }

    [Fact]
    public async Task A_retry_after_ms_hint_is_followed_to_the_millisecond()
    {
        var start = _clock.GetUtcNow();
        _handler.Answer(HttpStatusCode.OK, ScriptedHandler.Body("sentToTarget"), ("Retry-After", "1"), ("retry-after-ms", "350")).Status("completed");

        await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options()));

        Assert.Equal([start, start + TimeSpan.FromMilliseconds(350)], _handler.PollTimes);
    }

    [Fact]
    public async Task A_Retry_After_past_the_deadline_times_out_at_the_deadline_without_polling_again()
    {
        var start = _clock.GetUtcNow();
        _handler.Answer(HttpStatusCode.OK, ScriptedHandler.Body("executing"), ("Retry-After", "120")).Status("completed");

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => Command.WaitForCompletionAsync(Options(o => o.Timeout = TimeSpan.FromSeconds(30)))));

        Assert.Equal([start], _handler.PollTimes);
        Assert.Equal(start + TimeSpan.FromSeconds(30), _clock.GetUtcNow());
        Assert.Equal(1, e.Polls);
    }

    [Fact]
    public async Task The_callers_token_ends_the_wait_with_OperationCanceledException_not_a_timeout()
    {
        _handler.Status("executing");
        using var cts = new CancellationTokenSource();
        var task = Command.WaitForCompletionAsync(Options(), cts.Token);
        Assert.False(task.IsCompleted);

        await cts.CancelAsync();

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.IsNotType<CommandWaitTimeoutException>(e);
        Assert.Single(_handler.PollTimes);
        AssertOnlyGets();
    }

    [Fact]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Command.WaitForCompletionAsync(Options(), cts.Token));

        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task A_wait_without_timeout_runs_until_the_status_is_terminal()
    {
        _handler.Status(Enumerable.Repeat("executing", 200).Append("completed").ToArray());

        var result = await _clock.RunAsync(() => Command.WaitForCompletionAsync(Options(o => o.Timeout = null)));

        Assert.Equal(201, result.Polls);
        Assert.True(result.Elapsed > TimeSpan.FromMinutes(60), result.Elapsed.ToString());
    }

    [Fact]
    public async Task A_sleeping_wait_holds_one_timer()
    {
        _handler.Status("requesting", "executing", "executing", "completed");
        var during = new List<int>();
        _handler.OnEachPoll = () => during.Add(_clock.PendingTimers);
        var between = new List<int>();

        // the clock moved by hand, so that it stands still between two polls
        var wait = Command.WaitForCompletionAsync(Options());
        for (var step = 0; step < 10 && !wait.IsCompleted; step++)
        {
            between.Add(_clock.PendingTimers);
            Assert.Equal(_handler.PollTimes[^1] + Scheduled(Options(), _handler.PollTimes.Count), _clock.NextTimerDue);
            _clock.Advance(_clock.NextTimerDue!.Value - _clock.GetUtcNow());
        }

        await wait;

        // during a poll: its deadline budget only; between polls: the sleep only (the budget is gone)
        Assert.Equal([1, 1, 1, 1], during);
        Assert.Equal([1, 1, 1], between);
        Assert.Equal(0, _clock.PendingTimers);
    }

    [Fact]
    public async Task Invalid_options_throw_before_any_request()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Command.WaitForCompletionAsync(Options(o => o.InitialDelay = TimeSpan.Zero)));
        Assert.Throws<ArgumentException>(() => Command.WatchAsync(Options(o => o.Timeout = TimeSpan.Zero)));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.Me.Devices[DeviceId].Commands.SendAndWaitAsync(new Command(), Options(o => o.MaxDelay = TimeSpan.FromMilliseconds(1))));
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task SendAndWait_posts_once_then_only_gets()
    {
        _handler.OnPost(HttpStatusCode.Created, ScriptedHandler.Body("requesting")).Status("requesting", "executing", "completed");
        var progress = new ProgressRecorder<Command>();

        var result = await _clock.RunAsync(() => _client.Me.Devices[DeviceId].Commands.SendAndWaitAsync(global::DeviceCommands.Client.Models.Command.LaunchUri(new Uri("https://example.com")), Options(o => o.Progress = progress)));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(3, result.Polls);
        var requests = _handler.Requests;
        Assert.Equal(HttpMethod.Post, requests[0].Method);
        Assert.Equal("https://graph.microsoft.com/beta/me/devices/dev-1/commands", requests[0].Uri.AbsoluteUri);
        Assert.All(requests.Skip(1), r => Assert.Equal(HttpMethod.Get, r.Method));
        Assert.Equal(["requesting", "executing", "completed"], progress.Items.Select(c => c.RawStatus));
        Assert.Empty(_handler.Violations);
    }

    [Fact]
    public async Task SendAndWait_takes_the_POST_answer_as_the_first_observation_and_polls_InitialDelay_after_it()
    {
        _handler.OnPost(HttpStatusCode.Created, ScriptedHandler.Body("requesting")).Status("executing", "completed");
        var options = Options(o => o.InitialDelay = TimeSpan.FromSeconds(2));
        var start = _clock.GetUtcNow();

        var result = await _clock.RunAsync(() => _client.Me.Devices[DeviceId].Commands.SendAndWaitAsync(global::DeviceCommands.Client.Models.Command.LaunchUri(new Uri("https://example.com")), options));

        // the POST said "requesting": no GET asks it again at once; the GETs follow the schedule from the POST's answer
        Assert.Equal(2, result.Polls);
        Assert.Equal(start, _handler.Requests[0].At);
        Assert.Equal(start + Scheduled(options, 0), _handler.PollTimes[0]);
        Assert.Equal(_handler.PollTimes[0] + Scheduled(options, 1), _handler.PollTimes[1]);
        Assert.InRange(Scheduled(options, 0), TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(2.4));
    }

    [Fact]
    public async Task SendAndWait_honours_a_Retry_After_on_the_POST_answer_for_its_first_GET()
    {
        _handler.OnPost(HttpStatusCode.Created, ScriptedHandler.Body("requesting"), ("Retry-After", "7")).Status("completed");
        var start = _clock.GetUtcNow();

        await _clock.RunAsync(() => _client.Me.Devices[DeviceId].Commands.SendAndWaitAsync(new Command { Type = "LaunchUri" }, Options()));

        Assert.Equal([start + TimeSpan.FromSeconds(7)], _handler.PollTimes);
    }

    [Fact]
    public async Task SendAndWait_returns_at_once_when_the_POST_answer_is_terminal()
    {
        _handler.OnPost(HttpStatusCode.Created, ScriptedHandler.Body("completed"));

        var result = await _client.Me.Devices[DeviceId].Commands.SendAndWaitAsync(new Command { Type = "LaunchUri" }, Options());

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(0, result.Polls);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task SendAndWait_without_an_id_in_the_answer_throws_an_ApiException()
    {
        _handler.OnPost(HttpStatusCode.Created, """{"status":"requesting"}""");

        var e = await Assert.ThrowsAsync<ApiException>(() => _client.Me.Devices[DeviceId].Commands.SendAndWaitAsync(new Command { Type = "LaunchUri" }, Options()));

        Assert.Contains("id", e.Message, StringComparison.Ordinal);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task SendAndWait_timeout_counts_from_before_the_POST()
    {
        _handler.OnPost(HttpStatusCode.Created, ScriptedHandler.Body("requesting")).Status("executing");
        var start = _clock.GetUtcNow();

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => _client.Me.Devices[DeviceId].Commands.SendAndWaitAsync(new Command { Type = "LaunchUri" }, Options(o => o.Timeout = TimeSpan.FromSeconds(10)))));

        Assert.Equal(start + TimeSpan.FromSeconds(9), _handler.PollTimes[^1]);
        Assert.Equal(start + TimeSpan.FromSeconds(10), _clock.GetUtcNow());
        Assert.Equal(_handler.PollTimes.Count, e.Polls);
    }

    [Fact]
    public async Task Checkpoints_are_reported_after_each_non_terminal_poll()
    {
        _handler.Status("requesting", "executing", "completed");
        var checkpoints = new List<CommandWaitCheckpoint>();
        var options = Options(o => o.Checkpoint = checkpoints.Add);
        var start = _clock.GetUtcNow();

        await _clock.RunAsync(() => Command.WaitForCompletionAsync(options));

        Assert.Equal([1, 2], checkpoints.Select(c => c.Polls));
        Assert.All(checkpoints, c =>
        {
            Assert.Equal(DeviceId, c.DeviceId);
            Assert.Equal(CommandId, c.CommandId);
            Assert.Equal(start, c.StartedAt);
            Assert.Equal(start + TimeSpan.FromMinutes(10), c.Deadline);
        });
        Assert.Equal(["requesting", "executing"], checkpoints.Select(c => c.LastStatus));
        Assert.Equal(_handler.PollTimes.Skip(1), checkpoints.Select(c => c.NextPollAt!.Value));
    }

    [Fact]
    public async Task Resume_in_another_client_keeps_the_deadline_and_the_place_in_the_schedule()
    {
        var options = Options(o => o.Timeout = TimeSpan.FromMinutes(1));
        var start = _clock.GetUtcNow();
        string? stored = null;
        using var stop = new CancellationTokenSource();
        options.Checkpoint = c =>
        {
            stored = c.ToString();
            if (c.Polls == 3)
            {
                stop.Cancel();
            }
        };
        _handler.Status("requesting", "sentToTarget", "executing");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _clock.RunAsync(() => Command.WaitForCompletionAsync(options, stop.Token)));
        Assert.Equal(3, _handler.PollTimes.Count);

        // another process: a new client, new handler, same clock, some time later
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        var handler = new ScriptedHandler(_clock, CommandId) { GetsOnly = true }.Status("executing", "executing", "completed");
        var client = TestClients.Stock(handler);
        var checkpoint = CommandWaitCheckpoint.Parse(stored!);
        var progress = new ProgressRecorder<Command>();
        var resumed = Options(o => { o.Timeout = TimeSpan.FromSeconds(1); o.Progress = progress; });

        var result = await _clock.RunAsync(() => client.ResumeWaitAsync(checkpoint, resumed));

        Assert.Equal(6, result.Polls);
        Assert.Equal(ActionStatus.Completed, result.Status);
        var all = ExpectedTimes(options, start, 6);
        Assert.Equal(all.Skip(3), handler.PollTimes);
        Assert.Equal(all[^1] - start, result.Elapsed);

        // the checkpoint's last status was "executing": only the change from it is told
        Assert.Equal(["completed"], progress.Items.Select(c => c.RawStatus));
        Assert.Empty(handler.Violations);
    }

    [Fact]
    public async Task Resume_keeps_the_original_deadline()
    {
        var start = _clock.GetUtcNow();
        var checkpoint = new CommandWaitCheckpoint(DeviceId, CommandId, 2, start, start + TimeSpan.FromSeconds(30), start + TimeSpan.FromSeconds(3), "executing");
        _handler.Status("executing");

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => _client.ResumeWaitAsync(checkpoint, Options(o => o.Timeout = TimeSpan.FromHours(1)))));

        Assert.Equal(start + TimeSpan.FromSeconds(3), _handler.PollTimes[0]);
        Assert.Equal(start + TimeSpan.FromSeconds(29), _handler.PollTimes[^1]);
        Assert.Equal(start + TimeSpan.FromSeconds(30), _clock.GetUtcNow());
        Assert.Equal(2 + _handler.PollTimes.Count, e.Polls);
    }

    [Fact]
    public async Task Resume_at_a_million_polls_waits_MaxDelay_without_overflow()
    {
        var start = _clock.GetUtcNow();
        var checkpoint = new CommandWaitCheckpoint(DeviceId, CommandId, 1_000_000, start - TimeSpan.FromDays(300), null);
        _handler.Status("executing", "completed");
        var options = Options(o => o.MaxDelay = TimeSpan.FromSeconds(30));

        var result = await _clock.RunAsync(() => _client.ResumeWaitAsync(checkpoint, options));

        Assert.Equal(1_000_002, result.Polls);
        var gap = _handler.PollTimes[1] - _handler.PollTimes[0];
        Assert.Equal(Scheduled(options, 1_000_001), gap);
        Assert.InRange(gap, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_resumed_checkpoint_past_its_deadline_with_a_later_next_poll_times_out_without_polling()
    {
        var start = _clock.GetUtcNow();
        var checkpoint = new CommandWaitCheckpoint(DeviceId, CommandId, 4, start - TimeSpan.FromMinutes(1), start - TimeSpan.FromSeconds(1), start + TimeSpan.FromSeconds(5), "executing");

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _client.ResumeWaitAsync(checkpoint, Options()));

        Assert.Empty(_handler.Requests);
        Assert.Equal(4, e.Polls);
    }

    [Fact]
    public async Task PollOnce_drives_a_wait_one_step_at_a_time()
    {
        _handler.Status("requesting", "requesting").Answer(HttpStatusCode.ServiceUnavailable, null, ("Retry-After", "9")).Status("completed");
        var options = Options();
        var start = _clock.GetUtcNow();
        var checkpoint = CommandWaitCheckpoint.Start(DeviceId, CommandId, options);
        Assert.Equal(0, checkpoint.Polls);
        Assert.Equal(start + TimeSpan.FromMinutes(10), checkpoint.Deadline);

        var first = await _client.PollOnceAsync(checkpoint, options);
        Assert.False(first.IsCompleted);
        Assert.True(first.StatusChanged);
        Assert.Equal(start + Scheduled(options, 1), first.NextPollAt);

        _clock.Advance(first.NextPollAt!.Value - _clock.GetUtcNow());
        var second = await _client.PollOnceAsync(CommandWaitCheckpoint.Parse(first.Checkpoint.ToString()), options);
        Assert.False(second.StatusChanged);
        Assert.Equal(2, second.Checkpoint.Polls);

        _clock.Advance(second.NextPollAt!.Value - _clock.GetUtcNow());
        var third = await _client.PollOnceAsync(second.Checkpoint, options);
        Assert.Null(third.Command);
        Assert.Equal("requesting", third.Checkpoint.LastStatus);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(9), third.NextPollAt);

        _clock.Advance(TimeSpan.FromSeconds(9));
        var fourth = await _client.PollOnceAsync(third.Checkpoint, options);
        Assert.True(fourth.IsCompleted);
        Assert.Null(fourth.NextPollAt);
        Assert.Equal(ActionStatus.Completed, fourth.Result!.Status);
        Assert.Equal(4, fourth.Result.Polls);
        AssertOnlyGets();
    }

    [Fact]
    public async Task PollOnce_past_the_deadline_throws_the_timeout_without_a_request()
    {
        _handler.Status("executing");
        var start = _clock.GetUtcNow();
        var checkpoint = new CommandWaitCheckpoint(DeviceId, CommandId, 3, start - TimeSpan.FromMinutes(10), start);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _client.PollOnceAsync(checkpoint, Options()));

        Assert.Equal(3, e.Polls);
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task Checkpoint_callbacks_need_a_builder_made_from_ids()
    {
        var raw = Command.WithUrl("https://graph.microsoft.com/beta/me/devices/d/commands/c");

        await Assert.ThrowsAsync<ArgumentException>(() => raw.WaitForCompletionAsync(Options(o => o.Checkpoint = _ => { })));
    }

    [Fact]
    public async Task Without_a_TimeProvider_option_a_Create_client_uses_its_own_clock()
    {
        _handler.Status("executing", "completed");
        // the attempt timeout and the retries keep time on the same clock as the wait: it never moves while a request is answered
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = _handler, TimeProvider = _clock });
        var start = _clock.GetUtcNow();

        var result = await _clock.RunAsync(() => client.Me.Devices[DeviceId].Commands[CommandId].WaitForCompletionAsync(new CommandWaitOptions { JitterSeed = Seed }));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(start + Scheduled(new CommandWaitOptions { JitterSeed = Seed }, 1), _handler.PollTimes[1]);
    }

    private static async Task<List<Command>> Collect(IAsyncEnumerable<Command> commands)
    {
        var list = new List<Command>();
        await foreach (var command in commands)
        {
            list.Add(command);
        }

        return list;
    }
}
