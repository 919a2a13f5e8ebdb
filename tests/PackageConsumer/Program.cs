// A throwaway consumer of the packed packages (see .ci/consumer-check): restores DeviceCommands.Client and
// DeviceCommands.Emulator from a local folder feed, outside the solution, and runs a send-and-wait against the
// emulator. It proves that the packages are complete on their own. Exit code 0 on success.
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;

await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMilliseconds(50) });
var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl });

var devices = await client.Me.Devices.GetAsync();
var first = devices!.Value![0];
var result = await client.Me.Devices[first.Id!].Commands.SendAndWaitAsync(
    Command.LaunchUri(new Uri("https://bing.com")),
    new CommandWaitOptions { InitialDelay = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(30) });

Console.WriteLine($"consumer: {first.Name} -> {result.Status.ToWireValue()} after {result.Polls} polls");
return result.Succeeded ? 0 : 1;
