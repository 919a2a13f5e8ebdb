// A throwaway consumer of the packed packages (see .ci/consumer-check): restores DeviceCommands.Client and
// DeviceCommands.Emulator from a local folder feed, outside the solution, and uses them as the README says: the client
// registered with dependency injection and a named credential, the devices listed across pages, a send-and-wait, the
// app service's answer read as JSON and as a type of its own (System.Text.Json source generation), and the client's
// metrics, and an hour-long command on the in-memory emulator and a VirtualClock (DeviceCommands.Testing, which the
// emulator's package brings). Exit code 0 on success; every line it prints is what a user would read.
using System.Diagnostics.Metrics;
using System.Text.Json.Serialization;
using Azure.Core;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;
using Microsoft.Extensions.DependencyInjection;

await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMilliseconds(50), RequireToken = true });

var services = new ServiceCollection();
services.AddDeviceCommandsClient(new ConsumerCredential(), configure: o => o.BaseUrl = emulator.BaseUrl);
await using var provider = services.BuildServiceProvider();
var client = provider.GetRequiredService<DeviceCommandsClient>();

var calls = 0;
using var meters = new MeterListener { InstrumentPublished = (instrument, listener) => { if (instrument.Meter.Name == "DeviceCommands.Client") listener.EnableMeasurementEvents(instrument); } };
meters.SetMeasurementEventCallback<double>((instrument, _, _, _) => { if (instrument.Name == "devicecommands.client.operation.duration") Interlocked.Increment(ref calls); });
meters.Start();

var devices = new List<Device>();
await foreach (var device in client.Me.Devices.ListAsync())
{
    devices.Add(device);
}

var first = devices[0];
var result = await client.Me.Devices[first.Id!].Commands.SendAndWaitAsync(
    Command.AppService("com.microsoft.test.cdppingpongservice", "5085ShawnHenry.RomanTestApp_jsjw7knzsgcce", new Toast("Toast", "Hello"), ConsumerJson.Default.Toast),
    new CommandWaitOptions { InitialDelay = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(30) });
var answer = await client.Me.Devices[first.Id!].Commands[result.Command.Id!].ResponsePayload.GetAsync();
var typed = answer?.As(ConsumerJson.Default.Answer);

var clock = new VirtualClock();
await using var virtualEmulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = clock, StepDelay = TimeSpan.FromMinutes(20) });
var virtualClient = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
{
    BaseUrl = virtualEmulator.BaseUrl, HttpMessageHandler = virtualEmulator.CreateHandler(), TimeProvider = clock,
});
var hour = await clock.RunAsync(() => virtualClient.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(
    Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { Timeout = TimeSpan.FromHours(2) }));

Console.WriteLine($"consumer: {devices.Count} devices; {first.Name} -> {result.Status.ToWireValue()} after {result.Polls} polls; "
    + $"answer {typed?.Type} with {typed?.AppServiceResponse?.Title}; {calls} calls measured; "
    + $"on a VirtualClock {hour.Status.ToWireValue()} after {hour.Elapsed}");
return result.Succeeded && typed?.AppServiceResponse?.Title == "Hello" && calls > 0 && hour.Succeeded ? 0 : 1;

internal sealed class ConsumerCredential : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new("consumer-token", DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

internal sealed record Toast(string Type, string Title);

internal sealed record Answer(string? Type, Toast? AppServiceResponse);

[JsonSerializable(typeof(Toast))]
[JsonSerializable(typeof(Answer))]
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
internal sealed partial class ConsumerJson : JsonSerializerContext;
