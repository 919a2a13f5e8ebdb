using System.Net;
using RichardSzalay.MockHttp;

namespace DeviceCommands.Testing.Tests;

/// <summary>Marked work (BeginWork) and tracked requests (Track): the clock stays still while they are under way.</summary>
public sealed class VirtualClockWorkTests
{
    private static readonly DateTimeOffset Start = VirtualClock.DefaultStart;

    [Fact]
    public async Task RunAsync_does_not_move_the_clock_while_marked_work_is_under_way()
    {
        for (var round = 0; round < 5; round++)
        {
            var clock = new VirtualClock();

            var winner = await clock.RunAsync(async () =>
            {
                // like a request answered on another thread: marked before it starts, unmarked once it has answered
                var mark = clock.BeginWork();
                var answer = new TaskCompletionSource<string>();
                _ = Task.Run(async () =>
                {
                    using (mark)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(30)).ConfigureAwait(false);
                        answer.SetResult("work");
                    }
                });
                var timeout = Task.Delay(TimeSpan.FromSeconds(1), clock);

                return await Task.WhenAny(answer.Task, timeout) == answer.Task ? "work" : "timeout";
            });

            Assert.Equal("work", winner);
            Assert.Equal(Start, clock.GetUtcNow());
            Assert.Equal(1, clock.PendingTimers);
        }
    }

    [Fact]
    public async Task A_work_mark_disposed_twice_counts_once()
    {
        var clock = new VirtualClock();
        var first = clock.BeginWork();
        var second = clock.BeginWork();
        first.Dispose();
        first.Dispose();
        second.Dispose();

        // no mark is left: RunAsync moves the clock to the delay at once
        await clock.RunAsync(() => Task.Delay(TimeSpan.FromDays(1), clock));

        Assert.Equal(Start.AddDays(1), clock.GetUtcNow());
    }

    [Fact]
    public async Task Track_keeps_the_clock_still_while_a_handler_answers_on_another_thread()
    {
        for (var round = 0; round < 5; round++)
        {
            var clock = new VirtualClock();
            using var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(async _ =>
            {
                // MockHttp's way: the answer comes later, on a pool thread, in real time
                await Task.Delay(TimeSpan.FromMilliseconds(30)).ConfigureAwait(false);
                return new HttpResponseMessage(HttpStatusCode.OK);
            });
            using var http = new HttpClient(clock.Track(mock));

            var winner = await clock.RunAsync(async () =>
            {
                var answer = http.GetAsync(new Uri("https://device.test/"));
                var timeout = Task.Delay(TimeSpan.FromSeconds(1), clock);
                return await Task.WhenAny(answer, timeout) == answer ? "answer" : "timeout";
            });

            Assert.Equal("answer", winner);
            Assert.Equal(Start, clock.GetUtcNow());
            Assert.Equal(1, clock.PendingTimers);
        }
    }

    [Fact]
    public async Task Track_passes_on_the_handlers_own_failure_and_cancellation()
    {
        var clock = new VirtualClock();
        using var refusing = new HttpClient(clock.Track(new LateHandler(async token =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), token).ConfigureAwait(false);
            throw new HttpRequestException("refused by the double");
        })));
        using var silent = new HttpClient(clock.Track(new LateHandler(async token =>
        {
            await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
            return new HttpResponseMessage(HttpStatusCode.OK);
        })));
        using var cancel = new CancellationTokenSource();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => clock.RunAsync(() => refusing.GetAsync(new Uri("https://device.test/refused"))));
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => clock.RunAsync(async () =>
        {
            var sending = silent.GetAsync(new Uri("https://device.test/silent"), cancel.Token);
            await cancel.CancelAsync();
            return await sending;
        }));

        Assert.Equal("refused by the double", refused.Message);
        Assert.Equal(cancel.Token, cancelled.CancellationToken);
    }

    [Fact]
    public async Task RunAsync_reports_marked_work_that_never_ends_as_a_stall_not_a_bare_timeout()
    {
        var clock = new VirtualClock { StallLimit = TimeSpan.FromMilliseconds(200) };
        using var mark = clock.BeginWork();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => clock.RunAsync(() => Task.Delay(TimeSpan.FromSeconds(1), clock)));

        Assert.Contains("marked work", error.Message, StringComparison.Ordinal);
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public async Task A_tracked_handler_answers_without_RunAsync_and_leaves_the_double_undisposed()
    {
        var clock = new VirtualClock();
        using var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(async _ =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        });

        using (var tracked = new HttpClient(clock.Track(mock)))
        {
            using var first = await tracked.GetAsync(new Uri("https://device.test/"));
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        using var direct = new HttpClient(mock, disposeHandler: false);
        using var second = await direct.GetAsync(new Uri("https://device.test/"));
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
    }

    /// <summary>A double that answers later, on a pool thread, as <paramref name="answer"/> says.</summary>
    private sealed class LateHandler(Func<CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.Run(() => answer(cancellationToken), CancellationToken.None);
    }
}
