using System.Net;
using System.Text.Json;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Tests.Waiting;

/// <summary>
/// A send and wait with callbacks on gives its callback key back however it ends: with a result, a timeout, a failed
/// POST, or an exception of the caller's own code (Progress, Checkpoint, a terminal test) thrown at any point of it.
/// </summary>
public sealed class SendAndWaitCallbackKeyTests
{
    private const string DeviceId = "dev-1";
    private const string CommandId = "cmd-1";

    private readonly VirtualClock _clock = new();
    private readonly ScriptedHandler _handler;
    private readonly DeviceCommandsClient _client;
    private readonly CommandCallbackReceiver _receiver = new(new Uri("http://127.0.0.1:5000/callbacks"));

    public SendAndWaitCallbackKeyTests()
    {
        _handler = new ScriptedHandler(_clock, CommandId) { GetsOnly = true };
        _client = TestClients.Created(_handler, clock: _clock);
    }

    /// <summary>What the caller's own code throws in these tests.</summary>
    private sealed class CallerException() : Exception("the caller's own failure");

    /// <summary>A Progress that throws at the first status that <paramref name="fails"/>.</summary>
    private sealed class ThrowingProgress(Func<string?, bool> fails) : IProgress<Command>
    {
        public void Report(Command value)
        {
            if (fails(value.RawStatus))
            {
                throw new CallerException();
            }
        }
    }

    /// <summary>Options whose <paramref name="failure"/> throws on the POST's answer ("requesting"), or else on the first poll.</summary>
    private CommandWaitOptions Options(string failure, bool onPost)
    {
        bool Fails(string? status) => onPost || status != "requesting";
        var options = new CommandWaitOptions { Callbacks = _receiver, TimeProvider = _clock, JitterSeed = 3, Timeout = TimeSpan.FromSeconds(30) };
        switch (failure)
        {
            case "progress":
                options.Progress = new ThrowingProgress(Fails);
                break;
            case "checkpoint":
                options.Checkpoint = _ => throw new CallerException();
                break;
            case "isTerminal":
                options.IsTerminal = s => Fails(s.ToWireValue()) ? throw new CallerException() : false;
                break;
            default:
                options.IsTerminalCommand = c => Fails(c.RawStatus) ? throw new CallerException() : false;
                break;
        }

        return options;
    }

    /// <summary>The key the POST carried in its postBackUri.</summary>
    private string SentKey()
    {
        using var body = JsonDocument.Parse(_handler.Requests[0].Body!);
        return new Uri(body.RootElement.GetProperty("postBackUri").GetString()!).Segments[^1];
    }

    private async Task AssertKeyGivenBackAfterCallerFailure(string failure, bool onPost)
    {
        _handler.OnPost(HttpStatusCode.Created, ScriptedHandler.Body("requesting", CommandId)).Status("executing", "executing");

        await Assert.ThrowsAsync<CallerException>(() => _clock.RunAsync(() =>
            _client.Me.Devices[DeviceId].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://example.com")), Options(failure, onPost))));

        Assert.Equal(0, _receiver.ActiveWaits);
        Assert.Equal(CallbackReceipt.UnknownKey, _receiver.Receive(SentKey(), """{"id":"cmd-1","status":"completed"}"""u8));
    }

    [Theory]
    [InlineData("progress", true)]
    [InlineData("isTerminal", true)]
    [InlineData("isTerminalCommand", true)]
    [InlineData("progress", false)]
    [InlineData("checkpoint", false)]
    [InlineData("isTerminal", false)]
    [InlineData("isTerminalCommand", false)]
    public async Task A_caller_exception_ends_the_wait_and_gives_its_key_back(string failure, bool onPost)
    {
        _handler.OnPost(HttpStatusCode.Created, ScriptedHandler.Body("requesting", CommandId)).Status("executing", "executing");

        await Assert.ThrowsAsync<CallerException>(() => _clock.RunAsync(() =>
            _client.Me.Devices[DeviceId].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://example.com")), Options(failure, onPost))));

        Assert.Equal(onPost ? 0 : 1, _handler.PollTimes.Count);
        Assert.Equal(0, _receiver.ActiveWaits);
        Assert.Equal(CallbackReceipt.UnknownKey, _receiver.Receive(SentKey(), """{"id":"cmd-1","status":"completed"}"""u8));
    }

    [Fact]
    public async Task A_wait_that_completes_gives_the_key_back()
    {
        _handler.OnPost(HttpStatusCode.Created, ScriptedHandler.Body("requesting", CommandId)).Status("completed");

        var result = await _clock.RunAsync(() =>
            _client.Me.Devices[DeviceId].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://example.com")), new CommandWaitOptions { Callbacks = _receiver, TimeProvider = _clock }));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(0, _receiver.ActiveWaits);
        Assert.Equal(CallbackReceipt.UnknownKey, _receiver.Receive(SentKey(), "{}"u8));
    }
}
