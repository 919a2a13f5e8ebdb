using System.Net;
using System.Text;
using DeviceCommands.Client.Callbacks;

namespace DeviceCommands.Client.Tests.Callbacks;

public sealed class CommandCallbackReceiverTests
{
    private static readonly Uri Base = new("http://127.0.0.1:5000/device-commands/callbacks/");
    private readonly CommandCallbackReceiver _receiver = new(Base);

    private CallbackWake Register() => _receiver.Register(TimeProvider.System, ownTerminalTests: false);

    [Fact]
    public void Each_wait_gets_a_fresh_url_safe_key_of_128_bits_under_the_base_url()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => Register()).ToList();
        Assert.Equal(1000, keys.Select(k => k.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, k =>
        {
            Assert.Matches("^[A-Za-z0-9_-]{22}$", k.Key);
            Assert.Equal($"http://127.0.0.1:5000/device-commands/callbacks/{k.Key}", k.PostBackUri.AbsoluteUri);
        });
        Assert.Equal(1000, _receiver.ActiveWaits);
        keys.ForEach(k => k.Dispose());
        Assert.Equal(0, _receiver.ActiveWaits);
    }

    [Fact]
    public void A_held_key_is_accepted_an_unknown_one_is_unknown_and_a_bad_key_or_big_body_is_refused()
    {
        using var wait = Register();
        Assert.Equal(CallbackReceipt.Accepted, _receiver.Receive(wait.Key, "{}"u8));
        Assert.Equal(CallbackReceipt.UnknownKey, _receiver.Receive(CommandCallbackReceiver.NewKey(), "{}"u8));
        Assert.Equal(CallbackReceipt.Refused, _receiver.Receive("not-a-key", "{}"u8));
        Assert.Equal(CallbackReceipt.Refused, _receiver.Receive(wait.Key + "x", "{}"u8));
        Assert.Equal(CallbackReceipt.Refused, _receiver.Receive(wait.Key, new byte[CommandCallbackReceiver.MaxBodyBytes + 1]));
        Assert.Equal(CallbackReceipt.Accepted, _receiver.Receive(wait.Key, new byte[CommandCallbackReceiver.MaxBodyBytes]));
    }

    [Fact]
    public void A_key_is_unknown_once_its_wait_has_ended()
    {
        var wait = Register();
        wait.Dispose();
        Assert.Equal(CallbackReceipt.UnknownKey, _receiver.Receive(wait.Key, "{}"u8));
    }

    [Fact]
    public void Two_waits_resumed_under_one_key_are_both_woken_and_each_leaves_on_its_own()
    {
        var key = CommandCallbackReceiver.NewKey();
        var first = _receiver.Register(TimeProvider.System, ownTerminalTests: false, key);
        var second = _receiver.Register(TimeProvider.System, ownTerminalTests: false, key);
        Assert.Equal(2, _receiver.ActiveWaits);

        Assert.Equal(CallbackReceipt.Accepted, _receiver.Receive(key, "{}"u8));
        Assert.True(first.Take());
        Assert.True(second.Take());

        first.Dispose();
        first.Dispose();
        Assert.Equal(1, _receiver.ActiveWaits);
        Assert.Equal(CallbackReceipt.Accepted, _receiver.Receive(key, "{}"u8));
        Assert.False(first.Take());
        Assert.True(second.Take());

        second.Dispose();
        Assert.Equal(0, _receiver.ActiveWaits);
        Assert.Equal(CallbackReceipt.UnknownKey, _receiver.Receive(key, "{}"u8));
    }

    [Fact]
    public async Task Waits_registered_and_ended_under_one_key_from_many_threads_leave_nothing_behind()
    {
        var key = CommandCallbackReceiver.NewKey();
        using var start = new Barrier(4);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 2000; i++)
            {
                using var wait = _receiver.Register(TimeProvider.System, ownTerminalTests: false, key);
                _receiver.Receive(key, "{}"u8);
            }
        })));

        Assert.Equal(0, _receiver.ActiveWaits);
        Assert.Equal(CallbackReceipt.UnknownKey, _receiver.Receive(key, "{}"u8));
    }

    [Theory]
    [InlineData("callbacks")]
    [InlineData("ftp://host/callbacks")]
    [InlineData("http://host/callbacks?x=1")]
    [InlineData("http://user:pw@host/callbacks")]
    public void A_base_url_that_cannot_carry_keys_is_refused(string url) =>
        Assert.Throws<ArgumentException>(() => new CommandCallbackReceiver(new Uri(url, UriKind.RelativeOrAbsolute)));

    [Fact]
    public void A_refused_base_url_with_user_info_is_named_without_its_password()
    {
        var e = Assert.Throws<ArgumentException>(() => new CommandCallbackReceiver(new Uri("http://user:s3cret@host/callbacks")));

        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
        Assert.Contains("http://host/callbacks (its user info not shown)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_in_memory_endpoint_answers_202_404_400_413_and_405()
    {
        using var wait = Register();
        using var client = new HttpClient(_receiver.CreateHandler());
        async Task<HttpStatusCode> Post(string url, HttpContent content) => (await client.PostAsync(new Uri(url), content)).StatusCode;
        var at = Base.AbsoluteUri;

        Assert.Equal(HttpStatusCode.Accepted, await Post(at + wait.Key, new StringContent("{}")));
        Assert.Equal(HttpStatusCode.NotFound, await Post(at + CommandCallbackReceiver.NewKey(), new StringContent("{}")));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(at + "bad", new StringContent("{}")));
        Assert.Equal(HttpStatusCode.NotFound, await Post("http://127.0.0.1:5000/elsewhere/" + wait.Key, new StringContent("{}")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await Post(at + wait.Key, new StreamContent(new MemoryStream(new byte[100_000]))));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.GetAsync(new Uri(at + wait.Key))).StatusCode);
    }

    [Fact]
    public async Task The_in_memory_endpoint_reads_no_further_than_64_KiB()
    {
        using var wait = Register();
        using var client = new HttpClient(_receiver.CreateHandler());
        var endless = new EndlessStream();
        var answer = await client.PostAsync(new Uri(Base, wait.Key), new StreamContent(endless));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
        Assert.InRange(endless.BytesRead, CommandCallbackReceiver.MaxBodyBytes + 1, CommandCallbackReceiver.MaxBodyBytes + 16 * 1024);

        var announced = new EndlessStream();
        var big = new StreamContent(announced);
        big.Headers.ContentLength = 1_000_000;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync(new Uri(Base, wait.Key), big)).StatusCode);
        Assert.Equal(0, announced.BytesRead);
    }

    [Theory]
    [InlineData("{\"id\":\"cmd-1\",\"status\":\"executing\"}", false)]
    [InlineData("{\"value\":{\"id\":\"cmd-1\",\"status\":\"sentToTarget\"}}", false)]
    [InlineData("{\"ID\":\"cmd-1\",\"Status\":\"queuedForLater\"}", false)]
    [InlineData("{\"id\":\"cmd-1\",\"status\":\"completed\"}", true)]
    [InlineData("{\"id\":\"cmd-1\",\"status\":\"executionFailed\"}", true)]
    [InlineData("{\"id\":\"cmd-2\",\"status\":\"executing\"}", true)]
    [InlineData("{\"id\":\"cmd-1\"}", true)]
    [InlineData("not json", true)]
    [InlineData("", true)]
    [InlineData("[1,2]", true)]
    public void Only_a_non_terminal_status_of_the_same_command_needs_no_poll(string body, bool polls)
    {
        var checkpoint = new CommandWaitCheckpoint("dev-1", "cmd-1", 1, DateTimeOffset.UnixEpoch, null);
        Assert.Equal(polls, checkpoint.CallsForPoll(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void With_terminal_tests_of_its_own_every_body_calls_for_a_poll_and_no_test_runs_on_it()
    {
        var checkpoint = new CommandWaitCheckpoint("dev-1", "cmd-1", 1, DateTimeOffset.UnixEpoch, null);
        var byCommand = new CommandWaitOptions { IsTerminalCommand = _ => throw new InvalidOperationException("run on a callback's body") };
        var byStatus = new CommandWaitOptions { IsTerminal = _ => throw new InvalidOperationException("run on a callback's body") };
        Assert.True(checkpoint.CallsForPoll("{\"id\":\"cmd-1\",\"status\":\"delivered\"}"u8, byCommand));
        Assert.True(checkpoint.CallsForPoll("{\"id\":\"cmd-1\",\"status\":\"executing\"}"u8, byCommand));
        Assert.True(checkpoint.CallsForPoll("{\"id\":\"cmd-1\",\"status\":\"executing\"}"u8, byStatus));
        Assert.False(checkpoint.CallsForPoll("{\"id\":\"cmd-1\",\"status\":\"delivered\"}"u8));
        Assert.False(checkpoint.CallsForPoll("{\"id\":\"cmd-1\",\"status\":\"executing\"}"u8, new CommandWaitOptions()));
    }

    private sealed class EndlessStream : Stream
    {
        public int BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(count, 4096);
            Array.Fill(buffer, (byte)' ', offset, n);
            BytesRead += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
