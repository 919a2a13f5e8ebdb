using DeviceCommands.Client;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Samples.SendToAll;

/// <summary>
/// Sends <c>LaunchUri</c> to every device at once, waits for all of them, and prints a table of outcomes (the
/// emulator's devices show every path of a command's life: completed, failedToSend, commandDropped,
/// executionFailed, expired). Exit code 0 when every wait ended with the command's status, 2 on an error.
/// <code>dotnet run --project samples/SendToAll [-- --base-url http://127.0.0.1:5080/beta]</code>
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, CancellationToken.None);

    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken) =>
        SampleSession.RunAsync(args, output, cancellationToken, async session =>
        {
            var client = session.Client;
            var devices = (await client.Me.Devices.GetAsync(cancellationToken: cancellationToken))?.Value ?? [];
            await output.WriteLineAsync($"Sending LaunchUri to {devices.Count} devices at once ...");
            var outcomes = await Task.WhenAll(devices.Select(async device =>
            {
                try
                {
                    var result = await client.Me.Devices[device.Id!].Commands
                        .SendAndWaitAsync(Command.LaunchUri(SampleSession.SampleUri), new CommandWaitOptions { Timeout = SampleSession.WaitTimeout }, cancellationToken);
                    return (Device: device, Status: result.Status.ToWireValue(), result.Polls, Seconds: result.Elapsed.TotalSeconds, Note: result.Command.Error ?? "");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return (Device: device, Status: "(error)", Polls: 0, Seconds: 0.0, Note: SampleSession.Describe(e));
                }
            }));

            await output.WriteLineAsync($"{"device",-20} {"status",-16} {"polls",5} {"seconds",8}  note");
            foreach (var o in outcomes)
            {
                await output.WriteLineAsync($"{o.Device.Name,-20} {o.Status,-16} {o.Polls,5} {o.Seconds,8:0.0}  {o.Note}");
            }

            return outcomes.Any(o => o.Status == "(error)") ? 2 : 0;
        });
}
