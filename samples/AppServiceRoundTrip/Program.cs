using DeviceCommands.Client;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Samples.AppServiceRoundTrip;

/// <summary>
/// Calls an app service on the first device (the ping-pong service of the send-command page), waits for the command
/// to complete, and prints what the app service sent back. Exit code 0 on a full round trip.
/// <code>dotnet run --project samples/AppServiceRoundTrip [-- --base-url http://127.0.0.1:5080/beta]</code>
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, CancellationToken.None);

    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken) =>
        SampleSession.RunAsync(args, output, cancellationToken, async session =>
        {
            var client = session.Client;
            var device = (await client.Me.Devices.GetAsync(cancellationToken: cancellationToken))?.Value?.FirstOrDefault()
                ?? throw new InvalidOperationException("no devices were listed");
            var command = Command.AppService(
                "com.microsoft.test.cdppingpongservice",
                "5085ShawnHenry.RomanTestApp_jsjw7knzsgcce",
                new Dictionary<string, object?> { ["Type"] = "Toast", ["Title"] = "Hello", ["Subtitle"] = "World!" });
            await output.WriteLineAsync($"Calling com.microsoft.test.cdppingpongservice on {device.Name} ...");

            var result = await client.Me.Devices[device.Id!].Commands.SendAndWaitAsync(command, cancellationToken: cancellationToken);
            result.EnsureSuccess();

            var payload = await client.Me.Devices[device.Id!].Commands[result.Command.Id!].ResponsePayload.GetAsync(cancellationToken: cancellationToken);
            await output.WriteLineAsync($"The app service answered {payload?.Type} on {payload?.CreationDate:yyyy-MM-dd}:");
            foreach (var (name, value) in payload?.AdditionalData ?? new Dictionary<string, object>())
            {
                await output.WriteLineAsync($"  {name} = {Describe(value)}");
            }

            return 0;
        });

    private static string Describe(object value) => value switch
    {
        Microsoft.Kiota.Abstractions.Serialization.UntypedString s => s.GetValue() ?? "null",
        Microsoft.Kiota.Abstractions.Serialization.UntypedObject o => "{" + string.Join(", ", o.GetValue().Select(p => $"{p.Key}: {Describe(p.Value)}")) + "}",
        Microsoft.Kiota.Abstractions.Serialization.UntypedNode n => n.GetValue()?.ToString() ?? "null",
        _ => value.ToString() ?? "null",
    };
}
