using System.Diagnostics;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Samples.Quickstart;

/// <summary>
/// Lists your devices, sends <c>LaunchUri</c> to the first one, shows its status live while it waits, then prints the
/// outcome and the response payload. Exit code 0 when the command completed, 1 when it failed, 2 on an error.
/// <code>
/// dotnet run --project samples/Quickstart                                   # emulator, in this process
/// dotnet run --project samples/Quickstart -- --base-url http://127.0.0.1:5080/beta
/// dotnet run --project samples/Quickstart -- --graph --client-id &lt;app id&gt;   # the real (retired) service
/// </code>
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, CancellationToken.None);

    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken) =>
        SampleSession.RunAsync(args, output, cancellationToken, async session =>
        {
            var client = session.Client;
            var devices = (await client.Me.Devices.GetAsync(cancellationToken: cancellationToken))?.Value ?? [];
            if (devices.Count == 0)
            {
                await output.WriteLineAsync(session.Explain(new InvalidOperationException("no devices were listed")));
                return 2;
            }

            foreach (var d in devices)
            {
                await output.WriteLineAsync($"  {d.Name,-22} {d.Kind,-10} {d.Platform,-10} {d.Status,-8} {d.Id}");
            }

            var device = devices[0];
            await output.WriteLineAsync($"Sending LaunchUri {SampleSession.SampleUri.OriginalString} to {device.Name} ...");

            var started = Stopwatch.StartNew();
            var options = new CommandWaitOptions
            {
                Timeout = SampleSession.WaitTimeout,
                Progress = new SynchronousProgress<Command>(c =>
                    output.WriteLine($"  [{started.Elapsed:mm\\:ss\\.f}] {Spinner.Next()} {c.Status?.ToWireValue() ?? c.RawStatus ?? "?"}")),
            };
            var result = await client.Me.Devices[device.Id!].Commands
                .SendAndWaitAsync(Command.LaunchUri(SampleSession.SampleUri), options, cancellationToken);

            await output.WriteLineAsync(
                $"Command {result.Command.Id} {result.Status.ToWireValue()} after {result.Polls} polls in {result.Elapsed.TotalSeconds:0.0} s"
                + (result.Command.Error is { } error ? $": {error}" : string.Empty));

            // a completed command's response payload; none (204) for one that did not complete
            var payload = await client.Me.Devices[device.Id!].Commands[result.Command.Id!].ResponsePayload.GetAsync(cancellationToken: cancellationToken);
            await output.WriteLineAsync(payload is null
                ? "Response payload: none"
                : $"Response payload: {payload.Type ?? "(no type)"} created {payload.CreationDate:yyyy-MM-dd}");

            return result.Succeeded ? 0 : 1;
        });
}
