using DeviceCommands.Client;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Samples.TestingYourCode;

/// <summary>
/// A small service of the kind an application writes on top of the client: it opens a page on the user's first online
/// device, waits for the outcome, and says in one line how it went. It takes its clock, so its waits can run on
/// virtual time in tests.
/// </summary>
public sealed class DeviceOpener(DeviceCommandsClient client, TimeProvider clock)
{
    /// <summary>Opens <paramref name="page"/> on the first online device: "Opened on {name}", "{name}: {status}", or "No online device".</summary>
    /// <param name="page">The page to open.</param>
    /// <param name="cancellationToken">Cancels the whole thing (not the command).</param>
    /// <returns>What happened, in one line.</returns>
    public async Task<string> OpenAsync(Uri page, CancellationToken cancellationToken = default)
    {
        await foreach (var device in client.Me.Devices.ListAsync(cancellationToken))
        {
            if (device.Id is null || !string.Equals(device.Status, "online", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var result = await client.Me.Devices[device.Id].Commands.SendAndWaitAsync(
                Command.LaunchUri(page),
                new CommandWaitOptions { Timeout = TimeSpan.FromHours(2), TimeProvider = clock },
                cancellationToken);
            return result.Succeeded ? $"Opened on {device.Name}" : $"{device.Name}: {result.Status.ToWireValue()}";
        }

        return "No online device";
    }
}
