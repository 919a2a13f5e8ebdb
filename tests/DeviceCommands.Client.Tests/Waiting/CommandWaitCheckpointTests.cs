namespace DeviceCommands.Client.Tests.Waiting;

public sealed class CommandWaitCheckpointTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));

    [Fact]
    public void Round_trips_through_text()
    {
        var checkpoint = new CommandWaitCheckpoint("dev;1/a", "c%d ü#?", 17, Start, Start.AddMinutes(10), Start.AddSeconds(33.25), "queued;later");

        var text = checkpoint.ToString();
        var parsed = CommandWaitCheckpoint.Parse(text);

        Assert.StartsWith("dcw1;", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', text);
        Assert.Equal("dev;1/a", parsed.DeviceId);
        Assert.Equal("c%d ü#?", parsed.CommandId);
        Assert.Equal(17, parsed.Polls);
        Assert.Equal(Start, parsed.StartedAt);
        Assert.Equal(Start.AddMinutes(10), parsed.Deadline);
        Assert.Equal(Start.AddSeconds(33.25), parsed.NextPollAt);
        Assert.Equal("queued;later", parsed.LastStatus);
        Assert.Equal(text, parsed.ToString());
    }

    [Fact]
    public void Round_trips_absent_values()
    {
        var parsed = CommandWaitCheckpoint.Parse(new CommandWaitCheckpoint("d", "c", 0, Start, null).ToString());

        Assert.Null(parsed.Deadline);
        Assert.Null(parsed.NextPollAt);
        Assert.Null(parsed.LastStatus);
        Assert.Equal(0, parsed.Polls);
    }

    [Fact]
    public void Round_trips_extreme_values()
    {
        var checkpoint = new CommandWaitCheckpoint("d", "c", int.MaxValue, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.MaxValue, string.Empty);
        var parsed = CommandWaitCheckpoint.Parse(checkpoint.ToString());
        Assert.Equal(int.MaxValue, parsed.Polls);
        Assert.Equal(DateTimeOffset.MaxValue, parsed.Deadline);
        Assert.Equal(DateTimeOffset.MinValue, parsed.StartedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("dcw2;d;c;1;2026-01-01T00:00:00.0000000+00:00;;;")]
    [InlineData("dcw1;d;c;1;2026-01-01T00:00:00.0000000+00:00;;")]
    [InlineData("dcw1;;c;1;2026-01-01T00:00:00.0000000+00:00;;;")]
    [InlineData("dcw1;d;c;-1;2026-01-01T00:00:00.0000000+00:00;;;")]
    [InlineData("dcw1;d;c;x;2026-01-01T00:00:00.0000000+00:00;;;")]
    [InlineData("dcw1;d;c;1;;;;")]
    [InlineData("dcw1;d;c;1;yesterday;;;")]
    [InlineData("dcw1;d;c;1;2026-01-01T00:00:00.0000000+00:00;soon;;")]
    [InlineData("dcw1;d;c;99999999999;2026-01-01T00:00:00.0000000+00:00;;;")]
    public void Rejects_text_that_is_not_a_checkpoint(string text)
    {
        Assert.False(CommandWaitCheckpoint.TryParse(text, out var checkpoint));
        Assert.Null(checkpoint);
        Assert.Throws<FormatException>(() => CommandWaitCheckpoint.Parse(text));
    }

    private const string Time = "2026-01-01T00:00:00.0000000+00:00";

    [Theory]
    [InlineData("dcw1;d%ZZ;c;1;" + Time + ";;;", "its device id has a '%' that does not start an escape of two hex digits (character 2)")]
    [InlineData("dcw1;d;c%4;1;" + Time + ";;;", "its command id has a '%' that does not start an escape of two hex digits (character 2)")]
    [InlineData("dcw1;d;c;1;" + Time + ";;;exec%", "its last status has a '%' that does not start an escape")]
    [InlineData("dcw1;d;c%C3%28;1;" + Time + ";;;", "its command id's escapes are not UTF-8")]
    [InlineData("dcw1;d;c%ED%A0%80;1;" + Time + ";;;", "its command id's escapes are not UTF-8")]
    [InlineData("dcw1;d;c;1;" + Time + ";;;%FF", "its last status's escapes are not UTF-8")]
    [InlineData("dcw1;d;c ;1;" + Time + ";;;", "its command id holds white space")]
    [InlineData("dcw1;d;c;1;" + Time + ";;;ü", "its last status holds white space, a control character or a character outside ASCII")]
    [InlineData(" dcw1;d;c;1;" + Time + ";;;", "it has white space before or after it")]
    [InlineData("dcw1;d;c;1;" + Time + ";;;\n", "it has white space before or after it")]
    [InlineData("dcw1;d;c;1;" + Time + ";;; ", "it has white space before or after it")]
    [InlineData("dcw1;d;c;1;" + Time + ";;", "it has 7 fields, not 8 or 9")]
    [InlineData("dcw1;d;c;1;;;;", "its start time is missing")]
    [InlineData("dcw1;d;c;1;" + Time + ";soon;;", "its deadline is not a time in ISO 8601's round-trip form")]
    [InlineData("dcw1;d;c;+1;" + Time + ";;;", "its poll count is not a whole number from 0 to 2147483647")]
    [InlineData("dcw1;d;c;1;" + Time + ";;;;abc", "its callback key is not one (22 URL-safe base64 characters)")]
    public void Rejects_text_that_ToString_never_writes_and_says_why(string text, string why)
    {
        Assert.False(CommandWaitCheckpoint.TryParse(text, out var checkpoint));
        Assert.Null(checkpoint);
        var e = Assert.Throws<FormatException>(() => CommandWaitCheckpoint.Parse(text));
        Assert.StartsWith("The text is not a command wait checkpoint (dcw1;deviceId;commandId;polls;startedAt;deadline;nextPollAt;lastStatus[;callbackKey]): ", e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_lone_surrogate_and_says_why()
    {
        var text = "dcw1;d" + '\uD800' + ";c;1;" + Time + ";;;";

        Assert.False(CommandWaitCheckpoint.TryParse(text, out _));
        var e = Assert.Throws<FormatException>(() => CommandWaitCheckpoint.Parse(text));
        Assert.Contains("its device id holds white space, a control character or a character outside ASCII (character 2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_character_an_id_or_status_may_hold_round_trips()
    {
        var all = string.Concat(Enumerable.Range(1, 0x7f).Select(c => (char)c)) + "é€😀\u2028";
        var checkpoint = new CommandWaitCheckpoint(all, "c" + all, 1, Start, null, null, all);

        var parsed = CommandWaitCheckpoint.Parse(checkpoint.ToString());

        Assert.Equal(all, parsed.DeviceId);
        Assert.Equal("c" + all, parsed.CommandId);
        Assert.Equal(all, parsed.LastStatus);
    }

    [Fact]
    public void TryParse_of_null_is_false_and_Parse_of_null_throws()
    {
        Assert.False(CommandWaitCheckpoint.TryParse(null, out _));
        Assert.Throws<ArgumentNullException>(() => CommandWaitCheckpoint.Parse(null!));
    }

    [Fact]
    public void The_constructor_checks_its_arguments()
    {
        Assert.Throws<ArgumentException>(() => new CommandWaitCheckpoint(" ", "c", 0, Start, null));
        Assert.Throws<ArgumentNullException>(() => new CommandWaitCheckpoint("d", null!, 0, Start, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommandWaitCheckpoint("d", "c", -1, Start, null));
    }

    [Fact]
    public void Start_sets_the_deadline_from_the_timeout_on_the_given_clock()
    {
        var clock = new DeviceCommands.Testing.VirtualClock(Start);

        var withTimeout = CommandWaitCheckpoint.Start("d", "c", new CommandWaitOptions { Timeout = TimeSpan.FromMinutes(3), TimeProvider = clock });
        var withoutTimeout = CommandWaitCheckpoint.Start("d", "c", new CommandWaitOptions { Timeout = null }, clock);

        Assert.Equal(Start, withTimeout.StartedAt);
        Assert.Equal(Start.AddMinutes(3), withTimeout.Deadline);
        Assert.Null(withoutTimeout.Deadline);
        Assert.Equal(0, withTimeout.Polls);
        Assert.Null(withTimeout.NextPollAt);
    }

    [Fact]
    public void A_deadline_past_the_end_of_the_calendar_means_none()
    {
        var clock = new DeviceCommands.Testing.VirtualClock(DateTimeOffset.MaxValue.AddDays(-1));
        Assert.Null(CommandWaitCheckpoint.Start("d", "c", new CommandWaitOptions { Timeout = TimeSpan.FromDays(2) }, clock).Deadline);
    }
}
