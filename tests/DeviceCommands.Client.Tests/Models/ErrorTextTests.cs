using DeviceCommands.Client.Models;

namespace DeviceCommands.Client.Tests.Models;

/// <summary>What the service sent, quoted in a message: on one line, escaped, and cut when long.</summary>
public sealed class ErrorTextTests
{
    [Theory]
    [InlineData("cmd-1", "cmd-1")]
    [InlineData("evil\r\nX-Injected: 1", "evil\\r\\nX-Injected: 1")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("esc\u001b[31mred", "esc\\u001B[31mred")]
    [InlineData("line\u2028sep\u0085nel", "line\\u2028sep\\u0085nel")]
    [InlineData("ünïcödé 名前", "ünïcödé 名前")]
    public void Quote_escapes_what_would_break_a_line_and_keeps_the_rest(string text, string expected) =>
        Assert.Equal(expected, ErrorText.Quote(text));

    [Fact]
    public void Quote_cuts_a_long_text_and_says_how_long_it_was()
    {
        var quoted = ErrorText.Quote(new string('x', 100_000));

        Assert.Equal(new string('x', ErrorText.MaxQuoted) + "… (100000 characters)", quoted);
    }

    [Fact]
    public void Quote_never_cuts_a_surrogate_pair_in_half()
    {
        var text = new string('x', ErrorText.MaxQuoted - 1) + "😀" + "tail";

        var quoted = ErrorText.Quote(text);

        Assert.StartsWith(new string('x', ErrorText.MaxQuoted - 1) + "…", quoted, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_named_in_a_message_is_quoted()
    {
        Assert.Equal("Command 'evil\\nX: 1'", ErrorText.CommandName(null, " ", "evil\nX: 1"));
        Assert.Equal("The command", ErrorText.CommandName(null, ""));
    }

    [Fact]
    public void A_failed_command_whose_status_and_error_hold_line_breaks_gives_a_one_line_message()
    {
        var command = new Command { Id = "c\r\n1", RawStatus = "failed\nX", Error = "boom\r\nFAKE LOG LINE" };

        var message = new CommandFailedException(command).Message;

        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\r', message);
        Assert.Contains("boom\\r\\nFAKE LOG LINE", message, StringComparison.Ordinal);
    }
}
